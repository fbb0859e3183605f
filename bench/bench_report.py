"""Size and height of the comparison report (#12): the bundled sample (4 regions) and 30 regions
from generated documents, measured in headless Chromium at 1280 px (document.body.scrollHeight).

    python bench/bench_report.py [--work DIR]

Targets: 30 regions under 25,000 px and 2 MB; 4 regions no taller or heavier than before
(18,917 px and 0.80 MB before the change).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"


def measure(paths: list[Path]) -> list[tuple[int, int]]:
    """(height, width) of each HTML file in Chromium, 1280 px wide."""
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in paths:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(path.resolve().as_uri())
            found.append((page.evaluate("document.body.scrollHeight"),
                          page.evaluate("document.documentElement.scrollWidth")))
            page.close()
        browser.close()
    return found


def main() -> None:
    from bench.gen_corpus import generate
    from kg import api

    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, help="where to keep the corpus and reports [default: a temp dir]")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="govkg-report-"))
    generate(32, work / "corpus-30", bundled_only=True)  # 32 documents for 30 regions
    rows = []
    for name, source in (("4 regions (data/)", ROOT / "data"), ("30 regions (generated)", work / "corpus-30")):
        graph = api.build([source], out_dir=None).state.graph
        start = time.perf_counter()
        path = api.report(graph=graph, path=work / f"report-{len(rows)}.html")
        api.report(graph=graph, path=work / f"report-{len(rows)}.md")
        rows.append((name, path, time.perf_counter() - start))
    for (name, path, seconds), (height, width) in zip(rows, measure([r[1] for r in rows])):
        print(f"{name}: {path.stat().st_size / 1e6:.2f} MB, {height:,} px tall, {width:,} px wide, "
              f"report and markdown in {seconds:.1f} s ({path})")


if __name__ == "__main__":
    main()
