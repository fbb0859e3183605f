"""Cited documents (``CitedWork``): titles in 《》 and document numbers such as 国发〔2022〕14号.

A 《》 title is a cited work when it ends (after any bracketed period or 试行) with a genre
``gk:titleCue`` (规划, 办法, 意见 …) or a ``gk:textCue`` of ``gk:CitedWork`` (法, 指南, 预案 …),
so newspapers, journals and books (《人民日报》《科学》) are left out. Not cited: the
document's own title, bare genre words standing for it (《方案》《实施方案》) and
abbreviations it defines (以下简称《规划》). A document number right after a title, in
brackets, belongs to that title; a number on its own is a cited work of its own.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.core import iris
from kg.core.model import Extraction
from kg.core.ontology import genre_cues
from kg.ingest.extract.registry import register_extractor
from kg.ingest.extract.context import Collector, DocContext, add_evidence, has_room
from kg.ingest.extract.goals import cue_words

# Title quotes as exported: 《》, single angle quotes 〈〉, ASCII << >> and «» (in any mix).
TITLE = re.compile(r"(?:《|〈|<<|«)(?P<title>[^《》〈〉<>«»\n。；]{2,100}?)(?:》|〉|>>|»)")
# 国发〔2022〕14号 with any bracket the export used for the year: 〔〕 [] ［］ () （） 【】.
DOC_NUMBER = re.compile(r"(?P<org>[\u4e00-\u9fff]{1,12})\s*[〔\[［(（【]\s*(?P<year>\d{4})\s*[〕\]］)）】]\s*"
                        r"(?P<no>\d{1,5})\s*号")
# Words that end the text before a lone number's issuer code (按照国办发〔2022〕3号 -> 国办发).
_BEFORE_ISSUER = re.compile(r".*(?:按照|根据|依据|落实|贯彻|参照|执行|印发|转发|和|与|及|、|的|即)")
_NUMBER_IN_BRACKETS = re.compile(
    r"\s*[（(]\s*(?P<number>[^（）()]*?[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,5}\s*号)\s*[)）]?")
_TRAILING_BRACKETS = re.compile(r"\s*[（(][^（）()]*[)）]\s*$")
_ABBREVIATION = re.compile(r"(?:以下简称|简称|下称)\s*$")
_NUMBER_SIGN = re.compile("号")  # every document number ends in it
_SPACES_IN_CJK = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


@dataclass(frozen=True)
class Citation:
    start: int  # offsets into the text searched
    end: int
    title: str | None
    number: str | None


def normalize_number(text: str) -> str:
    """A document number in the standard form 国发〔2022〕14号.

    >>> normalize_number("国发[2022] 14号")
    '国发〔2022〕14号'
    >>> normalize_number("按照国办发（2022）3号")
    '国办发〔2022〕3号'
    """
    match = DOC_NUMBER.search(text)
    if not match:
        return re.sub(r"\s", "", text)
    org = _BEFORE_ISSUER.sub("", match["org"]) or match["org"]
    return f"{org}〔{match['year']}〕{match['no']}号"


def normalize_title(title: str) -> str:
    """A title without the spaces an export puts around Latin words and digits, brackets full-width."""
    title = _SPACES_IN_CJK.sub("", title.strip())
    return title.replace("(", "（").replace(")", "）").replace('"', "”")


def title_core(title: str) -> str:
    """A title without trailing bracketed parts: 数字青岛发展规划（2019—2022年） -> 数字青岛发展规划."""
    previous = None
    while previous != title:
        previous, title = title, _TRAILING_BRACKETS.sub("", title)
    return title


@functools.lru_cache(maxsize=1)
def _work_endings() -> tuple[str, ...]:
    return tuple(sorted({c.word for c in genre_cues()} | set(cue_words(iris.term("CitedWork"))), key=len, reverse=True))


def is_generic(title: str) -> bool:
    """A bare genre word standing for the citing document itself: 方案, 实施方案, 本规划."""
    return title.removeprefix("本") in {c.word for c in genre_cues()}


def looks_like_work(title: str) -> bool:
    """Whether a 《》 title names a policy or legal document (not a newspaper, journal or book).

    >>> looks_like_work("数据安全法"), looks_like_work("人民日报"), looks_like_work("5G网络建设与应用安全实施指南（2021）")
    (True, False, True)
    """
    core = title_core(title)
    return len(core) >= 3 and core.endswith(_work_endings()) and not is_generic(core)


def find_citations(text: str) -> list[Citation]:
    """Cited titles (each with the document number that follows it) and lone document numbers."""
    return list(_citations(text))


@functools.lru_cache(maxsize=8192)  # per sentence, read again by other documents
def _citations(text: str) -> tuple[Citation, ...]:
    found, taken = [], []
    for match in TITLE.finditer(text):
        number_match = _NUMBER_IN_BRACKETS.match(text, match.end())
        end = number_match.end() if number_match else match.end()
        taken.append((match.start(), end))
        title = normalize_title(match["title"])
        if _ABBREVIATION.search(text[:match.start()]) or not looks_like_work(title):
            continue
        number = normalize_number(number_match["number"]) if number_match else None
        found.append(Citation(match.start(), end, title, number))
    for match in DOC_NUMBER.finditer(text) if "号" in text else ():  # the scan is slow; a number ends in 号
        if not any(a <= match.start() < b for a, b in taken):
            issuer = _BEFORE_ISSUER.sub("", match["org"]) or match["org"]
            found.append(Citation(match.end("org") - len(issuer), match.end(), None, normalize_number(match.group())))
    return tuple(sorted(found, key=lambda c: c.start))


def _own_titles(context: DocContext, extraction: Extraction) -> set[str]:
    names = {extraction.document.first("dcterms:title"), context.segment.title, extraction.document.label}
    return {normalize_title(n) for n in names if n}


def is_own_title(title: str, own_titles: set[str]) -> bool:
    """The citing document's own title, with or without its bracketed period."""
    return title in own_titles or any(title == title_core(own) for own in own_titles)


def is_header_line(text: str, citation: Citation) -> bool:
    """A document number alone on its line is the citing document's own number, printed under its title."""
    return not text[:citation.start].strip() and not text[citation.end:].strip()


@register_extractor("citations")
def extract_citations(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    if not (context.body_holds(TITLE) or context.body_holds(_NUMBER_SIGN)):
        return  # no sentence holds a title or a document number
    own_titles = _own_titles(context, extraction)
    own_number = extraction.document.first("gk:documentNumber")
    for sentence, sentence_text in zip(context.body_sentences(), context.sentence_texts()):
        for citation in find_citations(sentence_text):
            if citation.title and is_own_title(citation.title, own_titles):
                continue
            if not citation.title and (citation.number == own_number or is_header_line(sentence_text, citation)):
                continue
            label = citation.title or citation.number
            cited = collect.entity(iris.cited_work(label), "CitedWork", label=label)
            if citation.title:
                cited.add("dcterms:title", citation.title)
            if citation.number and cited.first("gk:documentNumber") is None:
                cited.add("gk:documentNumber", citation.number)
            if has_room(cited, context.iri):
                add_evidence(cited, context.evidence(sentence.norm_start + citation.start,
                                                     sentence.norm_start + citation.end, sentence.section))
            collect.relate(context.iri, "dcterms:references", cited.iri, context.sentence_evidence(sentence))
