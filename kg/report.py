"""Comparison reports: how the regions of a built graph differ in initiatives, platforms,
departments, tasks, goals and overall likeness, as Markdown, self-contained HTML or JSON.

:func:`build_report` gathers plain dataclasses from the graph; :func:`render_report` fills
``kg/templates/report.{html,md}.j2`` (or dumps JSON); :func:`write_report` does both and
writes the file atomically. Every mark in the initiative matrix carries the quotes of its
``gk:adopts`` assertion, so the HTML can show the evidence behind it.

>>> from kg import api                                           # doctest: +SKIP
>>> graph = api.build(["data"], out_dir=None).state.graph         # doctest: +SKIP
>>> [r.label for r in build_report(graph).regions]                # doctest: +SKIP
['河南省', '湖北省', '哈尔滨市', '青岛市']
"""
from __future__ import annotations

import collections
import dataclasses
import enum
import functools
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, iris
from .errors import KGError
from .export import natural_key
from .serialize import write_atomic

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCTERMS = "http://purl.org/dc/terms/"
_SCHEMA = "https://schema.org/"
_REGION_LEVELS = ("Country", "Province", "City", "District", "Region")  # column order: level, then code
TOP_LEAD_UNITS = 10  # lead units listed per region
PAIRS_SHOWN = 5  # most and least alike pairs listed
TIMELINE_ROWS = 60  # dated tasks drawn on the timeline (all of them are in the table)


class ReportFormat(str, enum.Enum):
    MD = "md"
    HTML = "html"
    JSON = "json"


_SUFFIXES = {".md": ReportFormat.MD, ".markdown": ReportFormat.MD, ".html": ReportFormat.HTML,
             ".htm": ReportFormat.HTML, ".json": ReportFormat.JSON}


# ---------------------------------------------------------------- the report's data


@dataclass
class Ref:
    iri: str
    label: str


@dataclass
class Quote:
    document: str  # title of the document
    document_iri: str | None
    section: str
    quote: str
    start: int
    end: int


@dataclass
class RegionRef:
    iri: str
    label: str
    code: str | None
    type: str  # class local name: Province, City ...


@dataclass
class DocumentSummary:
    iri: str
    title: str
    genre: str  # zh label of the document's class
    genre_class: str
    issuer: str | None
    period: str  # "2023—2025", "2023" or ""
    number: str | None  # document number such as 国发〔2022〕14号


@dataclass
class RegionOverview:
    region: str
    label: str
    documents: list[DocumentSummary]
    initiatives: int
    platforms: int
    departments: int
    tasks: int
    goals: int


@dataclass
class MatrixRow:
    iri: str
    label: str
    label_en: str | None
    regions: list[str]  # IRIs of the report's regions that adopt it, in column order
    quotes: dict[str, list[Quote]]  # region IRI -> evidence of that gk:adopts assertion


@dataclass
class MatrixGroup:
    iri: str
    label: str
    label_en: str | None
    rows: list[MatrixRow]


@dataclass
class InitiativeMatrix:
    regions: list[str]  # column IRIs
    groups: list[MatrixGroup]
    shared_by_all: list[Ref]
    unique: dict[str, list[Ref]]  # region IRI -> initiatives no other report region adopts


@dataclass
class PlatformSummary:
    iri: str
    label: str
    kind: str | None  # zh label of the platform kind
    kind_code: str | None
    initiatives: list[str]  # zh labels of the initiatives it serves


@dataclass
class RegionPlatforms:
    region: str
    label: str
    kinds: dict[str, int]  # kind label -> platforms
    platforms: list[PlatformSummary]


@dataclass
class UnitCount:
    iri: str
    label: str
    tasks: int


@dataclass
class RegionUnits:
    region: str
    label: str
    departments: int
    tasks: int
    tasks_with_lead: int
    lead_units: list[UnitCount]  # most tasks first, at most TOP_LEAD_UNITS


@dataclass
class TaskDeadline:
    iri: str
    region: str
    region_label: str
    number: str | None
    title: str
    deadlines: list[str]  # ISO dates; empty when only deadline_text is known (每季度 ...)
    deadline_text: str | None
    lead_units: list[str]


