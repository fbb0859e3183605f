"""Network analysis of the knowledge graph, and the only module that imports networkx.

Networks are projections of the RDF graph whose edges come from the bundled SPARQL queries
(``kg/queries``): region–initiative (``adoptions``), region–region weighted by shared
initiatives, platform–initiative (``platform-services``), department–task (``task-units``),
and the *policy network* (regions, initiatives and platforms: adoptions, services and each
platform's region) on which :func:`central` ranks nodes. Every node carries ``label`` (zh),
``type`` (ontology class local name) and ``region`` (zh label of the region it belongs to; the
region itself for regions; empty for initiatives), never ``None``, so GraphML and GEXF writers
accept them.

Names are resolved with :func:`kg.query.lookup.resolve_entity`, restricted to the right classes;
an unknown or ambiguous name raises :class:`kg.core.errors.NotFoundError` listing candidates.

>>> from kg import api; from kg.outputs import analytics
>>> graph = api.build(["data"], out_dir=None).state.graph            # doctest: +SKIP
>>> [r.region.label for r in analytics.shared(graph, "一网通办").regions]   # doctest: +SKIP
['哈尔滨市', '青岛市', '河南省']
"""
from __future__ import annotations

import collections
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kg.core import iris
from kg.core.errors import KGError, QueryError
from kg.outputs.formats import NetworkFormat, SimilarityMeasure
from kg.query.lookup import label_of, resolve_entity
from kg.query.named import named_query, subclasses_of
from kg.query.sparql import run_query
from kg.query.tables import jaccard, natural_key
from kg.store.rdfio import write_atomic

DEFAULT_SEED = 42
LIST_SEPARATOR = "; "  # between the names of a list in one CSV cell
EXACT_BETWEENNESS_LIMIT = 2000  # nodes; on larger networks betweenness is estimated ...
BETWEENNESS_SAMPLE = 100  # ... from this many source nodes, drawn with the seed


@dataclass(frozen=True, order=True)
class Named:
    """An entity: IRI and zh label."""

    iri: str
    label: str


@dataclass(frozen=True)
class Quote:
    document: str  # IRI
    document_title: str
    section: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SharedRegion:
    region: Named
    code: str
    platforms: tuple[Named, ...]  # platforms in the region (gk:inRegion) that serve the initiative
    quote: Quote | None  # the first passage of the region's gk:adopts assertion


@dataclass(frozen=True)
class SharedResult:
    initiative: Named
    regions: tuple[SharedRegion, ...]  # by division code

    def rows(self) -> list[dict]:
        """One flat row per region (for CSV and data frames); platforms joined with LIST_SEPARATOR."""
        return [{"initiative": self.initiative.label, "region": r.region.iri, "region_label": r.region.label,
                 "code": r.code, "platforms": LIST_SEPARATOR.join(p.label for p in r.platforms),
                 "document": r.quote.document if r.quote else None,
                 "document_title": r.quote.document_title if r.quote else None,
                 "section": r.quote.section if r.quote else None, "quote": r.quote.text if r.quote else None}
                for r in self.regions]


@dataclass(frozen=True)
class OverlapResult:
    region_a: Named
    region_b: Named
    shared: tuple[Named, ...]
    only_a: tuple[Named, ...]
    only_b: tuple[Named, ...]

    def rows(self) -> list[dict]:
        """One row per initiative: its IRI, label and where it is (both, or one region's label)."""
        return [{"initiative": n.iri, "label": n.label, "in": where}
                for where, named in (("both", self.shared), (self.region_a.label, self.only_a), (self.region_b.label, self.only_b))
                for n in named]

    @property
    def jaccard(self) -> float:
        union = len(self.shared) + len(self.only_a) + len(self.only_b)
        return len(self.shared) / union if union else 0.0


