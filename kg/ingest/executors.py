"""Where a store build runs its unit of work (:func:`kg.ingest.pipeline.build_source`, one
source in, its graph as N-Triples out): a registry of executors, chosen by
``govkg build --executor``.

An executor is a context manager ``run(work, sources, *, jobs, scheduler)``: entering it starts
the workers (or fails in one line: no dask, no scheduler there), and it gives an iterator of
``(source, result)`` as results arrive, where ``result`` is what ``work(source)`` returned or a
:class:`SourceFailure`; the build loads each result into the store as it comes. Built-ins:

- ``local``: this process (``jobs`` 1) or a pool of ``jobs`` processes, results in input order;
- ``dask``: a dask.distributed cluster (``scheduler`` ``tcp://host:8786``, else a local cluster
  of ``jobs`` worker processes started and closed here), results as they complete. Needs the
  ``dask`` extra.

The sources travel with their tasks (text included), so a worker needs govkg installed (the
ontology and the extractors' data are package data) and nothing else: no shared file system.
"""
from __future__ import annotations

import collections
import contextlib
import itertools
from dataclasses import dataclass
from typing import Callable, Iterator

from kg.core.errors import KGError
from kg.core.model import Source

EXECUTORS: dict[str, Callable[..., Iterator]] = {}
IN_FLIGHT_PER_WORKER = 4  # tasks handed to the workers ahead of the results: bounds memory, keeps workers busy


def register_executor(name: str, run: Callable[..., Iterator]) -> None:
    EXECUTORS[name] = run


@dataclass(frozen=True)
class SourceFailure:
    """A source whose unit of work raised (or whose worker died): it fails alone, the others are built."""

    name: str
    message: str


def guarded(work: Callable, source: Source):
    """``work(source)``, or a :class:`SourceFailure` naming what it raised. Runs where the work
    runs, so an exception that cannot be pickled back still reaches the build as one line."""
    try:
        return work(source)
    except Exception as exc:  # noqa: BLE001 — one source's failure must not stop the others
        return SourceFailure(source.name, f"{type(exc).__name__}: {exc}")


@contextlib.contextmanager
def local_results(work: Callable, sources: list[Source], *, jobs: int, scheduler: str | None = None) -> Iterator:
    """In this process, or a pool of ``jobs`` processes; results in input order (``scheduler``
    is for the executors that have one). At most :data:`IN_FLIGHT_PER_WORKER` tasks per process
    are out at a time: when the store loads more slowly than the workers build, finished
    results would otherwise pile up in this process (10,000 generated documents: 3 GB and
    growing after ten minutes)."""
    from concurrent.futures import ProcessPoolExecutor

    if jobs <= 1:
        yield ((source, guarded(work, source)) for source in sources)
        return
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        yield _in_order(pool, work, sources, jobs * IN_FLIGHT_PER_WORKER)
    finally:
        pool.shutdown(cancel_futures=True)


def _in_order(pool, work: Callable, sources: list[Source], window: int) -> Iterator:
    """``(source, result)`` in input order, with at most ``window`` tasks submitted ahead."""
    pending = iter(sources)
    running = collections.deque((source, pool.submit(guarded, work, source)) for source in itertools.islice(pending, window))
    while running:
        source, future = running.popleft()
        result = future.result()
        running.extend((later, pool.submit(guarded, work, later)) for later in itertools.islice(pending, 1))
        yield source, result


def _distributed():
    try:
        import distributed
    except ImportError:
        raise KGError("--executor dask needs dask.distributed, which is not installed",
                      fix="pip install 'govkg[dask]'") from None
    return distributed


def _connect(distributed, scheduler: str | None, jobs: int):
    """A client of the cluster at ``scheduler``, or of a new local cluster of ``jobs`` worker
    processes (returned too, to be closed with the client)."""
    import logging

    if scheduler is None:
        cluster = distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=logging.ERROR)
        return distributed.Client(cluster), cluster
    try:
        return distributed.Client(scheduler, timeout="10s"), None
    except (OSError, TimeoutError) as exc:
        raise KGError(f"cannot reach the dask scheduler at {scheduler} ({exc})",
                      fix="start one (`dask scheduler`, then `dask worker ADDRESS` on each machine) or check the address"
                      ) from None


def _check_workers(client) -> int:
    """The number of workers, once each has said it runs the same govkg as this process: the
    tasks name govkg's functions, which a worker imports from its own installation."""
    from importlib.metadata import PackageNotFoundError, version

    from kg import __version__

    try:
        found = client.run(version, "govkg")
    except PackageNotFoundError:
        raise KGError("a dask worker does not have govkg installed",
                      fix=f"pip install 'govkg=={__version__}' on every worker machine") from None
    wrong = sorted(address for address, installed in found.items() if installed != __version__)
    if wrong:
        raise KGError(f"dask worker {wrong[0]} runs govkg {found[wrong[0]]}, this build {__version__}",
                      fix=f"pip install 'govkg=={__version__}' on every worker machine")
    return len(found)


@contextlib.contextmanager
def dask_results(work: Callable, sources: list[Source], *, jobs: int, scheduler: str | None = None) -> Iterator:
    """On a dask.distributed cluster; results as they complete."""
    distributed = _distributed()
    client, cluster = _connect(distributed, scheduler, jobs)
    try:
        yield _as_completed(distributed, client, work, sources, _check_workers(client))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _as_completed(distributed, client, work: Callable, sources: list[Source], workers: int) -> Iterator:
    """At most :data:`IN_FLIGHT_PER_WORKER` tasks per worker are out at a time, so neither the
    cluster nor this process holds more of the corpus than that beyond what the build read."""
    pending = iter(sources)
    by_key: dict[str, Source] = {}
    numbers = itertools.count()
    completed = distributed.as_completed()

    def submit(batch) -> None:
        for source in batch:
            future = client.submit(guarded, work, source, pure=False, key=f"build_source-{next(numbers)}-{source.name}")
            by_key[future.key] = source
            completed.add(future)

    submit(itertools.islice(pending, max(1, workers) * IN_FLIGHT_PER_WORKER))
    for future in completed:
        source = by_key.pop(future.key)
        if future.status == "error":  # the worker died (guarded catches the rest)
            exc = future.exception()
            result = SourceFailure(source.name, f"its dask worker failed ({type(exc).__name__}: {exc})")
        else:
            result = future.result()
        future.release()
        submit(itertools.islice(pending, 1))
        yield source, result


register_executor("local", local_results)
register_executor("dask", dask_results)
