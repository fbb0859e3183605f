"""Comparisons of regions: who shares an initiative, what two regions share, and how alike
regions are (idf, Jaccard, weighted)."""
from __future__ import annotations


import collections
import dataclasses
import itertools
import math

from kg.core.errors import QueryError
from kg.outputs.formats import SimilarityMeasure
from kg.query.evidence import DOCUMENT_PATH, END_PATH, QUOTE_PATH, START_PATH
from kg.query.sparql import run_query
from kg.query.tables import jaccard, natural_key
from kg.outputs.analytics.results import (Named, OverlapResult, Quote, SharedRegion, SharedResult, SimilarPair, SimilarPairs,
                                         SimilarityMatrix)
from kg.outputs.analytics.reading import _Describer, _resolve, _rows


# ---------------------------------------------------------------------------------- comparisons

# What `shared` shows of the named query regions-adopting (kg/query/queries), read in parts so
# each reads one graph (kg.query.default_graph) and only what the passage shown per region needs:
# the adopting regions and their assertions; the assertions' evidence; each passage's document;
# then, a document at a time from each region's first, where its passages are (start, end), and
# the first one's section and quote. (At 10,000 documents a region adopting an initiative has
# some 24 passages in about 20 documents; reading where each one is took a second.)
_ADOPTIONS_OF = """SELECT ?region ?code ?assertion WHERE { VALUES ?initiative { <%s> }
  ?assertion rdf:object ?initiative ; rdf:predicate gk:adopts ; rdf:subject ?region .
  ?region gk:adopts ?initiative . OPTIONAL { ?region gk:divisionCode ?code } }"""
_EVIDENCE_OF = "SELECT ?assertion ?evidence WHERE { VALUES ?assertion { %s } ?assertion gk:evidence ?evidence }"
_DOCUMENTS = f"SELECT ?evidence ?document WHERE {{ VALUES ?evidence {{ %s }} ?evidence {DOCUMENT_PATH} ?document }}"
_POSITIONS = f"""SELECT ?evidence ?start ?end WHERE {{ VALUES ?evidence {{ %s }}
  ?evidence {START_PATH} ?start ; {END_PATH} ?end }}"""
_QUOTES = f"""SELECT ?evidence ?quote ?section WHERE {{ VALUES ?evidence {{ %s }}
  ?evidence {QUOTE_PATH} ?quote OPTIONAL {{ ?evidence gk:sectionPath ?section }} }}"""
_CHUNK = 2000  # IRIs per VALUES block


def _in_chunks(graph, query: str, iris_: list[str]) -> list[tuple]:
    rows = []
    for at in range(0, len(iris_), _CHUNK):
        rows += run_query(graph, query % " ".join(f"<{i}>" for i in iris_[at:at + _CHUNK])).rows
    return rows


def _first_quotes(graph, assertions: dict[str, set[str]]) -> dict[str, dict]:
    """region -> the first passage (by document, start, end) of its adoption assertions that
    has a quote, as regions-adopting gives it (document, section, start, end, quote)."""
    evidence_of: dict[str, set[str]] = collections.defaultdict(set)
    for assertion, evidence in _in_chunks(graph, _EVIDENCE_OF, sorted(set().union(*assertions.values()))):
        evidence_of[str(assertion)].add(str(evidence))
    documents: dict[str, list[str]] = collections.defaultdict(list)
    for evidence, document in _in_chunks(graph, _DOCUMENTS, sorted(set().union(*evidence_of.values()))):
        documents[str(evidence)].append(str(document))
    # Each region's documents in order (natural_key is one per document), each with its evidence;
    # the passages of a region's current document (document, start, end, evidence) in ``queue``.
    grouped: dict[str, dict[str, set[str]]] = {region: collections.defaultdict(set) for region in assertions}
    for region, found in assertions.items():
        for evidence in {e for a in found for e in evidence_of.get(a, ())}:
            for document in documents.get(evidence, ()):
                grouped[region][document].add(evidence)
    pending = {region: sorted(((natural_key(d), d, found) for d, found in by_document.items()), reverse=True)
               for region, by_document in grouped.items()}
    queue: dict[str, list[tuple]] = {region: [] for region in pending}
    positions: dict[str, list[tuple[int, int]]] = {}
    quotes: dict[str, list[tuple]] = {}
    first: dict[str, dict] = {}
    while True:
        # The next document of each region whose passages so far had no quote, read together.
        turning = {region: pending[region].pop() for region in queue if not queue[region] and pending[region]}
        if turning:
            wanted = sorted({e for _, _, found in turning.values() for e in found} - set(positions))
            for evidence in wanted:
                positions[evidence] = []
            for evidence, start, end in _in_chunks(graph, _POSITIONS, wanted):
                positions[str(evidence)].append((int(start), int(end)))
            for region, (key, document, found) in turning.items():
                queue[region] = sorted(((key, start, end, document, e) for e in found for start, end in positions[e]),
                                       reverse=True)
            continue  # a document whose passages have no position: the region turns to its next
        heads = {region: found[-1] for region, found in queue.items() if found}
        if not heads:
            return first
        wanted = sorted({head[4] for head in heads.values()} - set(quotes))
        for evidence in wanted:
            quotes[evidence] = []
        for evidence, quote, section in _in_chunks(graph, _QUOTES, wanted):
            quotes[str(evidence)].append((str(quote), str(section) if section is not None else ""))
        for region, (_, start, end, document, evidence) in heads.items():
            if quotes[evidence]:  # the first candidate of the region, passed over while it has no quote
                quote, section = min(quotes[evidence], key=lambda q: (q[1], q[0]))
                first[region] = {"document": document, "section": section, "start": start, "end": end, "quote": quote}
                queue[region], pending[region] = [], []
            else:
                queue[region].pop()


