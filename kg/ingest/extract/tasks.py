"""Tasks: the numbered items of a plan's task sections, with units, deadlines and what they concern.

A task is a numbered item (（一） 1. （1） …) with no numbered items below it, in a section that is
not a preamble or an implementation section (总体要求, 保障措施 …). Regulations (办法, 条例) state
provisions, not tasks. Deadlines: 于2023年6月30日前 → 2023-06-30, 2023年6月底前 → 2023-06-30,
2023年底前 → 2023-12-31, 年底前 → the end of the plan's first year; cycles (每季度, 次月10日前)
are kept as text.
"""
from __future__ import annotations

import bisect
import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from kg.core import iris
from kg.core.model import Extraction, Heading, Ref
from kg.core.text import search_before
from kg.ingest.extract.registry import register_extractor
from kg.ingest.extract.context import Collector, DocContext, add_evidence, has_room
from kg.ingest.extract.departments import department_entity, notes_in
from kg.ingest.extract.mentions import find_initiatives
from kg.ingest.segment import paragraphs

# Top-level sections whose items are context, not tasks.
NON_TASK_SECTIONS = ("总体要求", "指导思想", "基本原则", "发展现状", "面临形势", "形势", "保障措施", "组织实施", "工作要求",
                     "工作安排", "附则", "总则", "工作目标", "主要目标", "发展目标", "实施步骤", "进度安排", "职责分工",
                     "监督管理", "法律责任", "组织保障", "保障机制", "工作原则", "基本情况", "背景",
                     "考评方式", "考核方式", "考评程序", "考核程序", "结果运用", "评分办法", "计分方法", "考核组织")
_NON_TASK_SECTION = re.compile("|".join(map(re.escape, NON_TASK_SECTIONS)))
# Genres that state provisions, not a list of tasks: an item is a task there only with a note or deadline.
PROVISION_GENRES = ("Regulation", "Article", "Notice", "Decision", "Speech")
# The review of past work in a report (一、2023年工作回顾, 过去五年工作回顾): results, not tasks or goals.
REVIEW_SECTION = re.compile(r"回顾|过去(?:一|五|的一)年|工作总结|主要成效|取得的成绩")

_DATE = re.compile(r"(?P<y>20\d{2})年(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])日")
_MONTH_END = re.compile(r"(?P<y>20\d{2})年(?P<m>1[0-2]|0?[1-9])月(?:底|末)")
_YEAR_END = re.compile(r"(?P<y>20\d{2})年(?:底|年底|末|年末)")
# 力争到2025年: by the end of 2025. (Each branch starts with a literal, so the scan skips to them.)
_BY_YEAR = re.compile(r"(?:力争到|争取到|确保到|到)(?P<y>20\d{2})年(?![底末\d])")
_HALF = re.compile(r"(?P<y>20\d{2})年(?P<h>上|下)半年")
_BARE_YEAR_END = re.compile(r"(?:今年(?<![年\d]今年)|年(?<![年\d]年))(?:底|末)(?:前|之前)")
_RECURRING = re.compile(r"每(?:年|季度|半年|月|周|日|天)(?:[^，。；]{0,16}?\d{1,2}日(?:前|之前))?|次月\d{1,2}日(?:前|之前)")
_DEADLINE_CUE = re.compile(r"(?:前|之前|以前|完成|底前|截止)")
_TIME_LABEL = re.compile(r"(?:完成时间|完成时限|时间节点|时限要求|时限|截止时间|完成期限)[:：]\s*$")
_YEAR_MENTION = re.compile(r"20\d{2}年")
_MONTH = re.compile(r"(?P<y>20\d{2})年(?P<m>1[0-2]|0?[1-9])月(?![\d底末])")


