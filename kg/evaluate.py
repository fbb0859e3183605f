"""Precision and recall of the extractor against hand-annotated check sets.

A check set is JSON (``tests/checkset/sample.json``, ``tests/checkset/corpus/*.json``)::

    {"source": "<file name>", "documents": [{"title", "region", "genre", "period_start",
     "period_end", "doc_number"}], "platforms": [{"document", "name", "aliases", "kind", "quote"}],
     "departments": [{"document", "name", "quote"}], "tasks": [{"document", "number", "title",
     "lead_units", "support_units", "deadlines", "deadline_text"}], "goals": [{"document",
     "indicator", "value", "value_max", "unit", "comparator", "year", "quote"}],
     "data_exchanges": [{"document", "name", "status", "quote"}],
     "cited_documents": [{"document", "title", "doc_number"}],
     "initiatives_by_region": {"<region zh name>": [{"initiative", "quote"}]}}   (optional)

``document`` is a gold document's title. A file that holds only the region → initiatives
mapping (``tests/checkset/initiatives_by_region.json``) is a check set of its own: it names no
source, so it is scored against the union of the sources built for the other check sets.

Items are paired one to one (maximum bipartite matching), so ``matched`` counts pairs and
``precision = matched / predicted``, ``recall = matched / gold``. Names are compared after
NFKC (full-width → half-width), removing white space and the quotes “”"「」『』‘’.

* documents — title equal (a lone unpaired gold document and a lone unpaired predicted policy
  document pair up, for exports without a title line); predicted = policy documents
  (not Article) plus any paired Article. Attribute rows: genre, region, period, number.
* platforms — the gold name or a gold alias equals the predicted label or an alias, and the
  region of the gold document is the region of a document the platform is stated in.
  Predicted = platforms stated in a document of one of those regions.
  "branded platforms": gold platforms whose quote shows the name in quotes (“name”).
* departments, data exchanges — name (label or alias) equal, in the same document.
* tasks — same document, same number (brackets and list punctuation removed) and one title a
  prefix of the other (the shorter at least 4 characters, or the whole gold title).
* goals — same document, value, unit and target year equal.
* cited works — same document and title or document number equal.
* initiatives — per gold region, its gold initiative prefLabels against the region's
  ``initiatives`` column (gk:adopts).

Attribute rows (``document genre``, ``platform kind``, ``task lead units``, ``task
deadlines``, ``data exchange status`` …) count, among the gold items the attribute applies to
(tasks with lead units, tasks with deadlines …): gold = those items, predicted = those of them
that were paired, matched = pairs whose attribute is equal. So precision is the attribute's
accuracy among found items and recall is end to end. "branded platforms" is recall only.
"""
from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional, Sequence, Union

from .errors import KGError, SourceError

_QUOTE_CHARS = frozenset("“”\"「」『』‘’'")
_QUOTE_PAIRS = (("“", "”"), ("“", '"'), ('"', '"'), ("「", "」"), ("『", "』"))
_NUMBER_PUNCTUATION = re.compile(r"[()（）.．、。,，\s]")
MIN_TITLE_PREFIX = 4
# A check set's source file name -> the file (or a directory holding it); a mapping or a callable.
SourceMap = Union[Mapping[str, Union[str, Path]], Callable[[str], Optional[Union[str, Path]]]]
CONTENT_MATCH = 0.9  # share of a check set's quotes a file must contain to be taken as its source


@dataclass(frozen=True)
class Row:
    type: str
    gold: int
    predicted: int | None  # None: a recall-only row
    matched: int
    precision: float | None  # None when predicted is 0 or None
    recall: float | None  # None when gold is 0
    checkset: str = ""


def _row(type_: str, gold: int, predicted: int | None, matched: int, checkset: str = "") -> Row:
    return Row(type=type_, gold=gold, predicted=predicted, matched=matched,
               precision=matched / predicted if predicted else None,
               recall=matched / gold if gold else None, checkset=checkset)


# ---------------------------------------------------------------- normalising and pairing


def normalize_name(text: str | None) -> str:
    """A name as compared: NFKC, no white space, no quotes.

    >>> normalize_name("“皖事通” ＡＰＰ")
    '皖事通APP'
    """
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in _QUOTE_CHARS)


def _number_key(number) -> str:
    return _NUMBER_PUNCTUATION.sub("", unicodedata.normalize("NFKC", str(number or "")))


@functools.lru_cache(maxsize=None)
def region_key(name: str | None) -> frozenset[str]:
    """Division codes a region name may denote (中国 → CN), or the normalised name itself."""
    if not name:
        return frozenset()
    from .regions import resolve_name

    return frozenset(resolve_name(name)) or frozenset({normalize_name(name)})


