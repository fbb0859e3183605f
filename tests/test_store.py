"""The embedded store: incremental builds, removal, interruption, parallel equivalence."""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import DATA, ROOT

SAMPLE = DATA / "newsletter_2023_19.txt"


def _build(paths, out, **options):
    from kg import api

    return api.build([str(p) for p in paths], out_dir=out, store=out / "store", **options)


def _stored(store_dir):
    from kg.store.graphstore import GraphStore

    return GraphStore(store_dir, read_only=True).sources()


def _two_sources(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SAMPLE, src / "a.txt")
    (src / "b.txt").write_text("成都市数字政府建设实施方案（2024—2026年）\n\n一、重点任务\n\n1.推进一网通办。建设市一体化政务服务平台。"
                               "〔牵头单位：市政务服务局〕\n", encoding="utf-8")
    return src


def test_unchanged_sources_are_skipped_and_changed_ones_replaced(tmp_path):
    src, out = _two_sources(tmp_path), tmp_path / "out"
    first = _build([src], out)
    assert {s.name for s in first.state.sources} == {"a.txt", "b.txt"} and first.conforms
    before = {name: (out / name).read_bytes() for name in ("govkg.ttl", "govkg.trig")}

    second = _build([src], out)
    assert sorted(second.state.unchanged) == ["a.txt", "b.txt"] and second.state.sources == []
    # The outputs rewritten from the store are identical to those made from the workers' Turtle.
    assert {name: (out / name).read_bytes() for name in before} == before

    (src / "b.txt").write_text((src / "b.txt").read_text(encoding="utf-8").replace("市一体化政务服务平台", "市统一公共支付平台"),
                               encoding="utf-8")
    third = _build([src], out)
    assert third.state.unchanged == ["a.txt"] and [s.name for s in third.state.sources] == ["b.txt"]
    text = (out / "govkg.ttl").read_text(encoding="utf-8")
    assert "市统一公共支付平台" in text and "市一体化政务服务平台" not in text  # old graph replaced, not added to
    assert "豫事办" in text  # the unchanged source is still there
    stored = _stored(out / "store")
    import hashlib

    assert stored["b.txt"].sha256 == hashlib.sha256((src / "b.txt").read_bytes()).hexdigest()


def test_remove_deletes_a_source_graph(tmp_path):
    from kg import api

    src, out = _two_sources(tmp_path), tmp_path / "out"
    _build([src], out)
    assert api.remove(["b.txt", "missing.txt"], store=out / "store") == ["b.txt"]
    assert set(_stored(out / "store")) == {"a.txt", "(ontology)"}
    _build([src / "a.txt"], out)
    assert "市政务服务局" not in (out / "govkg.ttl").read_text(encoding="utf-8")


