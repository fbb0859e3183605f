"""Small dataclasses passed between the pipeline stages."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """A decoded input file. ``text`` is the original text all evidence offsets refer to."""

    name: str  # file name as given to the build, no directories
    text: str
    encoding: str
    sha256: str
    format: str  # reader key: txt, md, html, docx, pdf
    declared: tuple[tuple[str, str], ...] = ()  # facts a manifest beside the file states (kg.ingest.manifest)


# The classes made by the ten thousand (Sentence, Heading, Evidence) have a hand-written __init__
# that sets each field through object.__setattr__ looked up once, here: the generated one looks
# it up again for every field, which costs more than the rest of making one. (Filling the
# instance's __dict__ would be quicker still, but makes every later read of a field slower.)
# The fields and their defaults stay the dataclass's (tests/test_model.py compares the two).
_set_field = object.__setattr__


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = 一、/第X章, 2 = （一）/第X条, 3 = 1., 4 = （1）
    number: str  # as printed, e.g. "（一）"
    title: str
    start: int  # offsets into Source.text
    end: int

    def __init__(self, level: int, number: str, title: str, start: int, end: int):
        _set_field(self, "level", level)
        _set_field(self, "number", number)
        _set_field(self, "title", title)
        _set_field(self, "start", start)
        _set_field(self, "end", end)


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into Source.text
    end: int
    norm_start: int  # offsets into NormText.text
    norm_end: int
    section: tuple[str, ...]  # heading path, outermost first
    item: str | None = None  # number of the enclosing numbered item, e.g. "3" under a task section

    def __init__(self, start: int, end: int, norm_start: int, norm_end: int, section: tuple[str, ...],
                 item: str | None = None):
        _set_field(self, "start", start)
        _set_field(self, "end", end)
        _set_field(self, "norm_start", norm_start)
        _set_field(self, "norm_end", norm_end)
        _set_field(self, "section", section)
        _set_field(self, "item", item)


@dataclass
class Segment:
    """One document found in a source file, with its structure."""

    source: Source
    norm: "object"  # kg.core.text.NormText of the whole source
    index: int
    start: int
    end: int
    title: str | None = None
    title_span: tuple[int, int] | None = None
    source_line: str | None = None
    source_line_span: tuple[int, int] | None = None
    preface_span: tuple[int, int] | None = None  # 编者按 and its paragraphs
    headings: list[Heading] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    issue: "IssueInfo | None" = None
    preamble: tuple[int, int] | None = None  # notice header lines before the title (关于印发…的通知)


@dataclass(frozen=True)
class IssueInfo:
    """A newsletter issue (container of several documents)."""

    title: str
    date: str  # ISO date
    number: str  # 第19期
    total: str | None  # 总第130期
    span: tuple[int, int]


@dataclass(frozen=True)
class Evidence:
    document: str  # document IRI
    source: str  # source file name
    section: str
    start: int
    end: int
    quote: str

    def __init__(self, document: str, source: str, section: str, start: int, end: int, quote: str):
        _set_field(self, "document", document)
        _set_field(self, "source", source)
        _set_field(self, "section", section)
        _set_field(self, "start", start)
        _set_field(self, "end", end)
        _set_field(self, "quote", quote)

    def __eq__(self, other):
        # Asked for each quote a fact already has: the offsets, which tell most quotes apart, first
        # (the generated method builds a tuple of every field of both).
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.start == other.start and self.end == other.end and self.document == other.document
                and self.source == other.source and self.section == other.section and self.quote == other.quote)


@dataclass(frozen=True)
class Ref:
    """An IRI used as a property value (as opposed to a literal)."""

    iri: str


@dataclass
class Entity:
    iri: str
    type: str  # ontology class local name
    label: str | None = None  # zh
    label_en: str | None = None
    aliases: list[str] = field(default_factory=list)
    props: dict[str, list] = field(default_factory=dict)  # CURIE -> values (Ref or literal)
    evidence: list[Evidence] = field(default_factory=list)

    def add(self, predicate: str, value) -> None:
        values = self.props.setdefault(predicate, [])
        if value not in values:
            values.append(value)

    def first(self, predicate: str, default=None):
        values = self.props.get(predicate)
        return values[0] if values else default


@dataclass
class Relation:
    subject: str
    predicate: str  # CURIE
    object: str  # IRI
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Extraction:
    """What the extract stage found in one document."""

    document: Entity
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issue: IssueInfo | None = None
    undetermined: list[str] = field(default_factory=list)  # facts not found: "region", "title", "tasks" …
