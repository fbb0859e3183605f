"""Data exchanges (``DataExchange``): 数据交易中心, 数据交易所, 数据交易平台, 数据交易联盟 …

A name ends with a ``gk:textCue`` of ``gk:DataExchange`` and may start with a region or other
words (贵阳大数据交易所, 上海数据交易所, 行业数据交易平台). The status is planned when
the nearest status cue before the name (or the word right after it: 推进…平台建设) is a
``gk:planned`` cue, and existing otherwise, and always in a section reviewing the current state.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.core import iris
from kg.core.model import Extraction, Ref
from kg.core.ontology import initiatives
from kg.core.regions import COUNTRY_CODE, find_regions
from kg.ingest.extract.registry import register_extractor
from kg.ingest.extract.context import Collector, DocContext, add_evidence
from kg.ingest.extract.goals import cue_words, in_baseline_section
from kg.ingest.extract.mentions import region_entity

EXISTING, PLANNED = iris.term("existing"), iris.term("planned")
DATA_TRADING = "数据交易"  # zh prefLabel of the initiative every data exchange serves
MAX_PREFIX = 10
_CLAUSE_BREAK = re.compile(r"[，。；：！？,;:（）()]")
# Words that end what comes before a name: joiners, counts and the possessive (和中原…, 全国首个海洋…).
_PREFIX_STOP = re.compile(r"(?:和|与|及|或|、|的|个|一批|首批)")
_TITLE = re.compile(r"《[^《》]*》")


@dataclass(frozen=True)
class ExchangeMention:
    start: int  # offsets into the text searched
    end: int
    name: str
    status: str  # status concept IRI


@functools.lru_cache(maxsize=1)
def _suffix_pattern() -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in cue_words(iris.term("DataExchange"))))


@functools.lru_cache(maxsize=1)
def _status_cues() -> tuple[tuple[str, str], ...]:
    """``(word, status IRI)`` of the existing and planned cues, longest first."""
    return tuple((w, EXISTING) for w in cue_words(EXISTING)) + tuple((w, PLANNED) for w in cue_words(PLANNED))


def _cue_ends(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, status)`` of every status cue in ``text``, longer cues hiding shorter ones inside them."""
    found: list[tuple[int, int, str]] = []
    for word, status in sorted(_status_cues(), key=lambda c: -len(c[0])):
        for match in re.finditer(re.escape(word), text):
            if not any(s <= match.start() and match.end() <= e for s, e, _ in found):
                found.append((match.start(), match.end(), status))
    return sorted(found, key=lambda c: (c[1], c[0]))


def name_prefix(before: str, *, context: str | None = None) -> str:
    """The words of a name that come before its ending, from the clause text before it.

    >>> name_prefix("充分发挥郑州")
    '郑州'
    >>> name_prefix("推动建成全国首个海洋")
    '海洋'
    >>> name_prefix("搭建海洋等行业")
    '海洋等行业'
    """
    clause = before[max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0):]
    cut = max([e for _, e, _ in _cue_ends(clause)] + [m.end() for m in _PREFIX_STOP.finditer(clause)], default=0)
    prefix = clause[cut:][-MAX_PREFIX:]
    regions = find_regions(prefix, context=context)
    if regions and not cut:  # 支持郑州… : a region name starts the name when no cue word did
        prefix = prefix[regions[0].start:]
    return prefix.strip()


def status_of(before: str, after: str) -> str:
    """Planned or existing, by the nearest status cue before the name (or a planned cue right after it).

    >>> status_of("谋划建立", "。").rsplit("#")[-1]
    'planned'
    >>> status_of("充分发挥贵阳大数据交易所和", "作用").rsplit("#")[-1]
    'existing'
    >>> status_of("推进", "建设，").rsplit("#")[-1]
    'planned'
    """
    clause = before[max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0):]
    cues = _cue_ends(clause)
    if cues:
        return cues[-1][2]
    if any(after.startswith(w) for w in cue_words(PLANNED)):
        return PLANNED
    return EXISTING


def find_exchanges(text: str, *, context: str | None = None) -> list[ExchangeMention]:
    """Data-exchange names in ``text`` with their status (names inside 《》 are titles, skipped).

    >>> [(m.name, m.status.rsplit("#")[-1]) for m in find_exchanges("谋划建立哈尔滨市大数据交易中心。")]
    [('哈尔滨市大数据交易中心', 'planned')]
    """
    return list(_exchanges(text, context))


@functools.lru_cache(maxsize=8192)  # per sentence, read again by other documents
def _exchanges(text: str, context: str | None) -> tuple[ExchangeMention, ...]:
    titles = [m.span() for m in _TITLE.finditer(text)]
    found = []
    for match in _suffix_pattern().finditer(text):
        if any(a < match.start() < b for a, b in titles):
            continue
        before = text[:match.start()]
        prefix = name_prefix(before, context=context)
        start = match.start() - len(prefix)
        found.append(ExchangeMention(start, match.end(), text[start:match.end()],
                                     status_of(text[:start], text[match.end():])))
    return tuple(found)


def name_key(name: str) -> str:
    """The part of a name that identifies the exchange: no quotes or spaces."""
    return re.sub(r"[\s“”‘’\"']", "", name)


@functools.lru_cache(maxsize=1)
def data_trading_initiative() -> str | None:
    """IRI of the initiative labelled 数据交易, looked up in the initiative scheme."""
    return next((c.iri for c in initiatives().values() if c.label == DATA_TRADING), None)


def _region_of(name: str, context: DocContext) -> str | None:
    regions = [m for m in find_regions(name, context=context.region_code) if m.code != COUNTRY_CODE]
    return regions[0].code if regions else context.region_code


@register_extractor("exchanges")
def extract_exchanges(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    initiative = data_trading_initiative()
    if not context.body_holds(_suffix_pattern()):
        return  # no sentence names an exchange
    for sentence, sentence_text in zip(context.body_sentences(), context.sentence_texts()):
        for mention in find_exchanges(sentence_text, context=context.region_code):
            region = _region_of(mention.name, context)
            entity = collect.entity(iris.data_exchange(region or COUNTRY_CODE, name_key(mention.name)),
                                    "DataExchange", label=mention.name)
            if entity.first("gk:status") is None:  # the first statement of a document decides
                status = EXISTING if in_baseline_section(sentence.section) else mention.status
                entity.add("gk:status", Ref(status))
            if region and entity.first("gk:inRegion") is None:
                region_entity(collect, region)
                entity.add("gk:inRegion", Ref(iris.region(region)))
            entity.add("gk:statedIn", Ref(context.iri))
            evidence = context.sentence_evidence(sentence)
            add_evidence(entity, context.evidence(sentence.norm_start + mention.start,
                                                  sentence.norm_start + mention.end, sentence.section))
            if initiative:
                collect.relate(entity.iri, "gk:serves", initiative, evidence)