def test_parallel_build_equals_a_one_process_build(tmp_path):
    src = _two_sources(tmp_path)
    shutil.copy(ROOT / "tests" / "golden" / "mini_plan.txt", src / "c.txt")
    one = _build([src], tmp_path / "one", jobs=1)
    two = _build([src], tmp_path / "two", jobs=2)
    assert one.counts == two.counts
    for name in ("govkg.ttl", "govkg.trig"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_store_and_memory_builds_hold_the_same_graph(tmp_path):
    from rdflib import Dataset, Graph
    from rdflib.compare import isomorphic

    from kg import api

    src = _two_sources(tmp_path)
    api.build([str(src)], out_dir=tmp_path / "mem")
    _build([src], tmp_path / "sto")
    graphs = [Graph().parse(tmp_path / mode / "govkg.ttl") for mode in ("mem", "sto")]
    assert len(graphs[0]) > 30000 and isomorphic(*graphs)
    datasets = [Dataset().parse(tmp_path / mode / "govkg.trig") for mode in ("mem", "sto")]
    names = [sorted(str(g.identifier) for g in d.graphs() if len(g) and not str(g.identifier).endswith("/meta"))
             for d in datasets]
    assert names[0] == names[1]


def test_store_builds_are_byte_identical_across_runs(tmp_path):
    import pyoxigraph as ox

    src = _two_sources(tmp_path)
    _build([src], tmp_path / "a", validate=False, formats=("ttl", "trig", "jsonld", "nq"))
    _build([src], tmp_path / "b", validate=False, formats=("ttl", "trig", "jsonld", "nq"))
    for name in ("govkg.ttl", "govkg.trig", "govkg.jsonld", "govkg.nq"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    # TriG copies the sources' graphs from the workers' Turtle, N-Quads dumps them from the store: the same quads.
    trig, nquads = (set(ox.parse(path=tmp_path / "a" / name)) for name in ("govkg.trig", "govkg.nq"))
    assert trig == nquads and len({quad.graph_name for quad in trig}) >= 4


def test_a_killed_build_loses_nothing_already_built(tmp_path):
    """Kill a build between two sources: every source in the store is either as it was before
    the build or as it became, with its hash; a later build completes the job."""
    import hashlib

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    names = [f"doc{i}.txt" for i in range(4)]
    for name in names:
        shutil.copy(SAMPLE, src / name)
    _build([src], out, validate=False)
    old = {name: hashlib.sha256((src / name).read_bytes()).hexdigest() for name in names}
    for index, name in enumerate(names):
        text = (src / name).read_text(encoding="utf-8")
        (src / name).write_text(text.replace("（来源：河南省人民政府）", f"升级完善“修订{index}号”平台。\n\n（来源：河南省人民政府）"),
                                encoding="utf-8")
    new = {name: hashlib.sha256((src / name).read_bytes()).hexdigest() for name in names}

    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "build", str(src), "--out", str(out), "--no-validate"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    deadline = time.monotonic() + 120
    killed_midway = False
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            stored = _stored(out / "store")
        except Exception:  # the writer may be mid-flush; look again
            continue
        done = sum(stored[n].sha256 == new[n] for n in names if n in stored)
        if 0 < done < len(names):
            os.kill(process.pid, signal.SIGKILL)
            killed_midway = True
            break
    process.wait()
    assert killed_midway, "the build finished before it could be interrupted"

    from kg.store.graphstore import GraphStore
    from kg.core import iris

    store = GraphStore(out / "store", read_only=True)
    stored = store.sources()
    states = []
    for name in names:
        assert stored[name].sha256 in (old[name], new[name])
        states.append(stored[name].sha256 == new[name])
        quads = store.quads(iris.document_graph(name))
        assert len(quads) > 10000  # the graph is whole, old or new
        marker = any("修订" in str(q.object) and "号" in str(q.object) for q in quads)
        assert marker == states[-1]  # the content is the one the recorded hash says
    assert any(states) and not all(states)
    del store

    final = _build([src], out, validate=False)
    assert sorted(final.state.unchanged) == sorted(n for n, s in zip(names, states) if s)
    assert all(s.sha256 == new[n] for n, s in _stored(out / "store").items() if n in names)


def test_a_new_source_caught_mid_load_is_rebuilt_whole(tmp_path):
    """A new source is bulk-loaded before its hash is recorded: a build killed in between leaves
    part of a graph and no hash, and the next build replaces that part with the whole graph."""
    import pyoxigraph as ox

    from kg.core import iris
    from kg.store.graphstore import GraphStore

    src = _two_sources(tmp_path)
    _build([src], tmp_path / "clean", validate=False)
    graph = iris.document_graph("b.txt")
    whole = set(GraphStore(tmp_path / "clean" / "store", read_only=True).quads(graph))

    store = GraphStore(tmp_path / "out" / "store")
    part = sorted(whole, key=str)[: len(whole) // 2] + [ox.Quad(ox.NamedNode("urn:stale"), ox.NamedNode("urn:p"),
                                                                 ox.Literal("left over"), ox.NamedNode(graph))]
    store.oxigraph.bulk_extend(part)
    del store
    assert "b.txt" not in _stored(tmp_path / "out" / "store")

    _build([src], tmp_path / "out", validate=False)
    assert set(GraphStore(tmp_path / "out" / "store", read_only=True).quads(graph)) == whole


def test_a_store_written_under_the_earlier_graph_names_is_migrated(tmp_path):
    """Stores built before sources were keyed on their whole name held plan_a.txt's graph as
    graph/plan-a-txt: the next build drops that graph and its record and rebuilds the source."""
    from kg import api
    from kg.core.namespaces import META_GRAPH
    from kg.store.graphstore import GraphStore, _GRAPH, _NAME

    (tmp_path / "plan_a.txt").write_text("某市数字政府建设实施方案（2024—2026年）\n\n一、主要任务\n\n1.建设甲平台。\n",
                                         encoding="utf-8")
    out = tmp_path / "out"
    api.build([tmp_path / "plan_a.txt"], out_dir=out, store=out / "store")
    old_graph = "https://w3id.org/govkg/graph/plan-a-txt"
    store = GraphStore(out / "store")
    new_graph = store.sources()["plan_a.txt"].graph
    # the record and the graph as the earlier scheme named them
    store.oxigraph.update(f"MOVE <{new_graph}> TO <{old_graph}> ;\n"
                          f"DELETE {{ GRAPH <{META_GRAPH}> {{ ?s <{_GRAPH}> ?g }} }} "
                          f"INSERT {{ GRAPH <{META_GRAPH}> {{ ?s <{_GRAPH}> <{old_graph}> }} }} "
                          f"WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{_GRAPH}> ?g ; <{_NAME}> \"plan_a.txt\" }} }}")
    del store
    result = api.build([tmp_path / "plan_a.txt"], out_dir=out, store=out / "store")
    assert result.state.unchanged == []  # rebuilt, not skipped as unchanged
    store = GraphStore(out / "store", read_only=True)
    assert store.sources()["plan_a.txt"].graph == new_graph == "https://w3id.org/govkg/graph/plan_a.txt"
    assert not list(store.oxigraph.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(old_graph)))


