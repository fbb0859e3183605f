"""The graph as flat rows: ``entities``, ``relations`` and ``evidence`` (the tables that
`govkg export` writes, the evaluation scores and the report and graph page draw on).

entities
    One row per region, document, initiative that some region adopts or some document
    mentions (not the whole vocabulary), platform, department, task, goal, data exchange and
    cited work. Every row has every column of the table (:data:`ENTITY_COLUMNS`); a column
    that does not apply to the row's type is null. :func:`columns_for` gives the columns that
    apply to a type. ``id`` is the IRI, ``type`` the ontology class local name, ``label`` the
    zh label, ``region`` the zh label of ``gk:inRegion`` (``gk:governsRegion`` for documents;
    null for regions), ``document`` the IRI of a document stating the entity.
relations
    One row per ``gk:Assertion``: its ``id`` (evidence rows refer to it), ``subject`` and its
    zh label ``subject_label``, ``predicate`` (a CURIE such as ``gk:adopts``), ``object`` and
    ``object_label`` (labels make the table readable in a spreadsheet).
evidence
    One row per (entity or assertion, evidence): ``about``, ``document``, ``start``, ``end``,
    ``quote`` (the source text at ``[start:end]``), ``section`` and ``source`` (file name).

Rows are sorted by IRI (digit runs compared as numbers, so ``doc/x/2`` precedes ``doc/x/10``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Iterator

from kg.core import iris
from kg.core.namespaces import DCTERMS, RDFS, SCHEMA, SKOS
from kg.core.ontology import ontology_graph
from kg.query.evidence import DOCUMENT_PATH, END_PATH, QUOTE_PATH, START_PATH
from kg.query.lookup import curie
from kg.query.sparql import iter_rows, run_query

TABLES = ("entities", "relations", "evidence")

BASE_COLUMNS = ("id", "type", "label", "label_en", "aliases", "region", "document")
RELATION_COLUMNS = ("id", "subject", "subject_label", "predicate", "object", "object_label")
EVIDENCE_COLUMNS = ("about", "document", "start", "end", "quote", "section", "source")
LIST_COLUMNS = frozenset({"aliases", "initiatives", "lead_units", "support_units", "deadlines"})
INT_COLUMNS = frozenset({"period_start", "period_end", "year", "start", "end"})
NUMBER_COLUMNS = frozenset({"value", "value_max"})



def natural_key(text: str) -> tuple:
    """Sort key comparing digit runs as numbers; the raw text breaks ties.

    >>> sorted(["doc/a/10", "doc/a/2"], key=natural_key)
    ['doc/a/2', 'doc/a/10']
    """
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", str(text)))
    return parts, str(text)


# ---------------------------------------------------------------- reading the graph


class _View:
    """Small accessors over the graph; labels and notations of vocabulary terms fall back to
    the ontology, so a graph written without it still exports readable rows."""

    def __init__(self, graph):
        from rdflib import URIRef

        self.graph = graph
        self.uri = URIRef
        self._labels: dict[tuple, str | None] = {}

    def objects(self, subject, predicate: str) -> list:
        return sorted(self.graph.objects(subject, self.uri(predicate)), key=lambda v: natural_key(str(v)))

    def subjects(self, predicate: str, obj) -> list:
        return sorted(self.graph.subjects(self.uri(predicate), obj), key=lambda v: natural_key(str(v)))

    def first(self, subject, predicate: str):
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def _vocabulary_objects(self, node, predicate: str) -> list:
        values = self.objects(node, predicate)
        if not values:
            values = sorted(ontology_graph().objects(node, self.uri(predicate)), key=str)
        return values

    def label(self, node, lang: str = "zh") -> str | None:
        """``rdfs:label`` in ``lang``, else ``skos:prefLabel`` in ``lang``, else an untagged one
        (looked up once per node: the relations table names each region thousands of times)."""
        from rdflib import Literal

        if isinstance(node, Literal):
            return str(node)
        key = (node, lang)
        if key not in self._labels:
            self._labels[key] = self._label(node, lang)
        return self._labels[key]

    def _label(self, node, lang: str) -> str | None:
        untagged = None
        for predicate in (RDFS + "label", SKOS + "prefLabel"):
            values = self._vocabulary_objects(node, predicate)
            tagged = sorted(str(v) for v in values if (getattr(v, "language", None) or "").startswith(lang))
            if tagged:
                return tagged[0]
            plain = sorted(str(v) for v in values if getattr(v, "language", None) is None)
            untagged = untagged or (plain[0] if plain else None)
        return untagged if lang == "zh" else None

    def labels(self, subject, predicate: str) -> list[str]:
        return sorted({self.label(v) or str(v) for v in self.objects(subject, predicate)})

    def notation(self, node) -> str | None:
        values = self._vocabulary_objects(node, SKOS + "notation")
        return str(values[0]) if values else None

    def text(self, subject, predicate: str) -> str | None:
        """A string property: the zh-tagged value if there is one, an IRI's label otherwise."""
        from rdflib import Literal

        values = self.objects(subject, predicate)
        if not values:
            return None
        zh = [v for v in values if (getattr(v, "language", None) or "").startswith("zh")]
        value = (zh or values)[0]
        return str(value) if isinstance(value, Literal) else (self.label(value) or str(value))


