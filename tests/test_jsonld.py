"""Compact JSON-LD with the published context, checked with pyld (the JSON-LD processor its users
use): expanded, it holds the graph's triples; compacted again by pyld and expanded, the same."""
import json

import pytest
from rdflib import OWL, RDF, Graph

from conftest import DATA

jsonld = pytest.importorskip("pyld.jsonld")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from kg import api

    out = tmp_path_factory.mktemp("jsonld")
    api.build([DATA], out_dir=out, formats=("ttl", "jsonld"), validate=False)
    return json.loads((out / "govkg.jsonld").read_text(encoding="utf-8")), Graph().parse(out / "govkg.ttl")


def _triples(document) -> set:
    nquads = jsonld.to_rdf(jsonld.expand(document), {"format": "application/n-quads"})
    return set(Graph().parse(data=nquads, format="nt"))


def test_the_published_context_is_the_one_the_ontology_gives():
    from kg.core.ontology import ontology_dir, ontology_graph
    from kg.store.jsonld import generated_context, published_context

    assert published_context() == generated_context(), "ontology/context.jsonld is stale: python tools/jsonld_context.py"
    terms = published_context()["@context"]
    graph, gk = ontology_graph(), "https://w3id.org/govkg/ns#"
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if str(term).startswith(gk):
                local = str(term)[len(gk):]
                assert local in terms, local
    assert terms["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert (ontology_dir() / "context.jsonld").is_file()


def test_expanded_output_holds_exactly_the_graph_s_triples(built):
    document, graph = built
    assert set(document) == {"@context", "@graph"}
    assert _triples(document) == set(graph)


def test_records_are_compact_and_readable(built):
    document, _ = built
    records = {record["@id"]: record for record in document["@graph"]}
    harbin = records["https://w3id.org/govkg/region/230100"]
    assert harbin["@type"] == "City" and harbin["label"] == {"zh": "哈尔滨市"}
    evidence = next(r for r in records.values() if "Evidence" in r.get("@type", []))
    assert set(evidence["@type"]) == {"Evidence", "Annotation"}
    target = evidence["hasTarget"]  # the annotation's parts are written inside it
    assert target["@type"] == "SpecificResource" and target["@id"] == evidence["@id"] + "/target"
    position, quote = sorted(target["hasSelector"], key=lambda s: s["@type"])
    assert isinstance(position["start"], int) and isinstance(quote["exact"], str)
    assert evidence["@id"] + "/target" not in records


def test_pyld_compacts_with_the_published_context_and_expands_to_the_same_triples(built):
    from kg.store.jsonld import published_context

    document, _ = built
    part = {"@context": document["@context"], "@graph": [r for r in document["@graph"] if "/evidence/" in r["@id"]][:300]}
    compacted = jsonld.compact(jsonld.expand(part), published_context())
    assert _triples(compacted) == _triples(part)
    assert len(_triples(part)) > 2000
