"""What every extractor of one document needs: its IRI, region, sentences, and evidence."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.core import iris
from kg.core.model import Entity, Evidence, Relation, Segment, Sentence
from kg.ingest.segment import section_label

MAX_EVIDENCE_PER_FACT = 3  # quotes kept per fact and document; more add size, not trust


@dataclass
class DocContext:
    segment: Segment
    iri: str
    genre: str
    region_code: str | None
    review_end: int | None = None  # normalised offset where a work report's review of the past year ends
    _sentence_evidence: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _sentence_texts: list | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def is_policy(self) -> bool:
        return self.genre != "Article"

    @property
    def norm(self):
        return self.segment.norm

    @property
    def region_iri(self) -> str | None:
        return iris.region(self.region_code) if self.region_code else None

    def body_sentences(self) -> list[Sentence]:
        return self.segment.sentences

    def sentence_texts(self) -> list[str]:
        """The clean text of each body sentence, in order: one string each, which every extractor
        reads (a string keeps its hash, so the extractors' per-sentence caches find it quickly)."""
        if self._sentence_texts is None:
            text = self.norm.text
            self._sentence_texts = [text[s.norm_start:s.norm_end] for s in self.segment.sentences]
        return self._sentence_texts

    def body_holds(self, pattern) -> bool:
        """Whether ``pattern`` matches in the clean text the sentences span: when it does not, no
        sentence holds a match, and an extractor that needs one can skip them all."""
        sentences = self.segment.sentences
        return bool(sentences) and pattern.search(self.norm.text, sentences[0].norm_start,
                                                  sentences[-1].norm_end) is not None

    def evidence(self, start: int, end: int, section: tuple[str, ...] = ()) -> Evidence:
        """Evidence for the clean span ``[start, end)``."""
        source = self.segment.source
        o_start, o_end = self.segment.norm.span(start, end)
        # positional: made thousands of times per document set (document, source, section, start, end, quote)
        return Evidence(self.iri, source.name, section_label(section), o_start, o_end, source.text[o_start:o_end])

    def sentence_evidence(self, sentence: Sentence) -> Evidence:
        # Several facts of each sentence quote it. Keyed by what the quote is made of, which is
        # quicker to hash than the sentence.
        key = (sentence.start, sentence.end, sentence.section)
        evidence = self._sentence_evidence.get(key)
        if evidence is None:
            evidence = self._sentence_evidence[key] = Evidence(
                document=self.iri, source=self.segment.source.name, section=section_label(sentence.section),
                start=sentence.start, end=sentence.end, quote=self.segment.source.text[sentence.start:sentence.end])
        return evidence


def has_room(target: Entity | Relation, document: str) -> bool:
    """Whether :func:`add_evidence` would still take evidence of ``document`` for ``target`` (so
    that evidence it would drop is not made)."""
    existing = target.evidence
    return len(existing) < MAX_EVIDENCE_PER_FACT or [e.document for e in existing].count(document) < MAX_EVIDENCE_PER_FACT


def add_evidence(target: Entity | Relation, evidence: Evidence) -> None:
    # Room first: a fact stated again and again is full, and then no quotes are compared.
    existing = target.evidence
    if (len(existing) < MAX_EVIDENCE_PER_FACT or has_room(target, evidence.document)) and evidence not in existing:
        existing.append(evidence)


class Collector:
    """Accumulates entities and relations of one document, merging repeats by IRI."""

    def __init__(self, extraction):
        self.extraction = extraction
        self._entities = {e.iri: e for e in extraction.entities}
        self._relations = {(r.subject, r.predicate, r.object): r for r in extraction.relations}

    def get(self, iri: str) -> Entity | None:
        return self._entities.get(iri)

    def entity(self, iri: str, type_: str, **fields) -> Entity:
        entity = self._entities.get(iri)
        if entity is None:
            entity = Entity(iri=iri, type=type_, **fields)
            self._entities[iri] = entity
            self.extraction.entities.append(entity)
        return entity

    def relate(self, subject: str, predicate: str, obj: str, evidence: Evidence | None = None) -> Relation:
        key = (subject, predicate, obj)
        relation = self._relations.get(key)
        if relation is None:
            relation = Relation(subject, predicate, obj)
            self._relations[key] = relation
            self.extraction.relations.append(relation)
        if evidence is not None:
            add_evidence(relation, evidence)
        return relation
