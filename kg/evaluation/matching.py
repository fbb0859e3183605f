"""Names, numbers and regions normalised for comparison, and gold items paired with predicted ones."""
from __future__ import annotations


import functools
import unicodedata
from typing import Callable, Sequence

from kg.evaluation.rows import Row, NUMBER_PUNCTUATION, QUOTE_CHARS, make_row
from kg.core.regions import resolve_name


# ---------------------------------------------------------------- normalising and pairing


def normalize_name(text: str | None) -> str:
    """A name as compared: NFKC, no white space, no quotes.

    >>> normalize_name("“皖事通” ＡＰＰ")
    '皖事通APP'
    """
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in QUOTE_CHARS)


def number_key(number) -> str:
    return NUMBER_PUNCTUATION.sub("", unicodedata.normalize("NFKC", str(number or "")))


@functools.lru_cache(maxsize=None)
def region_key(name: str | None) -> frozenset[str]:
    """Division codes a region name may denote (中国 → CN), or the normalised name itself."""
    if not name:
        return frozenset()

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


def attribute_row(type_: str, gold: Sequence, predicted: Sequence, pairs: list[tuple[int, int]],
                   equal: Callable[[object, object], bool] | None, *, applies: Callable[[object], bool] = lambda g: True,
                   checkset: str = "") -> Row:
    partner = dict(pairs)
    considered = [i for i, item in enumerate(gold) if applies(item)]
    found = [i for i in considered if i in partner]
    if equal is None:  # recall only
        return make_row(type_, len(considered), None, len(found), checkset)
    same = [i for i in found if equal(gold[i], predicted[partner[i]])]
    return make_row(type_, len(considered), len(found), len(same), checkset)