def test_outputs_streamed_from_the_store_hold_what_the_store_holds(tmp_path):
    """Every output file is streamed from the store into a temporary file: Turtle and JSON-LD
    hold the union graph and the evidence graph, TriG and N-Quads every other graph, quad for
    quad. The passages are stored once, in the evidence graph: in no source's graph, not in the
    union."""
    import pyoxigraph as ox
    from rdflib import Dataset

    from kg.core import iris
    from kg.core.namespaces import EVIDENCE_GRAPH, UNION_GRAPH
    from kg.store.graphstore import GraphStore

    formats = ("ttl", "trig", "jsonld", "nq")
    out = tmp_path / "out"
    _build([DATA], out, validate=False, formats=formats)
    store = GraphStore(out / "store", read_only=True).oxigraph
    union, evidence = ox.NamedNode(UNION_GRAPH), ox.NamedNode(EVIDENCE_GRAPH)
    quads = {q for q in store if q.graph_name != union}
    passages = {q.triple for q in store.quads_for_pattern(None, None, None, evidence)}
    facts = {q.triple for q in store.quads_for_pattern(None, None, None, union)}
    assert len(quads) > 10000 and len(facts) > 5000 and len(passages) > 5000 and not facts & passages
    about_passages = {q for q in store if q.graph_name != evidence and (q.subject.value.startswith(iris.EVIDENCE) or
                                                                        q.object.value.startswith(iris.EVIDENCE))}
    assert not about_passages
    triples = facts | passages
    for name, fmt in (("govkg.ttl", ox.RdfFormat.TURTLE), ("govkg.jsonld", ox.RdfFormat.JSON_LD)):
        assert {q.triple for q in ox.parse(path=str(out / name), format=fmt)} == triples, name
    for name, fmt in (("govkg.trig", ox.RdfFormat.TRIG), ("govkg.nq", ox.RdfFormat.N_QUADS)):
        assert set(ox.parse(path=str(out / name), format=fmt)) == quads, name
    dataset = Dataset()  # and another parser reads the TriG written graph by graph alike
    dataset.parse(out / "govkg.trig", format="trig")
    assert len(set(dataset.quads())) == len(quads)
    assert not list(out.glob(".*tmp")) and not list(out.glob(".dump-*"))


