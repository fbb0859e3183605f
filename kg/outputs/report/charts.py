"""The report's charts (matplotlib, imported lazily): the task timeline, the likeness heatmap,
the diffusion curve and the tile map of provinces, as inline SVG. Their text stays text, set in
the CJK fonts the page itself uses (a chart's glyphs drawn as paths weighed 50–230 kB each)."""
from __future__ import annotations

import functools
import io
import re
from pathlib import Path

from kg.outputs.report.model import HEATMAP_NUMBERS, HEATMAP_REGIONS, TIMELINE_ROWS, Report

# ---------------------------------------------------------------- charts (matplotlib, imported lazily)

_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "SimHei")


@functools.lru_cache(maxsize=1)
def chart_fonts() -> tuple[str, ...]:
    """Font families for chart text: the CJK families found on this machine, then DejaVu Sans.
    Fonts installed after matplotlib built its font cache are added on first use."""
    from matplotlib import font_manager

    def found() -> list[str]:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return [family for family in _CJK_FAMILIES if family in names]

    if not found():
        for path in font_manager.findSystemFonts():
            if re.search(r"cjk|wqy|sourcehan|wenquanyi", Path(path).name, re.IGNORECASE):
                font_manager.fontManager.addfont(path)
    return (*found(), "DejaVu Sans")