@dataclass(frozen=True)
class Deadline:
    date: datetime.date | None
    text: str
    start: int  # clean offsets within the text parsed
    end: int


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadlines(text: str, *, plan_year: int | None = None) -> list[Deadline]:
    """Deadlines stated in ``text``: dates (with 前/完成 around them) and recurring cycles.

    >>> [(d.date.isoformat(), d.text) for d in parse_deadlines("于2023年6月30日前完成定级备案。")]
    [('2023-06-30', '2023年6月30日前')]
    >>> [(d.date.isoformat(), d.text) for d in parse_deadlines("力争到2025年，产业规模突破1万亿元。")]
    [('2025-12-31', '力争到2025年')]
    >>> [(d.date, d.text) for d in parse_deadlines("每季度结束后的次月15日前报送。")]
    [(None, '每季度结束后的次月15日前')]
    """
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []

    def add(date, start, end):
        if any(s < end and start < e for s, e in taken):
            return
        # Extend over the cue that makes it a deadline (前, 之前, 完成).
        cue = _DEADLINE_CUE.match(text, end)
        labelled = _time_labelled(text, start)
        if (date is not None and not cue and not labelled and not text[start:end].endswith("前") and "到" not in text[start:end]
                and not re.search(r"(于|在|到|至|截至)$", text[max(0, start - 2):start])):
            return
        end = cue.end() if cue and cue.group() != "完成" else end
        taken.append((start, end))
        found.append(Deadline(date, text[start:end], start, end))

    if _YEAR_MENTION.search(text):  # every dated pattern holds a year (2025年); many texts hold none
        for match in _DATE.finditer(text):
            try:
                add(datetime.date(int(match["y"]), int(match["m"]), int(match["d"])), match.start(), match.end())
            except ValueError:
                continue
        for match in _MONTH_END.finditer(text):
            add(_last_day(int(match["y"]), int(match["m"])), match.start(), match.end())
        for match in _MONTH.finditer(text):  # 完成时间：2025年6月 → the end of that month, after a time label only
            if _time_labelled(text, match.start()):
                add(_last_day(int(match["y"]), int(match["m"])), match.start(), match.end())
        for match in _YEAR_END.finditer(text):
            add(datetime.date(int(match["y"]), 12, 31), match.start(), match.end())
        for match in _BY_YEAR.finditer(text):
            add(datetime.date(int(match["y"]), 12, 31), match.start(), match.end())
        for match in _HALF.finditer(text):
            year = int(match["y"])
            add(datetime.date(year, 6, 30) if match["h"] == "上" else datetime.date(year, 12, 31), match.start(), match.end())
    if plan_year and ("年底" in text or "年末" in text):  # in every bare year end
        for match in _BARE_YEAR_END.finditer(text):
            add(datetime.date(plan_year, 12, 31), match.start(), match.end())
    for match in _RECURRING.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e in taken):
            taken.append((match.start(), match.end()))
            found.append(Deadline(None, match.group(), match.start(), match.end()))
    return sorted(found, key=lambda d: d.start)


@functools.lru_cache(maxsize=4096)  # per task's text, read again by other documents
def _task_deadlines(text: str, plan_year: int | None) -> tuple[Deadline, ...]:
    return tuple(parse_deadlines(text, plan_year=plan_year))


def _time_labelled(text: str, position: int) -> bool:
    """Whether a time label (完成时限：) ends right before ``position``."""
    return bool(search_before(_TIME_LABEL, text, position, longest=5))


def task_number(heading: Heading) -> str:
    """The number as printed, without its brackets and dot: "12." → "12", "（三）" → "三"."""
    return _bare_number(heading.number)


@functools.lru_cache(maxsize=1024)
def _bare_number(number: str) -> str:
    return re.sub(r"[（）().．、第章节条\s]", "", number)


def task_headings(headings: list[Heading], *, genre: str = "Plan") -> list[tuple[Heading, tuple[Heading, ...], int, bool]]:
    """``(heading, ancestors, index, in_task_section)`` of every numbered item that may be a task.

    In a work report, the numbered headings of the year's work (not of the review); elsewhere
    every numbered leaf item, flagged by whether it stands in a task section of a plan-like
    document. The caller keeps an unflagged item only when it carries a responsibility note or
    a dated deadline (a task in an annex, a table, an assessment scheme or a regulation).
    """
    result = []
    stack: list[Heading] = []
    plan_like = genre not in PROVISION_GENRES
    for index, heading in enumerate(headings):
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        ancestors = tuple(stack)
        stack.append(heading)
        following = headings[index + 1] if index + 1 < len(headings) else None
        is_leaf = following is None or following.level <= heading.level
        top = ancestors[0] if ancestors else heading
        if genre == "WorkReport":
            general = any(cue in top.title for cue in ("总体要求", "预期目标")) and not re.search(r"任务|工作|安排|举措", top.title)
            if heading.level == 2 and ancestors and not REVIEW_SECTION.search(top.title) and not general:
                result.append((heading, ancestors, index, True))
            continue
        if heading.level < 2 or not is_leaf:
            continue
        in_task_section = plan_like and not any(_NON_TASK_SECTION.search(a.title) for a in (top, *ancestors))
        result.append((heading, ancestors, index, in_task_section))
    return result


