"""Quantitative targets: numbers, ranges, units, comparators, target years, past results."""
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.core import iris
from kg.ingest.extract import extract_document
from kg.ingest.extract.goals import comparator_cues, find_quantities, format_value, indicators, reports_past_result, target_year_before
from kg.core.model import Ref, Source
from kg.ingest.segment import split_documents

CHECKSET = Path(__file__).resolve().parent / "checkset"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PLAN = "郑州市数字政府建设实施方案（2024—2026年）"  # multi-year period, region 郑州市
ONE_YEAR_PLAN = "郑州市数字政府建设2024年工作方案"  # period 2024
AT_LEAST, MORE_THAN, REACH, AT_MOST, ABOUT = (iris.term(n) for n in ("atLeast", "moreThan", "reach", "atMost",
                                                                    "approximately"))


def _build(text: str):
    source = Source(name="t.txt", text=text, encoding="utf-8", sha256="0" * 64, format="txt")
    (segment,) = split_documents(source)
    return source, extract_document(segment, only=["goals"])


def goals(body: str, title: str = PLAN):
    """Goal entities of a one-document file with ``title`` and ``body`` paragraphs."""
    _, extraction = _build(f"{title}\n\n{body}")
    return [e for e in extraction.entities if e.type == "Goal"]


def values(body: str, title: str = PLAN):
    found = goals(body, title)
    return [(e.first("schema:value", e.first("schema:minValue")), e.first("schema:unitText")) for e in found]


# ---------------------------------------------------------------- what a goal records


def test_a_percentage_target_with_year_comparator_region_and_evidence():
    text = f"{PLAN}\n\n一、主要目标\n\n到2025年，全市政务服务事项全程网办率达到90%以上。"
    source, extraction = _build(text)
    (goal,) = [e for e in extraction.entities if e.type == "Goal"]
    assert goal.first("gk:indicator") == "全市政务服务事项全程网办率"
    assert goal.first("schema:value") == Decimal("90") and goal.first("schema:unitText") == "%"
    assert goal.first("gk:comparator") == Ref(AT_LEAST)
    assert goal.first("gk:targetYear") == 2025
    assert goal.first("gk:inRegion") == Ref(iris.region("410100"))
    assert goal.first("gk:statedIn") == Ref(extraction.document.iri)
    assert goal.label == "全市政务服务事项全程网办率 ≥ 90%"
    evidence = goal.evidence[0]
    assert source.text[evidence.start:evidence.end] == evidence.quote
    assert "90%以上" in evidence.quote
    assert any(e.type == "City" for e in extraction.entities)  # the region it points at exists


@pytest.mark.parametrize("written", ["2至3个", "2-3个", "2～3个", "2~3个", "2—3个", "2到3个", "2 至 3 个"])
def test_ranges_keep_min_and_max(written):
    (goal,) = goals(f"到2025年，形成{written}具有全国竞争力的数字产业集群。")
    assert goal.first("schema:minValue") == Decimal(2) and goal.first("schema:maxValue") == Decimal(3)
    assert goal.first("schema:value") is None
    assert goal.first("schema:unitText") == "个"


@pytest.mark.parametrize("sentence, value, unit", [
    ("数字经济核心产业增加值达到1.2万亿元。", "1.2", "万亿元"),
    ("数字经济核心产业增加值占GDP比重达到12.5%。", "12.5", "%"),
    ("基础算力水平达到1.6EFLOPS。", "1.6", "EFLOPS"),
    ("智能算力规模达到500PFLOPS。", "500", "PFLOPS"),
    ("新建5G基站3万个。", "3", "万个"),
    ("千兆宽带用户突破100万户。", "100", "万户"),
    ("数据要素市场规模增长2倍。", "2", "倍"),
    ("骨干网出口带宽达到400Gbps。", "400", "Gbps"),
    ("建设智慧校园200所。", "200", "所"),
    ("培育数据经纪人50名。", "50", "名"),
    ("带宽可用性5000M以上。", "5000", "M"),
    ("建成智慧综合管廊600公里。", "600", "公里"),
    ("实现企业1毫秒算力可得。", "1", "毫秒"),
])
def test_units(sentence, value, unit):
    assert values(sentence) == [(Decimal(value), unit)]


