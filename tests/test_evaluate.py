"""Scoring against check sets: each matching rule on tiny hand-made gold and predicted rows
with known precision and recall, then the whole run on the bundled sample."""
import json
from pathlib import Path

import pytest

from kg import api
from kg.evaluation import evaluate as ev
from kg.evaluation import matching
from kg.evaluation.rows import Row
from kg.core.errors import KGError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CHECKSET = ROOT / "tests" / "checkset"
D1, D2, D3 = "urn:doc:1", "urn:doc:2", "urn:doc:3"
HENAN_PLAN = "河南省数字政府实施方案（2023—2025年）"
QINGDAO_PLAN = "数字青岛发展规划（2023—2025年）"


def _docs():
    return [
        {"id": D1, "type": "ImplementationScheme", "label": HENAN_PLAN, "title": HENAN_PLAN, "region": "河南省",
         "period_start": 2023, "period_end": 2025, "doc_number": None, "document": D1},
        {"id": D2, "type": "Plan", "label": QINGDAO_PLAN, "title": QINGDAO_PLAN, "region": "青岛市",
         "period_start": 2023, "period_end": 2024, "doc_number": None, "document": D2},
        {"id": D3, "type": "Article", "label": "评论", "title": "评论", "region": "河南省", "document": D3},
    ]


GOLD_DOCS = [
    {"title": HENAN_PLAN, "region": "河南省", "genre": "ImplementationScheme", "period_start": 2023, "period_end": 2025,
     "doc_number": None},
    {"title": QINGDAO_PLAN, "region": "青岛", "genre": "Plan", "period_start": 2023, "period_end": 2025, "doc_number": None},
]


def _row(rows, type_):
    (found,) = [r for r in rows if r.type == type_]
    return found


def _score(checkset, entities, evidence=()):
    return ev.evaluate({"source": "x.txt", **checkset}, {"entities": _docs() + entities, "evidence": list(evidence)})


def test_normalize_name_drops_quotes_spaces_and_width():
    assert matching.normalize_name("“豫事办”") == matching.normalize_name("豫事办") == "豫事办"
    assert matching.normalize_name("「爱山东」 ＡＰＰ") == "爱山东APP"
    assert matching.normalize_name("省 大数据局") == "省大数据局"
    assert matching.normalize_name("省大数据局") != matching.normalize_name("市大数据局")


def test_match_pairs_is_a_maximum_matching():
    # A greedy pairing gives A→x and leaves B unpaired; the maximum pairs A→y, B→x.
    gold, predicted = ["A", "B"], ["x", "y"]
    compatible = {("A", "x"), ("A", "y"), ("B", "x")}
    assert matching.match_pairs(gold, predicted, lambda g, p: (g, p) in compatible) == [(0, 1), (1, 0)]
    assert matching.match_pairs(["A", "A"], ["x"], lambda g, p: True) == [(0, 0)]  # one to one


def test_documents_genre_region_period():
    rows = _score({"documents": GOLD_DOCS}, [])
    documents = _row(rows, "documents")
    assert (documents.gold, documents.predicted, documents.matched) == (2, 2, 2)  # the Article is not counted
    assert _row(rows, "document genre").recall == 1.0
    assert _row(rows, "document region").recall == 1.0  # 青岛 and 青岛市 are one region
    period = _row(rows, "document period")
    assert (period.gold, period.predicted, period.matched) == (2, 2, 1)
    assert period.precision == 0.5 and period.recall == 0.5


def test_a_lone_untitled_document_pairs_with_the_lone_gold_one():
    untitled = {"id": D1, "type": "Regulation", "label": "x.txt #1", "title": None, "region": "阿坝藏族羌族自治州"}
    gold = [{"title": "阿坝州政务数据资源管理暂行办法", "region": "阿坝藏族羌族自治州", "genre": "Regulation",
             "period_start": None, "period_end": None, "doc_number": "阿府办发〔2021〕21号"}]
    rows = ev.evaluate({"source": "x.txt", "documents": gold}, {"entities": [untitled]})
    assert _row(rows, "documents").matched == 1
    assert _row(rows, "document region").matched == 1
    assert _row(rows, "document number").matched == 0


