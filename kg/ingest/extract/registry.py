"""The registry of extractors: each a function over one document's context and extraction.
The built-ins register through :func:`register_extractor`, exactly as an extension would."""
from __future__ import annotations

from typing import Callable

from kg.ingest.extract.context import DocContext
from kg.core.model import Extraction

ExtractorFn = Callable[[DocContext, Extraction], None]
EXTRACTORS: dict[str, ExtractorFn] = {}


def register_extractor(name: str):
    def decorator(fn: ExtractorFn) -> ExtractorFn:
        EXTRACTORS[name] = fn
        return fn

    return decorator
