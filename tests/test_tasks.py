import datetime

from hypothesis import given
from hypothesis import strategies as st

from kg.ingest.extract.tasks import parse_deadlines, task_headings, task_number
from kg.core.model import Heading


def dates(text, **kw):
    return [(d.date.isoformat() if d.date else None, d.text) for d in parse_deadlines(text, **kw)]


def test_deadline_forms():
    assert dates("于2023年6月30日前完成。") == [("2023-06-30", "2023年6月30日前")]
    assert dates("2023年6月底前完成。") == [("2023-06-30", "2023年6月底前")]
    assert dates("2024年2月底前完成。") == [("2024-02-29", "2024年2月底前")]
    assert dates("2023年底前建成。") == [("2023-12-31", "2023年底前")]
    assert dates("2023年上半年完成。") == [("2023-06-30", "2023年上半年")]
    assert dates("年底前完成。", plan_year=2023) == [("2023-12-31", "年底前")]
    assert dates("推进改革。年底前基本实现网上办理。", plan_year=2023) == [("2023-12-31", "年底前")]
    assert dates("（完成时间：2025年6月）") == [("2025-06-30", "2025年6月")]        # a month after a time label
    assert dates("完成时限：2024年9月30日") == [("2024-09-30", "2024年9月30日")]


def test_cycles_stay_text():
    assert dates("每季度结束后的次月15日前报送。") == [(None, "每季度结束后的次月15日前")]
    assert dates("形成月报，在次月10日前报送。") == [(None, "次月10日前")]


def test_dates_that_are_not_deadlines():
    assert dates("2022年12月，中共中央印发意见。") == []
    assert dates("年底前完成。") == []  # no plan year to anchor it
    assert dates("2025年6月，全市推广应用。") == []  # a month with no time label is no deadline


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_any_date_with_qian_parses_back(day):
    text = f"于{day.year}年{day.month}月{day.day}日前完成"
    assert [d.date for d in parse_deadlines(text)] == [day]


@given(st.integers(2000, 2099), st.integers(1, 12))
def test_month_end_is_the_last_day_of_that_month(year, month):
    (deadline,) = parse_deadlines(f"{year}年{month}月底前完成")
    assert deadline.date.month == month and (deadline.date + datetime.timedelta(days=1)).day == 1


def _h(level, number, title):
    return Heading(level=level, number=number, title=title, start=0, end=0)


def test_tasks_are_numbered_leaves_outside_preamble_sections():
    headings = [_h(1, "一、", "总体要求"), _h(2, "（一）", "指导思想"), _h(1, "二、", "重点任务"), _h(2, "（一）", "数据"),
                _h(3, "1.", "汇集数据"), _h(3, "2.", "共享数据"), _h(2, "（二）", "安全"), _h(1, "三、", "保障措施"),
                _h(2, "（一）", "加强领导")]
    found = [(h.number, h.title) for h, _, _, in_task_section in task_headings(headings) if in_task_section]
    assert found == [("1.", "汇集数据"), ("2.", "共享数据"), ("（二）", "安全")]
    # outside the task sections, items are candidates that only a note or a deadline makes tasks
    others = [(h.number, h.title) for h, _, _, in_task_section in task_headings(headings) if not in_task_section]
    assert others == [("（一）", "指导思想"), ("（一）", "加强领导")]


def test_a_regulation_has_no_task_section_and_a_work_report_tasks_are_the_years_headings():
    headings = [_h(1, "一、", "2023年工作回顾"), _h(2, "（一）", "经济回升"), _h(1, "二、", "2024年工作安排"),
                _h(2, "（一）", "扩大有效需求"), _h(3, "1.", "稳投资"), _h(2, "（二）", "建设数字政府")]
    assert [h.title for h, *_ in task_headings(headings, genre="WorkReport")] == ["扩大有效需求", "建设数字政府"]
    assert not any(flag for *_, flag in task_headings(headings, genre="Regulation"))


def test_task_numbers_as_printed_without_brackets():
    assert task_number(_h(3, "12.", "")) == "12"
    assert task_number(_h(2, "（三）", "")) == "三"


def _extract(text):
    from kg.ingest.extract import extract_document
    from kg.core.model import Source
    from kg.ingest.segment import split_documents
    from kg.core.text import normalize

    source = Source(name="s.txt", text=text, encoding="utf-8", sha256="0", format="txt")
    (segment,) = split_documents(source, normalize(text))
    return extract_document(segment)


def _tasks(extraction):
    return sorted(e.label for e in extraction.entities if e.type == "Task")


def test_an_assessment_schemes_items_with_assessing_units_are_tasks():
    extraction = _extract("某市2024年度数字政府建设考评办法\n\n一、考评内容\n\n"
                          "1.政务服务事项网上可办率达到100%（20分，牵头考核单位：市政务服务局）。\n\n"
                          "2.按时完成数据归集（10分，牵头考核单位：市大数据局，配合单位：市财政局）。\n\n"
                          "3.12345热线按时办结率（10分，牵头考核单位：市政府办公室）。\n\n二、考评方式\n\n（一）年底集中考评。\n")
    assert extraction.document.type == "AssessmentScheme"
    # item 3 starts with a hotline number, not a decimal; titles leave the note out
    assert _tasks(extraction) == ["1. 政务服务事项网上可办率达到100%", "2. 按时完成数据归集", "3. 12345热线按时办结率"]
    leads = [r for r in extraction.relations if r.predicate == "gk:leadUnit"]
    assert len(leads) == 3 and all("牵头考核单位" in r.evidence[0].quote for r in leads)


def test_numbered_items_with_a_note_are_tasks_in_any_section_and_rows_of_task_tables_too():
    extraction = _extract("某市政务数据管理暂行办法\n\n第一章 总则\n\n第一条 为规范管理，制定本办法。\n\n"
                          "附件\n\n1.建设全市公共数据目录系统（牵头单位：市大数据局；完成时限：2024年底前）\n\n"
                          "序号　重点任务　牵头单位　配合单位　完成时限\n"
                          "1　建成一体化政务服务平台　市大数据局　市政务服务局、市财政局　2024年底前\n"
                          "2　开展数据安全评估　市委网信办　市公安局　2024年6月底前\n")
    assert extraction.document.type == "Regulation"
    tasks = {e.label: e for e in extraction.entities if e.type == "Task"}
    # 第一条 states a provision (no note, no deadline): no task
    assert sorted(tasks) == ["1. 建成一体化政务服务平台", "1. 建设全市公共数据目录系统", "2. 开展数据安全评估"]
    assert [str(d) for d in tasks["2. 开展数据安全评估"].props["gk:deadline"]] == ["2024-06-30"]
    units = {r.predicate for r in extraction.relations if r.subject == tasks["1. 建成一体化政务服务平台"].iri}
    assert {"gk:leadUnit", "gk:supportUnit"} <= units
