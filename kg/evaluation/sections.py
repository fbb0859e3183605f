"""Scoring each section of a check set (documents, platforms, departments, tasks, goals, data
exchanges, cited works, adoptions, serves links, initiatives by region) against the built tables."""
from __future__ import annotations


import math
from dataclasses import dataclass
from typing import Callable, Mapping

from kg.evaluation.matching import attribute_row, number_key, match_pairs, normalize_name, region_key
from kg.evaluation.rows import MIN_TITLE_PREFIX, Row, QUOTE_PAIRS, make_row
from kg.core.ontology import initiatives
from kg.query.tables import document_types, region_types


# ---------------------------------------------------------------- the predicted side


class Predicted:
    """The exported tables, indexed for scoring."""

    def __init__(self, tables: Mapping[str, list[dict]]):
        entities = list(tables.get("entities") or [])
        self.by_id = {row["id"]: row for row in entities}
        doc_types = document_types()
        self.documents = [row for row in entities if row["type"] in doc_types]
        self.document_ids = {row["id"] for row in self.documents}
        self._evidence_docs: dict[str, set[str]] = {}
        for row in tables.get("evidence") or []:
            if row.get("document") in self.document_ids:
                self._evidence_docs.setdefault(row["about"], set()).add(row["document"])
        for row in tables.get("relations") or []:  # a document that cites or mentions a thing states it
            if row.get("subject") in self.document_ids:
                self._evidence_docs.setdefault(row["object"], set()).add(row["subject"])
        self.entities = entities
        self.relations = list(tables.get("relations") or [])
        self._offsets: dict[str, list[int]] = {}
        for row in tables.get("evidence") or []:
            if row.get("start") is not None:
                self._offsets.setdefault(row["about"], []).append(int(row["start"]))

    def offsets_of(self, entity_id: str) -> list[int]:
        """Start offsets (in the source text) of the entity's evidence."""
        return self._offsets.get(entity_id, [])

    def of_type(self, *types: str) -> list[dict]:
        return [row for row in self.entities if row["type"] in types]

    def documents_of(self, row: dict) -> frozenset[str]:
        """Documents stating the entity: its ``document`` column, the documents of its evidence
        and the documents that relate to it (dcterms:references, gk:mentions…)."""
        found = set(self._evidence_docs.get(row["id"], ()))
        if row.get("document") in self.document_ids:
            found.add(row["document"])
        return frozenset(found)

    def regions_of(self, row: dict) -> frozenset[str]:
        """Region keys of the documents stating the entity (its own region when none has one)."""
        keys: set[str] = set()
        for doc in self.documents_of(row):
            keys |= region_key(self.by_id[doc].get("region"))
        return frozenset(keys) or region_key(row.get("region"))


def _names(row: dict, *fields: str) -> frozenset[str]:
    values = []
    for field in fields:
        value = row.get(field)
        values.extend(value if isinstance(value, list) else [value])
    return frozenset(n for n in (normalize_name(v) for v in values if v) if n)


@dataclass(frozen=True)
class _Item:
    """One gold or predicted thing, reduced to what matching looks at."""

    scope: frozenset  # document ids or region keys
    names: frozenset = frozenset()
    row: dict | None = None


def _compatible_names(g: _Item, p: _Item) -> bool:
    return bool(g.scope & p.scope) and bool(g.names & p.names)


# ---------------------------------------------------------------- one section of a check set each


def score_documents(checkset: dict, pred: Predicted, name: str) -> tuple[list[Row], dict[str, str]]:
    gold = list(checkset.get("documents") or [])
    predicted = pred.documents

    def same_title(g, p) -> bool:
        title = normalize_name(g.get("title"))
        return bool(title) and title in {normalize_name(p.get("title")), normalize_name(p.get("label"))}

    pairs = match_pairs(gold, predicted, same_title)
    unpaired_gold = [i for i in range(len(gold)) if i not in dict(pairs)]
    taken = {j for _, j in pairs}
    unpaired = [j for j in range(len(predicted)) if j not in taken]
    policy = [j for j in unpaired if predicted[j]["type"] != "Article"]
    if len(unpaired_gold) == 1 and (len(policy) == 1 or len(unpaired) == 1):
        pairs = sorted(pairs + [(unpaired_gold[0], (policy or unpaired)[0])])
    taken = {j for _, j in pairs}
    shown = [j for j in range(len(predicted)) if predicted[j]["type"] != "Article" or j in taken]
    rows = [
        make_row("documents", len(gold), len(shown), len(pairs), name),
        attribute_row("document genre", gold, predicted, pairs, lambda g, p: g.get("genre") == p.get("type"), checkset=name),
        attribute_row("document region", gold, predicted, pairs,
                       lambda g, p: bool(region_key(g.get("region")) & region_key(p.get("region")))
                       or g.get("region") is p.get("region") is None, checkset=name),
        attribute_row("document period", gold, predicted, pairs,
                       lambda g, p: (g.get("period_start"), g.get("period_end")) == (p.get("period_start"), p.get("period_end")),
                       checkset=name),
        attribute_row("document number", gold, predicted, pairs,
                       lambda g, p: normalize_name(g.get("doc_number")) == normalize_name(p.get("doc_number")), checkset=name),
    ]
    doc_ids = {gold[i]["title"]: predicted[j]["id"] for i, j in pairs}
    return rows, doc_ids


