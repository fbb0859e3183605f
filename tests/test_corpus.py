"""Generalisation: real documents the extractor was not written against (../shared/corpus).
Skipped when that folder is absent."""
import json
import re

import pytest

from conftest import CORPUS, ROOT

CHECKSETS = sorted((ROOT / "tests" / "checkset" / "corpus").glob("*.json"))
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


@pytest.fixture(scope="module")
def corpus_build():
    from kg import api

    return api.build([CORPUS], out_dir=None)


def _norm(text):
    return re.sub(r"[“”\"「」\s]", "", text or "")


def _extraction(build, source):
    (extraction,) = build.state.extractions[source]
    return extraction


def test_corpus_builds_without_errors_and_conforms(corpus_build):
    assert corpus_build.errors == []
    assert corpus_build.conforms, corpus_build.state.report.text[:2000]
    assert len(corpus_build.per_document) == 4


@pytest.mark.parametrize("checkset", CHECKSETS, ids=lambda p: p.stem)
def test_documents_genre_region_period_number(corpus_build, checkset):
    from kg.core.ontology import divisions

    gold = json.loads(checkset.read_text(encoding="utf-8"))
    (expected,) = gold["documents"]
    document = _extraction(corpus_build, gold["source"]).document
    assert document.label == expected["title"]
    assert document.type == expected["genre"]
    region = document.first("gk:governsRegion").iri.rsplit("/", 1)[-1]
    assert (divisions()[region].name if region != "CN" else "中国") == expected["region"]
    assert document.first("gk:periodStart") == expected["period_start"]
    assert document.first("gk:documentNumber") == expected["doc_number"]


@pytest.mark.parametrize("checkset", CHECKSETS, ids=lambda p: p.stem)
def test_tasks_and_their_lead_units(corpus_build, checkset):
    gold = json.loads(checkset.read_text(encoding="utf-8"))
    extraction = _extraction(corpus_build, gold["source"])
    labels = {e.iri: e.label for e in extraction.entities}
    tasks = {(e.first("gk:taskNumber"), _norm(e.first("dcterms:title"))[:6]): e for e in extraction.entities if e.type == "Task"}
    leads = {}
    for relation in extraction.relations:
        if relation.predicate == "gk:leadUnit":
            leads.setdefault(relation.subject, set()).add(labels[relation.object])
    found = lead_ok = 0
    for task in gold["tasks"]:
        predicted = tasks.get((task["number"], _norm(task["title"])[:6]))
        if predicted is None:
            continue
        found += 1
        lead_ok += leads.get(predicted.iri, set()) == set(task["lead_units"])
    if gold["tasks"]:
        assert found / len(gold["tasks"]) >= 0.9
        assert lead_ok / len(gold["tasks"]) >= 0.85
    else:
        assert not tasks  # a regulation states provisions, not tasks


@pytest.mark.parametrize("checkset", CHECKSETS, ids=lambda p: p.stem)
def test_departments_found(corpus_build, checkset):
    gold = json.loads(checkset.read_text(encoding="utf-8"))
    extraction = _extraction(corpus_build, gold["source"])
    predicted = {_norm(e.label) for e in extraction.entities if e.type == "Department"}
    expected = {_norm(d["name"]) for d in gold["departments"]}
    matched = expected & predicted
    assert len(matched) / len(expected) >= 0.3, sorted(expected - predicted)
    assert len(matched) / max(1, len(predicted)) >= 0.75, sorted(predicted - expected)


def test_responsibility_notes_of_the_corpus_are_found(corpus_build):
    extraction = _extraction(corpus_build, "shandong_2021_digital_shandong_action_plan.txt")
    roles = {r.predicate for r in extraction.relations}
    assert {"gk:leadUnit", "gk:supportUnit"} <= roles


@pytest.mark.parametrize("checkset", CHECKSETS, ids=lambda p: p.stem)
def test_platforms_found(corpus_build, checkset):
    gold = json.loads(checkset.read_text(encoding="utf-8"))
    extraction = _extraction(corpus_build, gold["source"])
    predicted = set()
    for entity in extraction.entities:
        if entity.type == "Platform":
            predicted |= {_norm(entity.label)} | {_norm(a) for a in entity.aliases}
    expected = [{_norm(p["name"])} | {_norm(a) for a in p["aliases"]} for p in gold["platforms"]]
    recall = sum(bool(names & predicted) for names in expected) / len(expected)
    assert recall >= 0.4, recall