def number_value(value) -> int | float | None:
    """A literal's number as int (when whole) or float; None when it is not a number."""
    if value is None:
        return None
    python = value.toPython() if hasattr(value, "toPython") else value
    try:
        number = Decimal(str(python))
    except ArithmeticError:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def year_value(value) -> int | None:
    """The year of an xsd:gYear (or date) literal."""
    if value is None:
        return None
    found = re.match(r"-?\d+", str(value))
    return int(found.group()) if found else None


def _local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=None)
def _subclasses(local: str) -> frozenset[str]:
    """Local names of ``gk:<local>`` and every class below it in the ontology."""
    from rdflib import RDFS, URIRef

    below = ontology_graph().transitive_subjects(RDFS.subClassOf, URIRef(iris.term(local)))
    return frozenset(_local(c) for c in below if str(c).startswith(iris.NS))


def region_types() -> frozenset[str]:
    """Class local names of regions (Country, Province, City, District, Region)."""
    return _subclasses("Region")


def document_types() -> frozenset[str]:
    """Class local names of documents (Plan, ImplementationScheme, …, Article, Document)."""
    return _subclasses("Document")


# ---------------------------------------------------------------- one registry entry per kind of entity


@dataclass(frozen=True)
class _Kind:
    columns: tuple[str, ...]
    fill: Callable[[_View, object, dict], None]
    documents: Callable[[_View, object], list] = lambda view, node: []  # noqa: E731  kind-specific "stated in"


def _fill_region(view: _View, node, row: dict) -> None:
    code = view.first(node, iris.term("divisionCode"))
    row["code"] = str(code) if code is not None else None
    parent = view.first(node, SCHEMA + "containedInPlace")
    row["parent"] = view.label(parent) if parent is not None else None
    row["initiatives"] = view.labels(node, iris.term("adopts"))
    row["region"] = None


def _region_documents(view: _View, node) -> list:
    return view.subjects(iris.term("governsRegion"), node) + view.subjects(iris.term("mentionsRegion"), node)


def _fill_document(view: _View, node, row: dict) -> None:
    row["title"] = view.text(node, DCTERMS + "title")
    row["genre"] = row["type"]
    row["period_start"] = year_value(view.first(node, iris.term("periodStart")))
    row["period_end"] = year_value(view.first(node, iris.term("periodEnd")))
    row["issuer"] = view.text(node, iris.term("issuer"))
    row["doc_number"] = view.text(node, iris.term("documentNumber"))
    governed = view.first(node, iris.term("governsRegion"))
    row["region"] = view.label(governed) if governed is not None else None


def _fill_initiative(view: _View, node, row: dict) -> None:
    row["region"] = None


def _initiative_documents(view: _View, node) -> list:
    return view.subjects(iris.term("mentionsInitiative"), node)