def test_platforms_match_by_name_or_alias_within_the_region():
    gold = [
        {"document": HENAN_PLAN, "name": "豫事办", "aliases": [], "kind": "app", "quote": "移动端“豫事办”"},
        {"document": HENAN_PLAN, "name": "省一体化政务服务平台", "aliases": ["一体化政务服务平台"], "kind": "system",
         "quote": "完善省一体化政务服务平台"},
        {"document": QINGDAO_PLAN, "name": "爱山东", "aliases": [], "kind": "app", "quote": "“爱山东”青岛分厅"},
        {"document": QINGDAO_PLAN, "name": "城市云脑", "aliases": [], "kind": "system", "quote": "城市云脑"},
    ]
    predicted = [
        {"id": "p1", "type": "Platform", "label": "“豫事办”", "aliases": [], "region": "河南省", "document": D1, "kind": "app"},
        {"id": "p2", "type": "Platform", "label": "全省一体化政务服务平台", "aliases": ["一体化政务服务平台"],
         "region": "河南省", "document": D1, "kind": "portal"},
        # Right name, but stated only in the Henan plan: not the Qingdao one.
        {"id": "p3", "type": "Platform", "label": "爱山东", "aliases": [], "region": "山东省", "document": D1, "kind": "app"},
        {"id": "p4", "type": "Platform", "label": "城市云脑", "aliases": [], "region": "青岛市", "document": D2, "kind": "system"},
        {"id": "p5", "type": "Platform", "label": "数据平台", "aliases": [], "region": "青岛市", "document": D2, "kind": "system"},
        # Stated in a document of a region no gold document governs: out of scope.
        {"id": "p6", "type": "Platform", "label": "粤省事", "aliases": [], "region": "广东省", "document": None, "kind": "app"},
    ]
    rows = _score({"documents": GOLD_DOCS, "platforms": gold}, predicted)
    platforms = _row(rows, "platforms")
    assert (platforms.gold, platforms.predicted, platforms.matched) == (4, 5, 3)
    assert platforms.precision == pytest.approx(3 / 5) and platforms.recall == pytest.approx(3 / 4)
    branded = _row(rows, "branded platforms")  # 豫事办 and 爱山东 are quoted in their quotes
    assert (branded.gold, branded.predicted, branded.matched, branded.recall) == (2, None, 1, 0.5)
    kind = _row(rows, "platform kind")
    assert (kind.gold, kind.predicted, kind.matched) == (4, 3, 2)


def test_optional_gold_platforms_count_neither_way():
    gold = [
        {"document": HENAN_PLAN, "name": "省一体化政务服务平台", "aliases": [], "kind": "system", "quote": "省一体化政务服务平台"},
        {"document": HENAN_PLAN, "name": "电子社保卡", "aliases": [], "kind": "code", "quote": "电子社保卡", "optional": True},
        {"document": HENAN_PLAN, "name": "统一知识问答题库", "aliases": [], "kind": "database", "quote": "题库",
         "optional": True},
    ]
    predicted = [
        {"id": "p1", "type": "Platform", "label": "省一体化政务服务平台", "aliases": [], "region": "河南省", "document": D1},
        {"id": "p2", "type": "Platform", "label": "电子社保卡", "aliases": [], "region": "河南省", "document": D1},
        {"id": "p3", "type": "Platform", "label": "数据平台", "aliases": [], "region": "河南省", "document": D1},
    ]
    platforms = _row(_score({"documents": GOLD_DOCS, "platforms": gold}, predicted), "platforms")
    # found optional item: not a hit, not a false one; missed optional item: not a miss
    assert (platforms.gold, platforms.predicted, platforms.matched) == (1, 2, 1)


def test_a_platform_stated_in_several_documents_counts_in_each_region():
    gold = [{"document": QINGDAO_PLAN, "name": "爱山东", "aliases": [], "kind": "app", "quote": "爱山东"}]
    predicted = [{"id": "p3", "type": "Platform", "label": "爱山东", "aliases": [], "region": "山东省", "document": D1}]
    evidence = [{"about": "p3", "document": D2, "start": 0, "end": 3, "quote": "爱山东"}]
    assert _row(_score({"documents": GOLD_DOCS, "platforms": gold}, predicted), "platforms").matched == 0
    assert _row(_score({"documents": GOLD_DOCS, "platforms": gold}, predicted, evidence), "platforms").matched == 1