@dataclass(frozen=True)
class SimilarPair:
    a: Named
    b: Named
    jaccard: float  # |I_a ∩ I_b| / |I_a ∪ I_b| over adopted initiatives
    weighted: float  # alpha * jaccard + (1 - alpha) * Ruzicka similarity of platform-kind counts
    shared: int  # initiatives both adopt
    idf: float = 0.0  # Jaccard with each initiative weighted by how rare it is: log((N + 1) / adopters)
    drivers: tuple[Named, ...] = ()  # the shared initiatives that weigh most (rarest first)

    def row(self) -> dict:
        return {"a": self.a.iri, "a_label": self.a.label, "b": self.b.iri, "b_label": self.b.label,
                "idf": round(self.idf, 4), "jaccard": round(self.jaccard, 4), "weighted": round(self.weighted, 4),
                "shared": self.shared, "drivers": LIST_SEPARATOR.join(d.label for d in self.drivers)}


@dataclass(frozen=True)
class SimilarityMatrix:
    regions: tuple[Named, ...]
    jaccard: tuple[tuple[float, ...], ...]
    weighted: tuple[tuple[float, ...], ...]
    idf: tuple[tuple[float, ...], ...] = ()

    def rows(self, by: str = "idf") -> list[dict]:
        """One row per region: its label, then its similarity to each region (columns by label)."""
        values = getattr(self, by)
        return [{"region": r.label, **{other.label: round(v, 4) for other, v in zip(self.regions, row)}}
                for r, row in zip(self.regions, values)]


@dataclass(frozen=True)
class NodeCentrality:
    iri: str
    label: str
    type: str
    region: str
    degree: float
    betweenness: float
    eigenvector: float


@dataclass(frozen=True)
class CentralityResult:
    nodes: tuple[NodeCentrality, ...]  # by type, then eigenvector centrality, highest first
    communities: tuple[tuple[Named, ...], ...]  # regions, largest community first
    modularity: float
    seed: int
    betweenness_sources: int | None  # None: exact; else the number of sampled sources

    @property
    def weak_communities(self) -> bool:
        """Whether the communities are too weak to mean groups of alike regions."""
        return self.modularity < WEAK_MODULARITY

    def rows(self) -> list[dict]:
        """One row per node, with the community of each region (1 = the largest)."""
        community = {r.iri: index for index, members in enumerate(self.communities, start=1) for r in members}
        return [{"iri": n.iri, "label": n.label, "type": n.type, "region": n.region, "degree": round(n.degree, 6),
                 "betweenness": round(n.betweenness, 6), "eigenvector": round(n.eigenvector, 6),
                 "community": community.get(n.iri)} for n in self.nodes]

    def ranked(self, type_: str | None = None, *, by: str = "eigenvector", top: int | None = None) -> list[NodeCentrality]:
        """Nodes (of one ``type_``, or of a family: ``Region`` covers Province, City …) by one measure."""
        if by not in ("degree", "betweenness", "eigenvector"):
            raise QueryError(f"unknown centrality '{by}'", fix="use degree, betweenness or eigenvector")
        wanted = _family(type_) if type_ else None
        nodes = [n for n in self.nodes if wanted is None or n.type in wanted]
        nodes.sort(key=lambda n: (-getattr(n, by), n.label, n.iri))
        return nodes[:top] if top is not None else nodes


# ---------------------------------------------------------------------------------- reading

def _region_types() -> tuple[str, ...]:

    return subclasses_of("Region")


def _family(local: str) -> set[str]:

    try:
        return set(subclasses_of(local))
    except QueryError:
        return {local}


def _rows(graph, name: str, params: dict[str, str] | None = None) -> list[dict]:

    result = run_query(graph, named_query(name, params, graph=graph))
    return [{k: str(v) for k, v in row.items()} for row in result.records()]