def _fill_platform(view: _View, node, row: dict) -> None:
    kind = view.first(node, iris.term("platformKind"))
    row["kind"] = view.notation(kind) if kind is not None else None
    row["initiatives"] = view.labels(node, iris.term("serves"))


def _fill_department(view: _View, node, row: dict) -> None:
    pass


def _fill_task(view: _View, node, row: dict) -> None:
    row["number"] = view.text(node, iris.term("taskNumber"))
    row["title"] = view.text(node, DCTERMS + "title")
    row["lead_units"] = view.labels(node, iris.term("leadUnit"))
    row["support_units"] = view.labels(node, iris.term("supportUnit"))
    row["deadlines"] = sorted({str(v) for v in view.objects(node, iris.term("deadline"))})
    row["deadline_text"] = view.text(node, iris.term("deadlineText"))


def _task_documents(view: _View, node) -> list:
    return view.objects(node, DCTERMS + "isPartOf")


def _fill_goal(view: _View, node, row: dict) -> None:
    row["indicator"] = view.text(node, iris.term("indicator"))
    value = view.first(node, SCHEMA + "value")
    row["value"] = number_value(value if value is not None else view.first(node, SCHEMA + "minValue"))
    row["value_max"] = number_value(view.first(node, SCHEMA + "maxValue"))
    row["unit"] = view.text(node, SCHEMA + "unitText")
    comparator = view.first(node, iris.term("comparator"))
    row["comparator"] = view.label(comparator) if comparator is not None else None
    row["year"] = year_value(view.first(node, iris.term("targetYear")))


def _fill_data_exchange(view: _View, node, row: dict) -> None:
    status = view.first(node, iris.term("status"))
    row["status"] = None if status is None else (view.notation(status) or _local(status))
    row["initiatives"] = view.labels(node, iris.term("serves"))


def _citing_documents(view: _View, node) -> list:
    return view.subjects(DCTERMS + "references", node)


def _fill_cited_work(view: _View, node, row: dict) -> None:
    row["title"] = view.text(node, DCTERMS + "title")
    row["doc_number"] = view.text(node, iris.term("documentNumber"))


# Kind name -> columns beyond BASE_COLUMNS and how to fill them. Regions and documents are
# families of classes (read from the ontology); every other kind is one class.
KINDS: dict[str, _Kind] = {
    "Region": _Kind(("code", "parent", "initiatives"), _fill_region, _region_documents),
    "Document": _Kind(("title", "genre", "period_start", "period_end", "issuer", "doc_number"), _fill_document),
    "Initiative": _Kind((), _fill_initiative, _initiative_documents),
    "Platform": _Kind(("kind", "initiatives"), _fill_platform),
    "Department": _Kind((), _fill_department),
    "Task": _Kind(("number", "title", "lead_units", "support_units", "deadlines", "deadline_text"), _fill_task,
                  _task_documents),
    "Goal": _Kind(("indicator", "value", "value_max", "unit", "comparator", "year"), _fill_goal),
    "DataExchange": _Kind(("status", "initiatives"), _fill_data_exchange),
    "CitedWork": _Kind(("title", "doc_number"), _fill_cited_work, _citing_documents),
}
# When a node has several exported types, the earlier kind wins (a data exchange that is
# also typed as a platform is exported as a DataExchange).
_KIND_ORDER = ("DataExchange", "Platform", "Department", "Task", "Goal", "CitedWork", "Initiative", "Document", "Region")


def _kind_of_type(type_: str) -> str | None:
    if type_ in KINDS and type_ not in ("Region", "Document"):
        return type_
    if type_ in region_types():
        return "Region"
    if type_ in document_types():
        return "Document"
    return None


def columns_for(type_: str) -> tuple[str, ...]:
    """The entity columns that apply to a type (class local name); the others are null.

    >>> columns_for("Goal")[-6:]
    ('indicator', 'value', 'value_max', 'unit', 'comparator', 'year')
    """
    kind = _kind_of_type(type_)
    if kind is None:
        raise KeyError(type_)
    return BASE_COLUMNS + KINDS[kind].columns


