"""The to_rdf stage: extractions -> one named graph per source file, as pyoxigraph triples.

Terms are built as pyoxigraph terms directly (an rdflib Literal costs ten times as much to make,
and every statement of a build passes through here); :func:`to_dataset` converts to rdflib only
for the in-memory build's graph. Literal datatypes come from the ontology (``rdfs:range`` of
each gk: property), so the mapping from Python values to RDF is not restated here.
"""
from __future__ import annotations

import datetime
import decimal
import functools
from dataclasses import dataclass

from kg.core import iris
from kg.core.model import Entity, Evidence, Extraction, IssueInfo, Ref, Relation, Source
from kg.core.namespaces import EVIDENCE_GRAPH, ONTOLOGY_GRAPH, PREFIXES, bind_prefixes, expand
from kg.core.ontology import ontology_graph
from kg.core.ontology import TURTLE_FILES, divisions, ontology_dir
from kg.core.regions import COUNTRY_CODE, short_forms
from kg.store.rdfio import ntriples, ox_term, rdflib_triples

# Properties whose values are Chinese prose and so carry @zh; every other string is plain.
_TEXT_IN_CHINESE = {"http://purl.org/dc/terms/title", "http://www.w3.org/2000/01/rdf-schema#label",
                    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel"}
DIVISIONS_DATASET = "https://w3id.org/govkg/dataset/divisions"
_XSD = "http://www.w3.org/2001/XMLSchema#"


@functools.lru_cache(maxsize=None)
def _range_of(predicate: str) -> str | None:
    from rdflib import RDFS, URIRef

    value = ontology_graph().value(URIRef(predicate), RDFS.range)
    return str(value) if value is not None else None


@functools.lru_cache(maxsize=None)
def node(iri: str):
    """The pyoxigraph named node of an IRI (the vocabulary's few hundred are made once)."""
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _literal(predicate: str, value):
    import pyoxigraph as ox

    datatype = _range_of(predicate)
    if datatype == _XSD + "gYear":
        return ox.Literal(f"{int(value):04d}", datatype=node(_XSD + "gYear"))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=node(_XSD + "boolean"))
    if isinstance(value, datetime.date):
        return ox.Literal(value.isoformat(), datatype=node(_XSD + "date"))
    if isinstance(value, decimal.Decimal) or datatype == _XSD + "decimal":
        from rdflib import XSD, Literal  # rdflib's canonical decimal lexical form (95.0 -> 95), as before

        return ox_term(Literal(decimal.Decimal(str(value)).normalize(), datatype=XSD.decimal)
                       if not isinstance(value, str) else Literal(value, datatype=XSD.decimal))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=node(_XSD + "integer"))
    if predicate in _TEXT_IN_CHINESE:
        return ox.Literal(str(value), language="zh")
    return ox.Literal(str(value))


def _integer(value: int):
    import pyoxigraph as ox

    return ox.Literal(str(value), datatype=node(_XSD + "integer"))


@functools.lru_cache(maxsize=1)
def _terms() -> dict:
    oa, rdf, rdfs, skos = PREFIXES["oa"], PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["skos"]
    names = {name: iris.term(name) for name in ("evidence", "Evidence", "inDocument", "sourceFile", "sectionPath",
                                                  "Assertion", "SourceFile", "path", "sha256", "encoding",
                                                  "NewsletterIssue")}
    names.update({name: oa + name for name in ("Annotation", "SpecificResource", "TextPositionSelector", "TextQuoteSelector",
                                               "hasBody", "hasTarget", "hasSource", "hasSelector", "motivatedBy", "identifying",
                                               "start", "end", "exact")})
    names.update(type=rdf + "type", subject=rdf + "subject", predicate=rdf + "predicate", object=rdf + "object",
                 label=rdfs + "label", altLabel=skos + "altLabel")
    return {name: node(iri) for name, iri in names.items()}


