"""Real SPARQL servers on loopback for the integration tests: the Oxigraph server (from the
`oxigraph` package) and Virtuoso (Debian's virtuoso-opensource). Each runs in a throw-away
directory on a free port and is stopped when the test session ends."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass
class Server:
    name: str
    query_url: str
    graph_store_url: str
    user: str | None
    password: str | None
    stop: object


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    data = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def start_oxigraph(workdir: Path) -> Server | None:
    binary = Path(sys.executable).parent / "oxigraph"
    command = str(binary) if binary.is_file() else shutil.which("oxigraph")
    if not command:
        return None
    port = free_port()
    process = subprocess.Popen([command, "serve", "--location", str(workdir / "oxigraph"), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/query")

    def stop():
        process.terminate()
        process.wait(timeout=10)

    return Server("oxigraph", f"{base}/query", f"{base}/store", None, None, stop)


def start_virtuoso(workdir: Path) -> Server | None:
    binary = shutil.which("virtuoso-t")
    if not binary or not VIRTUOSO_INI.is_file():
        return None
    directory = workdir / "virtuoso"
    directory.mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8")
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db/", f"{directory}/")
    lines = []
    for line in ini.splitlines():
        if line.replace(" ", "").startswith("ServerPort=1111"):
            line = f"ServerPort = {sql_port}"
        elif line.replace(" ", "").startswith("ServerPort=8890"):
            line = f"ServerPort = 127.0.0.1:{http_port}"
        lines.append(line)
    (directory / "virtuoso.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run([binary, "+configfile", str(directory / "virtuoso.ini"), "+wait"], cwd=directory, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    base = f"http://127.0.0.1:{http_port}"
    wait_until_up(f"{base}/sparql")

    def stop():
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql:
            subprocess.run([isql, str(sql_port), "dba", "dba", "-K"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=60)

    return Server("virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", "dba", "dba", stop)
