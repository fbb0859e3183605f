"""The networks: projections of the RDF graph (region–initiative, region–region, platform–
initiative, department–task, and the policy network), built with networkx."""
from __future__ import annotations

import collections
from typing import Callable

from kg.core.errors import QueryError
from kg.outputs.analytics.reading import _Describer, _rows
from kg.outputs.analytics.results import _family


# ---------------------------------------------------------------------------------- projections

def region_initiative_graph(graph, *, describe: _Describer | None = None):
    """Bipartite: regions (``bipartite=0``) and the initiatives they adopt (``bipartite=1``).
    ``describe``: a describer of ``graph`` to read the nodes with (and keep them for later)."""
    import networkx as nx

    describe = describe or _Describer(graph)
    network = nx.Graph(name="region-initiative")
    rows = _rows(graph, "adoptions")
    describe.read(iri for row in rows for iri in row.values())
    side: dict[str, int] = {}  # the side each node was last added on: adding it again on it changes nothing
    for row in rows:
        for iri, part, type_ in ((row["region"], 0, "Region"), (row["initiative"], 1, "Initiative")):
            if side.get(iri) != part:
                network.add_node(iri, bipartite=part, **describe(iri, type_))
                side[iri] = part
        network.add_edge(row["region"], row["initiative"], relation="adopts", weight=1)
    return network


def region_region_graph(graph):
    """Regions that adopt at least one initiative; an edge where two share one, with
    ``weight`` = shared initiatives and ``jaccard`` = shared / adopted by either."""
    return _region_region(region_initiative_graph(graph))


def shared_initiatives(bipartite):
    """The regions of a region–initiative network (sorted IRIs), the initiatives each pair of
    them shares (a symmetric numpy matrix of counts, zero diagonal: a matrix product of 0/1
    rows, exact) and how many each adopts."""
    import numpy as np

    regions = sorted(n for n, data in bipartite.nodes(data=True) if data["bipartite"] == 0)
    initiatives = {i: n for n, i in enumerate(sorted({i for r in regions for i in bipartite[r]}))}
    matrix = np.zeros((len(regions), len(initiatives)), dtype=np.int32)
    for row, region in enumerate(regions):
        matrix[row, [initiatives[i] for i in bipartite[region]]] = 1
    shared = matrix @ matrix.T
    np.fill_diagonal(shared, 0)
    return regions, shared, matrix.sum(axis=1)


def _region_region(bipartite, keep=None, counts=None):
    """Regions and their ties (``weight`` shared initiatives, ``jaccard``), the edges added in
    the order of itertools.combinations(regions, 2), as Louvain sees them. ``keep``: a boolean
    matrix of the ties to add (default: every tie); ``counts``: :func:`shared_initiatives` of
    ``bipartite`` when the caller has it already."""
    import networkx as nx
    import numpy as np

    regions, shared, sizes = counts if counts is not None else shared_initiatives(bipartite)
    network = nx.Graph(name="region-region")
    network.add_nodes_from((r, {k: v for k, v in bipartite.nodes[r].items() if k != "bipartite"}) for r in regions)
    if not regions:
        return network
    upper = np.triu(shared if keep is None else np.where(keep, shared, 0), k=1)
    sizes = sizes.tolist()
    for a, b in zip(*(index.tolist() for index in np.nonzero(upper))):
        count = int(upper[a, b])
        network.add_edge(regions[a], regions[b], relation="shares", weight=count, jaccard=count / (sizes[a] + sizes[b] - count))
    return network


def strongest_ties(shared, k: int):
    """Which ties of a shared-initiatives matrix to keep so each region keeps its ``k``
    strongest (most shared initiatives; ties broken by the other region's place in the sorted
    IRIs): a symmetric boolean matrix, a tie kept when either end keeps it.

    >>> import numpy as np
    >>> strongest_ties(np.array([[0, 3, 1, 0], [3, 0, 2, 2], [1, 2, 0, 5], [0, 2, 5, 0]]), 1).astype(int).tolist()
    [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]
    """
    import numpy as np

    n = len(shared)
    keep = np.zeros((n, n), dtype=bool)
    if n == 0 or k <= 0:
        return keep
    order = np.lexsort((np.broadcast_to(np.arange(n), (n, n)), -shared), axis=1)[:, :k]  # strongest first, then by place
    rows = np.repeat(np.arange(n), order.shape[1])
    keep[rows, order.ravel()] = True
    keep &= shared > 0
    np.fill_diagonal(keep, False)
    return keep | keep.T


