"""The extract stage: a registry of extractors, each a function over one document.

``extract_document(segment)`` runs the document extractor first (it decides the document's
genre and governing region), then every registered extractor in order. An extension adds
one with ``register_extractor(name)``, exactly as the built-ins do.
"""
from __future__ import annotations

from typing import Callable

from ..model import Extraction, Segment
from .context import DocContext

ExtractorFn = Callable[[DocContext, Extraction], None]
EXTRACTORS: dict[str, ExtractorFn] = {}


def register_extractor(name: str):
    def decorator(fn: ExtractorFn) -> ExtractorFn:
        EXTRACTORS[name] = fn
        return fn

    return decorator


def extract_document(segment: Segment, *, only: list[str] | None = None) -> Extraction:
    from . import builtin  # noqa: F401  (registers the built-in extractors)
    from .documents import describe_document

    context, extraction = describe_document(segment)
    for name, extractor in EXTRACTORS.items():
        if only is None or name in only:
            extractor(context, extraction)
    return extraction
