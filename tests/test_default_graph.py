"""A local query on a store reads the union graph alone when no pattern of it can match in the
evidence graph, and the evidence graph alone when no pattern can match in the union (#14):
which queries may, and that the answers are the same either way."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.core.namespaces import EVIDENCE_GRAPH, QUERY_GRAPHS, UNION_GRAPH
from kg.query.default_graph import default_graphs, needs_evidence

DATA = Path(__file__).resolve().parent.parent / "data"

UNION, EVIDENCE, BOTH = (UNION_GRAPH,), (EVIDENCE_GRAPH,), QUERY_GRAPHS
CASES = {
    "SELECT ?r ?i { ?r gk:adopts ?i }": UNION,
    "SELECT * { ?s ?p ?o }": BOTH,  # a variable predicate
    "SELECT ?s { ?s gk:adopts ?x ; ?p ?y }": BOTH,
    "SELECT ?s { [ ?p ?y ] gk:adopts ?x }": BOTH,
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }": BOTH,
    "SELECT ?s { ?s a ?t }": BOTH,  # evidence nodes have types too
    "SELECT ?s { ?s rdf:type ?t }": BOTH,
    "SELECT ?s { ?s a gk:Platform }": UNION,
    "SELECT ?s { ?s a gk:Platform, gk:Region }": BOTH,
    "SELECT ?s { ?s a gk:Evidence }": BOTH,
    "SELECT ?s { ?s a/rdfs:subClassOf gk:X }": BOTH,
    "SELECT ?s { ?s rdfs:subClassOf* gk:Region }": BOTH,  # length zero: every node of the graph
    "SELECT ?s { ?s gk:a? ?y }": BOTH,
    "SELECT ?s { ?s !gk:adopts ?x }": BOTH,
    "SELECT ?s { ?s ^gk:adopts ?x }": UNION,
    "SELECT ?s { ?s gk:adopts/rdfs:label ?x }": UNION,
    "SELECT ?s { ?s (gk:a|gk:b)+ ?y }": UNION,
    "SELECT ?s { ?s gk:adopts [ rdfs:label ?y ] }": UNION,
    "SELECT ?q { ?x gk:evidence/oa:hasTarget ?q }": EVIDENCE,
    "SELECT ?q { ?x gk:evidence ?e . ?e gk:inDocument ?d OPTIONAL { ?e oa:hasTarget/oa:hasSelector/oa:exact ?q } }": EVIDENCE,
    "SELECT ?q { ?x gk:evidence ?e ; rdfs:label ?l }": BOTH,
    "SELECT ?s { ?s gk:sourceFile ?f }": BOTH,  # in both graphs
    "PREFIX x: <http://www.w3.org/ns/oa#> SELECT ?s { ?s x:exact ?y }": EVIDENCE,  # however prefixed
    "PREFIX x: <https://w3id.org/govkg/ns#> SELECT ?s { ?s x:sectionPath ?y }": EVIDENCE,
    "SELECT ?s { ?s <https://w3id.org/govkg/ns#evidence> ?y }": EVIDENCE,
    "SELECT ?s { ?s oa:hasSelector [ oa:exact ?q ] }": EVIDENCE,
    "SELECT ?s { VALUES ?s { <https://w3id.org/govkg/evidence/x/1-2> } ?s rdfs:label ?y }": UNION,  # predicates decide
    "SELECT ?s { ?s gk:adopts ?y FILTER NOT EXISTS { ?s ?p ?z } }": BOTH,
    "SELECT ?s { ?s gk:adopts ?y FILTER(NOT EXISTS { ?s gk:x ?z }) }": BOTH,
    "SELECT ?s { ?s gk:a ?y . FILTER(?y != gk:evidence) }": UNION,
    'SELECT ?s (COUNT(?y) AS ?n) { ?s gk:adopts ?y BIND(STR(?y) AS ?q) FILTER(LANG(?q) = "zh") } '
    "GROUP BY ?s ORDER BY DESC(?n) LIMIT 3": UNION,
    'SELECT ?s { { SELECT ?s (COUNT(*) AS ?n) { ?s gk:adopts ?y } GROUP BY ?s HAVING(COUNT(*) > 1) } ?s rdfs:label "x"@zh }': UNION,
    "SELECT ?s WHERE { ?s rdfs:label ?l FILTER CONTAINS(STR(?l), 'x') ?s gk:q ?p }": UNION,
    'ASK { ?s gk:deadline "2024-01-01"^^xsd:date }': UNION,
    "SELECT ?s { ?s gk:adopts ?y } VALUES ?y { gki:a }": UNION,
    "SELECT ?s { ?s gk:adopts ?y . ?y rdfs:label ?l . }": UNION,
    "SELECT ?s { ?s gk:adopts ?y ; }": UNION,
    "SELECT ?s { GRAPH ?g { ?s gk:adopts ?y } }": BOTH,
    "SELECT ?s FROM <http://x> { ?s gk:adopts ?y }": BOTH,
    "DESCRIBE <http://x>": BOTH,
    "SELECT ?s { ?s unknown:p ?y }": BOTH,  # not read: both
    "SELECT ?s { ?s gk:adopts ?y": BOTH,
}


@pytest.mark.parametrize("text", list(CASES))
def test_which_graphs_a_query_reads(text):
    assert default_graphs(text) == CASES[text]
    assert needs_evidence(text) is (EVIDENCE_GRAPH in CASES[text])


def test_comments_and_strings_are_no_query():
    assert needs_evidence('# gk:evidence\nSELECT ?s { ?s rdfs:label "?p ?o gk:evidence" }') is False


def test_answers_are_the_same_on_one_graph(tmp_path, monkeypatch):
    """Every named query and every case above that reads one graph gives on a built store
    exactly the rows it gives with both; the build writes the evidence predicates to the
    evidence graph only, and nothing else there."""
    import pyoxigraph as ox

    from kg import api
    from kg.core.namespaces import PREFIXES
    from kg.query import default_graph, named, sparql
    from kg.query.engines import open_target

    api.build([DATA], out_dir=None, store=tmp_path / "store", validate=False)
    target = open_target(store=tmp_path / "store")
    store = target.target

    def predicates(graph: str) -> set[str]:
        return {row[0].value for row in store.query(f"SELECT DISTINCT ?p {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")}

    assert predicates(UNION_GRAPH) & default_graph.EVIDENCE_PREDICATES == set()
    assert predicates(EVIDENCE_GRAPH) - default_graph.EVIDENCE_PREDICATES == {PREFIXES["rdf"] + "type", iris_term("sourceFile")}
    texts = [named.named_query(q.name, {}, graph=target.names) for q in named.list_queries()]
    texts += [text for text, graphs in CASES.items() if graphs != BOTH]
    texts += [sparql.with_prefixes(text)[0].replace("gk:adopts", "gk:governsRegion") for text in texts]  # rows where adopts has none
    one = [text for text in texts if default_graphs(text) != BOTH]
    assert len(one) >= 30 and any(default_graphs(text) == EVIDENCE for text in one)
    answers = {text: sparql.run_query(store, text) for text in one}
    monkeypatch.setattr(sparql, "default_graphs", lambda text: BOTH)
    for text in one:
        assert sparql.run_query(store, text) == answers[text], text
    assert sum(bool(answer.rows) for answer in answers.values()) >= 20
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    everything = sparql.run_query(store, count).rows[0][0].toPython()
    monkeypatch.setattr(sparql, "default_graphs", lambda text: UNION)  # the evidence graph left out where it is needed
    assert sparql.run_query(store, count).rows[0][0].toPython() < everything / 2
    assert ox  # the store's query language is Oxigraph's


def iris_term(local: str) -> str:
    from kg.core import iris

    return iris.term(local)
