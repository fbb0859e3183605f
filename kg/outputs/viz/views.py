"""The views of the graph page (shared, platforms, tasks, full): which nodes and links each
shows, with focus, region and type filters."""
from __future__ import annotations

import collections
import functools
import math
from dataclasses import dataclass
from typing import Callable

from kg.core import iris
from kg.core.errors import QueryError
from kg.core.namespaces import RDF
from kg.core.ontology import ontology_graph
from kg.outputs.formats import View
from kg.outputs.viz.index import GraphIndex
from kg.outputs.viz.model import (
    ADOPTS,
    IN_REGION,
    IS_PART_OF,
    LARGEST,
    LEAD_UNIT,
    SERVES,
    SMALLEST,
    SUPPORT_UNIT,
    ViewGraph,
    VizEdge,
    VizOptions,
)
from kg.query.lookup import resolve_entity

# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class _ViewSpec:
    build: Callable[[GraphIndex], tuple[set[str], list[VizEdge]]]
    sized_by: str | None = None  # a node's size grows with the number of its edges of this predicate
    size_notes: tuple[str, str] = ("", "")  # tooltip line for (subjects, objects) of them; {n}: how many
    size_legend: tuple[str, str] = ("", "")  # what a size stands for, in the legend, for (subjects, objects)
    bridge: Callable[[GraphIndex, set[str], set[str], list[VizEdge]], list[VizEdge]] | None = None
    # nodes an unfocused view leaves out, and the page's note saying so ({n}: how many)
    prune: Callable[[set[str], list[VizEdge]], set[str]] | None = None
    prune_note: str = ""
    by_community: bool = False  # nodes coloured by their Louvain community rather than their type
    # the kinds of entities the view reads (None: all); with a focus, also ``bridge_kinds``
    kinds: frozenset[str] | None = None
    bridge_kinds: frozenset[str] = frozenset()


def _shared(index: GraphIndex) -> tuple[set[str], list[VizEdge]]:
    edges = [VizEdge(r, i, ADOPTS) for r, i in index.pairs(ADOPTS) if index.is_region(r) and index.is_(i, "Initiative")]
    return {e.source for e in edges} | {e.target for e in edges}, edges


def _shared_bridge(index: GraphIndex, focus: set[str], keep: set[str], edges: list[VizEdge]) -> list[VizEdge]:
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


def _unshared(keep: set[str], edges: list[VizEdge]) -> set[str]:
    """Initiatives fewer than two regions adopt (fewer than all of them when only one adopts
    anything), and the regions then left without a link."""
    adopted = [e for e in edges if e.predicate == ADOPTS and e.source in keep and e.target in keep]
    regions = {e.source for e in adopted}
    adopters = collections.Counter(e.target for e in adopted)
    dropped = {i for i, count in adopters.items() if count < min(2, len(regions))}
    return dropped | (regions - {e.source for e in adopted if e.target not in dropped})


def _platforms(index: GraphIndex) -> tuple[set[str], list[VizEdge]]:
    platforms = {iri for iri in index.types if index.is_(iri, "Platform")}
    edges = [VizEdge(p, r, IN_REGION) for p, r in index.pairs(IN_REGION) if p in platforms and index.is_region(r)]
    edges += [VizEdge(p, i, SERVES) for p, i in index.pairs(SERVES) if p in platforms and index.is_(i, "Initiative")]
    return platforms | {e.target for e in edges}, edges


def _tasks(index: GraphIndex) -> tuple[set[str], list[VizEdge]]:
    edges = [VizEdge(t, d, p) for p in (LEAD_UNIT, SUPPORT_UNIT) for t, d in index.pairs(p)
             if index.is_(t, "Task") and index.is_(d, "Department")]
    tasks = {e.source for e in edges}
    edges += [VizEdge(t, d, IS_PART_OF) for t, d in index.pairs(IS_PART_OF) if t in tasks and index.is_document(d)]
    return tasks | {e.target for e in edges}, edges


def _full(index: GraphIndex) -> tuple[set[str], list[VizEdge]]:
    from rdflib import URIRef

    links = {(str(s), str(p), str(o)) for s, p, o in index.graph
             if isinstance(o, URIRef) and s != o and str(p) != RDF + "type"}
    edges = [VizEdge(s, o, p) for s, p, o in sorted(links) if s in index.types and o in index.types]
    return set(index.types), edges


