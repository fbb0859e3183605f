"""Refit the platform scorer (kg/extract/platform_scorer.json) on the annotated check sets.

    python tools/fit_platform_scorer.py            # fit on every check set whose source is found
    python tools/fit_platform_scorer.py --check    # exit 1 when the shipped model differs from a refit

Check sets: tests/checkset/sample.json, tests/checkset/corpus/*.json and
tests/checkset/devcorpus/*/*.json; sources from data/, ../shared/corpus and ../shared/devcorpus.
The fit is deterministic: the same check sets and sources give the same file. Held-out figures
(each source scored by a model fitted without it): govkg evaluate --held-out.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest.extract.platform_scorer import MODEL_FILE  # noqa: E402
from kg.evaluation.platform_fit import fit, training_examples, write_model  # noqa: E402


def checkset_paths(root: Path = ROOT) -> list[Path]:
    base = root / "tests" / "checkset"
    return [base / "sample.json", *sorted((base / "corpus").glob("*.json")),
            *sorted(p for p in (base / "devcorpus").glob("*/*.json") if p.parent.name not in ("passes", "adjudication"))]


def search_dirs(root: Path = ROOT) -> list[Path]:
    shared = root.parent / "shared"
    return [d for d in [root / "data", shared / "corpus", *sorted((shared / "devcorpus").glob("*"))] if d.is_dir()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare a refit with the shipped model")
    args = parser.parse_args()
    groups = training_examples(checkset_paths(), search_dirs())
    examples = [e for group in groups.values() for e in group]
    model = fit(examples)
    if args.check:
        shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        same = shipped == model
        print("the shipped model is a refit of the check sets" if same else "the shipped model differs from a refit")
        return 0 if same else 1
    write_model(model)
    print(f"fitted on {model['examples']} candidates ({model['positives']} platforms) of {len(groups)} sources; "
          f"threshold {model['threshold']}; wrote {MODEL_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
