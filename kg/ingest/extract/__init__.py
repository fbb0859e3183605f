"""The extract stage: a registry of extractors (:mod:`kg.ingest.extract.registry`), each a
function over one document.

``extract_document(segment)`` runs the document extractor first (it decides the document's
genre and governing region), then every registered extractor in order. An extension adds
one with ``register_extractor(name)``, exactly as the built-ins do.
"""
from __future__ import annotations

from kg.ingest.extract import builtin  # noqa: F401  (registers the built-in extractors)
from kg.ingest.extract.documents import describe_document
from kg.ingest.extract.registry import EXTRACTORS, register_extractor
from kg.core.model import Extraction, Segment

__all__ = ["EXTRACTORS", "extract_document", "register_extractor"]


def extract_document(segment: Segment, *, only: list[str] | None = None) -> Extraction:
    context, extraction = describe_document(segment)
    for name, extractor in EXTRACTORS.items():
        if only is None or name in only:
            extractor(context, extraction)
    return extraction
