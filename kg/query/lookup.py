"""Resolving names the way people type them, and describing one entity with its evidence."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from kg.core import iris
from kg.core.errors import NotFoundError
from kg.core.namespaces import OA, PREFIXES
from kg.core.regions import resolve_name
from kg.query.evidence import passage

_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
           "http://www.w3.org/2004/02/skos/core#altLabel", "http://purl.org/dc/terms/title")
_SKIP_TYPES = {iris.term("Evidence"), iris.term("Assertion")}


def _label_index(graph) -> dict[str, set[str]]:
    from rdflib import RDF, URIRef

    index: dict[str, set[str]] = {}
    for predicate in _LABELS:
        for subject, label in graph.subject_objects(URIRef(predicate)):
            if not isinstance(subject, URIRef):
                continue
            if any(str(t) in _SKIP_TYPES for t in graph.objects(subject, RDF.type)):
                continue
            index.setdefault(str(label), set()).add(str(subject))
            index.setdefault(str(label).casefold(), set()).add(str(subject))
    return index


def label_of(graph, node) -> str:
    from rdflib import RDFS, Literal, URIRef
    from rdflib.namespace import SKOS

    if isinstance(node, Literal):
        return str(node)
    labels = list(graph.objects(URIRef(str(node)), RDFS.label)) + list(graph.objects(URIRef(str(node)), SKOS.prefLabel))
    zh = [str(v) for v in labels if getattr(v, "language", None) == "zh"]
    if zh:
        return sorted(zh)[0]
    if labels:
        return sorted(str(v) for v in labels)[0]
    text = str(node)
    for prefix, namespace in _prefixes().items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def _prefixes() -> dict[str, str]:
    return PREFIXES


def curie(iri: str) -> str:
    for prefix, namespace in _prefixes().items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def resolve_entity(graph, name: str, *, types: tuple[str, ...] = ()) -> str:
    """The IRI ``name`` denotes in ``graph``: a division code or name (青岛, 青岛市, 370200),
    a label or altLabel (一网通办, One-network service), or a full IRI. With ``types``
    (class local names), only entities of those classes count."""
    from rdflib import RDF, URIRef

    wanted = {iris.term(t) for t in types}

    def admissible(iri: str) -> bool:
        if (URIRef(iri), None, None) not in graph:
            return False
        return not wanted or any(str(t) in wanted for t in graph.objects(URIRef(iri), RDF.type))

    name = name.strip()
    if name.startswith(("http://", "https://")):
        if admissible(name):
            return name
        raise NotFoundError(f"'{name}' is not in the graph")
    region_codes = [code for code in resolve_name(name) if admissible(iris.region(code))]
    if len(region_codes) == 1:
        return iris.region(region_codes[0])
    index = _label_index(graph)
    candidates = sorted(i for i in index.get(name, set()) | index.get(name.casefold(), set()) if admissible(i))
    if not candidates and region_codes:
        candidates = [iris.region(c) for c in region_codes]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        shown = [f"{label_of(graph, URIRef(c))} <{c}>" for c in candidates[:8]]
        raise NotFoundError(f"'{name}' is ambiguous: {len(candidates)} entities have that name", candidates=shown)
    pool = sorted({label for label, found in index.items() if any(admissible(i) for i in found)})
    close = difflib.get_close_matches(name, pool, n=5, cutoff=0.3) or [p for p in pool if name in p or p in name][:5]
    raise NotFoundError(f"no entity named '{name}'", candidates=close)


def evidence_of(graph, about) -> list[dict]:
    from rdflib import URIRef

    rows = []
    for node in graph.objects(URIRef(str(about)), URIRef(iris.term("evidence"))):
        found = passage(graph, node)
        document = found.document
        rows.append({
            "document": label_of(graph, document) if document is not None else None,
            "document_iri": str(document) if document is not None else None,
            "section": str(graph.value(node, URIRef(iris.term("sectionPath"))) or ""),
            "start": found.start,
            "end": found.end,
            "quote": found.quote,
        })
    return sorted(rows, key=lambda r: (r["document_iri"] or "", r["start"] or 0))


def describe(graph, iri: str):
    from rdflib import RDF, URIRef

    node = URIRef(iri)
    assertion_type = URIRef(iris.term("Assertion"))
    types = sorted(curie(str(t)) for t in graph.objects(node, RDF.type))
    properties = []
    for predicate, value in graph.predicate_objects(node):
        if predicate in (RDF.type, URIRef(iris.term("evidence"))):
            continue
        properties.append((curie(str(predicate)), label_of(graph, value)))
    incoming = []
    for subject, predicate in graph.subject_predicates(node):
        if (subject, RDF.type, assertion_type) in graph or predicate in (URIRef(iris.term("inDocument")), URIRef(OA + "hasSource")):
            continue
        if (subject, RDF.type, URIRef(iris.term("Evidence"))) in graph:
            continue
        incoming.append((label_of(graph, subject), curie(str(predicate))))
    quotes = [dict(row, about="entity") for row in evidence_of(graph, node)]
    for position in (RDF.subject, RDF.object):
        for assertion in graph.subjects(position, node):
            if (assertion, RDF.type, assertion_type) not in graph:
                continue
            predicate = curie(str(graph.value(assertion, RDF.predicate)))
            other = graph.value(assertion, RDF.object if position == RDF.subject else RDF.subject)
            about = f"{predicate} {label_of(graph, other)}" if position == RDF.subject else f"{label_of(graph, other)} {predicate}"
            quotes.extend(dict(row, about=about) for row in evidence_of(graph, assertion))
    return EntityView(iri=iri, types=types, label=label_of(graph, node), properties=sorted(set(properties)),
                      incoming=sorted(set(incoming)), quotes=quotes)


@dataclass
class EntityView:
    iri: str
    types: list[str]
    label: str
    properties: list[tuple[str, str]]  # (predicate CURIE, value label)
    incoming: list[tuple[str, str]]  # (subject label, predicate CURIE)
    quotes: list[dict]  # {"document", "section", "start", "end", "quote", "about"}
