"""Document facts from every place a text offers them: speaker line, addressees, printing line,
signature, file name, body, and the user's manifest; genres by what a text calls itself."""
import datetime

import pytest

from kg.ingest.extract import extract_document
from kg.ingest.extract.document_facts import addressee_level, closing_lines, file_name_region, genre_from_body, speaker_line
from kg.ingest.extract.documents import gather_facts
from kg.core.model import Source
from kg.ingest.segment import split_documents
from kg.core.text import normalize

GK = "https://w3id.org/govkg/ns#"
WORK_REPORT = ("各位代表：\n\n现在，我代表市人民政府向大会报告工作，请予审议。\n\n一、2023年工作回顾\n\n"
               "过去的一年，全市地区生产总值增长6.1%，新增城镇就业5.2万人。我市建成政务服务平台。\n\n"
               "二、2024年工作安排\n\n2024年是关键之年。全市地区生产总值增长6%左右。\n\n"
               "（一）建设数字政府。全市推进“一网通办”，上线“i临沂”APP，新增5G基站1200座。\n\n（二）优化营商环境。全市开展招商活动120场。\n")


def facts(text, name="doc.txt", declared=()):
    source = Source(name=name, text=text, encoding="utf-8", sha256="0", format="txt", declared=declared)
    (segment,) = split_documents(source, normalize(text))
    return gather_facts(segment)


def document(text, name="doc.txt", declared=()):
    source = Source(name=name, text=text, encoding="utf-8", sha256="0", format="txt", declared=declared)
    (segment,) = split_documents(source, normalize(text))
    return extract_document(segment)


def region_name(fact):
    from kg.core.ontology import divisions
    return None if fact is None else ("中国" if fact.value == "CN" else divisions()[fact.value].name)


# ---------------------------------------------------------------- speaker line, addressees, closing lines


@pytest.mark.parametrize("text, place, level", [
    ("现在，我代表市人民政府向大会报告工作", "", "prefecture"),
    ("我代表省人民政府，向大会报告工作", "", "province"),
    ("我代表国务院，向大会报告政府工作", "", "country"),
    ("我代表吉林省人民政府向大会报告工作", "吉林省", "province"),
    ("受县人民政府委托，向大会报告政府工作", "", "county"),
])
def test_speaker_lines(text, place, level):
    assert speaker_line(text)[:2] == (place, level)


@pytest.mark.parametrize("text, level", [
    ("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n", "country"),
    ("各市人民政府，各县（市、区）人民政府，省政府各部门：\n", "province"),
    ("各县（市、区）人民政府，市政府各部门：\n", "prefecture"),
])
def test_addressees_give_the_issuing_level(text, level):
    assert addressee_level(text)[0] == level


def test_printing_lines_and_signatures_give_issuer_and_date():
    text = "正文。\n\n河南省人民政府办公厅 2023年12月5日印发\n"
    issuer, date = closing_lines(text, 0, len(text))
    assert (issuer.value, issuer.basis, date.value) == ("河南省人民政府办公厅", "printing-line", datetime.date(2023, 12, 5))
    text = "正文。\n\n青岛市人民政府\n二〇二四年一月十五日\n"
    issuer, date = closing_lines(text, 0, len(text))
    assert (issuer.value, issuer.basis, date.value) == ("青岛市人民政府", "signature", datetime.date(2024, 1, 15))
    text = "正文。\n来源：山东省大数据局\n"
    issuer, _ = closing_lines(text, 0, len(text))
    assert issuer.value == "山东省大数据局"


@pytest.mark.parametrize("name, expected", [
    ("深圳.txt", "440300"), ("2024_深圳_政府工作报告.docx", "440300"), ("天门.txt", "429006"),
    ("济源-2024.txt", "419001"), ("440300.txt", "440300"), ("plan_a.txt", None), ("report-2024.txt", None),
])
def test_file_names_that_name_a_division(name, expected):
    assert file_name_region(name) == expected


