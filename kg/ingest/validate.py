"""The validate stage: SHACL shapes from ``ontology/shapes.ttl`` run by pySHACL."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from kg.ingest.to_rdf import reference_triples
from kg.core import iris
from kg.core.ontology import ontology_graph, shapes_graph
from kg.core.regions import COUNTRY_CODE, ancestors


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


_VOCABULARY_CLASSES = ("Initiative",)  # shapes over the vocabulary itself, checked once, not per source


_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")


def hoist_property_shapes(shapes):
    """The same constraints with every ``sh:property`` of a targeted node shape given that node
    shape's targets and run as a shape of its own.

    Equivalent under SHACL (a property shape with the node shape's targets validates the same
    focus nodes, with the same messages and ``sh:sourceShape``), and it lets pySHACL evaluate
    each property shape once over all its focus nodes: nested, pySHACL re-builds every property
    shape's constraints once per focus node, which made validation most of a build's time.
    Node shapes keep their own node-level constraints (``sh:or`` …)."""
    from rdflib import Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    hoisted = Graph()
    for triple in shapes:
        hoisted.add(triple)
    for node_shape in set(shapes.subjects(sh.property, None)):
        targets = [(sh[t], o) for t in _TARGETS for o in shapes.objects(node_shape, sh[t])]
        if not targets:
            continue  # a shape used only through sh:node keeps its nesting
        for prop in list(shapes.objects(node_shape, sh.property)):
            for predicate, target in targets:
                hoisted.add((prop, predicate, target))
            hoisted.remove((node_shape, sh.property, prop))
    return hoisted


@functools.lru_cache(maxsize=1)
def _data_shapes():
    """The shapes minus those that check the vocabularies (ontology/initiatives.ttl), hoisted."""
    from rdflib import Graph, Namespace, URIRef

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = Graph()
    for triple in shapes_graph():
        shapes.add(triple)
    for local in _VOCABULARY_CLASSES:
        for shape in list(shapes.subjects(sh.targetClass, URIRef(iris.term(local)))):
            shapes.remove((shape, None, None))
    return hoist_property_shapes(shapes)


@functools.lru_cache(maxsize=1)
def _all_shapes():
    return hoist_property_shapes(shapes_graph())


def validate_source_graph(graph) -> ValidationReport:
    """Validate one source's graph on its own: the class hierarchy and the types of the
    vocabulary terms it points at are added for ``sh:class``; the vocabularies themselves are
    not re-validated for every source (their shapes run when the whole graph is validated)."""
    from rdflib import RDF, RDFS

    ontology = ontology_graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        graph.add(triple)
    referenced = set(graph.objects())
    for triple in ontology.triples((None, RDF.type, None)):
        if triple[0] in referenced:
            graph.add(triple)
    # The reference descriptions of the regions this graph points at, and of their parents.
    from rdflib import URIRef

    prefix = iris.region("")
    regions = set()
    for node in referenced | set(graph.subjects()):
        code = str(node)[len(prefix):] if str(node).startswith(prefix) else None
        if code:
            regions |= {URIRef(iris.region(c)) for c in [code, *ancestors(code), COUNTRY_CODE]}
    for triple in reference_triples():
        if triple[0] in regions:
            graph.add(triple)
    return _run(graph, _data_shapes())


def validate_graph(graph) -> ValidationReport:
    """Validate a graph that holds data and ontology (class hierarchy) together."""
    return _run(graph, _all_shapes())


def _run(graph, shapes) -> ValidationReport:
    from pyshacl import validate
    from rdflib import Namespace
    from rdflib.namespace import RDF

    sh = Namespace("http://www.w3.org/ns/shacl#")
    conforms, results, text = validate(graph, shacl_graph=shapes, inference="none", advanced=False,
                                       allow_warnings=True)
    violations = []
    for result in results.subjects(RDF.type, sh.ValidationResult):
        messages = {m.language: str(m) for m in results.objects(result, sh.resultMessage)}
        path = results.value(result, sh.resultPath)
        violations.append(Violation(
            focus=str(results.value(result, sh.focusNode)),
            path=str(path) if path is not None else None,
            message=messages.get("en") or next(iter(messages.values()), ""),
            severity=str(results.value(result, sh.resultSeverity)).rsplit("#", 1)[-1],
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), violations=violations, text=text)
