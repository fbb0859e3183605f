"""`govkg serve`: a read-only SPARQL 1.1 endpoint on a build's store.

The Oxigraph server answers the queries; in front of it a small gate (this module, the
standard library's HTTP server) is what listens on the user's port:

- it serves a **snapshot** of the store (:func:`kg.store.graphstore.snapshot`: hard links, milliseconds),
  never the store a build may be writing; when a build has changed the store, the next
  snapshot is taken and served, and the change is printed;
- it refuses queries with ``SERVICE`` (which would make the server fetch any URL a client
  names) unless started with ``allow_service``;
- each query has a time limit (Oxigraph's ``--timeout-s``) and each answer a size limit;
- SIGTERM and SIGINT stop the gate and the Oxigraph process, and remove the snapshots; a busy
  port is a one-line error.
"""
from __future__ import annotations

import http.client
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import KGError
from kg.query.sparql import service_calls
from kg.store.graphstore import snapshot, writer_active

_FORWARDED_HEADERS = ("accept", "content-type", "accept-encoding")
_MAX_REQUEST_BYTES = 10_000_000  # a query text or form
_CHECK_EVERY_S = 2.0  # how often the store is looked at for a finished build


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


@dataclass(frozen=True)
class ServeOptions:
    """``timeout_s``: seconds a query may run (0: no limit); ``max_result_mb``: size of one
    answer; ``allow_service``: let SERVICE clauses fetch from other endpoints."""

    host: str = "127.0.0.1"
    port: int = 7878
    timeout_s: float = 30.0
    max_result_mb: float = 100.0
    allow_service: bool = False


def serve_command(store: str | Path, *, host: str, port: int, timeout_s: float = 0) -> list[str]:
    """The Oxigraph server's command line on ``store`` (read-only, union default graph)."""
    command = [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}",
               "--union-default-graph"]
    if timeout_s:
        command += ["--timeout-s", str(max(1, round(timeout_s)))]
    return command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def store_fingerprint(store: Path) -> tuple:
    """What changes when a build writes the store: its file names and sizes (the log files,
    which readers touch too, left out)."""
    try:
        return tuple(sorted((p.name, p.stat().st_size) for p in store.iterdir() if not p.name.startswith("LOG")))
    except OSError:
        return ()


