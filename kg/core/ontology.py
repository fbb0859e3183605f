"""Reads the ontology, vocabularies and reference data in ``ontology/``.

Everything the extractor knows about classes, cue words, initiatives and administrative
divisions comes from these files; nothing here restates them.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import OntologyError
from kg.core.terms import rdflib_term
from kg.core.text import CueWords

# The ontology first (ontology_dir() looks for it), then its concept schemes, one file each.
ONTOLOGY_FILE = "govkg.ttl"
TURTLE_FILES = (ONTOLOGY_FILE, "fact-bases.ttl", "comparators.ttl", "statuses.ttl", "initiatives.ttl", "platform-kinds.ttl",
                "style.ttl")
SHAPES_FILE = "shapes.ttl"
DIVISIONS_FILE = "divisions.csv"
ABBREVIATIONS_FILE = "province-abbreviations.csv"
TILES_FILE = "province-tiles.csv"


def ontology_dir() -> Path:
    """The installed copy (``kg/ontology_data``) or, in a checkout, ``<repo>/ontology``."""
    here = Path(__file__).resolve().parent
    package = here.parent  # kg/
    for candidate in (package / "ontology_data", package.parent / "ontology"):
        if (candidate / TURTLE_FILES[0]).is_file():
            return candidate
    raise OntologyError("ontology files not found", fix="reinstall govkg: pip install .")


def _parse(path: Path):
    from rdflib import Graph

    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise OntologyError(f"{path}: missing", fix="reinstall govkg") from None
    except Exception as exc:  # rdflib raises several parser-specific types
        raise OntologyError(f"{path}: {exc}", fix="fix the Turtle syntax at that line") from None
    return graph


def _triples(path: Path) -> list[tuple]:
    """A Turtle file's statements as rdflib triples, parsed by Oxigraph: rdflib's parser took
    0.6–1 s for the ontology's files at the start of every command that reads them (report,
    viz, build), Oxigraph's a few milliseconds (the same triples: tests/test_ontology.py)."""
    import pyoxigraph as ox

    try:
        parsed = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except FileNotFoundError:
        raise OntologyError(f"{path}: missing", fix="reinstall govkg") from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise OntologyError(f"{path}: {str(exc).splitlines()[0]}", fix="fix the Turtle syntax at that line") from None
    return [(rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)) for t in parsed]


@functools.lru_cache(maxsize=1)
def ontology_graph():
    """The ontology and its vocabularies as one rdflib Graph (parsed once per process)."""
    from rdflib import Graph

    graph = Graph()
    base = ontology_dir()
    graph.addN((s, p, o, graph) for name in TURTLE_FILES for s, p, o in _triples(base / name))
    return graph


@functools.lru_cache(maxsize=1)
def shapes_graph():
    return _parse(ontology_dir() / SHAPES_FILE)


def _local(iri) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _zh(graph, subject, predicate) -> str | None:
    for value in graph.objects(subject, predicate):
        if getattr(value, "language", None) == "zh":
            return str(value)
    return None


def _en(graph, subject, predicate) -> str | None:
    for value in graph.objects(subject, predicate):
        if getattr(value, "language", None) == "en":
            return str(value)
    return None


@dataclass(frozen=True)
class Cue:
    word: str
    target: str  # IRI or class local name the cue points to
    priority: int


def _cues(predicate_local: str, *, as_local: bool) -> tuple[Cue, ...]:
    from rdflib import Namespace

    gk = Namespace("https://w3id.org/govkg/ns#")
    graph = ontology_graph()
    cues = []
    for subject, word in graph.subject_objects(gk[predicate_local]):
        priority = graph.value(subject, gk.cuePriority)
        target = _local(subject) if as_local else str(subject)
        cues.append(Cue(str(word), target, int(priority) if priority is not None else 0))
    # Longest cue first, then priority, so "行动方案" beats "方案" and results never depend on parse order.
    return tuple(sorted(cues, key=lambda c: (-len(c.word), -c.priority, c.word, c.target)))


