"""Which region owns a platform a document names, and the names of regions a platform's name
may start with (stripped from the key its spellings merge under)."""
from __future__ import annotations

import functools
import re

from kg.core.ontology import divisions
from kg.core.regions import COUNTRY_CODE, ancestors, find_regions


@functools.lru_cache(maxsize=8192)  # per mention, read again by other documents of the region
def platform_owner(name: str, sentence: str, region: str | None) -> str | None:
    """Region code owning a platform: the governing document's region; the country for 国家/全国
    names; the province for 省… names, or names that start with the province, in a city's plan.
    A place word inside a name (a city named in a province's 某市黄河大数据中心, a city in a slogan) does not
    move the platform out of the document that states it."""
    named = [m for m in find_regions(name, context=region) if m.start == 0]
    if named and (region is None or named[0].code == region or named[0].code in ancestors(region)):
        return named[0].code
    if name.startswith(("国家", "全国")) or re.search(r"(国家|全国|部级|部委)(统一|级)?$", sentence[: sentence.find(name)] if name in sentence else ""):
        return COUNTRY_CODE
    if region and region != COUNTRY_CODE and name.startswith(("省", "全省")) and divisions()[region].level != "province":
        return divisions()[region].parent
    return region


@functools.lru_cache(maxsize=1024)
def names_of(*codes: str | None) -> tuple[str, ...]:
    """The names of the divisions among ``codes`` (not the country), which platform names may start with."""
    return tuple(divisions()[code].name for code in sorted(set(codes) - {None, COUNTRY_CODE}))
