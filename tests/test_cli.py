"""The CLI in-process (CliRunner: stdout and stderr apart) and once as the installed script."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, ROOT, copy_data
from kg.cli import main


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-out")
    result = CliRunner().invoke(main, ["build", str(DATA), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def test_build_writes_outputs_and_prints_a_summary(built, runner, tmp_path):
    assert sorted(p.name for p in built.iterdir()) == ["dataset.ttl", "govkg.trig", "govkg.ttl", "store"]
    result = runner.invoke(main, ["build", str(DATA), "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert "1 source file(s), 8 document(s)" in result.stdout
    assert "SHACL: conforms" in result.stdout
    assert "哈尔滨市加快数字政府建设实施方案" not in result.stdout  # a line per document only with -v
    assert result.stderr == ""
    verbose = runner.invoke(main, ["build", str(DATA), "-o", str(tmp_path / "v"), "-v"])
    assert "哈尔滨市加快数字政府建设实施方案" in verbose.stdout
    quiet = runner.invoke(main, ["build", str(DATA), "-o", str(tmp_path / "q"), "-q"])
    assert quiet.exit_code == 0 and "wrote" not in quiet.stdout and "entities:" not in quiet.stdout
    assert "SHACL: conforms" in quiet.stdout  # problems (or their absence) are still said
    assert (tmp_path / "q" / "govkg.ttl").is_file()


def test_the_short_summary_shows_the_first_warnings_and_counts_the_rest(tmp_path):
    from types import SimpleNamespace

    from kg.ingest.summary import WARNINGS_SHOWN, build_summary

    warnings = [f"doc{n}.txt: no quantitative target found" for n in range(WARNINGS_SHOWN + 5)]
    state = SimpleNamespace(sources=[1], segments={"x": [1]}, report=None, warnings=warnings, errors=[], written=[],
                            unchanged=[])
    result = SimpleNamespace(state=state, counts={}, per_document=[], conforms=None)
    text = build_summary(result, text=True)
    assert text.count("warning: ") == WARNINGS_SHOWN
    assert "5 more warning(s); `govkg build -v` lists them all" in text
    assert build_summary(result, text=True, verbose=True).count("warning: ") == WARNINGS_SHOWN + 5
    assert "warning: " not in build_summary(result, text=True, quiet=True)


def test_options_are_spelled_alike_across_commands(runner, built, tmp_path):
    """-o on every command that writes; --format json wherever --json was (kept as an alias)."""
    graph = str(built / "govkg.ttl")
    for args in (["show", "哈尔滨", "--graph", graph], ["validate", "--graph", graph], ["queries"]):
        new = runner.invoke(main, [*args, "--format", "json"])
        old = runner.invoke(main, [*args, "--json"])
        assert new.exit_code == old.exit_code == 0, new.output
        assert json.loads(new.stdout) == json.loads(old.stdout)
        assert "--json is deprecated" in old.stderr and "deprecated" not in new.stderr
    assert runner.invoke(main, ["export", "--graph", graph, "-o", str(tmp_path / "t")]).exit_code == 0
    assert (tmp_path / "t" / "entities.json").is_file()
    assert runner.invoke(main, ["report", "--graph", graph, "--out", str(tmp_path / "r.md")]).exit_code == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("#")


def test_build_json_summary(runner, tmp_path):
    result = runner.invoke(main, ["build", str(DATA), "--out", str(tmp_path), "--json"])
    summary = json.loads(result.stdout)
    assert summary["documents"] == 8 and summary["conforms"] is True
    assert summary["counts"]["Task"] >= 180


def test_build_until_a_stage_prints_that_stage_and_writes_nothing(runner, tmp_path):
    result = runner.invoke(main, ["build", str(DATA), "--out", str(tmp_path / "o"), "--until", "segment"])
    assert result.exit_code == 0
    assert "数字青岛发展规划（2023—2025年）" in result.stdout and "（来源：" not in result.stdout
    assert not (tmp_path / "o").exists()
    extracted = runner.invoke(main, ["build", str(DATA), "--until", "extract", "--json"])
    data = json.loads(extracted.stdout)
    assert any(e["type"] == "Task" for x in data["newsletter_2023_19.txt"] for e in x["entities"])


def test_bad_files_are_listed_and_the_rest_is_built(runner, tmp_path):
    data = copy_data(tmp_path / "in")
    (data / "empty.txt").write_bytes(b"")
    (data / "broken.docx").write_bytes(b"not a zip")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(data), "--out", str(out)])
    assert result.exit_code == 3
    assert re.search(r"error: .*empty\.txt: the file is empty \(remove it", result.stderr)
    assert re.search(r"error: .*broken\.docx: not a readable \.docx file", result.stderr)
    assert (out / "govkg.ttl").stat().st_size > 100000  # the good file was still built and written


def test_a_failed_build_leaves_previous_outputs_untouched(runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", str(DATA), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("kg.ingest.pipeline.store_outputs", explode)
    result = runner.invoke(main, ["build", str(DATA), "--out", str(out)])
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not list(out.glob(".*tmp"))


def test_only_unreadable_input_exits_3_with_one_line_per_file(runner, tmp_path):
    (tmp_path / "a.xyz").write_text("数字政府", encoding="utf-8")
    result = runner.invoke(main, ["build", str(tmp_path / "a.xyz"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "a.xyz: unknown file type '.xyz' (supported:" in result.stderr
    assert result.stdout == ""


def test_empty_directory_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "no documents found in" in result.stderr


def test_validate_conforming_graph_exits_0(runner, built):
    result = runner.invoke(main, ["validate", str(built / "govkg.ttl")])
    assert result.exit_code == 0 and result.stdout.strip() == "conforms"


def test_validate_a_store_with_the_compiled_shapes(runner, built, tmp_path):
    result = runner.invoke(main, ["validate", "--store", str(built / "store")])
    assert result.exit_code == 0 and result.stdout.strip() == "conforms"
    import pyoxigraph as ox
    import shutil

    broken = tmp_path / "store"
    shutil.copytree(built / "store", broken)
    store = ox.Store(str(broken))
    platform = next(iter(store.query("SELECT ?p WHERE { GRAPH ?g { ?p a <https://w3id.org/govkg/ns#Platform> } } LIMIT 1")))["p"]
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{platform.value}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}")
    del store
    result = runner.invoke(main, ["validate", "--store", str(broken), "--format", "json"])
    assert result.exit_code == 1
    import json
    found = json.loads(result.stdout)
    assert not found["conforms"] and any(v["focus"] == platform.value and v["path"].endswith("label")
                                         for v in found["violations"])
    missing = runner.invoke(main, ["validate", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 3 and "no store here" in missing.stderr


def test_validate_nonconforming_graph_exits_1(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix gk: <https://w3id.org/govkg/ns#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
gk:Platform a owl:Class . <https://w3id.org/govkg/platform/x> a gk:Platform .""", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "does not conform" in result.stdout
    assert "Has no evidence in the source text" in result.stdout


