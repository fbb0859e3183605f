"""The analysis commands' results: plain dataclasses, each with flat rows for CSV, and for
notebooks ``to_frame()`` (pandas), ``to_networkx()`` where the result is a network, a rich
HTML display and a one-line repr."""
from __future__ import annotations

from dataclasses import dataclass

from kg.core.errors import QueryError
from kg.outputs.frames import LIST_SEPARATOR, frame, html_table
from kg.query.named import subclasses_of

DEFAULT_SEED = 42
EXACT_BETWEENNESS_LIMIT = 2000  # nodes; on larger networks betweenness is estimated ...
BETWEENNESS_SAMPLE = 100  # ... from this many source nodes, drawn with the seed
WEAK_MODULARITY = 0.3  # below it, the communities are not distinct groups (Newman's rule of thumb)
COMMUNITY_TIES = 10  # Louvain runs on each region's strongest ties, this many (0: all of them)


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


class _Table:
    """``to_frame()`` and Jupyter's HTML display, from a result's ``rows()`` and ``columns``."""

    columns: tuple[str, ...] = ()

    def to_frame(self):
        """The rows as a pandas DataFrame (needs the ``frames`` extra: pip install 'govkg[frames]')."""
        return frame(self.rows(), self.columns or None)

    def _repr_html_(self) -> str:
        return html_table(self.rows(), self.columns or None, caption=repr(self))


@dataclass(frozen=True, repr=False)
class SharedResult(_Table):
    initiative: Named
    regions: tuple[SharedRegion, ...]  # by division code

    columns = ("initiative", "region", "region_label", "code", "platforms", "document", "document_title", "section", "quote")

    def rows(self) -> list[dict]:
        """One flat row per region (for CSV and data frames); platforms joined with LIST_SEPARATOR."""
        return [{"initiative": self.initiative.label, "region": r.region.iri, "region_label": r.region.label,
                 "code": r.code, "platforms": LIST_SEPARATOR.join(p.label for p in r.platforms),
                 "document": r.quote.document if r.quote else None,
                 "document_title": r.quote.document_title if r.quote else None,
                 "section": r.quote.section if r.quote else None, "quote": r.quote.text if r.quote else None}
                for r in self.regions]

    def __repr__(self) -> str:
        return f"SharedResult({self.initiative.label}: {len(self.regions)} regions)"


@dataclass(frozen=True, repr=False)
class OverlapResult(_Table):
    region_a: Named
    region_b: Named
    shared: tuple[Named, ...]
    only_a: tuple[Named, ...]
    only_b: tuple[Named, ...]

    columns = ("initiative", "label", "in")

    def rows(self) -> list[dict]:
        """One row per initiative: its IRI, label and where it is (both, or one region's label)."""
        return [{"initiative": n.iri, "label": n.label, "in": where}
                for where, named in (("both", self.shared), (self.region_a.label, self.only_a), (self.region_b.label, self.only_b))
                for n in named]

    @property
    def jaccard(self) -> float:
        union = len(self.shared) + len(self.only_a) + len(self.only_b)
        return len(self.shared) / union if union else 0.0

    def to_networkx(self):
        """The two regions and their initiatives: a networkx DiGraph, region → initiative (``adopts``)."""
        import networkx as nx

        network = nx.DiGraph(name="overlap")
        for region, own in ((self.region_a, self.only_a), (self.region_b, self.only_b)):
            network.add_node(region.iri, label=region.label, type="Region")
            for initiative in (*self.shared, *own):
                network.add_node(initiative.iri, label=initiative.label, type="Initiative")
                network.add_edge(region.iri, initiative.iri, relation="adopts", weight=1)
        return network

    def __repr__(self) -> str:
        return (f"OverlapResult({self.region_a.label} ∩ {self.region_b.label}: {len(self.shared)} shared, "
                f"{len(self.only_a)} | {len(self.only_b)} only, Jaccard {self.jaccard:.2f})")


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