@pytest.mark.parametrize("sentence, comparator", [
    ("打造不少于300个智慧化应用场景。", AT_LEAST),
    ("推动20家以上重点平台实现数据共享。", AT_LEAST),
    ("培育智能工厂超过500家。", MORE_THAN),
    ("培育40多家数据服务商。", MORE_THAN),
    ("遴选100余家数字化转型服务商。", MORE_THAN),
    ("免提交证明事项数达到1200项。", REACH),
    ("政务服务平均响应时间控制在3秒以内。", AT_MOST),
    ("打造10个左右工业互联网产业园区。", ABOUT),
    ("培养300名中小学信息化专家型校长。", None),
])
def test_comparators(sentence, comparator):
    (goal,) = goals(sentence)
    assert goal.first("gk:comparator") == (Ref(comparator) if comparator else None)


def test_indicator_before_or_after_the_number():
    found = goals("培养300名中小学信息化专家型校长、500名专家型学科教师。"
                  "免提交证明事项数达到1200项或免提交证明事项占比达到85%。"
                  "到2025年，80%以上的家庭具备千兆接入能力。")
    assert [g.first("gk:indicator") for g in found] == [
        "中小学信息化专家型校长", "专家型学科教师", "免提交证明事项数", "免提交证明事项占比", "家庭具备千兆接入能力"]


# ---------------------------------------------------------------- target years


def test_target_year_from_the_sentence_the_paragraph_or_a_one_year_period():
    found = goals("到2025年，全程网办率达到95%。2026年底前，电子证照互认率达到100%。\n\n"
                  "到2025年，建成协同办公平台。推动不少于50个服务场景建设。\n\n"
                  "建设智慧校园200所。")
    assert [(g.first("schema:value"), g.first("gk:targetYear")) for g in found] == [
        (Decimal(95), 2025), (Decimal(100), 2026), (Decimal(50), 2025), (Decimal(200), None)]
    (goal,) = goals("建设智慧校园200所。", title=ONE_YEAR_PLAN)
    assert goal.first("gk:targetYear") == 2024


@pytest.mark.parametrize("text, year", [
    ("到2025年，", 2025), ("至2030年，", 2030), ("2025年底前", 2025), ("到2027年底，", 2027), ("到“十四五”末，", 2025),
    ("截至2022年底，", None), ("2023至2025年", None), ("于2023年6月30日", None), ("2023年", None),
])
def test_target_year_phrases(text, year):
    assert target_year_before(text) == year


# ---------------------------------------------------------------- what is not a goal


@pytest.mark.parametrize("sentence", [
    "1.推进一网通办，2025年完成平台整合，于2024年6月30日前上线。",       # list numbers, years, dates
    "根据国发〔2022〕14号文件要求，制定本方案。",                          # document numbers
    "推广5G、IPv6应用，完善12345政务服务便民热线。",                      # 5G, IPv6, 12345
    "政务部门应当自收到申请之日起10个工作日内答复，延长期限不超过7个工作日。",  # time limits
    "落实《2023年5G应用安全创新推广中心工作计划》要求。",                  # numbers inside titles
    "按照第3条规定，将附件2所列3A景区纳入监管。",                         # ordinals, references, 3A
    "每10万人拥有基层数据员。",                                           # a rate's base
    "推动10G—PON规模部署，实现双8K VR直播。",                             # technology names
])
def test_numbers_that_are_not_targets(sentence):
    assert goals(sentence) == []


@pytest.mark.parametrize("sentence", [
    "截至2022年底，全市已建成5G基站3万个。",
    "累计建成数据中心12个。",
    "全市已经接入部门业务系统56个。",
    "政务数据共享满足率达99.7%，数据开放水平连续三年位列前两名。",
    "数字经济增加值同比增长15%。",
    "网上办件量较上年增长20%。",
])
def test_past_achievements_are_rejected(sentence):
    assert goals(sentence) == []


def test_a_cumulative_target_with_a_future_year_is_kept():
    assert values("到2025年，累计建成5G基站10万个。") == [(Decimal(10), "万个")]
    assert reports_past_result("到2022年底，累计建成5G基站3万个。", 2024)


def test_sections_reviewing_the_current_state_state_no_goals():
    body = ("一、发展现状\n\n全市标准机柜数超4万个，打造48个标杆场景。\n\n"
            "二、主要任务\n\n夯实数字乡村发展基础，80%以上的家庭具备千兆接入能力。")
    assert values(body) == [(Decimal(80), "%")]


def test_articles_state_no_goals():
    assert goals("全年软件业务收入达到1000亿元。", title="2023年一季度电子信息制造业运行情况") == []


