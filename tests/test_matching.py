import random
import re

import pytest

from kg.core import regions
from kg.core.text import CueWords, search_before
from kg.core.matching import LongestMatcher


@pytest.mark.parametrize("text, expected", [
    ("建设数字政府网站", [(2, 6, "数字政府"), (6, 8, "网站")]),  # 政府网站 starts later: the leftmost wins
    ("数字网站", [(0, 2, "数字"), (2, 4, "网站")]),  # matching resumes after a match
    ("一网通办一网统管", [(0, 4, "一网通办"), (4, 8, "一网统管")]),  # adjacent words
    ("政府网站", [(0, 4, "政府网站")]),  # the longest word starting at a position
    ("数据", []),
])
def test_longest_matcher_finds_leftmost_longest_non_overlapping_words(text, expected):
    words = ("数字", "数字政府", "政府网站", "网站", "一网通办", "一网统管", "网通")
    matcher = LongestMatcher({word: index for index, word in enumerate(words)})
    assert [(start, end, word) for start, end, word, _ in matcher.find(text)] == expected
    assert all(payload == words.index(word) for _, _, word, payload in matcher.find(text))


def test_region_names_are_found_as_pyahocorasick_finds_them_on_overlapping_names():
    """The one-pass finder (ahocorasick-rs, leftmost-longest) gives what pyahocorasick's
    ``iter_long`` (the finder it replaced) gives, on text made of division names and their
    fragments, where names overlap and nest."""
    ahocorasick = pytest.importorskip("ahocorasick")
    reference = ahocorasick.Automaton()
    for name, codes in regions.name_index().items():
        reference.add_word(name, (name, codes))
    reference.make_automaton()
    names = list(regions.name_index())
    alphabet = "".join(names[:400]) + "，市省区县"
    rng = random.Random(7)
    texts = ["".join(rng.choice(alphabet) for _ in range(60)) for _ in range(300)]
    texts += ["".join(rng.choice(names) for _ in range(8)) for _ in range(300)]
    texts += ["山东省济南市历下区", "吉林省吉林市", "在青岛、烟台和威海三市推广", "中国"]
    for text in texts:
        expected = [(end - len(name) + 1, end + 1, name, codes) for end, (name, codes) in reference.iter_long(text)]
        assert list(regions.find_region_names(text)) == expected


def test_cue_words_give_the_first_word_in_list_order_as_a_loop_does():
    words = ("平台", "政务服务平台", "台", "服务", "政务", "云平台", "云")
    cues = CueWords(words)
    rng = random.Random(3)
    alphabet = "政务服云平台系统"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        position = rng.randint(0, len(text))
        assert cues.starting(text, position) == next((w for w in words if text.startswith(w, position)), None)
        assert cues.ending(text) == next((w for w in words if text.endswith(w)), None)
        assert (text in cues) == (text in words)
    assert cues.starting("政务服务平台") == "政务服务平台"  # before 政务 in the list
    assert cues.ending("政务服务平台") == "平台"  # the first in the list, not the longest


def test_search_before_finds_what_a_search_of_the_whole_text_finds():
    pattern = re.compile(r"(?:完成时限|时限|第)[:：]?\s*$")
    rng = random.Random(5)
    pieces = ["完成", "时限", "第", "：", " ", "\n", "任务", "2025年"] + [" " * 30]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        for end in range(len(text) + 1):
            whole = pattern.search(text, 0, end)
            found = search_before(pattern, text, end, longest=5)
            assert (found and found.span()) == (whole and whole.span()), (text, end)
