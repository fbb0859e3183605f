"""Silence is not success: what could not be determined in a document, said per document.

Runs after every other extractor. Each gap is a short key in ``Extraction.undetermined``
(counted in the build's one-line total) and a warning that names the document and what
would help.
"""
from __future__ import annotations

from kg.core.model import Extraction
from kg.ingest.extract.registry import register_extractor
from kg.ingest.extract.context import DocContext

POLICY_WITH_TARGETS = ("Plan", "ImplementationScheme", "ActionPlan", "WorkReport")


@register_extractor("completeness")
def report_gaps(context: DocContext, extraction: Extraction) -> None:
    document = extraction.document
    segment = context.segment
    where = f"{segment.source.name}: document {segment.index + 1}" if segment.index else segment.source.name
    types = {entity.type for entity in extraction.entities}
    gaps = []
    if context.genre == "Article":
        return  # an article governs nothing and sets no targets; describe_document has said so
    if not document.first("gk:governsRegion"):
        gaps.append(("region", None))  # describe_document has warned with the reason
    if not document.first("dcterms:title"):
        gaps.append(("title", f"{where}: no title line (genre and region taken from "
                              f"{_basis(document, 'gk:genreBasis')} and {_basis(document, 'gk:regionBasis')}); "
                              "give the title in manifest.csv if you know it"))
    numbered = sum(1 for heading in segment.headings if heading.level >= 2)
    if numbered >= 3 and "Task" not in types and context.genre not in ("Regulation", "Notice", "Decision", "Speech"):
        gaps.append(("tasks", f"{where}: {numbered} numbered items but no task found (no task section, "
                              "responsibility note or deadline recognised)"))
    if context.genre in POLICY_WITH_TARGETS and "Goal" not in types:
        gaps.append(("goals", f"{where}: no quantitative target found (genre {context.genre})"))
    for key, message in gaps:
        extraction.undetermined.append(key)
        if message:
            extraction.warnings.append(message)


def _basis(document, predicate: str) -> str:
    value = document.first(predicate)
    return value.iri.rsplit("basis-", 1)[-1] if value is not None else "nothing"