def shared(graph, initiative_name: str) -> SharedResult:
    """The regions adopting an initiative, each with its platforms serving it and the first
    passage stating the adoption.

    Raises :class:`NotFoundError` when the name is not exactly one initiative.
    """

    initiative = _resolve(graph, initiative_name, "Initiative")
    describe = _Describer(graph)
    codes: dict[str, str] = {}
    assertions: dict[str, set[str]] = collections.defaultdict(set)
    for region, code, assertion in run_query(graph, _ADOPTIONS_OF % initiative).rows:
        codes[str(region)] = max(codes.get(str(region), ""), str(code) if code is not None else "")
        assertions[str(region)].add(str(assertion))
    quoted = _first_quotes(graph, assertions)
    codes = {region: code for region, code in codes.items() if region in quoted}  # a region with no passage is left out
    platforms: dict[str, set[str]] = collections.defaultdict(set)
    for row in _rows(graph, "initiative-platforms", {"initiative": initiative}):
        if "region" in row:
            platforms[row["region"]].add(row["platform"])
    regions = []
    for region in sorted(codes, key=lambda r: (codes[r], r)):
        first = quoted[region]
        quote = Quote(document=first["document"], document_title=describe.named(first["document"]).label,
                      section=first["section"], start=first["start"], end=first["end"], text=first["quote"])
        named = sorted((describe.named(p) for p in platforms[region]), key=lambda n: (n.label, n.iri))
        regions.append(SharedRegion(region=describe.named(region), code=codes[region], platforms=tuple(named),
                                    quote=quote))
    return SharedResult(initiative=describe.named(initiative), regions=tuple(regions))


def overlap(graph, region_a: str, region_b: str) -> OverlapResult:
    """The initiatives two regions both adopt, and those only one of them adopts.

    Raises :class:`NotFoundError` when a name is not exactly one region, and
    :class:`QueryError` when both names denote the same region.
    """
    a, b = _resolve(graph, region_a, "Region"), _resolve(graph, region_b, "Region")
    if a == b:
        raise QueryError(f"'{region_a}' and '{region_b}' are the same region", fix="name two different regions")
    describe = _Describer(graph)
    sides: dict[str, list[Named]] = collections.defaultdict(list)
    for row in _rows(graph, "initiatives-compared", {"region_a": a, "region_b": b}):
        if not row.get("side") or not row.get("initiative"):
            continue  # neither region adopts anything: the query's optional parts come back unbound
        sides[row["side"]].append(Named(row["initiative"], row.get("initiative_label") or describe.named(row["initiative"]).label))

    def ordered(side: str) -> tuple[Named, ...]:
        return tuple(sorted(set(sides[side]), key=lambda n: (n.label, n.iri)))

    return OverlapResult(region_a=describe.named(a), region_b=describe.named(b), shared=ordered("shared"),
                         only_a=ordered("only_a"), only_b=ordered("only_b"))


def _profiles(graph) -> tuple[list[Named], dict[str, set[str]]]:
    describe = _Describer(graph)
    adopted: dict[str, set[str]] = collections.defaultdict(set)
    for row in _rows(graph, "adoptions"):
        adopted[row["region"]].add(row["initiative"])
    regions = sorted((describe.named(r) for r in adopted), key=lambda n: (n.label, n.iri))
    return regions, adopted


