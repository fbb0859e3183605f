"""Time `govkg build` on data/ (including SHACL validation) and `govkg --help`.

    python bench/bench_build.py [--runs 5]

Each figure is the median wall time of fresh processes (imports and ontology parsing
included), as a user would see it; "fresh" builds start from an empty output directory, the
"unchanged" rebuild finds every source already in the store. Targets on the 2-core reference machine: build < 3 s,
--help < 0.3 s.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], runs: int, *, fresh: Path | None = None) -> dict:
    """Median wall time; with ``fresh``, that directory is removed before each run so every
    build starts from an empty store (no source can be skipped as unchanged)."""
    samples = []
    for _ in range(runs):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        samples.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(samples), 3), "min_s": round(min(samples), 3), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cli = [sys.executable, str(ROOT / "cli.py")]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        results = {
            "build data/ (fresh store, with validation)": timed(cli + ["build", "data", "--out", str(out)], args.runs, fresh=out),
            "build data/ (fresh, --no-validate)": timed(cli + ["build", "data", "--out", str(out), "--no-validate"], args.runs,
                                                         fresh=out),
            "build data/ (in memory, --no-store)": timed(cli + ["build", "data", "--out", str(out), "--no-store"], args.runs,
                                                         fresh=out),
            "rebuild data/ (unchanged: store hit)": timed(cli + ["build", "data", "--out", str(out)], args.runs),
            "govkg --help": timed(cli + ["--help"], args.runs),
        }
    size = sum(p.stat().st_size for p in (ROOT / "data").glob("*.txt"))
    results["input_bytes"] = size
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
