"""Facts about a document from every place its text offers them, each with where it came from.

A person who picks up a government text with no title line still knows at a glance whose it is
and what kind: the speaker says 我代表市人民政府, the addressees are 各市人民政府、省政府各部门,
the text calls itself 本办法, a printing line ends it, the file is called 深圳.txt, and the body
says 全市 and names its city again and again. Each function here reads one such place and
returns what it says with its span (offsets into the normalised text of the source), so the
document entity can carry the quote. ``describe_document`` (documents.py) ranks them:
manifest > title line > transmitting notice > speaker line > printing line / signature >
addressees > file name > body.
"""
from __future__ import annotations

import collections
import datetime
import re
from dataclasses import dataclass

from kg.core.ontology import body_cues, divisions
from kg.core.regions import COUNTRY_ALIASES, LEVEL_OF_WORD, find_region_names, fits_level, resolve_name


@dataclass(frozen=True)
class Fact:
    value: object
    basis: str  # local name of a gk:FactBasis concept without "basis-": "title-line", "speaker-line" …
    span: tuple[int, int] | None = None  # normalised-text offsets of the words that say it


# ---------------------------------------------------------------- the speaker line

# 我代表市人民政府 / 我代表东营市人民政府 / 我代表国务院 / 受市人民政府委托
_SPEAKER = re.compile(r"(?:我代表|受)(?P<who>(?P<place>[\u4e00-\u9fff]{0,16}?)(?:人民政府|国务院|政府))(?:委托)?"
                      r"[，,]?(?:向大会|向本次大会|作政府工作报告|报告)")


def speaker_line(text: str, offset: int = 0) -> tuple[str, str | None, tuple[int, int]] | None:
    """``(place, level, span)`` from a report's speaker line: the place as written (empty for
    国务院 or a bare 市人民政府) and the level it speaks at (country, province, prefecture, county).

    >>> speaker_line("现在，我代表市人民政府向大会报告工作")[:2]
    ('', 'prefecture')
    >>> speaker_line("我代表国务院，向大会报告政府工作")[:2]
    ('', 'country')
    >>> speaker_line("我代表吉林省人民政府向大会报告工作")[:2]
    ('吉林省', 'province')
    """
    match = _SPEAKER.search(text, offset, offset + 3000)
    if not match:
        return None
    place, who = match["place"], match["who"]
    span = (match.start(), match.end())
    if who == "国务院" or place in ("中华人民共和国", "中央"):
        return "", "country", span
    if place in LEVEL_OF_WORD:
        return "", LEVEL_OF_WORD[place], span
    level = next((LEVEL_OF_WORD[word] for word in sorted(LEVEL_OF_WORD, key=len, reverse=True) if place.endswith(word)), None)
    return place, level, span


# ---------------------------------------------------------------- addressees (主送机关)

_ADDRESSEES = re.compile(r"^(?P<to>各[^。\n]{2,120}?)[：:]\s*$", re.M)
_ADDRESSEE_LEVELS = (
    (re.compile(r"各省、自治区、直辖市|各省（区、市）|各省\(区、市\)|国务院各部委|中央和国家机关各部门|新疆生产建设兵团"), "country"),
    (re.compile(r"各市人民政府|各地级市|省政府各部门|省直各部门|各市（州）|各市、州|各盟行政公署|省直有关部门|自治区人民政府各"), "province"),
    (re.compile(r"各县（市、区）|各区、县|各区县|各县市区|市政府各部门|市直各部门|市直有关部门|各县（区）"), "prefecture"),
    (re.compile(r"各乡镇|各街道|县政府各部门|区政府各部门|县直各部门"), "county"),
)


def addressee_level(text: str, start: int = 0) -> tuple[str, tuple[int, int]] | None:
    """The level a document is issued at, from its addressees in its first lines.

    >>> addressee_level("各市人民政府，各县（市、区）人民政府，省政府各部门：\\n现提出如下意见。")[0]
    'province'
    """
    match = _ADDRESSEES.search(text, start, start + 400)
    if not match:
        return None
    for pattern, level in _ADDRESSEE_LEVELS:
        if pattern.search(match["to"]):
            return level, (match.start(), match.end())
    return None


# ---------------------------------------------------------------- printing line, source line, signature