@dataclass
class GoalSummary:
    iri: str
    region: str
    region_label: str
    indicator: str
    comparator: str | None
    value: int | float | None
    value_max: int | float | None
    unit: str | None
    year: int | None
    quotes: list[Quote]


@dataclass
class PairScore:
    a: Ref
    b: Ref
    score: float  # Jaccard index of the two regions' initiative sets
    shared: int
    union: int


@dataclass
class Similarity:
    measure: str
    regions: list[str]
    matrix: list[list[float]]
    most_alike: list[PairScore]
    least_alike: list[PairScore]


@dataclass
class Report:
    title: str
    regions: list[RegionRef]
    initiatives: list[Ref] | None  # the filter given, expanded; None: every adopted initiative
    overview: list[RegionOverview]
    initiative_matrix: InitiativeMatrix
    platforms: list[RegionPlatforms]
    departments: list[RegionUnits]
    task_deadlines: list[TaskDeadline]
    goals: list[GoalSummary]
    similarity: Similarity
    notes: list[str] = field(default_factory=list)


SECTIONS = ("overview", "initiative_matrix", "platforms", "departments", "task_deadlines", "goals", "similarity")


# ---------------------------------------------------------------- reading the graph


class _Reader:
    """Accessors over the graph; vocabulary labels fall back to the ontology, so a graph file
    written without the ontology still gives readable reports."""

    def __init__(self, graph):
        from rdflib import URIRef

        from .ontology import ontology_graph

        self.graph, self.ontology, self.uri = graph, ontology_graph(), URIRef

    def objects(self, subject, predicate: str) -> list:
        return sorted(self.graph.objects(subject, self.uri(predicate)), key=str)

    def subjects(self, predicate: str, obj) -> list:
        return sorted(self.graph.subjects(self.uri(predicate), obj), key=str)

    def first(self, subject, predicate: str):
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def text(self, subject, predicate: str) -> str | None:
        value = self.first(subject, predicate)
        return None if value is None else str(value)

    def types(self, node) -> set[str]:
        return {str(t)[len(iris.NS):] for t in self.graph.objects(node, self.uri(_RDF + "type"))
                if str(t).startswith(iris.NS)}

    def label(self, node, lang: str = "zh") -> str | None:
        for graph in (self.graph, self.ontology):
            for predicate in (_RDFS + "label", _SKOS + "prefLabel"):
                values = sorted(str(v) for v in graph.objects(self.uri(str(node)), self.uri(predicate))
                                if (getattr(v, "language", None) or "").startswith(lang))
                if values:
                    return values[0]
        return None

    def name(self, node) -> str:
        return self.label(node) or self.label(node, "en") or str(node).rsplit("/", 1)[-1]

    def subclasses(self, local: str) -> set[str]:
        from rdflib import RDFS

        below = self.ontology.transitive_subjects(RDFS.subClassOf, self.uri(iris.term(local)))
        return {str(c)[len(iris.NS):] for c in below if str(c).startswith(iris.NS)}

    def quotes(self, about) -> list[Quote]:
        from .lookup import evidence_of

        return [Quote(document=row["document"] or "", document_iri=row["document_iri"], section=row["section"],
                      quote=row["quote"], start=row["start"], end=row["end"]) for row in evidence_of(self.graph, about)]


def _number(value) -> int | float | None:
    from decimal import Decimal, InvalidOperation

    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _year(value) -> int | None:
    found = re.match(r"-?\d+", str(value)) if value is not None else None
    return int(found.group()) if found else None


def _policy_documents(reader: _Reader, region) -> list:
    policy = reader.subclasses("PolicyDocument")
    return [d for d in reader.subjects(iris.term("governsRegion"), region) if reader.types(d) & policy]


def _default_regions(reader: _Reader) -> list:
    from rdflib import URIRef

    policy = reader.subclasses("PolicyDocument")
    found = {region for doc, region in reader.graph.subject_objects(URIRef(iris.term("governsRegion")))
             if reader.types(doc) & policy}
    return list(found)


