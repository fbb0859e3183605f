"""Quantitative targets (``Goal``) of policy documents: indicator, value or range, unit,
comparator and target year.

A goal is a number with a unit in a sentence of a policy document, such as
``到2025年，政务服务事项全程网办率达到90%以上``. Sentences that report past results
(cue words of ``gk:achieved``) and sections that review the current state (headings that
begin with a cue of ``gk:baseline``) state no goals. Comparator words are the ``gk:textCue``
values of the ``gk:Comparator`` concepts in ``ontology/govkg.ttl``.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from kg.core import iris
from kg.core.model import Extraction, Ref, Sentence
from kg.core.ontology import ontology_graph, text_cues
from kg.core.text import CueWords, search_before
from kg.ingest.segment import heading_level
from kg.ingest.extract.registry import register_extractor
from kg.ingest.extract.context import Collector, DocContext, add_evidence
from kg.ingest.extract.mentions import region_entity

# Units are syntax, not domain vocabulary: measure words and unit symbols that follow a
# number. They stay here as a pattern (the ontology holds words that carry meaning: cues).
_MULTIPLIERS = ("万亿", "千亿", "百亿", "亿", "千万", "百万", "十万", "万", "千")
_MEASURE_WORDS = ("个百分点", "个", "项", "家", "户", "人次", "人", "名", "条", "所", "座", "台", "套", "张", "辆",
                  "款", "部", "次", "件", "元", "吨", "千瓦", "兆瓦", "公里", "千米", "平方公里", "平方米", "公顷",
                  "亩", "米", "毫秒", "微秒", "秒", "倍", "兆", "场", "处", "批", "栋", "间", "宗", "只", "床", "所")
_SYMBOLS = ("%", "‰", "EFLOPS", "PFLOPS", "TFLOPS", "Tbps", "Gbps", "Mbps", "EB", "PB", "TB", "GB", "MB", "M")
# Words after which a number with a classifier is a count of things (a noun follows).
_CLASSIFIERS = frozenset({"个", "项", "家", "户", "人次", "人", "名", "条", "所", "座", "台", "套", "张", "辆", "款",
                          "部", "件", "场", "处", "批", "栋", "间", "宗", "只", "床"})


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


UNIT = "(?:{})".format(_alternation(
    [m + w for m in ("", *_MULTIPLIERS) for w in _MEASURE_WORDS] + list(_SYMBOLS) + list(_MULTIPLIERS)))
NUMBER = r"\d+(?:\.\d+)?"
RANGE_DASH = "至到~～—–－-"
# The low number's first digit comes before the lookbehind that checks what precedes it, so the
# scan skips to digits instead of trying the pattern at every position.
QUANTITY = re.compile(
    rf"(?P<low>\d(?<![\d.A-Za-z]\d)\d*(?:\.\d+)?)(?:\s*%?\s*[{RANGE_DASH}]\s*(?P<high>{NUMBER}))?"
    rf"\s*(?P<approx>多|余)?\s*(?P<unit>{UNIT})(?![A-Za-z])")
_DIGIT = re.compile(r"\d")
# A number so introduced is an ordinal, a rate's base or a reference, never a target.
_NOT_BEFORE = re.compile(r"(?:第|每|前|附件|附表|图|表)\s*$")
# A count of days, months ... is a time limit (10个工作日内), not a target.
_DURATION_AFTER = re.compile(r"^(?:工作日|日|天|月|年|小时|周|季度|学时|分钟)")
_CLAUSE_BREAK = re.compile(r"[，。；：！？,;:]|、(?=\s*\d)")
_TITLE = re.compile(r"《[^《》]*》")
_LEADING_JOINERS = "且并或和、"
_TRAILING_JOINERS = "且并或和及与、"
_MODALS = "需要应将须均"
_YEAR = r"(?:19|20)\d{2}\s*年\s*(?:底前|末前|以前|前|底|末)?"
_PLAN_END = r"[“\"]?十(?P<n>[一二三四五六七八九])五[”\"]?\s*(?:时期)?期?末"  # 到“十四五”末
_TARGET_YEAR = re.compile(r"(?P<pre>[到至])?\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?P<post>底前|末前|以前|前|底|末)?")
_FIVE_YEAR_PLAN_END = re.compile(rf"[到至]?\s*{_PLAN_END}")
_LEADING_TIME = re.compile(rf"^\s*(?:力争)?\s*[到至在]?\s*(?:{_YEAR}|{_PLAN_END.replace('?P<n>', '')})[，,]?")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*(?:牵头|负责|配合)[^（）()]*[)）]$")
_CHINESE_DIGITS = "一二三四五六七八九"
MAX_INDICATOR = 30
_SYMBOL_OF = {"atLeast": "≥", "moreThan": ">", "reach": "=", "atMost": "≤", "approximately": "≈"}


@dataclass(frozen=True)
class Quantity:
    """A number with its unit in a piece of text; offsets are into that text."""

    start: int  # first character of the number (or of the comparator word before it)
    end: int  # after the unit and any comparator word after it
    number_start: int
    low: Decimal
    high: Decimal | None  # set for ranges "2至3个"
    unit: str
    comparator: str | None  # comparator concept IRI


# ---------------------------------------------------------------- cue words from the ontology


def _instances(class_local: str) -> frozenset[str]:
    from rdflib import RDF, URIRef

    return frozenset(str(s) for s in ontology_graph().subjects(RDF.type, URIRef(iris.term(class_local))))


@functools.lru_cache(maxsize=None)
def cue_words(*targets: str) -> tuple[str, ...]:
    """The ``gk:textCue`` words of the given concept IRIs, longest first."""
    return tuple(c.word for c in text_cues() if c.target in targets)


@functools.lru_cache(maxsize=1)
def comparator_cues() -> tuple[tuple[str, str], ...]:
    """``(word, comparator IRI)`` for every comparator cue, longest (then highest priority) first."""
    comparators = _instances("Comparator")
    return tuple((c.word, c.target) for c in text_cues() if c.target in comparators)


def _cue_pattern(word: str) -> str:
    """A cue as a regex: "…" stands for a few characters within one clause (连续…年, 较…增长)."""
    return "[^，。；！？]{0,12}?".join(re.escape(part) for part in word.split("…"))


@functools.lru_cache(maxsize=None)
def _cue_regex(*targets: str) -> re.Pattern | None:
    words = cue_words(*targets)
    return re.compile("|".join(_cue_pattern(w) for w in words)) if words else None


def has_cue(text: str, *targets: str) -> bool:
    pattern = _cue_regex(*targets)
    return bool(pattern and pattern.search(text))


@functools.lru_cache(maxsize=1)
def _comparator_words() -> tuple[CueWords, dict[str, str]]:
    """The comparator words compiled in their order, and the IRI of each word's first cue."""
    iri_of: dict[str, str] = {}
    for word, iri in comparator_cues():
        iri_of.setdefault(word, iri)
    return CueWords(tuple(word for word, _ in comparator_cues())), iri_of


