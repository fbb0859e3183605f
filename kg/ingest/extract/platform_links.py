"""Which initiatives a platform serves: only where the sentence says the platform is for it
(the means, the carrier or the purpose), never because both stand in one enumeration."""
from __future__ import annotations

import functools
import re
from typing import Protocol

from kg.ingest.extract.mentions import find_initiatives


class Span(Protocol):
    """Where a platform is named in the sentence (a PlatformMention, or anything with these)."""

    start: int
    end: int


# The platform is the means: 依托X推进Y, 通过X实现Y, 发挥X作用…实现Y.
_INSTRUMENTAL = re.compile(r"(?:依托|通过|利用|基于|借助|运用|依靠|用好|发挥|以)[^，。；、]{0,6}$")
# The platform is the subject that carries it: X支撑Y, X建成投用，实现Y, X服务于Y.
_CARRIES = re.compile(r"^[^。；、]{0,12}?(?:支撑|支持|服务于|承载|助力|赋能|实现|推进|推动|开展|提供|实行|落实|深化)")
# The initiative is the purpose: 围绕Y优化X, 面向Y建设X; or the platform's attribute: Y…的X.
_PURPOSE = re.compile(r"(?:围绕|聚焦|面向|服务|为)“?$")


# X及其移动端Y: a platform and its own app, linked as one.
COORDINATED = re.compile(r"(?:及其|及|和|与|、)(?:移动端|客户端|APP|小程序)?")


def served_initiatives(sentence: str, mention: Span, initiatives: tuple,
                       others: tuple[tuple[int, int], ...] = ()) -> list[str]:
    """Initiatives the sentence says the platform is for: the platform is the means (依托X推进Y),
    the subject that carries it (X支撑Y), or the initiative is its purpose (围绕Y升级X) or its
    attribute (完善Y的X). Two things that only stand in one enumeration are not linked, and a
    platform named in between (``others``: spans of the sentence's other platforms) takes over.

    >>> from types import SimpleNamespace
    >>> from kg.ingest.extract.mentions import find_initiatives
    >>> m = SimpleNamespace(start=2, end=12)  # 省一体化政务服务平台
    >>> text = "依托省一体化政务服务平台，推进“一网通办”。"
    >>> len(served_initiatives(text, m, find_initiatives(text)))
    1
    >>> text = "建成人口库、法人库、省一体化政务服务平台和社会信用体系。"
    >>> m = SimpleNamespace(start=12, end=22)
    >>> served_initiatives(text, m, find_initiatives(text))
    []
    """
    clause_start = max(sentence.rfind(ch, 0, mention.start) for ch in "，。；：！？、") + 1
    means = bool(_INSTRUMENTAL.search(sentence, clause_start, mention.start))
    served = []
    for start, end, _label, iri in initiatives:
        taken_over = any(min(start, mention.start) < o_start and o_end <= max(end, mention.end) for o_start, o_end in others)
        if taken_over and not (means and start >= mention.end):
            continue
        if start >= mention.end:
            between = sentence[mention.end:start]
            if "；" in between:
                continue  # another clause of the sentence
            carried = _CARRIES.match(between)
            if means or (carried and "，" not in between[carried.end():]):
                served.append(iri)  # the initiative is what the carrying verb governs, not a later clause's
        elif end <= mention.start:
            between = sentence[end:mention.start]
            if re.search(r"[，。；：！？]", between):
                continue
            if _PURPOSE.search(sentence, 0, start) or "的" in between:
                served.append(iri)
    return served


@functools.lru_cache(maxsize=8192)  # per mention, read again by other documents
def served_in_sentence(sentence: str, mention: Span, accepted: tuple) -> tuple[str, ...]:
    """:func:`served_initiatives` of a mention among the platforms ``accepted`` in its sentence
    (itself included); X及其移动端Y share Y's links."""
    others = tuple((m.start, m.end) for m in accepted if m is not mention
                   and not COORDINATED.fullmatch(sentence[mention.end:m.start]))
    return tuple(served_initiatives(sentence, mention, find_initiatives(sentence), others))
