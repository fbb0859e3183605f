"""Reading an evidence node: a W3C Web Annotation (written by kg/ingest/to_rdf.py) whose target
is a source file's text narrowed by a position selector (``oa:start``, ``oa:end``) and a quote
selector (``oa:exact``). The SPARQL paths from the annotation to each are here once; the
bundled queries in ``queries/*.rq`` spell the same paths (a test checks they do)."""
from __future__ import annotations

from dataclasses import dataclass

from kg.core import iris
from kg.core.namespaces import OA

# From the annotation (``gk:Evidence``) to its values, as SPARQL 1.1 property paths (prefixes gk:, oa:).
DOCUMENT_PATH = "gk:inDocument"
START_PATH = "oa:hasTarget/oa:hasSelector/oa:start"
END_PATH = "oa:hasTarget/oa:hasSelector/oa:end"
QUOTE_PATH = "oa:hasTarget/oa:hasSelector/oa:exact"


@dataclass(frozen=True)
class Passage:
    """Where an evidence node's passage is and what it says (None where the graph is silent)."""

    document: object  # rdflib term
    start: int | None
    end: int | None
    quote: str | None


def passage(graph, evidence) -> Passage:
    """The passage of ``evidence`` (an rdflib term) in ``graph`` (an rdflib Graph or a GraphView),
    by the same paths as :data:`START_PATH`, :data:`END_PATH` and :data:`QUOTE_PATH`."""
    from rdflib import URIRef

    start = end = quote = None
    for target in graph.objects(evidence, URIRef(OA + "hasTarget")):
        for selector in graph.objects(target, URIRef(OA + "hasSelector")):
            start = _first(start, graph.value(selector, URIRef(OA + "start")))
            end = _first(end, graph.value(selector, URIRef(OA + "end")))
            quote = _first(quote, graph.value(selector, URIRef(OA + "exact")))
    return Passage(document=graph.value(evidence, URIRef(iris.term("inDocument"))),
                   start=int(start) if start is not None else None, end=int(end) if end is not None else None,
                   quote=str(quote) if quote is not None else None)


def _first(found, value):
    return found if found is not None else value
