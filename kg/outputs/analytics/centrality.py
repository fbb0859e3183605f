"""Centrality of regions, initiatives and platforms in the policy network, and communities
of regions (Louvain, fixed seed)."""
from __future__ import annotations

from kg.core.errors import KGError
from kg.outputs.analytics.results import (BETWEENNESS_SAMPLE, COMMUNITY_TIES, DEFAULT_SEED, EXACT_BETWEENNESS_LIMIT,
                                          CentralityResult, Named, NodeCentrality)
from kg.outputs.analytics.reading import _Describer
from kg.outputs.analytics.networks import _policy, _region_region, oriented_edges, region_initiative_graph, shared_initiatives, strongest_ties


# ---------------------------------------------------------------------------------- centrality

def _eigenvector(network) -> dict[str, float]:
    """Eigenvector centrality per connected component, scaled by the component's share of
    nodes, so a graph in several pieces still gets comparable, convergent scores."""
    import networkx as nx

    scores: dict[str, float] = {}
    total = network.number_of_nodes()
    components = list(nx.connected_components(network))
    for component in components:
        if len(component) == 1:
            scores.update(dict.fromkeys(component, 0.0))
            continue
        # A copy, not a view: power iteration over a filtered view is several times slower.
        sub = network if len(components) == 1 else network.subgraph(component).copy()
        try:
            # SciPy's sparse eigensolver (ARPACK): at 1,000 documents 0.2 s where networkx's
            # power iteration in Python took 18 s. It needs three nodes or more.
            values = nx.eigenvector_centrality_numpy(sub, max_iter=1000) if len(component) > 2 else \
                nx.eigenvector_centrality(sub, max_iter=1000)
        except (nx.PowerIterationFailedConvergence, nx.AmbiguousSolution, ArithmeticError):
            raise KGError("eigenvector centrality did not converge", fix="report the graph that causes it") from None
        share = len(component) / total
        scores.update({node: value * share for node, value in values.items()})
    return scores


_SOURCES_PER_BLOCK = 128  # breadth-first searches run side by side (an n x 128 block of floats each)


def _betweenness(network, sources: int | None, seed: int) -> dict[str, float]:
    """Normalised shortest-path betweenness, as ``nx.betweenness_centrality(network, k=sources,
    seed=seed)`` computes it (networkx >= 3.5: the same sampled sources, drawn by
    ``random.Random(seed).sample``, and the same scaling, sources and others apart), but with
    Brandes' algorithm run on many sources at once as sparse matrix products (scipy) instead of
    a breadth-first search per source in Python (2.5 s on the 1,000-document policy network,
    whose 100 sampled sources now take a fraction of a second). Values agree with networkx's to
    rounding (sums taken in another order)."""
    import random

    import numpy as np
    from scipy import sparse

    nodes = list(network)
    n = len(nodes)
    chosen = nodes if sources is None else random.Random(seed).sample(nodes, sources)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    # A self-loop is never on a shortest path: left out.
    links = [(index[u], index[v]) for u, near in network.adjacency() for v in near if u != v]
    ends, starts = (np.array(side, dtype=np.int64) for side in zip(*links)) if links else (np.zeros(0, int),) * 2
    adjacency = sparse.csr_array((np.ones(len(links)), (ends, starts)), shape=(n, n))
    raw = np.zeros(n)
    for start in range(0, len(chosen), _SOURCES_PER_BLOCK):
        block = np.array([index[s] for s in chosen[start:start + _SOURCES_PER_BLOCK]])
        columns = np.arange(len(block))
        sigma = np.zeros((n, len(block)))  # shortest paths from each source (column) to each node
        sigma[block, columns] = 1.0
        depth = np.full((n, len(block)), -1)
        depth[block, columns] = 0
        frontier, level = sigma.copy(), 0
        while frontier.any():  # breadth first, one level at a time: paths to the next level
            reached = adjacency @ frontier
            new = (depth < 0) & (reached > 0)
            level += 1
            depth[new] = level
            sigma[new] = reached[new]
            frontier = np.where(new, reached, 0.0)
        delta = np.zeros((n, len(block)))  # dependency of each source on each node
        for deepest in range(level, 1, -1):  # back from the farthest level, as Brandes accumulates
            coefficient = np.where(depth == deepest, (1.0 + delta) / np.where(sigma > 0, sigma, 1.0), 0.0)
            delta += np.where(depth == deepest - 1, sigma * (adjacency @ coefficient), 0.0)
        delta[block, columns] = 0.0  # a source is not between itself and the others
        raw += delta.sum(axis=1)
    # networkx's scaling: by the (source, target) pairs that could pass through a node; a sampled
    # source is not its own target, so sources and the others are scaled apart.
    if sources is None:
        scale = np.full(n, 1.0 / ((n - 1) * (n - 2)))
    else:
        scale = np.full(n, 1.0 / (sources * (n - 2)))
        scale[[index[s] for s in chosen]] = 1.0 / ((sources - 1) * (n - 2)) if sources > 1 else float("nan")
    return dict(zip(nodes, (raw * scale).tolist()))