def _add_evidence(graph, about, evidence: Evidence) -> None:
    """The passage as a W3C Web Annotation: the annotation (``gk:Evidence``, an
    ``oa:Annotation``) has the fact as its body (``oa:hasBody``; the fact points back with
    ``gk:evidence``), identifies it in the text (``oa:motivatedBy oa:identifying``) and targets
    an ``oa:SpecificResource``: the source file (whose text the offsets count in) narrowed by a
    position selector (``oa:start``/``oa:end``) and a quote selector (``oa:exact``). A passage
    supporting several facts is one annotation with several bodies. Every statement made here
    goes to the sink's evidence (:data:`kg.core.namespaces.EVIDENCE_GRAPH` in a build)."""
    import pyoxigraph as ox

    t, triple, add = _terms(), ox.Triple, graph.add_evidence
    iri = iris.evidence(evidence.document, evidence.start, evidence.end)
    annotation = ox.NamedNode(iri)
    add(triple(about, t["evidence"], annotation))
    add(triple(annotation, t["hasBody"], about))
    described = getattr(graph, "annotations", None)  # a sink remembers the passages it has described
    if described is not None:
        if iri in described:
            return
        described.add(iri)
    source = node(iris.source(evidence.source))
    target = ox.NamedNode(iris.evidence_target(iri))
    position, quote = ox.NamedNode(iris.evidence_position(iri)), ox.NamedNode(iris.evidence_quote(iri))
    add(triple(annotation, t["type"], t["Evidence"]))
    add(triple(annotation, t["type"], t["Annotation"]))  # stated, not left to inference, so annotation tools find it
    add(triple(annotation, t["motivatedBy"], t["identifying"]))
    add(triple(annotation, t["inDocument"], node(evidence.document)))
    add(triple(annotation, t["sourceFile"], source))
    if evidence.section:
        add(triple(annotation, t["sectionPath"], ox.Literal(evidence.section)))
    add(triple(annotation, t["hasTarget"], target))
    add(triple(target, t["type"], t["SpecificResource"]))
    add(triple(target, t["hasSource"], source))
    add(triple(target, t["hasSelector"], position))
    add(triple(target, t["hasSelector"], quote))
    add(triple(position, t["type"], t["TextPositionSelector"]))
    add(triple(position, t["start"], _integer(evidence.start)))
    add(triple(position, t["end"], _integer(evidence.end)))
    add(triple(quote, t["type"], t["TextQuoteSelector"]))
    add(triple(quote, t["exact"], ox.Literal(evidence.quote)))


def add_entity(graph, entity: Entity) -> None:
    import pyoxigraph as ox

    t, triple = _terms(), ox.Triple
    subject = ox.NamedNode(entity.iri)
    if entity.type in REGION_TYPES:  # described once in the reference data; only the evidence is the source's
        for evidence in entity.evidence:
            _add_evidence(graph, subject, evidence)
        return
    graph.add(triple(subject, t["type"], node(iris.term(entity.type))))
    if entity.label:
        graph.add(triple(subject, t["label"], ox.Literal(entity.label, language="zh")))
    if entity.label_en:
        graph.add(triple(subject, t["label"], ox.Literal(entity.label_en, language="en")))
    for alias in entity.aliases:
        graph.add(triple(subject, t["altLabel"], ox.Literal(alias, language="zh")))
    for curie, values in entity.props.items():
        predicate = expand(curie)
        for value in values:
            obj = ox.NamedNode(value.iri) if isinstance(value, Ref) else _literal(predicate, value)
            graph.add(triple(subject, node(predicate), obj))
    for evidence in entity.evidence:
        _add_evidence(graph, subject, evidence)


def add_relation(graph, relation: Relation) -> None:
    import pyoxigraph as ox

    t, triple = _terms(), ox.Triple
    predicate_iri = expand(relation.predicate)
    subject, predicate, obj = ox.NamedNode(relation.subject), node(predicate_iri), ox.NamedNode(relation.object)
    graph.add(triple(subject, predicate, obj))
    assertion = ox.NamedNode(iris.assertion(relation.subject, predicate_iri, relation.object))
    graph.add(triple(assertion, t["type"], t["Assertion"]))
    graph.add(triple(assertion, t["subject"], subject))
    graph.add(triple(assertion, t["predicate"], predicate))
    graph.add(triple(assertion, t["object"], obj))
    for evidence in relation.evidence:
        _add_evidence(graph, assertion, evidence)


