"""Normalising what real exports get wrong, without losing offsets.

:class:`NormText` holds a cleaned copy of a source's text and a map from every cleaned
position back to the original, so a span found in the clean text is reported as a span of
the original and its quote is always ``original[start:end]``.

Cleaning: full-width digits and letters become ASCII; ASCII punctuation in Chinese text
becomes its full-width form; ASCII ``"`` and 「」 become “ ”; spaces next to Chinese text
are dropped; a line break inside a sentence (a paragraph that stops mid-sentence) is
dropped so the sentence reads as one.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_WIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDTH.update({0xFF0E: ord("."), 0xFF05: ord("%"), 0xFF0B: ord("+"), 0xFF0D: ord("-"), 0xFF0F: ord("/")})
_WIDTH.update({0x3000: ord(" "), 0x00A0: ord(" "), 0x2002: ord(" "), 0x2003: ord(" "), 0x2009: ord(" "), 0x200B: ord(" ")})
_WIDTH.update({ord("「"): ord("“"), ord("」"): ord("”"), ord("『"): ord("‘"), ord("』"): ord("’"), ord("\t"): ord(" ")})
_WIDTH.update({ord("\r"): ord("\n"), 0x2028: ord("\n"), 0x2029: ord("\n")})

_WIDTH_CHAR = re.compile("[%s]" % "".join(re.escape(chr(cp)) for cp in _WIDTH))

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
_HALF_TO_FULL = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
# Each branch starts with the character it replaces (the lookbehind follows it), so the scan skips
# to candidates instead of testing a lookbehind at every position.
_PUNCT_IN_CJK = re.compile(
    rf"[(),:;?!](?<=[{_CJK}{_CJK_PUNCT}\d][(),:;?!])|[(),:;?!](?=[{_CJK}{_CJK_PUNCT}])|\((?=\d{{1,4}}[{_CJK}—\-)])")
_DOC_NUMBER_LINE = re.compile(r"^\S{1,12}〔\d{4}〕\d+号$")
_SPACES = re.compile(r" +")
_CJK_CHAR = re.compile(rf"[{_CJK}{_CJK_PUNCT}]")
_TERMINAL = "。！？；：…”’）〕】」》"
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|（[一二三四五六七八九十]+）|\d{1,3}[.．、](?!\d)|（\d{1,3}）|"
    r"第[一二三四五六七八九十百零〇\d]+[编章节条]|[（(]来源|编者按)")


@dataclass
class NormText:
    original: str
    text: str
    _map: list[int]  # len(text) + 1 entries: clean position -> original position

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the clean span ``[start, end)``."""
        if end <= start:
            position = self._map[start]
            return position, position
        return self._map[start], self._map[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        o_start, o_end = self.span(start, end)
        return self.original[o_start:o_end]

    def to_clean(self, original_position: int) -> int:
        """The first clean position at or after an original position."""
        return bisect.bisect_left(self._map, original_position, 0, len(self.text))


def _full_width_punct(match: re.Match) -> str:
    """Full-width form of ASCII punctuation in Chinese text; a comma between digits (1,000)
    and a colon between digits (10:30) stay as they are."""
    char, text, i = match.group(), match.string, match.start()
    if char in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
        return char
    return _HALF_TO_FULL[char]


def _fix_quotes(text: str) -> str:
    """Replace ASCII double quotes by “ or ”, one paragraph at a time (length-preserving)."""
    out = []
    for line in text.split("\n"):
        if '"' in line:
            chars = list(line)
            inside = False
            for i, ch in enumerate(chars):
                if ch == "“":
                    inside = True
                elif ch == "”":
                    inside = False
                elif ch == '"':
                    chars[i] = "”" if inside else "“"
                    inside = not inside
            line = "".join(chars)
        out.append(line)
    return "\n".join(out)


def _dropped_spaces(text: str) -> list[tuple[int, int]]:
    """Spans of runs of spaces next to Chinese text, at the start of a line or at its end."""
    spans = []
    for match in _SPACES.finditer(text):
        start, end = match.span()
        if (start == 0 or text[start - 1] == "\n" or _CJK_CHAR.match(text, start - 1) or _CJK_CHAR.match(text, end)
                or text.startswith("\n", end)):
            spans.append((start, end))
    return spans


_LINE_BREAK = re.compile(r"\n[\n ]*")
_TABLE_CELL_GAP = re.compile(r"\S[ \t]+(?=\S)")
_CLAUSE_PUNCT = re.compile("[，、；。]")
_WORD_START = re.compile(rf"[{_CJK}{_CJK_PUNCT}\w]")


def _broken_line_breaks(text: str) -> list[tuple[int, int]]:
    """Spans of line breaks that cut a sentence in two: the paragraph before is long and ends
    without closing punctuation, and the paragraph after does not start a heading."""
    spans = []
    for match in _LINE_BREAK.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        previous = text[line_start:match.start()].rstrip()
        if not previous or previous[-1] in _TERMINAL:
            continue  # most lines end their sentence
        long_enough = len(previous) >= 40 or (len(previous) >= 30 and not _HEADING_START.match(previous))
        if not long_enough:
            continue
        following_end = text.find("\n", match.end())
        following = text[match.end(): following_end if following_end >= 0 else len(text)]
        if (_CLAUSE_PUNCT.search(previous) and previous[-1] not in _TERMINAL
                and following and line_start > 0
                and not _HEADING_START.match(following) and not _DOC_NUMBER_LINE.match(following.strip())
                and _WORD_START.match(following)
                and len(_TABLE_CELL_GAP.findall(previous)) < 2):  # cells of a table row: one row per line
            spans.append((match.start(), match.end()))
    return spans


RUN_ON_LINE = 5000  # characters: no paragraph is this long; a line this long is an export that lost its line breaks
_INLINE_HEADING = re.compile(
    r"(?<=[。；！？”\s])\s*(?=(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十百]+[章条]"
    r"|\d{1,2}[.．](?=[\u4e00-\u9fff])))")


def _run_on_breaks(text: str) -> list[int]:
    """Positions where a line break was lost: in a line longer than :data:`RUN_ON_LINE`, before
    each heading marker that follows the end of a sentence (。二、2024年工作安排)."""
    positions = []
    for line in re.finditer(r"[^\n]+", text):
        if len(line.group()) > RUN_ON_LINE:
            positions += [m.end() for m in _INLINE_HEADING.finditer(text, line.start(), line.end()) if m.end() > line.start()]
    return positions


def normalize(original: str) -> NormText:
    """Clean ``original`` and keep the position map.

    >>> n = normalize("到 2025 年，建成“皖事通\\"APP。")
    >>> n.text
    '到2025年，建成“皖事通”APP。'
    >>> s, e = n.span(n.text.index("皖"), n.text.index("A"))
    >>> original = "到 2025 年，建成“皖事通\\"APP。"
    >>> original[s:e]
    '皖事通"'
    """
    if original.isascii():  # str.translate is fast on ASCII text only
        text = original.translate(_WIDTH)
    else:  # elsewhere it looks up every character, and few need it
        text = original
        for char in set(_WIDTH_CHAR.findall(original)):
            text = text.replace(char, chr(_WIDTH[ord(char)]))  # no replacement is itself replaced
    text = _PUNCT_IN_CJK.sub(_full_width_punct, text)
    text = _fix_quotes(text)
    # Deletions: collect ranges, then rebuild with the map.
    deletions = _dropped_spaces(text)
    deletions += _broken_line_breaks(text)
    deletions.sort()
    pieces: list[str] = []
    mapping: list[int] = []
    position = 0
    for start, end in deletions:
        if end <= position:
            continue
        start = max(start, position)
        pieces.append(text[position:start])
        mapping.extend(range(position, start))
        position = end
    pieces.append(text[position:])
    mapping.extend(range(position, len(text)))
    mapping.append(len(original))
    clean = "".join(pieces)
    breaks = _run_on_breaks(clean)
    if breaks:  # insert the lost line breaks; each maps to the original position of the character after it
        out, new_map, previous = [], [], 0
        for position in breaks:
            out.append(clean[previous:position])
            new_map.extend(mapping[previous:position])
            out.append("\n")
            new_map.append(mapping[position])
            previous = position
        out.append(clean[previous:])
        new_map.extend(mapping[previous:])
        clean, mapping = "".join(out), new_map
    return NormText(original=original, text=clean, _map=mapping)


def search_before(pattern: re.Pattern, text: str, end: int, *, longest: int) -> re.Match | None:
    """``pattern.search(text, 0, end)`` for a pattern that ends in ``\\s*$`` and whose words are at
    most ``longest`` characters: a match ends at the last character before the trailing
    whitespace, so only the characters before it are searched, not the whole text.

    >>> search_before(re.compile(r"(?:完成时限|时限)[:：]\\s*$"), "任务一。完成时限： 2025年", 10, longest=5).group()
    '完成时限： '
    """
    start = max(0, end - longest - 16)
    if len(text[start:end].rstrip()) < longest:
        start = 0  # the trailing whitespace is long: the match may start further back
    return pattern.search(text, start, end)


class CueWords:
    """An ordered list of cue words, compiled: the first of them (in list order, as a loop over
    the list finds it) that a text has at a position or ends with, and membership.

    >>> cues = CueWords(("平台", "政务服务平台", "台"))
    >>> cues.starting("建设政务服务平台", 2), cues.ending("建设政务服务平台"), "台" in cues
    ('政务服务平台', '平台', True)
    """

    def __init__(self, words: tuple[str, ...]):
        self.words = words
        self._rank: dict[str, int] = {}
        for rank, word in enumerate(words):
            self._rank.setdefault(word, rank)
        self._lengths = sorted({len(word) for word in words})
        # Alternatives are tried in order at one position, so the first word that matches there wins.
        self._pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def __contains__(self, word: str) -> bool:
        return word in self._rank

    def starting(self, text: str, position: int = 0) -> str | None:
        """The first word ``text`` has at ``position``."""
        match = self._pattern.match(text, position) if self._pattern else None
        return match.group() if match else None

    def ending(self, text: str) -> str | None:
        """The first word ``text`` ends with."""
        found = None
        for length in self._lengths:
            if length > len(text):
                break
            rank = self._rank.get(text[len(text) - length:])
            if rank is not None and (found is None or rank < found):
                found = rank
        return None if found is None else self.words[found]
