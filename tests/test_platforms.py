import pytest

from kg.ingest.extract.platforms import canonical_key, find_platforms, kind_of
from kg.core.text import normalize

KIND = "https://w3id.org/govkg/platform-kind/"


def names(sentence):
    """The candidates the rules find in one sentence (before the scorer decides)."""
    return [(m.name, m.kind.rsplit("/", 1)[-1]) for m in find_platforms(normalize(sentence).text)]


def decided(sentence):
    """The platforms the extractor keeps from one sentence of a city's plan (rules and scorer)."""
    from kg.ingest.extract import extract_document
    from kg.core.model import Source
    from kg.ingest.segment import split_documents

    text = f"兰州市数字政府建设实施方案（2024—2026年）\n\n一、主要任务\n\n1.{sentence}\n"
    source = Source(name="plan.txt", text=text, encoding="utf-8", sha256="0", format="txt")
    (segment,) = split_documents(source, normalize(text))
    extraction = extract_document(segment, only=["platforms"])
    return [e.label for e in extraction.entities if e.type == "Platform"]


@pytest.mark.parametrize("sentence, expected", [
    ("重构升级省一体化政务服务平台及其移动端“皖事通”，统筹归并网上办事入口。", [("省一体化政务服务平台", "system"), ("皖事通", "app")]),
    ("拓展“渝快办”移动应用，推出更多服务。", [("渝快办", "app")]),
    ("整合建设“苏服码”，实现一码通用。", [("苏服码", "code")]),
    ("建设政务区块链“赣链”，支撑数据共享。", [("赣链", "blockchain")]),
    ("依托“闽政通”APP办理高频事项。", [("闽政通", "app")]),
    ("拓展提升“浙政钉”平台功能。", [("浙政钉", "system")]),
    ("依托“粤省事”“粤商通”“粤政易”三大平台提供服务。", [("粤省事", "system"), ("粤商通", "system"), ("粤政易", "system")]),
    ("依托“爱山东”、“山东通”等APP办理。", [("爱山东", "app"), ("山东通", "app")]),
    ("升级“浙政钉”2.0，上线“赣政通”。", [("浙政钉", "other"), ("赣政通", "other")]),   # a release, a launch
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
    "推广“一网通办”“一网统管”等平台应用。",                 # listed initiatives stay initiatives
])
def test_slogans_categories_and_market_platforms_are_not_platforms(sentence):
    assert decided(sentence) == []


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


@pytest.mark.parametrize("sentence", [
    "推动数据中心与能源系统协同，保护湿地生态系统。",            # systems that are not information systems
    "推进重点领域5G虚拟专网建设，实现千兆光网城乡全覆盖。",      # network technologies
    "开展“双千兆”网络建设，推广“软件定义网络”。",
    "探索“天网地网”立体化城市管理模式。",                      # a quoted concept
    "加强政务事项内部“掌上办”。",                              # a kind word alone
    "打造安全可信的“为民赋码”。",                              # verb + 码 is an action
    "持续推进全市政务信息系统上云工作。",                      # 上云 is a verb; 政务信息系统 a category
    "建设集数据汇聚、共享、开放于一体的“一平台”。",            # a count-slogan
    "打造全市一个医疗平台。",
    "深入推进部省系统打通。",                                  # a category of systems
    "鼓励企业开放“双创”平台资源。",                            # industry platforms
    "上线景区云直播，提升高频便民服务网上办理能力。",          # 云直播, 网上: parts of other words
])
def test_words_that_look_like_platforms_but_are_not(sentence):
    assert decided(sentence) == []


@pytest.mark.parametrize("sentence", [
    "分行业搭建工业设计公共服务平台。",              # one per industry: a kind, not a name
    "建设重点领域数据共享平台。",                    # key fields: many platforms
    "推动从数字平台到实体经济转型。",                # 数字平台 with no owner: a kind of platform
    "完善数据要素流通交易平台。",                    # a data exchange, extracted as such
    "建设城市智能算力云中心。",                      # 云 begins 云中心, a facility
    "打造重点平台。",                                # 重点: a praise word, no name
])
def test_categories_that_the_candidate_rules_leave_out(sentence):
    assert names(sentence) == []