@functools.lru_cache(maxsize=1)
def genre_cues() -> tuple[Cue, ...]:
    """Title suffix -> document class local name (Plan, ImplementationScheme ...)."""
    return _cues("titleCue", as_local=True)


@functools.lru_cache(maxsize=1)
def body_cues() -> tuple[Cue, ...]:
    """Phrases a document uses of itself (本办法, 现提出如下意见) -> document class local name."""
    return _cues("bodyCue", as_local=True)


@functools.lru_cache(maxsize=1)
def document_genres() -> dict[str, str]:
    """Every name of a document class (local name, zh and en label) -> its local name."""
    from rdflib import RDFS, Namespace

    gk = Namespace("https://w3id.org/govkg/ns#")
    graph = ontology_graph()
    names = {}
    for subject in graph.transitive_subjects(RDFS.subClassOf, gk.Document):
        local = _local(subject)
        names[local] = local
        for label in graph.objects(subject, RDFS.label):
            names[str(label)] = local
    return names


@functools.lru_cache(maxsize=1)
def platform_kind_cues() -> tuple[Cue, ...]:
    return _cues("nameCue", as_local=False)


@functools.lru_cache(maxsize=1)
def platform_kind_words() -> CueWords:
    """The kind words of :func:`platform_kind_cues` in their order, compiled for lookups."""
    return CueWords(tuple(c.word for c in platform_kind_cues()))


@functools.lru_cache(maxsize=1)
def text_cues() -> tuple[Cue, ...]:
    """Cue words for comparators and statuses."""
    return _cues("textCue", as_local=False)


@dataclass(frozen=True)
class Concept:
    iri: str
    label: str
    label_en: str | None
    labels: tuple[str, ...]  # every zh/en prefLabel and altLabel
    broader: str | None


@functools.lru_cache(maxsize=1)
def initiatives() -> dict[str, Concept]:
    """Initiative concepts by IRI."""
    from rdflib import RDF, Namespace
    from rdflib.namespace import SKOS

    gk = Namespace("https://w3id.org/govkg/ns#")
    graph = ontology_graph()
    concepts = {}
    for subject in sorted(set(graph.subjects(RDF.type, gk.Initiative))):
        labels = sorted({str(v) for p in (SKOS.prefLabel, SKOS.altLabel) for v in graph.objects(subject, p)})
        broader = graph.value(subject, SKOS.broader)
        concepts[str(subject)] = Concept(
            iri=str(subject),
            label=_zh(graph, subject, SKOS.prefLabel) or _local(subject),
            label_en=_en(graph, subject, SKOS.prefLabel),
            labels=tuple(labels),
            broader=str(broader) if broader is not None else None,
        )
    if not concepts:
        raise OntologyError("initiatives.ttl defines no gk:Initiative", fix="restore ontology/initiatives.ttl")
    return concepts


def class_label(local: str, lang: str = "zh") -> str:
    from rdflib import RDFS, Namespace

    gk = Namespace("https://w3id.org/govkg/ns#")
    pick = _zh if lang == "zh" else _en
    return pick(ontology_graph(), gk[local], RDFS.label) or local


@functools.lru_cache(maxsize=1)
def class_styles() -> dict[str, dict[str, str]]:
    """Class local name -> {"color": ..., "shape": ..., and "size" where given} from style.ttl."""
    from rdflib import Namespace

    gk = Namespace("https://w3id.org/govkg/ns#")
    graph = ontology_graph()
    styles = {}
    for subject, color in graph.subject_objects(gk.styleColor):
        styles[_local(subject)] = {"color": str(color), "shape": str(graph.value(subject, gk.styleShape) or "dot")}
        size = graph.value(subject, gk.styleSize)
        if size is not None:
            styles[_local(subject)]["size"] = str(size)
    return styles


