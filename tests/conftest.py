import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
ARTIFACTS = Path(os.environ.get("GOVKG_TEST_ARTIFACTS", ROOT / "test-artifacts"))


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/*.ttl from the current code")


@pytest.fixture(scope="session")
def update_goldens(request):
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The bundled data built once for the whole session (outputs in a temp dir)."""
    from kg import api

    out = tmp_path_factory.mktemp("out")
    result = api.build([DATA], out_dir=out)
    return result, out


@pytest.fixture(scope="session")
def sample_graph(sample_build):
    return sample_build[0].state.graph


@pytest.fixture(scope="session")
def sample_text():
    return (DATA / "newsletter_2023_19.txt").read_text(encoding="utf-8")


@pytest.fixture
def corpus_dir():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def chdir_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def copy_data(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in DATA.glob("*.txt"):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def sparql_servers(tmp_path_factory):
    """The Oxigraph server and Virtuoso, started on loopback for this session (skipped, with the
    reason, when one is not installed; .ci/run installs both)."""
    from servers import start_oxigraph, start_virtuoso

    workdir = tmp_path_factory.mktemp("servers")
    servers = {}
    for start in (start_oxigraph, start_virtuoso):
        server = start(workdir)
        if server is not None:
            servers[server.name] = server
    yield servers
    for server in servers.values():
        server.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGE_URL = "http://page.test/page.html"  # served by page.route; nothing else may load


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (skipped when it is not installed)."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def offline_page(browser):
    """``open_(html, height=900, ready=None)`` opens HTML as PAGE_URL with every other request
    blocked (and waits for the JavaScript condition ``ready``); on exit, asserts that nothing
    was requested or failed and that the console stayed free of errors."""
    opened, problems = [], []

    def open_(html: str, *, height: int = 900, ready: str | None = None):
        page = browser.new_page(viewport={"width": 1280, "height": height})
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))

        def route(handler):
            if handler.request.url == PAGE_URL:
                handler.fulfill(body=html, content_type="text/html; charset=utf-8")
            else:
                problems.append(f"network request: {handler.request.url}")
                handler.abort()

        page.route("**/*", route)
        page.goto(PAGE_URL)
        if ready:
            page.wait_for_function(ready, timeout=60_000)
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.close()
    assert problems == []
