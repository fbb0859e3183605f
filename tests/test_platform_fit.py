"""The platform scorer's threshold: where precision and recall are both highest on unseen
sources, with gold platforms no candidate rule finds counted as missed."""
import pytest

pytest.importorskip("sklearn")

from kg.evaluation.platform_fit import Example, fit  # noqa: E402


def _examples(missed_per_source: int) -> list[Example]:
    examples = []
    for source in ("a", "b", "c", "d"):
        for i in range(6):
            examples.append(Example(source, f"p{i}", {"kind:system": 1.0, "build-verb": 1.0}, 1))
            examples.append(Example(source, f"q{i}", {"kind:system": 1.0, "flag:market": 1.0}, 0))
        examples.append(Example(source, "r", {"kind:system": 1.0, "flag:market": 1.0}, 1))  # a firm-like platform
        examples.append(Example(source, "s", {"kind:system": 1.0, "build-verb": 1.0}, 0))
        examples += [Example(source, f"m{i}", {}, 1, found=False) for i in range(missed_per_source)]
    return examples


def test_gold_names_no_rule_finds_fit_nothing_but_count_as_missed():
    plain, with_missed = fit(_examples(0)), fit(_examples(3))
    assert with_missed["examples"] == plain["examples"] == 56 and with_missed["platforms_not_found"] == 12
    assert with_missed["weights"] == plain["weights"]  # the regression never sees them
    # between the two kinds of row precision and recall are both 6/7: the threshold lies there,
    # nearest 0.5; names missed anyway lower recall but do not make taking in firm-like rows better
    assert plain["threshold"] == with_missed["threshold"] == 0.5


def test_the_fit_is_deterministic():
    assert fit(_examples(1)) == fit(_examples(1))