VIEWS: dict[str, _ViewSpec] = {
    View.SHARED.value: _ViewSpec(_shared, sized_by=ADOPTS, bridge=_shared_bridge, size_notes=(
        "推行 {n} 项举措 · adopts {n} initiative(s)", "{n} 个地区推行 · adopted by {n} region(s)"),
        size_legend=("推行的举措数 · initiatives it adopts", "推行的地区数 · regions adopting it"),
        prune=_unshared, by_community=True, kinds=frozenset({"Region", "Initiative"}), bridge_kinds=frozenset({"Platform"}),
        prune_note="只显示至少两个地区共同推行的举措；另有 {n} 个节点（仅一个地区推行的举措、无共同举措的地区）未显示，"
                   "可用 --focus 查看 · showing the initiatives at least two regions share; {n} more node(s) "
                   "(initiatives one region adopts, regions sharing none) are left out, --focus NAME shows them"),
    View.PLATFORMS.value: _ViewSpec(_platforms, kinds=frozenset({"Platform", "Region", "Initiative"})),
    View.TASKS.value: _ViewSpec(_tasks, kinds=frozenset({"Task", "Department", "Document"})),
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

    below = ontology_graph().transitive_subjects(RDFS.subClassOf, URIRef(iris.term(local)))
    return frozenset(str(c)[len(iris.NS):] for c in below if str(c).startswith(iris.NS))


def _type_filter(types: tuple[str, ...], present: set[str]) -> set[str]:
    """Class local names in ``types`` and every class below them; unknown names are errors."""
    from rdflib import OWL, RDF, URIRef

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


def view_kinds(options: VizOptions) -> frozenset[str] | None:
    """The kinds of entities the view ``options`` asks for reads (None: all of them), so a page
    of regions and initiatives never reads the store's tasks and platforms."""
    spec = VIEWS[_view_name(options.view)]
    if spec.kinds is None:
        return None
    return spec.kinds | spec.bridge_kinds if options.focus else spec.kinds


def view_graph(graph, *, options: VizOptions = VizOptions()) -> ViewGraph:
    """The nodes and edges of one view of ``graph``, narrowed and capped as ``options`` say.

    Raises :class:`~kg.core.errors.QueryError` for an unknown view or type, a focus name that is
    not in the view, ``max_nodes`` below 1 and ``max_edges`` below 0; :class:`~kg.core.errors.NotFoundError` for a name
    that does not resolve.
    """
    return build_view(GraphIndex(graph, kinds=view_kinds(options)), options)


def build_view(index: GraphIndex, options: VizOptions) -> ViewGraph:
    name = _view_name(options.view)
    if options.max_nodes < 1:
        raise QueryError(f"max_nodes must be at least 1, not {options.max_nodes}")
    if options.max_edges < 0:
        raise QueryError(f"max_edges must be 0 (no cap) or more, not {options.max_edges}")
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
    left_out = 0
    if spec.prune is not None and not options.focus:
        dropped = spec.prune(keep, edges)
        keep, left_out = keep - dropped, len(dropped & keep)
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
    size_meaning: dict[str, str] = {}
    if spec.sized_by:
        for end, note, meaning in zip(("source", "target"), spec.size_notes, spec.size_legend):
            counts = collections.Counter(getattr(e, end) for e in edges if e.predicate == spec.sized_by)
            for iri, count in counts.items():
                nodes[iri].size = node_size(count, min(counts.values()), max(counts.values()))
                nodes[iri].count = count
                nodes[iri].note = note.format(n=count) or None
                size_meaning[nodes[iri].type] = meaning
    # Sizes count every link; the page draws at most max_edges of them.
    edge_total = len(edges)
    if options.max_edges and edge_total > options.max_edges:
        edges = strongest_edges(edges, options.max_edges)
    return ViewGraph(view=name, nodes=nodes, edges=edges, total=total, max_nodes=options.max_nodes,
                     left_out=left_out, left_out_note=spec.prune_note if left_out else "",
                     by_community=spec.by_community and not options.focus, size_meaning=size_meaning,
                     edge_total=edge_total, max_edges=options.max_edges)


def strongest_edges(edges: list[VizEdge], limit: int) -> list[VizEdge]:
    """The ``limit`` links a capped page draws, in their order in ``edges``. Links rank by how
    connected their ends are (the less connected end first, then the other; ties by IRI). First
    every node not yet linked takes its best-ranked link, the least connected nodes first, so
    no node loses all its links while the cap allows; the rest of the cap goes to the
    best-ranked links left: those between the most connected nodes.

    >>> e = [VizEdge("a", "x", "p"), VizEdge("b", "x", "p"), VizEdge("b", "y", "p"), VizEdge("c", "y", "p")]
    >>> [(l.source, l.target) for l in strongest_edges(e, 3)]
    [('a', 'x'), ('b', 'x'), ('c', 'y')]
    """
    degree = collections.Counter([e.source for e in edges] + [e.target for e in edges])

    def rank(edge: VizEdge) -> tuple:
        ends = sorted((degree[edge.source], degree[edge.target]))
        return -ends[0], -ends[1], edge.source, edge.predicate, edge.target

    ranked = sorted(edges, key=rank)
    best: dict[str, VizEdge] = {}
    for edge in ranked:
        best.setdefault(edge.source, edge)
        best.setdefault(edge.target, edge)
    kept: set[VizEdge] = set()
    linked: set[str] = set()
    for node in sorted(degree, key=lambda n: (degree[n], n)):
        if len(kept) == limit:
            break
        if node not in linked:
            kept.add(best[node])
            linked.update((best[node].source, best[node].target))
    for edge in ranked:
        if len(kept) == limit:
            break
        kept.add(edge)
    return [e for e in edges if e in kept]


def node_size(count: int, least: int, most: int) -> float:
    """Canvas size of a node that has ``count`` links of the sizing kind, where the view's nodes
    of its kind have ``least`` to ``most``: the area grows with the count, from SMALLEST to LARGEST."""
    share = (count - least) / (most - least) if most > least else 1.0
    return round(SMALLEST + (LARGEST - SMALLEST) * math.sqrt(share), 1)