def test_a_market_word_in_quotes_is_no_brand():
    assert [m.branded for m in find_platforms(normalize("发挥国家级“双跨”平台作用。").text)] == [False]  # a class of industry platforms


def test_a_generic_stem_with_an_owner_stays_a_candidate():
    assert names("建设市数字化平台。") == [("市数字化平台", "system")]


@pytest.mark.parametrize("sentence, expected", [
    ("接入“豫事办”，推动高频事项掌上办理。", ["豫事办"]),                # a bare brand as the object of 接入
    ("“冰城码”上线运行，覆盖全市公交。", ["冰城码"]),
    ("建成城市运行管理服务平台，实现一网统管。", ["城市运行管理服务平台"]),  # 城市…: the city's own system
])
def test_forms_the_candidate_rules_and_the_scorer_keep(sentence, expected):
    assert decided(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("完善城市大脑通用能力平台（UCS）体系。", [("城市大脑通用能力平台（UCS）", "system")]),    # abbreviation kept
    ("依托省协同办公平台移动端，贯通各级办公系统。", [("省协同办公平台", "system")]),          # its mobile end
    ("将市、区县（市）智能政务服务大厅管理平台与省平台对接。", [("智能政务服务大厅管理平台", "system")]),
    ("依托省、市统一收缴平台构建缴费渠道。", [("统一收缴平台", "system")]),
    ("建设省办公业务资源库。", [("省办公业务资源库", "database")]),
    ("建设不可移动文物数字化平台。", [("不可移动文物数字化平台", "system")]),
])
def test_name_edges(sentence, expected):
    assert names(sentence) == expected


def test_more_spellings_share_a_key():
    assert canonical_key("人口基础数据库") == canonical_key("人口库")
    assert canonical_key("市级政务云平台") == canonical_key("政务云")
    assert canonical_key("城市大脑通用能力平台（UCS）") == canonical_key("城市大脑通用能力平台")
    assert canonical_key("一体化城市数据中枢") == canonical_key("城市数据中枢")
    assert canonical_key("省政务服务平台") != canonical_key("省政务服务中心")


def test_a_plan_merges_spellings_and_leaves_out_companies_systems(tmp_path):
    from kg import api
    from kg.query.tables import tables

    (tmp_path / "plan.txt").write_text(
        "兰州市数字政府建设实施方案（2024—2026年）\n\n一、主要任务\n\n"
        "1.建设地理信息公共服务平台（或时空信息云平台）。完善“金城通”协同办公平台，拓展“金城通”移动端。〔牵头单位：市大数据局〕\n"
        "2.各基础电信企业要完善网络安全态势感知平台，通过“工信部通信网络安全防护管理系统”完成定级备案。〔牵头单位：市通信办〕\n"
        "3.建设政务服务统一公共收缴支付平台。优化公共收缴支付平台功能。〔牵头单位：市财政局〕\n", encoding="utf-8")
    result = api.build([str(tmp_path / "plan.txt")], out_dir=None, validate=False)
    platforms = [row for row in tables(result.state.graph)["entities"] if row["type"] == "Platform"]
    spellings = sorted(sorted([row["label"], *row["aliases"]]) for row in platforms)
    assert spellings == sorted([
        ["地理信息公共服务平台", "时空信息云平台"],
        sorted(["金城通", "“金城通”协同办公平台", "“金城通”移动端"]),  # the brand is the name, the rest aliases
        ["工信部通信网络安全防护管理系统"],
        ["公共收缴支付平台", "政务服务统一公共收缴支付平台"],
    ])


