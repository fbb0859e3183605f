"""Interactive graph pages: one self-contained UTF-8 HTML file per view of the graph.

The page inlines vis-network (the copy bundled with pyvis; pyvis's own templates pull
bootstrap from a CDN, so only its JavaScript asset is used), the node and edge data as JSON,
and the page's own script and style from ``kg/templates/``. No request leaves the page.

Views (:data:`VIEWS`):

shared
    Regions and the initiatives they adopt (``gk:adopts``); an initiative's size grows with
    the number of regions adopting it. With a focus on an initiative: that initiative, the
    regions adopting it and those regions' platforms that serve it.
platforms
    Regions, their platforms (``gk:inRegion``) and the initiatives the platforms serve.
tasks
    Tasks with their lead units (``gk:leadUnit``) and supporting units (``gk:supportUnit``,
    dashed), and the documents the tasks belong to.
full
    Every entity (no evidence or assertion nodes) and every link between two of them.

Every view is then narrowed by :class:`VizOptions` ``focus``, ``regions`` and ``types`` and
capped at ``max_nodes`` (the most connected nodes stay; the page says so).

Document text reaches the page only as JSON data in a ``<script type="application/json">``
element (with ``<``, ``>`` and ``&`` escaped) and is put into the DOM with ``textContent``.
"""
from __future__ import annotations

import base64
import collections
import enum
import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import iris
from .errors import KGError, QueryError
from .serialize import write_atomic

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "graph.html.j2"
SCRIPT = "graph.js.j2"  # rendered apart from the page so its hash can go into the page's CSP
VIS_ASSET = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")  # inside the pyvis package

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SCHEMA = "https://schema.org/"
_DCTERMS = "http://purl.org/dc/terms/"
_OA = "http://www.w3.org/ns/oa#"
ADOPTS, IN_REGION, SERVES = iris.term("adopts"), iris.term("inRegion"), iris.term("serves")
LEAD_UNIT, SUPPORT_UNIT = iris.term("leadUnit"), iris.term("supportUnit")
IS_PART_OF = _DCTERMS + "isPartOf"
CONTAINED_IN = _SCHEMA + "containedInPlace"
DASHED = frozenset({SUPPORT_UNIT})  # links drawn dashed in every view
# vis-network shapes that draw the label inside the node (so the font colour must contrast).
_LABEL_INSIDE = frozenset({"box", "ellipse", "circle", "database", "text"})
# vis-network shapes the legend can draw (graph.css.j2 has a .shape-<name> rule for each).
_SHAPES = frozenset({"dot", "circle", "star", "square", "triangle", "triangleDown", "box", "diamond", "hexagon",
                     "ellipse", "database", "text"})
_DEFAULT_STYLE = {"color": "#9e9e9e", "shape": "dot"}
_QUOTE_TIP = 80  # characters of the first quote shown in a tooltip
_LABEL_MAX = 22  # characters of a name drawn on the canvas (the whole name is in tooltip and panel)


class View(str, enum.Enum):
    SHARED = "shared"
    PLATFORMS = "platforms"
    TASKS = "tasks"
    FULL = "full"


@dataclass(frozen=True)
class VizOptions:
    """What to draw. ``focus``, ``regions``: names as people type them (resolved with
    :func:`kg.lookup.resolve_entity`); a region includes the regions inside it. ``types``:
    class local names (``Platform``, ``Region`` …, subclasses included)."""

    view: str = View.SHARED.value
    focus: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    max_nodes: int = 2000
    title: str | None = None


@dataclass
class VizNode:
    iri: str
    type: str  # most specific class local name
    label: str
    label_en: str | None = None
    aliases: tuple[str, ...] = ()
    region: str | None = None  # region IRI (a region's own IRI for regions)
    size: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class VizEdge:
    source: str
    target: str
    predicate: str  # IRI

    @property
    def dashed(self) -> bool:
        return self.predicate in DASHED


