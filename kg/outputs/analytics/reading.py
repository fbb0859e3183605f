"""Reading the graph for the analyses: rows of the bundled queries, labels and types of
entities, names resolved to IRIs."""
from __future__ import annotations



from kg.core import iris
from kg.query.lookup import label_of, resolve_entity
from kg.query.named import named_query
from kg.query.sparql import run_query
from kg.outputs.analytics.results import Named, _family, _region_types


# ---------------------------------------------------------------------------------- reading

def _rows(graph, name: str, params: dict[str, str] | None = None) -> list[dict]:
    result = run_query(graph, named_query(name, params, graph=graph))
    return [{k: str(v) for k, v in row.items()} for row in result.records()]


class _Describer:
    """Labels, classes and regions of nodes, looked up once each."""

    def __init__(self, graph):
        self.graph = graph
        self._cache: dict[str, tuple[str, str, str]] = {}
        self._named: dict[str, Named] = {}

    def __call__(self, iri: str, fallback_type: str) -> dict:
        if iri not in self._cache:
            from rdflib import RDF, URIRef

            node = URIRef(iri)
            types = sorted(str(t)[len(iris.NS):] for t in self.graph.objects(node, RDF.type) if str(t).startswith(iris.NS))
            type_ = types[0] if types else fallback_type
            if type_ in _region_types():
                region = label_of(self.graph, node)
            else:
                where = self.graph.value(node, URIRef(iris.term("inRegion")))
                region = label_of(self.graph, where) if where is not None else ""
            self._cache[iri] = (label_of(self.graph, node), type_, region)
        label, type_, region = self._cache[iri]
        return {"label": label, "type": type_, "region": region}

    def notation(self, iri: str | None) -> str:
        """skos:notation of a concept such as a platform kind (app, portal …)."""
        from rdflib import URIRef
        from rdflib.namespace import SKOS

        if not iri:
            return ""
        value = self.graph.value(URIRef(iri), SKOS.notation)
        return str(value) if value is not None else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def named(self, iri: str) -> Named:
        from rdflib import URIRef

        if iri not in self._named:
            self._named[iri] = Named(iri, label_of(self.graph, URIRef(iri)))
        return self._named[iri]


def _resolve(graph, name: str, *types: str) -> str:
    wanted: list[str] = []
    for local in types:
        wanted.extend(_family(local))
    return resolve_entity(graph, name, types=tuple(wanted))