def comparator_before(text: str) -> tuple[str, str] | None:
    """``(cue, IRI)`` when ``text`` ends with a comparator word (the first such in cue order)."""
    words, iri_of = _comparator_words()
    word = words.ending(text.rstrip())
    return None if word is None else (word, iri_of[word])


def comparator_after(text: str) -> tuple[str, str] | None:
    """``(cue, IRI)`` when ``text`` starts with a comparator word (the first such in cue order)."""
    words, iri_of = _comparator_words()
    word = words.starting(text.lstrip())
    return None if word is None else (word, iri_of[word])


_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年(?:主要)?")


@functools.lru_cache(maxsize=1024)  # a document's sentences share a few section paths
def in_baseline_section(section: tuple[str, ...]) -> bool:
    """Whether a heading of the section path begins with a ``gk:baseline`` cue (发展现状 …)."""
    cues = cue_words(iris.term("baseline"))
    for label in section:
        found = heading_level(label)
        title = label[len(found[1]):].lstrip() if found else label
        title = _LEADING_YEAR.sub("", title)  # 2023年工作回顾, 2023年主要工作回顾
        if title.startswith(cues):
            return True
    return False


# ---------------------------------------------------------------- numbers, units and comparators


def parse_decimal(text: str) -> Decimal:
    """The value of a number as written (ASCII digits and one decimal point).

    >>> parse_decimal("1.6")
    Decimal('1.6')
    """
    return Decimal(text.strip())


