"""Plain-text and JSON summaries of a build, and dumps of intermediate stages (``--until``)."""
from __future__ import annotations

import collections
import dataclasses
import json
from kg.store.rdfio import turtle


WARNINGS_SHOWN = 10  # in the short text summary; --verbose lists every one


def build_summary(result, *, text: bool = False, verbose: bool = False, quiet: bool = False):
    """The build's summary: a dict (for JSON), or text. The text is short by default (counts,
    problems, the first warnings, what was written); ``verbose`` adds a line per document and
    every warning; ``quiet`` keeps only the problems (SHACL status, warnings' count, what could
    not be determined)."""
    state = result.state
    severities = collections.Counter(v.severity for v in state.report.violations) if state.report else None
    summary = {
        "sources": len(state.sources),
        "documents": sum(len(v) for v in state.segments.values()),
        "counts": result.counts,
        "per_document": result.per_document,
        "conforms": result.conforms,
        "violations": severities["Violation"] if severities is not None else None,
        "shacl_warnings": severities["Warning"] if severities is not None else None,  # e.g. sources that disagree
        "warnings": state.warnings,
        "errors": [str(e) for e in state.errors],
        "written": [str(p) for p in state.written],
        "unchanged": state.unchanged,
    }
    if not text:
        return summary
    lines = [] if quiet else [f"{summary['sources']} source file(s), {summary['documents']} document(s)"]
    if state.unchanged and not quiet:
        lines.append(f"{len(state.unchanged)} unchanged source file(s) skipped (already in the store)")
    for row in result.per_document if verbose else ():
        counts = ", ".join(f"{k} {v}" for k, v in row["counts"].items())
        bases = row.get("bases") or {}
        said = "; ".join(f"{fact} from {basis}" for fact, basis in bases.items() if basis != "title-line")
        lines.append(f"  {row['genre']:<20} {row['document']}: {counts}" + (f"  [{said}]" if said else ""))
    if result.counts and not quiet:
        lines.append("entities: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
    if result.conforms is not None:
        shacl = "SHACL: conforms" if result.conforms else f"SHACL: {summary['violations']} violation(s)"
        if summary["shacl_warnings"]:
            shacl += f", {summary['shacl_warnings']} warning(s)"
        lines.append(shacl + ("" if shacl == "SHACL: conforms" else "; run `govkg validate`"))
    shown = state.warnings if verbose else state.warnings[:0 if quiet else WARNINGS_SHOWN]
    for warning in shown:
        lines.append(f"warning: {warning}")
    if len(shown) < len(state.warnings):
        lines.append(f"{len(state.warnings) - len(shown)} {'more ' if shown else ''}warning(s); "
                     "`govkg build -v` lists them all with a line per document")
    gaps = collections.Counter(key for row in result.per_document for key in row.get("undetermined", ()))
    if gaps:
        lines.append("not determined: " + ", ".join(f"{key} in {n}" for key, n in sorted(gaps.items()))
                     + f" of {len(result.per_document)} document(s); see the warnings above")
    for path in state.written if not quiet else ():
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
