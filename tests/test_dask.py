"""Builds on a dask.distributed cluster (#14 item 5): a local cluster of 2 workers gives the
serial build's graph, writes loadable N-Quads shards, and a bad file fails alone with the
serial build's one-line error. Skipped when dask is not installed, but for the test of the
message that says how to install it."""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT

from kg.cli import main

needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="dask.distributed is not installed (pip install 'govkg[dask]')")
GENERATED = 12


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    sys.path.insert(0, str(ROOT))
    from bench.gen_corpus import generate

    work = tmp_path_factory.mktemp("dask")
    generate(GENERATED, work / "corpus", bundled_only=True)
    (work / "corpus" / "empty.txt").write_bytes(b"")
    (work / "corpus" / "broken.docx").write_bytes(b"not a zip")
    return work


@pytest.fixture(scope="module")
def builds(corpus):
    """The serial build and the dask build (a local cluster of 2 workers) of the same corpus, by the CLI."""
    runner = CliRunner()
    serial = runner.invoke(main, ["build", str(corpus / "corpus"), "--out", str(corpus / "serial"), "--jobs", "1"])
    distributed = runner.invoke(main, ["build", str(corpus / "corpus"), "--out", str(corpus / "dask"), "--executor", "dask",
                                       "--jobs", "2", "--shards", str(corpus / "shards")])
    return serial, distributed


def _named_graphs(store_dir):
    from rdflib import Graph

    from kg.store.graphstore import GraphStore

    store = GraphStore(store_dir, read_only=True)
    return {iri: Graph().parse(data=store.graph_ntriples(iri), format="nt") for iri in store.named_graphs()}


@needs_dask
def test_a_dask_build_gives_the_serial_build_s_graph(builds, corpus):
    from rdflib.compare import isomorphic

    serial, distributed = builds
    assert serial.exit_code == distributed.exit_code == 3, distributed.stderr  # 3: the two bad files
    ours, theirs = _named_graphs(corpus / "serial" / "store"), _named_graphs(corpus / "dask" / "store")
    # every source's graph, the evidence graph and the ontology's
    assert len(ours) == GENERATED + 2 and sorted(ours) == sorted(theirs)
    for iri, graph in ours.items():
        assert len(graph) > 0 and isomorphic(graph, theirs[iri]), iri
    # The same summary, whatever order the workers finished in (only the output directory differs).
    assert serial.stdout.replace("/serial/", "/dask/") == distributed.stdout


