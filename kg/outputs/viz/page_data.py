"""What the page's script receives: node styles and labels, quotes, starting positions and
vis-network options."""
from __future__ import annotations

import collections
import functools
import math
import re

from kg.core import iris
from kg.core.ontology import class_label, class_styles, ontology_graph
from kg.outputs.viz.index import GraphIndex
from kg.query.evidence import passage
from kg.outputs.viz.model import (
    _DEFAULT_STYLE,
    _LABEL_INSIDE,
    _LABEL_MAX,
    _QUOTE_TIP,
    _SHAPES,
    ViewGraph,
    VizNode,
)
from kg.query.lookup import curie
from kg.query.tables import assertions

# ---------------------------------------------------------------- page data


@functools.lru_cache(maxsize=None)
def _style(local: str) -> dict[str, str]:
    """Colour and shape of a class from style.ttl, inherited from the nearest styled superclass."""
    from rdflib import RDFS, URIRef

    styles = class_styles()
    for cls in ontology_graph().transitive_objects(URIRef(iris.term(local)), RDFS.subClassOf):
        found = styles.get(str(cls)[len(iris.NS):]) if str(cls).startswith(iris.NS) else None
        if found:
            color = found["color"] if re.fullmatch(r"#[0-9a-fA-F]{3,8}", found["color"]) else _DEFAULT_STYLE["color"]
            shape = found["shape"] if found["shape"] in _SHAPES else _DEFAULT_STYLE["shape"]
            return {"color": color, "shape": shape}
    return dict(_DEFAULT_STYLE)


def _font_color(background: str) -> str:
    value = background.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else "#1a1a1a"


def _predicate_labels(iri: str) -> dict[str, str]:
    from rdflib import RDFS, URIRef

    labels = {getattr(v, "language", None): str(v) for v in ontology_graph().objects(URIRef(iri), RDFS.label)}
    return {"zh": labels.get("zh") or curie(iri), "en": labels.get("en") or curie(iri)}


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class _Quotes:
    """Evidence of nodes: their own (``gk:evidence``) and that of assertions about them."""

    def __init__(self, index: GraphIndex):
        self.index = index
        self.about: dict[str, list[tuple[object, str, str, bool]]] = collections.defaultdict(list)
        for node, s, p, o in assertions(index.graph):
            self.about[str(s)].append((node, str(p), str(o), True))
            self.about[str(o)].append((node, str(p), str(s), False))
        self.rows: list[list] = []  # [document index, section, quote]
        self.documents: list[str] = []
        self._row_of: dict = {}
        self._document_of: dict[str, int] = {}

    def _row(self, evidence) -> tuple[int, tuple]:
        if evidence not in self._row_of:
            graph, uri = self.index.graph, self.index.uri
            found = passage(graph, evidence)
            document = found.document
            doc_key = str(document) if document is not None else ""
            if doc_key not in self._document_of:
                self._document_of[doc_key] = len(self.documents)
                self.documents.append(self.index.label(doc_key) if doc_key else "")
            self._row_of[evidence] = (len(self.rows), (doc_key, found.start or 0))
            self.rows.append([self._document_of[doc_key], str(graph.value(evidence, uri(iris.term("sectionPath"))) or ""),
                              found.quote or ""])
        return self._row_of[evidence]

    def of(self, iri: str) -> list[list]:
        """[[evidence row, [what it says about the node, …]], …] in document order."""
        evidence_p = self.index.uri(iris.term("evidence"))
        abouts: dict[int, list[str]] = {}
        order: dict[int, tuple] = {}

        def add(evidence, about: str) -> None:
            row, key = self._row(evidence)
            order[row] = key
            if about not in abouts.setdefault(row, []):
                abouts[row].append(about)

        for evidence in self.index.graph.objects(self.index.uri(iri), evidence_p):
            add(evidence, "")
        for assertion, predicate, other, is_subject in self.about.get(iri, ()):
            name = _predicate_labels(predicate)["zh"]
            about = f"{name} → {self.index.label(other)}" if is_subject else f"← {name} {self.index.label(other)}"
            for evidence in self.index.graph.objects(assertion, evidence_p):
                add(evidence, about)
        return [[row, sorted(abouts[row])] for row in sorted(abouts, key=lambda r: (order[r], r))]


def _display_label(node: VizNode) -> str:
    label = _short(node.label, _LABEL_MAX)
    return label + ("\n" + _short(node.label_en, _LABEL_MAX + 8) if node.label_en else "")


_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_SPACING = 45  # vis-network units between neighbouring nodes of the starting layout


def _sunflower(count: int, cx: float, cy: float) -> list[tuple[float, float]]:
    return [(cx + _SPACING * math.sqrt(k + 0.5) * math.cos(k * _GOLDEN_ANGLE),
             cy + _SPACING * math.sqrt(k + 0.5) * math.sin(k * _GOLDEN_ANGLE)) for k in range(count)]