def test_spaces_and_full_width_forms_from_exports():
    text = f"{PLAN}\n\n到 2025 年，全程网办率达到 ９０ ％以上，建成 “ 一网通办 ” 事项 １２００ 项。"
    source, extraction = _build(text)
    found = [e for e in extraction.entities if e.type == "Goal"]
    assert [(g.first("schema:value"), g.first("schema:unitText"), g.first("gk:targetYear")) for g in found] == [
        (Decimal(90), "%", 2025), (Decimal(1200), "项", 2025)]
    for goal in found:
        for evidence in goal.evidence:
            assert source.text[evidence.start:evidence.end] == evidence.quote


# ---------------------------------------------------------------- parsers, as properties

UNITS = ["%", "个", "项", "家", "万个", "亿元", "万亿元", "EFLOPS", "倍", "名", "条", "Gbps"]
numbers = st.decimals(min_value=0, max_value=10 ** 9, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(value=numbers, unit=st.sampled_from(UNITS))
def test_any_decimal_written_out_parses_back(value, unit):
    (quantity,) = find_quantities(f"指标数值达到{format_value(value)}{unit}。")
    assert quantity.low == value and quantity.high is None and quantity.unit == unit


@settings(max_examples=200, deadline=None)
@given(low=numbers, step=numbers.filter(lambda d: d > 0), dash=st.sampled_from(["至", "-", "～", "~", "—"]))
def test_any_range_parses_back(low, step, dash):
    high = low + step
    (quantity,) = find_quantities(f"形成{format_value(low)}{dash}{format_value(high)}个产业集群。")
    assert (quantity.low, quantity.high) == (low, high)


@settings(max_examples=200, deadline=None)
@given(cue=st.sampled_from(comparator_cues()), value=st.integers(min_value=0, max_value=10 ** 6),
       after=st.booleans())
def test_every_comparator_cue_maps_to_its_concept(cue, value, after):
    word, concept = cue
    text = f"重点平台{value}家{word}。" if after else f"重点平台{word}{value}家。"
    (quantity,) = find_quantities(text)
    assert quantity.comparator == concept


@settings(max_examples=100, deadline=None)
@given(first=numbers, second=numbers)
def test_each_quantity_gets_an_indicator(first, second):
    text = f"指标甲达到{format_value(first)}%，指标乙达到{format_value(second)}%。"
    quantities = find_quantities(text)
    assert indicators(text, quantities) == ["指标甲", "指标乙"]


# ---------------------------------------------------------------- check sets


def _gold_key(item):
    return item["document"], Decimal(str(item["value"])), item["unit"], item["year"]


def _found_keys(result):
    keys = []
    for extractions in result.state.extractions.values():
        for extraction in extractions:
            title = extraction.document.first("dcterms:title")
            for goal in (e for e in extraction.entities if e.type == "Goal"):
                value = goal.first("schema:value", goal.first("schema:minValue"))
                keys.append((title, value, goal.first("schema:unitText"), goal.first("gk:targetYear")))
    return keys


def _score(gold_files, result):
    gold = [_gold_key(g) for path in gold_files for g in json.loads(path.read_text(encoding="utf-8"))["goals"]]
    found = _found_keys(result)
    unmatched = list(found)
    hits = 0
    for key in gold:
        if key in unmatched:
            unmatched.remove(key)
            hits += 1
    return hits / len(gold), (len(found) - len(unmatched)) / len(found), unmatched


def test_sample_checkset(sample_build):
    result, _ = sample_build
    recall, precision, extra = _score([CHECKSET / "sample.json"], result)
    assert recall >= 0.85, recall
    assert precision >= 0.85, extra


def test_sample_goals_conform_and_have_typed_literals(sample_build):
    from rdflib import XSD, URIRef

    result, _ = sample_build
    graph = result.state.graph
    goal_type = URIRef(iris.term("Goal"))
    goal_nodes = set(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), goal_type))
    assert goal_nodes
    assert not [v for v in result.state.report.violations if URIRef(v.focus) in goal_nodes]
    for node in goal_nodes:
        years = list(graph.objects(node, URIRef(iris.term("targetYear"))))
        assert all(y.datatype == XSD.gYear for y in years)
        for predicate in ("value", "minValue", "maxValue"):
            literals = graph.objects(node, URIRef("https://schema.org/" + predicate))
            assert all(v.datatype == XSD.decimal for v in literals)


def test_corpus_checkset():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    from kg import api

    result = api.build(sorted(CORPUS.glob("*.txt")), out_dir=None, until="resolve")
    recall, precision, extra = _score(sorted((CHECKSET / "corpus").glob("*.json")), result)
    assert recall >= 0.85, recall
    assert precision >= 0.85, extra