def test_departments_match_per_document():
    gold = [
        {"document": HENAN_PLAN, "name": "省大数据局", "quote": ""},
        {"document": QINGDAO_PLAN, "name": "市大数据局", "quote": ""},
        {"document": QINGDAO_PLAN, "name": "市发展改革委", "quote": ""},
    ]
    predicted = [
        {"id": "d1", "type": "Department", "label": "省 大数据局", "aliases": [], "document": D1},
        {"id": "d2", "type": "Department", "label": "市大数据局", "aliases": [], "document": D1},  # wrong document
        {"id": "d3", "type": "Department", "label": "市发展和改革委员会", "aliases": ["市发展改革委"], "document": D2},
        {"id": "d4", "type": "Department", "label": "各区政府", "aliases": [], "document": D3},  # Article: out of scope
    ]
    row = _row(_score({"documents": GOLD_DOCS, "departments": gold}, predicted), "departments")
    assert (row.gold, row.predicted, row.matched) == (3, 3, 2)
    assert row.precision == pytest.approx(2 / 3) and row.recall == pytest.approx(2 / 3)


def test_tasks_match_number_and_title_prefix_and_score_units_and_deadlines():
    gold = [
        {"document": HENAN_PLAN, "number": "1", "title": "完善政务服务体系", "lead_units": ["省大数据局"],
         "support_units": [], "deadlines": ["2023-12-31"], "deadline_text": "2023年底前"},
        {"document": HENAN_PLAN, "number": "（二）", "title": "推进数据共享", "lead_units": ["省大数据局", "省发展改革委"],
         "support_units": [], "deadlines": [], "deadline_text": None},
        {"document": HENAN_PLAN, "number": "3", "title": "强化安全保障", "lead_units": [], "support_units": [],
         "deadlines": [], "deadline_text": None},
        {"document": QINGDAO_PLAN, "number": "1", "title": "建设城市大脑", "lead_units": ["市大数据局"],
         "support_units": [], "deadlines": ["2024-06-30"], "deadline_text": None},
    ]
    predicted = [
        {"id": "t1", "type": "Task", "number": "1", "title": "完善政务服务体系建设", "lead_units": ["省大数据局"],
         "deadlines": ["2023-12-31"], "document": D1},
        {"id": "t2", "type": "Task", "number": "二", "title": "推进数据共享", "lead_units": ["省大数据局"],
         "deadlines": [], "document": D1},
        {"id": "t3", "type": "Task", "number": "4", "title": "强化安全保障", "lead_units": [], "deadlines": [], "document": D1},
        {"id": "t4", "type": "Task", "number": "1", "title": "建设", "lead_units": ["市大数据局"],
         "deadlines": ["2024-06-30"], "document": D2},  # title too short to be a prefix
    ]
    rows = _score({"documents": GOLD_DOCS, "tasks": gold}, predicted)
    tasks = _row(rows, "tasks")
    assert (tasks.gold, tasks.predicted, tasks.matched) == (4, 4, 2)
    lead = _row(rows, "task lead units")  # gold tasks with lead units: 3; found 2; equal 1
    assert (lead.gold, lead.predicted, lead.matched) == (3, 2, 1)
    assert lead.recall == pytest.approx(1 / 3) and lead.precision == 0.5
    deadlines = _row(rows, "task deadlines")
    assert (deadlines.gold, deadlines.predicted, deadlines.matched) == (2, 1, 1)


def test_goals_match_value_unit_and_year():
    gold = [
        {"document": HENAN_PLAN, "indicator": "网上可办率", "value": 95, "value_max": None, "unit": "%", "comparator": "以上",
         "year": 2025, "quote": ""},
        {"document": HENAN_PLAN, "indicator": "算力", "value": 1.6, "value_max": None, "unit": "EFLOPS", "comparator": None,
         "year": 2025, "quote": ""},
        {"document": QINGDAO_PLAN, "indicator": "专家型校长", "value": 300, "value_max": None, "unit": "名",
         "comparator": None, "year": None, "quote": ""},
    ]
    predicted = [
        {"id": "g1", "type": "Goal", "value": 95.0, "unit": "％", "year": 2025, "document": D1},
        {"id": "g2", "type": "Goal", "value": 1.6, "unit": "EFLOPS", "year": 2023, "document": D1},  # wrong year
        {"id": "g3", "type": "Goal", "value": 300, "unit": "名", "year": None, "document": D2},
    ]
    row = _row(_score({"documents": GOLD_DOCS, "goals": gold}, predicted), "goals")
    assert (row.gold, row.predicted, row.matched) == (3, 3, 2)
    assert row.precision == pytest.approx(2 / 3) and row.recall < 1