def add_source(graph, source: Source) -> None:
    import pyoxigraph as ox

    t, triple = _terms(), ox.Triple
    subject = node(iris.source(source.name))
    graph.add(triple(subject, t["type"], t["SourceFile"]))
    graph.add(triple(subject, t["label"], ox.Literal(source.name)))
    graph.add(triple(subject, t["path"], ox.Literal(source.name)))
    graph.add(triple(subject, t["sha256"], ox.Literal(source.sha256)))
    graph.add(triple(subject, t["encoding"], ox.Literal(source.encoding)))
    graph.add(triple(subject, node(expand("dcterms:format")), ox.Literal(source.format)))


def add_issue(graph, issue: IssueInfo, source: Source) -> None:
    import pyoxigraph as ox

    t, triple = _terms(), ox.Triple
    subject = ox.NamedNode(iris.issue(issue.title, issue.number, issue.date))
    graph.add(triple(subject, t["type"], t["NewsletterIssue"]))
    label = f"{issue.title} {issue.number}" + (f"（{issue.total}）" if issue.total else "")
    graph.add(triple(subject, t["label"], ox.Literal(label, language="zh")))
    graph.add(triple(subject, node(expand("dcterms:title")), ox.Literal(issue.title, language="zh")))
    graph.add(triple(subject, node(expand("dcterms:date")), ox.Literal(str(issue.date), datatype=node(_XSD + "date"))))
    graph.add(triple(subject, node(expand("schema:issueNumber")), ox.Literal(str(issue.number))))
    graph.add(triple(subject, t["sourceFile"], node(iris.source(source.name))))


REGION_TYPES = ("Country", "Province", "City", "District")


@functools.lru_cache(maxsize=1)
def reference_triples() -> tuple:
    """Every administrative division (type, zh label, short forms, code, parent) and the
    country, from ``ontology/divisions.csv``. They live once, in the ontology's graph, rather
    than in every source graph that mentions a region: a store's union of source graphs would
    otherwise repeat 中国's label a thousand times and every join through it would multiply."""
    from rdflib import RDF, RDFS, Graph, Literal, URIRef
    from rdflib.namespace import SKOS

    graph = Graph()
    add_reference_data(graph)
    triples = list(graph)
    source = URIRef(DIVISIONS_DATASET)
    country = URIRef(iris.region(COUNTRY_CODE))
    triples += [(country, RDF.type, URIRef(iris.term("Country"))), (country, RDFS.label, Literal("中国", lang="zh")),
                (country, RDFS.label, Literal("China", lang="en")),
                (country, URIRef(iris.term("divisionCode")), Literal(COUNTRY_CODE)),
                (country, URIRef(expand("prov:wasDerivedFrom")), source)]
    code_property, parent_property = URIRef(iris.term("divisionCode")), URIRef(expand("schema:containedInPlace"))
    derived = URIRef(expand("prov:wasDerivedFrom"))
    classes = {name: URIRef(iris.term(name)) for name in ("Province", "City", "District")}
    for division in divisions().values():
        node = URIRef(iris.region(division.code))
        triples += [(node, RDF.type, classes[division.type]), (node, RDFS.label, Literal(division.name, lang="zh")),
                    (node, code_property, Literal(division.code)),
                    (node, parent_property, URIRef(iris.region(division.parent or COUNTRY_CODE))), (node, derived, source)]
        triples += [(node, SKOS.altLabel, Literal(alias, lang="zh")) for alias in short_forms(division)]
    return tuple(triples)