def _union_columns() -> tuple[str, ...]:
    columns = list(BASE_COLUMNS)
    for kind in KINDS.values():
        columns.extend(c for c in kind.columns if c not in columns)
    return tuple(columns)


ENTITY_COLUMNS = _union_columns()


# The nodes of the classes exported (each class looked up in the index, not every rdf:type of
# the graph, which is mostly evidence and annotations), the initiatives some region adopts or
# some document mentions, and the regions the documents speak of (each once) with the regions
# containing them: three queries instead of one lookup per node. The last two ask of each
# initiative and each division whether anything links to it (a lookup each: the vocabulary and
# the reference divisions do not grow with the store), not of every link which node it names.
_TYPED_NODES = """SELECT ?node ?class WHERE { VALUES ?class { %s } ?node a ?class . FILTER(isIRI(?node)) }"""
_USED_INITIATIVES = "SELECT ?i WHERE { ?i a gk:Initiative . FILTER EXISTS { ?x gk:adopts|gk:mentionsInitiative ?i } }"
_SPOKEN_OF_REGIONS = """SELECT DISTINCT ?up WHERE {
  { SELECT DISTINCT ?r WHERE { VALUES ?class { %s } ?r a ?class . FILTER(isIRI(?r))
      FILTER(EXISTS { ?x1 gk:mentionsRegion ?r } || EXISTS { ?x2 gk:governsRegion ?r } || EXISTS { ?x3 gk:inRegion ?r }
             || EXISTS { ?r gk:adopts ?x4 } || EXISTS { ?r gk:evidence ?x5 }) } }
  ?r schema:containedInPlace* ?up }"""
# With kinds asked for: their nodes and every class of those nodes (a class of another kind may
# take precedence), without reading the nodes of the other kinds.
_TYPED_NODES_OF = """SELECT ?node ?class WHERE { VALUES ?wanted { %s } ?node a ?wanted . FILTER(isIRI(?node)) ?node a ?class }"""
ALWAYS_READ = frozenset({"Region", "Initiative"})  # kinds whose rows depend on the rest of the graph


def _exported_classes(kinds: frozenset[str] | None = None) -> str:
    """The classes whose nodes the entities table has rows for (of ``kinds`` only, when given),
    as a VALUES list."""
    names = {k for k in KINDS if k not in ("Region", "Document")} | region_types() | document_types()
    return " ".join(f"<{iris.term(name)}>" for name in sorted(names) if kinds is None or _kind_of_type(name) in kinds)


def _choose(types: set[tuple[str, str]]) -> tuple[str, str]:
    """The (class, kind) a node of several exported classes is exported as."""
    names = {t for t, _ in types}
    # Drop a class that is a superclass of another of the node's classes (PolicyDocument under Plan).
    specific = [(t, k) for t, k in types if not any(o != t and o in _subclasses(t) for o in names)]
    return min(specific or types, key=lambda tk: (_KIND_ORDER.index(tk[1]), tk[0]))


def _entity_types(view: _View, kinds: frozenset[str] | None = None) -> dict:
    """Node -> (class local name, kind name) for every node to export, or for the nodes with a
    class of ``kinds`` (which must include :data:`ALWAYS_READ`)."""
    from rdflib import URIRef

    query = _TYPED_NODES % _exported_classes() if kinds is None else _TYPED_NODES_OF % _exported_classes(kinds)
    candidates: dict = {}
    for node, cls in run_query(view.graph, query).rows:
        kind = _kind_of_type(_local(cls)) if str(cls).startswith(iris.NS) else None
        if kind is not None:
            candidates.setdefault(node, set()).add((_local(cls), kind))
    used = {row[0] for row in run_query(view.graph, _USED_INITIATIVES).rows}
    # Of the 3,000-odd divisions in the reference data, only those the documents speak of.
    region_classes = " ".join(f"<{iris.term(t)}>" for t in sorted(region_types()))
    spoken_of = {row[0] for row in run_query(view.graph, _SPOKEN_OF_REGIONS % region_classes).rows}
    candidates = {URIRef(str(node)): types for node, types in candidates.items()}
    chosen = {}
    for node, types in candidates.items():
        type_, kind = _choose(types)
        if kind == "Initiative" and node not in used:
            continue
        if kind == "Region" and node not in spoken_of:
            continue
        chosen[node] = (type_, kind)
    return chosen


