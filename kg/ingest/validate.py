"""The validate stage: SHACL shapes from ``ontology/shapes.ttl``, compiled into SPARQL and run
by the store in a build (:func:`validate_store`), or run by pySHACL on a graph file
(:func:`validate_graph`, `govkg validate`), the reference the compiled checks are tested against.

The merge policy: the sources are validated together, in the union of their graphs, where they
may disagree (two names of one platform). A shape marked ``gk:checkedWithinSource`` holds in each
source's own graph and is checked there alone, never over the union, where a companion shape
without the mark reports the sources' disagreement as a Warning."""
from __future__ import annotations

import collections
import concurrent.futures
import functools
from dataclasses import dataclass, field

from kg.core import iris
from kg.core.namespaces import EVIDENCE_GRAPH, INTERNAL_GRAPHS, OA, ONTOLOGY_GRAPH, QUERY_GRAPHS
from kg.core.ontology import SHAPES_FILE, ontology_dir, shapes_graph
from kg.ingest.shacl_sparql import Check, compile_shapes, says
from kg.store.rdfio import union_graph


@dataclass
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""


VALIDATION_THREADS = 2  # the checks of validate_store run on this many threads
_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
_WITHIN_SOURCE = iris.NS + "checkedWithinSource"
# Named graphs that are no source's: a source's graph is any other (kg.core.iris.document_graph).
_NOT_SOURCES = frozenset({ONTOLOGY_GRAPH, EVIDENCE_GRAPH, *INTERNAL_GRAPHS})


def hoist_property_shapes(shapes):
    """The same constraints with every ``sh:property`` of a targeted node shape given that node
    shape's targets and run as a shape of its own.

    Equivalent under SHACL (a property shape with the node shape's targets validates the same
    focus nodes, with the same messages and ``sh:sourceShape``), and it lets pySHACL evaluate
    each property shape once over all its focus nodes: nested, pySHACL re-builds every property
    shape's constraints once per focus node, which made validation most of a build's time.
    Node shapes keep their own node-level constraints (``sh:or`` …). A hoisted property shape is
    marked ``gk:checkedWithinSource`` when it is, or when every node shape it was hoisted from
    is (as the compiled checks read the mark: kg/ingest/shacl_sparql.py)."""
    from rdflib import Graph, Literal, Namespace, URIRef

    sh, within = Namespace("http://www.w3.org/ns/shacl#"), URIRef(_WITHIN_SOURCE)
    hoisted = Graph()
    for triple in shapes:
        hoisted.add(triple)
    from_unmarked = set()  # property shapes hoisted from a node shape without the mark
    for node_shape in set(shapes.subjects(sh.property, None)):
        targets = [(sh[t], o) for t in _TARGETS for o in shapes.objects(node_shape, sh[t])]
        deactivated = shapes.value(node_shape, sh.deactivated)
        if not targets or (deactivated is not None and deactivated.toPython() is True):
            continue  # a shape used only through sh:node keeps its nesting; a deactivated one, its properties
        for prop in list(shapes.objects(node_shape, sh.property)):
            for predicate, target in targets:
                hoisted.add((prop, predicate, target))
            hoisted.remove((node_shape, sh.property, prop))
            if not says(shapes, node_shape, "checkedWithinSource"):
                from_unmarked.add(prop)
            elif prop not in from_unmarked:
                hoisted.add((prop, within, Literal(True)))
    for prop in from_unmarked:
        if not says(shapes, prop, "checkedWithinSource"):
            hoisted.remove((prop, within, None))
    return hoisted


def shapes_in_scope(hoisted, *, within_source: bool):
    """The shapes of ``hoisted`` (:func:`hoist_property_shapes`) that pySHACL runs on a source's
    graph (``within_source``: those marked ``gk:checkedWithinSource``) or on the union (the
    others): the rest lose their targets, so they are checked only where a shape in scope
    reaches them through ``sh:node`` and the like."""
    from rdflib import OWL, RDF, RDFS, Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    scoped = Graph()
    for triple in hoisted:
        scoped.add(triple)
    targeted = {s for t in _TARGETS for s in hoisted.subjects(sh[t], None)}
    targeted |= {s for kind in (RDFS.Class, OWL.Class) for s in hoisted.subjects(RDF.type, kind)}
    for shape in targeted:
        if says(hoisted, shape, "checkedWithinSource") != within_source:
            for local in _TARGETS:
                scoped.remove((shape, sh[local], None))
            for kind in (RDFS.Class, OWL.Class):
                scoped.remove((shape, RDF.type, kind))
    return scoped


