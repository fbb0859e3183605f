"""The document itself: title, genre, governing region, issuer, number, period, container."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from kg.core import iris
from kg.core.model import Entity, Evidence, Extraction, Ref, Relation, Segment
from kg.core.ontology import divisions, document_genres, genre_cues
from kg.ingest.segment import heading_level
from kg.core.regions import COUNTRY_CODE, COUNTRY_NAME, fits_level
from kg.ingest.extract.context import DocContext
from kg.ingest.extract.document_facts import Fact, addressee_level, body_level, body_region, closing_lines, declared_region, file_name_region, genre_from_body, national_body, region_in, speaker_line
from kg.ingest.extract.goals import five_year_plan_end
from kg.core.ontology import class_label

_NOTICE_TITLE = re.compile(r"^(?P<issuer>.+?)(?:关于)?(?:印发|转发|发布)(?:《(?P<title>.+)》|(?P<bare>.+?))的(?:通知|通告|公告)$")
# “十四五”规划: the n-th five-year plan's years.
_FIVE_YEAR_PLAN = re.compile(r"[“\"]?十(?P<n>[一二三四五六七八九])五[”\"]?")
_ISSUER_PREFIX = re.compile(r"^(?P<issuer>.{0,30}?(?:国务院|人民政府|办公厅|办公室|委员会|领导小组|管理局|局|厅|部|委|中心))关于")
_PERIOD = re.compile(r"[（(]\s*(?P<a>\d{4})\s*(?:年)?\s*[—–\-－~～至到]+\s*(?P<b>\d{4})\s*年?\s*[)）]")
_YEAR_IN_TITLE = re.compile(r"(?<!\d)(?P<y>20\d{2})(?:年|(?=[\u4e00-\u9fff]))")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}〔\s*\d{4}\s*〕\s*\d{1,4}\s*号")
_TRAILING_PERIOD = re.compile(r"[（(][^（）()]*\d{4}[^（）()]*[)）]$")


def genre_of(title: str | None) -> str:
    """Ontology class local name for a title, by the genre cues in ``ontology/govkg.ttl``.

    >>> genre_of("数字青岛发展规划（2023—2025年）")
    'Plan'
    >>> genre_of("2023年新型融合领域网络和数据安全“荆楚护航”专项行动方案")
    'ActionPlan'
    >>> genre_of("2023年一季度电子信息制造业运行情况")
    'Article'
    """
    if not title:
        return "Article"
    core = _TRAILING_PERIOD.sub("", title).rstrip("”\"》 ")
    for cue in genre_cues():  # longest cue first
        if core.endswith(cue.word):
            return cue.target
    return "Article"


_GOVERNMENT_BODY = re.compile(r"(政府|办公厅|办公室|委员会|管理局|局|厅|委|办|部|中心|领导小组)$")
# A work report reviews last year (2023年工作回顾) and sets this year's work (2024年工作安排).
_REVIEW_YEAR = re.compile(r"(?P<y>20\d{2})年[^。\n]{0,6}?回顾")
_CURRENT_YEAR = re.compile(r"(?P<y>20\d{2})年(?:[^。\n]{0,6}?(?:工作安排|重点工作|主要任务|政府工作|总体要求)|是)")


def _report_year(text: str) -> tuple[int, tuple[int, int]] | None:
    """The year a work report plans for: the latest of its review heading's year plus one
    (2023年工作回顾 → 2024) and the years its task part opens with (2024年工作安排, 2024年是…)."""
    candidates = [(int(m["y"]) + 1, m.span()) for m in _REVIEW_YEAR.finditer(text, 0, 6000)]
    candidates += [(int(m["y"]), m.span()) for m in _CURRENT_YEAR.finditer(text)]
    return max(candidates, key=lambda c: (c[0], -c[1][0])) if candidates else None


_TASK_PART = re.compile(r"工作安排|主要任务|重点工作|总体要求|目标任务|预期目标|做好.{0,6}工作")


def review_end(text: str, start: int, end: int, year: int) -> int | None:
    """Where a work report's review of the past ends: at the first top-level heading or
    paragraph that turns to the report's year (二、2024年工作安排, 2024年是…, 今年政府工作的
    总体要求…). None when the report does not open with a review."""
    for match in re.finditer(r"(?m)^[ \t　]*(?P<line>[^\n]{2,80})", text[start:end]):
        line = match["line"]
        heading = heading_level(line)
        body = line[len(heading[1]):] if heading else line
        if heading and heading[0] == 1 and (str(year) in body[:12] or _TASK_PART.search(body[:20])):
            return start + match.start("line")
        if not heading and (body.startswith((f"{year}年是", f"{year}年，", "今年是", "今年政府工作")) or
                            (body.startswith(f"{year}年") and _TASK_PART.search(body[:30]))):
            return start + match.start("line")
    return None


def _title_facts(segment: Segment) -> tuple[Fact | None, str | None, Fact | None]:
    """``(title, issuer, genre)`` from the title line, or from the notice that transmits it."""
    title = segment.title
    if not title:
        return None, None, None
    span = None
    notice = _NOTICE_TITLE.match(title)
    basis = "title-line"
    if notice and genre_of(notice["title"] or notice["bare"]) != "Article":
        # 关于印发《X》的通知: the document is X, issued with the notice's number and issuer.
        title, issuer, basis = notice["title"] or notice["bare"], notice["issuer"], "notice"
    else:
        prefix = _ISSUER_PREFIX.match(title)
        issuer = prefix["issuer"] if prefix else None
    genre = genre_of(title)
    return Fact(title, basis, span), issuer, (Fact(genre, basis) if genre != "Article" else None)


@dataclass
class _Facts:
    """What is known of one document so far, each fact with its basis and evidence span."""

    title: Fact | None = None
    genre: Fact | None = None
    region: Fact | None = None
    issuer: Fact | None = None
    date: Fact | None = None
    year: Fact | None = None
    level: str | None = None
    spans: list = field(default_factory=list)  # (start, end) normalised spans quoted as evidence


def gather_facts(segment: Segment) -> _Facts:
    """Every fact about the document, from the most trusted place that states it."""
    source = segment.source
    norm = segment.norm
    text = norm.text
    start, end = norm.to_clean(segment.start), norm.to_clean(segment.end)
    declared = dict(source.declared)
    facts = _Facts()

    title, title_issuer, title_genre = _title_facts(segment)
    facts.title = Fact(declared["title"], "manifest") if declared.get("title") else title
    if declared.get("title") and not title_genre:
        genre = genre_of(declared["title"])
        title_genre = Fact(genre, "manifest") if genre != "Article" else None

    # genre: manifest, title, then what the text calls itself
    if declared.get("genre") and declared["genre"] in document_genres():
        facts.genre = Fact(document_genres()[declared["genre"]], "manifest")
    elif title_genre:
        facts.genre = title_genre
    else:
        found = genre_from_body(text, start, end)
        facts.genre = Fact(found[0], "body-cue", found[1]) if found else Fact("Article", "body")

    # issuer and date: manifest, title or notice, closing lines
    closing_issuer, closing_date = closing_lines(text, start, end)
    if declared.get("issuer"):
        facts.issuer = Fact(declared["issuer"], "manifest")
    elif title_issuer:
        facts.issuer = Fact(title_issuer, facts.title.basis if facts.title else "title-line")
    elif segment.source_line:
        facts.issuer = Fact(segment.source_line, "printing-line", (norm.to_clean(segment.source_line_span[0]), norm.to_clean(segment.source_line_span[1]))
                            if segment.source_line_span else None)
    else:
        facts.issuer = closing_issuer
    if declared.get("date"):
        try:
            facts.date = Fact(datetime.date.fromisoformat(declared["date"]), "manifest")
        except ValueError:
            pass
    facts.date = facts.date or closing_date

    # the level the document speaks at: speaker line, addressees, self-reference in the body
    speaker = speaker_line(text, start)
    addressees = addressee_level(text, start)
    if speaker and speaker[1]:
        facts.level = speaker[1]
        facts.spans.append(speaker[2])
    elif addressees:
        facts.level = addressees[0]
        facts.spans.append(addressees[1])
    else:
        spoken = body_level(text, start, end)
        facts.level = spoken[0] if spoken else None
    if facts.genre.value == "Article":
        facts.level = None

    facts.region = _region_fact(segment, facts, declared, speaker)
    if facts.region and facts.region.span:
        facts.spans.append(facts.region.span)
    if facts.genre.span:
        facts.spans.append(facts.genre.span)
    if facts.genre.value == "WorkReport":
        year = _report_year(text[start:end])
        if facts.date and facts.date.value:
            facts.year = Fact(facts.date.value.year, facts.date.basis)
        elif year:
            facts.year = Fact(year[0], "body", (start + year[1][0], start + year[1][1]))
    return facts


def _region_fact(segment: Segment, facts: _Facts, declared: dict, speaker) -> Fact | None:
    """The region the document governs, from the most trusted place that names one."""
    if declared.get("region"):
        code = declared_region(declared["region"])
        if code:
            return Fact(code, "manifest")
    if facts.genre.value == "Article":  # commentary and statistics govern no region
        return None
    level = facts.level
    title = facts.title.value if facts.title and facts.title.basis != "manifest" else (facts.title.value if facts.title else None)
    issuer = facts.issuer.value if facts.issuer else None
    if national_body(title) or national_body(issuer) or level == "country":
        basis = (facts.title.basis if national_body(title) and facts.title else
                 facts.issuer.basis if national_body(issuer) else "speaker-line" if speaker and speaker[1] == "country"
                 else "body")
        local = region_in(title, level) if title and not national_body(title) else None
        if not local:  # 国务院 speaks for the country; a national text's provinces are not its region
            return Fact(COUNTRY_CODE, basis, speaker[2] if basis == "speaker-line" else None)
    found = region_in(title, level) if title else None
    if found and facts.title:
        return Fact(found[0], facts.title.basis)
    if speaker and speaker[0]:
        found = region_in(speaker[0], level)
        if found:
            return Fact(found[0], "speaker-line", speaker[2])
    if issuer and _GOVERNMENT_BODY.search(issuer):
        found = region_in(issuer, level)
        if found:
            return Fact(found[0], facts.issuer.basis, facts.issuer.span)
    from_file = file_name_region(segment.source.name, level)
    if from_file and fits_level(from_file, level):
        return Fact(from_file, "file-name")
    norm = segment.norm
    found = body_region(norm.text, norm.to_clean(segment.start), norm.to_clean(segment.end), level)
    if found:
        return Fact(found[0], "body", found[1])
    if from_file:
        return Fact(from_file, "file-name")
    return None


def describe_document(segment: Segment) -> tuple[DocContext, Extraction]:
    source = segment.source
    doc_iri = iris.document(source.name, segment.index)
    facts = gather_facts(segment)
    title = facts.title.value if facts.title else None
    genre = facts.genre.value
    region = facts.region.value if facts.region else None
    number = None
    head = segment.norm.text[segment.norm.to_clean(segment.start):segment.norm.to_clean(segment.start) + 400]
    first_lines = [line for line in head.splitlines() if line.strip()][:4]
    for line in first_lines:
        found = DOC_NUMBER.fullmatch(line.strip())
        if found:
            number = re.sub(r"\s", "", found.group())

    label = title or _untitled_label(source.name, segment.index, genre, region)
    document = Entity(iri=doc_iri, type=genre, label=label)
    document.add("dcterms:title", title) if title else None
    document.add("gk:sourceFile", Ref(iris.source(source.name)))
    document.add("gk:startOffset", segment.start)
    document.add("gk:endOffset", segment.end)
    if facts.issuer:
        document.add("gk:issuer", facts.issuer.value)
    if segment.source_line:
        document.add("gk:sourceLine", segment.source_line)
    if number:
        document.add("gk:documentNumber", number)
    if facts.date and facts.date.value:
        document.add("dcterms:issued", facts.date.value)
    period = _PERIOD.search(title or "")
    if period:
        document.add("gk:periodStart", int(period["a"]))
        document.add("gk:periodEnd", int(period["b"]))
    elif title and genre != "Article" and _FIVE_YEAR_PLAN.search(title):
        end = five_year_plan_end(_FIVE_YEAR_PLAN.search(title)["n"])
        document.add("gk:periodStart", end - 4)
        document.add("gk:periodEnd", end)
    elif title and genre != "Article" and _YEAR_IN_TITLE.search(title):
        year = _YEAR_IN_TITLE.search(title)
        document.add("gk:periodStart", int(year["y"]))
        document.add("gk:periodEnd", int(year["y"]))
    elif facts.year:
        document.add("gk:periodStart", facts.year.value)
        document.add("gk:periodEnd", facts.year.value)
    if region:
        document.add("gk:governsRegion", Ref(iris.region(region)))
    for name, fact in (("gk:titleBasis", facts.title), ("gk:genreBasis", facts.genre), ("gk:regionBasis", facts.region)):
        if fact:
            document.add(name, Ref(iris.term("basis-" + fact.basis)))
    if segment.issue:
        document.add("dcterms:isPartOf", Ref(iris.issue(segment.issue.title, segment.issue.number, segment.issue.date)))
    past_until = None
    if genre == "WorkReport" and facts.year:
        norm = segment.norm
        past_until = review_end(norm.text, norm.to_clean(segment.start), norm.to_clean(segment.end), facts.year.value)
    context = DocContext(segment=segment, iri=doc_iri, genre=genre, region_code=region, review_end=past_until)
    if segment.title_span:
        start, end = segment.title_span
        document.evidence.append(Evidence(document=doc_iri, source=source.name, section="",
                                          start=start, end=end, quote=source.text[start:end]))
    elif segment.sentences:
        document.evidence.append(context.sentence_evidence(segment.sentences[0]))
    for start, end in facts.spans:  # the speaker line, addressees, self-reference that decided a fact
        evidence = context.evidence(start, end)
        if evidence not in document.evidence:
            document.evidence.append(evidence)
    extraction = Extraction(document=document, issue=segment.issue)
    if region and facts.region.span:
        extraction.relations.append(Relation(doc_iri, "gk:governsRegion", iris.region(region),
                                             [context.evidence(*facts.region.span)]))
    where = f"{source.name}: document {segment.index + 1}" if segment.index else source.name
    if genre == "Article":
        extraction.warnings.append(f"{where}: read as an article (no title cue, self-reference or speaker line says it is a "
                                   "policy document); it governs no region (state its genre in manifest.csv if it is one)")
    elif not region:
        extraction.warnings.append(f"{where}: no governing region found (no title, speaker line, issuer, file name or "
                                   "place name of its level says it); name it in manifest.csv beside the file")
    return context, extraction


def _untitled_label(name: str, index: int, genre: str, region: str | None) -> str:
    """A label for a document without a title: its region and genre, and the file it is in."""

    place = (COUNTRY_NAME if region == COUNTRY_CODE else divisions()[region].name) if region else ""
    kind = class_label(genre) if genre != "Article" else "文章"
    suffix = f"（{name}" + (f" #{index + 1}" if index else "") + "）"
    return f"{place}{kind}{suffix}"
