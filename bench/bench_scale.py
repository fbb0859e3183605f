"""Build throughput and peak memory at N = 10, 100, 1,000 generated documents, beside
Oxigraph's own bulk-load rate, and extraction throughput compared with jieba's segmentation of
the same text.

    pip install '.[bench]'
    python bench/bench_scale.py --sizes 10 100 1000 --jobs 2 --runs 3
    python bench/bench_scale.py --sizes 200 1000 --runs 3 --baseline ../other-checkout

For each N: generate the corpus (bench/gen_corpus.py, fixed seed), then time a fresh
`govkg build DIR --out OUT --jobs J` (a new store; SHACL validation included) and sample the
resident memory of the whole process tree (main process and workers) every 0.1 s; with
``--runs R``, the row is the median of R builds (seconds and peak memory each their median).
Statements are the quads the build stored (every graph but the derived union graph);
statements/s divides them by the build's wall time. The ceiling beside it: the same quads
dumped as N-Quads and bulk-loaded by Oxigraph into a new store in a process of their own.
Extraction throughput: segment + extract of the N=100 corpus in one process, against
`jieba.lcut` over the same text (dictionary loading excluded for both). First of all, the
machine's speed in this run (bench/reference.py: two fixed workloads no govkg code takes part
in), so that rows of different days or machines compare by their ratio to it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _tree_rss(pid: int, *, proportional: bool = False) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc). ``proportional``:
    the proportional set size instead, so pages a forked child shares with its parent count
    once (split between them), not once in each."""
    source, field = ("smaps_rollup", "Pss:") if proportional else ("status", "VmRSS:")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/{source}") as handle:
                for line in handle:
                    if line.startswith(field):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack += [int(c) for c in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def timed_command(command: list[str], *, cwd: Path) -> tuple[float, int]:
    """Run a build command; its wall time and the peak memory of its process tree (bytes).
    Exit 1 (some documents without a target) is no failure; any other is, with its stderr."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(process.stderr.read().decode())
    return elapsed, peak


def timed_build(corpus: Path, out: Path, jobs: int, validate: bool = True, root: Path = ROOT) -> dict:
    """One fresh build by the checkout at ``root`` (this one by default)."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, str(root / "cli.py"), "build", str(corpus), "--out", str(out), "--jobs", str(jobs)]
    if not validate:
        command.append("--no-validate")
    elapsed, peak = timed_command(command, cwd=root)
    size = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    count = len(list(corpus.glob("*.txt")))
    return {"documents": count, "mb": round(size / 1e6, 2), "seconds": round(elapsed, 1),
            "docs_per_s": round(count / elapsed, 2), "mb_per_s": round(size / 1e6 / elapsed, 3),
            "peak_rss_mb": round(peak / 1e6), "jobs": jobs, "validate": validate}


def stored_statements(store_dir: Path) -> int:
    """Quads in every graph of the store but the union graph (derived from the others)."""
    import pyoxigraph as ox

    from kg.core.namespaces import UNION_GRAPH

    store = ox.Store.read_only(str(store_dir))
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} "
                       f"FILTER(?g != <{UNION_GRAPH}>) }} }}")
    return int(next(iter(rows))["n"].value)


_BULK_LOAD = """
import sys, time, pyoxigraph as ox
store = ox.Store(sys.argv[2])
start = time.perf_counter()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
store.flush()
print(time.perf_counter() - start)
"""


def oxigraph_bulk_load(store_dir: Path, work: Path) -> dict:
    """The store's quads (the union graph left out) as N-Quads, bulk-loaded by Oxigraph into a
    new store in a fresh process: the rate the store itself can take them at on this disk."""
    import pyoxigraph as ox

    from kg.core.namespaces import UNION_GRAPH

    dump, target = work / "ceiling.nq", work / "ceiling-store"
    shutil.rmtree(target, ignore_errors=True)
    store = ox.Store.read_only(str(store_dir))
    with open(dump, "wb") as handle:
        ox.serialize((q for q in store if q.graph_name != ox.NamedNode(UNION_GRAPH)), handle, format=ox.RdfFormat.N_QUADS)
    del store
    count = sum(1 for _ in open(dump, "rb"))
    done = subprocess.run([sys.executable, "-c", _BULK_LOAD, str(dump), str(target)], capture_output=True, text=True, check=True)
    seconds = float(done.stdout.strip())
    dump.unlink()
    shutil.rmtree(target, ignore_errors=True)
    return {"oxigraph_bulk_load_s": round(seconds, 1), "oxigraph_statements_per_s": round(count / seconds)}


def median_row(rows: list[dict]) -> dict:
    """One row for several runs: each timing and memory figure its median, the runs listed."""
    row = dict(rows[0])
    for key in ("seconds", "peak_rss_mb"):
        row[key] = statistics.median(r[key] for r in rows)
    row["docs_per_s"] = round(row["documents"] / row["seconds"], 2)
    row["mb_per_s"] = round(row["mb"] / row["seconds"], 3)
    row["runs"] = [[r["seconds"], r["peak_rss_mb"]] for r in rows]
    return row


