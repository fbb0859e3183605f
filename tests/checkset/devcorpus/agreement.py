"""Agreement between the two blind annotation passes (passes/a, passes/b), per item type.

    python tests/checkset/devcorpus/agreement.py

Items are paired one to one within a file, by the same keys ``govkg evaluate`` uses: platforms
by name or alias, tasks by number, goals by value, unit and year, adoptions by initiative,
serves by platform and initiative. Optional items of either pass are left out. Prints, per
type, the items in both, only in A, only in B, and F1 between the annotators.
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
from kg.evaluation.evaluate import normalize_name  # noqa: E402
from kg.evaluation.matching import match_pairs


def _number(value) -> str:
    return re.sub(r"[()（）.．、。,，\s]", "", unicodedata.normalize("NFKC", str(value or "")))


KEYS = {
    "platforms": lambda item: {normalize_name(n) for n in [item.get("name"), *item.get("aliases", [])] if n},
    "tasks": lambda item: {_number(item.get("number"))},
    "goals": lambda item: {(str(float(item["value"])) if isinstance(item.get("value"), (int, float)) else str(item.get("value")),
                            normalize_name(item.get("unit")), item.get("year"))},
    "adoptions": lambda item: {item.get("initiative")},
    "serves": lambda item: {(normalize_name(item.get("platform")), item.get("initiative"))},
}


def main() -> None:
    totals = {kind: [0, 0, 0] for kind in KEYS}
    for path_a in sorted((HERE / "passes" / "a").glob("*.json")):
        path_b = HERE / "passes" / "b" / path_a.name
        if not path_b.is_file():
            continue
        a, b = json.loads(path_a.read_text("utf-8")), json.loads(path_b.read_text("utf-8"))
        for kind, key in KEYS.items():
            items_a = [i for i in a.get(kind, []) if not i.get("optional")]
            items_b = [i for i in b.get(kind, []) if not i.get("optional")]
            pairs = match_pairs(items_a, items_b, lambda x, y: bool(key(x) & key(y)))
            totals[kind][0] += len(pairs)
            totals[kind][1] += len(items_a) - len(pairs)
            totals[kind][2] += len(items_b) - len(pairs)
    print(f"{'type':<10} {'both':>5} {'only A':>7} {'only B':>7} {'F1':>6}")
    for kind, (both, only_a, only_b) in totals.items():
        f1 = 2 * both / (2 * both + only_a + only_b) if both + only_a + only_b else float("nan")
        print(f"{kind:<10} {both:>5} {only_a:>7} {only_b:>7} {f1:>6.2f}")


if __name__ == "__main__":
    main()
