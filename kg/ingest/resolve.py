"""The resolve stage: one record per entity across the documents of a source.

Extractors mint IRIs from normalised names scoped by region (see :mod:`kg.core.iris`), so the
same platform or department written in several documents arrives with the same IRI; this
stage merges such records, keeping every alias, property value and piece of evidence.
"""
from __future__ import annotations

from kg.core.model import Entity, Extraction
from kg.core.namespaces import expand
from kg.core.ontology import functional_properties


def merge_entity(into: Entity, other: Entity) -> None:
    """Fold ``other`` into ``into``. Where the shapes allow one value (a data exchange's status,
    a platform's kind), the first document's value stands."""

    single = functional_properties(into.type)
    for alias in [other.label, *other.aliases]:
        if alias and alias != into.label and alias not in into.aliases:
            into.aliases.append(alias)
    into.label_en = into.label_en or other.label_en
    for predicate, values in other.props.items():
        if expand(predicate) in single and into.props.get(predicate):
            continue
        for value in values:
            into.add(predicate, value)
    for evidence in other.evidence:
        if evidence not in into.evidence:
            into.evidence.append(evidence)


def resolve_extractions(extractions: list[Extraction]) -> list[Extraction]:
    """Each entity kept once, in the first document that states it, merged with its repeats."""
    first: dict[str, Entity] = {}
    for extraction in extractions:
        kept = []
        for entity in extraction.entities:
            if entity.iri in first:
                merge_entity(first[entity.iri], entity)
            else:
                first[entity.iri] = entity
                kept.append(entity)
        extraction.entities = kept
    return extractions
