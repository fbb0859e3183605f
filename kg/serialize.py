"""The serialize stage: write outputs atomically (a failed build never leaves half a file)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and
    ``os.replace``, so readers see the old file or the new one, never a partial one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def turtle(graph) -> bytes:
    """Deterministic Turtle: rdflib's longturtle sorts subjects and predicates, and the graph
    has no blank nodes, so the same graph always gives the same bytes."""
    return graph.serialize(format="longturtle").encode("utf-8")


def trig(dataset) -> bytes:
    return dataset.serialize(format="trig").encode("utf-8")


def jsonld(graph) -> bytes:
    from .rdf import PREFIXES

    return graph.serialize(format="json-ld", context=dict(PREFIXES), indent=1, ensure_ascii=False).encode("utf-8")
