"""The to_rdf stage: extractions -> an rdflib Dataset, one named graph per source file.

Literal datatypes come from the ontology (``rdfs:range`` of each gk: property), so the
mapping from Python values to RDF is not restated here.
"""
from __future__ import annotations

import datetime
import decimal
import functools
from dataclasses import dataclass

from kg.core import iris
from kg.core.model import Entity, Evidence, Extraction, IssueInfo, Ref, Relation, Source
from kg.core.namespaces import ONTOLOGY_GRAPH, PREFIXES, bind_prefixes, expand
from kg.core.ontology import ontology_graph
from kg.core.ontology import TURTLE_FILES, divisions, ontology_dir
from kg.core.regions import COUNTRY_CODE, short_forms
from kg.store.rdfio import ntriples

# Properties whose values are Chinese prose and so carry @zh; every other string is plain.
_TEXT_IN_CHINESE = {"http://purl.org/dc/terms/title", "http://www.w3.org/2000/01/rdf-schema#label",
                    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel"}
DIVISIONS_DATASET = "https://w3id.org/govkg/dataset/divisions"


@functools.lru_cache(maxsize=None)
def _range_of(predicate: str) -> str | None:
    from rdflib import RDFS, URIRef

    value = ontology_graph().value(URIRef(predicate), RDFS.range)
    return str(value) if value is not None else None


def _literal(predicate: str, value):
    from rdflib import XSD, Literal

    datatype = _range_of(predicate)
    if datatype == str(XSD.gYear):
        return Literal(f"{int(value):04d}", datatype=XSD.gYear)
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, (datetime.date,)):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, decimal.Decimal) or datatype == str(XSD.decimal):
        return Literal(decimal.Decimal(str(value)).normalize(), datatype=XSD.decimal) if not isinstance(value, str) else Literal(value, datatype=XSD.decimal)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if predicate in _TEXT_IN_CHINESE:
        return Literal(str(value), lang="zh")
    return Literal(str(value))


@functools.lru_cache(maxsize=1)
def _evidence_terms() -> dict:
    from rdflib import RDF, URIRef

    oa = PREFIXES["oa"]
    names = {"evidence": iris.term("evidence"), "Evidence": iris.term("Evidence"), "inDocument": iris.term("inDocument"),
             "sourceFile": iris.term("sourceFile"), "sectionPath": iris.term("sectionPath")}
    names.update({name: oa + name for name in ("Annotation", "SpecificResource", "TextPositionSelector", "TextQuoteSelector",
                                               "hasBody", "hasTarget", "hasSource", "hasSelector", "motivatedBy", "identifying",
                                               "start", "end", "exact")})
    return {"type": RDF.type, **{name: URIRef(iri) for name, iri in names.items()}}


def _add_evidence(graph, about, evidence: Evidence) -> None:
    """The passage as a W3C Web Annotation: the annotation (``gk:Evidence``, an
    ``oa:Annotation``) has the fact as its body (``oa:hasBody``; the fact points back with
    ``gk:evidence``), identifies it in the text (``oa:motivatedBy oa:identifying``) and targets
    an ``oa:SpecificResource``: the source file (whose text the offsets count in) narrowed by a
    position selector (``oa:start``/``oa:end``) and a quote selector (``oa:exact``). A passage
    supporting several facts is one annotation with several bodies."""
    from rdflib import XSD, Literal, URIRef

    terms, a = _evidence_terms(), _evidence_terms()["type"]
    iri = iris.evidence(evidence.document, evidence.start, evidence.end)
    node, source = URIRef(iri), URIRef(iris.source(evidence.source))
    target, position, quote = URIRef(iris.evidence_target(iri)), URIRef(iris.evidence_position(iri)), URIRef(iris.evidence_quote(iri))
    graph.add((about, terms["evidence"], node))
    graph.add((node, terms["hasBody"], about))
    graph.add((node, a, terms["Evidence"]))
    graph.add((node, a, terms["Annotation"]))  # stated, not left to inference, so annotation tools find it
    graph.add((node, terms["motivatedBy"], terms["identifying"]))
    graph.add((node, terms["inDocument"], URIRef(evidence.document)))
    graph.add((node, terms["sourceFile"], source))
    if evidence.section:
        graph.add((node, terms["sectionPath"], Literal(evidence.section)))
    graph.add((node, terms["hasTarget"], target))
    graph.add((target, a, terms["SpecificResource"]))
    graph.add((target, terms["hasSource"], source))
    graph.add((target, terms["hasSelector"], position))
    graph.add((target, terms["hasSelector"], quote))
    graph.add((position, a, terms["TextPositionSelector"]))
    graph.add((position, terms["start"], Literal(evidence.start, datatype=XSD.integer)))
    graph.add((position, terms["end"], Literal(evidence.end, datatype=XSD.integer)))
    graph.add((quote, a, terms["TextQuoteSelector"]))
    graph.add((quote, terms["exact"], Literal(evidence.quote)))


