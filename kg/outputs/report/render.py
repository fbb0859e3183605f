"""The report rendered: Markdown or self-contained HTML through the templates, or JSON; written
atomically."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from kg import __version__
from kg.core.errors import KGError
from kg.outputs.formats import ReportFormat
from kg.outputs.report.charts import chart_fonts, diffusion_svg, heatmap_svg, tiles_svg, timeline_svg
from kg.outputs.report.layout import fold, page_layout
from kg.outputs.report.model import DATE_BASES, FORMAT_OF_SUFFIX, QUOTES_SHOWN, SECTIONS, GoalSummary, More, Report
from kg.outputs.report.reading import build_report, jaccard
from kg.store.rdfio import write_atomic

# ---------------------------------------------------------------- rendering

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(value) -> str:
    """Text for a Markdown table cell or line: whitespace (newlines too) collapsed, and the
    characters Markdown or HTML would interpret backslash-escaped.

    >>> md_escape("a|b <script>\\nx")
    'a\\\\|b \\\\<script\\\\> x'
    """
    from markupsafe import Markup

    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(value)))


def _value_text(goal: GoalSummary) -> str:
    def show(number):
        return "" if number is None else f"{number:g}" if isinstance(number, float) else str(number)

    return show(goal.value) + (f"–{show(goal.value_max)}" if goal.value_max is not None else "")


def more_text(more: More) -> str:
    """What a capped list of quotes leaves out, in both languages.

    >>> more_text(More(passages=47, documents=12))
    '另 47 段原文（12 份文件）未列出 · 47 more passages in 12 documents'
    >>> more_text(More(passages=1, documents=1))
    '另 1 段原文（1 份文件）未列出 · 1 more passage in 1 document'
    """
    passages = "passage" if more.passages == 1 else "passages"
    documents = "document" if more.documents == 1 else "documents"
    return (f"另 {more.passages} 段原文（{more.documents} 份文件）未列出 · "
            f"{more.passages} more {passages} in {more.documents} {documents}")


def _environment(fmt: ReportFormat):
    import jinja2

    html = fmt is ReportFormat.HTML
    env = jinja2.Environment(loader=jinja2.PackageLoader("kg.outputs", "templates"), autoescape=html,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True,
                             finalize=(lambda v: "" if v is None else v) if html else md_escape)
    env.filters["value_text"] = _value_text
    env.filters["score"] = lambda x: f"{x:.2f}"
    env.filters["more_text"] = more_text
    env.globals.update(fold=fold, bases=DATE_BASES)
    return env


def render_report(report: Report, fmt: str | ReportFormat = ReportFormat.HTML) -> str:
    """The report as text: ``"html"`` (one self-contained file: inline CSS and SVG, no
    script, no network), ``"md"`` or ``"json"`` (the dataclasses, for scripts)."""
    fmt = _format(fmt)
    if fmt is ReportFormat.JSON:
        return json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=1) + "\n"
    labels = {r.iri: r.label for r in report.regions}
    charts = {}
    if fmt is ReportFormat.HTML:
        from markupsafe import Markup

        drawn = {"timeline": timeline_svg, "heatmap": heatmap_svg, "diffusion": diffusion_svg, "tiles": tiles_svg}
        charts = {name: Markup(svg) if svg else None for name, svg in ((n, draw(report)) for n, draw in drawn.items())}
    template = _environment(fmt).get_template(f"report.{fmt.value}.j2")
    return template.render(report=report, labels=labels, charts=charts, page=page_layout(report), version=__version__)


def _format(fmt: str | ReportFormat) -> ReportFormat:
    try:
        return ReportFormat(fmt)
    except ValueError:
        raise KGError(f"unknown report format '{fmt}'", fix="choose one of: md, html, json") from None


def format_for(path: str | Path) -> ReportFormat:
    """The format a file name asks for (``.md``, ``.html``, ``.json``)."""
    try:
        return FORMAT_OF_SUFFIX[Path(path).suffix.lower()]
    except KeyError:
        raise KGError(f"{path}: cannot tell the report format from the file name",
                      fix="name it .html, .md or .json, or give --format") from None


def write_report(graph, *, path: str | Path, fmt: str | ReportFormat | None = None,
                 regions: list[str] | None = None, initiatives: list[str] | None = None,
                 diffusion: str | None = None, quotes: int = QUOTES_SHOWN) -> Path:
    """Build, render and atomically write a report; ``fmt`` defaults to the one ``path``'s
    suffix names; ``quotes`` as :func:`build_report` takes it. Returns the path written."""
    fmt = _format(fmt) if fmt is not None else format_for(path)
    report = build_report(graph, regions=regions, initiatives=initiatives, diffusion=diffusion, quotes=quotes)
    text = render_report(report, fmt)
    return write_atomic(path, text.encode("utf-8"))


__all__ = ["build_report", "render_report", "write_report", "format_for", "jaccard", "md_escape", "more_text", "chart_fonts",
           "timeline_svg", "heatmap_svg", "diffusion_svg", "tiles_svg", "Report", "ReportFormat", "SECTIONS"]
