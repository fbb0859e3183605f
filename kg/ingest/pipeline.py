"""The build pipeline as named stages: read -> segment -> extract -> resolve -> to_rdf ->
validate -> serialize. Only ``read`` and ``serialize`` touch the file system; ``--until``
stops after any stage and returns what it produced."""
from __future__ import annotations

import collections
import concurrent.futures
import datetime
import functools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import kg
from kg.ingest.executors import EXECUTORS, SourceFailure
from kg.ingest.extract import extract_document
from kg.ingest.readers import read_source
from kg.ingest.resolve import resolve_extractions
from kg.ingest.segment import split_documents
from kg.ingest.to_rdf import to_dataset, vocabulary_ntriples
from kg.ingest.validate import Violation, merged_report, validate_source, validate_store
from kg.core import iris
from kg.core.errors import KGError, SourceError
from kg.core.model import Extraction, Segment, Source
from kg.core.namespaces import EVIDENCE_GRAPH, ONTOLOGY_GRAPH
from kg.core.text import normalize
from kg.store.dataset import DATASET_FILE, BuildRecord, dataset_description
from kg.store.graphstore import SourceGraph
from kg.store.rdfio import (DEFAULT_OUTPUTS, OUTPUT_FILES, SourceTurtle, TurtleSpool, canonical_turtle, materialise_union,
                            memory_outputs, ntriples_bytes, ntriples_in_graph, store_outputs, write_atomic)


def document_row(source_name: str, extraction: Extraction) -> dict:
    """What the build reports of one document: its genre, counts per type, where its title,
    genre and region came from (gk:FactBasis local names) and what could not be determined."""
    kinds = collections.Counter(e.type for e in extraction.entities)
    kinds["relations"] = len(extraction.relations)
    document = extraction.document
    bases = {fact: value.iri.rsplit("basis-", 1)[-1] for fact in ("title", "genre", "region")
             if (value := document.first(f"gk:{fact}Basis")) is not None}
    return {"source": source_name, "document": document.label, "genre": document.type,
            "counts": dict(sorted(kinds.items())), "bases": bases, "undetermined": list(extraction.undetermined)}


@dataclass
class BuildState:
    """Everything a build produced so far; later stages fill in later fields."""

    paths: list[Path]
    sources: list[Source] = field(default_factory=list)
    segments: dict[str, list[Segment]] = field(default_factory=dict)  # source name -> documents
    extractions: dict[str, list[Extraction]] = field(default_factory=dict)
    dataset: object | None = None
    graph: object | None = None
    report: object | None = None
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # sources the store already holds as they are
    store: object | None = None  # kg.store.graphstore.GraphStore
    # Filled by the streaming (store) build instead of extractions: per-document rows and entity types.
    documents: list[dict] = field(default_factory=list)
    entity_types: dict[str, str] = field(default_factory=dict)
    validation: object | None = None  # concurrent.futures.Future of a ValidationReport, while it runs
    source_violations: list[Violation] = field(default_factory=list)  # found as the sources were built (validate_source)
    turtle: TurtleSpool | None = None  # the stored sources' graphs and passages as Turtle, for the outputs
    started: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.timezone.utc))


def stage_read(state: BuildState, progress: Callable[[str], None] | None = None) -> None:
    seen: dict[str, Path] = {}
    known = state.store.sources() if state.store is not None else {}
    for path in state.paths:
        try:
            source = read_source(path)
        except SourceError as error:
            state.errors.append(error)
            continue
        if source.name in seen:
            state.errors.append(SourceError(path, f"has the same file name as {seen[source.name]}",
                                            fix="rename one of them; file names identify documents"))
            continue
        seen[source.name] = path
        stored = known.get(source.name)
        if stored is not None and stored.graph != iris.document_graph(source.name):
            state.store.remove_source(source.name)  # stored under an earlier IRI scheme: rebuild it under this one
        elif stored is not None and stored.sha256 == source.sha256:
            state.unchanged.append(source.name)
            continue
        state.sources.append(source)
        if progress:
            progress(f"read {source.name}")


def stage_segment(state: BuildState) -> None:
    for source in state.sources:
        documents = split_documents(source, normalize(source.text))
        if not documents:
            state.warnings.append(f"{source.name}: no document found")
        state.segments[source.name] = documents


def stage_extract(state: BuildState) -> None:
    for source in state.sources:
        extractions = [extract_document(segment) for segment in state.segments[source.name]]
        state.extractions[source.name] = extractions
        for extraction in extractions:
            state.warnings.extend(extraction.warnings)


