"""Split a source into documents, and each document into headings and sentences.

A file may hold several articles one after another, as a newsletter issue does. Articles are
told apart by the structure such compilations share: a closing attribution line
（来源：…）ends an article; an editor's note (编者按) opens the next one and precedes its
title; a masthead with an issue line (2023年5月12日 第19期) opens the file. A file with no
attribution lines is one document. Nothing here knows any particular newsletter.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from kg.core.model import Heading, IssueInfo, Segment, Sentence, Source
from kg.core.text import NormText, normalize
from kg.core.ontology import genre_cues

_CN_NUM = "一二三四五六七八九十百零〇"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern], ...] = (
    (1, re.compile(rf"^第[{_CN_NUM}\d]+编")),
    (1, re.compile(rf"^第[{_CN_NUM}\d]+章")),
    (2, re.compile(rf"^第[{_CN_NUM}\d]+节")),
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^（[{_CN_NUM}]+）")),
    (3, re.compile(rf"^第[{_CN_NUM}\d]+条")),
    (3, re.compile(r"^\d{1,3}(?:[.．、](?!\d)|[.．](?=\d{3,}[\u4e00-\u9fff“])|\s)")),  # 3.12345热线…: item 3
    (4, re.compile(r"^（\d{1,3}）")),
    (5, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
)
# All heading patterns in one, tried in the same order: group i + 1 is HEADING_PATTERNS[i].
_ANY_HEADING = re.compile("|".join(f"({pattern.pattern})" for _, pattern in HEADING_PATTERNS))
_SOURCE_LINE = re.compile(r"^（来源：\s*(?P<who>[^）]{2,80})）$")
_EDITOR_NOTE = re.compile(r"^编者按[：:]?")
_ISSUE_LINE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?P<no>第\s*\d+\s*期)(?:\s*(?P<total>总第\s*\d+\s*期))?")
_SENTENCE_END = re.compile(r"[。！？]+[”’）〕】」》]*(?:[〔（][^〔〕（）。]{0,120}?(?:牵头|负责|单位|配合|参与)[^〔〕（）]{0,80}[〕）])?")
_TITLE_STOP = "。；！？：，"
_LINE = re.compile(r"[^\n]+")
_TITLE_END = re.compile(r"[。；]")


class Paragraph(NamedTuple):  # a tuple: made for every line, several times per document
    start: int  # clean offsets
    end: int
    text: str


def paragraphs(norm: NormText, start: int = 0, end: int | None = None) -> list[Paragraph]:
    end = len(norm.text) if end is None else end
    result = []
    for match in _LINE.finditer(norm.text[start:end]):
        line = match.group()
        stripped = line.strip()
        if stripped:
            offset = start + match.start() + (len(line) - len(line.lstrip()))
            result.append(Paragraph(offset, offset + len(stripped), stripped))
    return result


def heading_level(text: str) -> tuple[int, str] | None:
    """``(level, number)`` when a paragraph starts with a heading marker.

    >>> heading_level("（一）推进经济调节数字化。")
    (2, '（一）')
    >>> heading_level("12.加强5G应用安全创新推广中心示范创建。")
    (3, '12.')
    >>> heading_level("2023年新型融合领域") is None
    True
    """
    match = _ANY_HEADING.match(text)
    return (HEADING_PATTERNS[match.lastindex - 1][0], match.group().strip()) if match else None


def is_title_like(text: str) -> bool:
    return (4 <= len(text) <= 90 and text[-1] not in _TITLE_STOP and heading_level(text) is None
            and not _EDITOR_NOTE.match(text) and not _SOURCE_LINE.match(text)
            and sum(ch.isdigit() for ch in text) < len(text) / 2)


def _issue(norm: NormText, paras: list[Paragraph]) -> IssueInfo | None:
    for i, para in enumerate(paras):
        match = _ISSUE_LINE.search(para.text)
        if not match:
            continue
        title = next((p.text for p in paras[:i] if is_title_like(p.text) and not _ISSUE_LINE.search(p.text)), None)
        if title is None:
            return None
        date = f"{int(match['y']):04d}-{int(match['m']):02d}-{int(match['d']):02d}"
        number = re.sub(r"\s", "", match["no"])
        total = re.sub(r"\s", "", match["total"]) if match["total"] else None
        return IssueInfo(title=title, date=date, number=number, total=total, span=norm.span(para.start, para.end))
    return None


def _segment_bounds(paras: list[Paragraph]) -> tuple[list[tuple[int, int, int | None]], int]:
    """Paragraph index ranges ``(first, last, source_line_index)`` of the articles, and how
    many trailing paragraphs follow the last attribution line (back matter, not a document)."""
    closings = [i for i, p in enumerate(paras) if _SOURCE_LINE.match(p.text)]
    if not closings:
        return [(0, len(paras) - 1, None)], 0
    bounds, first = [], 0
    for closing in closings:
        if closing > first:
            bounds.append((first, closing, closing))
        first = closing + 1
    return bounds, len(paras) - first


def _find_title(paras: list[Paragraph], first: int, last: int) -> tuple[int | None, tuple[int, int] | None]:
    """Index of the title paragraph and the span of the editor's note before it, if any."""
    notes = [i for i in range(first, last + 1) if _EDITOR_NOTE.match(paras[i].text)]
    if notes:
        note = notes[-1]
        for i in range(note + 1, last + 1):
            if i > note + 1 and is_title_like(paras[i].text):
                return i, (paras[note].start, paras[i - 1].end)
        return None, None
    for i in range(first, last + 1):
        if is_title_like(paras[i].text):
            return i, None
        if len(paras[i].text) > 90:
            break
    return None, None


