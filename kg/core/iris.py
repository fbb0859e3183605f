"""The one module that mints IRIs: deterministic, ASCII, stable for the same input.

Regions are keyed by their GB/T 2260 code (the country by ISO 3166 ``CN``); names that are
Chinese are hashed, and the name itself goes into an ``@zh`` label.
"""
from __future__ import annotations

import hashlib
import re

BASE = "https://w3id.org/govkg/"
NS = BASE + "ns#"
INITIATIVE = BASE + "initiative/"
PLATFORM_KIND = BASE + "platform-kind/"
GRAPH = BASE + "graph/"
EVIDENCE = BASE + "evidence/"  # every passage's annotation, target and selectors are under it


def _digest(*parts: str, size: int = 10) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:size]


def slug(text: str) -> str:
    """ASCII slug of ``text``; non-ASCII text gets a short hash so different names stay apart.

    >>> slug("newsletter_2023_19")
    'newsletter-2023-19'
    >>> slug("河南方案").startswith("x-")
    True
    """
    ascii_part = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if text.isascii() and ascii_part:
        return ascii_part
    return (ascii_part + "-" if ascii_part else "x-") + _digest(text, size=8)


def term(local: str) -> str:
    return NS + local


def region(code: str) -> str:
    return f"{BASE}region/{code}"


_FILE_SAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def file_key(name: str) -> str:
    """ASCII key of a file name that keeps every distinction the name makes — case, ``_``,
    ``-``, ``.``, the extension — so two files never share a graph: characters an IRI path
    segment cannot hold as they are become ``-``, and then a hash of the whole name is added.

    >>> file_key("plan_a.txt"), file_key("plan-a.txt"), file_key("Plan.txt") != file_key("plan.TXT")
    ('plan_a.txt', 'plan-a.txt', True)
    >>> file_key("某市.txt") != file_key("某市.docx")
    True
    """
    safe = _FILE_SAFE.sub("-", name).strip("-.")
    if safe == name:
        return safe
    return (safe + "-" if safe else "x-") + _digest(name, size=8)


def source(name: str) -> str:
    return f"{BASE}source/{file_key(name)}"


def document(source_name: str, index: int) -> str:
    return f"{BASE}doc/{file_key(source_name)}/{index}"


def document_graph(source_name: str) -> str:
    """Named graph holding everything extracted from one source file."""
    return f"{GRAPH}{file_key(source_name)}"


def issue(title: str, number: str, date: str) -> str:
    return f"{BASE}issue/{_digest(title, number, date)}"


def _scoped(kind: str, scope: str, key: str) -> str:
    return f"{BASE}{kind}/{scope}-{_digest(key)}"


def platform(region_code: str, key: str) -> str:
    return _scoped("platform", region_code, key)


def department(region_code: str, key: str) -> str:
    return _scoped("department", region_code, key)


def data_exchange(region_code: str, key: str) -> str:
    return _scoped("data-exchange", region_code, key)


def cited_work(key: str) -> str:
    return f"{BASE}cited/{_digest(key)}"


def _doc_local(document_iri: str) -> str:
    return document_iri[len(BASE) + len("doc/"):]


def task(document_iri: str, path: str) -> str:
    return f"{BASE}task/{_doc_local(document_iri)}/{slug(path)}"


def goal(document_iri: str, start: int, end: int) -> str:
    return f"{BASE}goal/{_doc_local(document_iri)}/{start}-{end}"


def evidence(document_iri: str, start: int, end: int) -> str:
    """The evidence of a passage: a Web Annotation (``oa:Annotation``), one per passage
    whatever the facts it supports."""
    return f"{EVIDENCE}{_doc_local(document_iri)}/{start}-{end}"


def evidence_target(evidence_iri: str) -> str:
    """The annotation's target: the source file's text narrowed by the two selectors below
    (an ``oa:SpecificResource``).

    >>> evidence_target("https://w3id.org/govkg/evidence/a.txt/0/5-9")
    'https://w3id.org/govkg/evidence/a.txt/0/5-9/target'
    """
    return f"{evidence_iri}/target"


def evidence_position(evidence_iri: str) -> str:
    """The target's ``oa:TextPositionSelector`` (start and end offsets)."""
    return f"{evidence_iri}/position"


def evidence_quote(evidence_iri: str) -> str:
    """The target's ``oa:TextQuoteSelector`` (the exact quote)."""
    return f"{evidence_iri}/quote"


def dataset(name: str) -> str:
    """A dataset a build writes or uses (``govkg``, its files ``govkg/govkg.ttl`` …)."""
    return f"{BASE}dataset/{name}"


def build_activity(started: str) -> str:
    """One run of ``govkg build`` (PROV activity), by its start time (ISO 8601, UTC).

    >>> build_activity("2026-12-07T03:00:00Z")
    'https://w3id.org/govkg/build/20261207T030000Z'
    """
    return f"{BASE}build/{re.sub(r'[^0-9TZ]', '', started)}"


def software(version: str) -> str:
    return f"{BASE}software/govkg/{version}"


def assertion(subject: str, predicate: str, obj: str) -> str:
    return f"{BASE}assertion/{_digest(subject, predicate, obj, size=16)}"