def platform_initiative_graph(graph):
    """Bipartite: platforms (``bipartite=0``, with ``kind``) and the initiatives they serve."""
    import networkx as nx

    describe = _Describer(graph)
    network = nx.Graph(name="platform-initiative")
    rows = _rows(graph, "platform-services")
    describe.read(iri for row in rows for iri in row.values())
    for row in rows:
        network.add_node(row["platform"], bipartite=0, kind=describe.notation(row.get("kind")), **describe(row["platform"], "Platform"))
        network.add_node(row["initiative"], bipartite=1, **describe(row["initiative"], "Initiative"))
        network.add_edge(row["platform"], row["initiative"], relation="serves", weight=1)
    return network


def department_task_graph(graph):
    """Bipartite: departments (``bipartite=0``) and tasks; edge ``relation`` is ``lead``,
    ``support`` or ``lead+support``."""
    import networkx as nx

    describe = _Describer(graph)
    network = nx.Graph(name="department-task")
    roles: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    rows = _rows(graph, "task-units")
    describe.read(row[key] for row in rows for key in ("department", "task"))
    for row in rows:
        network.add_node(row["department"], bipartite=0, **describe(row["department"], "Department"))
        network.add_node(row["task"], bipartite=1, **describe(row["task"], "Task"))
        roles[row["department"], row["task"]].add(row["role"])
    for (department, task), found in roles.items():
        network.add_edge(department, task, relation="+".join(sorted(found)), weight=1)
    return network


def policy_network(graph):
    """Regions, initiatives and platforms: adopts, serves, and each serving platform's region."""
    describe = _Describer(graph)
    return _policy(graph, region_initiative_graph(graph, describe=describe), describe=describe)


def _policy(graph, adoptions, *, describe: _Describer | None = None):
    import networkx as nx

    describe = describe or _Describer(graph)
    network = nx.Graph(name="policy")
    network.add_nodes_from(adoptions.nodes(data=True))
    network.add_edges_from(adoptions.edges(data=True))
    rows = _rows(graph, "platform-services")
    describe.read(iri for row in rows for iri in row.values())
    kinds: dict[str, str] = {}  # the kind each platform was last added with
    for row in rows:
        platform, initiative = row["platform"], row["initiative"]
        kind = describe.notation(row.get("kind"))
        if kinds.get(platform) != kind:
            network.add_node(platform, kind=kind, **describe(platform, "Platform"))
            kinds[platform] = kind
        if initiative not in network:
            network.add_node(initiative, **describe(initiative, "Initiative"))
        network.add_edge(platform, initiative, relation="serves", weight=1)
        if row.get("region"):
            if row["region"] not in network:
                network.add_node(row["region"], **describe(row["region"], "Region"))
            network.add_edge(platform, row["region"], relation="inRegion", weight=1)
    for _, data in network.nodes(data=True):
        data.pop("bipartite", None)
    return network


# Relations with a direction, and the type (or family) of the node they go from; the others
# (``shares``: two regions alike) are symmetric.
RELATION_SOURCES = {"adopts": "Region", "serves": "Platform", "inRegion": "Platform",
                    "lead": "Department", "support": "Department", "lead+support": "Department"}


def oriented(network, u: str, v: str) -> tuple[str, str, bool]:
    """An edge of a projection as (source, target, directed): from the node of the relation's
    source type (a region adopts, a platform serves, a department leads), or as stored when the
    relation is symmetric."""
    relation = network.edges[u, v].get("relation")
    if relation not in RELATION_SOURCES:
        return u, v, False
    sources = _family(RELATION_SOURCES[relation])
    return (u, v, True) if network.nodes[u].get("type") in sources else (v, u, True)


def oriented_edges(network) -> list[tuple[str, str, str]]:
    """Every edge as (source, target, relation), oriented as :func:`oriented` does, the
    classes of each relation's source looked up once (77,000 edges at 10,000 documents)."""
    sources = {relation: _family(type_) for relation, type_ in RELATION_SOURCES.items()}
    types = {node: data.get("type") for node, data in network.nodes(data=True)}
    found = []
    for u, v, data in network.edges(data=True):
        relation = data.get("relation")
        if relation in sources and types[u] not in sources[relation]:
            u, v = v, u
        found.append((u, v, relation))
    return found


PROJECTIONS: dict[str, Callable] = {
    "policy": policy_network,
    "region-initiative": region_initiative_graph,
    "region-region": region_region_graph,
    "platform-initiative": platform_initiative_graph,
    "department-task": department_task_graph,
}


def projection(graph, name: str):
    """The network called ``name`` (a key of :data:`PROJECTIONS`)."""
    if name not in PROJECTIONS:
        raise QueryError(f"unknown network '{name}'", fix="use one of: " + ", ".join(PROJECTIONS))
    return PROJECTIONS[name](graph)