def find_quantities(text: str) -> list[Quantity]:
    """Numbers with units in ``text`` that may be targets, with their comparators.

    >>> [(str(q.low), q.unit) for q in find_quantities("基础算力水平达到1.6EFLOPS，推广5G、IPv6")]
    [('1.6', 'EFLOPS')]
    >>> q = find_quantities("形成2至3个具有全国竞争力的数字产业集群")[0]
    >>> (q.low, q.high, q.unit, q.comparator)
    (Decimal('2'), Decimal('3'), '个', None)
    """
    return list(_quantities(text))


@functools.lru_cache(maxsize=8192)  # per sentence, read again by other documents
def _quantities(text: str) -> tuple[Quantity, ...]:
    if not _DIGIT.search(text):
        return ()  # every quantity starts with a digit; the pattern's lookbehind slows its scan
    titles = [m.span() for m in _TITLE.finditer(text)]
    found = []
    for match in QUANTITY.finditer(text):
        before, after = text[:match.start()], text[match.end():]
        if search_before(_NOT_BEFORE, text, match.start(), longest=2) or _DURATION_AFTER.match(after):
            continue
        if any(a < match.start() < b for a, b in titles):
            continue
        low, high = parse_decimal(match["low"]), match["high"]
        if high is not None and parse_decimal(high) <= low:
            continue  # 2023-2025 and other non-ranges
        start, end, comparator = match.start(), match.end(), None
        suffix = comparator_after(after)
        if suffix:
            end = match.end() + (len(after) - len(after.lstrip())) + len(suffix[0])
            comparator = suffix[1]
        elif match["approx"]:  # 40多个, 100余家
            approx = comparator_after(match["approx"])
            comparator = approx[1] if approx else None
        else:
            prefix = comparator_before(before)
            if prefix:
                start = len(before.rstrip()) - len(prefix[0])
                comparator = prefix[1]
        found.append(Quantity(start=start, end=end, number_start=match.start(),
                              low=low, high=parse_decimal(high) if high is not None else None,
                              unit=match["unit"], comparator=comparator))
    return tuple(found)


# ---------------------------------------------------------------- target years and past results


def five_year_plan_end(numeral: str) -> int:
    """Last year of the n-th five-year plan (十四五 -> 2025), valid from the sixth plan on."""
    return 1955 + 5 * (10 + _CHINESE_DIGITS.index(numeral) + 1)


def target_years(text: str) -> list[tuple[int, int]]:
    """``(position, year)`` of every phrase in ``text`` that sets a target year.

    >>> [year for _, year in target_years("到2025年，建成…；2024年底前完成；截至2022年底；2023至2026年；到“十三五”末")]
    [2025, 2024, 2020]
    """
    return _target_years(text, len(text))


_NUMBER_OR_CUTOFF_BEFORE = re.compile(r"[\d截]$")


