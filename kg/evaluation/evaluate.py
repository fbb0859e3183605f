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
import re
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from kg.query.tables import tables
from kg.core.errors import KGError, SourceError
from kg.evaluation.rows import CONTENT_MATCH, Row, SourceMap, make_row
from kg.evaluation.sections import Predicted, SECTION_SCORERS, score_adoptions, score_documents, score_initiatives, score_platforms, score_serves
from kg.evaluation.matching import match_pairs, normalize_name, region_key
from kg.ingest.readers import discover, read_source
from kg.outputs.export import read_table
from kg.query.tables import TABLES


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

    ``checkset`` is a check-set file or its dict; ``tables`` is ``kg.query.tables.tables(graph)``
    (``{"entities": [...], "relations": [...], "evidence": [...]}``; relations and evidence are
    optional and add the other documents an entity is stated in) or a directory of exported tables.
    Rows come only for the sections the check set has.
    """
    if isinstance(checkset, (str, Path)):
        name = name if name is not None else Path(checkset).name
        checkset = load_checkset(checkset)
    name = name if name is not None else str(checkset.get("source") or "")
    pred = Predicted(_as_tables(tables))
    rows: list[Row] = []
    doc_ids: dict[str, str] = {}
    if "documents" in checkset:
        document_rows, doc_ids = score_documents(checkset, pred, name)
        rows.extend(document_rows)
    if "platforms" in checkset:
        rows.extend(score_platforms(checkset, pred, doc_ids, name))
    for section, score in SECTION_SCORERS:
        if section in checkset:
            rows.extend(score(checkset, pred, doc_ids, name))
    if checkset.get("links"):  # adoptions and serves are annotated on the files marked "links"
        rows.extend(score_adoptions(checkset, pred, doc_ids, name))
        rows.extend(score_serves(checkset, pred, doc_ids, name))
    if "initiatives_by_region" in checkset:
        rows.extend(score_initiatives(checkset["initiatives_by_region"], pred, name))
    return rows


def _gold_quotes(checkset: dict) -> list[str]:
    return [item["quote"] for section in ("platforms", "departments", "goals", "data_exchanges")
            for item in checkset.get(section) or [] if isinstance(item, dict) and item.get("quote")]


@functools.lru_cache(maxsize=64)
def source_text(path: Path) -> str:
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
        text = source_text(path)
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
    return [make_row(t, sums[t][0], sums[t][1], sums[t][2], name) for t in order]


def group_totals(rows: Sequence[Row], groups: Mapping[str, Sequence[str]]) -> list[Row]:
    """Rows summed per type over the check sets of each named group (``{"corpus": [names]}``),
    in the groups' order; a group's rows carry the group's name as their check set."""
    return [total for group, members in groups.items()
            for total in _summed((r for r in rows if r.checkset in set(members)), group)]


def totals_by_type(rows: list[Row]) -> list[Row]:
    """Per type summed over check sets, for the types that more than one check set scores."""
    sets: dict[str, set[str]] = {}
    for row in rows:
        sets.setdefault(row.type, set()).add(row.checkset)
    return _summed((r for r in rows if len(sets[r.type]) >= 2), "all")


def evaluate_checksets(paths: Sequence[str | Path], *,
                       sources_dir_for: SourceMap | None = None,
                       search_dirs: Iterable[str | Path] | None = None, skip_missing: bool = False,
                       progress: Callable[[str], None] | None = None,
                       build_graph: Callable[[Path], object]) -> list[Row]:
    """Build the source each check set names (``build_graph(path)``: the graph of one source,
    in practice :func:`kg.api.build_graph`) and score it; then score region → initiative
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
            built[source] = tables(build_graph(source))
        if "review_sections" in checkset:
            checkset = {**checkset, "_review_spans": review_spans(checkset["review_sections"], source_text(source))}
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
    rows.extend(totals_by_type(rows))
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