def _region_ref(reader: _Reader, node) -> RegionRef:
    region_types = reader.subclasses("Region")
    type_ = min(reader.types(node) & region_types or {"Region"},
                key=lambda t: _REGION_LEVELS.index(t) if t in _REGION_LEVELS else len(_REGION_LEVELS))
    return RegionRef(iri=str(node), label=reader.name(node), code=reader.text(node, iris.term("divisionCode")),
                     type=type_)


def _resolve_regions(reader: _Reader, names) -> list:
    from .lookup import resolve_entity

    types = tuple(sorted(reader.subclasses("Region")))
    return [reader.uri(resolve_entity(reader.graph, name, types=types)) for name in names]


def _resolve_initiatives(reader: _Reader, names) -> list[str]:
    """IRIs named by ``names``; a group (a concept other initiatives are narrower than)
    stands for its members."""
    from rdflib import URIRef

    from .lookup import resolve_entity
    from .ontology import initiatives

    concepts = initiatives()
    chosen: list[str] = []
    for name in names:
        try:
            iri = resolve_entity(reader.graph, name, types=("Initiative",))
        except KGError:
            # A graph file without the ontology still knows the vocabulary through kg.ontology.
            matches = [c.iri for c in concepts.values() if name in c.labels or name == c.iri]
            if len(matches) != 1:
                raise
            iri = matches[0]
        members = [c.iri for c in concepts.values() if c.broader == iri]
        members += [str(s) for s in reader.graph.subjects(URIRef(_SKOS + "broader"), URIRef(iri))]
        for item in sorted(set(members)) or [iri]:
            if item not in chosen:
                chosen.append(item)
    return chosen


def _document_summary(reader: _Reader, doc) -> DocumentSummary:
    from .ontology import class_label

    types = reader.types(doc) & reader.subclasses("Document")
    specific = sorted(t for t in types if not any(o != t and o in reader.subclasses(t) for o in types))
    genre = (specific or sorted(types) or ["PolicyDocument"])[0]
    start, end = (_year(reader.first(doc, iris.term(p))) for p in ("periodStart", "periodEnd"))
    period = "" if start is None else (str(start) if end in (None, start) else f"{start}—{end}")
    return DocumentSummary(iri=str(doc), title=reader.text(doc, _DCTERMS + "title") or reader.name(doc),
                           genre=class_label(genre), genre_class=genre, issuer=reader.text(doc, iris.term("issuer")),
                           period=period, number=reader.text(doc, iris.term("documentNumber")))


def _in_region(reader: _Reader, region, cls: str) -> list:
    return [n for n in reader.subjects(iris.term("inRegion"), region) if cls in reader.types(n)]


def _adopted(reader: _Reader, region) -> set[str]:
    return {str(i) for i in reader.objects(region, iris.term("adopts"))}


def _adopts_assertions(reader: _Reader) -> dict[tuple[str, str], object]:
    from rdflib import URIRef

    found = {}
    for node in reader.graph.subjects(URIRef(_RDF + "predicate"), URIRef(iris.term("adopts"))):
        subject, obj = reader.first(node, _RDF + "subject"), reader.first(node, _RDF + "object")
        if subject is not None and obj is not None:
            found[(str(subject), str(obj))] = node
    return found