def add_reference_data(graph) -> None:
    from rdflib import RDF, RDFS, Literal, URIRef

    node = URIRef(DIVISIONS_DATASET)
    graph.add((node, RDF.type, URIRef(expand("prov:Entity"))))
    graph.add((node, RDFS.label, Literal("中华人民共和国行政区划代码（GB/T 2260，2023年统计用区划代码）", lang="zh")))
    graph.add((node, RDFS.label, Literal("Administrative divisions of the PRC (GB/T 2260, 2023 statistical codes)", lang="en")))


def source_graph(graph, source: Source, extractions: list[Extraction]) -> None:
    """Add everything extracted from one source to ``graph``."""
    add_source(graph, source)
    for issue in sorted({x.issue for x in extractions if x.issue}, key=lambda i: (i.date, i.number)):
        add_issue(graph, issue, source)
    for extraction in extractions:
        add_entity(graph, extraction.document)
        for entity in extraction.entities:
            add_entity(graph, entity)
        for relation in extraction.relations:
            add_relation(graph, relation)


def vocabulary_triples() -> list:
    """The ontology's named graph: the ontology, its vocabularies and the divisions."""
    return list(ontology_graph()) + list(reference_triples())


def vocabulary_ntriples() -> str:
    """:func:`vocabulary_triples` as N-Triples, the Turtle files parsed by Oxigraph (a store
    build needs no rdflib copy of them)."""
    import pyoxigraph as ox

    parts = [ox.serialize(ox.parse(path=str(ontology_dir() / name), format=ox.RdfFormat.TURTLE),
                          format=ox.RdfFormat.N_TRIPLES).decode("utf-8") for name in TURTLE_FILES]
    return "".join(parts) + ntriples(reference_triples())


class _Sink:
    """Collects one source's triples: its facts (``triples``, its named graph) and its passages
    (``evidence``, the statements :func:`_add_evidence` makes, each passage's annotation
    described once however many facts it supports)."""

    def __init__(self):
        self.triples: list = []
        self.evidence: list = []
        self.annotations: set[str] = set()

    def add(self, triple) -> None:
        self.triples.append(triple)

    def add_evidence(self, triple) -> None:
        self.evidence.append(triple)


class RdflibSink:
    """Adds what :func:`add_entity` and :func:`add_relation` make to an rdflib Graph (for a
    graph built by hand, as tests and benchmarks do)."""

    def __init__(self, graph):
        self.graph = graph

    def add(self, triple) -> None:
        self.graph.add(next(rdflib_triples([triple])))

    add_evidence = add


@dataclass
class BuiltGraph:
    """The build's RDF: ``graph`` holds everything (data and ontology) for querying and
    validation; ``named`` maps each named graph's IRI to its triples, for TriG and stores."""

    graph: object
    named: dict[str, list]  # pyoxigraph triples (the ontology's graph: rdflib ones)


def to_dataset(built: list[tuple[Source, list[Extraction]]], *, include_ontology: bool = True,
               union: bool = True) -> BuiltGraph:
    """One named graph per source file, the evidence graph of every source's passages
    (:data:`kg.core.namespaces.EVIDENCE_GRAPH`), and the ontology's graph; ``union=False``
    leaves out the rdflib graph of everything (``graph`` is then None), which costs as much as
    the rest."""
    from rdflib import Graph

    graph = Graph() if union else None
    if graph is not None:
        bind_prefixes(graph)
    named: dict[str, list] = {}
    evidence: list = []
    for source, extractions in built:
        sink = _Sink()
        source_graph(sink, source, extractions)
        named[iris.document_graph(source.name)] = sink.triples
        evidence.extend(sink.evidence)
        if graph is not None:
            for triple in rdflib_triples(sink.triples + sink.evidence):
                graph.add(triple)
    if evidence:
        named[EVIDENCE_GRAPH] = evidence
    if include_ontology:
        ontology = vocabulary_triples()
        for triple in ontology if graph is not None else ():
            graph.add(triple)
        named[ONTOLOGY_GRAPH] = ontology
    return BuiltGraph(graph=graph, named=named)