def process_source(source: Source) -> list[Extraction]:
    """segment -> extract -> resolve for one source: the unit of work of a parallel build."""

    return resolve_extractions([extract_document(segment) for segment in split_documents(source, normalize(source.text))])


def stage_extract_parallel(state: BuildState, jobs: int) -> None:
    """segment, extract and resolve every source in a pool of ``jobs`` processes. Results are
    collected in input order, so the output equals a one-process build."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(process_source, state.sources, chunksize=max(1, len(state.sources) // (jobs * 8))))
    for source, extractions in zip(state.sources, results):
        state.segments[source.name] = []
        state.extractions[source.name] = extractions
        for extraction in extractions:
            state.warnings.extend(extraction.warnings)


@dataclass
class SourceResult:
    """What one source contributes to a store build, small enough to pass between processes."""

    name: str
    sha256: str
    ntriples: bytes  # the source's named graph, N-Triples in UTF-8
    evidence: bytes  # its passages, for the evidence graph (kg.core.namespaces.EVIDENCE_GRAPH)
    documents: list[dict]
    entity_types: dict[str, str]
    warnings: list[str]
    turtle: SourceTurtle | None = None  # its graph and passages as the outputs' Turtle (kg.store.rdfio.canonical_turtle), if asked
    violations: list[Violation] = field(default_factory=list)  # of the shapes checked per source, if asked


def build_source(source: Source, turtle: bool = False, validate: bool = False) -> SourceResult:
    """segment -> extract -> resolve -> to_rdf for one source, as N-Triples: the unit of work of
    a store build, run in a worker process with ``--jobs``. ``turtle``: also its graph and its
    passages as the outputs' Turtle, made here in the worker rather than dumped from the store at
    the end. ``validate``: also the results of the shapes checked per source (its passages:
    :func:`kg.ingest.validate.validate_source`), which the store's validation then leaves out."""

    extractions = process_source(source)
    documents, types = [], {}
    for extraction in extractions:
        documents.append(document_row(source.name, extraction))
        for entity in [extraction.document, *extraction.entities]:
            types.setdefault(entity.iri, entity.type)
    warnings = [w for x in extractions for w in x.warnings]
    named = to_dataset([(source, extractions)], include_ontology=False, union=False).named
    del extractions  # a large source's extractions are not needed past this point
    # A fact two extractions state is listed twice (about 30% of a source's statements): sent,
    # loaded and sharded once.
    triples = list(dict.fromkeys(named[iris.document_graph(source.name)]))
    evidence = list(dict.fromkeys(named.get(EVIDENCE_GRAPH, ())))
    evidence_ntriples = ntriples_bytes(evidence)
    graph_iri, graph_ntriples = iris.document_graph(source.name), ntriples_bytes(triples)
    return SourceResult(source.name, source.sha256, graph_ntriples, evidence_ntriples, documents, types, warnings,
                        SourceTurtle(source.name, graph_iri, canonical_turtle(graph_ntriples), canonical_turtle(evidence_ntriples))
                        if turtle else None,
                        validate_source(graph_iri, graph_ntriples, evidence_ntriples) if validate else [])


# A batch of sources goes into the store in one bulk load once it holds this much N-Triples or
# has waited this long: a build killed midway loses at most the batch being gathered. Larger
# loads mean fewer files for RocksDB to merge into what the store holds (its compaction, 38% of
# the build's CPU time at 10,000 documents): three times the 1,000-document statements loaded
# in 64 MB pieces took 98 s of compaction, in 400 MB pieces 53 s. But memory grows with them
# (1,000 documents: 1.2 GB peak with 64 MB, 2.8 GB with 256 MB: the batch gathered, the batch
# loading and Oxigraph's sorting of it).
BATCH_BYTES = 160_000_000
BATCH_SECONDS = 60.0