def test_data_exchanges_and_their_status():
    gold = [
        {"document": HENAN_PLAN, "name": "郑州数据交易中心", "status": "existing", "quote": ""},
        {"document": HENAN_PLAN, "name": "中原数据交易联盟", "status": "existing", "quote": ""},
        {"document": QINGDAO_PLAN, "name": "青岛大数据交易中心", "status": "planned", "quote": ""},
    ]
    predicted = [
        {"id": "x1", "type": "DataExchange", "label": "郑州数据交易中心", "aliases": [], "status": "existing", "document": D1},
        {"id": "x2", "type": "DataExchange", "label": "青岛大数据交易中心", "aliases": [], "status": "existing", "document": D2},
    ]
    rows = _score({"documents": GOLD_DOCS, "data_exchanges": gold}, predicted)
    exchanges = _row(rows, "data exchanges")
    assert (exchanges.precision, exchanges.recall) == (1.0, pytest.approx(2 / 3))
    status = _row(rows, "data exchange status")
    assert (status.gold, status.predicted, status.matched) == (3, 2, 1)


def test_cited_works_match_title_or_number():
    gold = [
        {"document": HENAN_PLAN, "title": "国务院关于加强数字政府建设的指导意见", "doc_number": "国发〔2022〕14号"},
        {"document": HENAN_PLAN, "title": "河南省数据条例", "doc_number": None},
    ]
    predicted = [{"id": "c1", "type": "CitedWork", "label": "国发〔2022〕14号", "title": None,
                  "doc_number": "国发〔2022〕14号", "document": D1}]
    row = _row(_score({"documents": GOLD_DOCS, "cited_documents": gold}, predicted), "cited works")
    assert (row.gold, row.predicted, row.matched) == (2, 1, 1)


def test_initiatives_per_region():
    regions = [
        {"id": "r1", "type": "Province", "label": "河南省", "code": "410000", "initiatives": ["一网通办", "一网统管", "城市大脑"]},
        {"id": "r2", "type": "City", "label": "青岛市", "code": "370200", "initiatives": ["一网通办"]},
        {"id": "r3", "type": "City", "label": "郑州市", "code": "410100", "initiatives": ["跨省通办"]},  # no gold: ignored
    ]
    gold = {"河南省": [{"initiative": "一网通办", "quote": ""}, {"initiative": "一网统管", "quote": ""}],
            "青岛": [{"initiative": "一网通办", "quote": ""}, {"initiative": "城市云脑", "quote": ""}]}
    row = _row(ev.evaluate({"initiatives_by_region": gold}, {"entities": regions}), "initiatives")
    assert (row.gold, row.predicted, row.matched) == (4, 4, 3)
    assert row.precision == 0.75 and row.recall == 0.75


def test_rows_only_for_sections_the_check_set_has():
    rows = _score({"documents": GOLD_DOCS}, [])
    assert {r.type for r in rows} == {"documents", "document genre", "document region", "document period", "document number"}
    assert all(r.checkset == "x.txt" for r in rows)
    empty = _row(_score({"documents": GOLD_DOCS, "goals": []},
                        [{"id": "g", "type": "Goal", "value": 1, "unit": "个", "year": None, "document": D1}]), "goals")
    assert (empty.gold, empty.predicted, empty.precision, empty.recall) == (0, 1, 0.0, None)


def test_format_rows_prints_one_line_per_row():
    rows = [Row("goals", 4, 2, 1, 0.5, 0.25, "a.json"), Row("branded platforms", 3, None, 0, None, 0.0, "a.json")]
    lines = ev.format_rows(rows).splitlines()
    assert lines[0].split() == ["check", "set", "type", "gold", "pred", "match", "precision", "recall"]
    assert lines[1].split() == ["a.json", "goals", "4", "2", "1", "50.0%", "25.0%"]
    assert lines[2].split() == ["a.json", "branded", "platforms", "3", "-", "0", "-", "0.0%"]