def initial_positions(view: ViewGraph) -> dict[str, tuple[int, int]]:
    """A deterministic starting layout, so the browser's physics only has to polish it: one
    disc of nodes per region (the region itself at its centre), the discs on a ring in
    division-code order (a province's cities come next to it), and the nodes without a region
    in a disc in the middle; in each disc the most connected nodes are nearest the centre."""
    degree = collections.Counter([e.source for e in view.edges] + [e.target for e in view.edges])
    groups: dict[str | None, list[str]] = collections.defaultdict(list)
    for iri, node in view.nodes.items():
        groups[node.region].append(iri)
    for key, members in groups.items():
        members.sort(key=lambda n: (n != key, -degree[n], n))
    middle = groups.pop(None, [])
    radius = {key: _SPACING * math.sqrt(len(members) + 1) for key, members in groups.items()}
    order = sorted(groups)
    arc = sum(2 * radius[k] + _SPACING for k in order)
    ring = max(arc / (2 * math.pi), _SPACING * math.sqrt(len(middle) + 1) + max(radius.values(), default=0) + _SPACING)
    positions = dict(zip(middle, _sunflower(len(middle), 0.0, 0.0)))
    angle = 0.0
    for key in order:
        share = (2 * radius[key] + _SPACING) / arc * 2 * math.pi
        centre = angle + share / 2
        positions.update(zip(groups[key], _sunflower(len(groups[key]), ring * math.cos(centre), ring * math.sin(centre))))
        angle += share
    return {iri: (round(x), round(y)) for iri, (x, y) in positions.items()}


def _vis_options(count: int) -> dict:
    """vis-network options. Nodes start from :func:`initial_positions`; the physics polishes
    that for a number of iterations that shrinks as the graph grows (an iteration costs about
    12 ms per 1,000 nodes in headless Chromium), then the page turns physics off for good."""
    big = count > 400
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "physics": {
            "solver": "barnesHut",
            # avoidOverlap > 0 makes each iteration several times slower on big graphs.
            "barnesHut": {"gravitationalConstant": -5000, "springLength": 110, "springConstant": 0.04,
                          "damping": 0.3, "avoidOverlap": 0 if big else 0.1},
            "stabilization": {"enabled": True, "iterations": max(30, min(500, 80_000 // max(count, 1))),
                              "updateInterval": 50, "fit": True},
            "minVelocity": 1.0,
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "nodes": {"size": 16, "borderWidth": 1,
                  "font": {"size": 14, "face": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"}},
        "edges": {"smooth": False, "color": {"color": "#b0b0b0", "highlight": "#444444", "hover": "#666666"},
                  "width": 1, "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}}},
    }


def build_page_data(index: GraphIndex, view: ViewGraph) -> dict:
    """Everything the page's script needs, as plain JSON-able data."""

    quotes = _Quotes(index)
    positions = initial_positions(view)
    types, nodes, regions = {}, [], {}
    for node in view.nodes.values():
        style = _style(node.type)
        types.setdefault(node.type, {"zh": class_label(node.type, "zh"), "en": class_label(node.type, "en"), **style,
                                     "font": _font_color(style["color"]) if style["shape"] in _LABEL_INSIDE else None,
                                     "count": 0})
        types[node.type]["count"] += 1
        if node.region:
            regions.setdefault(node.region, index.label(node.region))
        evidence = quotes.of(node.iri)
        first = quotes.rows[evidence[0][0]][2] if evidence else ""
        nodes.append({"id": node.iri, "label": _display_label(node), "name": node.label, "en": node.label_en,
                      "type": node.type, "region": node.region, "size": node.size, "note": node.note,
                      "x": positions[node.iri][0], "y": positions[node.iri][1],
                      "quote": _short(first, _QUOTE_TIP) if first else None, "evidence": evidence,
                      "search": sorted({node.label, *(node.aliases), *([node.label_en] if node.label_en else [])})})
    predicates = sorted({e.predicate for e in view.edges})
    position = {p: i for i, p in enumerate(predicates)}
    region_order = sorted(regions, key=lambda r: (index.rows.get(r, {}).get("code") or "~", regions[r]))
    return {
        "view": view.view,
        "total": view.total,
        "nodes": nodes,
        "edges": [{"from": e.source, "to": e.target, "p": position[e.predicate], "dashed": e.dashed} for e in view.edges],
        "predicates": [_predicate_labels(p) for p in predicates],
        "types": dict(sorted(types.items(), key=lambda kv: (-kv[1]["count"], kv[0]))),
        "regions": [[r, regions[r]] for r in region_order],
        "documents": quotes.documents,
        "evidence": quotes.rows,
        "options": _vis_options(len(nodes)),
    }