def _matrix(reader: _Reader, regions: list[RegionRef], adopted: dict[str, set[str]],
            selected: list[str] | None) -> InitiativeMatrix:
    from .ontology import initiatives

    concepts = initiatives()
    assertions = _adopts_assertions(reader)
    wanted = selected if selected is not None else sorted(set().union(*adopted.values()))
    groups: dict[str, list[MatrixRow]] = collections.defaultdict(list)
    for iri in wanted:
        having = [r.iri for r in regions if iri in adopted[r.iri]]
        quotes = {r: reader.quotes(assertions[(r, iri)]) if (r, iri) in assertions else [] for r in having}
        concept = concepts.get(iri)
        broader = reader.first(reader.uri(iri), _SKOS + "broader")
        group = str(broader) if broader is not None else (concept.broader if concept and concept.broader else iri)
        groups[group].append(MatrixRow(iri=iri, label=reader.name(iri), label_en=reader.label(iri, "en"),
                                       regions=having, quotes=quotes))
    matrix_groups = []
    for group, rows in groups.items():
        rows.sort(key=lambda row: (-len(row.regions), row.label, row.iri))
        matrix_groups.append(MatrixGroup(iri=group, label=reader.name(group), label_en=reader.label(group, "en"),
                                         rows=rows))
    matrix_groups.sort(key=lambda g: (-sum(len(r.regions) for r in g.rows), g.label, g.iri))
    rows = [row for g in matrix_groups for row in g.rows]
    comparable = len(regions) > 1  # with one column "shared" and "unique" say nothing
    shared = [Ref(r.iri, r.label) for r in rows if comparable and len(r.regions) == len(regions)]
    unique = {region.iri: [Ref(r.iri, r.label) for r in rows if comparable and r.regions == [region.iri]]
              for region in regions}
    return InitiativeMatrix(regions=[r.iri for r in regions], groups=matrix_groups, shared_by_all=shared, unique=unique)


def _platforms(reader: _Reader, region: RegionRef) -> RegionPlatforms:
    rows = []
    for node in _in_region(reader, reader.uri(region.iri), "Platform"):
        kind = reader.first(node, iris.term("platformKind"))
        notation = reader.first(kind, _SKOS + "notation") if kind is not None else None
        if kind is not None and notation is None:
            notation = reader.ontology.value(kind, reader.uri(_SKOS + "notation"))
        rows.append(PlatformSummary(iri=str(node), label=reader.name(node),
                                    kind=reader.name(kind) if kind is not None else None,
                                    kind_code=str(notation) if notation is not None else None,
                                    initiatives=sorted({reader.name(i) for i in reader.objects(node, iris.term("serves"))})))
    rows.sort(key=lambda p: (p.kind or "\uffff", p.label, p.iri))
    kinds = collections.Counter(p.kind or "—" for p in rows)
    return RegionPlatforms(region=region.iri, label=region.label, platforms=rows,
                           kinds=dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))))


def _tasks(reader: _Reader, region: RegionRef) -> tuple[RegionUnits, list[TaskDeadline]]:
    node = reader.uri(region.iri)
    tasks = _in_region(reader, node, "Task")
    leads: collections.Counter = collections.Counter()
    deadlines = []
    for task in tasks:
        units = reader.objects(task, iris.term("leadUnit"))
        leads.update(str(u) for u in units)
        dates = sorted({str(d) for d in reader.objects(task, iris.term("deadline"))})
        text = reader.text(task, iris.term("deadlineText"))
        if dates or text:
            deadlines.append(TaskDeadline(
                iri=str(task), region=region.iri, region_label=region.label,
                number=reader.text(task, iris.term("taskNumber")),
                title=reader.text(task, _DCTERMS + "title") or reader.name(task), deadlines=dates,
                deadline_text=text, lead_units=sorted(reader.name(u) for u in units)))
    top = sorted(leads.items(), key=lambda kv: (-kv[1], reader.name(kv[0]), kv[0]))[:TOP_LEAD_UNITS]
    units = RegionUnits(region=region.iri, label=region.label,
                        departments=len(_in_region(reader, node, "Department")), tasks=len(tasks),
                        tasks_with_lead=sum(1 for t in tasks if reader.objects(t, iris.term("leadUnit"))),
                        lead_units=[UnitCount(iri=u, label=reader.name(u), tasks=n) for u, n in top])
    return units, deadlines


