"""A client of the W3C SPARQL 1.1 Protocol and Graph Store HTTP Protocol.

Any conforming store (Oxigraph server, Virtuoso, GraphDB, Jena Fuseki, Amazon Neptune …) can
be queried with :func:`query_endpoint` and loaded with :func:`push_graphs`, with Basic or Digest
authentication (requests).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from kg.core.errors import KGError, QueryError
from kg.store.rdfio import sorted_ox_triples

TIMEOUT_S = 120


@dataclass
class Endpoint:
    query_url: str
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = None
    _session: object = None

    def session(self):
        """A requests session whose authentication matches what the server asks for. A probe
        (a small GET) learns the scheme and, for Digest, the nonce, so that large uploads go
        out already authenticated instead of being cut off by a 401."""
        if self._session is not None:
            return self._session
        import requests
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        session = requests.Session()
        if self.user is not None:
            probe_url = self.graph_store_url or self.query_url
            try:
                challenge = requests.get(probe_url, timeout=TIMEOUT_S).headers.get("WWW-Authenticate", "")
            except requests.RequestException as exc:
                raise KGError(f"{redact(probe_url)}: cannot connect ({exc.__class__.__name__})",
                              fix="is the server running?") from None
            if challenge.lower().startswith("digest"):
                session.auth = HTTPDigestAuth(self.user, self.password or "")
                session.get(probe_url, timeout=TIMEOUT_S)  # primes the nonce
            else:
                session.auth = HTTPBasicAuth(self.user, self.password or "")
        self._session = session
        return session


def redact(url: str) -> str:
    """A URL as it may be printed: without the password (or token) of its user-info part.

    >>> redact("https://alice:s3cret@example.org/sparql")
    'https://alice:***@example.org/sparql'
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _send(endpoint: Endpoint, method: str, url: str, **kwargs) -> bytes:
    import requests

    try:
        response = endpoint.session().request(method, url, timeout=TIMEOUT_S, **kwargs)
    except requests.RequestException as exc:
        raise KGError(f"{redact(url)}: cannot connect ({exc.__class__.__name__})", fix="is the server running?") from None
    if response.status_code >= 400:
        shown = redact(url)
        detail = response.text.strip().splitlines()
        message = f"{shown}: HTTP {response.status_code} {response.reason}"
        if response.status_code == 400:  # the server's explanation of a query error is worth showing
            raise QueryError(message + (f": {detail[0][:300]}" if detail else ""), fix="check the query syntax")
        if response.status_code in (401, 403):
            fix = ("the server refused this user and password: check them and the user's rights" if endpoint.user
                   else "pass --user and --password")
            raise KGError(message, fix=fix)
        if response.status_code >= 500:  # a server's error page may hold anything: not echoed
            raise KGError(message, fix="the server failed; see its log")
        raise KGError(message, fix="check the endpoint URL")
    return response.content


def query_endpoint(endpoint: Endpoint, query: str) -> dict | bytes:
    """Run a query with the SPARQL 1.1 Protocol (POST, form-encoded). SELECT/ASK results come
    back as parsed SPARQL JSON results; CONSTRUCT/DESCRIBE as N-Triples bytes."""
    data = _send(endpoint, "POST", endpoint.query_url, data={"query": query}, headers={
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.5"})
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data


def put_graph(endpoint: Endpoint, graph_iri: str, ntriples: bytes) -> None:
    """Replace one named graph with the Graph Store HTTP Protocol (PUT: replace semantics)."""
    if not endpoint.graph_store_url:
        raise KGError("no Graph Store endpoint", fix="pass --graph-store URL")
    _send(endpoint, "PUT", endpoint.graph_store_url, params={"graph": graph_iri}, data=ntriples,
          headers={"Content-Type": "application/n-triples"})


def push_graphs(endpoint: Endpoint, named: dict[str, list]) -> list[str]:
    """PUT every named graph (graph IRI -> triples); pushing twice replaces, never duplicates."""
    import pyoxigraph as ox

    pushed = []
    for graph_iri in sorted(named):
        data = ox.serialize(sorted_ox_triples(named[graph_iri]), format=ox.RdfFormat.N_TRIPLES)
        put_graph(endpoint, graph_iri, data)
        pushed.append(graph_iri)
    return pushed