def _platform_regions(title, sentence):
    from kg.ingest.extract import extract_document
    from kg.core.model import Source
    from kg.ingest.segment import split_documents

    text = f"{title}\n\n一、主要任务\n\n1.{sentence}\n"
    source = Source(name="plan.txt", text=text, encoding="utf-8", sha256="0", format="txt")
    (segment,) = split_documents(source, normalize(text))
    extraction = extract_document(segment, only=["platforms"])
    return {e.label: e.first("gk:inRegion").iri.rsplit("/", 1)[-1] for e in extraction.entities if e.type == "Platform"}


def test_a_platform_belongs_to_the_governing_documents_region_not_to_a_place_word_in_its_name():
    # a province's plan naming a city's centre: the province's plan states it, so it is the province's
    assert _platform_regions("山东省数字政府建设实施方案（2024—2026年）", "建设济南市政务服务数据共享平台。") == {
        "济南市政务服务数据共享平台": "370000"}
    # a city's plan naming its province's system: the province's
    assert _platform_regions("青岛市数字政府建设实施方案（2024—2026年）", "接入山东省一体化政务服务平台。") == {
        "山东省一体化政务服务平台": "370000"}


@pytest.mark.parametrize("sentence, expected", [
    # a service number names its hotline, quoted or not; a short number is a count
    ("优化12345热线服务，做好群众诉求办理。", [("12345热线", "hotline")]),
    ("优化“12315”热线和投诉举报闭环机制。", [("12315热线", "hotline")]),
    # a quoted brand and what it is: the brand is the name, its kind from the description
    ("上线“某i企”企业综合服务平台，公布政策清单。", [("某i企", "system")]),
    ("加快建设“江城E链”供应链金融平台。", [("江城E链", "blockchain")]),
    # a slogan inside a descriptive name is not a brand
    ("建成科技创新“三链融合”公共服务平台。", [("科技创新“三链融合”公共服务平台", "system")]),
    # online halls are portals; a service hall is a building
    ("提档升级网上金融服务大厅，拓展服务功能。", [("网上金融服务大厅", "portal")]),
    ("优化政务服务大厅布局。", []),
    # 重点 qualifies a noun here (not an adverb); 省内 is where, not part of the name
    ("完成旅游重点区域监测平台建设。", [("旅游重点区域监测平台", "system")]),
    ("建设省内充电基础设施服务平台。", [("充电基础设施服务平台", "system")]),
    # modes of handling affairs and layout formulas are slogans, even quoted after a verb
    ("推动“网上办”向“掌上办”转变。", []),
    ("建设“一园两区”云景产业园。", []),
])
def test_service_numbers_described_brands_halls_and_slogans(sentence, expected):
    assert names(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    # a numeral and a kind character in quotes is a count; storage depots and warehouses are no databases or clouds
    ("深化“四链”融合互促。", []),
    ("推进320万方原油商储库建设。", []),
    ("建设国际农产品云仓基地。", []),
    # a quoted 窗口 is a portal; 要害 is one word, not 要 + 害…
    ("丰富国际贸易“单一窗口”功能。", [("单一窗口", "portal")]),
    ("加强要害信息系统安全保障。", [("要害信息系统", "system")]),
    # a service number inside a quoted brand makes it a hotline's brand
    ("充分发挥“12345·某市首发”作用。", [("12345·某市首发", "hotline")]),
    # a system's life said after a list of quoted names is said of each
    ("推动“甲事通”“乙政通”迭代升级。", [("甲事通", "other"), ("乙政通", "other")]),
    # a mode (…式) or a slogan of the 一件事 kind in quotes is no brand: the descriptive name is
    ("建好矛盾纠纷多元化解“一站式”平台。", [("矛盾纠纷多元化解“一站式”平台", "system")]),
    ("推动“一件事”向“一类事”迭代。", []),
])
def test_counts_depots_windows_numbered_and_listed_brands(sentence, expected):
    assert names(sentence) == expected


def test_a_quoted_metaphor_ending_in_a_storage_word_is_only_a_bare_name():
    (mention,) = find_platforms("加快建设“森林粮库”。")
    assert "bare-brand" in mention.flags


