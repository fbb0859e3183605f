"""A local query on a store reads the union graph alone when no pattern of it can match in the
evidence graph (#14): which queries may, and that the answers are the same either way."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.query.default_graph import needs_evidence

DATA = Path(__file__).resolve().parent.parent / "data"

CASES = {
    "SELECT ?r ?i { ?r gk:adopts ?i }": False,
    "SELECT * { ?s ?p ?o }": True,  # a variable predicate
    "SELECT ?s { ?s gk:adopts ?x ; ?p ?y }": True,
    "SELECT ?s { [ ?p ?y ] gk:adopts ?x }": True,
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }": True,
    "SELECT ?s { ?s a ?t }": True,  # evidence nodes have types too
    "SELECT ?s { ?s rdf:type ?t }": True,
    "SELECT ?s { ?s a gk:Platform }": False,
    "SELECT ?s { ?s a gk:Platform, gk:Region }": True,
    "SELECT ?s { ?s a gk:Evidence }": True,
    "SELECT ?s { ?s a/rdfs:subClassOf gk:X }": True,
    "SELECT ?s { ?s rdfs:subClassOf* gk:Region }": True,  # length zero: every node of the graph
    "SELECT ?s { ?s gk:a? ?y }": True,
    "SELECT ?s { ?s !gk:adopts ?x }": True,
    "SELECT ?s { ?s ^gk:adopts ?x }": False,
    "SELECT ?s { ?s gk:adopts/rdfs:label ?x }": False,
    "SELECT ?s { ?s (gk:a|gk:b)+ ?y }": False,
    "SELECT ?s { ?s gk:adopts [ rdfs:label ?y ] }": False,
    "SELECT ?q { ?x gk:evidence/oa:hasTarget ?q }": True,
    "PREFIX x: <http://www.w3.org/ns/oa#> SELECT ?s { ?s x:exact ?y }": True,  # however prefixed
    "PREFIX x: <https://w3id.org/govkg/ns#> SELECT ?s { ?s x:sectionPath ?y }": True,
    "SELECT ?s { ?s <https://w3id.org/govkg/ns#evidence> ?y }": True,
    "SELECT ?s { ?s gk:adopts ?y FILTER NOT EXISTS { ?s ?p ?z } }": True,
    "SELECT ?s { ?s gk:adopts ?y FILTER(NOT EXISTS { ?s gk:x ?z }) }": True,
    "SELECT ?s { ?s gk:a ?y . FILTER(?p = gk:evidence) }": True,
    'SELECT ?s (COUNT(?y) AS ?n) { ?s gk:adopts ?y BIND(STR(?y) AS ?q) FILTER(LANG(?q) = "zh") } '
    "GROUP BY ?s ORDER BY DESC(?n) LIMIT 3": False,
    'SELECT ?s { { SELECT ?s (COUNT(*) AS ?n) { ?s gk:adopts ?y } GROUP BY ?s HAVING(COUNT(*) > 1) } ?s rdfs:label "x"@zh }': False,
    "SELECT ?s WHERE { ?s rdfs:label ?l FILTER CONTAINS(STR(?l), 'x') ?s gk:q ?p }": False,
    'ASK { ?s gk:deadline "2024-01-01"^^xsd:date }': False,
    "SELECT ?s { ?s gk:adopts ?y } VALUES ?y { gki:a }": False,
    "SELECT ?s { ?s gk:adopts ?y . ?y rdfs:label ?l . }": False,
    "SELECT ?s { ?s gk:adopts ?y ; }": False,
    "SELECT ?s { GRAPH ?g { ?s gk:adopts ?y } }": True,
    "SELECT ?s FROM <http://x> { ?s gk:adopts ?y }": True,
    "DESCRIBE <http://x>": True,
    "SELECT ?s { ?s unknown:p ?y }": True,  # not read: both
    "SELECT ?s { ?s gk:adopts ?y": True,
}


@pytest.mark.parametrize("text", list(CASES))
def test_which_queries_need_the_evidence_graph(text):
    assert needs_evidence(text) is CASES[text]


def test_comments_and_strings_are_no_query():
    assert needs_evidence('# gk:evidence\nSELECT ?s { ?s rdfs:label "?p ?o gk:evidence" }') is False


def test_answers_are_the_same_on_the_union_graph_alone(tmp_path, monkeypatch):
    """Every named query and every case above that reads the union graph alone gives on a
    built store exactly the rows it gives with the evidence graph beside it."""
    from kg import api
    from kg.query import named, sparql
    from kg.query.engines import open_target

    api.build([DATA], out_dir=None, store=tmp_path / "store", validate=False)
    target = open_target(store=tmp_path / "store")
    texts = [named.named_query(q.name, {}, graph=target.names) for q in named.list_queries()]
    texts += [text for text, both in CASES.items() if not both]
    alone = [text for text in texts if not needs_evidence(text)]
    assert len(alone) >= 20
    answers = {text: sparql.run_query(target.target, text) for text in alone}
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    everything = sparql.run_query(target.target, count).rows[0][0].toPython()
    monkeypatch.setattr(sparql, "needs_evidence", lambda text: True)
    for text in alone:
        assert sparql.run_query(target.target, text) == answers[text], text
    assert any(answer.rows for answer in answers.values())
    monkeypatch.setattr(sparql, "needs_evidence", lambda text: False)  # the evidence graph left out where it is needed
    assert sparql.run_query(target.target, count).rows[0][0].toPython() < everything / 2