@dataclass
class ViewGraph:
    """The nodes and edges one page draws; ``total`` counts the nodes before the cap."""

    view: str
    nodes: dict[str, VizNode]
    edges: list[VizEdge]
    total: int
    max_nodes: int

    @property
    def capped(self) -> bool:
        return self.total > len(self.nodes)


# ---------------------------------------------------------------- reading the graph


class _Index:
    """Entities (the rows of :func:`kg.export.entity_rows`) and the links between them."""

    def __init__(self, graph):
        from rdflib import URIRef

        from .export import document_types, entity_rows, region_types

        self.graph = graph
        self.uri = URIRef
        self.rows = {row["id"]: row for row in entity_rows(graph)}
        self.region_types = region_types()
        self.document_types = document_types()

    def type(self, iri: str) -> str:
        return self.rows[iri]["type"]

    def is_region(self, iri: str) -> bool:
        return iri in self.rows and self.type(iri) in self.region_types

    def is_document(self, iri: str) -> bool:
        return iri in self.rows and self.type(iri) in self.document_types

    def is_(self, iri: str, type_: str) -> bool:
        return iri in self.rows and self.type(iri) == type_

    def pairs(self, predicate: str) -> list[tuple[str, str]]:
        """(subject, object) of ``predicate`` where both are entities, sorted."""
        found = {(str(s), str(o)) for s, o in self.graph.subject_objects(self.uri(predicate))}
        return sorted((s, o) for s, o in found if s in self.rows and o in self.rows)

    def region_of(self, iri: str) -> str | None:
        if self.is_region(iri):
            return iri
        for predicate in (IN_REGION, iris.term("governsRegion")):
            values = sorted(str(v) for v in self.graph.objects(self.uri(iri), self.uri(predicate)))
            if values:
                return values[0]
        return None

    @functools.cached_property
    def parents(self) -> dict[str, str]:
        return {str(s): str(o) for s, o in self.graph.subject_objects(self.uri(CONTAINED_IN))}

    def within(self, region: str | None, selected: set[str]) -> bool:
        seen = set()
        while region is not None and region not in seen:
            if region in selected:
                return True
            seen.add(region)
            region = self.parents.get(region)
        return False

    def label(self, iri: str) -> str:
        if iri in self.rows:
            return self.rows[iri]["label"] or iri
        from .lookup import label_of

        return label_of(self.graph, self.uri(iri))

    def node(self, iri: str) -> VizNode:
        row = self.rows[iri]
        return VizNode(iri=iri, type=row["type"], label=row["label"] or iri, label_en=row["label_en"],
                       aliases=tuple(row["aliases"] or ()), region=self.region_of(iri))


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class _ViewSpec:
    build: Callable[[_Index], tuple[set[str], list[VizEdge]]]
    sized_by: str | None = None  # a node's size grows with the number of its edges of this predicate
    size_notes: tuple[str, str] = ("", "")  # tooltip line for (subjects, objects) of them; {n}: how many
    bridge: Callable[[_Index, set[str], set[str], list[VizEdge]], list[VizEdge]] | None = None


def _shared(index: _Index) -> tuple[set[str], list[VizEdge]]:
    edges = [VizEdge(r, i, ADOPTS) for r, i in index.pairs(ADOPTS) if index.is_region(r) and index.is_(i, "Initiative")]
    return {e.source for e in edges} | {e.target for e in edges}, edges


def _shared_bridge(index: _Index, focus: set[str], keep: set[str], edges: list[VizEdge]) -> list[VizEdge]:
    """Platforms through which a kept region serves a kept initiative it adopts (one end focused)."""
    adopted = {(e.source, e.target) for e in edges if e.source in keep and e.target in keep
               and (e.source in focus or e.target in focus)}
    regions_of: dict[str, set[str]] = collections.defaultdict(set)
    for platform, region in index.pairs(IN_REGION):
        if index.is_(platform, "Platform"):
            regions_of[platform].add(region)
    added = []
    for platform, initiative in index.pairs(SERVES):
        for region in sorted(regions_of.get(platform, ())):
            if (region, initiative) in adopted:
                added += [VizEdge(platform, initiative, SERVES), VizEdge(platform, region, IN_REGION)]
    return added


