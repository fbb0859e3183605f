"""Cited documents: 《》 titles, document numbers, self references and non-policy titles."""
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kg.core import iris
from kg.ingest.extract import extract_document
from kg.ingest.extract.citations import find_citations, is_generic, looks_like_work, normalize_number, normalize_title
from kg.core.model import Source
from kg.ingest.segment import split_documents
from kg.core.text import normalize

CHECKSET = Path(__file__).resolve().parent / "checkset"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PLAN = "哈尔滨市加快数字政府建设实施方案（2023—2025年）"


def cited(sentence):
    return [(c.title, c.number) for c in find_citations(normalize(sentence).text)]


def build(body, title=PLAN):
    text = f"{title}\n\n{body}"
    source = Source(name="t.txt", text=text, encoding="utf-8", sha256="0" * 64, format="txt")
    (segment,) = split_documents(source)
    return source, extract_document(segment, only=["citations"])


@pytest.mark.parametrize("sentence, expected", [
    ("为贯彻落实《黑龙江省人民政府关于加强数字政府建设的实施意见》（黑政发〔2022〕23号）精神。",
     [("黑龙江省人民政府关于加强数字政府建设的实施意见", "黑政发〔2022〕23号")]),
    ("为贯彻落实《国务院关于加强数字政府建设的指导意见》(国发〔2022〕14号)，制定本方案。",
     [("国务院关于加强数字政府建设的指导意见", "国发〔2022〕14号")]),
    ("落实《国务院关于加强数字政府建设的指导意见》（国发[2022]14号）。",
     [("国务院关于加强数字政府建设的指导意见", "国发〔2022〕14号")]),
    ("落实《国务院关于加强数字政府建设的指导意见》（国发(2022)14号）。",
     [("国务院关于加强数字政府建设的指导意见", "国发〔2022〕14号")]),
    ("以《网络安全法》《数据安全法》《个人信息保护法》等法律法规为遵循。",
     [("网络安全法", None), ("数据安全法", None), ("个人信息保护法", None)]),
    ("根据《5G 网络建设与应用安全实施指南(2021)》规定开展评估。", [("5G网络建设与应用安全实施指南（2021）", None)]),
    ("深入开展《数据管理能力成熟度评估模型 (DCMM)》贯标工作。", [("数据管理能力成熟度评估模型（DCMM）", None)]),
    ("出台《数字青岛发展规划（2019—2022 年）》。", [("数字青岛发展规划（2019—2022年）", None)]),
    ("根据《“十四五\"数字经济发展规划》制定。", [("“十四五”数字经济发展规划", None)]),
    ("按照国办发〔2022〕3号文件要求推进。", [(None, "国办发〔2022〕3号")]),
])
def test_titles_and_numbers(sentence, expected):
    assert cited(sentence) == expected


@pytest.mark.parametrize("sentence, title", [
    ("依据<<数据安全法>>开展评估。", "数据安全法"),      # ASCII angle quotes
    ("依据〈数据安全法〉开展评估。", "数据安全法"),      # single angle quotes
    ("依据《数据安全法>>开展评估。", "数据安全法"),      # a mixed pair
    ("依据«数据安全法»开展评估。", "数据安全法"),
])
def test_broken_and_half_width_title_quotes(sentence, title):
    assert cited(sentence) == [(title, None)]


@pytest.mark.parametrize("sentence", [
    "《方案》提出8大主要任务。",                                  # the citing document itself
    "《实施方案》以数字化履职能力为主线。",
    "印发《哈尔滨市加快数字政府建设实施方案(2023—2025年)》(以下简称《方案》)。",
    "（来源：《价格理论与实践》2023年第3期）",                     # journals and newspapers
    "据《人民日报》报道，该项成果入选《科学》年度十大科学突破。",
    "参与出版了《数典》《中国数谷》《主权区块链》等80余部出版物。",  # books
    "颁发《网络与信息安全管理师》职业能力等级评价证书。",
    "依据《数据安全法开展评估。",                                  # unclosed
])
def test_things_that_are_not_cited_works(sentence):
    _, extraction = build(sentence)
    assert [e.label for e in extraction.entities if e.type == "CitedWork"] == []


def test_own_title_with_or_without_its_period_is_not_cited():
    _, extraction = build("印发《哈尔滨市加快数字政府建设实施方案》。出台《哈尔滨市加快数字政府建设实施方案（2019—2022年）》。")
    assert [e.label for e in extraction.entities if e.type == "CitedWork"] == ["哈尔滨市加快数字政府建设实施方案（2019—2022年）"]


@pytest.mark.parametrize("gap", ["\n\n", "\n"])  # the number line as its own paragraph, or not
def test_own_number_under_the_title_is_not_cited(gap):
    _, extraction = build(f"阿府办发〔2021〕21号{gap}各县人民政府：现将有关事项通知如下，请认真遵照执行。",
                          title="阿坝州人民政府办公室关于印发《阿坝州政务数据资源管理暂行办法》的通知")
    assert [e for e in extraction.entities if e.type == "CitedWork"] == []