def _document_of(view: _View, node, kind: _Kind, documents: set) -> str | None:
    for candidate in view.objects(node, iris.term("statedIn")) + kind.documents(view, node):
        if candidate in documents:
            return str(candidate)
    found = [view.first(e, iris.term("inDocument")) for e in view.objects(node, iris.term("evidence"))]
    found = sorted((d for d in found if d is not None), key=lambda d: natural_key(str(d)))
    return str(found[0]) if found else None


def entity_types(graph, kinds: frozenset[str] | None = None) -> dict[str, str]:
    """IRI -> type (class local name) of every entity the ``entities`` table has a row for,
    without the rest of the row (three queries); with ``kinds`` (kind names such as ``Platform``,
    ``Region``; :data:`ALWAYS_READ` are added), only the entities with a class of those kinds,
    so the nodes of the other kinds are never read."""
    wanted = None if kinds is None else frozenset(kinds) | ALWAYS_READ
    return {str(node): type_ for node, (type_, _) in _entity_types(_View(graph), wanted).items()}


def entity_type_besides(graph, iri: str, kinds: frozenset[str]) -> str | None:
    """The type :func:`entity_types` gives ``iri`` (None: not an entity), for a node that
    ``entity_types(graph, kinds)`` did not return: None when it has a class of those kinds (it
    was read, and is no entity), else from its classes (a node of none of :data:`ALWAYS_READ`'s
    classes is an entity whatever the rest of the graph says)."""
    from rdflib import RDF, URIRef

    types = {(_local(c), _kind_of_type(_local(c))) for c in graph.objects(URIRef(iri), RDF.type) if str(c).startswith(iris.NS)}
    types = {(t, k) for t, k in types if k is not None}
    if not types or any(k in kinds or k in ALWAYS_READ for _, k in types):
        return None
    return _choose(types)[0]


def entity_names(graph, iri: str) -> dict:
    """The naming columns of one entity's row: ``label``, ``label_en`` and ``aliases``, as
    :func:`entity_rows` gives them."""
    return _names(_View(graph), _View(graph).uri(iri))


def _names(view: _View, node) -> dict:
    label = view.label(node)
    label_en = view.label(node, "en")
    aliases = {str(v) for v in view.objects(node, SKOS + "altLabel")} - {label, label_en, None}
    return {"label": label, "label_en": label_en, "aliases": sorted(aliases)}


def entity_rows(graph) -> list[dict]:
    """The ``entities`` table of ``graph``, sorted by ``id``."""
    return list(streamed_entity_rows(graph))


def streamed_entity_rows(graph) -> Iterator[dict]:
    """The rows of :func:`entity_rows` one at a time, each made as it is written."""
    view = _View(graph)
    types = _entity_types(view)
    documents = {node for node, (_, kind) in types.items() if kind == "Document"}
    for node in sorted(types, key=lambda n: natural_key(str(n))):
        type_, kind_name = types[node]
        kind = KINDS[kind_name]
        row = dict.fromkeys(ENTITY_COLUMNS)
        in_region = view.first(node, iris.term("inRegion"))
        row.update(id=str(node), type=type_, **_names(view, node),
                   region=view.label(in_region) if in_region is not None else None,
                   document=_document_of(view, node, kind, documents))
        kind.fill(view, node, row)
        yield row


_ASSERTIONS = """SELECT ?assertion ?subject ?predicate ?object WHERE {
  ?assertion a gk:Assertion ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object }"""