def _target_years(text: str, end: int) -> list[tuple[int, int]]:
    """:func:`target_years` of ``text[:end]``."""
    found = []
    for pattern, (starts, ends, counts, phrases) in zip((_TARGET_YEAR, _FIVE_YEAR_PLAN_END), _year_phrases(text)):
        # The patterns look neither behind nor ahead, so a match in the whole text that ends by
        # ``end`` is found in ``text[:end]`` too, and so is everything before it, and where the
        # whole text has no match ``text[:end]`` has none. Only from a match that ``end`` cuts (it
        # may match shorter there) is ``text[:end]`` scanned again.
        kept = bisect.bisect_right(ends, end)
        found += phrases[:counts[kept]]
        if kept < len(starts) and starts[kept] < end:
            found += [phrase for match in pattern.finditer(text, starts[kept], end)
                      if (phrase := _year_phrase(text, match)) is not None]
    return sorted(found)


@functools.lru_cache(maxsize=64)  # each goal of a paragraph looks back over the same paragraph
def _year_phrases(text: str) -> tuple[tuple[list[int], list[int], list[int], list[tuple[int, int]]], ...]:
    """For each year pattern: the starts and ends of its matches in ``text``, how many of the first
    i matches set a target year, and ``(position, year)`` of those."""
    result = []
    for pattern in (_TARGET_YEAR, _FIVE_YEAR_PLAN_END):
        starts, ends, counts, phrases = [], [], [0], []
        for match in pattern.finditer(text):
            phrase = _year_phrase(text, match)
            if phrase is not None:
                phrases.append(phrase)
            starts.append(match.start())
            ends.append(match.end())
            counts.append(len(phrases))
        result.append((starts, ends, counts, phrases))
    return tuple(result)


def _year_phrase(text: str, match: re.Match) -> tuple[int, int] | None:
    """``(position, year)`` when a match of a year pattern sets a target year."""
    start = match.start()
    if match.re is _FIVE_YEAR_PLAN_END:
        return start, five_year_plan_end(match["n"])
    pre, post = match["pre"], match["post"]
    if pre in ("到", "至") and not _NUMBER_OR_CUTOFF_BEFORE.search(text, max(0, start - 2), start):
        return start, int(match["year"])
    if post and not text.endswith("截", 0, start):
        return start, int(match["year"])
    return None


_SENTENCE_BREAK = re.compile(r"[。；;]")


def target_year_before(text: str, end: int | None = None) -> int | None:
    """The nearest target year stated in ``text[:end]`` (the text before a number) that still
    holds there: 到2026年 holds for its whole paragraph, a deadline (2024年底前) only to the end
    of its sentence.

    >>> target_year_before("到2026年，建成A。2024年底前，实现B。培育")
    2026
    >>> target_year_before("到2026年，建成A。2024年底前，实现")
    2024
    """
    end = len(text) if end is None else end
    for position, year in reversed(_target_years(text, end)):
        deadline = text[position] not in "到至"
        if deadline and _SENTENCE_BREAK.search(text, position, end):
            continue  # a deadline stated in an earlier sentence
        return year
    return None


def single_year(period_start: int | None, period_end: int | None) -> int | None:
    """The year a goal stated without one is due: the document's period when that is one year
    (数字山东2021行动方案). In a plan for 2023—2025 such a goal may be due in any of its years, so
    none is asserted (the check sets annotate these goals without a year).

    >>> single_year(2021, 2021), single_year(2023, 2025)
    (2021, None)
    """
    return period_end if period_end is not None and period_start == period_end else None


def reports_past_result(sentence: str, period_start: int | None = None) -> bool:
    """Whether a sentence reports what was achieved (已建成, 截至…, 同比增长 …) rather than a
    target. A target year not before the document's period keeps 累计建成 … a target.

    >>> reports_past_result("截至2022年底，已建成5G基站3万个。")
    True
    >>> reports_past_result("到2025年，累计建成5G基站10万个。", 2023)
    False
    """
    if not has_cue(sentence, iris.term("achieved")):
        return False
    if period_start is None:
        return True
    return not any(year >= period_start for _, year in target_years(sentence))


_STATED_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年")


