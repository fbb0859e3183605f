import pytest

from kg.ingest.extract.departments import parse_note, responsibility_notes, running_text_departments
from kg.core.text import normalize


def notes(text):
    return [[(u.name, u.role) for u in n.units] for n in responsibility_notes(normalize(text).text)]


@pytest.mark.parametrize("text, expected", [
    ("推进数据共享。〔牵头单位：市营商环境局、市大数据中心〕", [[("市营商环境局", "lead"), ("市大数据中心", "lead")]]),
    ("推进数据共享。（责任单位：省大数据局）", [[("省大数据局", "lead")]]),
    ("推进数据共享（省政府办公厅、省大数据局牵头）。", [[("省政府办公厅", "lead"), ("省大数据局", "lead")]]),
    ("推进数据共享（省大数据局牵头，省公安厅配合）。", [[("省大数据局", "lead"), ("省公安厅", "support")]]),
    ("推进数据共享（省大数据局牵头，省委组织部、省财政厅按职责分工负责）。",
     [[("省大数据局", "lead"), ("省委组织部", "support"), ("省财政厅", "support")]]),
    ("推进数据共享（省农业农村厅、省畜牧局按职责分工负责）。", [[("省农业农村厅", "lead"), ("省畜牧局", "lead")]]),
    ("推进数据共享（各市政府负责，牵头考核单位：省大数据局）。", [[("省大数据局", "lead")]]),
    ("推进数据共享。〔牵头单位：市营商环境局、各区县（市）政府〕", [[("市营商环境局", "lead"), ("各区县（市）政府", "lead")]]),
    ("推进数据共享。〔牵头单位：各区、县（市）政府〕", [[("各区、县（市）政府", "lead")]]),
    ("推进数据共享(省大数据局牵头)。", [[("省大数据局", "lead")]]),  # half-width brackets
    ("推进数据共享。（牵头单位：市数据局；配合单位：市财政局、市公安局）",
     [[("市数据局", "lead"), ("市财政局", "support"), ("市公安局", "support")]]),
    ("推进数据共享。【责任单位：市数据局（牵头），市经信局】", [[("市数据局", "lead"), ("市经信局", "support")]]),
    ("推进数据共享。牵头部门：市数据局；责任部门：市公安局、市市场监管局",                 # no brackets
     [[("市数据局", "lead"), ("市公安局", "support"), ("市市场监管局", "support")]]),
    ("推进数据共享。责任单位：市农业农村局。完成时限：2024年12月底前", [[("市农业农村局", "lead")]]),
    ("建设城市大脑。（责任单位：市数据局，各区县（市）政府；完成时间：2025年6月）",     # other fields after
     [[("市数据局", "lead"), ("各区县（市）政府", "lead")]]),
    ("推进数据共享。（协办单位：市财政局；主办单位：市数据局）", [[("市财政局", "support"), ("市数据局", "lead")]]),
    ("推进数据共享。(牵头单位:市审批服务局;责任单位:市直有关部门、单位,各区市政府。以下任务均需各区市政府落实)",
     [[("市审批服务局", "lead"), ("市直有关部门", "support"), ("各区市政府", "support")]]),      # a remark after the fields
])
def test_responsibility_note_forms(text, expected):
    assert notes(text) == expected


@pytest.mark.parametrize("text", [
    "建设城市运行管理平台（含视频监控）。",
    "完成定级备案（重点企业目录见附件1）。",
    "提升服务能力（2023—2025年）。",
])
def test_parentheses_that_are_not_notes(text):
    assert notes(text) == []


def test_parse_note_offsets_point_at_names():
    body = "牵头单位：市营商环境局、市大数据中心"
    for unit in parse_note(body):
        assert body[unit.start:unit.end] == unit.name


@pytest.mark.parametrize("text, expected", [
    ("充分发挥省数字政府建设工作领导小组作用。", ["省数字政府建设工作领导小组"]),
    ("按照国务院部署，成立市数字政府建设领导小组。", ["国务院", "市数字政府建设领导小组"]),
    ("北京市经济和信息化局负责统筹协调。", ["北京市经济和信息化局"]),
    ("州人民政府加强组织领导。", ["州人民政府"]),
])
def test_scoped_organisation_names_in_running_text(text, expected):
    assert [name for _, _, name in running_text_departments(normalize(text).text)] == expected


@pytest.mark.parametrize("text", [
    "为贯彻落实《国务院关于加强数字政府建设的指导意见》，制定本方案。",  # issuer inside a cited title
    "统筹推进全国数字政府建设全局。",
    "打造省市县三级联动体系。",
    "市场主体数量增长。",
])
def test_not_organisations(text):
    assert running_text_departments(normalize(text).text) == []
