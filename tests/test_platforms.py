import pytest

from kg.extract.platforms import canonical_key, find_platforms, kind_of
from kg.text import normalize

KIND = "https://w3id.org/govkg/platform-kind/"


def names(sentence):
    return [(m.name, m.kind.rsplit("/", 1)[-1]) for m in find_platforms(normalize(sentence).text)]


@pytest.mark.parametrize("sentence, expected", [
    ("重构升级省一体化政务服务平台及其移动端“皖事通”，统筹归并网上办事入口。", [("省一体化政务服务平台", "system"), ("皖事通", "app")]),
    ("拓展“渝快办”移动应用，推出更多服务。", [("渝快办", "app")]),
    ("整合建设“苏服码”，实现一码通用。", [("苏服码", "code")]),
    ("建设政务区块链“赣链”，支撑数据共享。", [("赣链", "blockchain")]),
    ("依托“闽政通”APP办理高频事项。", [("闽政通", "app")]),
    ("拓展提升“浙政钉”平台功能。", [("浙政钉", "system")]),
])
def test_quoted_brands_next_to_cue_words(sentence, expected):
    assert names(sentence) == expected


@pytest.mark.parametrize("sentence, brand", [
    ('依托"闽政通"APP办理高频事项。', "闽政通"),       # ASCII quotes
    ("依托“闽政通\"APP办理高频事项。", "闽政通"),       # broken pair as exports have it
    ("依托「闽政通」APP办理高频事项。", "闽政通"),       # corner brackets
    ("依托“闽政通”ＡＰＰ办理高频事项。", "闽政通"),       # full-width letters
    ("依托 “闽政通” APP 办理高频事项。", "闽政通"),      # stray spaces
])
def test_broken_quotes_and_width_variants(sentence, brand):
    assert names(sentence)[0][0] == brand


@pytest.mark.parametrize("sentence", [
    "以“一朵云”为载体、“一张网”为链接、“一道墙”为防线。",   # slogans are initiatives
    "推进“一网通办”“一网统管”。",
    "支持企业建设工业互联网平台，培育平台企业。",           # market platforms, not government ones
    "加强各类业务系统整合，推动相关平台互联互通。",         # categories, not names
    "深化“5G+工业互联网”融合应用。",
])
def test_slogans_categories_and_market_platforms_are_not_platforms(sentence):
    assert names(sentence) == []


@pytest.mark.parametrize("sentence, expected", [
    ("完善网上信访投诉平台、行政复议工作平台、在线矛盾纠纷多元化解平台。",
     ["网上信访投诉平台", "行政复议工作平台", "在线矛盾纠纷多元化解平台"]),
    ("建设全市统一数据共享交换主平台，形成数据共享交换核心枢纽。", ["全市统一数据共享交换主平台"]),
    ("完善人口基础数据库、法人基础数据库，优化医疗健康主题库。", ["人口基础数据库", "法人基础数据库", "医疗健康主题库"]),
    ("实现12345政务服务便民热线与平台互通。", ["12345政务服务便民热线"]),
    ("建设CIM（城市信息模型）平台。", ["CIM（城市信息模型）平台"]),
    ("建立“一张图”实施监督系统。", ["“一张图”实施监督系统"]),
])
def test_noun_phrases_ending_in_kind_words(sentence, expected):
    assert [n for n, _ in names(sentence)] == expected


def test_kinds_come_from_the_ontology_cues():
    assert kind_of("市政务云平台") == KIND + "cloud"
    assert kind_of("人口基础数据库") == KIND + "database"
    assert kind_of("12345热线") == KIND + "hotline"
    assert kind_of("电子政务外网") == KIND + "network"
    assert kind_of("某品牌", "") == KIND + "other"


def test_spellings_of_one_platform_share_a_key():
    assert canonical_key("“豫事办”", ("河南省",)) == canonical_key("豫事办") == "豫事办"
    assert canonical_key("省一体化政务服务平台") == canonical_key("河南省一体化政务服务平台", ("河南省",))
