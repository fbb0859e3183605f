from hypothesis import given, settings
from hypothesis import strategies as st

from kg.core.text import normalize

PIECES = st.lists(st.sampled_from([
    "数字", "政府", " ", "  ", "\n", "\n\n", "“", "”", '"', "（", "）", "(", ")", "，", "。", "：", ":", "2025", "２０２５",
    "年", "APP", "ＡＰＰ", "「", "」", "\u3000", "IPv6", "5G", "、", "〔牵头单位：市营商环境局〕", "a", "1.", "一、",
]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(PIECES, st.data())
def test_every_clean_span_maps_back_to_its_original_quote(text, data):
    norm = normalize(text)
    if not norm.text:
        return
    start = data.draw(st.integers(0, len(norm.text)))
    end = data.draw(st.integers(start, len(norm.text)))
    o_start, o_end = norm.span(start, end)
    assert 0 <= o_start <= o_end <= len(text)
    assert norm.quote(start, end) == text[o_start:o_end]
    # Nothing but deleted whitespace and width/quote variants separates the two.
    if end > start:
        assert len(text[o_start:o_end]) >= end - start


@settings(max_examples=200, deadline=None)
@given(PIECES)
def test_cleaning_only_deletes_or_replaces_one_for_one(text):
    norm = normalize(text)
    assert len(norm._map) == len(norm.text) + 1
    assert norm._map == sorted(norm._map)
    assert len(set(norm._map[:-1])) == len(norm.text)


def test_fullwidth_digits_and_letters_become_ascii():
    assert normalize("到２０２５年建成ＡＰＰ").text == "到2025年建成APP"


def test_ascii_quotes_in_chinese_become_curly_pairs():
    assert normalize('打造"豫事办"品牌').text == "打造“豫事办”品牌"
    # A broken pair as real exports have it: opening curly, closing ASCII.
    assert normalize('“十四五"数字经济发展规划').text == "“十四五”数字经济发展规划"


def test_corner_brackets_become_quotes():
    assert normalize("「e冰城」").text == "“e冰城”"


def test_spaces_next_to_chinese_are_dropped_but_not_between_latin_words():
    assert normalize("到 2025 年，推广 IPv6 and 5G 应用").text == "到2025年，推广IPv6 and 5G应用"


def test_half_width_brackets_in_chinese_become_full_width():
    assert normalize("方案 (2023—2025年)").text == "方案（2023—2025年）"
    assert normalize("(一) 指导思想").text == "（一）指导思想"


def test_a_sentence_broken_across_lines_is_joined():
    text = "一、基础设施\n\n建设统一管理、逻辑集中、物理分散、资源共享、安全可靠的市级政务云平台集群，构建一体化政\n\n务算力网络。\n\n二、数据资源"
    norm = normalize(text)
    assert "一体化政务算力网络。" in norm.text
    assert "\n\n二、数据资源" in norm.text


def test_a_title_line_is_not_joined_to_the_text_after_it():
    text = "2023年新型融合领域网络和数据安全“荆楚护航”专项行动方案\n\n当前，5G、IPv6等新型融合领域快速发展。"
    assert normalize(text).text.startswith("2023年新型融合领域网络和数据安全“荆楚护航”专项行动方案\n\n")


def test_a_document_number_line_is_not_joined():
    text = "某某市人民政府办公室关于印发《某某市数字政府建设实施方案》的通知\n某政办发〔2023〕5号\n"
    assert "的通知\n某政办发" in normalize(text).text