# A task table's header: a column of tasks and a column of responsible units (序号 重点任务 牵头单位 …).
_TASK_COLUMN = re.compile(r"任务|事项|工作内容|举措|措施|内容|考核指标|考核内容|指标")
_LEAD_COLUMN = re.compile(r"牵头|责任单位|责任部门|主办|考核单位")
_SUPPORT_COLUMN = re.compile(r"配合|参与|协办|协同|参加")
_TIME_COLUMN = re.compile(r"时限|时间|期限|进度")
_CELL_BREAK = re.compile(r"[\t　]+| {2,}|\s*[|｜]\s*")
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.．、]?$")


@dataclass(frozen=True)
class TableRow:
    number: str
    task: str
    lead: str
    support: str
    time: str
    start: int  # clean offsets of the row
    end: int


def table_rows(context: DocContext) -> list[TableRow]:
    """Rows of task tables (annexes, assessment schemes): after a header row naming a task column
    and a unit column, every row that starts with a number, its cells split where the original
    text separates them (tabs, ideographic spaces, two spaces, bars)."""

    norm = context.norm
    segment = context.segment
    rows, columns = [], None
    start, end = norm.to_clean(segment.start), norm.to_clean(segment.end)
    first = _first_header_line(norm, start, end)
    if first is None:
        return rows  # no header row: no table
    for paragraph in paragraphs(norm, first, end):
        if columns is None and not _LEAD_COLUMN.search(paragraph.text):
            continue  # no table open and no header here (a header names a unit column; cleaning keeps its words)
        cells = _cells(norm, paragraph)
        header = _columns(cells)
        if header is not None:
            columns = header
            continue
        if columns is None:
            continue
        if len(cells) < 3 or not _ROW_NUMBER.match(cells[0]):
            if not (len(cells) >= 3):
                columns = None  # the table has ended
            continue
        cell = lambda key: cells[columns[key]] if columns.get(key) is not None and columns[key] < len(cells) else ""
        rows.append(TableRow(number=re.sub(r"[.．、]", "", cells[0]), task=cell("task"), lead=cell("lead"),
                             support=cell("support"), time=cell("time"), start=paragraph.start, end=paragraph.end))
    return rows


def _cells(norm, paragraph) -> list[str]:
    row = norm.quote(paragraph.start, paragraph.end)
    return [c.strip() for c in _CELL_BREAK.split(row.strip()) if c.strip()]


def _columns(cells: list[str]) -> dict | None:
    """The columns a header row names: a task column and a unit column, among three or more short cells."""
    if len(cells) >= 3 and any(_TASK_COLUMN.search(c) for c in cells) and any(_LEAD_COLUMN.search(c) for c in cells) \
            and all(len(c) <= 12 for c in cells):
        return {"task": next(i for i, c in enumerate(cells) if _TASK_COLUMN.search(c)),
                "lead": next(i for i, c in enumerate(cells) if _LEAD_COLUMN.search(c)),
                "support": next((i for i, c in enumerate(cells) if _SUPPORT_COLUMN.search(c)), None),
                "time": next((i for i, c in enumerate(cells) if _TIME_COLUMN.search(c)), None)}
    return None


def _first_header_line(norm, start: int, end: int) -> int | None:
    """Where the line of the first header row between clean offsets ``start`` and ``end`` starts:
    only lines that name a unit column are read (most documents have no table)."""
    text, line_end = norm.text, start
    for match in _LEAD_COLUMN.finditer(text, start, end):
        if match.start() < line_end:
            continue  # a line already read
        line_start = max(start, text.rfind("\n", start, match.start()) + 1)
        line_end = text.find("\n", match.end(), end)
        line_end = end if line_end < 0 else line_end
        if any(_columns(_cells(norm, paragraph)) is not None for paragraph in paragraphs(norm, line_start, line_end)):
            return line_start
    return None


def _without_note(title: str) -> str:
    """A task's title without the responsibility note printed in it: 按时完成数据归集（10分，牵头考核单位：X） →
    按时完成数据归集."""
    note = _NOTE_OPENING.search(title)  # the note may be cut short where the title line ends (；)
    return (title[:note.start()].rstrip("，,。；;：: ") or title) if note else title


_NOTE_OPENING = re.compile(r"[（(〔【](?=[^）)〕】]*(?:牵头|责任单位|责任部门|配合|主办|协办|完成时限|考核单位))")


