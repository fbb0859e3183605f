"""Screenshots of the graph page and the report for the README, at 4 regions (the bundled data/)
and 30 regions (synthetic documents: bench/bench_viz.py region_corpus), in headless Chromium.

    python bench/screenshots.py [--out docs/img]

Writes graph-4.png, graph-30.png, graph-30-search.png (a search for the most shared initiative:
it and the regions sharing it lit up), report-4.png and report-30.png (the report's first screen,
whatever the report is). PNGs are reduced to 256 colours so each stays under 300 KB. No network:
every request but the page's own is aborted.
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
MAX_BYTES = 300_000


def _graphs(work: Path) -> dict[int, object]:
    from bench.bench_viz import region_corpus
    from kg import api

    corpus = work / "corpus-30"
    region_corpus(30, corpus)
    return {4: api.build([ROOT / "data"], out_dir=None, validate=False).state.graph,
            30: api.build([corpus], out_dir=None, validate=False).state.graph}


def _save_png(raw: bytes, path: Path) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)
    return path.stat().st_size


def _shoot(browser, html: Path, png: Path, *, ready: str | None = None, then: str | None = None) -> int:
    page = browser.new_page(viewport=VIEWPORT)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page.goto(html.as_uri())
    if ready:
        page.wait_for_function(ready, timeout=120_000)
    if then:
        page.evaluate(then)
        page.wait_for_timeout(300)
    size = _save_png(page.screenshot(), png)
    page.close()
    return size


# Search for the initiative most regions share, as a person would type it.
_SEARCH_LARGEST = """() => {
    const n = window.govkg.data.nodes.filter(n => n.type === "Initiative").sort((a, b) => b.size - a.size)[0];
    const input = document.getElementById("search");
    input.value = n.name;
    document.getElementById("search-form").requestSubmit();
}"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from kg import api

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        graphs = _graphs(work)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for regions, graph in graphs.items():
                page = api.viz(graph=graph, path=work / f"graph-{regions}.html")
                report = api.report(graph=graph, path=work / f"report-{regions}.html", fmt="html")
                shots = [(page, f"graph-{regions}.png", "() => window.govkgReady === true", None),
                         (report, f"report-{regions}.png", None, None)]
                if regions == 30:
                    shots.append((page, "graph-30-search.png", "() => window.govkgReady === true", _SEARCH_LARGEST))
                for html, name, ready, then in shots:
                    size = _shoot(browser, html, args.out / name, ready=ready, then=then)
                    print(f"wrote {args.out / name} ({size / 1000:.0f} KB)")
                    if size > MAX_BYTES:
                        raise SystemExit(f"{name} is {size} bytes, over {MAX_BYTES}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