@pytest.mark.parametrize("text, genre", [
    ("第一条 为规范管理，制定本办法。第二条 本办法适用于全省。", "Regulation"),
    ("为加快发展，现提出如下意见。一、总体要求", "Guidance"),
    ("为推动数字经济发展，结合实际，制定如下措施。", "Measures"),
    ("各位代表：现在，我代表市人民政府向大会报告工作。", "WorkReport"),
    ("根据《数字中国建设整体布局规划》和《数据安全管理办法》，全年软件业收入增长。", None),  # cited titles only
])
def test_genre_from_what_the_text_calls_itself(text, genre):
    found = genre_from_body(text, 0, len(text))
    assert (found[0] if found else None) == genre


# ---------------------------------------------------------------- the document's facts, ranked


def test_a_work_report_without_title_gets_genre_region_year_from_its_text():
    found = facts(WORK_REPORT, name="临沂.txt")
    assert (found.genre.value, found.genre.basis) == ("WorkReport", "body-cue")
    assert (region_name(found.region), found.region.basis) == ("临沂市", "file-name")
    assert found.level == "prefecture" and found.year.value == 2024


def test_an_ambiguous_name_is_read_at_the_level_the_text_speaks():
    # 吉林 is a province and a city: a city's report (市人民政府, 全市) governs the city
    assert region_name(facts(WORK_REPORT, name="吉林.txt").region) == "吉林市"
    provincial = WORK_REPORT.replace("我代表市人民政府", "我代表省人民政府").replace("全市", "全省")
    assert region_name(facts(provincial, name="吉林.txt").region) == "吉林省"


def test_a_county_level_city_directly_under_a_province():
    assert region_name(facts(WORK_REPORT, name="仙桃.txt").region) == "仙桃市"
    body = WORK_REPORT.replace("我市建成", "天门建成").replace("全市开展", "天门全市开展")
    assert region_name(facts(body).region) == "天门市"


def test_the_national_governments_report_and_national_documents_govern_the_country():
    report = WORK_REPORT.replace("我代表市人民政府", "我代表国务院").replace("全市", "全国")
    assert region_name(facts(report, name="2024_政府工作报告.txt").region) == "中国"
    guidance = ("关于促进智慧城市健康发展的指导意见\n\n各地区、各有关部门要加强指导。我国城镇化加快，山东、浙江等省先行。"
                "各省级人民政府要统筹。\n")
    found = facts(guidance)
    assert region_name(found.region) == "中国" and found.genre.value == "Guidance"


def test_without_a_title_the_body_names_its_region_at_its_level():
    text = ("各市人民政府，各县（市、区）人民政府，省政府各部门：\n为加快山东数字经济发展，现提出如下意见。\n"
            "一、总体要求\n全省信息技术产业营收突破2万亿元。山东要打造全国高地。\n")
    found = facts(text, name="opinions.txt")
    assert (found.genre.value, region_name(found.region), found.level) == ("Guidance", "山东省", "province")


def test_a_manifest_overrides_what_is_inferred_and_says_so():
    declared = (("genre", "政府工作报告"), ("region", "宜昌"), ("title", "2024年宜昌市政府工作报告"), ("date", "2024-01-10"))
    extraction = document(WORK_REPORT, name="临沂.txt", declared=declared)
    doc = extraction.document
    assert doc.first("dcterms:title") == "2024年宜昌市政府工作报告"
    assert doc.first("gk:governsRegion").iri.endswith("/420500")
    assert doc.first("gk:regionBasis").iri == GK + "basis-manifest"
    assert doc.first("dcterms:issued") == datetime.date(2024, 1, 10)


def test_an_article_is_decided_by_evidence_and_governs_nothing():
    extraction = document("2023年软件业运行情况\n\n全年软件业务收入达到1000亿元，同比增长13%。\n")
    assert extraction.document.type == "Article" and not extraction.document.first("gk:governsRegion")
    assert any("read as an article" in w for w in extraction.warnings)


# ---------------------------------------------------------------- no genre gate: a work report yields everything


def test_a_work_report_yields_region_goals_tasks_and_adoptions():
    extraction = document(WORK_REPORT, name="临沂.txt")
    types = [e.type for e in extraction.entities]
    goals = {(str(e.first("schema:value")), e.first("schema:unitText"), e.first("gk:targetYear"))
             for e in extraction.entities if e.type == "Goal"}
    # the 2024 targets, counts with measure words included; the 2023 review's results are no goals
    assert {("6", "%", 2024), ("1200", "座", 2024), ("120", "场", 2024)} <= goals
    assert not any(value in ("6.1", "5.2") for value, _, _ in goals)
    assert sorted(e.label for e in extraction.entities if e.type == "Task") == ["一. 建设数字政府", "二. 优化营商环境"]
    assert any(r.predicate == "gk:adopts" for r in extraction.relations) and "Platform" in types