def _goals(reader: _Reader, region: RegionRef) -> list[GoalSummary]:
    goals = []
    for node in _in_region(reader, reader.uri(region.iri), "Goal"):
        value = reader.first(node, _SCHEMA + "value")
        comparator = reader.first(node, iris.term("comparator"))
        goals.append(GoalSummary(
            iri=str(node), region=region.iri, region_label=region.label,
            indicator=reader.text(node, iris.term("indicator")) or reader.name(node),
            comparator=reader.name(comparator) if comparator is not None else None,
            value=_number(value if value is not None else reader.first(node, _SCHEMA + "minValue")),
            value_max=_number(reader.first(node, _SCHEMA + "maxValue")),
            unit=reader.text(node, _SCHEMA + "unitText"), year=_year(reader.first(node, iris.term("targetYear"))),
            quotes=reader.quotes(node)))
    return goals


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty.

    >>> jaccard({"一网通办", "政务云"}, {"一网通办"})
    0.5
    """
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _similarity(regions: list[RegionRef], adopted: dict[str, set[str]]) -> Similarity:
    matrix = [[1.0 if a is b else round(jaccard(adopted[a.iri], adopted[b.iri]), 4) for b in regions]
              for a in regions]
    pairs = [PairScore(a=Ref(a.iri, a.label), b=Ref(b.iri, b.label), score=matrix[i][j],
                       shared=len(adopted[a.iri] & adopted[b.iri]), union=len(adopted[a.iri] | adopted[b.iri]))
             for i, a in enumerate(regions) for j, b in enumerate(regions) if i < j]
    pairs.sort(key=lambda p: (-p.score, -p.shared, p.a.label, p.b.label))
    shown = min(PAIRS_SHOWN, (len(pairs) + 1) // 2)
    return Similarity(measure="jaccard", regions=[r.iri for r in regions], matrix=matrix,
                      most_alike=pairs[:shown], least_alike=list(reversed(pairs[len(pairs) - shown:])) if shown else [])


def build_report(graph, *, regions: list[str] | None = None, initiatives: list[str] | None = None) -> Report:
    """Compare ``regions`` (names, short forms, division codes or IRIs; default: every region
    some policy document governs, by level then code) over ``initiatives`` (labels of
    initiatives or of groups, which stand for their members; default: every initiative one of
    the regions adopts). The initiative filter applies to the matrix and the similarity;
    the other sections describe the regions as a whole.

    Raises :class:`~kg.errors.NotFoundError` for a name that does not resolve and
    :class:`~kg.errors.KGError` when there is no region to compare.
    """
    reader = _Reader(graph)
    if regions:
        nodes = list(dict.fromkeys(_resolve_regions(reader, regions)))
        refs = [_region_ref(reader, n) for n in nodes]
    else:
        refs = [_region_ref(reader, n) for n in _default_regions(reader)]
        refs.sort(key=lambda r: (_REGION_LEVELS.index(r.type) if r.type in _REGION_LEVELS else 9, r.code or "", r.iri))
    if not refs:
        raise KGError("no policy document in the graph governs a region",
                      fix="build plans or schemes that name their region, or pass --regions")
    selected = _resolve_initiatives(reader, initiatives) if initiatives else None
    adopted_all = {r.iri: _adopted(reader, reader.uri(r.iri)) for r in refs}
    adopted = {k: (v & set(selected) if selected is not None else v) for k, v in adopted_all.items()}
    overview, platforms, departments, deadlines, goals = [], [], [], [], []
    for region in refs:
        node = reader.uri(region.iri)
        units, tasks = _tasks(reader, region)
        overview.append(RegionOverview(
            region=region.iri, label=region.label,
            documents=[_document_summary(reader, d) for d in _policy_documents(reader, node)],
            initiatives=len(adopted_all[region.iri]), platforms=len(_in_region(reader, node, "Platform")),
            departments=units.departments, tasks=units.tasks, goals=len(_in_region(reader, node, "Goal"))))
        platforms.append(_platforms(reader, region))
        departments.append(units)
        deadlines.extend(tasks)
        goals.extend(_goals(reader, region))
    order = {r.iri: i for i, r in enumerate(refs)}
    deadlines.sort(key=lambda t: (t.deadlines[0] if t.deadlines else "9999", order[t.region], natural_key(t.iri)))
    goals.sort(key=lambda g: (g.year is None, g.year or 0, order[g.region], g.indicator, g.iri))
    notes = [] if len(refs) > 1 else ["只有一个地区，无可比较的对象。 Only one region: nothing to compare."]
    return Report(title="数字政府政策地区对比报告", regions=refs,
                  initiatives=[Ref(i, reader.name(i)) for i in selected] if selected is not None else None,
                  overview=overview, initiative_matrix=_matrix(reader, refs, adopted, selected), platforms=platforms,
                  departments=departments, task_deadlines=deadlines, goals=goals,
                  similarity=_similarity(refs, adopted), notes=notes)


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
    """The figure as an ``<svg>`` element for inlining: text drawn as paths (no web fonts),
    no XML prolog, comments or metadata, ids prefixed with ``name`` so charts don't clash."""
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
    import matplotlib

    return matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "govkg-report",
                                  "font.family": "sans-serif", "font.sans-serif": list(chart_fonts()),
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


