"""Check one annotation file against its source text: JSON shape, and every quote verbatim.

    python tests/checkset/devcorpus/check_annotation.py ANNOTATION.json SOURCE.txt
"""
import json
import sys

FIELDS = {"documents", "platforms", "departments", "tasks", "goals", "review_sections",
          "data_exchanges", "cited_documents", "adoptions", "serves"}
GENRES = {"Plan", "ImplementationScheme", "ActionPlan", "Guidance", "Regulation", "Measures",
          "AssessmentScheme", "Decision", "Notice", "WorkReport", "Speech", "Article"}


def main(annotation_path: str, source_path: str) -> int:
    data = json.load(open(annotation_path, encoding="utf-8"))
    text = open(source_path, encoding="utf-8").read()
    squeezed = "".join(text.split())
    problems = []
    unknown = set(data) - FIELDS - {"source", "links"}
    if unknown:
        problems.append(f"unknown fields {sorted(unknown)}")
    for doc in data.get("documents", []):
        if doc.get("genre") not in GENRES:
            problems.append(f"genre {doc.get('genre')!r} not one of {sorted(GENRES)}")
    for field in FIELDS - {"documents"}:
        for item in data.get(field, []):
            for key in ("quote", "start", "end"):
                quote = item.get(key)
                if quote and quote not in text and "".join(quote.split()) not in squeezed:
                    problems.append(f"{field}: {key} not in the text: {quote!r}")
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s); " + ", ".join(f"{k}: {len(v)}" for k, v in data.items() if isinstance(v, list)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