def _timed(function, seconds: dict, name: str):
    def run(*args):
        start = time.perf_counter()
        try:
            return function(*args)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
    return run


def extraction_vs_jieba(corpus: Path) -> dict:
    """Segment + extract throughput of the corpus's .txt files beside ``jieba.lcut``'s, with the
    seconds of each stage and extractor ("documents": describing each document)."""
    from kg.ingest.extract import EXTRACTORS, extract_document
    from kg.core.ontology import initiatives, platform_kind_cues
    from kg.ingest.readers import read_source
    from kg.ingest.segment import split_documents
    from kg.core.text import normalize

    sources = [read_source(p) for p in sorted(corpus.glob("*.txt"))]
    text_bytes = sum(len(s.text.encode("utf-8")) for s in sources)
    initiatives(), platform_kind_cues()  # vocabularies loaded before timing, like jieba's dictionary
    extract_document(split_documents(sources[0])[0])
    seconds: dict[str, float] = {}
    registered = dict(EXTRACTORS)
    EXTRACTORS.update({name: _timed(extractor, seconds, name) for name, extractor in registered.items()})
    try:
        start = time.perf_counter()
        for source in sources:
            norm = _timed(normalize, seconds, "normalize")(source.text)
            for segment in _timed(split_documents, seconds, "segment")(source, norm):
                extract_document(segment)
        ours = time.perf_counter() - start
    finally:
        EXTRACTORS.update(registered)
    seconds["documents"] = ours - sum(seconds.values())  # the rest: describe_document and the loop
    result = {"text_mb": round(text_bytes / 1e6, 2), "govkg_extract_mb_per_s": round(text_bytes / 1e6 / ours, 2),
              "govkg_seconds": {name: round(value, 3) for name, value in seconds.items()}}
    try:
        import jieba
    except ImportError:
        result["jieba_mb_per_s"] = None
        return result
    jieba.initialize()
    start = time.perf_counter()
    for source in sources:
        jieba.lcut(source.text)
    theirs = time.perf_counter() - start
    result["jieba_mb_per_s"] = round(text_bytes / 1e6 / theirs, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="builds per size; the row gives their medians")
    parser.add_argument("--no-ceiling", action="store_true", help="skip Oxigraph's bulk load of the same quads")
    parser.add_argument("--baseline", type=Path, help="a checkout of another commit: its builds alternate with this "
                        "checkout's on the same corpus (the pairs see the same load), and its row is printed too")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "govkg-bench")
    args = parser.parse_args()
    from bench.gen_corpus import generate, template_names

    from bench.reference import machine_reference

    results = {"reference": machine_reference(), "builds": []}  # the machine's speed in this run (bench/reference.py)
    print(json.dumps({"reference": results["reference"]}), flush=True)
    templates = template_names()
    for size in args.sizes:
        corpus = args.workdir / f"corpus-{size}"
        # What the corpus was generated from, beside it: one a checkout elsewhere (without
        # ../shared/corpus) generated from other templates is generated again, not reused.
        made_from = args.workdir / f"corpus-{size}.templates.json"
        if (not corpus.is_dir() or len(list(corpus.glob("*.txt"))) != size or not made_from.is_file()
                or json.loads(made_from.read_text(encoding="utf-8")) != templates):
            shutil.rmtree(corpus, ignore_errors=True)
            generate(size, corpus)
            made_from.write_text(json.dumps(templates, ensure_ascii=False), encoding="utf-8")
        out = args.workdir / f"out-{size}"
        runs, baseline_runs = [], []
        for _ in range(args.runs):
            if args.baseline:
                baseline_runs.append(timed_build(corpus, args.workdir / f"baseline-out-{size}", args.jobs, root=args.baseline))
            runs.append(timed_build(corpus, out, args.jobs))
        if args.baseline:
            print(json.dumps({"baseline": str(args.baseline), **median_row(baseline_runs)}, ensure_ascii=False), flush=True)
        row = median_row(runs)
        row["templates"] = len(templates)  # documents the corpus was generated from (data/, ../shared/corpus)
        row["statements"] = stored_statements(out / "store")
        row["statements_per_s"] = round(row["statements"] / row["seconds"])
        if not args.no_ceiling:
            row.update(oxigraph_bulk_load(out / "store", args.workdir))
        results["builds"].append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    mid = args.workdir / f"corpus-{min(args.sizes, key=lambda n: abs(n - 100))}"
    results["extraction"] = extraction_vs_jieba(mid)
    print(json.dumps(results["extraction"], ensure_ascii=False))
    (args.workdir / "bench_scale.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