def _settle_optional(gold: list[_Item], predicted: list, pairs: list[tuple[int, int]]) -> tuple[list[_Item], int, list]:
    """Gold items the annotators could not settle by the guidelines are "optional": finding one
    is not counted either way, missing one is no miss (tests/checkset/GUIDELINES.md). Returns
    the gold items kept, the predicted count without those that found an optional item, and
    the pairs renumbered."""
    optional = {i for i, g in enumerate(gold) if (g.row or {}).get("optional")}
    excused = {j for i, j in pairs if i in optional}
    kept = [i for i in range(len(gold)) if i not in optional]
    index = {i: n for n, i in enumerate(kept)}
    return [gold[i] for i in kept], len(predicted) - len(excused), [(index[i], j) for i, j in pairs if i in index]


def _branded(item: dict) -> bool:
    quote = item.get("quote") or ""
    names = [item.get("name"), *(item.get("aliases") or [])]
    return any(f"{o}{n}{c}" in quote for n in names if n for o, c in QUOTE_PAIRS)


def score_platforms(checkset: dict, pred: Predicted, doc_ids: dict, name: str) -> list[Row]:
    gold_regions = {d["title"]: region_key(d.get("region")) for d in checkset.get("documents") or []}
    gold_rows = list(checkset.get("platforms") or [])
    gold = [_Item(gold_regions.get(g.get("document"), frozenset()), _names(g, "name", "aliases"), g) for g in gold_rows]
    in_scope = frozenset().union(*gold_regions.values()) if gold_regions else frozenset()
    predicted = [_Item(pred.regions_of(r), _names(r, "label", "aliases"), r) for r in pred.of_type("Platform")]
    predicted = [p for p in predicted if p.scope & in_scope]
    gold, predicted_count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _compatible_names))
    return [
        make_row("platforms", len(gold), predicted_count, len(pairs), name),
        attribute_row("branded platforms", gold, predicted, pairs, None, applies=lambda g: _branded(g.row), checkset=name),
        attribute_row("platform kind", gold, predicted, pairs, lambda g, p: g.row.get("kind") == p.row.get("kind"),
                       checkset=name),
    ]


def _by_document(section: str, type_: str, checkset: dict, pred: Predicted, doc_ids: dict,
                 gold_fields: tuple[str, ...], pred_fields: tuple[str, ...]) -> tuple[list[_Item], list[_Item]]:
    gold = [_Item(frozenset({doc_ids[g["document"]]}) if g.get("document") in doc_ids else frozenset(),
                  _names(g, *gold_fields), g) for g in checkset.get(section) or []]
    wanted = frozenset(doc_ids.values())
    predicted = [_Item(pred.documents_of(r), _names(r, *pred_fields), r) for r in pred.of_type(type_)]
    return gold, [p for p in predicted if p.scope & wanted]


def _departments(checkset, pred, doc_ids, name) -> list[Row]:
    gold, predicted = _by_document("departments", "Department", checkset, pred, doc_ids, ("name",), ("label", "aliases"))
    gold, count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _compatible_names))
    return [make_row("departments", len(gold), count, len(pairs), name)]


def _task_compatible(g: _Item, p: _Item) -> bool:
    if not (g.scope & p.scope) or number_key(g.row.get("number")) != number_key(p.row.get("number")):
        return False
    gold_title, title = normalize_name(g.row.get("title")), normalize_name(p.row.get("title"))
    if not gold_title or not title:
        return False
    shorter = min(len(gold_title), len(title))
    prefix = gold_title.startswith(title) or title.startswith(gold_title)
    return prefix and shorter >= min(MIN_TITLE_PREFIX, len(gold_title))


def _unit_set(values) -> frozenset[str]:
    return frozenset(normalize_name(v) for v in values or [])


def _tasks(checkset, pred, doc_ids, name) -> list[Row]:
    gold, predicted = _by_document("tasks", "Task", checkset, pred, doc_ids, (), ())
    gold, count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _task_compatible))
    return [
        make_row("tasks", len(gold), count, len(pairs), name),
        attribute_row("task lead units", gold, predicted, pairs,
                       lambda g, p: _unit_set(g.row.get("lead_units")) == _unit_set(p.row.get("lead_units")),
                       applies=lambda g: bool(g.row.get("lead_units")), checkset=name),
        attribute_row("task deadlines", gold, predicted, pairs,
                       lambda g, p: set(g.row.get("deadlines") or []) == set(p.row.get("deadlines") or []),
                       applies=lambda g: bool(g.row.get("deadlines")), checkset=name),
    ]


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _goal_compatible(g: _Item, p: _Item) -> bool:
    return (bool(g.scope & p.scope) and _same_number(g.row.get("value"), p.row.get("value"))
            and normalize_name(g.row.get("unit")) == normalize_name(p.row.get("unit"))
            and g.row.get("year") == p.row.get("year"))


