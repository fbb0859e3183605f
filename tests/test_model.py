"""The dataclasses with a hand-written __init__ (kg/core/model.py) behave as generated ones would."""
import dataclasses
import inspect
import pickle

import pytest

from kg.core.model import Evidence, Heading, Sentence


@pytest.mark.parametrize("cls", [Heading, Sentence, Evidence])
def test_the_init_takes_the_fields_in_order_with_their_defaults(cls):
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields]


def test_a_hand_made_instance_is_frozen_equal_hashable_and_round_trips():
    sentence = Sentence(1, 5, 0, 4, ("一、总体要求",))
    assert sentence == Sentence(start=1, end=5, norm_start=0, norm_end=4, section=("一、总体要求",), item=None)
    assert hash(sentence) == hash(Sentence(1, 5, 0, 4, ("一、总体要求",)))
    assert repr(sentence) == "Sentence(start=1, end=5, norm_start=0, norm_end=4, section=('一、总体要求',), item=None)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        sentence.start = 2
    evidence = Evidence(document="d", source="a.txt", section="", start=0, end=2, quote="建设")
    assert dataclasses.replace(evidence, end=1) == Evidence("d", "a.txt", "", 0, 1, "建设")
    assert pickle.loads(pickle.dumps(evidence)) == evidence
    assert dataclasses.asdict(Heading(2, "（一）", "任务", 3, 9)) == {
        "level": 2, "number": "（一）", "title": "任务", "start": 3, "end": 9}


def test_evidence_equals_evidence_with_every_field_the_same():
    fields = {"document": "d", "source": "a.txt", "section": "一、", "start": 0, "end": 2, "quote": "建设"}
    evidence = Evidence(**fields)
    assert evidence == Evidence(**fields) and len({evidence, Evidence(**fields)}) == 1
    for name, other in (("document", "e"), ("source", "b.txt"), ("section", ""), ("start", 1), ("end", 3), ("quote", "建")):
        assert evidence != Evidence(**{**fields, name: other})
    assert evidence != (evidence.document, evidence.source, evidence.section, evidence.start, evidence.end, evidence.quote)