def _platforms(index: _Index) -> tuple[set[str], list[VizEdge]]:
    platforms = {iri for iri in index.rows if index.is_(iri, "Platform")}
    edges = [VizEdge(p, r, IN_REGION) for p, r in index.pairs(IN_REGION) if p in platforms and index.is_region(r)]
    edges += [VizEdge(p, i, SERVES) for p, i in index.pairs(SERVES) if p in platforms and index.is_(i, "Initiative")]
    return platforms | {e.target for e in edges}, edges


def _tasks(index: _Index) -> tuple[set[str], list[VizEdge]]:
    edges = [VizEdge(t, d, p) for p in (LEAD_UNIT, SUPPORT_UNIT) for t, d in index.pairs(p)
             if index.is_(t, "Task") and index.is_(d, "Department")]
    tasks = {e.source for e in edges}
    edges += [VizEdge(t, d, IS_PART_OF) for t, d in index.pairs(IS_PART_OF) if t in tasks and index.is_document(d)]
    return tasks | {e.target for e in edges}, edges


def _full(index: _Index) -> tuple[set[str], list[VizEdge]]:
    from rdflib import URIRef

    links = {(str(s), str(p), str(o)) for s, p, o in index.graph
             if isinstance(o, URIRef) and s != o and str(p) != _RDF + "type"}
    edges = [VizEdge(s, o, p) for s, p, o in sorted(links) if s in index.rows and o in index.rows]
    return set(index.rows), edges


VIEWS: dict[str, _ViewSpec] = {
    View.SHARED.value: _ViewSpec(_shared, sized_by=ADOPTS, bridge=_shared_bridge, size_notes=(
        "推行 {n} 项举措 · adopts {n} initiative(s)", "{n} 个地区推行 · adopted by {n} region(s)")),
    View.PLATFORMS.value: _ViewSpec(_platforms),
    View.TASKS.value: _ViewSpec(_tasks),
    View.FULL.value: _ViewSpec(_full),
}


def _view_name(view: str | View) -> str:
    name = view.value if isinstance(view, View) else str(view)
    if name not in VIEWS:
        raise QueryError(f"unknown view '{name}'", fix="choose one of: " + ", ".join(VIEWS))
    return name


@functools.lru_cache(maxsize=None)
def _subclasses(local: str) -> frozenset[str]:
    from rdflib import RDFS, URIRef

    from .ontology import ontology_graph

    below = ontology_graph().transitive_subjects(RDFS.subClassOf, URIRef(iris.term(local)))
    return frozenset(str(c)[len(iris.NS):] for c in below if str(c).startswith(iris.NS))


def _type_filter(types: tuple[str, ...], present: set[str]) -> set[str]:
    """Class local names in ``types`` and every class below them; unknown names are errors."""
    from rdflib import OWL, RDF, URIRef

    from .ontology import ontology_graph

    wanted: set[str] = set()
    for name in types:
        if (URIRef(iris.term(name)), RDF.type, OWL.Class) not in ontology_graph():
            raise QueryError(f"unknown type '{name}'", fix="use class names such as: " + ", ".join(sorted(present)))
        wanted |= _subclasses(name)
    return wanted


