"""The same corpus built three ways — one process, a pool of 2 (`--jobs 2`), a 2-worker local
dask cluster (`--executor dask --jobs 2`) — with time, peak memory and a check that the three
stores hold isomorphic graphs; then the per-document cost of each part of a build, from which
the README estimates a 10^6-document run on a cluster.

    pip install '.[dask]'
    python bench/bench_dask.py --documents 100 [--bundled-only]

Each build is a fresh `govkg build DIR --out OUT` process (new store, SHACL validation
included); peak memory is the resident size of its whole process tree (for dask: the workers
are children of the build, which starts the cluster). The graphs are compared named graph by
named graph with rdflib.compare.isomorphic. Per-document costs, in this process: the worker's
unit of work (`build_source`: segment, extract, resolve, RDF, SHACL), putting its result into
the store (`replace_graph`, as the build does), and writing its N-Quads shard; and the time to
start and stop a 2-worker local cluster.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_scale import timed_command  # noqa: E402

BUILDS = {"serial (--jobs 1)": ["--jobs", "1"], "pool (--jobs 2)": ["--jobs", "2"],
          "dask (--executor dask --jobs 2)": ["--executor", "dask", "--jobs", "2"]}


def timed_build(corpus: Path, out: Path, extra: list[str]) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, str(ROOT / "cli.py"), "build", str(corpus), "--out", str(out), *extra]
    elapsed, peak = timed_command(command, cwd=ROOT)
    return {"seconds": round(elapsed, 1), "peak_rss_mb": round(peak / 1e6)}


def named_graphs(store_dir: Path) -> dict:
    from rdflib import Graph

    from kg.store.graphstore import GraphStore

    store = GraphStore(store_dir, read_only=True)
    return {iri: Graph().parse(data=store.graph_ntriples(iri), format="nt") for iri in store.named_graphs()}


def isomorphic_stores(first: Path, second: Path) -> bool:
    from rdflib.compare import isomorphic

    ours, theirs = named_graphs(first), named_graphs(second)
    return sorted(ours) == sorted(theirs) and all(isomorphic(graph, theirs[iri]) for iri, graph in ours.items())


def per_document_costs(corpus: Path, work: Path) -> dict:
    """Seconds per document of reading (in the build's process), the worker's work, the store
    load and the shard write (medians, and means where the tail matters)."""
    from kg.core import iris
    from kg.ingest.pipeline import build_source, write_shard
    from kg.ingest.readers import read_source
    from kg.ingest.to_rdf import vocabulary_ntriples
    from kg.store.graphstore import GraphStore

    paths = sorted(corpus.glob("*.txt"))
    start = time.perf_counter()
    sources = [read_source(p) for p in paths]
    reading = (time.perf_counter() - start) / len(paths)
    build_source(sources[0])  # vocabularies, shapes and scorer loaded before timing, as in a worker
    shutil.rmtree(work, ignore_errors=True)
    store = GraphStore(work / "store")
    store.ensure_ontology(vocabulary_ntriples)
    building, loading, sharding, statements, sent, entities = [], [], [], 0, 0, 0
    with store.union_loaded_at_end():
        for source in sources:
            start = time.perf_counter()
            result = build_source(source)
            building.append(time.perf_counter() - start)
            graph = iris.document_graph(result.name)
            start = time.perf_counter()
            store.replace_graph(graph, result.ntriples, source_name=result.name, sha256=result.sha256)
            loading.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_shard(work / "shards", result.name, graph, result.ntriples)
            sharding.append(time.perf_counter() - start)
            statements += result.ntriples.count(b"\n")
            sent += len(result.ntriples)
            entities += len(result.entity_types)
        start = time.perf_counter()
    union = time.perf_counter() - start  # the union graph's one bulk load at the end of the batch
    return {"documents": len(sources), "statements_per_document": round(statements / len(sources)),
            "entities_per_document": round(entities / len(sources)), "read_s": round(reading, 4),
            "result_kb_per_document": round(sent / len(sources) / 1e3, 1),
            "work_s": round(statistics.median(building), 3), "work_mean_s": round(statistics.fmean(building), 3),
            "store_load_s": round(statistics.median(loading), 4), "store_load_mean_s": round(statistics.fmean(loading), 4),
            "union_load_per_document_s": round(union / len(sources), 4),
            "shard_write_s": round(statistics.median(sharding), 4)}


def cluster_start_stop() -> float:
    import logging

    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster):
        pass
    return round(time.perf_counter() - start, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--bundled-only", action="store_true", help="templates from data/ only (the same corpus everywhere)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "govkg-bench-dask")
    args = parser.parse_args()
    from bench.gen_corpus import generate

    corpus = args.workdir / f"corpus-{args.documents}"
    shutil.rmtree(corpus, ignore_errors=True)
    generate(args.documents, corpus, bundled_only=args.bundled_only)
    size = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    results: dict = {"documents": args.documents, "mb": round(size / 1e6, 2), "builds": {}}
    outs = {}
    for name, extra in BUILDS.items():
        outs[name] = args.workdir / f"out-{len(outs)}"
        row = timed_build(corpus, outs[name], extra)
        row["docs_per_s"] = round(args.documents / row["seconds"], 2)
        results["builds"][name] = row
        print(json.dumps({name: row}, ensure_ascii=False), flush=True)
    serial = next(iter(outs.values()))
    results["isomorphic_to_serial"] = {name: isomorphic_stores(serial / "store", outs[name] / "store") for name in list(outs)[1:]}
    print(json.dumps({"isomorphic_to_serial": results["isomorphic_to_serial"]}), flush=True)
    results["per_document"] = per_document_costs(corpus, args.workdir / "costs")
    print(json.dumps({"per_document": results["per_document"]}), flush=True)
    results["local_cluster_start_stop_s"] = cluster_start_stop()
    print(json.dumps({"local_cluster_start_stop_s": results["local_cluster_start_stop_s"]}), flush=True)
    (args.workdir / "bench_dask.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    if not all(results["isomorphic_to_serial"].values()):
        raise SystemExit("the builds differ")


if __name__ == "__main__":
    main()