@functools.lru_cache(maxsize=8192)  # per sentence, read again by other documents
def past_tense(sentence: str, period_start: int | None, *, policy: bool) -> bool:
    """Whether the figures of a sentence are results, not targets.

    A sentence reports results when it has a cue of ``gk:achieved`` (已建成, 过去一年 …) and no
    target year in the document's period; when every year it names is before the document's
    first year (2023年，全市完成… in a report for 2024) and nothing marks a target; and, in a
    text that is no policy (commentary, statistics), unless a ``gk:targeted`` cue (力争, 目标 …)
    or a target year marks it.

    >>> past_tense("2023年，全市地区生产总值增长6.1%。", 2024, policy=True)
    True
    >>> past_tense("全市地区生产总值增长5.5%左右。", 2024, policy=True)
    False
    >>> past_tense("全年软件业务收入达到1000亿元。", None, policy=False)
    True
    """
    if reports_past_result(sentence, period_start):
        return True
    targeted = has_cue(sentence, iris.term("targeted"))
    if period_start is not None and not targeted:
        years = [int(m["year"]) for m in _STATED_YEAR.finditer(sentence)]
        if years and max(years) < period_start:
            return True
    if not policy:
        return not targeted and not any(year >= (period_start or 0) for _, year in target_years(sentence))
    return False


# ---------------------------------------------------------------- indicators


def _clause_start(text: str, position: int) -> int:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, position)]
    return breaks[-1] if breaks else 0


def _clause_end(text: str, position: int) -> int:
    match = _CLAUSE_BREAK.search(text, position)
    return match.start() if match else len(text)


def _strip_time(text: str) -> str:
    """``text`` without a target-year phrase at its start (到2025年 …)."""
    return _LEADING_TIME.sub("", text)


def _strip_unbalanced_quotes(text: str) -> str:
    if text.startswith("“") and "”" not in text:
        text = text[1:]
    if text.endswith("”") and "“" not in text:
        text = text[:-1]
    return text


def _clean_indicator(text: str) -> str:
    text = _TRAILING_NOTE.sub("", text.strip())
    text = _strip_time(text).strip()
    text = text.lstrip(_LEADING_JOINERS + "的 ").rstrip(_TRAILING_JOINERS + _MODALS + "的 ")
    return _strip_unbalanced_quotes(text)


def _head(text: str, start: int, quantity: Quantity) -> str:
    head = _clean_indicator(text[start:quantity.start])
    trailing = comparator_before(head)  # 占比达到 | 90%以上: the cue after the number won
    if trailing and len(trailing[0]) > 1:
        head = _clean_indicator(head[:-len(trailing[0])])
    leading = comparator_after(head)  # 培育智能工厂… -> 智能工厂…; one-character cues are word parts (达标率)
    if leading and len(leading[0]) > 1 and len(head) > len(leading[0]) + 1:
        head = _clean_indicator(head[len(leading[0]):])
    return head[-MAX_INDICATOR:]


def _tail(text: str, quantity: Quantity, stop: int) -> str:
    return _clean_indicator(text[quantity.end:stop])[:MAX_INDICATOR]


def indicators(text: str, quantities: list[Quantity]) -> list[str]:
    """A short noun phrase for what each quantity measures.

    The phrase before the number (``X率达到90%``) names what is measured, unless the number
    counts things named after it (``培养300名…校长``, ``80%以上的家庭…``).

    >>> indicators("到2025年，港口专业干散货设备自动率达到100%", find_quantities("到2025年，港口专业干散货设备自动率达到100%"))
    ['港口专业干散货设备自动率']
    """
    result = []
    previous_stop = 0  # a quantity's phrase starts after the previous one's
    for index, quantity in enumerate(quantities):
        start = max(_clause_start(text, quantity.start), previous_stop)
        stop = _clause_end(text, quantity.end)
        following = quantities[index + 1] if index + 1 < len(quantities) else None
        if following and following.start < stop:  # 1200项或…占比达到85%: cut at the joining word
            between = text[quantity.end:following.start]
            stop = quantity.end + next((i for i, ch in enumerate(between) if ch in _TRAILING_JOINERS), len(between))
        head, tail = _head(text, start, quantity), _tail(text, quantity, stop)
        counts_things = quantity.unit.lstrip("".join(_MULTIPLIERS)) in _CLASSIFIERS
        result.append(tail if counts_things and tail else head or tail)
        previous_stop = max(stop, quantity.end)
    return result