def test_a_hotline_and_its_numbered_brand_are_one_platform():
    assert len(decided("优化12345政务服务便民热线，打造“某民办·12345更好热线”服务品牌。")) == 1


@pytest.mark.parametrize("sentence, name, cues", [
    ("全省政务服务便民热线工作现场会在我市召开。", "全省政务服务便民热线", {"modifies-noun"}),
    ("在数字政府平台新建特色专区。", "数字政府平台", {"means-before"}),
    ("启动文化遗产标本库、民族文化基因库等文化大数据公共平台建设。", "文化大数据公共平台", {"after-list"}),
    ("搭建内容制作、分发公共服务平台。", "分发公共服务平台", {"fragment"}),
    ("构建政企直通车、“帮企云”平台。", "“帮企云”平台", set()),          # a quoted brand is no fragment
    ("培育一批综合性服务平台。", "综合性服务平台", {"cultivate", "distributive"}),
    ("探索建设重点行业和领域数据流通平台。", "重点行业和领域数据流通平台", {"category-name"}),
    ("某公司获评国家级示范平台。", "国家级示范平台", {"honour"}),
])
def test_cues_of_the_words_around_a_candidate(sentence, name, cues):
    from kg.ingest.extract.platform_scorer import sentence_cues

    start = sentence.index(name)
    clause_start = max(sentence.rfind(ch, 0, start) for ch in "，。；：！？") + 1
    found = sentence_cues(sentence, start, start + len(name), clause_start)
    assert {cue for cue in found if not cue.startswith("verb:")} == cues


@pytest.mark.parametrize("sentence, name, cues", [
    ("用好农产品出口服务云平台，扩大出口。", "农产品出口服务云平台", {"verb:use"}),
    ("优化提升某市人才大脑。", "某市人才大脑", {"verb:improve"}),
    ("加快建设国际贸易数字化平台。", "国际贸易数字化平台", {"verb:build"}),
    ("投用智慧工地、智慧物业系统。", "智慧物业系统", {"verb:use"}),  # two names alike: no fragment
    ("某某平台上线。", "某某平台", set()),                           # no verb before it
])
def test_the_verb_before_a_candidate_by_what_it_does(sentence, name, cues):
    from kg.ingest.extract.platform_scorer import sentence_cues

    start = sentence.index(name)
    clause_start = max(sentence.rfind(ch, 0, start) for ch in "，。；：！？") + 1
    assert sentence_cues(sentence, start, start + len(name), clause_start) == cues


def test_a_noun_of_two_verbs_stays_inside_a_name():
    assert names("建成某江生态保护利用综合平台。") == [("某江生态保护利用综合平台", "system")]


def test_a_kind_word_inside_a_place_name_ends_no_name():
    assert names("加快无锡连云港工业园区建设。") == []
    assert names("建设连云港数据共享平台。") == [("连云港数据共享平台", "system")]


def test_a_brand_is_weighed_by_what_it_is_said_to_be():
    from kg.ingest.extract.platform_scorer import CandidateContext, features

    context = CandidateContext(genre="WorkReport", national=False, in_review=False, company_subject=False,
                               company_in_clause=False, build_verb_before=True, acted_after=False,
                               quantity_before=False, repeated=False)
    values = features(name="某色云", kind="kind/cloud", branded=True, flags=frozenset(), kind_word="云",
                      context=context, region_in_name=False, surface="“某色云”黄金产业互联网平台")
    assert values["words:industry"] == 1.0 and values["words:market"] == 1.0


def test_bare_mentions_do_not_drag_down_a_brand_named_with_its_kind_word():
    from kg.ingest.extract.platform_scorer import merge_features

    named = {"branded": 1.0, "kind:system": 1.0}
    bare = {"branded": 1.0, "kind:other": 1.0, "flag:bare-brand": 1.0, "used": 1.0}
    assert merge_features([named, bare]) == {"branded": 1.0, "kind:system": 1.0, "used": 1.0}
    assert merge_features([bare]) == bare
