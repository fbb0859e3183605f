"""How fast this machine is right now, by two fixed workloads that no govkg code takes part in,
printed beside the benchmarks' figures so that figures of different days or machines compare by
their ratio to it (session 12 measured the same queries on the same corpus at 1.6–2.6 × an
earlier session's times: the machine, not the code).

    python bench/reference.py        # {"python_s": …, "oxigraph_s": …}

- ``python_s``: pure Python, the interpreter work of extraction and of reading results (a
  million small strings made, hashed into a dict, sorted);
- ``oxigraph_s``: the store's work, on disk: 200,000 generated statements bulk-loaded into a new
  Oxigraph store in a temporary directory, then a join and a listing query over them.

Each is the median of ``runs`` runs in this process. Load on the machine moves both, as it moves
every benchmark: take them in the same run as the figures they stand beside.
"""
from __future__ import annotations

import json
import statistics
import tempfile
import time

STATEMENTS = 200_000


def _python_work() -> None:
    table = {f"region/{i % 3343:04d}/platform-{i}": i for i in range(1_000_000)}
    sorted(table, key=lambda key: key[::-1])


def _ntriples(count: int) -> bytes:
    lines = []
    for i in range(count // 2):
        subject = f"<https://example.org/thing/{i}>"
        lines.append(f'{subject} <https://example.org/p/in> <https://example.org/group/{i % 997}> .')
        lines.append(f'{subject} <https://example.org/p/label> "名称{i}"@zh .')
    return ("\n".join(lines) + "\n").encode("utf-8")


def _oxigraph_work(data: bytes) -> None:
    import pyoxigraph as ox

    with tempfile.TemporaryDirectory() as directory:
        store = ox.Store(directory)
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        joined = store.query("SELECT ?g (COUNT(?l) AS ?n) WHERE { ?s <https://example.org/p/in> ?g ; "
                             "<https://example.org/p/label> ?l } GROUP BY ?g")
        assert sum(1 for _ in joined) == 997
        listed = store.query("SELECT ?s ?l WHERE { ?s <https://example.org/p/label> ?l }")
        assert sum(1 for _ in listed) == STATEMENTS // 2
        del store


def _median_s(work, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples), 3)


def machine_reference(runs: int = 3) -> dict[str, float]:
    """Seconds of the two fixed workloads (medians of ``runs``)."""
    data = _ntriples(STATEMENTS)
    return {"python_s": _median_s(_python_work, runs), "oxigraph_s": _median_s(lambda: _oxigraph_work(data), runs)}


if __name__ == "__main__":
    print(json.dumps(machine_reference()))
