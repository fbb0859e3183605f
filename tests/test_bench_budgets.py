"""The CI-sized regression check of the query budgets (#14): 200 generated documents (templates
from data/ only, so the corpus is the same everywhere) built once; every named query and every
analysis command must give no duplicated rows and stay within 3x the time and memory recorded in
bench/budgets-200.json (written by ``python bench/bench_stores.py OUT --record
bench/budgets-200.json``). The figures themselves are the benchmark's (README), not this test's."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = ROOT / "bench" / "budgets-200.json"


@pytest.fixture(scope="module")
def build_of_200(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT))
    from bench.gen_corpus import generate

    work = tmp_path_factory.mktemp("bench200")
    generate(200, work / "corpus", bundled_only=True)
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), "build", str(work / "corpus"), "--out", str(work / "out"),
                           "--jobs", "2", "--no-validate"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr[-2000:]  # 1: some documents have no target, which is no failure
    return work / "out"


def test_queries_and_commands_stay_within_their_budgets(build_of_200):
    from bench.bench_stores import measure, regressions

    result = measure(build_of_200, runs=3)
    recorded = json.loads(BUDGETS.read_text(encoding="utf-8"))
    assert set(result["queries"]) == set(recorded["queries"]), "a named query has no recorded budget: record them again"
    assert set(result["commands"]) == set(recorded["commands"])
    assert set(result["bulk"]) == set(recorded["bulk"])
    assert regressions(result, recorded) == []


def test_the_check_fails_on_growth_and_on_duplicated_rows():
    from bench.bench_stores import regressions

    recorded = {"queries": {"q": {"ms": 100.0, "rows": 5, "distinct": 5}},
                "commands": {"c": {"ms": 1000.0, "peak_mb": 100}}}
    assert regressions(recorded, recorded) == []
    slower = {"queries": {"q": {"ms": 301.0, "rows": 5, "distinct": 5}}, "commands": {"c": {"ms": 2900.0, "peak_mb": 301}}}
    assert regressions(slower, recorded) == ["query q: 301 ms, recorded 100 ms", "command c: 301 MB, recorded 100 MB"]
    duplicated = {"queries": {"q": {"ms": 10.0, "rows": 7, "distinct": 5}}}
    assert regressions(duplicated, recorded) == ["query q: 7 rows of which 5 distinct"]
    bulk = {"bulk": {"export": {"ms": 100000.0, "peak_mb": 900}}}
    assert regressions(bulk, {"bulk": {"export": {"ms": 1000.0, "peak_mb": 100}}}) == [
        "bulk command export: 100000 ms, recorded 1000 ms", "bulk command export: 900 MB, recorded 100 MB"]
    tiny = {"queries": {"q": {"ms": 140.0, "rows": 5, "distinct": 5}}}
    assert regressions(tiny, {"queries": {"q": {"ms": 2.0}}}) == []  # under the 50 ms floor: noise, not growth


def test_the_machine_reference_times_its_two_workloads():
    """bench/reference.py's workloads run (their queries give what the generated data holds:
    asserted inside) and are timed apart."""
    sys.path.insert(0, str(ROOT))
    from bench.reference import machine_reference

    reference = machine_reference(runs=1)
    assert set(reference) == {"python_s", "oxigraph_s"}
    assert all(seconds > 0 for seconds in reference.values())