_BODY_NAME = r"[\u4e00-\u9fff（）]{2,40}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|管理局|局|厅|委|部|中心)"
_CN_DIGIT = "〇零一二三四五六七八九十"
_DATE = re.compile(rf"(?P<y>(?:19|20)\d{{2}}|[二][{_CN_DIGIT}]{{3}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_DIGIT}]{{1,2}})\s*月"
                   rf"\s*(?P<d>\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*日")
_PRINTING = re.compile(rf"(?P<issuer>{_BODY_NAME})\s*(?P<date>{_DATE.pattern})\s*印发")
_SOURCE = re.compile(r"^[（(]?(?:来源|信息来源|发布机构|发文机关)[:：]\s*(?P<issuer>[^\n）)]{2,40})[）)]?\s*$", re.M)
_SIGNATURE_BODY = re.compile(rf"^\s*(?P<issuer>{_BODY_NAME})\s*$", re.M)


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    digits = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if len(text) == 4:  # 二〇二四
        return int("".join(str(digits[ch]) for ch in text))
    if "十" in text:  # 十二, 二十三, 十
        tens, _, ones = text.partition("十")
        return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
    return digits[text]


def parse_date(match: re.Match) -> datetime.date | None:
    """The date of a ``_DATE`` match, Arabic or Chinese numerals; None when it is no date."""
    try:
        return datetime.date(_cn_number(match["y"]), _cn_number(match["m"]), _cn_number(match["d"]))
    except (KeyError, ValueError):
        return None


def closing_lines(text: str, start: int, end: int) -> tuple[Fact | None, Fact | None]:
    """``(issuer, date)`` from the end of a document: a printing line (X办公厅 2024年1月5日印发), a
    source line (来源：X), or a signature (a government body's name, then a date line)."""
    window_start = max(start, end - 600)
    printing = None
    if text.find("印发", window_start, end) >= 0:  # every printing line ends so; its pattern is slow to scan
        for printing in _PRINTING.finditer(text, window_start, end):
            pass
    if printing:
        date = parse_date(_DATE.search(printing["date"]))
        span = (printing.start(), printing.end())
        return Fact(printing["issuer"], "printing-line", span), Fact(date, "printing-line", span) if date else None
    source = None
    for source in _SOURCE.finditer(text, window_start, end):
        pass
    tail = text[window_start:end].rstrip()
    lines = [m for m in re.finditer(r"[^\n]+", tail) if m.group().strip()][-3:]
    issuer = date = None
    for index, line in enumerate(lines):
        body = _SIGNATURE_BODY.fullmatch(line.group())
        following = lines[index + 1] if index + 1 < len(lines) else None
        found = _DATE.fullmatch(following.group().strip()) if following else None
        if body and found:
            span = (window_start + line.start(), window_start + following.end())
            issuer = Fact(body["issuer"].strip(), "signature", span)
            parsed = parse_date(found)
            date = Fact(parsed, "signature", span) if parsed else None
    if issuer is None and source:
        issuer = Fact(source["issuer"].strip(), "printing-line", (source.start(), source.end()))
    return issuer, date


# ---------------------------------------------------------------- the level the body speaks at

_LEVEL_WORDS = {
    "province": re.compile(r"全省|我省|本省|省委省政府|省委、省政府|全自治区|全区上下"),
    "prefecture": re.compile(r"全市|我市|本市|市委市政府|市委、市政府|全州|我州|全盟"),
    "county": re.compile(r"全县|我县|本县|县委县政府|县委、县政府|全旗"),
    "country": re.compile(r"我国|各省（区、市）|各地区各部门|各地区、各部门|各地区、各有关部门|各地区各有关部门|各省、自治区、直辖市"
                          r"|全国各地|党中央、国务院|国务院各部门|国务院有关部门|各省级人民政府|中央和国家机关"),
}


