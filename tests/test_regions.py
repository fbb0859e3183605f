import pytest

from kg.core.ontology import divisions
from kg.core.regions import COUNTRY_CODE, ancestors, find_regions, resolve_name, short_forms


def test_divisions_cover_every_level_with_parents():
    table = divisions()
    levels = {d.level for d in table.values()}
    assert levels == {"province", "prefecture", "county"}
    assert sum(d.level == "province" for d in table.values()) == 34
    assert sum(d.level == "prefecture" for d in table.values()) > 300
    assert sum(d.level == "county" for d in table.values()) > 2800
    for division in table.values():
        assert (division.parent is None) == (division.level == "province")
        assert division.parent is None or division.parent in table
        assert len(ancestors(division.code)) == {"province": 0, "prefecture": 1, "county": None}.get(division.level, 1) or (
            division.level == "county" and len(ancestors(division.code)) in (1, 2))


@pytest.mark.parametrize("code, name, parent", [
    ("230100", "哈尔滨市", "230000"), ("370200", "青岛市", "370000"), ("410000", "河南省", None),
    ("420000", "湖北省", None), ("513200", "阿坝藏族羌族自治州", "510000"),
])
def test_known_codes(code, name, parent):
    division = divisions()[code]
    assert (division.name, division.parent) == (name, parent)


def test_short_forms_follow_rules():
    table = divisions()
    assert short_forms(table["450000"]) == ["广西"]
    assert short_forms(table["150000"]) == ["内蒙古"]
    assert short_forms(table["110000"]) == ["北京"]
    assert short_forms(table["222400"]) == ["延边州", "延边"]
    assert short_forms(table["110105"]) == []  # county level: full names only


def test_find_regions_prefers_the_longest_name():
    found = find_regions("青岛市和山东省的数字青岛建设，河南与哈尔滨")
    assert [(m.surface, m.code) for m in found] == [
        ("青岛市", "370200"), ("山东省", "370000"), ("青岛", "370200"), ("河南", "410000"), ("哈尔滨", "230100")]


def test_ambiguous_names_resolve_inside_the_governing_region():
    # 朝阳区 exists in 北京市 and in 长春市; the document's region decides.
    assert [m.code for m in find_regions("朝阳区", context="110000")] == ["110105"]
    assert [m.code for m in find_regions("朝阳区", context="220100")] == ["220104"]
    assert find_regions("朝阳区") == []  # no context: left out rather than guessed


def test_a_short_form_shared_by_province_and_city_goes_to_the_province_unless_the_city_is_in_context():
    assert [m.code for m in find_regions("吉林")] == ["220000"]
    assert [m.code for m in find_regions("吉林", context="220200")] == ["220200"]


def test_ancestors():
    assert ancestors("110105") == ["110000"]
    assert ancestors("230102") == ["230100", "230000"]


def test_resolve_name_accepts_codes_names_short_forms_and_country():
    assert resolve_name("370200") == ["370200"]
    assert resolve_name("青岛") == ["370200"]
    assert resolve_name("青岛市") == ["370200"]
    assert resolve_name("全国") == [COUNTRY_CODE]
    assert resolve_name("无此地") == []
