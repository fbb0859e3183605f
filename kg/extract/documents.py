"""The document itself: title, genre, governing region, issuer, number, period, container."""
from __future__ import annotations

import collections
import re

from .. import iris
from ..model import Entity, Evidence, Extraction, Ref, Segment
from ..ontology import genre_cues
from ..regions import COUNTRY_ALIASES, COUNTRY_CODE, find_regions
from .context import DocContext
from .goals import five_year_plan_end

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


def _national(text: str | None) -> bool:
    return bool(text) and any(text.startswith(alias) for alias in COUNTRY_ALIASES + ("工业和信息化部", "国家发展改革委"))


_GOVERNMENT_BODY = re.compile(r"(政府|办公厅|办公室|委员会|管理局|局|厅|委|办|部|中心|领导小组)$")


def _region_of(text: str | None, *, body: bool = False) -> str | None:
    """The region a title names, or (``body=True``) the region of a government body's name;
    a research institute or company named after a place (阿里研究院) governs nothing."""
    if not text or (body and not _GOVERNMENT_BODY.search(text)):
        return None
    matches = [m for m in find_regions(text) if len(m.code) == 6]
    if matches:
        return matches[0].code
    return COUNTRY_CODE if _national(text) else None


def _body_region(segment: Segment) -> str | None:
    """The province- or prefecture-level region a document names most, if it names one often."""
    counts = collections.Counter()
    text = segment.norm.text
    for sentence in segment.sentences:
        for match in find_regions(text[sentence.norm_start:sentence.norm_end]):
            if not match.code.endswith("00") or match.code == COUNTRY_CODE:
                continue
            counts[match.code] += 1
    if not counts:
        return None
    (code, count), = counts.most_common(1)
    return code if count >= 3 else None


def describe_document(segment: Segment) -> tuple[DocContext, Extraction]:
    source = segment.source
    doc_iri = iris.document(source.name, segment.index)
    title, issuer, number = segment.title, None, None
    if title:
        notice = _NOTICE_TITLE.match(title)
        if notice and genre_of(notice["title"] or notice["bare"]) != "Article":
            # 关于印发《X》的通知: the document is X, issued with the notice's number and issuer.
            title, issuer = notice["title"] or notice["bare"], notice["issuer"]
        else:
            prefix = _ISSUER_PREFIX.match(title)
            issuer = prefix["issuer"] if prefix else None
    genre = genre_of(title)
    head = segment.norm.text[segment.norm.to_clean(segment.start):segment.norm.to_clean(segment.start) + 400]
    first_lines = [line for line in head.splitlines() if line.strip()][:4]
    for line in first_lines:
        found = DOC_NUMBER.fullmatch(line.strip())
        if found:
            number = re.sub(r"\s", "", found.group())
    region = None
    if genre != "Article":  # commentary and statistics govern no region
        region = (_region_of(title) or _region_of(issuer, body=True) or _region_of(segment.source_line, body=True)
                  or _body_region(segment))

    document = Entity(iri=doc_iri, type=genre, label=title or f"{source.name} #{segment.index + 1}")
    document.add("dcterms:title", title) if title else None
    document.add("gk:sourceFile", Ref(iris.source(source.name)))
    document.add("gk:startOffset", segment.start)
    document.add("gk:endOffset", segment.end)
    if issuer or segment.source_line:
        document.add("gk:issuer", issuer or segment.source_line)
    if segment.source_line:
        document.add("gk:sourceLine", segment.source_line)
    if number:
        document.add("gk:documentNumber", number)
    period = _PERIOD.search(title or "")
    if period:
        document.add("gk:periodStart", int(period["a"]))
        document.add("gk:periodEnd", int(period["b"]))
    elif title and genre != "Article" and _FIVE_YEAR_PLAN.search(title):
        end = five_year_plan_end(_FIVE_YEAR_PLAN.search(title)["n"])
        document.add("gk:periodStart", end - 4)
        document.add("gk:periodEnd", end)
    elif title and genre != "Article":
        year = _YEAR_IN_TITLE.search(title)
        if year:
            document.add("gk:periodStart", int(year["y"]))
            document.add("gk:periodEnd", int(year["y"]))
    if region:
        document.add("gk:governsRegion", Ref(iris.region(region)))
    if segment.issue:
        document.add("dcterms:isPartOf", Ref(iris.issue(segment.issue.title, segment.issue.number, segment.issue.date)))
    context = DocContext(segment=segment, iri=doc_iri, genre=genre, region_code=region)
    if segment.title_span:
        start, end = segment.title_span
        document.evidence.append(Evidence(document=doc_iri, source=source.name, section="",
                                          start=start, end=end, quote=source.text[start:end]))
    elif segment.sentences:
        document.evidence.append(context.sentence_evidence(segment.sentences[0]))
    extraction = Extraction(document=document, issue=segment.issue)
    if not title:
        extraction.warnings.append(f"{source.name}: document {segment.index + 1} has no title line; kept as an Article")
    if genre != "Article" and not region:
        extraction.warnings.append(f"{source.name}: no governing region found for 《{title}》")
    return context, extraction