# The named query region-platform-kinds for some regions alone: `similar` ranking by idf or
# Jaccard needs the kinds of the regions of the pairs it shows only (the whole query: 1 s at
# 10,000 documents).
_KINDS_OF = """SELECT ?region ?kind (COUNT(DISTINCT ?platform) AS ?platforms) WHERE { VALUES ?region { %s }
  ?platform gk:inRegion ?region ; gk:platformKind ?kind } GROUP BY ?region ?kind"""


def _platform_kinds(graph, regions: set[str] | None = None) -> dict[str, collections.Counter]:
    """region -> how many platforms of each kind it has; of ``regions`` alone when given."""
    kinds: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    if regions is None:
        for row in _rows(graph, "region-platform-kinds"):
            kinds[row["region"]][row["kind"]] += int(row["platforms"])
    elif regions:
        for region, kind, platforms in _in_chunks(graph, _KINDS_OF, sorted(regions)):
            kinds[str(region)][str(kind)] += int(platforms)
    return kinds


def _ruzicka(a: collections.Counter, b: collections.Counter) -> float | None:
    """Weighted Jaccard of two count vectors; None when both are empty."""
    keys = set(a) | set(b)
    top = sum(max(a[k], b[k]) for k in keys)
    return sum(min(a[k], b[k]) for k in keys) / top if top else None


def _scores(adopted, kinds, a: str, b: str, alpha: float) -> tuple[float, float]:
    shared = jaccard(adopted[a], adopted[b])
    by_kind = _ruzicka(kinds.get(a, collections.Counter()), kinds.get(b, collections.Counter()))
    weighted = shared if by_kind is None else alpha * shared + (1 - alpha) * by_kind
    return shared, weighted


def _check_alpha(alpha: float) -> None:
    if not 0.0 <= alpha <= 1.0:
        raise QueryError(f"alpha must be between 0 and 1, not {alpha}")


def _rarity(adopted: dict[str, set[str]]) -> dict[str, float]:
    """Weight of each initiative: log((N + 1) / n), N regions with adoptions, n adopting it. One
    that every region adopts weighs little; one that two regions of thirty share weighs much."""
    adopters = collections.Counter(i for initiatives in adopted.values() for i in initiatives)
    total = len(adopted)
    return {initiative: math.log((total + 1) / count) for initiative, count in adopters.items()}


def _idf(weights: dict[str, float], a: set[str], b: set[str]) -> float:
    # Summed in sorted order, so (a, b) and (b, a) give the same float.
    union = math.fsum(weights[i] for i in sorted(a | b))
    return math.fsum(weights[i] for i in sorted(a & b)) / union if union else 0.0


DRIVERS_SHOWN = 3
_SCORE_SLACK = 1e-9  # far above the rounding of the matrix products (~1e-15), far below any gap that matters
_BLOCK_ROWS = 256  # regions scored at a time against all others (a block of scores: 256 x N floats)


def _candidate_pairs(regions: list[Named], adopted, kinds, weights, *, by: str, alpha: float, top: int | None):
    """The pairs of regions that can be among the ``top`` by ``by`` (every pair when ``top`` is
    None or covers them): all pairs are scored at once with matrix products (numpy), and only
    those within a rounding slack of the ``top``-th score are scored again exactly, one by one,
    as before. The pairs come in :func:`itertools.combinations` order."""
    count = len(regions)
    if top is None or top >= count * (count - 1) // 2:
        return itertools.combinations(regions, 2)
    import numpy as np

    initiatives = {i: n for n, i in enumerate(sorted({i for found in adopted.values() for i in found}))}
    matrix = np.zeros((count, len(initiatives)))
    for row, region in enumerate(regions):
        matrix[row, [initiatives[i] for i in adopted[region.iri]]] = 1.0
    rarity = np.array([weights[i] for i in initiatives])
    sizes, weighted_sizes = matrix.sum(axis=1), matrix @ rarity
    kind_names = sorted({k for counts in kinds.values() for k in counts})
    kind_counts = np.array([[kinds.get(r.iri, {}).get(k, 0) for k in kind_names] for r in regions], dtype=float).reshape(count, len(kind_names))

    def block_scores(start: int):
        rows = slice(start, min(start + _BLOCK_ROWS, count))
        with np.errstate(divide="ignore", invalid="ignore"):
            shared = matrix[rows] @ matrix.T
            union = sizes[rows, None] + sizes[None, :] - shared
            jaccard = np.where(union > 0, shared / union, 0.0)
            if by == "jaccard":
                scores = jaccard
            elif by == "idf":
                common = (matrix[rows] * rarity) @ matrix.T
                total = weighted_sizes[rows, None] + weighted_sizes[None, :] - common
                scores = np.where(total > 0, common / total, 0.0)
            else:
                low = np.minimum(kind_counts[rows, None, :], kind_counts[None, :, :]).sum(axis=2)
                high = np.maximum(kind_counts[rows, None, :], kind_counts[None, :, :]).sum(axis=2)
                scores = np.where(high > 0, alpha * jaccard + (1 - alpha) * np.where(high > 0, low / high, 0.0), jaccard)
        scores[np.arange(scores.shape[0])[:, None] + start >= np.arange(count)[None, :]] = -np.inf  # pairs a < b only
        return scores

    best = np.concatenate([np.sort(block_scores(start), axis=None)[-top:] for start in range(0, count, _BLOCK_ROWS)])
    floor = np.sort(best)[-top] - 2 * _SCORE_SLACK
    chosen = []
    for start in range(0, count, _BLOCK_ROWS):
        rows, columns = np.nonzero(block_scores(start) >= floor)
        chosen.extend(zip((rows + start).tolist(), columns.tolist()))
    return [(regions[a], regions[b]) for a, b in sorted(chosen)]


