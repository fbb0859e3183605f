"""Finding administrative divisions in text and resolving names people type.

Names come from ``ontology/divisions.csv`` (GB/T 2260). Short forms are derived by rule:
河南省 → 河南, 青岛市 → 青岛, 阿坝藏族羌族自治州 → 阿坝州 / 阿坝, 广西壮族自治区 → 广西.
County-level divisions are matched by full name only (their short forms are ordinary words).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.core.ontology import Division, divisions

COUNTRY_CODE = "CN"
COUNTRY_NAME = "中国"
COUNTRY_ALIASES = ("中华人民共和国", "全国", "我国", "国家", "国务院", "中共中央")
_PROVINCE = re.compile(r"^(?P<base>[\u4e00-\u9fff]{2,}?)(?:省|市|(?:[\u4e00-\u9fff]{1,4}?族)*自治区|特别行政区)$")
_PREFECTURE_SUFFIX = re.compile(r"(市|地区|盟)$")
_AUTONOMOUS = re.compile(r"^(?P<base>[\u4e00-\u9fff]{2,}?)(?:[\u4e00-\u9fff]{1,4}?族)+自治(?P<kind>州|县|旗)$")
# Full county-level names that are also everyday words; matched only with their parent named before them.
_GENERIC_COUNTY_NAMES = {"城区", "郊区", "矿区", "新区", "市中区", "开发区", "高新区", "经开区"}
# Short forms that are also everyday words (东方红, 新星企业): only the full name (东方市) denotes the city.
_ORDINARY_SHORT_FORMS = {"东方", "新星", "白杨", "双河", "文昌"}


@dataclass(frozen=True)
class RegionMatch:
    start: int  # clean offsets
    end: int
    surface: str
    code: str


def short_forms(division: Division) -> list[str]:
    """Names a document may use for a division besides its full name.

    >>> from kg.core.ontology import Division
    >>> short_forms(Division("513200", "阿坝藏族羌族自治州", "510000", "prefecture"))
    ['阿坝州', '阿坝']
    >>> short_forms(Division("410000", "河南省", None, "province"))
    ['河南']
    """
    name = division.name
    if division.level == "province":
        match = _PROVINCE.match(name)
        return [match["base"]] if match else []
    if division.level == "county" and _directly_under_province(division):
        # 天门市, 济源市, 五指山市: county-level cities directly under a province go by their short name too
        base = _PREFECTURE_SUFFIX.sub("", division.name)
        return ([base] if len(base) >= 2 and base != division.name and division.name.endswith("市")
                and base not in _ORDINARY_SHORT_FORMS else [])
    if division.level == "prefecture":
        autonomous = _AUTONOMOUS.match(name)
        if autonomous:
            return [autonomous["base"] + autonomous["kind"], autonomous["base"]]
        base = _PREFECTURE_SUFFIX.sub("", name)
        return [base] if len(base) >= 2 and base != name else []
    return []


def _directly_under_province(division: Division) -> bool:
    parent = divisions().get(division.parent or "")
    return parent is not None and parent.level == "province"


@functools.lru_cache(maxsize=1)
def name_index() -> dict[str, tuple[str, ...]]:
    """Every full name and short form -> the codes it may denote (most senior level first)."""
    index: dict[str, list[str]] = {}
    for division in divisions().values():
        names = [division.name] + short_forms(division)
        for name in names:
            if (division.level == "county" and (len(name) < 3 or name in _GENERIC_COUNTY_NAMES)
                    and not (_directly_under_province(division) and name != division.name)):
                continue
            index.setdefault(name, []).append(division.code)
    order = {"province": 0, "prefecture": 1, "county": 2}
    return {name: tuple(sorted(codes, key=lambda c: (order[divisions()[c].level], c))) for name, codes in index.items()}


@functools.lru_cache(maxsize=1)
def _division_names():
    from kg.core.matching import LongestMatcher

    return LongestMatcher(name_index())


def ancestors(code: str) -> list[str]:
    """Codes of the parents of a division, nearest first."""
    result, table = [], divisions()
    parent = table[code].parent if code in table else None
    while parent and parent not in result and parent != code:
        result.append(parent)
        parent = table[parent].parent if parent in table else None
    return result


def choose(codes: tuple[str, ...], *, context: str | None) -> str | None:
    """Pick one code for an ambiguous name: the one inside (or equal to) the context region,
    else the most senior candidate if it is the only one at its level, else none."""
    if len(codes) == 1:
        return codes[0]
    if context and context != COUNTRY_CODE:
        if context in codes:
            return context
        inside = [c for c in codes if context in ancestors(c)]
        if len(inside) == 1:
            return inside[0]
    table = divisions()
    senior = [c for c in codes if table[c].level == table[codes[0]].level]
    return codes[0] if len(senior) == 1 else None


def find_regions(text: str, *, context: str | None = None) -> list[RegionMatch]:
    """Division names in ``text``, longest match first, resolved with ``context`` (the code of
    the region the document governs) where a name is ambiguous."""
    return list(_find_regions(text, context))


@functools.lru_cache(maxsize=8192)  # several extractors look at the same sentence
def _find_regions(text: str, context: str | None) -> tuple[RegionMatch, ...]:
    matches = []
    for start, end, name, codes in find_region_names(text):
        code = choose(codes, context=context)
        if code is not None:
            matches.append(RegionMatch(start, end, name, code))
    return tuple(matches)


@functools.lru_cache(maxsize=8192)
def find_region_names(text: str) -> tuple[tuple[int, int, str, tuple[str, ...]], ...]:
    """``(start, end, surface, codes)`` of every division name in ``text``, longest match first,
    with every code the name may denote (吉林 → 吉林省 and 吉林市), most senior first."""
    return _division_names().find(text)


LEVEL_OF_WORD = {"省": "province", "自治区": "province", "市": "prefecture", "州": "prefecture", "盟": "prefecture",
                 "地区": "prefecture", "县": "county", "区": "county", "旗": "county"}


def fits_level(code: str, level: str | None) -> bool:
    """Whether a division is of the level a document speaks at (全市 → prefecture). The four
    municipalities are province-level cities: they speak of 全市 too."""
    if level is None:
        return True
    division = divisions().get(code)
    if division is None:
        return level == "country" and code == COUNTRY_CODE
    if division.level == level:
        return True
    if level == "prefecture" and division.level == "province" and division.name.endswith("市"):
        return True
    return level == "prefecture" and division.level == "county" and _directly_under_province(division)


def resolve_name(name: str) -> list[str]:
    """Codes a user-typed name may denote: a code, a full name, a short form or 中国/全国."""
    name = name.strip()
    if name.upper() == COUNTRY_CODE or name in (COUNTRY_NAME, *COUNTRY_ALIASES):
        return [COUNTRY_CODE]
    if name in divisions():
        return [name]
    return list(name_index().get(name, ()))


def inside_place_name(text: str, position: int) -> bool:
    """Whether a place name runs across ``position`` (…连云港…: a 云 there is the place's, not a
    word of its own)."""
    window = max(0, position - 6)
    return any(window + r.start < position < window + r.end for r in find_regions(text[window:position + 6]))
