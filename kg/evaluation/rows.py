"""One line of an evaluation: a type of thing, gold and predicted counts, precision and recall;
and the constants the scoring shares."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional, Union


QUOTE_CHARS = frozenset("“”\"「」『』‘’'")
QUOTE_PAIRS = (("“", "”"), ("“", '"'), ('"', '"'), ("「", "」"), ("『", "』"))
NUMBER_PUNCTUATION = re.compile(r"[()（）.．、。,，\s]")
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


def make_row(type_: str, gold: int, predicted: int | None, matched: int, checkset: str = "") -> Row:
    return Row(type=type_, gold=gold, predicted=predicted, matched=matched,
               precision=matched / predicted if predicted else None,
               recall=matched / gold if gold else None, checkset=checkset)
