"""The SPARQL engine for remote SPARQL 1.1 Protocol endpoints (the local one, Oxigraph, is built
into :mod:`kg.query.sparql`), and :func:`open_target`, which picks where a command reads the
graph: an endpoint, a graph file (in an in-memory Oxigraph store), or the build's store."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from kg.core.errors import KGError, QueryError
from kg.query.results import QueryKind, QueryResult
from kg.query.sparql import register_engine, run_query
from kg.store.graphstore import GraphStore
from kg.store.rdfio import load_store, ox_term
from kg.store.view import GraphView, graph_view
from kg.store.remote import Endpoint, query_endpoint

DEFAULT_STORE = Path("out") / "store"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DEFAULT_GRAPH = Path("out") / "govkg.ttl"


def _json_term(cell: dict):
    from rdflib import BNode, Literal, URIRef

    kind = cell["type"]
    if kind == "uri":
        return URIRef(cell["value"])
    if kind == "bnode":
        return BNode(cell["value"])
    if "xml:lang" in cell:
        return Literal(cell["value"], lang=cell["xml:lang"])
    if "datatype" in cell and cell["datatype"] != _XSD_STRING:
        return Literal(cell["value"], datatype=URIRef(cell["datatype"]))
    return Literal(cell["value"])


def endpoint_engine(target, query_text: str, *, prefixes: Mapping[str, str], bindings: Mapping[str, object],
                    max_rows: int | None = None) -> QueryResult:
    """A remote SPARQL 1.1 Protocol endpoint (:class:`kg.store.remote.Endpoint`)."""

    if bindings:
        raise QueryError("variable bindings cannot be sent to a remote endpoint", fix="use a named query's parameters")
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
    answer = query_endpoint(target, declared + query_text)
    if isinstance(answer, bytes):
        from rdflib import Graph

        graph = Graph().parse(data=answer.decode("utf-8"), format="nt")
        return QueryResult(QueryKind.CONSTRUCT, triples=tuple(graph))
    if "boolean" in answer:
        return QueryResult(QueryKind.ASK, boolean=bool(answer["boolean"]))
    variables = tuple(answer["head"].get("vars", []))
    rows = tuple(tuple(_json_term(b[v]) if v in b else None for v in variables) for b in answer["results"]["bindings"])
    return QueryResult(QueryKind.SELECT, variables=variables, rows=rows)


register_engine("endpoint", endpoint_engine)

# The statements needed to resolve names (labels, types, codes) without the whole graph.
_NAMES_QUERY = """
CONSTRUCT { ?s a ?type ; rdfs:label ?label ; skos:prefLabel ?pref ; skos:altLabel ?alt ; dcterms:title ?title ;
              gk:divisionCode ?code . ?type rdfs:subClassOf ?super }
WHERE {
  { ?s a ?type . FILTER(?type NOT IN (gk:Evidence, gk:Assertion)) OPTIONAL { ?s gk:divisionCode ?code } }
  UNION { ?s rdfs:label ?label } UNION { ?s skos:prefLabel ?pref } UNION { ?s skos:altLabel ?alt }
  UNION { ?s dcterms:title ?title } UNION { ?type rdfs:subClassOf ?super }
}"""

@dataclass
class Target:
    """Where a command's queries run: ``engine`` over ``target``, names resolved in ``names``."""

    engine: str
    target: object
    description: str
    store: object | None = None  # the GraphStore behind an "oxigraph" target on a build's store
    path: Path | None = None  # the graph file behind an "oxigraph" target loaded from a file

    @functools.cached_property
    def names(self) -> GraphView:
        """The graph names are resolved in: the target itself when it is local; for an endpoint,
        its labels and types only (one CONSTRUCT), not the whole graph."""
        return self._local(_NAMES_QUERY)

    def view(self) -> GraphView:
        """The graph for the analysis commands, report, graph page and tables: the store (or the
        graph file's in-memory store) read in place; an endpoint's graph copied into a local
        in-memory store (the analyses read it pattern by pattern)."""
        return self._local("CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")

    def _local(self, construct: str) -> GraphView:
        """The local target as it is; for an endpoint, what ``construct`` gives, in a local store."""
        if self.engine != "endpoint":
            return graph_view(self.target)
        import pyoxigraph as ox

        store = ox.Store()
        store.extend(ox.Quad(ox_term(s), ox_term(p), ox_term(o))
                     for s, p, o in run_query(self.target, construct, engine="endpoint").triples)
        return GraphView(store)


def open_target(graph_path: str | Path | None = None, *, store: str | Path | None = None, endpoint: str | None = None,
                user: str | None = None, password: str | None = None) -> Target:
    """The remote endpoint if one is given; else the graph file if one is given (loaded into an
    in-memory Oxigraph store: queries run on one engine wherever the graph lives); else the
    store (default out/store) when it exists; else out/govkg.ttl."""
    if endpoint:
        return Target("endpoint", Endpoint(endpoint, None, user, password), endpoint)
    if graph_path is None:
        store_dir = Path(store) if store is not None else DEFAULT_STORE
        if GraphStore.exists(store_dir):
            graph_store = GraphStore(store_dir, read_only=True)
            return Target("oxigraph", graph_store.oxigraph, str(store_dir), graph_store)
        if store is not None:
            raise KGError(f"{store}: no store here", fix="run `govkg build` first, or pass --graph FILE")
    path = Path(graph_path) if graph_path is not None else DEFAULT_GRAPH
    return Target("oxigraph", load_store(path), str(path), path=path)
