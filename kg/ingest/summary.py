"""Plain-text and JSON summaries of a build, and dumps of intermediate stages (``--until``)."""
from __future__ import annotations

import collections
import dataclasses
import json
from kg.store.rdfio import turtle


def build_summary(result, *, text: bool = False):
    state = result.state
    summary = {
        "sources": len(state.sources),
        "documents": sum(len(v) for v in state.segments.values()),
        "counts": result.counts,
        "per_document": result.per_document,
        "conforms": result.conforms,
        "violations": len(state.report.violations) if state.report else None,
        "warnings": state.warnings,
        "errors": [str(e) for e in state.errors],
        "written": [str(p) for p in state.written],
        "unchanged": state.unchanged,
    }
    if not text:
        return summary
    lines = [f"{summary['sources']} source file(s), {summary['documents']} document(s)"]
    if state.unchanged:
        lines.append(f"{len(state.unchanged)} unchanged source file(s) skipped (already in the store)")
    for row in result.per_document:
        counts = ", ".join(f"{k} {v}" for k, v in row["counts"].items())
        bases = row.get("bases") or {}
        said = "; ".join(f"{fact} from {basis}" for fact, basis in bases.items() if basis != "title-line")
        lines.append(f"  {row['genre']:<20} {row['document']}: {counts}" + (f"  [{said}]" if said else ""))
    if result.counts:
        lines.append("entities: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
    if result.conforms is not None:
        lines.append("SHACL: conforms" if result.conforms else f"SHACL: {summary['violations']} violation(s); run `govkg validate`")
    for warning in state.warnings:
        lines.append(f"warning: {warning}")
    gaps = collections.Counter(key for row in result.per_document for key in row.get("undetermined", ()))
    if gaps:
        lines.append("not determined: " + ", ".join(f"{key} in {n}" for key, n in sorted(gaps.items()))
                     + f" of {len(result.per_document)} document(s); see the warnings above")
    for path in state.written:
        lines.append(f"wrote {path}")
    return "\n".join(lines)


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("source", "norm")}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def stage_dump(result, *, as_json: bool = False) -> str:
    """What the last stage run produced, as JSON (``--json``) or as short text."""
    state = result.state
    stage = result.stopped_after
    if stage == "read":
        data = [{"name": s.name, "format": s.format, "encoding": s.encoding, "sha256": s.sha256, "chars": len(s.text)}
                for s in state.sources]
    elif stage == "segment":
        data = {name: [{"index": d.index, "title": d.title, "start": d.start, "end": d.end,
                        "source_line": d.source_line, "headings": [_plain(h) for h in d.headings],
                        "sentences": len(d.sentences)} for d in docs] for name, docs in state.segments.items()}
    elif stage in ("extract", "resolve"):
        data = {name: [_plain(x) for x in extractions] for name, extractions in state.extractions.items()}
    elif stage in ("to_rdf",):
        return turtle(state.graph).decode("utf-8")
    else:  # validate
        data = {"conforms": result.conforms, "violations": [_plain(v) for v in state.report.violations]} if state.report else {}
    if as_json or stage != "segment":
        return json.dumps(data, ensure_ascii=False, indent=1)
    lines = []
    for name, docs in data.items():
        lines.append(name)
        for d in docs:
            lines.append(f"  [{d['index']}] {d['title']}  ({d['start']}-{d['end']}, {len(d['headings'])} headings, "
                         f"{d['sentences']} sentences, source: {d['source_line']})")
            for h in d["headings"]:
                lines.append("    " + "  " * (h["level"] - 1) + f"{h['number']}{h['title']}")
    return "\n".join(lines)