def _inline_svg(figure, name: str, label: str) -> str:
    """The figure as an ``<svg>`` element for inlining: no XML prolog, comments or metadata,
    ids prefixed with ``name`` so charts don't clash."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->|<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    svg = re.sub(r'(\bid="|href="#|url\(#)([^")]+)',
                 lambda m: m.group(1) + (f"{name}-{m.group(2)}" if m.group(2) in ids else m.group(2)), svg)
    attributes = f'<svg role="img" aria-label="{_xml_attribute(label)}" class="chart"'
    return svg.replace("<svg", attributes, 1)


def _xml_attribute(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _chart_context():
    # Figures are made with matplotlib.figure.Figure, never pyplot: no GUI backend is touched
    # and the process-wide backend stays whatever the caller chose (Agg in a headless run).
    # Text is written as <text> in the families found here (which set the layout), then the
    # other CJK families, so a reader's browser finds one of them as it does for the page.
    import matplotlib

    found = chart_fonts()
    families = [*found[:-1], *(f for f in _CJK_FAMILIES if f not in found), found[-1]]
    return matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "govkg-report",
                                  "font.family": "sans-serif", "font.sans-serif": families,
                                  "axes.unicode_minus": False, "font.size": 9})


def _short(text: str, size: int = 22) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def timeline_svg(report: Report) -> str | None:
    """Tasks with dated deadlines, one row each, coloured by region; None when there are none."""
    dated = [(t, d) for t in report.task_deadlines for d in t.deadlines]
    if not dated:
        return None
    title = "任务完成时限 Task deadlines"
    if len(dated) > TIMELINE_ROWS:
        title += f" (first {TIMELINE_ROWS} of {len(dated)})"
    dated = sorted(dated, key=lambda td: td[1])[:TIMELINE_ROWS]
    import datetime

    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    with _chart_context():
        figure = Figure(figsize=(8, 1.2 + 0.32 * len(dated)))
        axes = figure.subplots()
        colours = {r.iri: f"C{i % 10}" for i, r in enumerate(report.regions)}
        seen = set()
        for y, (task, day) in enumerate(dated):
            when = datetime.date.fromisoformat(day)
            label = None if task.region in seen else task.region_label
            seen.add(task.region)
            axes.plot([when], [y], "o", color=colours[task.region], label=label, markersize=7)
        axes.set_yticks(range(len(dated)))
        axes.set_yticklabels([_short(f"{t.region_label} {t.number + '. ' if t.number else ''}{t.title}")
                              for t, _ in dated])
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        axes.grid(axis="x", linestyle=":", linewidth=0.6)
        axes.set_title(title)
        axes.legend(loc="lower right", fontsize=8)
        figure.autofmt_xdate()
        return _inline_svg(figure, "timeline", "任务完成时限时间轴 Task deadline timeline")


def seriation(matrix: list[list[float]]) -> list[int]:
    """An order of the rows of a symmetric similarity matrix that puts alike rows side by side:
    average-linkage clustering on 1 - similarity, leaves in optimal order (SciPy)."""
    if len(matrix) < 3:
        return list(range(len(matrix)))
    import numpy as np
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    distance = 1.0 - np.asarray(matrix, dtype=float)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform((distance + distance.T) / 2, checks=False), method="average", optimal_ordering=True)
    return [int(i) for i in leaves_list(tree)]


def heatmap_order(report: Report) -> list[int]:
    """Indexes (into ``report.regions``) of the regions the heatmap draws, in drawing order: the
    :data:`HEATMAP_REGIONS` adopting most initiatives, seriated."""
    similarity = report.similarity
    adopting = {row.region: row.initiatives for row in report.overview}
    kept = sorted(range(len(similarity.regions)), key=lambda i: (-adopting.get(similarity.regions[i], 0), i))
    kept = sorted(kept[:HEATMAP_REGIONS])
    order = seriation([[similarity.matrix[i][j] for j in kept] for i in kept])
    return [kept[i] for i in order]


def heatmap_svg(report: Report) -> str | None:
    """The region similarity matrix as a heatmap, alike regions side by side (:func:`seriation`);
    at most :data:`HEATMAP_REGIONS` regions (those adopting most initiatives), scores written in
    up to :data:`HEATMAP_NUMBERS`; None for one region."""
    similarity = report.similarity
    total = len(similarity.regions)
    if total < 2:
        return None
    from matplotlib.figure import Figure

    drawn = heatmap_order(report)
    matrix = [[similarity.matrix[i][j] for j in drawn] for i in drawn]
    labels = [report.regions[i].label for i in drawn]
    title = "地区相似度 Region similarity"
    if total > len(drawn):
        title += f" ({len(drawn)} of {total} regions, those adopting most)"
    size = 1.6 + (0.75 if len(labels) <= HEATMAP_NUMBERS else 0.22) * len(labels)
    with _chart_context():
        figure = Figure(figsize=(size + 1.2, size))
        axes = figure.subplots()
        image = axes.imshow(matrix, cmap="Blues", vmin=0.0, vmax=1.0)
        axes.set_xticks(range(len(labels)), labels=labels, rotation=45 if len(labels) <= HEATMAP_NUMBERS else 90,
                        ha="right" if len(labels) <= HEATMAP_NUMBERS else "center")
        axes.set_yticks(range(len(labels)), labels=labels)
        if len(labels) <= HEATMAP_NUMBERS:
            for i, row in enumerate(matrix):
                for j, value in enumerate(row):
                    axes.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                              color="white" if value > 0.6 else "black")
        figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="Jaccard")
        axes.set_title(title)
        return _inline_svg(figure, "heatmap", "地区相似度热图 Region similarity heatmap")


def _day(date: str):
    """An ISO date, or a year alone (drawn at 1 January)."""
    import datetime

    return datetime.date(int(date), 1, 1) if len(date) == 4 else datetime.date.fromisoformat(date[:10])


def diffusion_svg(report: Report) -> str | None:
    """How many regions had adopted the diffusion initiative by each date: a cumulative step
    curve over the first adoptions' dates; None when no adoption is dated."""
    diffusion = report.diffusion
    dated = [a for a in diffusion.adopters if a.date] if diffusion else []
    if not dated:
        return None
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    days = [_day(a.date) for a in dated]
    counts = list(range(1, len(days) + 1))
    with _chart_context():
        figure = Figure(figsize=(5.6, 3.6))
        axes = figure.subplots()
        axes.step(days, counts, where="post", color="#2171b5", linewidth=1.8)
        axes.plot(days, counts, "o", color="#2171b5", markersize=4)
        axes.axhline(diffusion.regions, color="#999", linestyle=":", linewidth=1)
        axes.text(days[0], diffusion.regions, f" {diffusion.regions} 个比较地区 regions compared", va="bottom",
                  fontsize=8, color="#666")
        if len(dated) <= 12:
            for day, count, adopter in zip(days, counts, dated):
                axes.annotate(_short(adopter.label, 8), (day, count), textcoords="offset points", xytext=(4, -10),
                              fontsize=7, color="#444")
        axes.set_ylim(0, diffusion.regions * 1.12 + 0.5)
        axes.set_ylabel("累计推行地区 regions adopting")
        axes.xaxis.set_major_locator(mdates.YearLocator())
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        axes.grid(axis="y", linestyle=":", linewidth=0.6)
        axes.set_title(f"{diffusion.initiative.label}：首次推行 first adoptions")
        return _inline_svg(figure, "diffusion", f"{diffusion.initiative.label} 首次推行累计曲线 cumulative first adoptions")


