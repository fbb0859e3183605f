"""The development set (../shared/devcorpus: 20 city work reports, 3 of them also as .docx,
6 national and 4 provincial documents of other genres, several without a title line), scored
against its adjudicated check sets (tests/checkset/devcorpus). Skipped when the folder is absent.

The figures asserted here are floors that hold today, so a change that loses ground fails;
the README reports the held-out figures (govkg evaluate --held-out --totals)."""
import subprocess
import sys

import pytest

from conftest import ROOT

DEVCORPUS = ROOT.parent / "shared" / "devcorpus"
pytestmark = pytest.mark.skipif(not DEVCORPUS.is_dir(), reason="../shared/devcorpus is not present")


@pytest.fixture(scope="module")
def work_reports():
    from kg import api

    return api.build([DEVCORPUS / "work_reports"], out_dir=None, validate=False)


def _regions(build):
    from kg.query.tables import tables

    return {r["label"].split("（")[1].rstrip("）"): r["region"] for r in tables(build.state.graph)["entities"]
            if r["type"] == "WorkReport"}


def test_a_folder_of_work_reports_builds_with_a_region_for_every_file(work_reports):
    regions = _regions(work_reports)
    assert regions == {p.name: p.stem + "市" for p in (DEVCORPUS / "work_reports").glob("*.txt")}


def test_the_word_files_of_three_reports_read_as_their_text_files_beside_them():
    from kg import api

    # 宁波.docx beside 宁波.txt: two documents of the same city, neither replacing the other
    regions = _regions(api.build([DEVCORPUS / "docx", DEVCORPUS / "work_reports"], out_dir=None, validate=False))
    expected = {p.name: p.stem + "市" for folder in ("docx", "work_reports") for p in (DEVCORPUS / folder).iterdir()}
    assert regions == expected and len(regions) == 23


def test_every_work_report_yields_goals_tasks_and_adoptions(work_reports):
    for extractions in work_reports.state.extractions.values():
        (extraction,) = extractions
        types = {e.type for e in extraction.entities}
        # 绵阳's task part has no numbered headings, so it has goals but no tasks
        assert {"Goal", "Task"} <= types or (extraction.document.label.startswith("绵阳") and "Goal" in types)
        assert any(r.predicate == "gk:adopts" for r in extraction.relations)


@pytest.fixture(scope="module")
def totals():
    from kg import api

    return {(r.checkset, r.type): r for r in api.evaluate(totals=True)}


def test_development_set_documents(totals):
    for group in ("dev: work reports", "dev: other genres"):
        assert totals[(group, "document genre")].recall == 1.0
        assert totals[(group, "document region")].recall == 1.0


def test_development_set_goals_and_tense(totals):
    goals = totals[("dev: all", "goals")]
    assert goals.recall >= 0.9 and goals.precision >= 0.85
    assert totals[("dev: all", "goals from past results")].precision <= 0.05


def test_development_set_tasks_and_links(totals):
    assert totals[("dev: work reports", "tasks")].recall >= 0.85
    assert totals[("dev: all", "task lead units")].precision >= 0.9
    assert totals[("dev: all", "adopts links")].precision >= 0.88


def test_the_sample_keeps_its_figures(totals):
    assert totals[("sample", "platforms")].precision >= 0.85 and totals[("sample", "platforms")].recall >= 0.85
    assert totals[("sample", "goals")].recall >= 0.95


def test_the_shipped_platform_scorer_is_a_deterministic_refit_of_the_check_sets():
    pytest.importorskip("sklearn")
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "fit_platform_scorer.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
