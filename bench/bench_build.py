"""Time `govkg build` on data/ (including SHACL validation) and `govkg --help`.

    python bench/bench_build.py [--runs 5]

Each figure is the median wall time of fresh processes (imports and ontology parsing
included), as a user would see it. Targets on the 2-core reference machine: build < 3 s,
--help < 0.3 s.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], runs: int) -> dict:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        samples.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(samples), 3), "min_s": round(min(samples), 3), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cli = [sys.executable, str(ROOT / "cli.py")]
    with tempfile.TemporaryDirectory() as out:
        results = {
            "build data/ (with validation)": timed(cli + ["build", "data", "--out", out], args.runs),
            "build data/ --no-validate": timed(cli + ["build", "data", "--out", out, "--no-validate"], args.runs),
            "govkg --help": timed(cli + ["--help"], args.runs),
        }
    size = sum(p.stat().st_size for p in (ROOT / "data").glob("*.txt"))
    results["input_bytes"] = size
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