class _Describer:
    """Labels, classes and regions of nodes, looked up once each."""

    def __init__(self, graph):
        self.graph = graph
        self._cache: dict[str, tuple[str, str, str]] = {}

    def __call__(self, iri: str, fallback_type: str) -> dict:
        if iri not in self._cache:
            from rdflib import RDF, URIRef

            node = URIRef(iri)
            types = sorted(str(t)[len(iris.NS):] for t in self.graph.objects(node, RDF.type) if str(t).startswith(iris.NS))
            type_ = types[0] if types else fallback_type
            if type_ in _region_types():
                region = label_of(self.graph, node)
            else:
                where = self.graph.value(node, URIRef(iris.term("inRegion")))
                region = label_of(self.graph, where) if where is not None else ""
            self._cache[iri] = (label_of(self.graph, node), type_, region)
        label, type_, region = self._cache[iri]
        return {"label": label, "type": type_, "region": region}

    def notation(self, iri: str | None) -> str:
        """skos:notation of a concept such as a platform kind (app, portal …)."""
        from rdflib import URIRef
        from rdflib.namespace import SKOS

        if not iri:
            return ""
        value = self.graph.value(URIRef(iri), SKOS.notation)
        return str(value) if value is not None else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def named(self, iri: str) -> Named:
        from rdflib import URIRef

        return Named(iri, label_of(self.graph, URIRef(iri)))


def _resolve(graph, name: str, *types: str) -> str:

    wanted: list[str] = []
    for local in types:
        wanted.extend(_family(local))
    return resolve_entity(graph, name, types=tuple(wanted))


# ---------------------------------------------------------------------------------- projections

def region_initiative_graph(graph):
    """Bipartite: regions (``bipartite=0``) and the initiatives they adopt (``bipartite=1``)."""
    import networkx as nx

    describe = _Describer(graph)
    network = nx.Graph(name="region-initiative")
    for row in _rows(graph, "adoptions"):
        network.add_node(row["region"], bipartite=0, **describe(row["region"], "Region"))
        network.add_node(row["initiative"], bipartite=1, **describe(row["initiative"], "Initiative"))
        network.add_edge(row["region"], row["initiative"], relation="adopts", weight=1)
    return network


def region_region_graph(graph):
    """Regions that adopt at least one initiative; an edge where two share one, with
    ``weight`` = shared initiatives and ``jaccard`` = shared / adopted by either."""
    return _region_region(region_initiative_graph(graph))


def _region_region(bipartite):
    import networkx as nx

    regions = sorted(n for n, data in bipartite.nodes(data=True) if data["bipartite"] == 0)
    network = nx.Graph(name="region-region")
    network.add_nodes_from((r, {k: v for k, v in bipartite.nodes[r].items() if k != "bipartite"}) for r in regions)
    adopted = {r: set(bipartite[r]) for r in regions}
    for a, b in itertools.combinations(regions, 2):
        shared = adopted[a] & adopted[b]
        if shared:
            network.add_edge(a, b, relation="shares", weight=len(shared), jaccard=len(shared) / len(adopted[a] | adopted[b]))
    return network


def platform_initiative_graph(graph):
    """Bipartite: platforms (``bipartite=0``, with ``kind``) and the initiatives they serve."""
    import networkx as nx

    describe = _Describer(graph)
    network = nx.Graph(name="platform-initiative")
    for row in _rows(graph, "platform-services"):
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
    for row in _rows(graph, "task-units"):
        network.add_node(row["department"], bipartite=0, **describe(row["department"], "Department"))
        network.add_node(row["task"], bipartite=1, **describe(row["task"], "Task"))
        roles[row["department"], row["task"]].add(row["role"])
    for (department, task), found in roles.items():
        network.add_edge(department, task, relation="+".join(sorted(found)), weight=1)
    return network


def policy_network(graph):
    """Regions, initiatives and platforms: adopts, serves, and each serving platform's region."""
    return _policy(graph, region_initiative_graph(graph))


def _policy(graph, adoptions):
    import networkx as nx

    describe = _Describer(graph)
    network = nx.Graph(name="policy")
    network.add_nodes_from(adoptions.nodes(data=True))
    network.add_edges_from(adoptions.edges(data=True))
    for row in _rows(graph, "platform-services"):
        platform, initiative = row["platform"], row["initiative"]
        network.add_node(platform, kind=describe.notation(row.get("kind")), **describe(platform, "Platform"))
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


# ---------------------------------------------------------------------------------- comparisons