def test_entity_relation_and_evidence():
    source, extraction = build("为深入贯彻落实《黑龙江省人民政府关于加强数字政府建设的实施意见》(黑政发〔2022〕23号)精神，"
                               "依据《黑龙江省促进大数据发展应用条例》，结合《黑龙江省促进大数据发展应用条例》制定本方案。")
    works = [e for e in extraction.entities if e.type == "CitedWork"]
    assert [w.label for w in works] == ["黑龙江省人民政府关于加强数字政府建设的实施意见", "黑龙江省促进大数据发展应用条例"]
    first = works[0]
    assert first.iri == iris.cited_work("黑龙江省人民政府关于加强数字政府建设的实施意见")
    assert first.first("dcterms:title") == first.label
    assert first.first("gk:documentNumber") == "黑政发〔2022〕23号"
    assert works[1].first("gk:documentNumber") is None
    references = [r for r in extraction.relations if r.predicate == "dcterms:references"]
    assert [(r.subject, r.object) for r in references] == [(extraction.document.iri, w.iri) for w in works]
    for item in works + references:
        assert item.evidence and all(source.text[e.start:e.end] == e.quote for e in item.evidence)
    assert source.text[first.evidence[0].start:first.evidence[0].end].startswith("《黑龙江省人民政府")


@settings(max_examples=200, deadline=None)
@given(org=st.sampled_from(["国发", "国办发", "黑政发", "京经信发", "阿府办发", "工信部网安"]),
       year=st.integers(min_value=1990, max_value=2099), number=st.integers(min_value=1, max_value=9999),
       brackets=st.sampled_from(["〔〕", "[]", "［］", "()", "（）", "【】"]), space=st.sampled_from(["", " "]))
def test_any_bracketed_number_normalises(org, year, number, brackets, space):
    written = f"{org}{brackets[0]}{space}{year}{space}{brackets[1]}{space}{number}{space}号"
    assert normalize_number(written) == f"{org}〔{year}〕{number}号"
    assert cited(f"落实《某省数据条例》（{written}）。") == [("某省数据条例", f"{org}〔{year}〕{number}号")]


@settings(max_examples=200, deadline=None)
@given(body=st.text(alphabet="数据安全管理共享开放平台建设发展", min_size=2, max_size=20),
       ending=st.sampled_from(["办法", "条例", "法", "意见", "指南", "规划", "通知"]))
def test_any_title_with_a_work_ending_is_cited_once(body, ending):
    title = body + ending
    assume(not is_generic(title))  # 《管理办法》 alone stands for the citing document
    assert looks_like_work(title)
    assert cited(f"根据《{title}》《{title}》，制定本方案。") == [(title, None), (title, None)]
    _, extraction = build(f"根据《{title}》《{title}》，制定本办法。", title="甲市政务数据管理办法")
    assert [e.label for e in extraction.entities if e.type == "CitedWork"] == [title]


# ---------------------------------------------------------------- check sets


def _key(text):
    text = unicodedata.normalize("NFKC", normalize_title(text or ""))
    return "".join(ch for ch in text if not ch.isspace() and ch not in "“”\"")


def _score(gold_files, result):
    checksets = [json.loads(path.read_text(encoding="utf-8")) for path in gold_files]
    gold = [(_key(g["document"]), _key(g["title"]), g["doc_number"]) for c in checksets for g in c["cited_documents"]]
    documents = {_key(d["title"]) for checkset in checksets for d in checkset["documents"]}
    labels = {}
    found = []
    for extractions in result.state.extractions.values():
        for extraction in extractions:
            labels.update({e.iri: e for e in extraction.entities if e.type == "CitedWork"})
    for extractions in result.state.extractions.values():
        for extraction in extractions:
            document = _key(extraction.document.first("dcterms:title") or extraction.document.label)
            if document not in documents:  # only the annotated documents are scored
                continue
            for relation in (r for r in extraction.relations if r.predicate == "dcterms:references"):
                work = labels[relation.object]
                found.append((document, _key(work.label), work.first("gk:documentNumber")))
    matched = [g for g in gold if g in found]
    return len(matched) / len(gold), sum(f in gold for f in found) / len(found)


def test_sample_checkset(sample_build):
    result, _ = sample_build
    recall, precision = _score([CHECKSET / "sample.json"], result)
    assert recall >= 0.9 and precision >= 0.9, (recall, precision)


def test_corpus_checkset():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    from kg import api

    result = api.build(sorted(CORPUS.glob("*.txt")), out_dir=None, until="resolve")
    recall, precision = _score(sorted((CHECKSET / "corpus").glob("*.json")), result)
    assert recall >= 0.9 and precision >= 0.9, (recall, precision)