def body_level(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The level a document speaks at, by how it refers to its own place (全省, 全市, 我国 …):
    ``(level, count)`` of the most frequent, local levels before the country on a tie."""
    counts = {level: len(pattern.findall(text, start, end)) for level, pattern in _LEVEL_WORDS.items()}
    local = max(("province", "prefecture", "county"), key=lambda level: counts[level])
    if counts[local] >= 2 and counts[local] >= counts["country"] / 3:
        return local, counts[local]
    if counts["country"] >= 2:
        return "country", counts["country"]
    return None


# ---------------------------------------------------------------- regions named in a phrase

_NATIONAL_BODY = re.compile(r"^(?:中共中央|中央|国务院|全国人民代表大会|全国人大|国家[\u4e00-\u9fff]{0,12}?(?:局|委|委员会|院|署|办)"
                            r"|(?:工业和信息化|财政|科学技术|科技|教育|公安|民政|司法|自然资源|生态环境|住房和城乡建设|交通运输"
                            r"|水利|农业农村|商务|文化和旅游|应急管理|人力资源和社会保障)部|中国人民银行|海关总署|市场监管总局"
                            r"|国家发展改革委|发展改革委|中央网信办)")


def national_body(text: str | None) -> bool:
    """Whether a title or an issuer starts with a central party or government body.

    >>> national_body("国家发展改革委等部门关于促进数据产业高质量发展的指导意见")
    True
    >>> national_body("山东省人民政府关于…的意见")
    False
    """
    return bool(text) and (bool(_NATIONAL_BODY.match(text)) or text.startswith(COUNTRY_ALIASES[:2]))


def region_in(text: str | None, level: str | None = None) -> tuple[str, tuple[int, int]] | None:
    """The first division a phrase names, ``(code, span)``, the reading of an ambiguous name
    (吉林: province or city) chosen by the level the document speaks at."""
    if not text:
        return None
    for start, end, _surface, codes in find_region_names(text):
        fitting = [code for code in codes if fits_level(code, level)]
        if fitting:
            return fitting[0], (start, end)
        if level is None or len(codes) == 1:
            return codes[0], (start, end)
    return None


def body_region(text: str, start: int, end: int, level: str | None) -> tuple[str, tuple[int, int]] | None:
    """The division the body names most among those of its level (at least twice), with the
    span of its first mention."""
    counts: collections.Counter = collections.Counter()
    first: dict[str, tuple[int, int]] = {}
    for m_start, m_end, _surface, codes in find_region_names(text[start:end]):
        fitting = [code for code in codes if fits_level(code, level)] if level else [c for c in codes if c.endswith("00")]
        if not fitting:
            continue
        code = fitting[0]
        counts[code] += 1
        first.setdefault(code, (start + m_start, start + m_end))
    if not counts:
        return None
    (code, count), = counts.most_common(1)
    return (code, first[code]) if count >= 2 else None


def file_name_region(name: str, level: str | None = None) -> str | None:
    """The division a file's name names (深圳.txt, 2024_深圳_政府工作报告.docx, 440300.txt).

    >>> file_name_region("2024_深圳_政府工作报告.docx")
    '440300'
    >>> file_name_region("plan_a.txt") is None
    True
    """
    stem = name.rsplit(".", 1)[0]
    for part in re.split(r"[\s_\-.,，、()（）\[\]【】]+", stem):
        if part.isdigit() and len(part) == 6 and part in divisions():
            return part
        found = region_in(part, level)
        if found:
            return found[0]
    return None


def declared_region(value: str) -> str | None:
    """A region a user typed in a manifest: a code, a name or a short form; None when unknown."""
    codes = resolve_name(value)
    return codes[0] if codes else None


# ---------------------------------------------------------------- genre from what the text calls itself

_QUOTED = re.compile(r"《[^》]{0,80}》|“[^”]{0,40}”")


def genre_from_body(text: str, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
    """The genre whose body cues (本办法, 现提出如下意见, 各位代表 …) the text uses most, outside
    titles it cites (《…办法》), with the span of the first use."""
    body = _QUOTED.sub(lambda m: "\0" * len(m.group()), text[start:end])
    counts: collections.Counter = collections.Counter()
    first: dict[str, tuple[int, int]] = {}
    priority: dict[str, int] = {}
    for cue in body_cues():
        index = body.find(cue.word)
        if index < 0:
            continue
        counts[cue.target] += body.count(cue.word)
        priority[cue.target] = cue.priority
        span = (start + index, start + index + len(cue.word))
        first[cue.target] = min(first.get(cue.target, span), span)
    if not counts:
        return None
    genre = max(counts, key=lambda g: (counts[g], priority[g], g))
    return genre, first[genre]