def shared(graph, initiative_name: str) -> SharedResult:
    """The regions adopting an initiative, each with its platforms serving it and the first
    passage stating the adoption.

    Raises :class:`NotFoundError` when the name is not exactly one initiative.
    """

    initiative = _resolve(graph, initiative_name, "Initiative")
    describe = _Describer(graph)
    passages: dict[str, list[dict]] = collections.defaultdict(list)
    codes: dict[str, str] = {}
    for row in _rows(graph, "regions-adopting", {"initiative": initiative}):
        codes[row["region"]] = row.get("code", "")
        if "quote" in row:
            passages[row["region"]].append(row)
    platforms: dict[str, set[str]] = collections.defaultdict(set)
    for row in _rows(graph, "initiative-platforms", {"initiative": initiative}):
        if "region" in row:
            platforms[row["region"]].add(row["platform"])
    regions = []
    for region in sorted(codes, key=lambda r: (codes[r], r)):
        quote = None
        if passages[region]:
            first = min(passages[region], key=lambda p: (natural_key(p["document"]), int(p["start"]), int(p["end"])))
            quote = Quote(document=first["document"], document_title=describe.named(first["document"]).label,
                          section=first.get("section", ""), start=int(first["start"]), end=int(first["end"]),
                          text=first["quote"])
        named = sorted((describe.named(p) for p in platforms[region]), key=lambda n: (n.label, n.iri))
        regions.append(SharedRegion(region=describe.named(region), code=codes[region], platforms=tuple(named),
                                    quote=quote))
    return SharedResult(initiative=describe.named(initiative), regions=tuple(regions))


def overlap(graph, region_a: str, region_b: str) -> OverlapResult:
    """The initiatives two regions both adopt, and those only one of them adopts.

    Raises :class:`NotFoundError` when a name is not exactly one region, and
    :class:`QueryError` when both names denote the same region.
    """
    a, b = _resolve(graph, region_a, "Region"), _resolve(graph, region_b, "Region")
    if a == b:
        raise QueryError(f"'{region_a}' and '{region_b}' are the same region", fix="name two different regions")
    describe = _Describer(graph)
    sides: dict[str, list[Named]] = collections.defaultdict(list)
    for row in _rows(graph, "initiatives-compared", {"region_a": a, "region_b": b}):
        if not row.get("side") or not row.get("initiative"):
            continue  # neither region adopts anything: the query's optional parts come back unbound
        sides[row["side"]].append(Named(row["initiative"], row.get("initiative_label") or describe.named(row["initiative"]).label))

    def ordered(side: str) -> tuple[Named, ...]:
        return tuple(sorted(set(sides[side]), key=lambda n: (n.label, n.iri)))

    return OverlapResult(region_a=describe.named(a), region_b=describe.named(b), shared=ordered("shared"),
                         only_a=ordered("only_a"), only_b=ordered("only_b"))


def _profiles(graph) -> tuple[list[Named], dict[str, set[str]], dict[str, collections.Counter]]:
    describe = _Describer(graph)
    adopted: dict[str, set[str]] = collections.defaultdict(set)
    for row in _rows(graph, "adoptions"):
        adopted[row["region"]].add(row["initiative"])
    kinds: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for row in _rows(graph, "region-platform-kinds"):
        kinds[row["region"]][row["kind"]] += int(row["platforms"])
    regions = sorted((describe.named(r) for r in adopted), key=lambda n: (n.label, n.iri))
    return regions, adopted, kinds


def _ruzicka(a: collections.Counter, b: collections.Counter) -> float | None:
    """Weighted Jaccard of two count vectors; None when both are empty."""
    keys = set(a) | set(b)
    top = sum(max(a[k], b[k]) for k in keys)
    return sum(min(a[k], b[k]) for k in keys) / top if top else None


def _scores(adopted, kinds, a: str, b: str, alpha: float) -> tuple[float, float]:
    shared = jaccard(adopted[a], adopted[b])
    by_kind = _ruzicka(kinds.get(a, collections.Counter()), kinds.get(b, collections.Counter()))
    weighted = shared if by_kind is None else alpha * shared + (1 - alpha) * by_kind
    return shared, weighted


def _check_alpha(alpha: float) -> None:
    if not 0.0 <= alpha <= 1.0:
        raise QueryError(f"alpha must be between 0 and 1, not {alpha}")