def _table_tasks(context: DocContext, collect: Collector, plan_year: int | None) -> None:
    for index, row in enumerate(table_rows(context)):
        if not row.task or not row.lead:
            continue
        title = re.split(r"[。；]", row.task, maxsplit=1)[0]
        task = collect.entity(iris.task(context.iri, f"table-{index}-{row.number}"), "Task", label=f"{row.number}. {title}")
        task.add("gk:taskNumber", row.number)
        task.add("dcterms:title", title)
        task.add("dcterms:isPartOf", Ref(context.iri))
        if context.region_iri:
            task.add("gk:inRegion", Ref(context.region_iri))
        evidence = context.evidence(row.start, row.end, ("表格",))
        add_evidence(task, evidence)
        for text, role in ((row.lead, "lead"), (row.support, "support")):
            for name in re.split(r"[、，,；;/\s]+", text):
                name = re.sub(r"[（(]牵头[）)]$", "", name.strip())
                if len(name) >= 2:
                    department = department_entity(collect, context, name)
                    collect.relate(task.iri, "gk:leadUnit" if role == "lead" else "gk:supportUnit", department.iri, evidence)
        for deadline in parse_deadlines(row.time or row.task, plan_year=plan_year):
            if deadline.date:
                task.add("gk:deadline", deadline.date)
            task.add("gk:deadlineText", deadline.text)


@register_extractor("tasks")
def extract_tasks(context: DocContext, extraction: Extraction) -> None:
    collect = Collector(extraction)
    segment = context.segment
    norm = context.norm
    headings = segment.headings
    plan_year = extraction.document.first("gk:periodStart")
    # (start, platform IRI, evidence) of the platforms this document states, in the order they were found,
    # and their indexes by start, to find those inside a task's text
    platform_evidence = [(evidence.start, entity.iri, evidence) for entity in extraction.entities if entity.type == "Platform"
                         for evidence in entity.evidence if evidence.document == context.iri]
    by_start = sorted(range(len(platform_evidence)), key=lambda i: platform_evidence[i][0])
    starts = [platform_evidence[i][0] for i in by_start]
    for heading, ancestors, index, in_task_section in task_headings(headings, genre=context.genre):
        if context.genre != "WorkReport" and index + 1 < len(headings):
            end = headings[index + 1].start
        else:  # a work report's item runs to the next heading of its level
            following = next((h for h in headings[index + 1:] if h.level <= heading.level), None)
            end = following.start if following is not None else (
                segment.source_line_span[0] if segment.source_line_span else segment.end)
        c_start, c_end = norm.to_clean(heading.start), norm.to_clean(end)
        body = norm.text[c_start:c_end].rstrip()
        notes = notes_in(body)
        deadlines = _task_deadlines(body, plan_year)
        if not in_task_section and not notes and not any(d.date for d in deadlines):
            continue
        path = "-".join(task_number(h) for h in (*ancestors, heading))
        title = _without_note(heading.title)
        task = collect.entity(iris.task(context.iri, path), "Task", label=f"{task_number(heading)}. {title}")
        task.add("gk:taskNumber", task_number(heading))
        if title:
            task.add("dcterms:title", title)
        task.add("dcterms:isPartOf", Ref(context.iri))
        if context.region_iri:
            task.add("gk:inRegion", Ref(context.region_iri))
        section = tuple(f"{h.number}{h.title}" for h in (*ancestors, heading))
        title_end = c_start + len(heading.number) + len(heading.title) + 1
        add_evidence(task, context.evidence(c_start, min(title_end, c_start + len(body)), section))
        for note in notes:
            evidence = context.evidence(c_start + note.start, c_start + note.end, section)
            for unit in note.units:
                department = department_entity(collect, context, unit.name)
                collect.relate(task.iri, "gk:leadUnit" if unit.role == "lead" else "gk:supportUnit", department.iri,
                               evidence)
        for deadline in deadlines:
            if deadline.date:
                task.add("gk:deadline", deadline.date)
            task.add("gk:deadlineText", deadline.text)
            add_evidence(task, context.evidence(c_start + deadline.start, c_start + deadline.end, section))
        inside = by_start[bisect.bisect_left(starts, heading.start):bisect.bisect_left(starts, end)]
        for found in sorted(inside):  # platforms stated inside the task's text, in the order found
            _, platform, evidence = platform_evidence[found]
            collect.relate(task.iri, "gk:concerns", platform, evidence)
        for start, stop, _label, initiative in find_initiatives(body):
            relation = collect.relate(task.iri, "gk:concerns", initiative)
            if has_room(relation, context.iri):
                add_evidence(relation, context.evidence(c_start + start, c_start + stop, section))
    _table_tasks(context, collect, plan_year)
