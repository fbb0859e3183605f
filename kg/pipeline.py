"""The build pipeline as named stages: read -> segment -> extract -> resolve -> to_rdf ->
validate -> serialize. Only ``read`` and ``serialize`` touch the file system; ``--until``
stops after any stage and returns what it produced."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import SourceError
from .model import Extraction, Segment, Source


class Stage(str, enum.Enum):
    READ = "read"
    SEGMENT = "segment"
    EXTRACT = "extract"
    RESOLVE = "resolve"
    TO_RDF = "to_rdf"
    VALIDATE = "validate"
    SERIALIZE = "serialize"  # into the store (when there is one) and the output files


STAGES = [stage.value for stage in Stage]


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
    store: object | None = None  # kg.store.GraphStore


def stage_read(state: BuildState, progress: Callable[[str], None] | None = None) -> None:
    from .readers import read_source

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
        if stored is not None and stored.sha256 == source.sha256:
            state.unchanged.append(source.name)
            continue
        state.sources.append(source)
        if progress:
            progress(source.name)


def stage_segment(state: BuildState) -> None:
    from .segment import split_documents
    from .text import normalize

    for source in state.sources:
        documents = split_documents(source, normalize(source.text))
        if not documents:
            state.warnings.append(f"{source.name}: no document found")
        state.segments[source.name] = documents


def stage_extract(state: BuildState) -> None:
    from .extract import extract_document

    for source in state.sources:
        extractions = [extract_document(segment) for segment in state.segments[source.name]]
        state.extractions[source.name] = extractions
        for extraction in extractions:
            state.warnings.extend(extraction.warnings)


def process_source(source: Source) -> list[Extraction]:
    """segment -> extract -> resolve for one source: the unit of work of a parallel build."""
    from .extract import extract_document
    from .resolve import resolve_extractions
    from .segment import split_documents
    from .text import normalize

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


def stage_resolve(state: BuildState) -> None:
    from .resolve import resolve_extractions

    for name, extractions in state.extractions.items():
        state.extractions[name] = resolve_extractions(extractions)


def stage_to_rdf(state: BuildState) -> None:
    from .rdf import to_dataset

    state.dataset = to_dataset([(s, state.extractions[s.name]) for s in state.sources])
    state.graph = state.dataset.graph


def stage_validate(state: BuildState) -> None:
    from .validate import validate_graph

    state.report = validate_graph(state.graph)


def stage_store(state: BuildState) -> None:
    """Replace each rebuilt source's named graph in the store, one transaction per source."""
    from . import iris
    from .rdf import ONTOLOGY_GRAPH

    if state.store is None or state.dataset is None:
        return
    state.store.ensure_ontology(state.dataset.named[ONTOLOGY_GRAPH])
    for source in state.sources:
        graph_iri = iris.document_graph(source.name)
        state.store.replace_graph(graph_iri, state.dataset.named[graph_iri], source_name=source.name, sha256=source.sha256)
    state.store.flush()


def stage_serialize(state: BuildState, out_dir: Path | None) -> None:
    from .serialize import jsonld, trig, turtle, write_atomic

    stage_store(state)
    if out_dir is None:
        return
    named = state.store.named_quads() if state.store is not None else state.dataset.named
    # Serialise everything first, then replace the files, so an error leaves the old outputs.
    union = [triple for graph in named.values() for triple in graph]
    payloads = {"govkg.ttl": turtle(union), "govkg.trig": trig(named), "govkg.jsonld": jsonld(union)}
    for name, payload in payloads.items():
        state.written.append(write_atomic(out_dir / name, payload))