def _rarity(adopted: dict[str, set[str]]) -> dict[str, float]:
    """Weight of each initiative: log((N + 1) / n), N regions with adoptions, n adopting it. One
    that every region adopts weighs little; one that two regions of thirty share weighs much."""
    adopters = collections.Counter(i for initiatives in adopted.values() for i in initiatives)
    total = len(adopted)
    return {initiative: math.log((total + 1) / count) for initiative, count in adopters.items()}


def _idf(weights: dict[str, float], a: set[str], b: set[str]) -> float:
    # Summed in sorted order, so (a, b) and (b, a) give the same float.
    union = math.fsum(weights[i] for i in sorted(a | b))
    return math.fsum(weights[i] for i in sorted(a & b)) / union if union else 0.0


DRIVERS_SHOWN = 3


def similar(graph, *, top: int | None = 10, by: str = "idf", alpha: float = 0.5) -> list[SimilarPair]:
    """Pairs of regions (those adopting at least one initiative) ranked by similarity.

    ``idf`` (the default) is Jaccard with each initiative weighted by how rare it is
    (``log((N + 1) / adopters)``), so initiatives nearly every region adopts (5G, 电子商务)
    do not make regions alike; each pair names its ``drivers``, the shared initiatives that
    weigh most. ``jaccard`` compares the plain sets; ``weighted`` blends Jaccard with the
    platform kinds the regions build: ``alpha * jaccard + (1 - alpha) * Ruzicka(kind counts)``
    (just the Jaccard score when neither region has platforms). ``by`` picks the ranking
    score; ties go by labels. Every score lies in [0, 1] and is symmetric.
    """
    measures = [m.value for m in SimilarityMeasure]
    if by not in measures:
        raise QueryError(f"unknown similarity '{by}'", fix="use " + ", ".join(measures))
    _check_alpha(alpha)
    regions, adopted, kinds = _profiles(graph)
    weights = _rarity(adopted)
    describe = _Describer(graph)
    pairs = []
    for a, b in itertools.combinations(regions, 2):
        jaccard, weighted = _scores(adopted, kinds, a.iri, b.iri, alpha)
        both = adopted[a.iri] & adopted[b.iri]
        drivers = sorted(both, key=lambda i: (-weights[i], i))[:DRIVERS_SHOWN]
        pairs.append(SimilarPair(a=a, b=b, jaccard=jaccard, weighted=weighted, shared=len(both),
                                 idf=_idf(weights, adopted[a.iri], adopted[b.iri]),
                                 drivers=tuple(describe.named(i) for i in drivers)))
    pairs.sort(key=lambda p: (-getattr(p, by), -p.jaccard, p.a.label, p.b.label, p.a.iri, p.b.iri))
    return pairs[:top] if top is not None else pairs


def similarity_matrix(graph, *, alpha: float = 0.5) -> SimilarityMatrix:
    """Every similarity score for every pair of regions adopting an initiative (diagonal 1)."""
    _check_alpha(alpha)
    regions, adopted, kinds = _profiles(graph)
    weights = _rarity(adopted)
    jaccard, weighted, idf = [], [], []
    for a in regions:
        scores = [(1.0, 1.0) if a == b else _scores(adopted, kinds, a.iri, b.iri, alpha) for b in regions]
        jaccard.append(tuple(s[0] for s in scores))
        weighted.append(tuple(s[1] for s in scores))
        idf.append(tuple(1.0 if a == b else _idf(weights, adopted[a.iri], adopted[b.iri]) for b in regions))
    return SimilarityMatrix(regions=tuple(regions), jaccard=tuple(jaccard), weighted=tuple(weighted), idf=tuple(idf))


WEAK_MODULARITY = 0.3  # below it, the communities are not distinct groups (Newman's rule of thumb)


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
            values = nx.eigenvector_centrality(sub, max_iter=1000)
        except nx.PowerIterationFailedConvergence:
            raise KGError("eigenvector centrality did not converge", fix="report the graph that causes it") from None
        share = len(component) / total
        scores.update({node: value * share for node, value in values.items()})
    return scores


