"""The report's data: plain dataclasses gathered from the graph, and its formats."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.outputs.formats import ReportFormat

_REGION_LEVELS = ("Country", "Province", "City", "District", "Region")  # column order: level, then code
TOP_LEAD_UNITS = 10  # lead units listed per region
PAIRS_SHOWN = 5  # most and least alike pairs listed
TIMELINE_ROWS = 60  # dated tasks drawn on the timeline (all of them are in the table)
HEATMAP_REGIONS = 40  # regions drawn in the likeness heatmap (the report's JSON has every pair)
HEATMAP_NUMBERS = 20  # up to this many regions, each cell shows its score
QUOTES_SHOWN = 3  # quotes listed per matrix mark and per goal by default (the rest counted; 0: all)


FORMAT_OF_SUFFIX = {".md": ReportFormat.MD, ".markdown": ReportFormat.MD, ".html": ReportFormat.HTML,
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
class More:
    """What a capped list of quotes leaves out: passages not listed and the documents they are in."""
    passages: int = 0
    documents: int = 0


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
    date: str | None = None  # ISO date, or a year when only that is known
    date_basis: str | None = None  # where the date comes from: one of DATE_BASES


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
    quotes: dict[str, list[Quote]]  # region IRI -> evidence of that gk:adopts assertion (earliest documents first)
    more: dict[str, More] = field(default_factory=dict)  # region IRI -> the passages of that mark not listed


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
    more: More = field(default_factory=More)  # the passages not listed


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
class FirstAdoption:
    region: str
    label: str
    code: str | None
    date: str | None  # the earliest dated document stating the adoption (ISO date or year); None: none dated
    date_basis: str | None
    document: str | None  # its title
    document_iri: str | None


@dataclass
class ProvinceTile:
    code: str
    label: str  # short name (河南, 内蒙古)
    row: int
    col: int
    regions: int  # compared regions in the province: itself and its cities
    adopting: int  # of those, the ones adopting the initiative
    first: str | None  # the earliest first adoption among them


@dataclass
class Diffusion:
    initiative: Ref  # a group stands for its members: adopting any of them counts
    members: list[str]
    regions: int  # regions compared
    adopters: list[FirstAdoption]  # earliest first; undated last
    tiles: list[ProvinceTile]  # every province-level division, in CSV order


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
    diffusion: Diffusion | None = None  # None when no compared region adopts an initiative
    notes: list[str] = field(default_factory=list)
    quotes_shown: int | None = QUOTES_SHOWN  # quotes listed per mark and per goal; None: all


SECTIONS = ("overview", "initiative_matrix", "platforms", "departments", "task_deadlines", "goals", "similarity",
            "diffusion")
DATE_BASES = {"issued": "成文日期 date signed", "newsletter": "所载简报日期 date of the newsletter issue carrying it",
              "period": "规划期首年 first year of its period"}