def heatmap_svg(report: Report) -> str | None:
    """The region similarity matrix as a heatmap with the scores written in; None for one region."""
    similarity = report.similarity
    if len(similarity.regions) < 2:
        return None
    from matplotlib.figure import Figure

    labels = [r.label for r in report.regions]
    size = 1.6 + 0.75 * len(labels)
    with _chart_context():
        figure = Figure(figsize=(size + 1.2, size))
        axes = figure.subplots()
        image = axes.imshow(similarity.matrix, cmap="Blues", vmin=0.0, vmax=1.0)
        axes.set_xticks(range(len(labels)), labels=labels, rotation=45, ha="right")
        axes.set_yticks(range(len(labels)), labels=labels)
        for i, row in enumerate(similarity.matrix):
            for j, value in enumerate(row):
                axes.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                          color="white" if value > 0.6 else "black")
        figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="Jaccard")
        axes.set_title("地区相似度 Region similarity")
        return _inline_svg(figure, "heatmap", "地区相似度热图 Region similarity heatmap")


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


def _environment(fmt: ReportFormat):
    import jinja2

    html = fmt is ReportFormat.HTML
    env = jinja2.Environment(loader=jinja2.PackageLoader("kg", "templates"), autoescape=html,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True,
                             finalize=(lambda v: "" if v is None else v) if html else md_escape)
    env.filters["value_text"] = _value_text
    env.filters["score"] = lambda x: f"{x:.2f}"
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

        charts = {name: Markup(svg) if svg else None
                  for name, svg in (("timeline", timeline_svg(report)), ("heatmap", heatmap_svg(report)))}
    template = _environment(fmt).get_template(f"report.{fmt.value}.j2")
    return template.render(report=report, labels=labels, charts=charts, version=__version__)


def _format(fmt: str | ReportFormat) -> ReportFormat:
    try:
        return ReportFormat(fmt)
    except ValueError:
        raise KGError(f"unknown report format '{fmt}'", fix="choose one of: md, html, json") from None


def format_for(path: str | Path) -> ReportFormat:
    """The format a file name asks for (``.md``, ``.html``, ``.json``)."""
    try:
        return _SUFFIXES[Path(path).suffix.lower()]
    except KeyError:
        raise KGError(f"{path}: cannot tell the report format from the file name",
                      fix="name it .html, .md or .json, or give --format") from None


def write_report(graph, *, path: str | Path, fmt: str | ReportFormat | None = None,
                 regions: list[str] | None = None, initiatives: list[str] | None = None) -> Path:
    """Build, render and atomically write a report; ``fmt`` defaults to the one ``path``'s
    suffix names. Returns the path written."""
    fmt = _format(fmt) if fmt is not None else format_for(path)
    text = render_report(build_report(graph, regions=regions, initiatives=initiatives), fmt)
    return write_atomic(path, text.encode("utf-8"))


__all__ = ["build_report", "render_report", "write_report", "format_for", "jaccard", "md_escape", "chart_fonts",
           "timeline_svg", "heatmap_svg", "Report", "ReportFormat", "SECTIONS"]
