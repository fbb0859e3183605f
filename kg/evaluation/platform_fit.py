"""Fitting the platform scorer on the annotated check sets, and scoring it on held-out sources.

Every candidate the rules find in an annotated source is a training row: its features
(:mod:`kg.ingest.extract.platform_scorer`) and a label, 1 when its name or spelling is a platform the
annotators list for that source, 0 when it is not, left out when it matches an item they marked
optional. A logistic regression (scikit-learn, L2, lbfgs: deterministic for the same rows) is
fitted on all rows; the decision threshold is the one where the smaller of precision and recall
is largest on rows each scored by a regression fitted without their source, gold platforms no
candidate rule finds counted as missed (both figures must reach the target on unseen documents;
the threshold of the best F1 on a 0.05 grid swung from 0.30 to 0.50 between held-out sources).

:func:`held_out_rows` scores the extractor on each source with a model fitted on the *other*
sources only (leave-one-source-out: the bundled sample is one source of four policy documents,
every other check set is one document), so the figures are on documents the scorer did not see.
scikit-learn is needed only here (``pip install 'govkg[fit]'``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from kg.core.errors import KGError
from kg.evaluation.evaluate import totals_by_type, evaluate, load_checkset, resolve_source, review_spans, source_text
from kg.evaluation.matching import normalize_name
from kg.evaluation.rows import Row
from kg.ingest.extract import platform_scorer
from kg.ingest.extract.documents import describe_document
from kg.ingest.extract.platform_scorer import merge_features
from kg.ingest.extract.platforms import candidate_key, canonical_key, platform_candidates
from kg.ingest.readers import read_source
from kg.ingest.segment import split_documents
from kg.core.text import normalize
from kg.query.tables import tables
from kg.store.rdfio import write_atomic

C = 1.0  # inverse L2 strength; the features are few and binary, so the default holds
WEIGHT_POWER = 0.5  # how far toward equal weight per source (0: per candidate, 1: per source)
FOLDS = 100  # folds of sources for choosing the threshold (more than there are sources: one each)
THRESHOLDS = tuple(round(0.05 + 0.01 * i, 2) for i in range(91))  # 0.05 … 0.95


@dataclass(frozen=True)
class Example:
    source: str  # check-set file name: the group left out together
    name: str
    features: dict
    label: int
    found: bool = True  # False: a gold platform no candidate rule found (counts as missed, fits nothing)


def _gold_names(checkset: dict) -> tuple[set[str], set[str]]:
    firm, optional = set(), set()
    for item in checkset.get("platforms") or []:
        names = {normalize_name(n) for n in [item.get("name"), *(item.get("aliases") or [])] if n}
        (optional if item.get("optional") else firm).update(names)
    return firm, optional - firm


def examples_for(checkset_path: Path, source: Path) -> list[Example]:
    """The training rows of one annotated source."""

    checkset = load_checkset(checkset_path)
    firm, optional = _gold_names(checkset)
    firm_keys = {canonical_key(n) for n in firm}
    rows, found_names, found_keys = [], set(), set()
    read = read_source(source)
    for segment in split_documents(read, normalize(read.text)):
        context, _ = describe_document(segment)
        grouped: dict[str, list] = {}
        for candidate in platform_candidates(context):
            grouped.setdefault(candidate_key(candidate.mention), []).append(candidate)
        for key, candidates in grouped.items():  # one row per platform of the document, as decided
            names = {normalize_name(n) for c in candidates for n in (c.mention.name, c.mention.surface)}
            positive = bool(names & firm) or key in firm_keys or any(canonical_key(c.mention.name) in firm_keys
                                                                    for c in candidates)
            if names & optional and not positive:
                continue
            rows.append(Example(checkset_path.name, candidates[0].mention.name,
                                merge_features([c.features for c in candidates]), int(positive)))
            if positive:
                found_names |= names
                found_keys |= {key, *(canonical_key(c.mention.name) for c in candidates)}
    for item in checkset.get("platforms") or []:
        names = {normalize_name(n) for n in [item.get("name"), *(item.get("aliases") or [])] if n}
        if not item.get("optional") and not (names & found_names or {canonical_key(n) for n in names} & found_keys):
            rows.append(Example(checkset_path.name, item.get("name"), {}, 1, found=False))
    return rows


def fit(examples: Sequence[Example]) -> dict:
    """A model (the JSON the extractor reads) fitted on ``examples``."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        import sklearn
    except ImportError:
        raise KGError("fitting the platform scorer needs scikit-learn", fix="pip install 'govkg[fit]'") from None
    missed = [e for e in examples if not e.found]
    examples = [e for e in examples if e.found]
    vectorizer = DictVectorizer(sort=True, sparse=False)
    matrix = vectorizer.fit_transform([e.features for e in examples])
    labels = [e.label for e in examples]
    # Each source weighs alike whatever its length (the sample's four plans hold a third of the
    # candidates): the scorer must hold on every genre, not on the longest documents.
    per_source: dict[str, int] = {}
    for example in examples:
        per_source[example.source] = per_source.get(example.source, 0) + 1
    weights = [(len(examples) / len(per_source) / per_source[e.source]) ** WEIGHT_POWER for e in examples]
    regression = LogisticRegression(C=C, solver="lbfgs", max_iter=2000)
    regression.fit(matrix, labels, sample_weight=weights)
    weight_of = {e.source: w for e, w in zip(examples, weights)}
    threshold = _threshold(matrix, labels, weights, [e.source for e in examples],
                           missed=sum(weight_of.get(e.source, 0.0) for e in missed))
    names = list(vectorizer.get_feature_names_out())
    return {
        "about": "Logistic regression deciding platform candidates; refit with python tools/fit_platform_scorer.py",
        "sklearn": sklearn.__version__, "C": C, "examples": len(examples), "positives": sum(labels),
        "platforms_not_found": len(missed),
        "sources": sorted({e.source for e in examples}),
        "threshold": threshold, "intercept": round(float(regression.intercept_[0]), 6),
        "features": names, "weights": [round(float(w), 6) for w in regression.coef_[0]],
    }