# ---------------------------------------------------------------- sources and whole runs


def test_the_sample_source_is_found_by_its_content():
    checkset = ev.load_checkset(CHECKSET / "sample.json")
    assert checkset["source"] == "000_150e69a768421e9d.txt"
    found = ev.resolve_source(checkset["source"], checkset=checkset, search_dirs=[DATA])
    assert found == DATA / "newsletter_2023_19.txt"


def test_a_source_mapping_wins_and_a_missing_source_is_an_error(tmp_path):
    text = tmp_path / "other.txt"
    text.write_text("无关的文字。\n", encoding="utf-8")
    assert ev.resolve_source("a.txt", sources_dir_for={"a.txt": text}) == text
    assert ev.resolve_source("other.txt", sources_dir_for=lambda name: tmp_path) == text  # a directory holding it
    checkset = {"source": "a.txt", "platforms": [{"quote": "省一体化政务服务平台"}]}
    with pytest.raises(KGError, match="'a.txt' not found"):
        ev.resolve_source("a.txt", checkset=checkset, search_dirs=[tmp_path])


def test_a_bare_region_mapping_needs_a_source_to_score_against(tmp_path):
    path = tmp_path / "initiatives_by_region.json"
    path.write_text(json.dumps({"河南省": [{"initiative": "一网通办", "quote": ""}]}, ensure_ascii=False), encoding="utf-8")
    assert "initiatives_by_region" in ev.load_checkset(path)
    with pytest.raises(KGError, match="names no source"):
        ev.evaluate_checksets([path], build_graph=api.build_graph)


def test_the_sample_evaluates_end_to_end(tmp_path):
    sample = CHECKSET / "sample.json"
    paths = [sample] + ([CHECKSET / "initiatives_by_region.json"] if (CHECKSET / "initiatives_by_region.json").is_file() else [])
    rows = ev.evaluate_checksets(paths, sources_dir_for={"000_150e69a768421e9d.txt": DATA / "newsletter_2023_19.txt"},
                                 build_graph=api.build_graph)
    by_set = {(r.checkset, r.type): r for r in rows}
    documents = by_set[("sample.json", "documents")]
    assert (documents.gold, documents.matched) == (4, 4)
    assert by_set[("sample.json", "document genre")].recall == 1.0
    for section in ("platforms", "departments", "tasks", "goals", "data exchanges", "cited works"):
        assert ("sample.json", section) in by_set
    for row in rows:
        assert 0 <= row.matched <= row.gold
        assert row.predicted is None or row.matched <= row.predicted
        for value in (row.precision, row.recall):
            assert value is None or 0.0 <= value <= 1.0
    if len(paths) > 1:
        assert by_set[("initiatives_by_region.json", "initiatives")].gold > 0
    assert not any(r.checkset == "all" for r in rows)  # each type is scored by one check set only
    assert "sample.json" in ev.format_rows(rows)


def test_totals_sum_types_over_check_sets(tmp_path):
    copy = tmp_path / "copy.json"
    copy.write_text((CHECKSET / "sample.json").read_text(encoding="utf-8"), encoding="utf-8")
    rows = ev.evaluate_checksets([CHECKSET / "sample.json", copy], search_dirs=[DATA], build_graph=api.build_graph)
    by_set = {(r.checkset, r.type): r for r in rows}
    for type_ in ("documents", "platforms", "branded platforms", "tasks"):
        one, total = by_set[("sample.json", type_)], by_set[("all", type_)]
        assert by_set[("copy.json", type_)] == Row(**{**one.__dict__, "checkset": "copy.json"})
        assert (total.gold, total.predicted, total.matched) == (
            2 * one.gold, None if one.predicted is None else 2 * one.predicted, 2 * one.matched)
        assert (total.precision, total.recall) == (one.precision, one.recall)


def test_the_corpus_check_sets_find_their_sources(corpus_dir):
    paths = sorted((CHECKSET / "corpus").glob("*.json"))
    assert paths
    for path in paths:
        checkset = ev.load_checkset(path)
        assert ev.resolve_source(checkset["source"], checkset=checkset, search_dirs=[corpus_dir]).parent == corpus_dir