def central(graph, *, seed: int = DEFAULT_SEED, resolution: float = 1.0,
            betweenness_sources: int | None = None) -> CentralityResult:
    """Degree, betweenness and eigenvector centrality of the regions, initiatives and
    platforms in the policy network, and communities of regions found by Louvain modularity
    optimisation on the region–region network (``weight`` = shared initiatives), with a fixed
    ``seed`` so runs repeat. Betweenness is exact up to 2,000 nodes; larger networks
    estimate it from 100 source nodes (or ``betweenness_sources``) drawn with ``seed``.
    """
    import networkx as nx

    adoptions = region_initiative_graph(graph)
    network = _policy(graph, adoptions)
    sources = betweenness_sources
    if sources is None and network.number_of_nodes() > EXACT_BETWEENNESS_LIMIT:
        sources = BETWEENNESS_SAMPLE
    if sources is not None and sources >= network.number_of_nodes():
        sources = None
    degree = nx.degree_centrality(network) if network.number_of_nodes() > 1 else dict.fromkeys(network, 0.0)
    betweenness = nx.betweenness_centrality(network, k=sources, seed=seed if sources else None)
    eigenvector = _eigenvector(network)
    nodes = [NodeCentrality(iri=n, label=d["label"], type=d["type"], region=d["region"], degree=degree[n],
                            betweenness=betweenness[n], eigenvector=eigenvector[n])
             for n, d in network.nodes(data=True)]
    nodes.sort(key=lambda n: (n.type, -n.eigenvector, n.label, n.iri))

    regions = _region_region(adoptions)
    if regions.number_of_nodes():
        found = nx.community.louvain_communities(regions, weight="weight", resolution=resolution, seed=seed)
        score = nx.community.modularity(regions, found, weight="weight", resolution=resolution) if regions.number_of_edges() else 0.0
    else:
        found, score = [], 0.0
    communities = sorted((tuple(sorted((Named(r, regions.nodes[r]["label"]) for r in group), key=lambda n: (n.label, n.iri)))
                          for group in found), key=lambda c: (-len(c), c[0].label))
    return CentralityResult(nodes=tuple(nodes), communities=tuple(communities), modularity=score, seed=seed,
                            betweenness_sources=sources)


# ---------------------------------------------------------------------------------- export

def _clean(network):
    """A copy whose graph, node and edge attributes hold no None (GraphML/GEXF reject it)."""
    copy = network.copy()
    copy.graph = {k: v for k, v in copy.graph.items() if v is not None}
    for _, data in copy.nodes(data=True):
        for key, value in list(data.items()):
            if value is None:
                data[key] = ""
    for _, _, data in copy.edges(data=True):
        for key, value in list(data.items()):
            if value is None:
                data[key] = ""
    return copy


def network_bytes(network, fmt: str | NetworkFormat = NetworkFormat.GRAPHML) -> bytes:
    import networkx as nx

    try:
        fmt = NetworkFormat(fmt)
    except ValueError:
        raise QueryError(f"unknown network format '{fmt}'", fix="use graphml or gexf") from None
    clean = _clean(network)
    lines = nx.generate_graphml(clean) if fmt is NetworkFormat.GRAPHML else nx.generate_gexf(clean)
    return ("\n".join(lines) + "\n").encode("utf-8")


def export_network(graph, path: str | Path, fmt: str | NetworkFormat = NetworkFormat.GRAPHML, *,
                   network: str = "policy") -> Path:
    """Write one network (a key of :data:`PROJECTIONS`, default the policy network) as
    GraphML or GEXF through :func:`kg.store.rdfio.write_atomic`; returns the path."""

    return write_atomic(path, network_bytes(projection(graph, network), fmt))


__all__ = ["Named", "Quote", "SharedRegion", "SharedResult", "OverlapResult", "SimilarPair", "SimilarityMatrix",
           "NodeCentrality", "CentralityResult", "NetworkFormat", "PROJECTIONS", "projection", "shared", "overlap",
           "similar", "similarity_matrix", "central", "export_network", "network_bytes",
           "region_initiative_graph", "region_region_graph", "platform_initiative_graph", "department_task_graph",
           "policy_network"]