class SimilarPairs(list):
    """The ranked pairs of :func:`similar` (a list of :class:`SimilarPair`, most alike first), ranked ``by`` a measure."""

    columns = ("a", "a_label", "b", "b_label", "idf", "jaccard", "weighted", "shared", "drivers")

    def __init__(self, pairs=(), *, by: str = "idf"):
        super().__init__(pairs)
        self.by = by

    def rows(self) -> list[dict]:
        return [pair.row() for pair in self]

    to_frame = _Table.to_frame
    _repr_html_ = _Table._repr_html_

    def to_networkx(self):
        """The pairs as a networkx Graph of regions (undirected: likeness is symmetric); each edge has
        ``idf``, ``jaccard``, ``weighted``, ``shared``, ``drivers`` and ``weight`` (the measure ranked by)."""
        import networkx as nx

        network = nx.Graph(name="similar", by=self.by)
        for pair in self:
            network.add_node(pair.a.iri, label=pair.a.label)
            network.add_node(pair.b.iri, label=pair.b.label)
            row = pair.row()
            network.add_edge(pair.a.iri, pair.b.iri, weight=getattr(pair, self.by),
                             **{k: row[k] for k in ("idf", "jaccard", "weighted", "shared", "drivers")})
        return network

    def __repr__(self) -> str:
        top = f", top: {self[0].a.label} — {self[0].b.label} {getattr(self[0], self.by):.2f}" if self else ""
        return f"SimilarPairs({len(self)} pairs by {self.by}{top})"


@dataclass(frozen=True, repr=False)
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

    def to_frame(self, by: str = "idf"):
        """The matrix of one measure as a square pandas DataFrame, indexed and labelled by region."""
        labels = [r.label for r in self.regions]
        return frame(self.rows(by), ["region", *labels]).set_index("region")

    def _repr_html_(self) -> str:
        return html_table(self.rows(), caption=repr(self) + " by idf")

    def __repr__(self) -> str:
        return f"SimilarityMatrix({len(self.regions)} regions)"


@dataclass(frozen=True)
class NodeCentrality:
    iri: str
    label: str
    type: str
    region: str
    degree: float
    betweenness: float
    eigenvector: float


@dataclass(frozen=True, repr=False)
class CentralityResult(_Table):
    nodes: tuple[NodeCentrality, ...]  # by type, then eigenvector centrality, highest first
    communities: tuple[tuple[Named, ...], ...]  # regions, largest community first
    modularity: float
    seed: int
    betweenness_sources: int | None  # None: exact; else the number of sampled sources
    edges: tuple[tuple[str, str, str], ...] = ()  # the policy network: (source IRI, target IRI, relation)
    community_ties: int | None = None  # None: Louvain saw every tie; else each region's strongest, this many
    ties_used: int = 0  # ties (pairs of regions sharing an initiative) Louvain saw
    ties: int = 0  # ties in all (the modularity is of the whole region network)

    columns = ("iri", "label", "type", "region", "degree", "betweenness", "eigenvector", "community")

    @property
    def ties_capped(self) -> bool:
        """Whether Louvain saw only each region's strongest ties (``community_ties``)."""
        return self.ties_used < self.ties

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

    def to_networkx(self):
        """The policy network the measures were computed on: a networkx Graph (undirected, as
        ranked) whose nodes carry the measures and their region's community (1 = the largest)."""
        import networkx as nx

        network = nx.Graph(name="policy", modularity=self.modularity, seed=self.seed)
        for row in self.rows():
            network.add_node(row["iri"], **{k: v for k, v in row.items() if k != "iri" and v is not None})
        for source, target, relation in self.edges:
            network.add_edge(source, target, relation=relation, weight=1)
        return network

    def __repr__(self) -> str:
        return (f"CentralityResult({len(self.nodes)} nodes, {len(self.edges)} edges, {len(self.communities)} communit{'y' if len(self.communities) == 1 else 'ies'}, "
                f"modularity {self.modularity:.2f})")


def _region_types() -> tuple[str, ...]:
    return subclasses_of("Region")


def _family(local: str) -> set[str]:
    try:
        return set(subclasses_of(local))
    except QueryError:
        return {local}
