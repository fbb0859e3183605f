from kg.core.model import Source
from kg.ingest.segment import heading_level, split_documents, structure
from kg.core.text import normalize

NEWSLETTER = """政务动态

2024年3月1日 第5期 总第40期

本期要目

01 某省数字政府实施方案

编者按

近日，某省印发实施方案，明确了未来三年的目标任务。

甲省推进数字政府建设实施方案（2024—2026年）

为贯彻落实有关部署，制定本方案。

一、总体要求

（一）主要目标。到2026年，政务服务事项全程网办率达到95%以上。

二、重点任务

1.推进一网通办。建设省一体化政务服务平台。〔牵头单位：省政务服务中心〕

2.推进一网统管。完善城市运行管理平台。

（来源：甲省人民政府）

2023年软件业运行情况

一、收入增长

全年软件业务收入同比增长13.4%。

（来源：统计部门）

关于我们

本刊由某研究院编辑。
"""


def _source(text, name="n.txt"):
    return Source(name=name, text=text, encoding="utf-8", sha256="0" * 64, format="txt")


def test_newsletter_splits_into_articles_at_attribution_lines():
    documents = split_documents(_source(NEWSLETTER))
    assert [d.title for d in documents] == ["甲省推进数字政府建设实施方案（2024—2026年）", "2023年软件业运行情况"]
    assert [d.source_line for d in documents] == ["甲省人民政府", "统计部门"]


def test_editor_note_is_kept_apart_and_issue_is_found():
    first = split_documents(_source(NEWSLETTER))[0]
    note = NEWSLETTER[first.preface_span[0]:first.preface_span[1]]
    assert note.startswith("编者按") and "明确了未来三年" in note
    assert first.issue.title == "政务动态"
    assert (first.issue.date, first.issue.number, first.issue.total) == ("2024-03-01", "第5期", "总第40期")


def test_back_matter_after_the_last_attribution_is_not_a_document():
    documents = split_documents(_source(NEWSLETTER))
    assert all("本刊由" not in NEWSLETTER[d.start:d.end] for d in documents)


def test_headings_form_a_hierarchy_and_sentences_carry_their_section():
    document = split_documents(_source(NEWSLETTER))[0]
    assert [(h.level, h.number) for h in document.headings] == [(1, "一、"), (2, "（一）"), (1, "二、"), (3, "1."), (3, "2.")]
    sentence = next(s for s in document.sentences if "省一体化政务服务平台" in NEWSLETTER[s.start:s.end])
    assert sentence.section == ("二、重点任务", "1.推进一网通办")
    assert sentence.item == "1."


def test_responsibility_note_stays_with_its_sentence():
    document = split_documents(_source(NEWSLETTER))[0]
    quotes = [NEWSLETTER[s.start:s.end] for s in document.sentences]
    assert "建设省一体化政务服务平台。〔牵头单位：省政务服务中心〕" in quotes


def test_offsets_point_into_the_original_text():
    text = NEWSLETTER.replace("（一）主要目标", "(一) 主要目标")
    document = split_documents(_source(text))[0]
    heading = next(h for h in document.headings if h.number == "（一）")
    assert text[heading.start:heading.end].startswith("(一) 主要目标")


def test_a_file_without_attribution_lines_is_one_document():
    text = "某市数据管理办法\n\n第一章 总则\n\n第一条 为规范数据管理，制定本办法。\n\n第二条 本办法适用于本市。"
    documents = split_documents(_source(text))
    assert len(documents) == 1
    assert documents[0].title == "某市数据管理办法"
    assert [h.number for h in documents[0].headings] == ["第一章", "第一条", "第二条"]


def test_heading_markers():
    assert heading_level("十二、保障措施") == (1, "十二、")
    assert heading_level("（十）加强数据安全") == (2, "（十）")
    assert heading_level("（3）开展演练") == (4, "（3）")
    assert heading_level("第三章 数据共享") == (1, "第三章")
    assert heading_level("2025年目标") is None
    assert heading_level("1.5倍") is None


def test_structure_of_an_empty_range_is_empty():
    norm = normalize("一、总体要求")
    assert structure(norm, 0, 0) == ([], [])