def similar(graph, *, top: int | None = 10, by: str = "idf", alpha: float = 0.5) -> SimilarPairs:
    """Pairs of regions (those adopting at least one initiative) ranked by similarity.

    ``idf`` (the default) is Jaccard with each initiative weighted by how rare it is
    (``log((N + 1) / adopters)``), so initiatives nearly every region adopts (5G, 电子商务)
    do not make regions alike; each pair names its ``drivers``, the shared initiatives that
    weigh most. ``jaccard`` compares the plain sets; ``weighted`` blends Jaccard with the
    platform kinds the regions build: ``alpha * jaccard + (1 - alpha) * Ruzicka(kind counts)``
    (just the Jaccard score when neither region has platforms). ``by`` picks the ranking
    score; ties go by labels. Every score lies in [0, 1] and is symmetric.
    """
    measures = [m.value for m in SimilarityMeasure]
    if by not in measures:
        raise QueryError(f"unknown similarity '{by}'", fix="use " + ", ".join(measures))
    _check_alpha(alpha)
    regions, adopted = _profiles(graph)
    weights = _rarity(adopted)
    describe = _Describer(graph)
    # Ranked by idf or Jaccard, the weighted scores are needed of the pairs shown alone.
    every = by == "weighted" or top is None
    kinds = _platform_kinds(graph) if every else {}
    pairs = []
    for a, b in _candidate_pairs(regions, adopted, kinds, weights, by=by, alpha=alpha, top=top):
        jaccard, weighted = _scores(adopted, kinds, a.iri, b.iri, alpha)
        pairs.append(SimilarPair(a=a, b=b, jaccard=jaccard, weighted=weighted,
                                 shared=len(adopted[a.iri] & adopted[b.iri]),
                                 idf=_idf(weights, adopted[a.iri], adopted[b.iri]), drivers=()))
    pairs.sort(key=lambda p: (-getattr(p, by), -p.jaccard, p.a.label, p.b.label, p.a.iri, p.b.iri))
    shown = pairs[:top] if top is not None else pairs
    if not every:
        kinds = _platform_kinds(graph, {region.iri for pair in shown for region in (pair.a, pair.b)})
        shown = [dataclasses.replace(pair, weighted=_scores(adopted, kinds, pair.a.iri, pair.b.iri, alpha)[1]) for pair in shown]

    def drivers(pair: SimilarPair) -> tuple[Named, ...]:  # named only for the pairs shown
        both = adopted[pair.a.iri] & adopted[pair.b.iri]
        return tuple(describe.named(i) for i in sorted(both, key=lambda i: (-weights[i], i))[:DRIVERS_SHOWN])

    return SimilarPairs((dataclasses.replace(pair, drivers=drivers(pair)) for pair in shown), by=by)


def similarity_matrix(graph, *, alpha: float = 0.5) -> SimilarityMatrix:
    """Every similarity score for every pair of regions adopting an initiative (diagonal 1)."""
    _check_alpha(alpha)
    regions, adopted = _profiles(graph)
    kinds = _platform_kinds(graph)
    weights = _rarity(adopted)
    jaccard, weighted, idf = [], [], []
    for a in regions:
        scores = [(1.0, 1.0) if a == b else _scores(adopted, kinds, a.iri, b.iri, alpha) for b in regions]
        jaccard.append(tuple(s[0] for s in scores))
        weighted.append(tuple(s[1] for s in scores))
        idf.append(tuple(1.0 if a == b else _idf(weights, adopted[a.iri], adopted[b.iri]) for b in regions))
    return SimilarityMatrix(regions=tuple(regions), jaccard=tuple(jaccard), weighted=tuple(weighted), idf=tuple(idf))
