"""SPARQL engines besides rdflib's: the embedded Oxigraph store and any SPARQL 1.1 Protocol
endpoint. Importing this module registers them with :func:`kg.query.sparql.register_engine`, the
same call the built-in rdflib engine uses; :func:`open_target` picks one for a command."""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from kg.core.errors import KGError, QueryError
from kg.core.namespaces import bind_prefixes
from kg.query.results import QueryKind, QueryResult
from kg.query.sparql import register_engine, run_query, syntax_error
from kg.store.graphstore import GraphStore
from kg.store.rdfio import load_graph, load_store, ox_term
from kg.store.remote import Endpoint, query_endpoint

DEFAULT_STORE = Path("out") / "store"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DEFAULT_GRAPH = Path("out") / "govkg.ttl"


def _rdflib_term(term):
    """An Oxigraph term as an rdflib term (the results' common currency)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:  # RDF 1.1: a plain literal is an xsd:string
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _ox_term(value):
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))

    from rdflib import Literal

    return ox_term(value if isinstance(value, Literal) else Literal(value))


def oxigraph_engine(target, query_text: str, *, prefixes: Mapping[str, str], bindings: Mapping[str, object],
                    max_rows: int | None = None) -> QueryResult:
    """Oxigraph (the embedded store, or an in-memory pyoxigraph Store): the union of the named
    graphs is the default graph, as in the Oxigraph server started by `govkg serve`."""
    import pyoxigraph as ox

    substitutions = {ox.Variable(name): _ox_term(value) for name, value in bindings.items()} or None
    for attempt in range(5):
        try:
            return _oxigraph_answer(target.query(query_text, prefixes=dict(prefixes), use_default_graph_as_union=True,
                                                 substitutions=substitutions), max_rows)
        except SyntaxError as exc:
            import re

            where = re.search(r"error at (\d+):(\d+)", str(exc))
            if where:
                raise QueryError(f"SPARQL syntax error at line {where[1]}, column {where[2]}: "
                                 f"{query_text.splitlines()[int(where[1]) - 1][:120]!r}",
                                 fix="check the query against SPARQL 1.1") from None
            raise syntax_error(query_text, exc) from None
        except (OSError, RuntimeError, ValueError) as exc:
            # A build compacting the store under a read-only view: open it afresh, ask again.
            if hasattr(target, "reopen") and target.transient(exc) and attempt < 4:
                target.reopen()
                continue
            raise QueryError(f"the query failed while running: {exc}") from None


def _oxigraph_answer(result, max_rows: int | None) -> QueryResult:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return QueryResult(QueryKind.ASK, boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        solutions = result if max_rows is None else itertools.islice(result, max_rows + 1)
        rows = tuple(tuple(_rdflib_term(solution[name]) for name in variables) for solution in solutions)
        return QueryResult(QueryKind.SELECT, variables=variables, rows=rows)
    return QueryResult(QueryKind.CONSTRUCT, triples=tuple(
        (_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)) for t in result))


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


register_engine("oxigraph", oxigraph_engine)
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
    def names(self):
        """An rdflib graph of labels and types only, for resolving names people type."""
        if self.engine == "rdflib":
            return self.target
        from rdflib import Graph

        graph = Graph()
        bind_prefixes(graph)
        for triple in run_query(self.target, _NAMES_QUERY, engine=self.engine).triples:
            graph.add(triple)
        return graph

    def rdflib_graph(self):
        """The whole graph in rdflib, for the analysis commands."""
        if self.engine == "rdflib":
            return self.target
        if self.engine == "oxigraph":
            return self.store.to_rdflib() if self.store is not None else load_graph(self.path)
        from rdflib import Graph

        graph = Graph()
        bind_prefixes(graph)
        for triple in run_query(self.target, "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                                engine="endpoint").triples:
            graph.add(triple)
        return graph


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
