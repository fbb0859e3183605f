"""A client of the W3C SPARQL 1.1 Protocol and Graph Store HTTP Protocol.

Any conforming store (Oxigraph server, Virtuoso, GraphDB, Jena Fuseki, Amazon Neptune …) can
be queried with :func:`query_endpoint` and loaded with :func:`push_graphs`. Standard library
only (urllib), with Basic or Digest authentication.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .errors import KGError, QueryError

TIMEOUT_S = 120


@dataclass(frozen=True)
class Endpoint:
    query_url: str
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = None

    def opener(self) -> urllib.request.OpenerDirector:
        handlers = []
        if self.user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in filter(None, (self.query_url, self.graph_store_url)):
                manager.add_password(None, url, self.user, self.password or "")
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
        return urllib.request.build_opener(*handlers)


def _open(endpoint: Endpoint, request: urllib.request.Request) -> bytes:
    try:
        with endpoint.opener().open(request, timeout=TIMEOUT_S) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        message = f"{request.full_url}: HTTP {exc.code} {exc.reason}" + (f": {detail[0][:300]}" if detail else "")
        if exc.code == 400:
            raise QueryError(message, fix="check the query syntax") from None
        if exc.code in (401, 403):
            raise KGError(message, fix="pass --user and --password") from None
        raise KGError(message, fix="check the endpoint URL") from None
    except urllib.error.URLError as exc:
        raise KGError(f"{request.full_url}: cannot connect ({exc.reason})", fix="is the server running?") from None


def query_endpoint(endpoint: Endpoint, query: str) -> dict | bytes:
    """Run a query with the SPARQL 1.1 Protocol (POST, form-encoded). SELECT/ASK results come
    back as parsed SPARQL JSON results; CONSTRUCT/DESCRIBE as N-Triples bytes."""
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    request = urllib.request.Request(endpoint.query_url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.5"})
    data = _open(endpoint, request)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data


def put_graph(endpoint: Endpoint, graph_iri: str, ntriples: bytes) -> None:
    """Replace one named graph with the Graph Store HTTP Protocol (PUT: replace semantics)."""
    if not endpoint.graph_store_url:
        raise KGError("no Graph Store endpoint", fix="pass --graph-store URL")
    separator = "&" if "?" in endpoint.graph_store_url else "?"
    url = f"{endpoint.graph_store_url}{separator}{urllib.parse.urlencode({'graph': graph_iri})}"
    request = urllib.request.Request(url, data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    _open(endpoint, request)


def push_graphs(endpoint: Endpoint, named: dict[str, list]) -> list[str]:
    """PUT every named graph (graph IRI -> triples); pushing twice replaces, never duplicates."""
    import pyoxigraph as ox

    from .serialize import _triples

    pushed = []
    for graph_iri in sorted(named):
        data = ox.serialize(_triples(named[graph_iri]), format=ox.RdfFormat.N_TRIPLES)
        put_graph(endpoint, graph_iri, data)
        pushed.append(graph_iri)
    return pushed