def add_entity(graph, entity: Entity) -> None:
    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import SKOS

    subject = URIRef(entity.iri)
    if entity.type in REGION_TYPES:  # described once in the reference data; only the evidence is the source's
        for evidence in entity.evidence:
            _add_evidence(graph, subject, evidence)
        return
    graph.add((subject, RDF.type, URIRef(iris.term(entity.type))))
    if entity.label:
        graph.add((subject, RDFS.label, Literal(entity.label, lang="zh")))
    if entity.label_en:
        graph.add((subject, RDFS.label, Literal(entity.label_en, lang="en")))
    for alias in entity.aliases:
        graph.add((subject, SKOS.altLabel, Literal(alias, lang="zh")))
    for curie, values in entity.props.items():
        predicate = expand(curie)
        for value in values:
            obj = URIRef(value.iri) if isinstance(value, Ref) else _literal(predicate, value)
            graph.add((subject, URIRef(predicate), obj))
    for evidence in entity.evidence:
        _add_evidence(graph, subject, evidence)


def add_relation(graph, relation: Relation) -> None:
    from rdflib import RDF, URIRef

    subject, predicate, obj = URIRef(relation.subject), URIRef(expand(relation.predicate)), URIRef(relation.object)
    graph.add((subject, predicate, obj))
    node = URIRef(iris.assertion(relation.subject, str(predicate), relation.object))
    graph.add((node, RDF.type, URIRef(iris.term("Assertion"))))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    for evidence in relation.evidence:
        _add_evidence(graph, node, evidence)


def add_source(graph, source: Source) -> None:
    from rdflib import RDF, RDFS, Literal, URIRef

    node = URIRef(iris.source(source.name))
    graph.add((node, RDF.type, URIRef(iris.term("SourceFile"))))
    graph.add((node, RDFS.label, Literal(source.name)))
    graph.add((node, URIRef(iris.term("path")), Literal(source.name)))
    graph.add((node, URIRef(iris.term("sha256")), Literal(source.sha256)))
    graph.add((node, URIRef(iris.term("encoding")), Literal(source.encoding)))
    graph.add((node, URIRef(expand("dcterms:format")), Literal(source.format)))


def add_issue(graph, issue: IssueInfo, source: Source) -> None:
    from rdflib import RDF, RDFS, XSD, Literal, URIRef

    node = URIRef(iris.issue(issue.title, issue.number, issue.date))
    graph.add((node, RDF.type, URIRef(iris.term("NewsletterIssue"))))
    label = f"{issue.title} {issue.number}" + (f"（{issue.total}）" if issue.total else "")
    graph.add((node, RDFS.label, Literal(label, lang="zh")))
    graph.add((node, URIRef(expand("dcterms:title")), Literal(issue.title, lang="zh")))
    graph.add((node, URIRef(expand("dcterms:date")), Literal(issue.date, datatype=XSD.date)))
    graph.add((node, URIRef(expand("schema:issueNumber")), Literal(issue.number)))
    graph.add((node, URIRef(iris.term("sourceFile")), URIRef(iris.source(source.name))))


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
    """Collects one named graph's triples while adding them to the union graph (one rdflib
    add per triple; the named graphs are only needed for TriG output)."""

    def __init__(self, union):
        self.union = union
        self.triples: list = []

    def add(self, triple) -> None:
        self.triples.append(triple)
        if self.union is not None:
            self.union.add(triple)


@dataclass
class BuiltGraph:
    """The build's RDF: ``graph`` holds everything (data and ontology) for querying and
    validation; ``named`` maps each named graph's IRI to its triples, for TriG and stores."""

    graph: object
    named: dict[str, list]


def to_dataset(built: list[tuple[Source, list[Extraction]]], *, include_ontology: bool = True,
               union: bool = True) -> BuiltGraph:
    """One named graph per source file, plus the ontology's graph; ``union=False`` leaves out
    the rdflib graph of everything (``graph`` is then None), which costs as much as the rest."""
    from rdflib import Graph

    graph = Graph() if union else None
    if graph is not None:
        bind_prefixes(graph)
    named: dict[str, list] = {}
    for source, extractions in built:
        sink = _Sink(graph)
        source_graph(sink, source, extractions)
        named[iris.document_graph(source.name)] = sink.triples
    if include_ontology:
        ontology = vocabulary_triples()
        for triple in ontology if graph is not None else ():
            graph.add(triple)
        named[ONTOLOGY_GRAPH] = ontology
    return BuiltGraph(graph=graph, named=named)
