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
    SERIALIZE = "serialize"


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


def stage_read(state: BuildState, progress: Callable[[str], None] | None = None) -> None:
    from .readers import read_source

    seen: dict[str, Path] = {}
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


def stage_serialize(state: BuildState, out_dir: Path) -> None:
    from .serialize import jsonld, trig, turtle, write_atomic

    # Serialise everything first, then replace the files, so an error leaves the old outputs.
    payloads = {"govkg.ttl": turtle(state.graph), "govkg.trig": trig(state.dataset.named),
                "govkg.jsonld": jsonld(state.graph)}
    for name, payload in payloads.items():
        state.written.append(write_atomic(out_dir / name, payload))