@functools.lru_cache(maxsize=2)
def _default_shapes(within_source: bool):
    """ontology/shapes.ttl as pySHACL runs it on the union, or on each source's graph."""
    return shapes_in_scope(hoist_property_shapes(shapes_graph()), within_source=within_source)


@functools.lru_cache(maxsize=1)
def _compiled_checks() -> tuple[Check, ...]:
    return tuple(compile_shapes(shapes_graph(), source=str(ontology_dir() / SHAPES_FILE)))


def validate_store(store, *, graphs=QUERY_GRAPHS, focus_graphs: list[str] | None = None,
                   shapes=None, per_source: bool = True) -> ValidationReport:
    """Validate what an Oxigraph store holds in ``graphs`` (by default the union of its data and
    ontology graphs and the evidence graph) in one pass: the shapes (an rdflib Graph; by default
    ontology/shapes.ttl) compiled into SPARQL queries (:mod:`kg.ingest.shacl_sparql`), run by the
    store. ``focus_graphs``: only nodes described in these named graphs, and their sources'
    passages in the evidence graph, are checked (the sources an incremental build rewrote), their
    values still read from ``graphs``. The same results as pySHACL on those graphs
    (:func:`validate_graph`; tests/test_shacl_sparql.py compares them).

    The checks of shapes marked ``gk:checkedWithinSource`` never run over ``graphs``: they run on
    each source's graph alone (every named graph of the store but those of ``graphs``, the
    ontology's, the evidence graph and the store's own; of ``focus_graphs`` only, when given),
    the class hierarchy read from the ontology's graph, as :func:`validate_source` runs them.
    ``per_source=False``: without them and without the other checks a build runs on each source
    as it builds it (:func:`validate_source`)."""
    import pyoxigraph as ox

    checks = _compiled_checks() if shapes is None else compile_shapes(shapes, source="the shapes given")
    within = [check for check in checks if check.within_source and per_source]
    checks = [check for check in checks if not check.within_source and (per_source or not check.per_source)]
    sources = []
    if within:
        sources = focus_graphs if focus_graphs is not None else sorted(
            graph.value for graph in store.named_graphs() if graph.value not in _NOT_SOURCES | {str(g) for g in graphs})
    restrict = ""
    if focus_graphs is not None:
        if not focus_graphs:
            return ValidationReport(conforms=True)
        names = " ".join(f"<{name}>" for name in focus_graphs)
        # A source's passages: the annotations naming the source file its graph describes, their
        # targets and the targets' selectors.
        passages = (f"{{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?file a <{iris.NS}SourceFile> }} GRAPH <{EVIDENCE_GRAPH}> {{ "
                    f"{{ ?this <{iris.NS}sourceFile> ?file }} UNION {{ ?this <{OA}hasSource> ?file }} UNION "
                    f"{{ ?target <{OA}hasSource> ?file ; <{OA}hasSelector> ?this }} }} }}")
        restrict = (f"{{ SELECT DISTINCT ?this WHERE {{ {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?this ?p ?o }} }} "
                    f"UNION {passages} }} }} ")
    read = _GraphsRead(store, graphs)

    def results(check: Check, source: str | None) -> list[Violation]:
        """A check over ``graphs``, or (``source``) one of a source's graph alone."""
        if source is not None:
            return _within_source_results(store, source, [check])
        return [Violation(focus=row["this"].value, path=check.path, message=check.message, severity=check.severity)
                for row in store.query(check.query(restrict), default_graph=[ox.NamedNode(graph) for graph in read.by(check)])]

    # Two threads (Oxigraph evaluates without holding the GIL: 4 checks on the 10,000-document
    # store 17.9 s -> 10.7 s). A sequence path's check holds its steps' joins in memory (1.4 GB
    # there): those run one after the other on one thread, the others are shared by both.
    paths = collections.deque((check, None) for check in checks if (check.path or "").startswith("("))
    others = collections.deque([*((check, None) for check in checks if not (check.path or "").startswith("(")),
                                *((check, source) for source in sources for check in within)])

    def lane(first: collections.deque) -> list[Violation]:
        found = []
        while first or others:
            try:
                check, source = first.popleft() if first else others.popleft()
            except IndexError:  # the other thread took the last one
                break
            found.extend(results(check, source))
        return found

    with concurrent.futures.ThreadPoolExecutor(max_workers=VALIDATION_THREADS) as pool:
        lanes = [pool.submit(lane, paths)] + [pool.submit(lane, collections.deque()) for _ in range(VALIDATION_THREADS - 1)]
        violations = [violation for running in lanes for violation in running.result()]
    return merged_report(ValidationReport(conforms=True), violations)


