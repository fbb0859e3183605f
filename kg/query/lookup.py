"""Resolving names the way people type them, and describing one entity with its evidence."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from kg.core import iris
from kg.core.errors import NotFoundError
from kg.core.namespaces import OA
from kg.core.regions import resolve_name
from kg.query.evidence import DOCUMENT_PATH, END_PATH, QUOTE_PATH, START_PATH
from kg.query.results import curie
from kg.query.sparql import run_query

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
    return curie(str(node))


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


# The passages of many nodes: which evidence states each node (one query per chunk of nodes),
# then what each evidence node says, read once however many nodes it states (the report asks
# for a thousand assertions' quotes, and a passage often states several of them). Both read the
# evidence graph alone (kg.query.default_graph), one lookup per pattern instead of two.
_EVIDENCE_LINKS = "SELECT ?about ?evidence WHERE { VALUES ?about { %s } ?about gk:evidence ?evidence }"
_PASSAGES = f"""SELECT ?evidence ?document ?section ?start ?end ?quote WHERE {{ VALUES ?evidence {{ %s }}
  OPTIONAL {{ ?evidence {DOCUMENT_PATH} ?document }} OPTIONAL {{ ?evidence gk:sectionPath ?section }}
  OPTIONAL {{ ?evidence {START_PATH} ?start }} OPTIONAL {{ ?evidence {END_PATH} ?end }}
  OPTIONAL {{ ?evidence {QUOTE_PATH} ?quote }} }}"""
_VALUES_CHUNK = 1000  # IRIs per VALUES block


def _chunks(iris_: list[str]):
    for at in range(0, len(iris_), _VALUES_CHUNK):
        yield " ".join(f"<{i}>" for i in iris_[at:at + _VALUES_CHUNK])


def passages_of(graph, evidence_nodes) -> dict[str, list]:
    """evidence IRI -> [document, section, start, end, quote] (rdflib terms or None): where the
    graph gives several values, the smallest document and section (as ``graph.value``), the
    first of the others."""
    found: dict[str, list] = {}
    for values in _chunks(sorted({str(e) for e in evidence_nodes})):
        for evidence, document, section, start, end, quote in run_query(graph, _PASSAGES % values).rows:
            known = found.setdefault(str(evidence), [None] * 5)
            for index, value in ((0, document), (1, section)):
                if value is not None and (known[index] is None or str(value) < str(known[index])):
                    known[index] = value
            for index, value in ((2, start), (3, end), (4, quote)):
                known[index] = value if known[index] is None else known[index]
    return found


def evidence_of_all(graph, abouts) -> dict[str, list[dict]]:
    """The passages stating each of ``abouts`` (entities or assertions, IRIs): IRI -> rows as
    :func:`evidence_of` gives them, for every IRI asked (an empty list where there are none)."""
    from rdflib import URIRef

    wanted = sorted({str(a) for a in abouts})
    links = list(dict.fromkeys((str(about), str(evidence)) for values in _chunks(wanted)  # in the store's order
                               for about, evidence in run_query(graph, _EVIDENCE_LINKS % values).rows))
    passages = passages_of(graph, {evidence for _, evidence in links})
    labels: dict[str, str] = {}
    rows: dict[str, list[dict]] = {a: [] for a in wanted}
    for about, evidence in links:
        document, section, start, end, quote = passages.get(evidence, [None] * 5)
        if document is not None and str(document) not in labels:
            labels[str(document)] = label_of(graph, URIRef(str(document)))
        rows[about].append({
            "document": labels[str(document)] if document is not None else None,
            "document_iri": str(document) if document is not None else None,
            "section": str(section or ""),
            "start": int(start) if start is not None else None,
            "end": int(end) if end is not None else None,
            "quote": str(quote) if quote is not None else None,
        })
    for found_rows in rows.values():
        found_rows.sort(key=lambda r: (r["document_iri"] or "", r["start"] or 0))
    return rows


def evidence_of(graph, about) -> list[dict]:
    """The passages stating ``about`` (an entity or an assertion), by document and position."""
    return evidence_of_all(graph, [about])[str(about)]


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
    stated = []  # (assertion, what it says of the entity)
    for position in (RDF.subject, RDF.object):
        for assertion in graph.subjects(position, node):
            if (assertion, RDF.type, assertion_type) not in graph:
                continue
            predicate = curie(str(graph.value(assertion, RDF.predicate)))
            other = graph.value(assertion, RDF.object if position == RDF.subject else RDF.subject)
            stated.append((assertion, f"{predicate} {label_of(graph, other)}" if position == RDF.subject
                           else f"{label_of(graph, other)} {predicate}"))
    passages = evidence_of_all(graph, [node, *(assertion for assertion, _ in stated)])  # all at once
    quotes = [dict(row, about="entity") for row in passages[str(node)]]
    for assertion, about in stated:
        quotes.extend(dict(row, about=about) for row in passages[str(assertion)])
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
