"""How the HTML and Markdown reports lay a :class:`Report` out: which way the initiative matrix
runs and in what order (alike regions and co-adopted initiatives side by side), and which long
lists are folded to their first rows with a count of the rest. Pure functions of the report."""
from __future__ import annotations

import collections
from dataclasses import dataclass, field

from kg.outputs.report.charts import seriation
from kg.outputs.report.model import GoalSummary, MatrixRow, Report
from kg.query.tables import jaccard

MANY_REGIONS = 6  # above this, regions are the matrix's rows and the regions' sections start folded
FOLD_ROWS = 10  # rows of a long table shown before "N more"
FOLD_SLACK = 3  # a table this much longer than FOLD_ROWS is shown whole: folding away 1–3 rows saves nothing
DOCUMENTS_SHOWN = 3  # documents listed on a region's card before "N more"


@dataclass
class Fold:
    """A list cut after its first rows: ``shown`` always visible, ``rest`` on demand."""
    shown: list
    rest: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.shown) + len(self.rest)


def fold(items, limit: int = FOLD_ROWS) -> Fold:
    """The first ``limit`` items shown and the rest folded, unless the rest would be at most
    :data:`FOLD_SLACK` items.

    >>> fold(range(20), 10).rest
    [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
    >>> fold(range(12), 10).rest
    []
    """
    items = list(items)
    if len(items) <= limit + FOLD_SLACK:
        return Fold(items)
    return Fold(items[:limit], items[limit:])


@dataclass
class MatrixLayout:
    by_region: bool  # True: a row per region and a column per initiative
    regions: list[str]  # region IRIs in display order
    initiatives: list[MatrixRow]  # every initiative in display order (the rows' order when not by_region)
    group_of: dict[str, str]  # initiative IRI -> label of its group
    adopted: dict[str, int]  # region IRI -> initiatives of the matrix it adopts


def initiative_order(rows: list[MatrixRow]) -> list[int]:
    """Indexes of ``rows`` in an order that puts initiatives adopted by the same regions side
    by side (:func:`seriation` of the Jaccard similarity of their adopters); initiatives no
    region adopts come last."""
    adopted = [i for i, row in enumerate(rows) if row.regions]
    sets = [set(rows[i].regions) for i in adopted]
    matrix = [[1.0 if a is b else jaccard(a, b) for b in sets] for a in sets]
    return [adopted[i] for i in seriation(matrix)] + [i for i, row in enumerate(rows) if not row.regions]


def region_order(report: Report) -> list[int]:
    """Indexes of ``report.regions`` with alike regions side by side (:func:`seriation` of the
    similarity matrix)."""
    return seriation(report.similarity.matrix)


def matrix_layout(report: Report) -> MatrixLayout:
    matrix = report.initiative_matrix
    rows = [row for group in matrix.groups for row in group.rows]
    group_of = {row.iri: group.label for group in matrix.groups for row in group.rows}
    adopted = collections.Counter(region for row in rows for region in row.regions)
    counts = {region: adopted[region] for region in matrix.regions}
    if len(report.regions) <= MANY_REGIONS:
        return MatrixLayout(by_region=False, regions=list(matrix.regions), initiatives=rows, group_of=group_of,
                            adopted=counts)
    regions = [report.regions[i].iri for i in region_order(report)]
    return MatrixLayout(by_region=True, regions=regions, initiatives=[rows[i] for i in initiative_order(rows)],
                        group_of=group_of, adopted=counts)


@dataclass
class RegionGoals:
    region: str
    label: str
    indicators: int
    goals: Fold  # sorted by indicator, then year


def goals_by_region(report: Report, limit: int = FOLD_ROWS) -> list[RegionGoals]:
    """The goals grouped by region (in the report's order of regions) and, within each, by
    indicator; each region's list folded after ``limit`` rows."""
    by_region: dict[str, list[GoalSummary]] = collections.defaultdict(list)
    for goal in report.goals:
        by_region[goal.region].append(goal)
    groups = []
    for region in report.regions:
        goals = sorted(by_region.get(region.iri, []), key=lambda g: (g.indicator, g.year is None, g.year or 0, g.iri))
        if goals:
            groups.append(RegionGoals(region=region.iri, label=region.label,
                                      indicators=len({g.indicator for g in goals}), goals=fold(goals, limit)))
    return groups


@dataclass
class Page:
    """Everything the templates need beyond the report itself."""
    many: bool  # more than MANY_REGIONS regions: regions' sections start folded
    matrix: MatrixLayout
    anchors: dict[str, str]  # region IRI -> id of its card
    documents: dict[str, str]  # document IRI -> id of its entry on a card
    platforms: dict[str, Fold]  # region IRI -> its platforms
    deadlines: Fold
    goals: list[RegionGoals]
    documents_shown: int = DOCUMENTS_SHOWN
    quotes_more: int = 0  # passages of the marks and goals not listed, all told


def quotes_left_out(report: Report) -> int:
    """The passages the report's marks and goals do not list (``report.quotes_shown`` caps
    them), summed over the marks and goals (a passage stating two of them counts twice)."""
    counts = [more for group in report.initiative_matrix.groups for row in group.rows for more in row.more.values()]
    return sum(m.passages for m in counts) + sum(goal.more.passages for goal in report.goals)


def page_layout(report: Report) -> Page:
    anchors = {r.iri: f"region-{i}" for i, r in enumerate(report.regions, start=1)}
    documents = {}
    for overview in report.overview:
        for doc in overview.documents:
            documents.setdefault(doc.iri, f"doc-{len(documents) + 1}")
    return Page(many=len(report.regions) > MANY_REGIONS, matrix=matrix_layout(report), anchors=anchors,
                documents=documents, platforms={p.region: fold(p.platforms) for p in report.platforms},
                deadlines=fold(report.task_deadlines, 2 * FOLD_ROWS), goals=goals_by_region(report),
                quotes_more=quotes_left_out(report))