@functools.lru_cache(maxsize=1)
def _class_hierarchy() -> bytes:
    """The ontology's rdfs:subClassOf statements (its Turtle files) as N-Triples, read once per process."""
    import pyoxigraph as ox

    from kg.core.ontology import TURTLE_FILES

    subclass_of = ox.NamedNode(_SUBCLASS_OF)
    return ox.serialize([triple for name in TURTLE_FILES
                         for triple in ox.parse(path=str(ontology_dir() / name), format=ox.RdfFormat.TURTLE)
                         if triple.predicate == subclass_of], format=ox.RdfFormat.N_TRIPLES) or b""


def validate_source(graph_iri: str, graph_ntriples: bytes, evidence_ntriples: bytes) -> list[Violation]:
    """The results of the checks of shapes marked ``gk:checkedPerSource`` (a source's passages:
    kg/ingest/to_rdf.py mints their IRIs from the source's name, so no other source says anything
    of them) on one source's graph and passages and the ontology's class hierarchy, in an
    in-memory store of their own: what :func:`validate_store` over the whole store reports of
    them, found where the source is built. At 10,000 documents those checks over the store took
    350 of the 458 s its checks took one after the other, and most of their memory; per source
    they take about 40 ms in a worker. A new store each time: Oxigraph's in-memory store keeps
    every term it was given, removed or not (one store for 10,000 sources grew past 1 GB).
    With them, the checks of shapes marked ``gk:checkedWithinSource`` on the source's graph
    alone, as :func:`validate_store` runs them on each source's graph."""
    import pyoxigraph as ox

    store = ox.Store()
    graph, evidence, ontology = ox.NamedNode(graph_iri), ox.NamedNode(EVIDENCE_GRAPH), ox.NamedNode(ONTOLOGY_GRAPH)
    store.load(_class_hierarchy(), format=ox.RdfFormat.N_TRIPLES, to_graph=ontology)
    store.load(graph_ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    store.load(evidence_ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=evidence)
    checks = _compiled_checks()
    violations = [Violation(focus=row["this"].value, path=check.path, message=check.message, severity=check.severity)
                  for check in checks if check.per_source and not check.within_source
                  for row in store.query(check.query(), default_graph=[graph, evidence, ontology])]
    violations += _within_source_results(store, graph_iri, [check for check in checks if check.within_source])
    return sorted(violations, key=lambda v: (v.focus, v.path or "", v.message, v.severity))


def _within_source_results(store, graph_iri: str, checks) -> list[Violation]:
    """The results of ``checks`` (of shapes marked ``gk:checkedWithinSource``) on one source's
    graph alone, the class hierarchy read from the ontology's graph (its labels and its regions
    are reference data, no source's statements)."""
    import pyoxigraph as ox

    return [Violation(focus=row["this"].value, path=check.path, message=check.message, severity=check.severity)
            for check in checks
            for row in store.query(check.query(hierarchy=ONTOLOGY_GRAPH), default_graph=[ox.NamedNode(graph_iri)])]


def merged_report(report: ValidationReport, violations: list[Violation]) -> ValidationReport:
    """``report`` with ``violations`` (found per source) among its own."""
    everything = sorted([*report.violations, *violations], key=lambda v: (v.focus, v.path or "", v.message, v.severity))
    conforms = not any(v.severity == "Violation" for v in everything)
    text = "\n".join(f"{v.severity}: {v.focus} {v.path or ''} {v.message}" for v in everything)
    return ValidationReport(conforms=conforms, violations=everything, text=f"Conforms: {conforms}\n{text}".rstrip())


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


class _GraphsRead:
    """Which of ``graphs`` a check reads: those holding a statement with a predicate its query
    names or an instance of a class it names (or of a subclass), and one holding the class
    hierarchy. Each check then runs on those graphs alone, with the same results: its query
    names the predicate of every statement it can match except ``rdf:type`` and
    ``rdfs:subClassOf``, and reads types only of the classes it names, unless its path is
    ``rdf:type`` (such a check reads every graph). A passage's checks so read the evidence
    graph and the ontology's, not the union of the sources' graphs too: Oxigraph looks a node
    up in every graph of a query's default graph, which made them two to three times slower."""

    def __init__(self, store, graphs):
        self.store, self.graphs = store, [str(graph) for graph in graphs]
        self._holds: dict[tuple[str, str], bool] = {}
        self._kinds: dict[str, str] = {}  # an IRI -> it and its subclasses, as SPARQL terms
        with_hierarchy = [g for g in self.graphs if self._ask(f"GRAPH <{g}> {{ ?a <{_SUBCLASS_OF}> ?b }}")]
        # The ontology's graph, when it holds every subclass statement of ``graphs`` (as a build's
        # store does: its union graph holds the ontology's): a check needs only that one.
        self.with_hierarchy, self.hierarchy = set(with_hierarchy), with_hierarchy
        if with_hierarchy and ONTOLOGY_GRAPH not in self.graphs and self._ask(f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?a ?p ?b }}"):
            stray = " UNION ".join(f"{{ GRAPH <{g}> {{ ?a <{_SUBCLASS_OF}> ?b }} }}" for g in with_hierarchy)
            if not self._ask(f"{{ {stray} }} FILTER NOT EXISTS {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?a <{_SUBCLASS_OF}> ?b }} }}"):
                self.hierarchy = [ONTOLOGY_GRAPH]

    def _ask(self, pattern: str) -> bool:
        return bool(self.store.query(f"ASK {{ {pattern} }}"))

    def holds(self, graph: str, iri: str) -> bool:
        key = (graph, iri)
        if key not in self._holds:
            import pyoxigraph as ox

            if iri not in self._kinds:
                self._kinds[iri] = " ".join(str(row["k"]) for row in self.store.query(
                    f"SELECT DISTINCT ?k WHERE {{ ?k <{_SUBCLASS_OF}>* <{iri}> }}",
                    default_graph=[ox.NamedNode(g) for g in self.hierarchy or self.graphs]))
            self._holds[key] = self._ask(
                f"{{ GRAPH <{graph}> {{ ?s <{iri}> ?o }} }} UNION "
                f"{{ VALUES ?k {{ {self._kinds[iri]} }} GRAPH <{graph}> {{ ?s a ?k }} }}")
        return self._holds[key]

    def by(self, check: Check) -> list[str]:
        import re

        if check.path is not None and _RDF_TYPE in check.path:
            return self.graphs
        names = set(re.findall(r"<([^<>\s]*)>", check.pattern)) - {_RDF_TYPE, _SUBCLASS_OF}
        read = [g for g in self.graphs if any(self.holds(g, iri) for iri in names)]
        if not read:
            return self.graphs
        return read if self.with_hierarchy <= set(read) else read + [g for g in self.hierarchy if g not in read]