def test_validate_missing_graph_is_an_error_with_the_fix(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 3
    assert "nope.ttl: no such graph file (run `govkg build` first" in result.stderr


def test_validate_unparsable_graph_names_the_file(runner, tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix gk: <x> .\ngk:a gk:b", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 3 and "broken.ttl: not a valid turtle graph" in result.stderr


@pytest.mark.parametrize("name, expected", [
    ("哈尔滨", "哈尔滨市  <https://w3id.org/govkg/region/230100>"),
    ("370200", "青岛市  <https://w3id.org/govkg/region/370200>"),
    ("一网通办", "一网通办  <https://w3id.org/govkg/initiative/"),
])
def test_show_resolves_names_people_type(runner, built, name, expected):
    result = runner.invoke(main, ["show", name, "--graph", str(built / "govkg.ttl"), "--limit", "2"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(expected)
    assert "evidence (" in result.stdout


def test_show_json_has_quotes_from_the_text(runner, built):
    result = runner.invoke(main, ["show", "青岛市", "--graph", str(built / "govkg.ttl"), "--json"])
    view = json.loads(result.stdout)
    text = (DATA / "newsletter_2023_19.txt").read_text(encoding="utf-8")
    assert view["quotes"] and all(text[q["start"]:q["end"]] == q["quote"] for q in view["quotes"])
    assert ["gk:adopts", "一网通办"] in view["properties"]


def test_show_unknown_name_lists_close_candidates(runner, built):
    result = runner.invoke(main, ["show", "一网通", "--graph", str(built / "govkg.ttl")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no entity named '一网通' (closest: ")
    assert "一网通办" in result.stderr


def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.stdout, name
        assert f"govkg {name}" in readme, name


def test_usage_errors_exit_2(runner):
    result = runner.invoke(main, ["build", "--until", "nowhere"])
    assert result.exit_code == 2
    assert "Invalid value for '--until'" in result.stderr


def test_python_cli_py_from_a_checkout(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and "govkg" in result.stdout


def test_installed_console_script_smoke(tmp_path):
    beside = Path(sys.executable).parent / "govkg"
    script = str(beside) if beside.is_file() else shutil.which("govkg")
    if script is None:
        pytest.skip("govkg is not installed in this environment")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and re.match(r"govkg, version \d", result.stdout)


def test_sparql_query_files_that_are_missing_or_not_utf8_and_long_one_line_queries(runner, tmp_path):
    (tmp_path / "bad.rq").write_bytes('SELECT * WHERE { ?s ?p "'.encode() + b"\xff\xfe" + b'" }')
    result = runner.invoke(main, ["sparql", str(tmp_path / "missing.rq"), "--graph", str(ROOT / "tests" / "fixtures" / "analytics_fixture.ttl")])
    assert result.exit_code == 2 and result.stderr.strip().count("\n") == 0
    assert "missing.rq: no such query file" in result.stderr
    result = runner.invoke(main, ["sparql", str(tmp_path / "bad.rq"), "--graph", str(ROOT / "tests" / "fixtures" / "analytics_fixture.ttl")])
    assert result.exit_code == 2 and "bad.rq: not UTF-8 text" in result.stderr
    long_query = 'SELECT ?s WHERE { ?s ?p "' + "x" * 400 + '" }'  # once taken for a file name (ENAMETOOLONG)
    result = runner.invoke(main, ["sparql", long_query, "--graph", str(ROOT / "tests" / "fixtures" / "analytics_fixture.ttl")])
    assert result.exit_code == 0 and "(0 rows)" in result.stdout


def test_an_unexpected_error_is_one_line_exit_3_and_debug_shows_the_traceback(runner, monkeypatch):
    from kg import api

    def broken(*args, **kwargs):
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(api, "queries", broken)
    result = runner.invoke(main, ["queries"])
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr == ("error: unexpected RuntimeError: something nobody expected (a bug in govkg: run again "
                             "with `govkg --debug …` for the traceback and report it)\n")
    result = runner.invoke(main, ["--debug", "queries"])
    assert isinstance(result.exception, RuntimeError)


def test_an_output_that_cannot_be_written_is_one_line_and_leaves_the_old_file(runner, tmp_path, monkeypatch):
    import errno
    import os

    from kg.core.errors import OutputError
    from kg.store.rdfio import write_atomic

    target = write_atomic(tmp_path / "report.html", "old")

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError) as failed:
        write_atomic(target, "new")
    assert str(failed.value) == f"{target}: the disk is full (free some space or write elsewhere; the earlier file is unchanged)"
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["report.html"]

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    result = runner.invoke(main, ["export", str(ROOT / "tests" / "fixtures" / "export_fixture.ttl"), "--out", str(tmp_path / "t")])
    assert result.exit_code == 3
    assert result.stderr.startswith("error: ") and "the file system is read-only (write somewhere else" in result.stderr


def test_a_broken_graph_file_is_one_line_with_its_line(runner, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("b'@prefix x: <y> .'\nb'foo'\nb'bar'\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(broken)])
    assert result.exit_code == 3
    assert result.stderr == (f"error: {broken}:1: not a valid turtle graph: Bad syntax (expected directive or statement) "
                             "(rebuild it with `govkg build`)\n")


def test_queries_lists_each_parameter_with_its_kind_meaning_and_default(runner):
    from kg.query.named import list_queries

    result = runner.invoke(main, ["queries"])
    assert result.exit_code == 0
    for query in list_queries():
        for param in query.params:
            assert f"--param {param.name}=<{param.kind}>  {param.meaning}" in result.output
    listed = json.loads(runner.invoke(main, ["queries", "--format", "json"]).stdout)
    assert all(p["meaning"] for q in listed for p in q["params"])


def test_the_cli_offers_exactly_what_the_registries_hold():
    from kg.ingest.stages import STAGES
    from kg.outputs.analytics import PROJECTIONS
    from kg.outputs.formats import NETWORKS, ReportFormat, View
    from kg.outputs.viz import VIEWS
    from kg.query.results import ResultFormat

    def choices(command, option):
        param = next(p for p in main.commands[command].params if p.name == option)
        return list(param.type.choices)

    assert choices("build", "until") == STAGES
    assert choices("sparql", "fmt") == [f.value for f in ResultFormat]
    assert choices("report", "fmt") == [f.value for f in ReportFormat]
    assert choices("viz", "view") == [v.value for v in View] == list(VIEWS)
    assert choices("export", "network") == list(NETWORKS) == list(PROJECTIONS)


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    script = Path(sys.executable).parent / "govkg"
    if not script.is_file():
        pytest.skip("the console script is not installed")
    done = subprocess.run(f"'{script}' queries | head -1", shell=True, capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.count("\n") == 1 and done.stderr == ""


def test_the_library_names_every_public_function_and_types_its_results():
    import inspect

    from kg import api

    public = {name for name, value in vars(api).items()
              if inspect.isfunction(value) and value.__module__ == "kg.api" and not name.startswith("_")}
    assert public <= set(api.__all__), sorted(public - set(api.__all__))
    untyped = [name for name in public if inspect.signature(getattr(api, name)).return_annotation is inspect.Signature.empty]
    assert untyped == []