def tiles_svg(report: Report) -> str | None:
    """China's provinces as a tile map (one square each), coloured by the year their compared
    regions first adopted the diffusion initiative, with adopting / compared regions on each."""
    diffusion = report.diffusion
    if diffusion is None:
        return None
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    years = sorted({tile.first[:4] for tile in diffusion.tiles if tile.first})
    with _chart_context():
        from matplotlib import colormaps

        shades = colormaps["Blues_r"]
        colour = {year: shades(0.15 + 0.6 * i / max(1, len(years) - 1)) for i, year in enumerate(years)}
        rows = 1 + max(t.row for t in diffusion.tiles)
        cols = 1 + max(t.col for t in diffusion.tiles)
        figure = Figure(figsize=(0.62 * cols + 2.2, 0.62 * rows + 0.5))
        axes = figure.subplots()
        for tile in diffusion.tiles:
            if tile.first:
                fill = colour[tile.first[:4]]
                ink = "white" if 0.3 * fill[0] + 0.59 * fill[1] + 0.11 * fill[2] < 0.6 else "black"
            elif tile.adopting:  # adopted, but no document of it is dated
                fill, ink = "#9ecae1", "black"
            else:
                fill, ink = ("#e6e6e6", "#333") if tile.regions else ("white", "#aaa")
            axes.add_patch(Rectangle((tile.col, -tile.row), 0.94, 0.94, facecolor=fill,
                                     edgecolor="#bbb" if not tile.regions else "none", linewidth=0.6))
            axes.text(tile.col + 0.47, -tile.row + 0.62, tile.label, ha="center", va="center", fontsize=7, color=ink)
            if tile.regions:
                axes.text(tile.col + 0.47, -tile.row + 0.27, f"{tile.adopting}/{tile.regions}", ha="center",
                          va="center", fontsize=6.5, color=ink)
        axes.set_xlim(-0.1, cols + 0.1)
        axes.set_ylim(-rows + 0.9, 1.05)
        axes.set_aspect("equal")
        axes.axis("off")
        handles = [Patch(facecolor=colour[y], label=f"{y} 年首次推行 first adopted") for y in years]
        if any(tile.adopting and not tile.first for tile in diffusion.tiles):
            handles.append(Patch(facecolor="#9ecae1", label="推行，日期不详 adopted, undated"))
        handles += [Patch(facecolor="#e6e6e6", label="未推行 none adopting"),
                    Patch(facecolor="white", edgecolor="#bbb", label="未比较 no region compared")]
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False,
                    title="推行/比较地区 adopting/compared\n（市计入所在省 a city counts\nfor its province）",
                    title_fontsize=7, alignment="left")
        axes.set_title(f"{diffusion.initiative.label}：各省推行情况 adoption by province", fontsize=9)
        return _inline_svg(figure, "tiles", f"{diffusion.initiative.label} 各省推行瓦片地图 tile map of adoption by province")