def _out_of_fold(matrix, labels: list[int], weights: list[float], sources: list[str]) -> list[float]:
    """Each row's probability from a regression fitted without its source's fold (sources
    dealt in turn, in name order, to FOLDS folds)."""
    from sklearn.linear_model import LogisticRegression

    fold_of = {source: i % FOLDS for i, source in enumerate(sorted(set(sources)))}
    probabilities = [0.0] * len(labels)
    for fold in range(FOLDS):
        inside = [i for i, s in enumerate(sources) if fold_of[s] != fold]
        outside = [i for i, s in enumerate(sources) if fold_of[s] == fold]
        if not outside or len({labels[i] for i in inside}) < 2:
            continue
        regression = LogisticRegression(C=C, solver="lbfgs", max_iter=2000)
        regression.fit(matrix[inside], [labels[i] for i in inside], sample_weight=[weights[i] for i in inside])
        for i, p in zip(outside, regression.predict_proba(matrix[outside])[:, 1]):
            probabilities[i] = float(p)
    return probabilities


def _threshold(matrix, labels: list[int], weights: list[float], sources: list[str], *, missed: float = 0.0) -> float:
    """The threshold where precision and recall are both highest (the larger of their minimum),
    on rows scored by regressions that did not see their source (:func:`_out_of_fold`), each row
    weighted as in the fit, and ``missed`` (the weight of gold platforms no candidate rule found)
    counted as missed: the figures an unseen document gets, where both must reach the target."""
    probabilities = _out_of_fold(matrix, labels, weights, sources)

    def worse_of(threshold: float) -> float:
        tp = sum(w for p, y, w in zip(probabilities, labels, weights) if p >= threshold and y)
        fp = sum(w for p, y, w in zip(probabilities, labels, weights) if p >= threshold and not y)
        fn = sum(w for p, y, w in zip(probabilities, labels, weights) if p < threshold and y) + missed
        return min(tp / (tp + fp), tp / (tp + fn)) if tp else 0.0

    return max(THRESHOLDS, key=lambda t: (round(worse_of(t), 9), -abs(t - 0.5)))


def _resolve(paths: Sequence[Path], search_dirs: Sequence[Path]) -> list[tuple[Path, Path]]:
    found = []
    for path in paths:
        checkset = load_checkset(path)
        if "source" not in checkset or "platforms" not in checkset:
            continue
        try:
            found.append((path, resolve_source(checkset["source"], checkset=checkset, search_dirs=[path.parent, *search_dirs])))
        except KGError:
            continue  # a check set whose source is not on this machine
    return found


def training_examples(paths: Sequence[Path], search_dirs: Sequence[Path]) -> dict[str, list[Example]]:
    """Check-set file name -> its training rows, for every check set whose source is found."""
    return {path.name: examples_for(path, source) for path, source in _resolve(paths, search_dirs)}


def held_out_rows(paths: Sequence[Path], search_dirs: Sequence[Path], *, build_graph: Callable[[Path], object],
                  progress: Callable[[str], None] | None = None) -> list[Row]:
    """Evaluation rows of every check set, each source built (``build_graph(path)``, in
    practice :func:`kg.api.build_graph`) with a scorer fitted without it."""

    resolved = _resolve(paths, search_dirs)
    examples = {path.name: examples_for(path, source) for path, source in resolved}
    rows: list[Row] = []
    for path, source in resolved:
        others = [e for name, group in examples.items() if name != path.name for e in group]
        model = platform_scorer.model_from_dict(fit(others))
        if progress:
            progress(f"held out {path.name}")
        with platform_scorer.using(model):
            built = tables(build_graph(source))
        checkset = load_checkset(path)
        if "review_sections" in checkset:
            checkset = {**checkset, "_review_spans": review_spans(checkset["review_sections"], source_text(source))}
        rows.extend(evaluate(checkset, built, name=path.name))
    return rows + totals_by_type(rows)


def write_model(model: dict, path: Path = platform_scorer.MODEL_FILE) -> Path:
    write_atomic(path, (json.dumps(model, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return path
