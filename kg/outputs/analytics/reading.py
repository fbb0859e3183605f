"""Reading the graph for the analyses: rows of the bundled queries, labels and types of
entities, names resolved to IRIs."""
from __future__ import annotations

from kg.core import iris
from kg.query.lookup import curie, label_of, resolve_entity
from kg.query.named import named_query
from kg.query.sparql import run_query
from kg.outputs.analytics.results import Named, _family, _region_types


# ---------------------------------------------------------------------------------- reading

def _rows(graph, name: str, params: dict[str, str] | None = None) -> list[dict]:
    result = run_query(graph, named_query(name, params, graph=graph))
    return [{k: str(v) for k, v in row.items()} for row in result.records()]


# What describing a node needs (its classes, labels and region), for many nodes in two queries:
# the classes (which may be in either graph), then the rest (in the union graph alone, so each is
# one lookup, not two: kg.query.default_graph).
# (One pattern per predicate: with ``VALUES ?p`` Oxigraph scans every statement of the store.)
_FACTS = ["SELECT ?node ?p ?o WHERE { VALUES ?node { %s } " + " UNION ".join(
    f"{{ ?node {p} ?o BIND({p} AS ?p) }}" for p in predicates) + " }"
    for predicates in (("rdf:type",), ("rdfs:label", "skos:prefLabel", "gk:inRegion", "skos:notation"))]
_VALUES_CHUNK = 2000  # IRIs per VALUES block
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"


class _Describer:
    """Labels, classes and regions of nodes, looked up once each; :meth:`read` looks up many
    nodes at once (a query per 2,000 nodes instead of several lookups per node)."""

    def __init__(self, graph):
        self.graph = graph
        self._cache: dict[str, tuple[str, str, str]] = {}
        self._named: dict[str, Named] = {}
        self._facts: dict[str, dict[str, list]] = {}  # IRI -> predicate IRI -> values (rdflib terms)

    def read(self, nodes) -> None:
        """Look up the classes, labels, region and notation of every IRI in ``nodes`` (and the
        labels of their regions) in a few queries, for the calls that follow."""
        self._read({str(n) for n in nodes if n})
        regions = {str(min(f[iris.term("inRegion")], key=str)) for f in self._facts.values() if f.get(iris.term("inRegion"))}
        self._read(regions)

    def _read(self, nodes: set[str]) -> None:
        wanted = sorted(n for n in nodes - set(self._facts) if n.startswith(("http://", "https://", "urn:")))
        for at in range(0, len(wanted), _VALUES_CHUNK):
            chunk = wanted[at:at + _VALUES_CHUNK]
            for node in chunk:
                self._facts[node] = {}
            for facts in _FACTS:
                for node, predicate, value in run_query(self.graph, facts % " ".join(f"<{n}>" for n in chunk)).rows:
                    self._facts[str(node)].setdefault(str(predicate), []).append(value)

    def _label(self, iri: str) -> str:
        """:func:`kg.query.lookup.label_of`, from the facts read when there are some."""
        facts = self._facts.get(iri)
        if facts is None:
            from rdflib import URIRef

            return label_of(self.graph, URIRef(iri))
        labels = [v for p in _LABELS for v in facts.get(p, ())]
        zh = [str(v) for v in labels if getattr(v, "language", None) == "zh"]
        if zh:
            return sorted(zh)[0]
        if labels:
            return sorted(str(v) for v in labels)[0]
        return curie(iri)

    def _value(self, iri: str, predicate: str):
        """``graph.value(iri, predicate)`` (the smallest value as text), from the facts read when there are some."""
        facts = self._facts.get(iri)
        if facts is None:
            from rdflib import URIRef

            return self.graph.value(URIRef(iri), URIRef(predicate))
        values = facts.get(predicate)
        return min(values, key=str) if values else None

    def __call__(self, iri: str, fallback_type: str) -> dict:
        if iri not in self._cache:
            if iri in self._facts:
                classes = self._facts[iri].get(_RDF_TYPE, ())
            else:
                from rdflib import RDF, URIRef

                classes = list(self.graph.objects(URIRef(iri), RDF.type))
            types = sorted(str(t)[len(iris.NS):] for t in classes if str(t).startswith(iris.NS))
            type_ = types[0] if types else fallback_type
            if type_ in _region_types():
                region = self._label(iri)
            else:
                where = self._value(iri, iris.term("inRegion"))
                region = self._label(str(where)) if where is not None else ""
            self._cache[iri] = (self._label(iri), type_, region)
        label, type_, region = self._cache[iri]
        return {"label": label, "type": type_, "region": region}

    def notation(self, iri: str | None) -> str:
        """skos:notation of a concept such as a platform kind (app, portal …)."""
        if not iri:
            return ""
        value = self._value(iri, _NOTATION)
        return str(value) if value is not None else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def named(self, iri: str) -> Named:
        if iri not in self._named:
            self._named[iri] = Named(iri, self._label(iri))
        return self._named[iri]


def _resolve(graph, name: str, *types: str) -> str:
    wanted: list[str] = []
    for local in types:
        wanted.extend(_family(local))
    return resolve_entity(graph, name, types=tuple(wanted))
