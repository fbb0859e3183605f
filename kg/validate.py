"""The validate stage: SHACL shapes from ``ontology/shapes.ttl`` run by pySHACL."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""


def validate_graph(graph) -> ValidationReport:
    """Validate a graph that holds data and ontology (class hierarchy) together."""
    from pyshacl import validate
    from rdflib import Namespace
    from rdflib.namespace import RDF

    from .ontology import shapes_graph

    sh = Namespace("http://www.w3.org/ns/shacl#")
    conforms, results, text = validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=False,
                                       allow_warnings=True)
    violations = []
    for result in results.subjects(RDF.type, sh.ValidationResult):
        messages = {m.language: str(m) for m in results.objects(result, sh.resultMessage)}
        path = results.value(result, sh.resultPath)
        violations.append(Violation(
            focus=str(results.value(result, sh.focusNode)),
            path=str(path) if path is not None else None,
            message=messages.get("en") or next(iter(messages.values()), ""),
            severity=str(results.value(result, sh.resultSeverity)).rsplit("#", 1)[-1],
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), violations=violations, text=text)
