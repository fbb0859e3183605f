"""Generate N realistic policy documents by recombining real ones with other regions.

    python bench/gen_corpus.py 1000 corpus-1000 [--seed 7]

Templates are the policy documents of data/ and ../shared/corpus (when present). Each generated
document keeps real structure: a title of a real genre for a real division, a preamble
section, task sections whose numbered items (with their responsibility notes, deadlines,
platforms and targets) are drawn from several templates and renumbered, and a closing section.
Region names of the template are replaced by the new region's (full names and short forms),
so regions, departments and platforms land in the new region.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Template:
    title: str
    genre_word: str
    region_names: list[str]
    preamble: str
    sections: list[tuple[str, list[str]]]  # (heading, numbered items)
    closing: str


def _templates(bundled_only: bool = False) -> list[Template]:
    from kg.ingest.extract.documents import describe_document
    from kg.core.ontology import divisions
    from kg.ingest.readers import read_source
    from kg.core.regions import short_forms
    from kg.ingest.segment import split_documents
    from kg.core.text import normalize

    paths = template_paths(bundled_only)
    templates = []
    for path in paths:
        source = read_source(path)
        norm = normalize(source.text)
        for segment in split_documents(source, norm):
            context, extraction = describe_document(segment)
            if not context.is_policy or not context.region_code or context.region_code == "CN" or not segment.headings:
                continue
            division = divisions()[context.region_code]
            names = [division.name, *short_forms(division)]
            text = source.text
            tops = [h for h in segment.headings if h.level == 1]
            if len(tops) < 2:
                continue
            preamble = text[tops[0].start:tops[1].start].strip()
            closing = text[tops[-1].start:(segment.source_line_span or (segment.end, 0))[0]].strip()
            sections = []
            for top, nxt in zip(tops[1:-1], tops[2:]):
                items = [h for h in segment.headings if top.start < h.start < nxt.start and h.level == 3]
                bodies = [text[a.start:b.start].strip() for a, b in zip(items, items[1:] + [nxt])]
                if bodies:
                    sections.append((text[top.start:top.end].strip(), bodies))
            if sections:
                word = extraction.document.label
                templates.append(Template(word, extraction.document.type, names, preamble, sections, closing))
    if not templates:
        raise SystemExit("no templates found (need the bundled data/)")
    return templates


_GENRE_TITLES = {"ImplementationScheme": "加快数字政府建设实施方案", "Plan": "数字政府发展规划", "ActionPlan": "数字政府建设三年行动方案",
                 "Guidance": "关于加强数字政府建设的实施意见", "Regulation": "政务数据管理办法"}
_CN = "一二三四五六七八九十"


def _renumber(item: str, number: int) -> str:
    return re.sub(r"^\s*\d{1,3}\s*[.．、]", f"{number}.", item, count=1)


def _relabel(text: str, old: list[str], new: list[str]) -> str:
    for index, name in enumerate(old):
        text = text.replace(name, new[min(index, len(new) - 1)])
    return text


def template_paths(bundled_only: bool = False) -> list[Path]:
    """The documents the templates come from: data/, and ../shared/corpus beside this checkout
    when it is there (so a checkout elsewhere, without it, generates a different corpus)."""
    from kg.ingest.readers import discover

    shared = ROOT.parent / "shared" / "corpus"
    return discover([ROOT / "data"] + ([shared] if shared.is_dir() and not bundled_only else []))


def template_names(bundled_only: bool = False) -> list[str]:
    """The templates' file names: what a generated corpus depends on besides count and seed."""
    return sorted(path.name for path in template_paths(bundled_only))


def generate(count: int, out: Path, *, seed: int = 7, bundled_only: bool = False) -> list[Path]:
    """``count`` documents in ``out``; ``bundled_only``: templates from data/ alone, so the corpus
    is the same on every machine (the CI-sized regression check uses it)."""
    from kg.core.ontology import divisions
    from kg.core.regions import short_forms

    rng = random.Random(seed)
    templates = _templates(bundled_only)
    targets = sorted((d for d in divisions().values() if d.level in ("province", "prefecture")), key=lambda d: d.code)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        base = rng.choice(templates)
        division = targets[rng.randrange(len(targets))]
        names = [division.name, *short_forms(division)]
        year = rng.choice([2021, 2022, 2023, 2024])
        title = f"{division.name}{_GENRE_TITLES.get(base.genre_word, '数字政府建设实施方案')}（{year}—{year + 2}年）"
        parts = [title, "", _relabel(base.preamble, base.region_names, names), ""]
        donors = [base] + rng.sample(templates, k=min(2, len(templates)))
        number = 0
        for section_index in range(rng.randint(2, 4)):
            donor = rng.choice(donors)
            heading, items = rng.choice(donor.sections)
            heading = re.sub(r"^[一二三四五六七八九十]+、", f"{_CN[section_index + 1]}、", heading)
            parts += [heading, ""]
            for item in rng.sample(items, k=min(len(items), rng.randint(3, 8))):
                number += 1
                parts += [_relabel(_renumber(item, number), donor.region_names, names), ""]
        parts += [re.sub(r"^[一二三四五六七八九十]+、", f"{_CN[min(section_index + 2, 9)]}、",
                         _relabel(base.closing, base.region_names, names)), ""]
        path = out / f"gen_{index:05d}.txt"
        path.write_text("\n".join(parts), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bundled-only", action="store_true", help="templates from data/ only (the same corpus everywhere)")
    args = parser.parse_args()
    paths = generate(args.count, args.out, seed=args.seed, bundled_only=args.bundled_only)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
