"""Real triple stores over the W3C protocols: the Oxigraph server and Virtuoso, started on
loopback by the session fixture. The same named queries must give the same answers on rdflib,
the embedded store and both servers; pushing twice must not duplicate."""
import signal
import subprocess
import sys
import time

import pytest

from conftest import DATA, ROOT


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    from kg import api

    out = tmp_path_factory.mktemp("remote-out")
    api.build([str(DATA)], out_dir=out, store=out / "store", validate=False)
    return out


def _answers(result):
    """Rows as comparable text: lexical values, whatever each store's choice of literal types."""
    return sorted(tuple("" if term is None else str(term) for term in row) for row in result.rows)


def _server(sparql_servers, name):
    if name not in sparql_servers:
        pytest.skip(f"the {name} server is not installed here (.ci/run installs it)")
    return sparql_servers[name]


def _count(endpoint, graph_iri):
    from kg.query.engines import endpoint_engine

    result = endpoint_engine(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}",
                             prefixes={}, bindings={})
    return int(result.rows[0][0])


@pytest.mark.parametrize("name", ["oxigraph", "virtuoso"])
def test_push_replaces_and_queries_agree_everywhere(name, sparql_servers, built_store):
    from kg import api
    from kg.core import iris
    from kg.core.namespaces import EVIDENCE_GRAPH
    from kg.query.engines import open_target
    from kg.store.remote import Endpoint
    from kg.query.sparql import run_query
    from kg.query.named import list_queries, named_query

    server = _server(sparql_servers, name)
    pushed = api.push(endpoint=server.query_url, graph_store=server.graph_store_url, user=server.user,
                      password=server.password, store=built_store / "store")
    graph_iri = iris.document_graph("newsletter_2023_19.txt")
    assert graph_iri in pushed and EVIDENCE_GRAPH in pushed
    endpoint = Endpoint(server.query_url, None, server.user, server.password)
    first = _count(endpoint, graph_iri), _count(endpoint, EVIDENCE_GRAPH)
    api.push(endpoint=server.query_url, graph_store=server.graph_store_url, user=server.user,
             password=server.password, store=built_store / "store")
    again = _count(endpoint, graph_iri), _count(endpoint, EVIDENCE_GRAPH)
    assert again == first and first[0] > 5000 and first[1] > 20000  # PUT replaces: no duplicates

    local = api.load_graph(built_store / "govkg.ttl")  # the graph file parsed by rdflib, queried in memory
    embedded = open_target(store=built_store / "store")
    remote = open_target(endpoint=server.query_url, user=server.user, password=server.password)
    for query in list_queries():
        text = named_query(query.name, {}, graph=local)
        expected = _answers(run_query(local, text))
        assert expected, query.name
        assert _answers(run_query(embedded.target, text, engine="oxigraph")) == expected, query.name
        assert _answers(run_query(remote.target, text, engine="endpoint")) == expected, (name, query.name)


def test_cli_sparql_against_an_endpoint(sparql_servers, built_store):
    from click.testing import CliRunner

    from kg import api
    from kg.cli import main

    server = _server(sparql_servers, "oxigraph")
    api.push(endpoint=server.query_url, graph_store=server.graph_store_url, store=built_store / "store")
    result = CliRunner().invoke(main, ["shared", "一网通办", "--endpoint", server.query_url, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "哈尔滨市" in result.stdout and "青岛市" in result.stdout
    result = CliRunner().invoke(main, ["sparql", "ASK { ?r gk:adopts gki:one-network-service }", "--endpoint",
                                       server.query_url, "--format", "json"])
    assert result.exit_code == 0 and '"boolean": true' in result.stdout


def test_serve_end_to_end(built_store, tmp_path):
    import urllib.parse
    import urllib.request

    from servers import free_port, wait_until_up

    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve", "--store", str(built_store / "store"),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_until_up(url, timeout=30)
        query = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r gk:adopts ?i }"
        data = urllib.parse.urlencode({"query": "PREFIX gk: <https://w3id.org/govkg/ns#> " + query}).encode()
        request = urllib.request.Request(url, data=data, headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read().decode().splitlines() == ["n", "4"]
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert f"SPARQL endpoint: http://127.0.0.1:{port}/query" in out


def test_remote_errors_name_the_cause_and_never_print_a_password(monkeypatch):
    import requests

    from kg.core.errors import KGError
    from kg.store.remote import Endpoint, _send, redact

    assert redact("https://alice:s3cret@example.org:8890/sparql") == "https://alice:***@example.org:8890/sparql"

    class Response:
        def __init__(self, status, reason, text):
            self.status_code, self.reason, self.text, self.content = status, reason, text, b""

    def answer(status, reason, text):
        class Session:
            def request(self, *args, **kwargs):
                return Response(status, reason, text)
        return Session()

    url = "http://bob:hunter2@localhost:1/sparql"
    endpoint = Endpoint(query_url=url, user="bob", password="hunter2")
    endpoint._session = answer(401, "Unauthorized", "denied")
    with pytest.raises(KGError) as failed:
        _send(endpoint, "POST", url)
    assert str(failed.value) == ("http://bob:***@localhost:1/sparql: HTTP 401 Unauthorized (the server refused this user and "
                                 "password: check them and the user's rights)")
    endpoint._session = answer(500, "Internal Server Error", "<html>secret stack trace</html>")
    with pytest.raises(KGError) as failed:
        _send(endpoint, "POST", url)
    assert "secret" not in str(failed.value) and "hunter2" not in str(failed.value)