def _goals(checkset, pred, doc_ids, name) -> list[Row]:
    gold, predicted = _by_document("goals", "Goal", checkset, pred, doc_ids, (), ())
    gold, count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _goal_compatible))
    rows = [make_row("goals", len(gold), count, len(pairs), name)]
    spans = checkset.get("_review_spans")
    if spans is not None:
        # Goals whose evidence lies in a review of past work are results reported as goals. The
        # row's "predicted" is every goal found, "matched" those from a review: its precision
        # column is the share of past results among the reported goals (lower is better).
        in_review = [p for p in predicted if any(start <= offset < end for offset in pred.offsets_of(p.row["id"])
                                                 for start, end in spans)]
        rows.append(make_row("goals from past results", 0, len(predicted), len(in_review), name))
    return rows


def _data_exchanges(checkset, pred, doc_ids, name) -> list[Row]:
    gold, predicted = _by_document("data_exchanges", "DataExchange", checkset, pred, doc_ids, ("name",), ("label", "aliases"))
    gold, count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _compatible_names))
    return [
        make_row("data exchanges", len(gold), count, len(pairs), name),
        attribute_row("data exchange status", gold, predicted, pairs,
                       lambda g, p: g.row.get("status") == p.row.get("status"), checkset=name),
    ]


def _cited_compatible(g: _Item, p: _Item) -> bool:
    if not g.scope & p.scope:
        return False
    number = normalize_name(g.row.get("doc_number"))
    return bool(g.names & p.names) or (bool(number) and number == normalize_name(p.row.get("doc_number")))


def _cited_works(checkset, pred, doc_ids, name) -> list[Row]:
    gold, predicted = _by_document("cited_documents", "CitedWork", checkset, pred, doc_ids, ("title",),
                                   ("title", "label", "aliases"))
    gold, count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _cited_compatible))
    return [make_row("cited works", len(gold), count, len(pairs), name)]


def _concept_labels() -> dict[str, str]:
    """Initiative IRI -> normalised zh prefLabel."""

    return {iri: normalize_name(concept.label) for iri, concept in initiatives().items()}


def score_adoptions(checkset, pred, doc_ids, name) -> list[Row]:
    """``gk:adopts`` links of the regions the check set's documents govern, against the
    initiatives the annotators found each document commits its region to."""
    labels = _concept_labels()
    gold_regions = set().union(*(region_key(d.get("region")) for d in checkset.get("documents") or [])) or set()
    gold = {normalize_name(i["initiative"]) for i in checkset.get("adoptions") or [] if not i.get("optional")}
    optional = {normalize_name(i["initiative"]) for i in checkset.get("adoptions") or [] if i.get("optional")} - gold
    regions = {row["id"] for row in pred.entities if row.get("code") in gold_regions}
    predicted = {labels.get(r["object"], r["object"]) for r in pred.relations
                 if r.get("predicate") == "gk:adopts" and r.get("subject") in regions} - optional
    return [make_row("adopts links", len(gold), len(predicted), len(gold & predicted), name)]


def score_serves(checkset, pred, doc_ids, name) -> list[Row]:
    """``gk:serves`` links of the platforms stated in the check set's documents."""
    labels = _concept_labels()
    wanted = frozenset(doc_ids.values())
    gold = [i for i in checkset.get("serves") or []]
    platforms = {row["id"]: row for row in pred.of_type("Platform") if pred.documents_of(row) & wanted}
    predicted = [(_names(platforms[r["subject"]], "label", "aliases"), labels.get(r["object"], r["object"]))
                 for r in pred.relations if r.get("predicate") == "gk:serves" and r.get("subject") in platforms]
    gold_items = [_Item(frozenset({normalize_name(g["initiative"])}), _names(g, "platform"), g) for g in gold]
    predicted_items = [_Item(frozenset({initiative}), names) for names, initiative in predicted]
    kept, count, pairs = _settle_optional(gold_items, predicted_items, match_pairs(gold_items, predicted_items, _compatible_names))
    return [make_row("serves links", len(kept), count, len(pairs), name)]


def score_initiatives(by_region: Mapping[str, list], pred: Predicted, name: str) -> list[Row]:
    regions = [r for r in pred.entities if r["type"] in region_types()]
    gold_total = predicted_total = matched = 0
    for region_name, items in sorted(by_region.items()):
        key = region_key(region_name)
        gold = {normalize_name(i["initiative"] if isinstance(i, dict) else i) for i in items or []}
        rows = [r for r in regions if r.get("code") in key or normalize_name(r.get("label")) in key]
        predicted = {normalize_name(v) for r in rows for v in r.get("initiatives") or []}
        gold_total += len(gold)
        predicted_total += len(predicted)
        matched += len(gold & predicted)
    return [make_row("initiatives", gold_total, predicted_total, matched, name)]


SECTION_SCORERS: tuple[tuple[str, Callable], ...] = (
    ("departments", _departments), ("tasks", _tasks), ("goals", _goals),
    ("data_exchanges", _data_exchanges), ("cited_documents", _cited_works),
)