def match_pairs(gold: Sequence, predicted: Sequence, compatible: Callable[[object, object], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one pairing of gold and predicted items (indices), where each pair is
    ``compatible``; deterministic for the same inputs."""
    candidates = [[j for j, p in enumerate(predicted) if compatible(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _attribute_row(type_: str, gold: Sequence, predicted: Sequence, pairs: list[tuple[int, int]],
                   equal: Callable[[object, object], bool] | None, *, applies: Callable[[object], bool] = lambda g: True,
                   checkset: str = "") -> Row:
    partner = dict(pairs)
    considered = [i for i, item in enumerate(gold) if applies(item)]
    found = [i for i in considered if i in partner]
    if equal is None:  # recall only
        return _row(type_, len(considered), None, len(found), checkset)
    same = [i for i in found if equal(gold[i], predicted[partner[i]])]
    return _row(type_, len(considered), len(found), len(same), checkset)


# ---------------------------------------------------------------- the predicted side


class _Predicted:
    """The exported tables, indexed for scoring."""

    def __init__(self, tables: Mapping[str, list[dict]]):
        from .export import document_types

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


def _documents(checkset: dict, pred: _Predicted, name: str) -> tuple[list[Row], dict[str, str]]:
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
        _row("documents", len(gold), len(shown), len(pairs), name),
        _attribute_row("document genre", gold, predicted, pairs, lambda g, p: g.get("genre") == p.get("type"), checkset=name),
        _attribute_row("document region", gold, predicted, pairs,
                       lambda g, p: bool(region_key(g.get("region")) & region_key(p.get("region")))
                       or g.get("region") is p.get("region") is None, checkset=name),
        _attribute_row("document period", gold, predicted, pairs,
                       lambda g, p: (g.get("period_start"), g.get("period_end")) == (p.get("period_start"), p.get("period_end")),
                       checkset=name),
        _attribute_row("document number", gold, predicted, pairs,
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
    return any(f"{o}{n}{c}" in quote for n in names if n for o, c in _QUOTE_PAIRS)


def _platforms(checkset: dict, pred: _Predicted, doc_ids: dict, name: str) -> list[Row]:
    gold_regions = {d["title"]: region_key(d.get("region")) for d in checkset.get("documents") or []}
    gold_rows = list(checkset.get("platforms") or [])
    gold = [_Item(gold_regions.get(g.get("document"), frozenset()), _names(g, "name", "aliases"), g) for g in gold_rows]
    in_scope = frozenset().union(*gold_regions.values()) if gold_regions else frozenset()
    predicted = [_Item(pred.regions_of(r), _names(r, "label", "aliases"), r) for r in pred.of_type("Platform")]
    predicted = [p for p in predicted if p.scope & in_scope]
    gold, predicted_count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _compatible_names))
    return [
        _row("platforms", len(gold), predicted_count, len(pairs), name),
        _attribute_row("branded platforms", gold, predicted, pairs, None, applies=lambda g: _branded(g.row), checkset=name),
        _attribute_row("platform kind", gold, predicted, pairs, lambda g, p: g.row.get("kind") == p.row.get("kind"),
                       checkset=name),
    ]


def _by_document(section: str, type_: str, checkset: dict, pred: _Predicted, doc_ids: dict,
                 gold_fields: tuple[str, ...], pred_fields: tuple[str, ...]) -> tuple[list[_Item], list[_Item]]:
    gold = [_Item(frozenset({doc_ids[g["document"]]}) if g.get("document") in doc_ids else frozenset(),
                  _names(g, *gold_fields), g) for g in checkset.get(section) or []]
    wanted = frozenset(doc_ids.values())
    predicted = [_Item(pred.documents_of(r), _names(r, *pred_fields), r) for r in pred.of_type(type_)]
    return gold, [p for p in predicted if p.scope & wanted]


def _departments(checkset, pred, doc_ids, name) -> list[Row]:
    gold, predicted = _by_document("departments", "Department", checkset, pred, doc_ids, ("name",), ("label", "aliases"))
    gold, count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _compatible_names))
    return [_row("departments", len(gold), count, len(pairs), name)]


def _task_compatible(g: _Item, p: _Item) -> bool:
    if not (g.scope & p.scope) or _number_key(g.row.get("number")) != _number_key(p.row.get("number")):
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
        _row("tasks", len(gold), count, len(pairs), name),
        _attribute_row("task lead units", gold, predicted, pairs,
                       lambda g, p: _unit_set(g.row.get("lead_units")) == _unit_set(p.row.get("lead_units")),
                       applies=lambda g: bool(g.row.get("lead_units")), checkset=name),
        _attribute_row("task deadlines", gold, predicted, pairs,
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
    rows = [_row("goals", len(gold), count, len(pairs), name)]
    spans = checkset.get("_review_spans")
    if spans is not None:
        # Goals whose evidence lies in a review of past work are results reported as goals. The
        # row's "predicted" is every goal found, "matched" those from a review: its precision
        # column is the share of past results among the reported goals (lower is better).
        in_review = [p for p in predicted if any(start <= offset < end for offset in pred.offsets_of(p.row["id"])
                                                 for start, end in spans)]
        rows.append(_row("goals from past results", 0, len(predicted), len(in_review), name))
    return rows


def _data_exchanges(checkset, pred, doc_ids, name) -> list[Row]:
    gold, predicted = _by_document("data_exchanges", "DataExchange", checkset, pred, doc_ids, ("name",), ("label", "aliases"))
    gold, count, pairs = _settle_optional(gold, predicted, match_pairs(gold, predicted, _compatible_names))
    return [
        _row("data exchanges", len(gold), count, len(pairs), name),
        _attribute_row("data exchange status", gold, predicted, pairs,
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
    return [_row("cited works", len(gold), count, len(pairs), name)]


def _concept_labels() -> dict[str, str]:
    """Initiative IRI -> normalised zh prefLabel."""
    from .ontology import initiatives

    return {iri: normalize_name(concept.label) for iri, concept in initiatives().items()}


def _adoptions(checkset, pred, doc_ids, name) -> list[Row]:
    """``gk:adopts`` links of the regions the check set's documents govern, against the
    initiatives the annotators found each document commits its region to."""
    labels = _concept_labels()
    gold_regions = set().union(*(region_key(d.get("region")) for d in checkset.get("documents") or [])) or set()
    gold = {normalize_name(i["initiative"]) for i in checkset.get("adoptions") or [] if not i.get("optional")}
    optional = {normalize_name(i["initiative"]) for i in checkset.get("adoptions") or [] if i.get("optional")} - gold
    regions = {row["id"] for row in pred.entities if row.get("code") in gold_regions}
    predicted = {labels.get(r["object"], r["object"]) for r in pred.relations
                 if r.get("predicate") == "gk:adopts" and r.get("subject") in regions} - optional
    return [_row("adopts links", len(gold), len(predicted), len(gold & predicted), name)]


def _serves(checkset, pred, doc_ids, name) -> list[Row]:
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
    return [_row("serves links", len(kept), count, len(pairs), name)]


def _initiatives(by_region: Mapping[str, list], pred: _Predicted, name: str) -> list[Row]:
    from .export import region_types

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
    return [_row("initiatives", gold_total, predicted_total, matched, name)]


_SECTIONS: tuple[tuple[str, Callable], ...] = (
    ("departments", _departments), ("tasks", _tasks), ("goals", _goals),
    ("data_exchanges", _data_exchanges), ("cited_documents", _cited_works),
)


# ---------------------------------------------------------------- public functions


def load_checkset(path: str | Path) -> dict:
    """A check set as a dict; a bare region → initiatives mapping becomes
    ``{"initiatives_by_region": ...}``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(path, "no such check set", fix="give a JSON file such as tests/checkset/sample.json") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(path, f"cannot read the check set ({exc})", fix="check that it is UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise SourceError(path, "a check set is a JSON object", fix="see kg/evaluate.py for the format")
    if "source" not in data and data and all(isinstance(v, list) for v in data.values()):
        return {"initiatives_by_region": data}
    return data


def _as_tables(tables) -> Mapping[str, list[dict]]:
    if isinstance(tables, (str, Path)):
        from .export import TABLES, read_table

        directory = Path(tables)
        found = {}
        for table in TABLES:
            for suffix in (".json", ".csv"):
                if (directory / f"{table}{suffix}").is_file():
                    found[table] = read_table(directory / f"{table}{suffix}")
                    break
        if "entities" not in found:
            raise KGError(f"{directory}: no entities.json or entities.csv", fix="run `govkg export` first")
        return found
    return tables


def evaluate(checkset: str | Path | Mapping, tables, *, name: str | None = None) -> list[Row]:
    """Score ``tables`` against one check set.

    ``checkset`` is a check-set file or its dict; ``tables`` is ``kg.export.tables(graph)``
    (``{"entities": [...], "relations": [...], "evidence": [...]}``; relations and evidence are
    optional and add the other documents an entity is stated in) or a directory of exported tables.
    Rows come only for the sections the check set has.
    """
    if isinstance(checkset, (str, Path)):
        name = name if name is not None else Path(checkset).name
        checkset = load_checkset(checkset)
    name = name if name is not None else str(checkset.get("source") or "")
    pred = _Predicted(_as_tables(tables))
    rows: list[Row] = []
    doc_ids: dict[str, str] = {}
    if "documents" in checkset:
        document_rows, doc_ids = _documents(checkset, pred, name)
        rows.extend(document_rows)
    if "platforms" in checkset:
        rows.extend(_platforms(checkset, pred, doc_ids, name))
    for section, score in _SECTIONS:
        if section in checkset:
            rows.extend(score(checkset, pred, doc_ids, name))
    if checkset.get("links"):  # adoptions and serves are annotated on the files marked "links"
        rows.extend(_adoptions(checkset, pred, doc_ids, name))
        rows.extend(_serves(checkset, pred, doc_ids, name))
    if "initiatives_by_region" in checkset:
        rows.extend(_initiatives(checkset["initiatives_by_region"], pred, name))
    return rows


def _gold_quotes(checkset: dict) -> list[str]:
    return [item["quote"] for section in ("platforms", "departments", "goals", "data_exchanges")
            for item in checkset.get(section) or [] if isinstance(item, dict) and item.get("quote")]


@functools.lru_cache(maxsize=64)
def _text_of(path: Path) -> str:
    from .readers import read_source

    try:
        return read_source(path).text
    except SourceError:
        return ""


def resolve_source(name: str, *, checkset: dict | None = None, sources_dir_for: SourceMap | None = None,
                   search_dirs: Iterable[str | Path] = ()) -> Path:
    """The file a check set's ``source`` names. In order: ``sources_dir_for`` (a mapping or a
    callable from the source's file name to a file, or to a directory holding that name);
    a file of that name in ``search_dirs``; a file in ``search_dirs`` whose text contains at
    least 90 % of the check set's quotes (the bundled ``data/newsletter_2023_19.txt`` is the
    sample's ``000_150e69a768421e9d.txt`` under another name).

    Raises :class:`KGError` when none is found.
    """
    from .readers import discover

    given = None
    if sources_dir_for is not None:
        given = sources_dir_for(name) if callable(sources_dir_for) else sources_dir_for.get(name)
    if given is not None:
        path = Path(given)
        path = path / name if path.is_dir() else path
        if not path.is_file():
            raise KGError(f"check-set source '{name}': {path} is not a file", fix="fix the source mapping")
        return path
    dirs = [Path(d) for d in search_dirs if Path(d).is_dir()]
    for directory in dirs:
        if (directory / name).is_file():
            return directory / name
    quotes = _gold_quotes(checkset or {})
    titles = [d["title"] for d in (checkset or {}).get("documents") or [] if d.get("title")]
    best, best_score = None, 0.0
    for path in discover(dirs):
        text = _text_of(path)
        probes = quotes or titles
        score = sum(p in text for p in probes) / len(probes) if probes else 0.0
        if score > best_score:
            best, best_score = path, score
    if best is not None and best_score >= CONTENT_MATCH:
        return best
    where = ", ".join(str(d) for d in dirs) or "no directory"
    raise KGError(f"check-set source '{name}' not found in {where}",
                  fix="give the directory holding it (e.g. the shared corpus) or a mapping of source names to files")


def review_spans(sections: list[dict], text: str) -> list[tuple[int, int]]:
    """Character ranges of the annotated reviews of past work: from the ``start`` quote to the
    ``end`` quote (or the end of the text). Quotes are found verbatim, or else with white space
    ignored.

    >>> review_spans([{"start": "一、回顾", "end": "二、安排"}], "前言。一、回顾过去。二、安排今年。")
    [(3, 10)]
    """
    def find(quote: str, after: int) -> int | None:
        index = text.find(quote, after)
        if index >= 0:
            return index
        pattern = r"\s*".join(re.escape(ch) for ch in quote if not ch.isspace())
        found = re.compile(pattern).search(text, after)
        return found.start() if found else None

    spans = []
    for section in sections:
        start = find(section.get("start") or "", 0)
        if start is None:
            continue
        end = find(section["end"], start + 1) if section.get("end") else None
        spans.append((start, end if end is not None else len(text)))
    return spans


def _build_tables(path: Path) -> dict[str, list[dict]]:
    from . import api
    from .export import tables

    result = api.build([path], out_dir=None, validate=False)
    return tables(result.state.graph)


def _summed(rows: Iterable[Row], name: str) -> list[Row]:
    """Rows summed per type (in order of first appearance), named ``name``."""
    order: list[str] = []
    sums: dict[str, list] = {}
    for row in rows:
        if row.type not in sums:
            order.append(row.type)
            sums[row.type] = [0, None, 0]
        total = sums[row.type]
        total[0] += row.gold
        total[1] = None if row.predicted is None and total[1] is None else (total[1] or 0) + (row.predicted or 0)
        total[2] += row.matched
    return [_row(t, sums[t][0], sums[t][1], sums[t][2], name) for t in order]


def group_totals(rows: Sequence[Row], groups: Mapping[str, Sequence[str]]) -> list[Row]:
    """Rows summed per type over the check sets of each named group (``{"corpus": [names]}``),
    in the groups' order; a group's rows carry the group's name as their check set."""
    return [total for group, members in groups.items()
            for total in _summed((r for r in rows if r.checkset in set(members)), group)]


def _totals(rows: list[Row]) -> list[Row]:
    """Per type summed over check sets, for the types that more than one check set scores."""
    sets: dict[str, set[str]] = {}
    for row in rows:
        sets.setdefault(row.type, set()).add(row.checkset)
    return _summed((r for r in rows if len(sets[r.type]) >= 2), "all")


def evaluate_checksets(paths: Sequence[str | Path], *,
                       sources_dir_for: SourceMap | None = None,
                       search_dirs: Iterable[str | Path] | None = None, skip_missing: bool = False,
                       progress: Callable[[str], None] | None = None) -> list[Row]:
    """Build the source each check set names and score it; then score region → initiative
    check sets (no ``source``) against all those builds together. Rows with ``checkset == "all"``
    sum each type that more than one check set scores.

    Sources are found by :func:`resolve_source`; ``search_dirs`` defaults to each check set's
    own directory and ``data/``. ``skip_missing`` skips (and reports through ``progress``) a
    check set whose source is not found, instead of raising :class:`KGError`.
    """
    loaded = [(Path(p), load_checkset(p)) for p in paths]
    built: dict[Path, dict] = {}
    rows: list[Row] = []
    for path, checkset in loaded:
        if "source" not in checkset:
            continue
        dirs = list(search_dirs) if search_dirs is not None else [path.parent, Path("data")]
        try:
            source = resolve_source(checkset["source"], checkset=checkset, sources_dir_for=sources_dir_for, search_dirs=dirs)
        except KGError as error:
            if not skip_missing:
                raise
            if progress:
                progress(f"skipped {path.name}: {error}")
            continue
        if source not in built:
            if progress:
                progress(f"build {source}")
            built[source] = _build_tables(source)
        if "review_sections" in checkset:
            checkset = {**checkset, "_review_spans": review_spans(checkset["review_sections"], _text_of(source))}
        rows.extend(evaluate(checkset, built[source], name=path.name))
    regional = [(path, checkset) for path, checkset in loaded if "source" not in checkset]
    if regional:
        if not built:
            raise KGError(f"{regional[0][0]}: names no source",
                          fix="give it together with the check set of the source it annotates, e.g. tests/checkset/sample.json")
        merged = {table: [row for t in built.values() for row in t.get(table, [])]
                  for table in ("entities", "relations", "evidence")}
        for path, checkset in regional:
            rows.extend(evaluate(checkset, merged, name=path.name))
    rows.extend(_totals(rows))
    return rows


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def format_rows(rows: Sequence[Row]) -> str:
    """A plain-text table of rows, one line each, grouped by check set.

    >>> print(format_rows([Row("goals", 4, 2, 1, 0.5, 0.25, "sample.json")]))
    check set    type   gold  pred  match  precision  recall
    sample.json  goals     4     2      1      50.0%   25.0%
    """
    header = ("check set", "type", "gold", "pred", "match", "precision", "recall")
    table = [header] + [(r.checkset, r.type, str(r.gold), "-" if r.predicted is None else str(r.predicted),
                         str(r.matched), _percent(r.precision), _percent(r.recall)) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = []
    for line in table:
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])] + [c.rjust(max(w, len(h)))
                                                                        for c, w, h in zip(line[2:], widths[2:], header[2:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


__all__ = ["Row", "evaluate", "evaluate_checksets", "format_rows", "group_totals", "review_spans", "load_checkset", "resolve_source",
           "match_pairs", "normalize_name", "region_key"]