def modularity(shared, groups: list[list[int]], resolution: float = 1.0) -> float:
    """Newman's modularity of a partition (lists of row indexes) of the weighted network whose
    symmetric weight matrix is ``shared`` (as networkx's ``modularity`` with ``weight``,
    computed on the matrix: no graph of every tie is built); 0.0 without ties."""
    import numpy as np

    strength = shared.sum(axis=1).astype(float)
    total = strength.sum()
    if not total:
        return 0.0
    score = 0.0
    for group in groups:
        index = np.asarray(group, dtype=int)
        score += shared[np.ix_(index, index)].sum() / total - resolution * (strength[index].sum() / total) ** 2
    return float(score)


def _communities(adoptions, *, seed: int, resolution: float, ties: int | None):
    """Louvain communities of regions on the region–region network (``weight`` = shared
    initiatives), on each region's ``ties`` strongest ties when it has more (None or 0: all),
    and their modularity on the whole network. Returns (communities, modularity, ties kept,
    ties in all)."""
    import networkx as nx
    import numpy as np

    counts = shared_initiatives(adoptions)
    regions, shared, _ = counts
    total = int(np.count_nonzero(np.triu(shared, k=1)))
    keep = strongest_ties(shared, ties) if ties and len(regions) and (shared > 0).sum(axis=1).max() > ties else None
    network = _region_region(adoptions, keep, counts)
    if network.number_of_nodes():
        found = nx.community.louvain_communities(network, weight="weight", resolution=resolution, seed=seed)
        place = {r: i for i, r in enumerate(regions)}
        score = modularity(shared, [[place[r] for r in group] for group in found], resolution) if total else 0.0
    else:
        found, score = [], 0.0
    communities = sorted((tuple(sorted((Named(r, network.nodes[r]["label"]) for r in group), key=lambda n: (n.label, n.iri)))
                          for group in found), key=lambda c: (-len(c), c[0].label))
    return tuple(communities), score, network.number_of_edges(), total


def central(graph, *, seed: int = DEFAULT_SEED, resolution: float = 1.0,
            betweenness_sources: int | None = None, community_ties: int | None = COMMUNITY_TIES) -> CentralityResult:
    """Degree, betweenness and eigenvector centrality of the regions, initiatives and
    platforms in the policy network, and communities of regions found by Louvain modularity
    optimisation on the region–region network (``weight`` = shared initiatives), with a fixed
    ``seed`` so runs repeat. Betweenness is exact up to 2,000 nodes; larger networks
    estimate it from 100 source nodes (or ``betweenness_sources``) drawn with ``seed``.
    Louvain sees each region's ``community_ties`` strongest ties (most shared initiatives)
    when it has more (at 10,000 documents 367 regions had 67,161 ties, nearly every pair;
    ``None`` or 0: every tie); the modularity is that of the communities on every tie, and
    the result says how many ties Louvain saw (``ties_used`` of ``ties``).
    """
    import networkx as nx

    describe = _Describer(graph)  # the regions and initiatives read once for both networks
    adoptions = region_initiative_graph(graph, describe=describe)
    network = _policy(graph, adoptions, describe=describe)
    sources = betweenness_sources
    if sources is None and network.number_of_nodes() > EXACT_BETWEENNESS_LIMIT:
        sources = BETWEENNESS_SAMPLE
    if sources is not None and sources >= network.number_of_nodes():
        sources = None
    degree = nx.degree_centrality(network) if network.number_of_nodes() > 1 else dict.fromkeys(network, 0.0)
    betweenness = _betweenness(network, sources, seed)
    eigenvector = _eigenvector(network)
    nodes = [NodeCentrality(iri=n, label=d["label"], type=d["type"], region=d["region"], degree=degree[n],
                            betweenness=betweenness[n], eigenvector=eigenvector[n])
             for n, d in network.nodes(data=True)]
    # Scores equal but for rounding (symmetric nodes) rank by label.
    nodes.sort(key=lambda n: (n.type, -round(n.eigenvector, 9), n.label, n.iri))

    communities, score, used, ties = _communities(adoptions, seed=seed, resolution=resolution, ties=community_ties)
    edges = tuple(sorted(oriented_edges(network)))
    return CentralityResult(nodes=tuple(nodes), communities=communities, modularity=score, seed=seed,
                            betweenness_sources=sources, edges=edges,
                            community_ties=community_ties if used < ties else None, ties_used=used, ties=ties)
