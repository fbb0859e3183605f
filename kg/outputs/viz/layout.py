"""Where the page draws each node and which group colours it, computed in Python before the page
opens (the browser runs no physics, so nothing moves once it is drawn). The one module of the
graph page that imports networkx, lazily."""
from __future__ import annotations

import math

from kg.outputs.viz.model import ViewGraph

SPACING = 90  # vis-network units of canvas per node: the layout fills a square of SPACING * sqrt(n)
DEFAULT_SIZE = 10.0  # canvas size of a node the view does not size (vis-network options say the same)
SEED = 7  # layouts and communities are the same on every run
WEAK_MODULARITY = 0.3  # below this, communities overlap more than they separate (analytics says the same)
_FA2_LARGEST = 800  # above this many nodes ForceAtlas2 (O(n²) per iteration) gives way to region discs
_FA2_WORK = 8_000_000  # node pairs × iterations ForceAtlas2 may spend (~0.5 s): 150 iterations up to 230 nodes
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _network(view: ViewGraph):
    import networkx as nx

    network = nx.Graph()
    network.add_nodes_from(sorted(view.nodes))
    network.add_edges_from(sorted({tuple(sorted((e.source, e.target))) for e in view.edges if e.source != e.target}))
    return network


def layout_positions(view: ViewGraph) -> dict[str, tuple[int, int]]:
    """Canvas positions of the nodes: ForceAtlas2 with a fixed seed (networkx >= 3.4;
    spring_layout before that), or for views past _FA2_LARGEST nodes :func:`_region_discs`;
    scaled to a square whose side grows with the square root of the node count, nodes pushed
    apart where they overlap, rounded: the same view always gives the same page."""
    import networkx as nx
    import numpy as np

    if not view.nodes:
        return {}
    network = _network(view)
    if len(network) > _FA2_LARGEST:
        raw = _region_discs(view)
    elif hasattr(nx, "forceatlas2_layout"):
        raw = nx.forceatlas2_layout(network, max_iter=fa2_iterations(len(network)), seed=SEED)
    else:
        raw = nx.spring_layout(network, seed=SEED, iterations=50)
    names = list(network)
    points = np.array([raw[n] for n in names], dtype=float)
    points -= (points.max(axis=0) + points.min(axis=0)) / 2
    points *= SPACING * math.sqrt(len(names)) / (np.ptp(points, axis=0).max() or 1.0)
    radii = np.array([view.nodes[n].size or DEFAULT_SIZE for n in names], dtype=float)
    points = _apart(points, radii)
    return {n: (int(round(x)), int(round(y))) for n, (x, y) in zip(names, points.tolist())}


def fa2_iterations(nodes: int) -> int:
    """ForceAtlas2's iterations for a view of ``nodes`` nodes: fewer as the view grows, each
    costing n² (at 10,000 documents the 540 nodes of the default view took 83 iterations and
    2 s; now 27); never fewer than 20.

    >>> fa2_iterations(128), fa2_iterations(300), fa2_iterations(540), fa2_iterations(800)
    (150, 88, 27, 20)
    """
    return max(20, min(150, _FA2_WORK // max(nodes, 1) ** 2))


def _region_discs(view: ViewGraph) -> dict[str, tuple[float, float]]:
    """A layout that costs nothing for large views: a disc of nodes per region (the region at its
    centre, the most connected nearest it), the discs on a ring in division-code order (a
    province's cities next to it), the nodes without a region in a disc in the middle."""
    import collections

    def sunflower(count: int, cx: float, cy: float) -> list[tuple[float, float]]:
        return [(cx + math.sqrt(k + 0.5) * math.cos(k * _GOLDEN_ANGLE), cy + math.sqrt(k + 0.5) * math.sin(k * _GOLDEN_ANGLE))
                for k in range(count)]

    degree = collections.Counter([e.source for e in view.edges] + [e.target for e in view.edges])
    groups: dict[str | None, list[str]] = collections.defaultdict(list)
    for iri, node in view.nodes.items():
        groups[node.region].append(iri)
    for key, members in groups.items():
        members.sort(key=lambda n: (n != key, -degree[n], n))
    middle = groups.pop(None, [])
    radius = {key: math.sqrt(len(members) + 1) for key, members in groups.items()}
    order = sorted(groups)
    arc = sum(2 * radius[k] + 1 for k in order)
    ring = max(arc / (2 * math.pi), math.sqrt(len(middle) + 1) + max(radius.values(), default=0) + 1)
    positions = dict(zip(middle, sunflower(len(middle), 0.0, 0.0)))
    angle = 0.0
    for key in order:
        share = (2 * radius[key] + 1) / arc * 2 * math.pi
        centre = angle + share / 2
        positions.update(zip(groups[key], sunflower(len(groups[key]), ring * math.cos(centre), ring * math.sin(centre))))
        angle += share
    return positions


def _apart(points, radii, *, gap: float = 6.0, rounds: int = 60):
    """Push overlapping nodes apart (each pair half the overlap each way, a few rounds), so no
    node hides another: the layout keeps its shape, the crowded middle grows a little."""
    import numpy as np
    from scipy.spatial import cKDTree

    points = points.copy()
    reach = 2 * radii.max() + gap
    for _ in range(rounds):
        pairs = cKDTree(points).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        first, second = pairs[:, 0], pairs[:, 1]
        apart = points[second] - points[first]
        distance = np.hypot(apart[:, 0], apart[:, 1])
        needed = radii[first] + radii[second] + gap
        over = distance < needed
        if not over.any():
            break
        first, second, apart, distance, needed = first[over], second[over], apart[over], distance[over], needed[over]
        same = distance < 1e-9  # nodes on one spot part along a fixed direction
        apart[same], distance[same] = (1.0, 0.0), 1.0
        push = apart / distance[:, None] * ((needed - distance) / 2)[:, None]
        np.add.at(points, first, -push)
        np.add.at(points, second, push)
    return points


def communities(view: ViewGraph) -> tuple[dict[str, int], float | None]:
    """Louvain communities of the view (fixed seed): node -> community number (0 the largest)
    and the partition's modularity; ({}, None) when the view has no edges."""
    import networkx as nx

    network = _network(view)
    if not network.number_of_edges():
        return {}, None
    found = nx.community.louvain_communities(network, seed=SEED)
    modularity = nx.community.modularity(network, found)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {n: k for k, members in enumerate(ordered) for n in members}, round(modularity, 2)