def format_value(value: Decimal) -> str:
    """A Decimal as plain digits (no exponent)."""
    return format(value, "f")


def goal_label(indicator: str, quantity: Quantity) -> str:
    """``政务服务事项全程网办率 ≥ 90%``."""
    value = format_value(quantity.low) + (f"–{format_value(quantity.high)}" if quantity.high is not None else "")
    symbol = _SYMBOL_OF.get(quantity.comparator.rsplit("#", 1)[-1], "") if quantity.comparator else ""
    return f"{indicator} {symbol} {value}{quantity.unit}" if symbol else f"{indicator} {value}{quantity.unit}"


# ---------------------------------------------------------------- the extractor


def _paragraph_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _goal(context: DocContext, collect: Collector, sentence: Sentence, quantity: Quantity, indicator: str,
          year: int | None) -> None:
    text = context.norm.text
    base = sentence.norm_start
    o_start, o_end = context.norm.span(base + quantity.number_start, base + quantity.end)
    goal = collect.entity(iris.goal(context.iri, o_start, o_end), "Goal", label=goal_label(indicator, quantity))
    goal.add("gk:indicator", indicator)
    if quantity.high is None:
        goal.add("schema:value", quantity.low)
    else:
        goal.add("schema:minValue", quantity.low)
        goal.add("schema:maxValue", quantity.high)
    goal.add("schema:unitText", quantity.unit)
    if quantity.comparator:
        goal.add("gk:comparator", Ref(quantity.comparator))
    if year is not None:
        goal.add("gk:targetYear", year)
    if context.region_code:
        region_entity(collect, context.region_code)
        goal.add("gk:inRegion", Ref(context.region_iri))
    goal.add("gk:statedIn", Ref(context.iri))
    sentence_text = text[base:sentence.norm_end]
    clause_start = _clause_start(sentence_text, quantity.start)
    clause_end = max(_clause_end(sentence_text, quantity.end), quantity.end)
    add_evidence(goal, context.evidence(base + clause_start, base + clause_end, sentence.section))


@register_extractor("goals")
def extract_goals(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    text = context.norm.text
    period_start = extraction.document.first("gk:periodStart")
    default_year = single_year(period_start, extraction.document.first("gk:periodEnd"))
    for sentence, sentence_text in zip(context.body_sentences(), context.sentence_texts()):
        quantities = find_quantities(sentence_text)  # first: most sentences hold none, and the tests below are pure
        if not quantities:
            continue
        if in_baseline_section(sentence.section) or past_tense(sentence_text, period_start, policy=context.is_policy):
            continue
        if (context.review_end is not None and sentence.norm_start < context.review_end
                and not any(year >= (period_start or 0) for _, year in target_years(sentence_text))):
            continue  # a work report's review of last year: results, unless it names a target year
        paragraph_start = _paragraph_start(text, sentence.norm_start)
        paragraph_end = text.find("\n", sentence.norm_start)
        paragraph = text[paragraph_start:paragraph_end if paragraph_end >= 0 else len(text)]
        for quantity, indicator in zip(quantities, indicators(sentence_text, quantities)):
            if not indicator:
                continue
            year = target_year_before(paragraph, sentence.norm_start + quantity.number_start - paragraph_start)
            _goal(context, collect, sentence, quantity, indicator, year if year is not None else default_year)
