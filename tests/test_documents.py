"""The document stage on title forms real publications use: notices that transmit a plan (with
or without 《》), five-year-plan periods, document numbers under the title."""
import pytest

from kg.ingest.extract.documents import genre_of


def _documents(tmp_path, text):
    from kg import api
    from kg.query.tables import document_types, tables

    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    result = api.build([str(tmp_path / "doc.txt")], out_dir=None, validate=False)
    return [row for row in tables(result.state.graph)["entities"] if row["type"] in document_types()]


NOTICE_BODY = ("\n\n浙政办发〔2021〕36号\n\n各市、县（市、区）人民政府：\n现印发给你们，请认真贯彻执行。\n\n"
               "浙江省数字政府建设“十四五”规划\n\n一、主要任务\n\n（一）深化“一网通办”。（责任单位：省大数据局）\n")


@pytest.mark.parametrize("title", [
    "浙江省人民政府办公厅关于印发浙江省数字政府建设“十四五”规划的通知",       # no 《》, as most sites print it
    "浙江省人民政府办公厅关于印发《浙江省数字政府建设“十四五”规划》的通知",
])
def test_a_notice_transmitting_a_plan_is_that_plan(tmp_path, title):
    (document,) = _documents(tmp_path, title + NOTICE_BODY)
    assert (document["type"], document["title"]) == ("Plan", "浙江省数字政府建设“十四五”规划")
    assert (document["period_start"], document["period_end"]) == (2021, 2025)   # 十四五
    assert document["doc_number"] == "浙政办发〔2021〕36号"
    assert document["issuer"] == "浙江省人民政府办公厅"
    assert document["region"] == "浙江省"


def test_work_points_are_an_action_plan_with_tasks(tmp_path):
    (document,) = _documents(tmp_path, "某市人民政府办公室关于印发数字某市建设2023年工作要点的通知\n\n各区人民政府：\n请认真贯彻落实。\n\n"
                                       "数字某市建设2023年工作要点\n\n一、重点任务\n\n1.深化政务服务。（牵头单位：市政务服务局）\n")
    assert (document["type"], document["title"], document["period_start"]) == ("ActionPlan", "数字某市建设2023年工作要点", 2023)


def test_a_notice_of_something_else_stays_a_notice(tmp_path):
    (document,) = _documents(tmp_path, "浙江省人民政府办公厅关于做好2024年春节假期安排的通知\n\n各市人民政府：\n请认真贯彻执行。\n")
    assert document["type"] == "Notice"


@pytest.mark.parametrize("title, genre", [
    ("广州市推进城市运行管理中枢建设工作方案", "ImplementationScheme"),
    ("关于加快推进数字政府建设的指导意见", "Guidance"),
    ("某市公共数据管理办法", "Regulation"),
    ("2023年全市经济运行情况", "Article"),
])
def test_genre_by_the_title_ending(title, genre):
    assert genre_of(title) == genre


@pytest.mark.parametrize("head, title, genre, period", [
    ("洛阳市加强数字政府建设\n实施方案（2023—2025年）", "洛阳市加强数字政府建设实施方案（2023—2025年）", "ImplementationScheme", (2023, 2025)),
    ("某市加快数字政府建设实施方案\n（2023—2025年）", "某市加快数字政府建设实施方案（2023—2025年）", "ImplementationScheme", (2023, 2025)),
    ("广东省人民政府关于印发广东省「数字政府」\n建设总体规划（2018-2020年）的通知\n\n粤府〔2018〕105号",
     "广东省“数字政府”建设总体规划（2018-2020年）", "Plan", (2018, 2020)),
])
def test_a_title_printed_over_two_lines_is_one_title(tmp_path, head, title, genre, period):
    (document,) = _documents(tmp_path, head + "\n\n为加快建设，制定本方案。\n\n一、主要任务\n\n1.建设平台。（责任单位：市数据局）\n")
    assert (document["title"], document["type"], (document["period_start"], document["period_end"])) == (title, genre, period)


def test_a_first_sentence_does_not_join_the_title(tmp_path):
    (document,) = _documents(tmp_path, "数字某市发展规划\n为加快建设数字某市，制定本规划。\n\n一、主要任务\n\n1.建设平台。\n")
    assert document["title"] == "数字某市发展规划"