# The evidence table in reads of one graph each (kg.query.default_graph), none holding more than a
# chunk: the links as the store gives them, then each chunk of evidence nodes' passages and files.
_EVIDENCE_LINKS = "SELECT ?about ?evidence WHERE { ?about gk:evidence ?evidence }"
_PASSAGES = f"""SELECT ?evidence ?document ?start ?end ?section ?exact WHERE {{ VALUES ?evidence {{ %s }}
  OPTIONAL {{ ?evidence {DOCUMENT_PATH} ?document }} OPTIONAL {{ ?evidence {START_PATH} ?start }}
  OPTIONAL {{ ?evidence {END_PATH} ?end }} OPTIONAL {{ ?evidence gk:sectionPath ?section }}
  OPTIONAL {{ ?evidence {QUOTE_PATH} ?exact }} }}"""
_SOURCE_FILES = "SELECT ?evidence ?file WHERE { VALUES ?evidence { %s } ?evidence gk:sourceFile ?file }"
_RELATIONS_AMONG = """SELECT ?assertion WHERE { VALUES ?assertion { %s } # (as a join: a scan of every assertion)
  FILTER EXISTS { ?assertion a gk:Assertion ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object } }"""
_FILE_PATHS = "SELECT ?file ?path WHERE { ?file gk:path ?path }"
_EVIDENCE_CHUNK = 2000  # evidence nodes read at a time


def _merge_first(best: list, values) -> None:
    """Keep in ``best`` the first value in natural order of each cell (what :meth:`_View.first` picks)."""
    for index, value in enumerate(values):
        if value is None or value == best[index]:
            continue
        if best[index] is None or natural_key(str(value)) < natural_key(str(best[index])):
            best[index] = value


def _first_values(rows, key_width: int) -> dict[tuple, list]:
    """Rows grouped by their first ``key_width`` cells; each other cell: the first value in
    natural order of those the group's rows give (what :meth:`_View.first` picks)."""
    grouped: dict[tuple, list] = {}
    for row in rows:
        key, values = tuple(row[:key_width]), row[key_width:]
        _merge_first(grouped.setdefault(key, [None] * len(values)), values)
    return grouped


def _runs_first_values(rows, key_width: int) -> Iterator[tuple[tuple, list]]:
    """:func:`_first_values` over runs of rows with the same key, as they come: the store gives
    a subject's optional values one after the other, so nothing is held but the current run."""
    key, best = None, None
    for row in rows:
        if tuple(row[:key_width]) != key:
            if key is not None:
                yield key, best
            key, best = tuple(row[:key_width]), [None] * (len(row) - key_width)
        _merge_first(best, row[key_width:])
    if key is not None:
        yield key, best


def assertions(graph) -> list[tuple]:
    """(assertion, subject, predicate, object) of every ``gk:Assertion`` (rdflib terms), in one query."""
    return [(node, *values) for (node,), values in _first_values(run_query(graph, _ASSERTIONS).rows, 1).items()]


def _relation_row(view: _View, node, subject, predicate, obj) -> dict:
    return {"id": str(node), "subject": str(subject), "subject_label": view.label(subject) or None,
            "predicate": curie(str(predicate)), "object": str(obj), "object_label": view.label(obj) or None}


def relation_rows(graph) -> list[dict]:
    """The ``relations`` table: one row per ``gk:Assertion``, sorted by subject, predicate, object."""
    view = _View(graph)
    rows = [_relation_row(view, *assertion) for assertion in assertions(graph)]
    return sorted(rows, key=lambda r: (natural_key(r["subject"]), r["predicate"], natural_key(r["object"]), r["id"]))


def streamed_relation_rows(graph) -> Iterator[dict]:
    """The rows of :func:`relation_rows` one at a time, in the order the store gives them."""
    view = _View(graph)
    for (node,), values in _runs_first_values(iter_rows(graph, _ASSERTIONS), 1):
        yield _relation_row(view, node, *values)


def _evidence_row(subject, document, start, end, path, section, exact) -> dict:
    return {
        "about": str(subject),
        "document": str(document) if document is not None else None,
        "start": int(start) if start is not None else None,
        "end": int(end) if end is not None else None,
        "quote": str(exact) if exact is not None else None,
        "section": str(section) if section is not None else None,
        "source": str(path) if path is not None else None,
    }