def split_documents(source: Source, norm: NormText | None = None) -> list[Segment]:
    """The documents of one source, in order, each with its title, note and closing line."""
    norm = norm or normalize(source.text)
    paras = paragraphs(norm)
    if not paras:
        return []
    issue = None
    bounds, _ = _segment_bounds(paras)
    segments = []
    for index, (first, last, closing) in enumerate(bounds):
        title_at, preface = _find_title(paras, first, last if closing is None else closing - 1)
        if len(bounds) > 1 and index == 0 and preface is not None:
            issue = _issue(norm, paras[first:title_at])
        body_first = title_at if title_at is not None else first
        if preface is not None:
            body_first = min(body_first, next(i for i in range(first, last + 1) if paras[i].start >= preface[0]))
        start = paras[body_first].start
        end = paras[last].end
        segment = Segment(source=source, norm=norm, index=index, start=norm.span(start, end)[0],
                          end=norm.span(start, end)[1])
        title_end = title_at
        while title_end is not None and title_end < last and title_continues(
                " ".join(p.text for p in paras[title_at:title_end + 1]), paras[title_end + 1].text):
            title_end += 1  # a title printed over two lines
        if title_at is not None:
            segment.title = _clean_title("".join(p.text for p in paras[title_at:title_end + 1]))
            segment.title_span = norm.span(paras[title_at].start, paras[title_end].end)
        if preface is not None:
            segment.preface_span = norm.span(*preface)
        if closing is not None:
            who = _SOURCE_LINE.match(paras[closing].text)["who"].strip()
            segment.source_line = who
            segment.source_line_span = norm.span(paras[closing].start, paras[closing].end)
        body_start = paras[title_end].end if title_at is not None else start
        body_end = paras[closing].start if closing is not None else end
        body = paras[title_end + 1 if title_at is not None else body_first:closing if closing is not None else last + 1]
        segment.headings, segment.sentences = structure(norm, body_start, body_end, paras=body)
        segments.append(segment)
    for segment in segments:
        segment.issue = issue
    return segments


_PERIOD_LINE = re.compile(r"^[（(]\s*\d{4}\s*年?\s*[—–\-－~～至到]+\s*\d{4}\s*年?\s*[)）]$")
_TRAILING_BRACKETS = re.compile(r"[（(][^（）()]*[)）]$")


def title_continues(title: str, line: str) -> bool:
    """Whether ``line`` carries on a title printed over two lines: a period on its own
    (（2023—2025年）), or the rest of a title that only then ends in a genre word
    (…数字政府建设 / 实施方案（2023—2025年）; …关于印发… / …规划的通知).

    >>> title_continues("洛阳市加强数字政府建设", "实施方案（2023—2025年）")
    True
    >>> title_continues("数字某市发展规划", "为加快建设数字某市，制定本规划。")
    False
    """
    if _PERIOD_LINE.match(line):
        return not _TRAILING_BRACKETS.search(title)
    if (len(line) > 40 or line[-1] in _TITLE_STOP or heading_level(line) is not None or _SOURCE_LINE.match(line)
            or re.search(r"〔\d{4}〕", line)):
        return False
    return not _ends_in_genre_word(title) and _ends_in_genre_word(title + line)


def _ends_in_genre_word(text: str) -> bool:
    core = _TRAILING_BRACKETS.sub("", re.sub(r"\s", "", text)).rstrip("”\"》」")
    return core.endswith(tuple(cue.word for cue in genre_cues()))


def _clean_title(text: str) -> str:
    return re.sub(r"\s+", "", text) if re.search(r"[\u4e00-\u9fff]", text) else text.strip()


def structure(norm: NormText, start: int, end: int, *,
              paras: list[Paragraph] | None = None) -> tuple[list[Heading], list[Sentence]]:
    """Headings and sentences between clean offsets ``start`` and ``end`` (whose paragraphs the
    caller may give, when it has them)."""
    headings: list[Heading] = []
    sentences: list[Sentence] = []
    stack: list[tuple[int, str, str]] = []  # (level, number, label)
    section: tuple[str, ...] = ()
    item = None
    for para in paragraphs(norm, start, end) if paras is None else paras:
        found = heading_level(para.text)
        if found:
            level, number = found
            rest = para.text[len(number):].lstrip()
            title = _TITLE_END.split(rest, maxsplit=1)[0][:40] if rest else ""
            while stack and stack[-1][0] >= level:
                stack.pop()
            label = f"{number}{title}"
            stack.append((level, number, label))
            o_start, o_end = norm.span(para.start, para.end)
            headings.append(Heading(level, number, title, o_start, o_end))
            section = tuple(label for _, _, label in stack)  # the path changes at headings only
            item = number
        for s_start, s_end in _sentence_spans(para.text):  # positional: ten thousand sentences a hundred documents
            n_start, n_end = para.start + s_start, para.start + s_end
            o_start, o_end = norm.span(n_start, n_end)
            sentences.append(Sentence(o_start, o_end, n_start, n_end, section, item))
    return headings, sentences


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end > position:
            spans.append((position, end))
            position = end
    if position < len(text) and text[position:].strip():
        spans.append((position, len(text)))
    return spans


def section_label(section: tuple[str, ...]) -> str:
    return " › ".join(section)
