"""What the page's script receives: node styles and labels, quotes, starting positions and
vis-network options."""
from __future__ import annotations

import collections
import functools
import re

from kg.core import iris
from kg.core.ontology import class_label, class_styles, ontology_graph
from kg.outputs.viz.index import GraphIndex
from kg.outputs.viz.layout import DEFAULT_SIZE, WEAK_MODULARITY, communities, layout_positions
from kg.query.evidence import DOCUMENT_PATH, QUOTE_PATH, START_PATH
from kg.outputs.viz.model import (
    _DEFAULT_STYLE,
    _LABEL_INSIDE,
    _LABEL_MAX,
    _QUOTE_TIP,
    _SHAPES,
    ADOPTS,
    COMMUNITY_COLOURS,
    NEUTRAL,
    OTHER_COMMUNITY,
    ViewGraph,
    VizNode,
)
from kg.query.lookup import curie
from kg.query.sparql import run_query

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


@functools.lru_cache(maxsize=None)
def _predicate_labels(iri: str) -> dict[str, str]:
    from rdflib import RDFS, URIRef

    labels = {getattr(v, "language", None): str(v) for v in ontology_graph().objects(URIRef(iri), RDFS.label)}
    return {"zh": labels.get("zh") or curie(iri), "en": labels.get("en") or curie(iri)}


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


EVIDENCE_SHOWN = 10  # passages a node's panel lists at most; past them it says there are more
PAGE_PASSAGES = 2000  # passages a page lists in all: past 200 nodes each lists fewer (at least one)
_VALUES_CHUNK = 2000  # IRIs per VALUES block
_ROUNDS = (1, 2, 4, 8)  # links per node whose assertions are read in each round (then a node's own queries)


