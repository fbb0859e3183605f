"""The ontology's documentation page: ``ontology/govkg.ttl`` (the ontology alone, not its
concept schemes, so the page's title is the ontology's) rendered by pyLODE's OntPub profile.

pyLODE inlines its stylesheet and its icons are data: URIs, so the page needs no network; the
links it holds are the terms' IRIs. :func:`external_assets` finds any stylesheet, script or
image a later pyLODE might fetch, and the page is refused rather than written with one.
"""
from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path

from kg.core.errors import KGError, OntologyError
from kg.core.ontology import ONTOLOGY_FILE, ontology_dir
from kg.store.rdfio import write_atomic

# <link href=…> (stylesheets, icons), <script src=…>, <img src=…> and CSS @import/url() that leave the page.
_FETCHED = re.compile(r"<(?:link|script|img|iframe)\b[^>]*?\b(?:href|src)\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]+"
                      r"|@import\s+(?:url\()?[\"']?(?:https?:)?//|url\(\s*[\"']?(?:https?:)?//", re.IGNORECASE)


def external_assets(html: str) -> list[str]:
    """What in ``html`` a browser would fetch from the network.

    >>> external_assets('<link rel="stylesheet" href="https://cdn.example/x.css"><a href="https://w3id.org/x">x</a>')
    ['<link rel="stylesheet" href="https://cdn.example/x.css']
    >>> external_assets('<link rel="icon" href="data:image/png;base64,AAAA">')
    []
    """
    return [match.group() for match in _FETCHED.finditer(html)]


@contextlib.contextmanager
def _root_logger_kept():
    """pyLODE 3 configures the root logger when imported (its supermodel loader calls
    ``logging.basicConfig(level=DEBUG)``) and logs through it (``logging.info``, which adds a
    handler), which would print its own and every library's debug lines. They are kept quiet
    while pyLODE runs, and the root logger is put back as it was."""
    root = logging.getLogger()
    level, handlers, disabled = root.level, list(root.handlers), root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(disabled)
        root.setLevel(level)
        root.handlers[:] = handlers


def ontology_page() -> str:
    """The HTML documentation of the ontology (classes, properties, metadata, namespaces)."""
    from rdflib import Graph

    path = ontology_dir() / ONTOLOGY_FILE
    graph = Graph().parse(path, format="turtle")
    with _root_logger_kept():
        try:
            from pylode import OntPub
        except ImportError:
            raise KGError("pyLODE is not installed", fix="pip install 'govkg[docs]'") from None
        try:
            html = OntPub(graph, sort_subjects=True).make_html(include_css=True)
        except Exception as exc:  # pyLODE raises its own error types, and rdflib's, for a term it cannot document
            raise OntologyError(f"{path}: pyLODE cannot document it ({exc})", fix="fix the ontology's metadata") from None
    fetched = external_assets(html)
    if fetched:
        raise KGError(f"pyLODE's page fetches {fetched[0]}", fix="install the pyLODE version govkg names in setup.cfg")
    return html


def write_ontology_page(path: str | Path) -> Path:
    return write_atomic(path, ontology_page())