@needs_dask
def test_a_bad_file_fails_alone_with_the_serial_build_s_line(builds):
    serial, distributed = builds
    errors = [line for line in distributed.stderr.splitlines() if line.startswith("error:")]
    assert errors == [line for line in serial.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert re.search(r"^error: .*empty\.txt: the file is empty \(remove it", errors[0] + "\n" + errors[1], re.M)
    assert any(re.search(r"broken\.docx: not a readable \.docx file", line) for line in errors)


@needs_dask
def test_shards_hold_the_store_s_graphs_and_load_into_another_store(builds, corpus):
    import pyoxigraph as ox

    from kg.core import iris
    from kg.store.graphstore import GraphStore

    shards = sorted((corpus / "shards").iterdir())
    expected = {f"{iris.file_key(p.name)}.nq" for p in (corpus / "corpus").glob("gen_*.txt")} | {"ontology.nq"}
    assert {p.name for p in shards} == expected and not list((corpus / "shards").glob(".*"))
    other = ox.Store(str(corpus / "loaded"))
    for shard in shards:
        other.bulk_load(path=str(shard), format=ox.RdfFormat.N_QUADS)
    store = GraphStore(corpus / "dask" / "store", read_only=True)
    assert set(other) == set(store.quads()) and len(other) > 10000


@needs_dask
def test_an_unchanged_source_s_shard_comes_from_the_store(builds, corpus):
    first = {p.name: p.read_bytes() for p in (corpus / "shards").iterdir()}
    result = CliRunner().invoke(main, ["build", str(corpus / "corpus"), "--out", str(corpus / "dask"),
                                       "--shards", str(corpus / "shards-again")])
    assert f"{GENERATED} unchanged source file(s) skipped" in result.stdout
    again = {p.name: p.read_bytes() for p in (corpus / "shards-again").iterdir()}
    assert again.keys() == first.keys()
    for name, data in first.items():  # the same statements; Oxigraph's dump orders them its own way
        assert sorted(again[name].splitlines()) == sorted(data.splitlines()), name


@needs_dask
def test_a_source_whose_work_raises_on_a_worker_fails_alone(tmp_path, corpus):
    """A source that reads but cannot be built: its error names it, the others are stored."""
    import dataclasses
    import logging

    from distributed import LocalCluster

    from kg.ingest.executors import guarded
    from kg.ingest.pipeline import BuildState, process_source, stage_build_into_store
    from kg.ingest.readers import read_source
    from kg.store.graphstore import GraphStore

    paths = sorted((corpus / "corpus").glob("gen_*.txt"))[:2]
    good = read_source(paths[0])
    bad = dataclasses.replace(read_source(paths[1]), text=None)  # normalize() raises on the worker
    state = BuildState(paths=paths, sources=[good, bad], store=GraphStore(tmp_path / "store"))
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        stage_build_into_store(state, jobs=1, validate=False, executor="dask", scheduler=cluster.scheduler_address)
    raised = guarded(process_source, bad)  # what the worker met, met here
    assert raised.message.startswith("AttributeError: ")
    assert [str(e) for e in state.errors] == [f"{paths[1]}: could not be built: {raised.message} "
                                              "(a bug in govkg: please report it with this file)"]
    assert set(state.store.sources()) == {good.name, "(ontology)"}
    assert state.documents and {row["source"] for row in state.documents} == {good.name}


def test_a_source_whose_work_raises_fails_alone_in_a_local_build_too(tmp_path):
    import dataclasses

    from kg.ingest.pipeline import BuildState, stage_build_into_store
    from kg.ingest.readers import read_source
    from kg.store.graphstore import GraphStore

    (tmp_path / "a.txt").write_bytes((ROOT / "tests" / "golden" / "mini_plan.txt").read_bytes())
    (tmp_path / "b.txt").write_bytes((ROOT / "tests" / "golden" / "mini_plan.txt").read_bytes())
    good, bad = read_source(tmp_path / "a.txt"), dataclasses.replace(read_source(tmp_path / "b.txt"), text=None)
    state = BuildState(paths=[tmp_path / "a.txt", tmp_path / "b.txt"], sources=[good, bad], store=GraphStore(tmp_path / "store"))
    stage_build_into_store(state, jobs=1, validate=False)
    assert [str(e).split(": could not be built: ")[0] for e in state.errors] == [str(tmp_path / "b.txt")]
    assert set(state.store.sources()) == {"a.txt", "(ontology)"}


def test_without_dask_the_error_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "tests" / "golden" / "mini_plan.txt", src / "a.txt")
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "out"), "--executor", "dask"])
    assert result.exit_code == 3
    assert result.stderr == ("error: --executor dask needs dask.distributed, which is not installed "
                             "(pip install 'govkg[dask]')\n")
    assert not (tmp_path / "out" / "govkg.ttl").exists()


@pytest.mark.parametrize("arguments, message", [
    (["--scheduler", "tcp://127.0.0.1:8786"], "error: --scheduler needs --executor dask (add --executor dask, or drop --scheduler)\n"),
    (["--no-store", "--executor", "dask"], "error: --executor dask works on a build into the store (drop --no-store and --until)\n"),
    (["--until", "extract", "--shards", "shards"], "error: --shards works on a build into the store (drop --no-store and --until)\n"),
])
def test_executor_options_that_do_not_fit_are_one_line(tmp_path, arguments, message):
    result = CliRunner().invoke(main, ["build", str(ROOT / "tests" / "golden" / "mini_plan.txt"), "--out", str(tmp_path / "o"),
                                       *arguments])
    assert (result.exit_code, result.stderr) == (3, message)