def passages_per_node(nodes: int) -> int:
    """How many passages each node of a page of ``nodes`` nodes lists: :data:`EVIDENCE_SHOWN`,
    fewer past ``PAGE_PASSAGES / EVIDENCE_SHOWN`` nodes so the page reads and carries at most
    about :data:`PAGE_PASSAGES` (a node with more says so).

    >>> passages_per_node(128), passages_per_node(540), passages_per_node(5000)
    (10, 3, 1)
    """
    return max(1, min(EVIDENCE_SHOWN, PAGE_PASSAGES // max(nodes, 1)))


# A node's passages, its adoptions' first. First through the links the page draws: the
# assertion of each link (its IRI is minted from the statement, kg.core.iris.assertion) names
# its passages, read for many nodes at once, a few links per node and round until each node
# has one passage more than it lists. A node the links leave short (few links, or passages
# only of its own, such as mentions) asks the store itself: the first few the store gives of
# each kind of statement, in this order, each asked only while fewer than that are found (a
# UNION of the four is evaluated in an order of Oxigraph's choosing: at 1,000 documents 126 of
# 338 regions then listed passages naming them and not one adoption). At 10,000 documents
# asking per node cost 3 s for 540 nodes; through the links, 0.2 s.
_LINK_EVIDENCE = "SELECT ?assertion ?evidence WHERE { VALUES ?assertion { %s } ?assertion gk:evidence ?evidence }"
_NODE_EVIDENCE = (
    """SELECT ?evidence ?predicate ?other ?subject WHERE {
  ?assertion rdf:subject <%(node)s> ; rdf:predicate gk:adopts ; rdf:object ?other ; a gk:Assertion ; gk:evidence ?evidence .
  BIND(gk:adopts AS ?predicate) BIND(true AS ?subject) } LIMIT %(limit)d""",
    """SELECT ?evidence ?predicate ?other ?subject WHERE { <%(node)s> gk:evidence ?evidence } LIMIT %(limit)d""",
    """SELECT ?evidence ?predicate ?other ?subject WHERE {
  ?assertion rdf:subject <%(node)s> ; rdf:predicate ?predicate ; rdf:object ?other ; a gk:Assertion ; gk:evidence ?evidence .
  FILTER(?predicate != gk:adopts) BIND(true AS ?subject) } LIMIT %(limit)d""",
    """SELECT ?evidence ?predicate ?other ?subject WHERE {
  ?assertion rdf:object <%(node)s> ; rdf:predicate ?predicate ; rdf:subject ?other ; a gk:Assertion ; gk:evidence ?evidence .
  BIND(false AS ?subject) } LIMIT %(limit)d""",
)
_PASSAGES = f"""SELECT ?evidence ?document ?start ?section ?quote WHERE {{ VALUES ?evidence {{ %s }}
  OPTIONAL {{ ?evidence {DOCUMENT_PATH} ?document }} OPTIONAL {{ ?evidence {START_PATH} ?start }}
  OPTIONAL {{ ?evidence gk:sectionPath ?section }} OPTIONAL {{ ?evidence {QUOTE_PATH} ?quote }} }}"""


def _smallest(found, value):
    """What ``graph.value`` picks of several values: the smallest as text."""
    return value if found is None or (value is not None and str(value) < str(found)) else found


def _statements(nodes: list[str], edges) -> dict[str, list[tuple[str, str, str, bool]]]:
    """node -> the drawn links it takes part in, as (subject, predicate, object, node is the
    subject), those saying it adopts something first, then the others it is the subject of,
    then those it is the object of; each group by the other end's IRI."""
    found: dict[str, list] = {n: [] for n in nodes}
    for edge in edges:
        for node, is_subject in ((edge.source, True), (edge.target, False)):
            if node in found:
                found[node].append((edge.source, edge.predicate, edge.target, is_subject))

    def order(statement) -> tuple:
        subject, predicate, obj, is_subject = statement
        return not is_subject, not (is_subject and predicate == ADOPTS), obj if is_subject else subject, predicate

    return {node: sorted(set(statements), key=order) for node, statements in found.items()}


class _Quotes:
    """Evidence of the page's nodes: their own (``gk:evidence``) and that of assertions about
    them. A node lists at most ``shown`` passages (:func:`passages_per_node`), those saying it
    adopts something first, then in document order, and says when there are more (``govkg
    show`` lists them all); only ``shown`` + 1 passages of each node are read."""

    def __init__(self, index: GraphIndex, nodes: list[str], edges=(), *, shown: int = EVIDENCE_SHOWN):
        self.index = index
        self.shown = shown
        self.rows: list[list] = []  # [document index, section, quote]
        self.documents: list[str] = []
        self._document_of: dict[str, int] = {}
        self._row_of: dict = {}
        self._labels: dict[str, str] = {}
        self.more: set[str] = set()  # nodes with passages beyond those listed
        wanted = shown + 1
        found = {node: {} for node in nodes}  # node -> evidence -> [abouts, adopts], in the order found
        statements = _statements(nodes, edges)
        used = dict.fromkeys(nodes, 0)  # links of each node read so far
        for take in _ROUNDS:
            asked: dict[str, list[tuple[str, tuple]]] = collections.defaultdict(list)  # assertion -> (node, statement)
            for node in nodes:
                if len(found[node]) < wanted and used[node] < len(statements[node]):
                    for statement in statements[node][used[node]:used[node] + take]:
                        asked[iris.assertion(*statement[:3])].append((node, statement))
                    used[node] += take
            if not asked:
                break
            links = collections.defaultdict(list)
            for values in _chunks(sorted(asked)):
                for assertion, evidence in run_query(index.graph, _LINK_EVIDENCE % values).rows:
                    links[str(assertion)].append(evidence)
            for assertion in sorted(asked):
                for node, (subject, predicate, obj, is_subject) in asked[assertion]:
                    for evidence in sorted(links[assertion], key=str):
                        if len(found[node]) < wanted or evidence in found[node]:
                            self._add(found[node], evidence, predicate, obj if is_subject else subject, is_subject)
        for node in nodes:
            if len(found[node]) < wanted:  # the links drawn say too little: ask the store
                self._ask(node, found[node], wanted)
            if len(found[node]) > shown:
                self.more.add(node)
        evidence_read = sorted({str(e) for entries in found.values() for e in entries})
        passages: dict = {}
        for values in _chunks(evidence_read):
            for evidence, *values_found in run_query(index.graph, _PASSAGES % values).rows:
                known = passages.get(evidence, (None,) * 4)
                passages[evidence] = tuple(_smallest(k, v) for k, v in zip(known, values_found))
        self._passages = passages
        self._shown = {}
        for node, entries in found.items():
            ranked = sorted(entries.items(), key=lambda item: (not item[1][1], *self._position(item[0]), str(item[0])))
            self._shown[node] = ranked[:shown]

    def _about(self, predicate, other, is_subject: bool) -> str:
        name = _predicate_labels(str(predicate))["zh"]
        if str(other) not in self._labels:
            self._labels[str(other)] = self.index.label(str(other))
        return f"{name} → {self._labels[str(other)]}" if is_subject else f"← {name} {self._labels[str(other)]}"

    def _add(self, entries: dict, evidence, predicate, other, is_subject) -> None:
        about = self._about(predicate, other, is_subject) if predicate is not None else ""
        entry = entries.setdefault(evidence, [[], False])
        if about not in entry[0]:
            entry[0].append(about)
        entry[1] = entry[1] or (predicate is not None and is_subject and str(predicate) == ADOPTS)

    def _ask(self, node: str, entries: dict, wanted: int) -> None:
        """The node's passages the store gives first, kind by kind, till ``wanted`` are known."""
        for query in _NODE_EVIDENCE:
            limit = wanted
            while True:  # rows, not passages, are limited: a passage stating two facts is two rows
                rows = run_query(self.index.graph, query % {"node": node, "limit": limit}).rows
                for evidence, predicate, other, is_subject in rows:
                    self._add(entries, evidence, predicate, other, is_subject is not None and is_subject.toPython())
                if len(entries) >= wanted or len(rows) < limit:
                    break
                limit *= 4
            if len(entries) >= wanted:
                break

    def _position(self, evidence) -> tuple[str, int]:
        document, start, _, _ = self._passages.get(evidence, (None,) * 4)
        return str(document or ""), int(start or 0)

    def _row(self, evidence) -> int:
        if evidence not in self._row_of:
            document, _, section, quote = self._passages.get(evidence, (None,) * 4)
            doc_key = str(document) if document is not None else ""
            if doc_key not in self._document_of:
                self._document_of[doc_key] = len(self.documents)
                self.documents.append(self.index.label(doc_key) if doc_key else "")
            self._row_of[evidence] = len(self.rows)
            self.rows.append([self._document_of[doc_key], str(section or ""), str(quote or "")])
        return self._row_of[evidence]

    def of(self, iri: str) -> list[list]:
        """[[evidence row, [what it says about the node, …], adopts], …]: the quotes saying the
        node adopts something first (``adopts`` true), then the rest, each in document order."""
        return [[self._row(evidence), sorted(abouts), adopts] for evidence, (abouts, adopts) in self._shown.get(iri, ())]


def _chunks(items: list[str]):
    for at in range(0, len(items), _VALUES_CHUNK):
        yield " ".join(f"<{i}>" for i in items[at:at + _VALUES_CHUNK])


def _vis_options(view: ViewGraph) -> dict:
    """vis-network options: positions come from :func:`~kg.outputs.viz.layout.layout_positions`,
    so physics stays off; edges thin and faded (a selected or searched node's edges darken);
    labels are set by the page's script, which draws only those that fit (graph.js.j2)."""
    big = len(view.nodes) > 400
    directed = view.view != "shared"  # a region adopts an initiative: the shapes already say which way
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "nodes": {"size": DEFAULT_SIZE, "borderWidth": 1,
                  "font": {"size": 13, "face": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif",
                           "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "width": 0.6, "selectionWidth": 1.5, "hoverWidth": 0.8,
                  "color": {"color": "#9a9a9a", "highlight": "#444444", "hover": "#666666", "opacity": 0.35},
                  "arrows": {"to": {"enabled": directed, "scaleFactor": 0.4}}},
    }


def _legend(view: ViewGraph, groups: dict[str, int], modularity: float | None) -> dict:
    """What size and colour stand for on this page: for each sized type, the fewest and most
    links its nodes stand for; for each community, its colour and its largest members."""
    counts: dict[str, list[int]] = collections.defaultdict(list)
    for node in view.nodes.values():
        if node.count is not None:
            counts[node.type].append(node.count)
    size = [{"type": t, "least": min(c), "most": max(c), "meaning": view.size_meaning.get(t, "")}
            for t, c in sorted(counts.items())]
    members: dict[int, list[VizNode]] = collections.defaultdict(list)
    for iri, group in groups.items():
        members[group].append(view.nodes[iri])
    colour = []
    for group in sorted(members):
        largest = sorted(members[group], key=lambda n: (-(n.count or 0), n.label))[:3]
        colour.append({"color": COMMUNITY_COLOURS[group] if group < len(COMMUNITY_COLOURS) else OTHER_COMMUNITY,
                       "count": len(members[group]), "names": [n.label for n in largest]})
    return {"size": size, "communities": colour, "modularity": modularity,
            "weak": modularity is not None and modularity < WEAK_MODULARITY}


def build_page_data(index: GraphIndex, view: ViewGraph) -> dict:
    """Everything the page's script needs, as plain JSON-able data."""

    quotes = _Quotes(index, list(view.nodes), view.edges, shown=passages_per_node(len(view.nodes)))
    positions = layout_positions(view)
    groups, modularity = communities(view) if view.by_community else ({}, None)
    if len(set(groups.values())) < 2:
        groups, modularity = {}, None  # one community colours nothing apart
    types, nodes, regions = {}, [], {}
    for node in view.nodes.values():
        style = _style(node.type)
        types.setdefault(node.type, {"zh": class_label(node.type, "zh"), "en": class_label(node.type, "en"), **style,
                                     "swatch": NEUTRAL if groups else style["color"],
                                     "font": _font_color(style["color"]) if style["shape"] in _LABEL_INSIDE else None,
                                     "count": 0})
        types[node.type]["count"] += 1
        if node.region:
            regions.setdefault(node.region, index.label(node.region))
        evidence = quotes.of(node.iri)
        first = quotes.rows[evidence[0][0]][2] if evidence else ""
        group = groups.get(node.iri)
        nodes.append({"id": node.iri, "label": _short(node.label, _LABEL_MAX), "name": node.label, "en": node.label_en,
                      "type": node.type, "region": node.region, "size": node.size, "note": node.note,
                      "color": (COMMUNITY_COLOURS[group] if group < len(COMMUNITY_COLOURS) else OTHER_COMMUNITY)
                      if group is not None else None,
                      "x": positions[node.iri][0], "y": positions[node.iri][1],
                      "quote": _short(first, _QUOTE_TIP) if first else None, "evidence": evidence,
                      "evidence_more": node.iri in quotes.more,
                      "search": sorted({node.label, *(node.aliases), *([node.label_en] if node.label_en else [])})})
    predicates = sorted({e.predicate for e in view.edges})
    position = {p: i for i, p in enumerate(predicates)}
    region_order = sorted(regions, key=lambda r: (index.code(r) or "~", regions[r]))
    return {
        "view": view.view,
        "total": view.total,
        "edge_total": view.edge_total if view.edge_total is not None else len(view.edges),
        "nodes": nodes,
        "edges": [{"from": e.source, "to": e.target, "p": position[e.predicate], "dashed": e.dashed} for e in view.edges],
        "predicates": [_predicate_labels(p) for p in predicates],
        "types": dict(sorted(types.items(), key=lambda kv: (-kv[1]["count"], kv[0]))),
        "legend": _legend(view, groups, modularity),
        "regions": [[r, regions[r]] for r in region_order],
        "evidence_shown": quotes.shown,
        "documents": quotes.documents,
        "evidence": quotes.rows,
        "options": _vis_options(view),
    }