def validate_graph(graph, shapes=None) -> ValidationReport:
    """Validate a graph that holds data and ontology (class hierarchy) together with pySHACL,
    against ``shapes`` (an rdflib Graph; by default ontology/shapes.ttl).

    ``graph``: an rdflib Graph, or a Dataset (a TriG or N-Quads file) whose named graphs are the
    sources' (kg.core.iris.document_graph), the ontology's and the evidence graph. The shapes
    marked ``gk:checkedWithinSource`` run on each source's graph with the ontology's class
    hierarchy, the others on the union of all graphs, as :func:`validate_store` runs them. A
    single graph cannot tell its sources apart: the marked shapes are left out, and their
    union companions still warn of what the sources disagree on."""
    from rdflib import RDFS, Dataset, Graph, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if shapes is None:
        union_shapes, within_shapes = _default_shapes(False), _default_shapes(True)
    else:
        hoisted = hoist_property_shapes(shapes)
        union_shapes, within_shapes = (shapes_in_scope(hoisted, within_source=scope) for scope in (False, True))
    if not isinstance(graph, Dataset):
        return _run(graph, union_shapes)
    report = _run(union_graph(graph), union_shapes)
    hierarchy = list(graph.get_context(URIRef(ONTOLOGY_GRAPH)).triples((None, RDFS.subClassOf, None)))
    found = []
    for named in sorted(graph.graphs(), key=lambda context: str(context.identifier)):
        if str(named.identifier) in _NOT_SOURCES or named.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue
        source = Graph()
        for triple in [*named, *hierarchy]:
            source.add(triple)
        found += _run(source, within_shapes).violations
    return merged_report(report, found)


def _run(graph, shapes) -> ValidationReport:
    from pyshacl import validate
    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    conforms, results, text = validate(graph, shacl_graph=shapes, inference="none", advanced=False,
                                       allow_warnings=True)
    violations = []
    for result in results.objects(None, sh.result):  # not the sh:detail results nested in them
        messages = {m.language: str(m) for m in results.objects(result, sh.resultMessage)}
        path = results.value(result, sh.resultPath)
        violations.append(Violation(
            focus=str(results.value(result, sh.focusNode)),
            path=str(path) if path is not None else None,
            message=messages.get("en") or next(iter(messages.values()), ""),
            severity=str(results.value(result, sh.resultSeverity)).rsplit("#", 1)[-1],
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message, v.severity))
    return ValidationReport(conforms=bool(conforms), violations=violations, text=text)