def stage_build_into_store(state: BuildState, *, jobs: int, validate: bool, executor: str = "local",
                           scheduler: str | None = None, shards: Path | None = None, turtle: bool = False,
                           progress: Callable[[str], None] | None = None) -> None:
    """Build every changed source with ``executor`` (:mod:`kg.ingest.executors`: this machine's
    processes, or a dask cluster at ``scheduler``) and put the graphs into the store in batches
    (:data:`BATCH_BYTES`, :data:`BATCH_SECONDS`), each source's hash recorded only once its graph
    is stored (kg/store/graphstore.py): memory stays bounded by a batch and one source per
    process, and a build killed midway keeps every batch already stored. A source whose work
    raised fails alone (``state.errors``). With ``shards``, every source's graph is also written
    there as N-Quads (:func:`write_shard`). Then, with ``validate``, the shapes start to run once
    over what the store holds (:func:`start_validation`). With ``turtle`` (the Turtle or TriG
    output will be written), each stored source's graph and passages are kept as Turtle in
    ``state.turtle`` for :func:`stage_serialize`."""
    run = EXECUTORS[executor]
    state.turtle = TurtleSpool() if turtle else None
    paths = {path.name: path for path in state.paths}
    started, total = time.monotonic(), len(state.sources)
    built: dict[str, SourceResult] = {}
    batch: list[SourceResult] = []
    batch_started, batch_bytes, stored = time.monotonic(), 0, 0

    # One batch loads on a thread of its own (Oxigraph lets go of the GIL while it loads) while
    # the next is gathered from the workers: loading and building overlap instead of taking turns
    # (loading in this thread, the workers idled once their few tasks in flight were done).
    loader = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="govkg-load")
    loading: tuple | None = None  # (the load's future, its batch)

    def finish_loading() -> None:
        nonlocal loading, stored
        if loading is None:
            return
        future, loaded = loading
        loading = None
        try:
            future.result()  # a failed load stops the build here, in this thread
        finally:
            del future  # else the error, its traceback and this frame hold one another, and the store open
        for result in loaded:
            if shards is not None:
                write_shard(shards, result.name, iris.document_graph(result.name), result.ntriples, result.evidence)
            if state.turtle is not None:
                state.turtle.add(result.turtle)
            result.ntriples, result.evidence, result.turtle = b"", b"", None  # stored: only the rows are kept
        stored += len(loaded)
        if progress:
            progress(f"stored {len(loaded)} source(s) in one batch ({stored}/{total} in the store)")

    def store_batch() -> None:
        nonlocal batch, batch_bytes, batch_started, loading
        finish_loading()  # at most one batch loads while the next is gathered
        graphs = [SourceGraph(iris.document_graph(r.name), r.ntriples, r.name, r.sha256, r.evidence) for r in batch]
        loading = (loader.submit(state.store.replace_graphs, graphs), batch)
        batch, batch_bytes, batch_started = [], 0, time.monotonic()

    # The workers start (or fail in one line) before the store is touched, and stop after the union is loaded.
    work = functools.partial(build_source, turtle=turtle, validate=validate)
    with run(work, state.sources, jobs=jobs, scheduler=scheduler) as results, state.store.union_loaded_at_end():
        ontology_written = state.store.ensure_ontology(vocabulary_ntriples)
        for done, (source, result) in enumerate(results, start=1):
            if isinstance(result, SourceFailure):
                state.errors.append(SourceError(paths.get(source.name, source.name), f"could not be built: {result.message}",
                                                fix="a bug in govkg: please report it with this file"))
                if progress:
                    progress(f"[{done}/{total}] failed {source.name}")
                continue
            built[result.name] = result
            batch.append(result)
            batch_bytes += len(result.ntriples) + len(result.evidence)
            if progress:
                elapsed = time.monotonic() - started
                left = elapsed / done * (total - done)
                progress(f"[{done}/{total}] built {result.name} ({elapsed:.0f} s"
                         + (f", about {left:.0f} s left)" if done < total else ")"))
            if batch_bytes >= BATCH_BYTES or time.monotonic() - batch_started >= BATCH_SECONDS:
                store_batch()
        try:
            if batch:
                store_batch()
            finish_loading()
        finally:
            loader.shutdown(wait=True)  # a build stopped midway lets the batch being loaded finish
    for source in state.sources:  # in input order whatever order the results came in
        result = built.get(source.name)
        if result is None:
            continue
        state.documents.extend(result.documents)
        for iri, type_ in result.entity_types.items():
            state.entity_types.setdefault(iri, type_)
        state.warnings.extend(result.warnings)
        state.source_violations.extend(result.violations)
        state.segments[result.name] = [None] * len(result.documents)
    state.store.flush()
    if shards is not None:
        for name in state.unchanged:
            write_shard(shards, name, iris.document_graph(name), state.store.graph_ntriples(iris.document_graph(name)),
                        state.store.evidence_ntriples(name))
        write_shard(shards, "(ontology)", ONTOLOGY_GRAPH, state.store.graph_ntriples(ONTOLOGY_GRAPH))
    if validate and built:
        # What this build wrote: the rebuilt sources, and the ontology and vocabularies if they
        # changed; when that is everything (a fresh store), the store is checked whole.
        rebuilt = [iris.document_graph(name) for name in built] + ([ONTOLOGY_GRAPH] if ontology_written else [])
        start_validation(state, None if ontology_written and not state.unchanged else rebuilt)


