"""Comparison reports: how the regions of a built graph differ in initiatives, platforms,
departments, tasks, goals and overall likeness, as Markdown, self-contained HTML or JSON.

:func:`build_report` gathers plain dataclasses from the graph; :func:`render_report` fills
``kg/outputs/templates/report.{html,md}.j2`` (or dumps JSON), laid out by
:mod:`kg.outputs.report.layout` (regions as rows past six, long lists folded); :func:`write_report` does both and
writes the file atomically. Every mark in the initiative matrix carries the quotes of its
``gk:adopts`` assertion, so the HTML can show the evidence behind it: at most ``quotes`` of them
(:data:`QUOTES_SHOWN`, the earliest documents' first), the rest counted in its ``more``.

>>> from kg import api# doctest: +SKIP
>>> graph = api.build(["data"], out_dir=None).state.graph         # doctest: +SKIP
>>> [r.label for r in build_report(graph).regions]                # doctest: +SKIP
['河南省', '湖北省', '哈尔滨市', '青岛市']
"""
from __future__ import annotations

from kg.outputs.formats import ReportFormat
from kg.outputs.report.charts import chart_fonts, diffusion_svg, heatmap_svg, tiles_svg, timeline_svg
from kg.outputs.report.model import (
    DATE_BASES,
    PAIRS_SHOWN,
    QUOTES_SHOWN,
    SECTIONS,
    TIMELINE_ROWS,
    TOP_LEAD_UNITS,
    Diffusion,
    DocumentSummary,
    FirstAdoption,
    GoalSummary,
    InitiativeMatrix,
    MatrixGroup,
    MatrixRow,
    More,
    PairScore,
    PlatformSummary,
    ProvinceTile,
    Quote,
    Ref,
    RegionOverview,
    RegionPlatforms,
    RegionRef,
    RegionUnits,
    Report,
    Similarity,
    TaskDeadline,
    UnitCount,
)
from kg.outputs.report.reading import build_report
from kg.outputs.report.render import format_for, md_escape, more_text, render_report, write_report
from kg.query.tables import jaccard

__all__ = ["DATE_BASES", "Diffusion", "DocumentSummary", "FirstAdoption", "GoalSummary", "InitiativeMatrix", "MatrixGroup", "MatrixRow", "More", "PAIRS_SHOWN", "QUOTES_SHOWN", "PairScore", "PlatformSummary", "ProvinceTile", "Quote", "Ref", "RegionOverview", "RegionPlatforms", "RegionRef", "RegionUnits", "Report", "ReportFormat", "SECTIONS", "Similarity", "TIMELINE_ROWS", "TOP_LEAD_UNITS", "TaskDeadline", "UnitCount", "build_report", "chart_fonts", "diffusion_svg", "format_for", "heatmap_svg", "jaccard", "md_escape", "more_text", "render_report", "tiles_svg", "timeline_svg", "write_report"]
