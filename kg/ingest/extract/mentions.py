"""Regions and initiatives named in a document, and the initiatives its region adopts."""
from __future__ import annotations

import functools
import re

from kg.core import iris
from kg.core.model import Extraction, Ref
from kg.core.ontology import divisions, initiatives
from kg.ingest.extract.registry import register_extractor
from kg.ingest.extract.context import Collector, DocContext, add_evidence, has_room
from kg.core.matching import LongestMatcher
from kg.core.regions import COUNTRY_CODE, find_regions

REFERENCE_DATA = "https://w3id.org/govkg/dataset/divisions"


def region_entity(collect: Collector, code: str):
    """The Region entity for a code, with its parents (from the divisions data) up to the country."""
    made = collect.get(iris.region(code))
    if made is not None and "prov:wasDerivedFrom" in made.props:
        return made  # made by an earlier call, with its parents
    table = divisions()
    if code == COUNTRY_CODE:
        entity = collect.entity(iris.region(code), "Country", label="中国", label_en="China")
        entity.add("gk:divisionCode", COUNTRY_CODE)
        entity.add("prov:wasDerivedFrom", Ref(REFERENCE_DATA))
        return entity
    division = table[code]
    entity = collect.entity(iris.region(code), division.type, label=division.name)
    entity.add("gk:divisionCode", code)
    entity.add("prov:wasDerivedFrom", Ref(REFERENCE_DATA))
    parent = division.parent
    entity.add("schema:containedInPlace", Ref(iris.region(parent or COUNTRY_CODE)))
    if parent:
        region_entity(collect, parent)
    else:
        region_entity(collect, COUNTRY_CODE)
    return entity


@register_extractor("regions")
def extract_regions(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    if context.region_code:
        region_entity(collect, context.region_code)
    for sentence, clean in zip(context.body_sentences(), context.sentence_texts()):
        for match in find_regions(clean, context=context.region_code):
            entity = region_entity(collect, match.code)
            if match.surface != entity.label and match.surface not in entity.aliases:
                entity.aliases.append(match.surface)
            if has_room(entity, context.iri):
                add_evidence(entity, context.evidence(sentence.norm_start + match.start, sentence.norm_start + match.end,
                                                      sentence.section))
            collect.relate(context.iri, "gk:mentionsRegion", entity.iri, context.sentence_evidence(sentence))


@functools.lru_cache(maxsize=1)
def _initiative_matcher() -> LongestMatcher:
    concepts = initiatives()
    groups = {c.broader for c in concepts.values() if c.broader}
    labels: dict[str, str] = {}
    for concept in concepts.values():
        if concept.iri in groups:  # group concepts (政务服务 …) name fields, not initiatives
            continue
        for label in concept.labels:
            if len(label) >= 2:
                labels[label] = concept.iri
    return LongestMatcher(labels)


@functools.lru_cache(maxsize=8192)  # the extractors read the same sentences, and other documents the same tasks
def find_initiatives(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """``(start, end, surface, concept IRI)`` of initiative labels in ``text``, longest first."""
    return _initiative_matcher().find(text)


_CITED_TITLE = re.compile(r"《[^》]*》")
# An enumeration of fields, sectors or scenarios: 在智能制造、智慧城市等重点领域, 符合…等产业方向.
_FIELD_LIST = re.compile(r"^[^。；：，,]{0,60}?等(?:重点|新兴|传统|典型)?(?:领域|行业|产业|场景|方向|技术|业态)")
# Verbs that make a cited title the region's own work: 推动出台《X条例》, 开展《X》贯标.
_OWN_TITLE = re.compile(r"(?:出台|制定|修订|编制|起草|开展|推进|研究制定)$")
# The label is part of a project's, a park's or a facility's name: 人工智能超算中心, 智慧能源创新产业园.
_INSIDE_A_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{0,6}?(?:产业园|园区|项目|基地|超算中心|创新中心|研究院|实验室|小镇|文旅城|工厂|铜箔)")


def passing_mention(sentence: str, start: int, end: int) -> bool:
    """Whether an initiative label stands in the sentence without the document committing to it:
    inside a cited title (落实《…构建数据基础制度…》; but 推动出台《X数据条例》 is its own), in a
    list of fields or scenarios in one clause (在智能制造、
    智慧城市等重点领域), or as part of a project's or park's name (智慧能源创新产业园).

    >>> passing_mention("在智能制造、智慧城市等重点领域，培育数据商。", 1, 5)
    True
    >>> passing_mention("建设智慧城市，推进一网通办。", 2, 6)
    False
    """
    for title in _CITED_TITLE.finditer(sentence):
        if title.start() <= start and end <= title.end():
            return not _OWN_TITLE.search(sentence, max(0, title.start() - 6), title.start())
    before = sentence[max(0, sentence.rfind("，", 0, start) + 1):start]
    if _FIELD_LIST.match(sentence[end:]) and ("、" in before or sentence[end:end + 1] == "、" or "在" in before or "等" in before):
        return True
    return bool(_INSIDE_A_NAME.match(sentence[end:]))


@register_extractor("initiatives")
def extract_initiatives(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    adopter = context.region_iri  # an article governs no region, so it adopts nothing
    for sentence, clean in zip(context.body_sentences(), context.sentence_texts()):
        named = _initiatives_named(clean)
        if not named:
            continue
        evidence = context.sentence_evidence(sentence)
        for concept, passing in named:
            collect.relate(context.iri, "gk:mentionsInitiative", concept, evidence)
            if adopter and not passing:
                collect.relate(adopter, "gk:adopts", concept, evidence)


@functools.lru_cache(maxsize=8192)  # per sentence, read again by other documents
def _initiatives_named(sentence: str) -> tuple[tuple[str, bool], ...]:
    """``(concept IRI, whether in passing)`` of each initiative label in a sentence (:func:`passing_mention`)."""
    return tuple((concept, passing_mention(sentence, start, end)) for start, end, _, concept in find_initiatives(sentence))