def test_a_text_that_lost_its_line_breaks_is_read_as_if_it_had_them():
    run_on = WORK_REPORT.replace("\n", "") + "全市推进工作。" * 800  # one line of more than 5,000 characters
    extraction = document(run_on, name="潍坊.txt")
    tasks = sorted(e.label for e in extraction.entities if e.type == "Task")
    assert tasks[:2] == ["一. 建设数字政府", "二. 优化营商环境"]


# ---------------------------------------------------------------- the manifest on disk, and what the build says


def test_a_manifest_beside_the_files_is_read_for_them(tmp_path):
    from kg.ingest.readers import read_source

    (tmp_path / "report.txt").write_text(WORK_REPORT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("\ufefffile,title,region,genre\nreport.txt,宜昌市政府工作报告,宜昌市,WorkReport\n",
                                           encoding="utf-8")
    source = read_source(tmp_path / "report.txt")
    assert dict(source.declared) == {"title": "宜昌市政府工作报告", "region": "宜昌市", "genre": "WorkReport"}
    (tmp_path / "manifest.csv").unlink()
    (tmp_path / "manifest.yaml").write_text("- file: report.txt\n  region: 仙桃\n", encoding="utf-8")
    changed = read_source(tmp_path / "report.txt")
    assert dict(changed.declared) == {"region": "仙桃"} and changed.sha256 != source.sha256  # rebuilt when it changes


def test_a_broken_manifest_is_one_error_naming_the_file(tmp_path):
    from kg import api

    (tmp_path / "report.txt").write_text(WORK_REPORT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("title,region\nx,y\n", encoding="utf-8")
    from kg.core.errors import BuildFailed

    with pytest.raises(BuildFailed) as failed:
        api.build([tmp_path], out_dir=None, validate=False)
    assert [str(e) for e in failed.value.errors] == [
        f"{tmp_path / 'manifest.csv'}:1: has no 'file' column (start it with a header line such as: "
        "file,title,region,genre,date,issuer)"]


def test_the_build_says_per_document_what_it_could_not_determine(tmp_path):
    from kg import api
    from kg.ingest.summary import build_summary

    (tmp_path / "report.txt").write_text(WORK_REPORT, encoding="utf-8")
    (tmp_path / "steps.txt").write_text("某某工作方案\n\n一、保障措施\n\n（一）动员部署。\n\n（二）组织实施。\n\n（三）总结评估。\n",
                                        encoding="utf-8")
    result = api.build([tmp_path], out_dir=None, validate=False)
    text = build_summary(result, text=True)
    # the report names no place: its genre comes from what it calls itself, its region from nowhere
    assert "report.txt: no title line (genre and region taken from body-cue and nothing)" in text
    assert "steps.txt: no governing region found" in text
    assert "steps.txt: 3 numbered items but no task found" in text
    assert "not determined: goals in 1, region in 2, tasks in 1, title in 1 of 2 document(s)" in text


def test_an_adoption_is_a_commitment_not_a_passing_mention():
    text = ("山东省数字经济发展实施方案（2024—2026年）\n\n一、主要任务\n\n"
            "1.落实《关于构建数据基础制度更好发挥数据要素作用的意见》，推动出台《山东省数据条例》。\n\n"
            "2.在智能制造、智慧城市等重点领域培育数据商。建设人工智能超算中心。\n\n3.深化“一网通办”。\n")
    extraction = document(text)
    from kg.core.ontology import initiatives
    labels = {initiatives()[r.object].label for r in extraction.relations if r.predicate == "gk:adopts"}
    mentioned = {initiatives()[r.object].label for r in extraction.relations if r.predicate == "gk:mentionsInitiative"}
    assert "一网通办" in labels and "数据条例" in labels  # its own law, made by it
    for passing in ("数据基础制度", "智能制造", "智慧城市", "人工智能"):  # a cited title, a field list, a name
        assert passing in mentioned and passing not in labels
