"""Time and peak memory of `govkg build` on one large text file: 1, 4, 12 and 60 MB.

    python bench/bench_filesize.py --sizes 1 4 12 60 [--max-chars N]

Each file is the bundled newsletter (data/) repeated with the years varied until it reaches
the size: the densest real text we have (a fact every ~40 characters), so the figures are an
upper bound for real documents. Each build is fresh (a new store, SHACL included); the peak is
the memory of the whole process tree (the build and its validation child; proportional set
size, so pages the forked child shares with its parent count once), sampled every 0.1 s. A file over the reader limits (kg/readers.py ReaderLimits, 2,000,000 characters
by default) is refused in one line; ``--max-chars`` raises the limit (GOVKG_MAX_CHARS) to
show what a larger file would cost.
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


from bench.bench_scale import _tree_rss  # noqa: E402


def large_text(megabytes: float, path: Path) -> Path:
    """A text file of about ``megabytes`` MB: the bundled newsletter repeated, years varied."""
    sample = (ROOT / "data" / "newsletter_2023_19.txt").read_text(encoding="utf-8")
    target, parts, size, copy = int(megabytes * 1_000_000), [], 0, 0
    while size < target:
        part = sample.replace("2023", str(2000 + copy % 30)) + "\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
        copy += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def timed_build(corpus: Path, out: Path, env: dict) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, str(ROOT / "cli.py"), "build", str(corpus), "--out", str(out)]
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:  # a pipe left unread would block it
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out_file, stderr=err_file, cwd=ROOT, env=env)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid, proportional=True))
            time.sleep(0.25)
        elapsed = time.perf_counter() - start
        stdout, stderr = ((f.seek(0), f.read().decode("utf-8", "replace"))[1] for f in (out_file, err_file))
    refused = next((line for line in stderr.splitlines() if "over the limit" in line), None)
    return {"seconds": round(elapsed, 1), "peak_pss_mb": round(peak / 1e6), "exit": process.returncode,
            "refused": refused, "documents": next((line for line in stdout.splitlines() if "document(s)" in line), None)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 12, 60])
    parser.add_argument("--max-chars", type=int, default=None, help="raise GOVKG_MAX_CHARS for these builds")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "govkg-bench-filesize")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.max_chars:
        env["GOVKG_MAX_CHARS"] = str(args.max_chars)
    rows = []
    for megabytes in args.sizes:
        corpus = args.workdir / f"text-{megabytes:g}MB"
        path = corpus / "large.txt"
        if not path.exists():
            shutil.rmtree(corpus, ignore_errors=True)
            large_text(megabytes, path)
        row = {"mb": round(path.stat().st_size / 1e6, 1), "characters": len(path.read_text(encoding="utf-8")),
               **timed_build(corpus, args.workdir / f"out-{megabytes:g}", env)}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    (args.workdir / "bench_filesize.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
