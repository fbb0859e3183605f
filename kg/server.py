"""`govkg serve`: the Oxigraph server, read-only, on a build's store."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .errors import KGError


def oxigraph_binary() -> str:
    """The `oxigraph` command of the `oxigraph` package (pip install 'govkg[server]')."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise KGError("the Oxigraph server is not installed", fix="pip install 'govkg[server]' (the oxigraph package)")
    return found


def endpoint_urls(host: str, port: int) -> dict[str, str]:
    base = f"http://{host}:{port}"
    return {"sparql": f"{base}/query", "graph_store": f"{base}/store", "page": f"{base}/"}


def serve_command(store: str | Path, *, host: str, port: int) -> list[str]:
    if not (Path(store).is_dir() and any(Path(store).iterdir())):
        raise KGError(f"{store}: no store here", fix="run `govkg build` first, or pass --store DIR")
    return [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}",
            "--union-default-graph"]


def serve(store: str | Path, *, host: str = "127.0.0.1", port: int = 7878, on_start=None) -> int:
    """Run the server until it exits or the user presses Ctrl-C; returns its exit status."""
    process = subprocess.Popen(serve_command(store, host=host, port=port))
    if on_start:
        on_start(endpoint_urls(host, port))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        return 0
