"""The analysis commands' results: plain dataclasses, each with flat rows for CSV and frames."""
from __future__ import annotations

from dataclasses import dataclass

from kg.core.errors import QueryError
from kg.query.named import subclasses_of

DEFAULT_SEED = 42
LIST_SEPARATOR = "; "  # between the names of a list in one CSV cell
EXACT_BETWEENNESS_LIMIT = 2000  # nodes; on larger networks betweenness is estimated ...
BETWEENNESS_SAMPLE = 100  # ... from this many source nodes, drawn with the seed
WEAK_MODULARITY = 0.3  # below it, the communities are not distinct groups (Newman's rule of thumb)


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


def _region_types() -> tuple[str, ...]:
    return subclasses_of("Region")


def _family(local: str) -> set[str]:
    try:
        return set(subclasses_of(local))
    except QueryError:
        return {local}