class Backend:
    """One snapshot of the store and the Oxigraph server answering on it (loopback, free port)."""

    def __init__(self, store: Path, number: int, timeout_s: float):
        self.directory = store.parent / f".{store.name}.serve-{os.getpid()}-{number}"
        shutil.rmtree(self.directory, ignore_errors=True)
        opened = snapshot(store, self.directory)
        self.sources = sum(1 for _ in opened.named_graphs())
        del opened  # the Oxigraph server opens it next
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        self.port = _free_port()
        self._log = tempfile.TemporaryFile()
        # In a session of its own: a Ctrl-C in the terminal reaches govkg, which stops it in order.
        self.process = subprocess.Popen(serve_command(self.directory, host="127.0.0.1", port=self.port, timeout_s=self.timeout_s),
                                        stdout=subprocess.DEVNULL, stderr=self._log, start_new_session=True)
        self._wait_until_up()

    def restart(self, process) -> None:
        """Stop the server process that ran a query past its time (the only way to stop the
        evaluation) and start another on the same snapshot; queries in flight on it fail."""
        with self._lock:
            if self.process is not process:
                return  # another request's timeout restarted it already
            self._stop_process()
            self._start()

    def _wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                message = self._log.read().decode("utf-8", "replace").strip().splitlines()
                self.stop()
                raise KGError(f"the Oxigraph server stopped at once: {message[-1][:200] if message else 'no message'}",
                              fix="run `govkg build` again, then serve")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise KGError("the Oxigraph server did not start within 30 s", fix="try again; check free memory")

    def stop(self) -> None:
        with self._lock:
            self._stop_process()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _stop_process(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def _query_text(method: str, path: str, content_type: str, body: bytes) -> str | None:
    """The SPARQL query of a protocol request (GET ?query=, POST form or POST query body)."""
    fields = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    if method == "POST":
        kind = content_type.split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            return body.decode("utf-8", "replace")
        if kind == "application/x-www-form-urlencoded":
            fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    values = fields.get("query")
    return values[0] if values else None


class _Gate(http.server.ThreadingHTTPServer):
    daemon_threads = True
    backend: Backend
    options: ServeOptions


class _GateHandler(http.server.BaseHTTPRequestHandler):
    server: _Gate
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would drown the changes printed to the terminal

    def _reply(self, status: int, text: str) -> None:
        data = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _forward(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_REQUEST_BYTES:
            self._reply(413, f"the request is over {_MAX_REQUEST_BYTES:,} bytes")
            return
        body = self.rfile.read(length) if length else b""
        options = self.server.options
        query = _query_text(method, self.path, self.headers.get("Content-Type", ""), body)
        if query and not options.allow_service:
            calls = service_calls(query)
            if calls:
                self._reply(403, f"SERVICE {calls[0]}: this endpoint does not call other endpoints "
                                 "(start it with `govkg serve --allow-service` to allow it)")
                return
        backend = self.server.backend
        process = backend.process
        headers = {k: v for k, v in self.headers.items() if k.lower() in _FORWARDED_HEADERS}
        connection = http.client.HTTPConnection("127.0.0.1", backend.port, timeout=options.timeout_s or None)
        limit = int(options.max_result_mb * 1_000_000)
        try:
            connection.request(method, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            data = response.read(limit + 1)
        except TimeoutError:
            backend.restart(process)
            self._reply(503, f"the query ran longer than {options.timeout_s:g} s and was stopped: narrow it "
                             "(LIMIT, more specific patterns), or start `govkg serve --timeout N` with a larger N")
            return
        except OSError as exc:
            self._reply(502, f"the Oxigraph server did not answer: {exc}")
            return
        finally:
            connection.close()
        if len(data) > limit:
            self._reply(413, f"the answer is over {options.max_result_mb:g} MB: add LIMIT, or start "
                             "`govkg serve --max-result-mb N` with a larger N")
            return
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() in ("content-type", "content-encoding"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        self._forward("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._forward("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._forward("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._reply(403, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT


class _Stop(Exception):
    """SIGINT or SIGTERM, raised in the main thread."""

def serve(store: str | Path, options: ServeOptions | None = None, *, on_start=None, on_change=None,
          stop_event: threading.Event | None = None) -> int:
    """Serve ``store`` until SIGINT/SIGTERM (or ``stop_event``); returns the exit status.

    ``on_start(urls, sources)`` is called once the endpoint answers; ``on_change(sources)``
    each time a changed store is being served."""
    options = options or ServeOptions()
    store = Path(store)
    if not (store.is_dir() and any(store.iterdir())):
        raise KGError(f"{store}: no store here", fix="run `govkg build` first, or pass --store DIR")
    oxigraph_binary()
    try:
        gate = _Gate((options.host, options.port), _GateHandler)
    except OSError as exc:
        if exc.errno == 98:  # EADDRINUSE
            raise KGError(f"{options.host}:{options.port} is in use by another program",
                          fix="stop it, or pass --port N") from None
        raise KGError(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}",
                      fix="pass --host 127.0.0.1 or another --port") from None
    gate.options = options
    backends: list[Backend] = []  # the one serving last; earlier ones finish their queries first
    retire_at: dict[int, float] = {}
    serving = None
    previous_handlers = {}
    if threading.current_thread() is threading.main_thread():
        def on_signal(signum, frame):
            raise _Stop()

        # Both set here: a SIGINT that the parent process ignores would otherwise be ignored too.
        previous_handlers = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        fingerprint = store_fingerprint(store)
        gate.backend = Backend(store, 0, options.timeout_s)
        backends.append(gate.backend)
        serving = threading.Thread(target=gate.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        serving.start()
        if on_start:
            on_start(endpoint_urls(options.host, options.port), gate.backend.sources)
        stop_event = stop_event or threading.Event()
        while not stop_event.wait(_CHECK_EVERY_S):
            for backend in [b for b in backends if id(b) in retire_at and retire_at[id(b)] <= time.monotonic()]:
                backend.stop()
                backends.remove(backend)
            current = store_fingerprint(store)
            if current == fingerprint or writer_active(store):
                continue
            fresh = Backend(store, len(retire_at) + 1, options.timeout_s)
            retire_at[id(gate.backend)] = time.monotonic() + (options.timeout_s or 60) + 5
            gate.backend = fresh
            backends.append(fresh)
            fingerprint = current
            if on_change:
                on_change(fresh.sources)
        return 0
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        for backend in backends:  # first the servers, so no request waits on them
            backend.stop()
        if serving is not None:
            closing = threading.Thread(target=gate.shutdown, daemon=True)
            closing.start()
            closing.join(timeout=5)
        gate.server_close()
        for sig, handler in previous_handlers.items():
            signal.signal(sig, handler)