def shard_path(shards: Path, source_name: str) -> Path:
    """Where a source's shard goes: its file key (kg.core.iris.file_key: ASCII, one per file name)
    and ``.nq``; the ontology graph's is ``ontology.nq`` (no source file is named without an extension)."""
    return shards / ("ontology.nq" if source_name == "(ontology)" else f"{iris.file_key(source_name)}.nq")


def write_shard(shards: Path, source_name: str, graph_iri: str, ntriples: bytes, evidence: bytes = b"") -> Path:
    """A source's named graph, and its passages in the evidence graph, as an N-Quads file
    written atomically, for another store to bulk-load."""
    return write_atomic(shard_path(shards, source_name),
                        ntriples_in_graph(ntriples, graph_iri) + ntriples_in_graph(evidence, EVIDENCE_GRAPH))


def start_validation(state: BuildState, focus_graphs: list[str] | None = None) -> None:
    """The shapes, compiled into SPARQL, run once over the store's union graph, on a thread of
    their own (Oxigraph evaluates queries without holding the GIL): they run while the output
    files are written, and :func:`stage_collect_reports` waits for them. ``focus_graphs``: only
    the nodes these graphs describe are checked (an incremental build's rebuilt sources). The
    shapes checked per source were checked as the sources were built: not again here."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1)
    state.validation = pool.submit(validate_store, state.store.oxigraph, focus_graphs=focus_graphs, per_source=False)
    pool.shutdown(wait=False)  # the thread ends when the validation has


def stage_collect_reports(state: BuildState) -> None:
    """The report of the validation :func:`start_validation` started, once it has finished, with
    what the sources' own checks found as they were built."""
    if state.validation is None:
        return
    try:
        state.report = merged_report(state.validation.result(), state.source_violations)
    except (RuntimeError, OSError, SyntaxError, ValueError) as exc:  # what Oxigraph raises
        raise KGError(f"SHACL validation failed to run: {type(exc).__name__}: {exc}",
                      fix="run `govkg validate` on the output") from None
    finally:
        state.validation = None


def stage_resolve(state: BuildState) -> None:
    for name, extractions in state.extractions.items():
        state.extractions[name] = resolve_extractions(extractions)


def stage_to_rdf(state: BuildState) -> None:
    state.dataset = to_dataset([(s, state.extractions[s.name]) for s in state.sources])
    state.graph = state.dataset.graph


def stage_validate(state: BuildState) -> None:
    """SHACL over what this build extracted, with the ontology and vocabularies it points at:
    the dataset loaded into an in-memory Oxigraph store and checked as a store build is."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(b"".join(ntriples_in_graph(ntriples_bytes(triples), graph_iri)
                             for graph_iri, triples in state.dataset.named.items()), format=ox.RdfFormat.N_QUADS)
    materialise_union(store)
    state.report = validate_store(store)


def _build_record(state: BuildState, written: list[Path]) -> BuildRecord:
    """What ``out/dataset.ttl`` says of this build: the sources the outputs were made from (all
    the store holds, or this build's), the statements of govkg.ttl and the files written."""
    if state.store is not None:
        sources = {name: stored.sha256 for name, stored in state.store.sources().items() if name != "(ontology)"}
        statements = state.store.statement_count()
    else:
        sources = {source.name: source.sha256 for source in state.sources}
        statements = len({triple for triples in state.dataset.named.values() for triple in triples})
    return BuildRecord(started=state.started, ended=datetime.datetime.now(datetime.timezone.utc), statements=statements,
                       sources=sources, files={path.name: path.stat().st_size for path in written})


def stage_serialize(state: BuildState, out_dir: Path | None, formats=DEFAULT_OUTPUTS) -> None:
    """Write the output files of ``formats`` (kg.store.rdfio.OUTPUT_FILES); an output of another
    format left by an earlier build is removed, so no file in ``out_dir`` lags behind the store."""
    if out_dir is None:
        return
    if state.store is not None:
        written = store_outputs(state.store, out_dir, formats, state.turtle)  # streamed; all renamed once all are complete
        state.turtle = None
    else:
        # Everything is serialised before any file is replaced, so an error leaves the old outputs.
        written = [write_atomic(out_dir / name, payload) for name, payload in memory_outputs(state.dataset.named, formats).items()]
    written.append(write_atomic(out_dir / DATASET_FILE, dataset_description(_build_record(state, written), kg.__version__)))
    state.written.extend(written)
    for name in sorted(set(OUTPUT_FILES.values()) - {path.name for path in written}):
        stale = out_dir / name
        if stale.is_file():
            stale.unlink()
            state.warnings.append(f"removed {stale}: an output of an earlier build, not among --formats")
