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
