"""docs/walkthrough.md runs as written: its `>>>` examples are a doctest, run from the root of
the checkout (the walkthrough builds data/ into a temporary folder)."""
import doctest

from conftest import ROOT


def test_the_walkthrough_runs_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(ROOT / "docs" / "walkthrough.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True)
    assert result.attempted >= 30
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in docs/walkthrough.md failed (see above)"
