"""Regions and initiatives named in a document, and the initiatives its region adopts."""
from __future__ import annotations

import functools

from .. import iris
from ..model import Extraction, Ref
from ..ontology import divisions, initiatives
from ..regions import COUNTRY_CODE, ancestors, find_regions
from . import register_extractor
from .context import Collector, DocContext, add_evidence

REFERENCE_DATA = "https://w3id.org/govkg/dataset/divisions"


def region_entity(collect: Collector, code: str):
    """The Region entity for a code, with its parents (from the divisions data) up to the country."""
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
    text = context.norm.text
    for sentence in context.body_sentences():
        for match in find_regions(text[sentence.norm_start:sentence.norm_end], context=context.region_code):
            entity = region_entity(collect, match.code)
            if match.surface != entity.label and match.surface not in entity.aliases:
                entity.aliases.append(match.surface)
            evidence = context.evidence(sentence.norm_start + match.start, sentence.norm_start + match.end, sentence.section)
            add_evidence(entity, evidence)
            collect.relate(context.iri, "gk:mentionsRegion", entity.iri, context.sentence_evidence(sentence))


@functools.lru_cache(maxsize=1)
def _initiative_automaton():
    import ahocorasick

    automaton = ahocorasick.Automaton()
    concepts = initiatives()
    groups = {c.broader for c in concepts.values() if c.broader}
    for concept in concepts.values():
        if concept.iri in groups:  # group concepts (政务服务 …) name fields, not initiatives
            continue
        for label in concept.labels:
            if len(label) >= 2:
                automaton.add_word(label, (label, concept.iri))
    automaton.make_automaton()
    return automaton


@functools.lru_cache(maxsize=8192)  # the initiatives and tasks extractors read the same sentences
def find_initiatives(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """``(start, end, surface, concept IRI)`` of initiative labels in ``text``, longest first."""
    return tuple([(end - len(label) + 1, end + 1, label, iri) for end, (label, iri) in _initiative_automaton().iter_long(text)])


@register_extractor("initiatives")
def extract_initiatives(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    text = context.norm.text
    adopter = context.region_iri  # an article governs no region, so it adopts nothing
    for sentence in context.body_sentences():
        for start, end, _surface, concept in find_initiatives(text[sentence.norm_start:sentence.norm_end]):
            evidence = context.sentence_evidence(sentence)
            collect.relate(context.iri, "gk:mentionsInitiative", concept, evidence)
            if adopter:
                collect.relate(adopter, "gk:adopts", concept, evidence)
