"""One multi-pattern pass per sentence for the extractors' vocabularies (division names,
initiative labels), and what several extractors look up in the same sentence, cached.

:class:`LongestMatcher` finds every word of a vocabulary in a text in one Aho–Corasick pass
(ahocorasick-rs): leftmost, longest, non-overlapping, as pyahocorasick's ``iter_long`` does,
at several times its speed on Chinese text. The regions, platforms, departments and exchanges
extractors all look for division names in the same sentences; :func:`find_regions` answers each
sentence once, with the results of :mod:`kg.core.regions`.
"""
from __future__ import annotations

import functools

from kg.core.regions import RegionMatch, choose, name_index


class LongestMatcher:
    """The longest non-overlapping occurrences of a vocabulary's words, leftmost first.

    >>> LongestMatcher({"数字": 1, "数字政府": 2, "政府网站": 3}).find("建设数字政府网站")
    ((2, 6, '数字政府', 2),)
    """

    def __init__(self, payloads: dict[str, object]):
        import ahocorasick_rs

        self._words = list(payloads)
        self._payloads = [payloads[word] for word in self._words]
        self._automaton = ahocorasick_rs.AhoCorasick(self._words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def find(self, text: str) -> tuple[tuple[int, int, str, object], ...]:
        """``(start, end, word, payload)`` of every match, in text order."""
        words, payloads = self._words, self._payloads
        return tuple([(start, end, words[index], payloads[index])
                      for index, start, end in self._automaton.find_matches_as_indexes(text)])


@functools.lru_cache(maxsize=1)
def _division_names() -> LongestMatcher:
    return LongestMatcher(name_index())


@functools.lru_cache(maxsize=8192)  # the same sentence is read by several extractors
def find_region_names(text: str) -> tuple[tuple[int, int, str, tuple[str, ...]], ...]:
    """``(start, end, surface, codes)`` of every division name in ``text``, as
    :func:`kg.core.regions.find_region_names` finds them."""
    return _division_names().find(text)


@functools.lru_cache(maxsize=8192)
def _find_regions(text: str, context: str | None) -> tuple[RegionMatch, ...]:
    matches = []
    for start, end, name, codes in find_region_names(text):
        code = choose(codes, context=context)
        if code is not None:
            matches.append(RegionMatch(start, end, name, code))
    return tuple(matches)


def find_regions(text: str, *, context: str | None = None) -> list[RegionMatch]:
    """Division names in ``text`` resolved with ``context``, exactly as
    :func:`kg.core.regions.find_regions` resolves them.

    >>> [(m.surface, m.code) for m in find_regions("山东省济南市")]
    [('山东省', '370000'), ('济南市', '370100')]
    """
    return list(_find_regions(text, context))