def test_an_output_that_fails_midway_leaves_every_earlier_output(tmp_path, monkeypatch):
    """The files are renamed over the earlier ones only once all are written: a failure while
    writing the second leaves the first one's earlier version too, and no temporary file."""
    import errno

    import kg.store.rdfio as rdfio
    from kg.core.errors import OutputError

    out = tmp_path / "out"
    _build([DATA], out, validate=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert set(before) == {"govkg.ttl", "govkg.trig", "dataset.ttl"}

    def full(store, path):
        path.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rdfio, "_write_trig", full)
    src = _two_sources(tmp_path)
    with pytest.raises(OutputError, match=r"govkg\.trig: the disk is full"):
        _build([src], out, validate=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not list(out.glob(".*tmp")) and not list(out.glob(".dump-*"))


def test_new_sources_are_stored_in_batches_and_a_failed_batch_keeps_the_earlier_ones(tmp_path, monkeypatch):
    """New sources go into the store a batch at a time (one bulk load each, the hashes after);
    the batch size does not change what is stored, and a build that fails in its second batch
    keeps the first batch's sources, recorded, for the next build to skip."""
    import kg.ingest.pipeline as pipeline
    from kg.store.graphstore import GraphStore

    src = tmp_path / "src"
    src.mkdir()
    for index in range(3):
        shutil.copy(SAMPLE, src / f"doc{index}.txt")
    lines: list[str] = []
    _build([src], tmp_path / "one", validate=False, progress=lines.append)
    assert [line for line in lines if "stored" in line] == ["stored 3 source(s) in one batch (3/3 in the store)"]

    monkeypatch.setattr(pipeline, "BATCH_BYTES", 1)  # every source a batch of its own
    lines.clear()
    _build([src], tmp_path / "each", validate=False, progress=lines.append)
    assert [line for line in lines if "stored" in line] == [f"stored 1 source(s) in one batch ({n}/3 in the store)"
                                                            for n in (1, 2, 3)]
    one, each = (GraphStore(tmp_path / name / "store", read_only=True) for name in ("one", "each"))
    assert set(one.oxigraph) == set(each.oxigraph) and len(one.sources()) == 4  # and the ontology
    del one, each

    real, calls = GraphStore.replace_graphs, []

    def fails_second(self, graphs):
        calls.append(len(graphs))
        if len(calls) == 3:  # the ontology, the first source, then this
            raise OSError("killed")
        return real(self, graphs)

    monkeypatch.setattr(GraphStore, "replace_graphs", fails_second)
    with pytest.raises(OSError, match="killed"):
        _build([src], tmp_path / "failed", validate=False)
    assert set(_stored(tmp_path / "failed" / "store")) == {"(ontology)", "doc0.txt"}
    monkeypatch.setattr(GraphStore, "replace_graphs", real)
    assert _build([src], tmp_path / "failed", validate=False).state.unchanged == ["doc0.txt"]


def test_a_pool_build_keeps_only_a_few_sources_in_flight_and_their_order():
    """The local executor hands the workers a bounded window of sources, not all at once: when
    the store loads more slowly than the workers build, results must not pile up in memory."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from kg.core.model import Source
    from kg.ingest.executors import _in_order

    started, lock = [], threading.Lock()

    def work(source):
        with lock:
            started.append(source.name)
        return source.name.upper()

    sources = [Source(name=f"s{i}.txt", text="", encoding="utf-8", sha256="", format="txt") for i in range(50)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = _in_order(pool, work, sources, window=4)
        first = next(results)
        pool.submit(lambda: None).result()  # let the pool run what it was given
        assert len(started) <= 5  # the window, and the one submitted after the first result
        rest = list(results)
    assert [first, *rest] == [(s, s.name.upper()) for s in sources]
