"""Every word of a vocabulary found in a text in one Aho–Corasick pass (ahocorasick-rs):
leftmost, longest, non-overlapping. Division names (:mod:`kg.core.regions`) and initiative
labels are found this way, once per sentence."""
from __future__ import annotations


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
