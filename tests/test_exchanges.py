"""Data exchanges: names, status, region, the 数据交易 initiative they serve."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.core import iris
from kg.ingest.extract import extract_document
from kg.ingest.extract.exchanges import data_trading_initiative, find_exchanges, name_key, status_of
from kg.ingest.extract.goals import cue_words
from kg.core.model import Ref, Source
from kg.core.ontology import initiatives
from kg.ingest.segment import split_documents
from kg.core.text import normalize

CHECKSET = Path(__file__).resolve().parent / "checkset"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EXISTING, PLANNED = iris.term("existing"), iris.term("planned")
PLAN = "河南省加强数字政府建设实施方案（2023—2025年）"


def mentions(sentence):
    return [(m.name, m.status.rsplit("#", 1)[-1]) for m in find_exchanges(normalize(sentence).text)]


def build(body, title=PLAN):
    text = f"{title}\n\n{body}"
    source = Source(name="t.txt", text=text, encoding="utf-8", sha256="0" * 64, format="txt")
    (segment,) = split_documents(source)
    return source, extract_document(segment, only=["exchanges"])


@pytest.mark.parametrize("sentence, expected", [
    ("充分发挥郑州数据交易中心和中原数据交易联盟作用。", [("郑州数据交易中心", "existing"), ("中原数据交易联盟", "existing")]),
    ("谋划建立哈尔滨市大数据交易中心。", [("哈尔滨市大数据交易中心", "planned")]),
    ("高水平建设青岛大数据交易中心，搭建海洋等行业数据交易平台。",
     [("青岛大数据交易中心", "planned"), ("海洋等行业数据交易平台", "planned")]),
    ("推动建成全国首个海洋数据交易服务平台。", [("海洋数据交易服务平台", "planned")]),
    ("推进数据交易平台建设，试点推行数据产品登记制度。", [("数据交易平台", "planned")]),
    ("依托贵阳大数据交易所开展数据产品登记。", [("贵阳大数据交易所", "existing")]),
    ("支持上海数据交易所开展跨境数据交易。", [("上海数据交易所", "existing")]),
    ("探索建设“东数西算”数据交易服务中心。", [("“东数西算”数据交易服务中心", "planned")]),
])
def test_names_and_status(sentence, expected):
    assert mentions(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "培育数据交易市场主体，营造规范有序的数据交易环境。",   # the market, not an exchange
    "制定数据交易相关标准，完善数据要素流通和交易机制。",
    "支持上海证券交易所开展债券业务。",                     # not data-related
    "落实《上海数据交易所数据交易管理办法》。",             # inside a title
    "建设场内场外相结合的数据交易体系。",
])
def test_things_that_are_not_data_exchanges(sentence):
    assert mentions(sentence) == []


@pytest.mark.parametrize("sentence, name", [
    ('依托"郑州数据交易中心"开展交易。', "“郑州数据交易中心"),          # ASCII quotes become “ ”
    ("依托 郑州 数据交易中心 开展交易。", "郑州数据交易中心"),           # stray spaces
    ("加快建设“郑州数据交易中心\"。", "“郑州数据交易中心"),             # broken pair
])
def test_quotes_and_spaces_from_exports(sentence, name):
    (found,) = mentions(sentence)
    assert name_key(found[0]) == name_key(name)


def test_nearest_status_cue_wins():
    assert status_of("完善并加快建设", "。") == PLANNED
    assert status_of("加快建设并用好", "。") == EXISTING
    assert status_of("鼓励", "开展交易") == EXISTING  # no cue: existing


@settings(max_examples=100, deadline=None)
@given(cue=st.sampled_from(cue_words(PLANNED)), place=st.sampled_from(["郑州", "青岛大", "海洋", ""]),
       ending=st.sampled_from(cue_words(iris.term("DataExchange"))))
def test_any_planned_cue_before_a_name_makes_it_planned(cue, place, ending):
    (found,) = find_exchanges(f"{cue}{place}{ending}。")
    assert found.status == PLANNED and found.name == f"{place}{ending}"


@settings(max_examples=100, deadline=None)
@given(cue=st.sampled_from(cue_words(EXISTING)), ending=st.sampled_from(cue_words(iris.term("DataExchange"))))
def test_any_existing_cue_before_a_name_makes_it_existing(cue, ending):
    (found,) = find_exchanges(f"{cue}郑州{ending}。")
    assert found.status == EXISTING


def test_entity_region_status_and_initiative():
    source, extraction = build("一、主要任务\n\n充分发挥郑州数据交易中心和中原数据交易联盟作用。谋划建立郑州数据交易中心。")
    exchanges = {e.label: e for e in extraction.entities if e.type == "DataExchange"}
    assert set(exchanges) == {"郑州数据交易中心", "中原数据交易联盟"}
    zhengzhou, zhongyuan = exchanges["郑州数据交易中心"], exchanges["中原数据交易联盟"]
    assert zhengzhou.iri == iris.data_exchange("410100", "郑州数据交易中心")  # the region in its own name
    assert zhengzhou.props["gk:inRegion"] == [Ref(iris.region("410100"))]
    assert zhongyuan.props["gk:inRegion"] == [Ref(iris.region("410000"))]  # else the document's region
    assert zhengzhou.props["gk:status"] == [Ref(EXISTING)]  # one status: the first statement decides
    assert zhengzhou.first("gk:statedIn") == Ref(extraction.document.iri)
    serves = [r for r in extraction.relations if r.predicate == "gk:serves"]
    assert {(r.subject, r.object) for r in serves} == {(e.iri, data_trading_initiative()) for e in exchanges.values()}
    assert all(source.text[ev.start:ev.end] == ev.quote for e in exchanges.values() for ev in e.evidence)
    assert all(r.evidence for r in serves)
    assert {e.type for e in extraction.entities} >= {"City", "Province"}  # regions pointed at exist


def test_the_initiative_is_found_by_its_label():
    assert initiatives()[data_trading_initiative()].label == "数据交易"


def test_exchanges_in_a_section_on_the_current_state_are_existing():
    _, extraction = build("一、发展现状\n\n推动建成全国首个海洋数据交易服务平台。")
    (exchange,) = [e for e in extraction.entities if e.type == "DataExchange"]
    assert exchange.first("gk:status") == Ref(EXISTING)


# ---------------------------------------------------------------- check sets


def _score(gold_files, result):
    gold = [(g["document"], name_key(g["name"]), g["status"])
            for path in gold_files for g in json.loads(path.read_text(encoding="utf-8"))["data_exchanges"]]
    found = []
    for extractions in result.state.extractions.values():
        for extraction in extractions:
            title = extraction.document.first("dcterms:title")
            for entity in (e for e in extraction.entities if e.type == "DataExchange"):
                found.append((title, name_key(entity.label), entity.first("gk:status").iri.rsplit("#", 1)[-1]))
    named = {(d, n) for d, n, _ in found}
    hits = [g for g in gold if (g[0], g[1]) in named]
    statuses = [g for g in gold if g in found]
    precision = sum((d, n) in {(g[0], g[1]) for g in gold} for d, n, _ in found) / len(found)
    return len(hits) / len(gold), precision, len(statuses) / len(gold)


def test_sample_checkset(sample_build):
    result, _ = sample_build
    recall, precision, status_accuracy = _score([CHECKSET / "sample.json"], result)
    assert recall >= 0.8 and precision >= 0.8 and status_accuracy >= 0.8, (recall, precision, status_accuracy)
    exchanges = [v for v in result.state.report.violations if "data-exchange/" in v.focus]
    assert not exchanges


def test_corpus_checkset():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    from kg import api

    result = api.build(sorted(CORPUS.glob("*.txt")), out_dir=None, until="resolve")
    recall, precision, status_accuracy = _score(sorted((CHECKSET / "corpus").glob("*.json")), result)
    assert recall >= 0.8 and precision >= 0.8 and status_accuracy >= 0.8, (recall, precision, status_accuracy)