def _evidence_passages(graph, evidence_nodes: list, paths: dict[str, list]) -> dict:
    """evidence -> [document, start, end, source path, section, quote], each the first value in
    natural order (as :meth:`_View.first` picks); ``paths``: each source file's paths."""
    values = " ".join(f"<{e}>" for e in evidence_nodes)
    found = _first_values(run_query(graph, _PASSAGES % values).rows, 1)
    sources: dict = {}
    for evidence, file in run_query(graph, _SOURCE_FILES % values).rows:
        _merge_first(sources.setdefault(evidence, [None]), [min(paths.get(str(file), [None]), key=lambda p: natural_key(str(p)))])
    passages = {evidence: found.get((evidence,), [None] * 5) for evidence in evidence_nodes}
    return {e: [*p[:3], sources.get(e, [None])[0], *p[3:]] for e, p in passages.items()}


def evidence_rows(graph, *, about: Iterable[str] | None = None) -> list[dict]:
    """The ``evidence`` table: one row per (entity or assertion, evidence). ``about`` limits it
    to those IRIs (default: every exported entity and every assertion)."""
    if about is None:
        about = [r["id"] for r in entity_rows(graph)] + [r["id"] for r in relation_rows(graph)]
    return sorted(streamed_evidence_rows(graph, about=set(about)), key=lambda r: (
        natural_key(r["about"]), natural_key(r["document"] or ""), r["start"] or 0, r["end"] or 0))


def streamed_evidence_rows(graph, *, about: set[str], relations: bool = False) -> Iterator[dict]:
    """The rows of :func:`evidence_rows` about ``about`` (with ``relations``, and every assertion
    :func:`relation_rows` gives) one at a time, in the store's order, a chunk at a time."""
    paths: dict[str, list] = {}
    for file, path in run_query(graph, _FILE_PATHS).rows:
        paths.setdefault(str(file), []).append(path)
    chunk: list[tuple] = []
    evidence_nodes: dict = {}

    def flush():
        others = sorted({str(a) for a, _ in chunk} - about) if relations else []
        among = {str(row[0]) for row in run_query(graph, _RELATIONS_AMONG % " ".join(f"<{a}>" for a in others)).rows} \
            if others else set()
        links = [(a, evidence) for a, evidence in chunk if str(a) in about or str(a) in among]
        passages = _evidence_passages(graph, list(dict.fromkeys(evidence for _, evidence in links)), paths)
        yield from (_evidence_row(a, *passages[evidence]) for a, evidence in links)
        chunk.clear()
        evidence_nodes.clear()

    for subject, evidence in iter_rows(graph, _EVIDENCE_LINKS):
        if not relations and str(subject) not in about:
            continue
        if evidence not in evidence_nodes and len(evidence_nodes) >= _EVIDENCE_CHUNK:
            yield from flush()
        evidence_nodes[evidence] = None
        chunk.append((subject, evidence))
    if chunk:
        yield from flush()


def tables(graph) -> dict[str, list[dict]]:
    """All three tables in memory: ``{"entities": [...], "relations": [...], "evidence": [...]}``."""
    entities = entity_rows(graph)
    relations = relation_rows(graph)
    evidence = evidence_rows(graph, about=[r["id"] for r in entities] + [r["id"] for r in relations])
    return {"entities": entities, "relations": relations, "evidence": evidence}


TABLE_COLUMNS = {"entities": ENTITY_COLUMNS, "relations": RELATION_COLUMNS, "evidence": EVIDENCE_COLUMNS}


def jaccard(a: set, b: set) -> float:
    """Jaccard similarity of two sets (of adopted initiatives, in the report and the analysis
    commands): |a ∩ b| / |a ∪ b|; 0.0 when both are empty.

    >>> jaccard({"一网通办", "政务云"}, {"一网通办"})
    0.5
    """
    union = a | b
    return len(a & b) / len(union) if union else 0.0