@functools.lru_cache(maxsize=None)
def class_style(local: str) -> dict[str, str] | None:
    """The style of a class (:func:`class_styles`), or of its nearest styled superclass; None if none is."""
    from rdflib import RDFS, Namespace

    gk = Namespace("https://w3id.org/govkg/ns#")
    styles = class_styles()
    for cls in ontology_graph().transitive_objects(gk[local], RDFS.subClassOf):
        if str(cls).startswith(str(gk)) and _local(cls) in styles:
            return styles[_local(cls)]
    return None


@functools.lru_cache(maxsize=None)
def functional_properties(class_local: str) -> frozenset[str]:
    """Property IRIs a class may have at most one value of (``sh:maxCount 1`` in shapes.ttl)."""
    from rdflib import RDFS, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    gk = Namespace("https://w3id.org/govkg/ns#")
    shapes, ontology = shapes_graph(), ontology_graph()
    classes = {gk[class_local]} | set(ontology.transitive_objects(gk[class_local], RDFS.subClassOf))
    result = set()
    for shape in shapes.subjects(sh.targetClass, None):
        if not classes & set(shapes.objects(shape, sh.targetClass)):
            continue
        for prop in shapes.objects(shape, sh.property):
            if str(shapes.value(prop, sh.maxCount)) == "1":
                result.add(str(shapes.value(prop, sh.path)))
    return frozenset(result)


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    parent: str | None
    level: str  # province | prefecture | county

    @property
    def type(self) -> str:
        return {"province": "Province", "prefecture": "City", "county": "District"}[self.level]


def _csv_rows(name: str) -> tuple[Path, list[dict]]:
    path = ontology_dir() / name
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return path, list(csv.DictReader(handle))
    except OSError as exc:
        raise OntologyError(f"{path}: {exc.strerror}", fix="reinstall govkg") from None


@functools.lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Every province-, prefecture- and county-level division of China by GB/T 2260 code."""
    path, rows = _csv_rows(DIVISIONS_FILE)
    result = {}
    for line, row in enumerate(rows, start=2):
        code = row.get("code") or ""
        if len(code) != 6 or not code.isdigit() or not row.get("name"):
            raise OntologyError(f"{path}:{line}: bad division row {row!r}", fix="regenerate with tools/divisions_from_npm.py")
        if code in result or row["parent"] == code:
            raise OntologyError(f"{path}:{line}: division {code} appears twice or contains itself",
                                fix="regenerate with tools/divisions_from_npm.py")
        result[code] = Division(code, row["name"], row["parent"] or None, row["level"])
    return result


@functools.lru_cache(maxsize=1)
def province_abbreviations() -> dict[str, str]:
    """One-character abbreviations of the province-level divisions (简称: 鲁, 豫, 赣 …) -> code.
    Government brands are made of them (invented examples: 晋事通, 苏安码)."""
    _, rows = _csv_rows(ABBREVIATIONS_FILE)
    return {abbreviation: row["code"] for row in rows
            for abbreviation in (row["abbreviation"], row.get("alternative") or "") if abbreviation}


@dataclass(frozen=True)
class Tile:
    label: str  # short name written on the tile
    row: int
    col: int


@functools.lru_cache(maxsize=1)
def province_tiles() -> dict[str, Tile]:
    """Each province-level division's tile on a map of China drawn as a grid cartogram (one
    square per division, roughly where it lies; no boundary data), by division code."""
    path, rows = _csv_rows(TILES_FILE)
    result: dict[str, Tile] = {}
    for line, row in enumerate(rows, start=2):
        place = row.get("row", ""), row.get("col", "")
        if not all(p.isdigit() for p in place) or row.get("code") not in divisions() or not row.get("label"):
            raise OntologyError(f"{path}:{line}: bad tile {row!r}", fix="give a province code, a label and row,col numbers")
        tile = Tile(row["label"], int(place[0]), int(place[1]))
        if row["code"] in result or any((t.row, t.col) == (tile.row, tile.col) for t in result.values()):
            raise OntologyError(f"{path}:{line}: tile {row['code']} repeated or on a taken square", fix="give it a free row,col")
        result[row["code"]] = tile
    return result
