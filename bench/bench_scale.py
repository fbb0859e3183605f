"""Build throughput and peak memory at N = 10, 100, 1,000 generated documents, and extraction
throughput compared with jieba's segmentation of the same text.

    pip install '.[bench]'
    python bench/bench_scale.py --sizes 10 100 1000 --jobs 2

For each N: generate the corpus (bench/gen_corpus.py, fixed seed), then time a fresh
`govkg build DIR --out OUT --jobs J` (a new store; SHACL validation included) and sample the
resident memory of the whole process tree (main process and workers) every 0.1 s.
Extraction throughput: segment + extract of the N=100 corpus in one process, against
`jieba.lcut` over the same text (dictionary loading excluded for both).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
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


def timed_build(corpus: Path, out: Path, jobs: int, validate: bool = True) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, str(ROOT / "cli.py"), "build", str(corpus), "--out", str(out), "--jobs", str(jobs)]
    if not validate:
        command.append("--no-validate")
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(process.stderr.read().decode())
    size = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    count = len(list(corpus.glob("*.txt")))
    return {"documents": count, "mb": round(size / 1e6, 2), "seconds": round(elapsed, 1),
            "docs_per_s": round(count / elapsed, 2), "mb_per_s": round(size / 1e6 / elapsed, 3),
            "peak_rss_mb": round(peak / 1e6), "jobs": jobs, "validate": validate}


def extraction_vs_jieba(corpus: Path) -> dict:
    from kg.ingest.extract import extract_document
    from kg.core.ontology import initiatives, platform_kind_cues
    from kg.ingest.readers import read_source
    from kg.ingest.segment import split_documents
    from kg.core.text import normalize

    sources = [read_source(p) for p in sorted(corpus.glob("*.txt"))]
    text_bytes = sum(len(s.text.encode("utf-8")) for s in sources)
    initiatives(), platform_kind_cues()  # vocabularies loaded before timing, like jieba's dictionary
    extract_document(split_documents(sources[0])[0])
    start = time.perf_counter()
    for source in sources:
        for segment in split_documents(source, normalize(source.text)):
            extract_document(segment)
    ours = time.perf_counter() - start
    result = {"text_mb": round(text_bytes / 1e6, 2), "govkg_extract_mb_per_s": round(text_bytes / 1e6 / ours, 2)}
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
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "govkg-bench")
    args = parser.parse_args()
    from bench.gen_corpus import generate

    results = {"builds": []}
    for size in args.sizes:
        corpus = args.workdir / f"corpus-{size}"
        if not corpus.is_dir() or len(list(corpus.glob("*.txt"))) != size:
            shutil.rmtree(corpus, ignore_errors=True)
            generate(size, corpus)
        row = timed_build(corpus, args.workdir / f"out-{size}", args.jobs)
        results["builds"].append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    mid = args.workdir / f"corpus-{min(args.sizes, key=lambda n: abs(n - 100))}"
    results["extraction"] = extraction_vs_jieba(mid)
    print(json.dumps(results["extraction"], ensure_ascii=False))
    (args.workdir / "bench_scale.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