def _neighbours(edges: list[VizEdge]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = collections.defaultdict(set)
    for edge in edges:
        found[edge.source].add(edge.target)
        found[edge.target].add(edge.source)
    return found


def view_graph(graph, *, options: VizOptions = VizOptions()) -> ViewGraph:
    """The nodes and edges of one view of ``graph``, narrowed and capped as ``options`` say.

    Raises :class:`~kg.errors.QueryError` for an unknown view or type, a focus name that is
    not in the view and ``max_nodes`` below 1; :class:`~kg.errors.NotFoundError` for a name
    that does not resolve.
    """
    return _build_view(_Index(graph), options)


def _build_view(index: _Index, options: VizOptions) -> ViewGraph:
    from .lookup import resolve_entity

    name = _view_name(options.view)
    if options.max_nodes < 1:
        raise QueryError(f"max_nodes must be at least 1, not {options.max_nodes}")
    spec = VIEWS[name]
    keep, edges = spec.build(index)
    if options.focus:
        focus = set()
        for wanted in options.focus:
            iri = resolve_entity(index.graph, wanted)
            if iri not in keep:
                raise QueryError(f"'{wanted}' ({index.label(iri)}) is not in the {name} view", fix="try --view full")
            focus.add(iri)
        near = _neighbours(edges)
        keep = focus | {n for f in focus for n in near.get(f, ())}
        if spec.bridge is not None:
            extra = spec.bridge(index, focus, keep, edges)
            edges = edges + extra
            keep |= {e.source for e in extra}
    if options.regions:
        selected = {resolve_entity(index.graph, r, types=tuple(sorted(index.region_types))) for r in options.regions}
        placed = {n for n in keep if index.within(index.region_of(n), selected)}
        near = _neighbours([e for e in edges if e.source in keep and e.target in keep])
        keep = placed | {n for n in keep if index.region_of(n) is None and near.get(n, set()) & placed}
    if options.types:
        wanted = _type_filter(options.types, {index.type(n) for n in keep})
        keep = {n for n in keep if index.type(n) in wanted}
    edges = sorted({e for e in edges if e.source in keep and e.target in keep},
                   key=lambda e: (e.source, e.predicate, e.target))
    total = len(keep)
    if total > options.max_nodes:
        degree = collections.Counter([e.source for e in edges] + [e.target for e in edges])
        keep = set(sorted(keep, key=lambda n: (-degree[n], n))[:options.max_nodes])
        edges = [e for e in edges if e.source in keep and e.target in keep]
    nodes = {iri: index.node(iri) for iri in sorted(keep)}
    if spec.sized_by:
        for end, note in zip(("source", "target"), spec.size_notes):
            counts = collections.Counter(getattr(e, end) for e in edges if e.predicate == spec.sized_by)
            for iri, count in counts.items():
                nodes[iri].size = min(48.0, round(12 + 7 * math.sqrt(count), 1))
                nodes[iri].note = note.format(n=count) or None
    return ViewGraph(view=name, nodes=nodes, edges=edges, total=total, max_nodes=options.max_nodes)


# ---------------------------------------------------------------- page data


@functools.lru_cache(maxsize=None)
def _style(local: str) -> dict[str, str]:
    """Colour and shape of a class from style.ttl, inherited from the nearest styled superclass."""
    from rdflib import RDFS, URIRef

    from .ontology import class_styles, ontology_graph

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

    from .lookup import curie
    from .ontology import ontology_graph

    labels = {getattr(v, "language", None): str(v) for v in ontology_graph().objects(URIRef(iri), RDFS.label)}
    return {"zh": labels.get("zh") or curie(iri), "en": labels.get("en") or curie(iri)}


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class _Quotes:
    """Evidence of nodes: their own (``gk:evidence``) and that of assertions about them."""

    def __init__(self, index: _Index):
        from rdflib import RDF, URIRef

        self.index = index
        graph = index.graph
        self.about: dict[str, list[tuple[object, str, str, bool]]] = collections.defaultdict(list)
        for node in graph.subjects(RDF.type, URIRef(iris.term("Assertion"))):
            s, p, o = (graph.value(node, URIRef(_RDF + k)) for k in ("subject", "predicate", "object"))
            if s is None or p is None or o is None:
                continue
            self.about[str(s)].append((node, str(p), str(o), True))
            self.about[str(o)].append((node, str(p), str(s), False))
        self.rows: list[list] = []  # [document index, section, quote]
        self.documents: list[str] = []
        self._row_of: dict = {}
        self._document_of: dict[str, int] = {}

    def _row(self, evidence) -> tuple[int, tuple]:
        if evidence not in self._row_of:
            graph, uri = self.index.graph, self.index.uri
            document = graph.value(evidence, uri(iris.term("inDocument")))
            doc_key = str(document) if document is not None else ""
            if doc_key not in self._document_of:
                self._document_of[doc_key] = len(self.documents)
                self.documents.append(self.index.label(doc_key) if doc_key else "")
            start = graph.value(evidence, uri(_OA + "start"))
            self._row_of[evidence] = (len(self.rows), (doc_key, int(start) if start is not None else 0))
            self.rows.append([self._document_of[doc_key], str(graph.value(evidence, uri(iris.term("sectionPath"))) or ""),
                              str(graph.value(evidence, uri(_OA + "exact")) or "")])
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


def _page_data(index: _Index, view: ViewGraph) -> dict:
    """Everything the page's script needs, as plain JSON-able data."""
    from .ontology import class_label

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


# ---------------------------------------------------------------- the page


def _script_json(data) -> str:
    """JSON safe inside a <script> element: no ``</script>``, ``<!--`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _inline_js(source: str) -> str:
    # "</script" may only sit in strings, regexes or comments, where "<\/" means the same.
    source = re.sub(r"</(script)", r"<\\/\1", source, flags=re.IGNORECASE)
    return re.sub(r"^//# sourceMappingURL=.*$", "", source, flags=re.MULTILINE)


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@functools.lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone build, from the pyvis package (pip install pyvis)."""
    from importlib import resources

    try:
        asset = resources.files("pyvis").joinpath(*VIS_ASSET)
        return _inline_js(asset.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise KGError(f"vis-network not found ({exc})", fix="pip install 'pyvis>=0.3.2'") from None


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


_TITLES = {
    View.SHARED.value: "地区共同推行的举措 · Initiatives shared by regions",
    View.PLATFORMS.value: "地区、平台与举措 · Regions, platforms and initiatives",
    View.TASKS.value: "任务与责任部门 · Tasks and their units",
    View.FULL.value: "知识图谱全图 · The whole graph",
}


def render_graph(graph, *, options: VizOptions = VizOptions()) -> str:
    """One self-contained UTF-8 HTML page drawing ``graph`` as ``options`` say.

    >>> from kg import api                                        # doctest: +SKIP
    >>> graph = api.build(["data"], out_dir=None).state.graph       # doctest: +SKIP
    >>> "一网通办" in render_graph(graph, options=VizOptions(focus=("一网通办",)))  # doctest: +SKIP
    True
    """
    from markupsafe import Markup

    index = _Index(graph)
    view = _build_view(index, options)
    data = _page_data(index, view)
    title = options.title or f"govkg · {_TITLES[view.view]}"
    cap = (f"只显示连接最多的 {len(view.nodes)} 个节点（共 {view.total} 个）· showing the {len(view.nodes)} most "
           f"connected of {view.total} nodes (--max-nodes {view.max_nodes})") if view.capped else None
    scripts = (vis_network_js(), _inline_js(_environment().get_template(SCRIPT).render()))
    return _environment().get_template(TEMPLATE).render(
        title=title, view=view.view, cap_note=cap, node_count=len(view.nodes), edge_count=len(view.edges),
        types=data["types"], regions=data["regions"], data_json=Markup(_script_json(data)),
        vis_js=Markup(scripts[0]), app_js=Markup(scripts[1]), script_hashes=" ".join(_csp_hash(s) for s in scripts))


def write_graph_html(graph, *, path: str | Path, options: VizOptions = VizOptions()) -> Path:
    """Render ``graph`` and write the page to ``path`` (UTF-8, atomically); returns the path."""
    return write_atomic(path, render_graph(graph, options=options))


__all__ = ["View", "VizOptions", "ViewGraph", "VizNode", "VizEdge", "VIEWS", "view_graph", "initial_positions",
           "render_graph", "write_graph_html"]
