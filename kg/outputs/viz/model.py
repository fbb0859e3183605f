"""What a graph page shows: views, options, nodes and edges, and the page's constants."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kg.core import iris
from kg.core.namespaces import DCTERMS, SCHEMA
from kg.outputs.formats import View

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "graph.html.j2"
SCRIPT = "graph.js.j2"  # rendered apart from the page so its hash can go into the page's CSP
VIS_ASSET = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")  # inside the pyvis package

ADOPTS, IN_REGION, SERVES = iris.term("adopts"), iris.term("inRegion"), iris.term("serves")
LEAD_UNIT, SUPPORT_UNIT = iris.term("leadUnit"), iris.term("supportUnit")
IS_PART_OF = DCTERMS + "isPartOf"
CONTAINED_IN = SCHEMA + "containedInPlace"
DASHED = frozenset({SUPPORT_UNIT})  # links drawn dashed in every view
# vis-network shapes that draw the label inside the node (so the font colour must contrast).
_LABEL_INSIDE = frozenset({"box", "ellipse", "circle", "database", "text"})
# vis-network shapes the legend can draw (graph.css.j2 has a .shape-<name> rule for each).
_SHAPES = frozenset({"dot", "circle", "star", "square", "triangle", "triangleDown", "box", "diamond", "hexagon",
                     "ellipse", "database", "text"})
_DEFAULT_STYLE = {"color": "#9e9e9e", "shape": "dot"}
_QUOTE_TIP = 80  # characters of the first quote shown in a tooltip
_LABEL_MAX = 16  # characters of a name drawn on the canvas (the whole name is in tooltip and panel)
# Community colours (ColorBrewer Set1/Dark2, distinct in print and for most colour-blind readers);
# communities past the tenth share OTHER_COMMUNITY. NEUTRAL: legend swatches of types whose
# nodes are coloured by community (the shape still tells the type).
COMMUNITY_COLOURS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a6761d", "#f781bf", "#1b9e77",
                     "#7570b3", "#66a61e")
OTHER_COMMUNITY, NEUTRAL = "#b0b0b0", "#757575"
SMALLEST, LARGEST = 7.0, 36.0  # canvas size of the least and the most connected node of a sized view
MAX_NODES = 2000  # nodes a page draws by default (the most connected)
MAX_EDGES = 5000  # links a page draws by default (see kg.outputs.viz.views.strongest_edges); 0: all


@dataclass(frozen=True)
class VizOptions:
    """What to draw. ``focus``, ``regions``: names as people type them (resolved with
    :func:`kg.query.lookup.resolve_entity`); a region includes the regions inside it. ``types``:
    class local names (``Platform``, ``Region`` …, subclasses included)."""

    view: str = View.SHARED.value
    focus: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    max_nodes: int = MAX_NODES
    max_edges: int = MAX_EDGES  # 0: every link between the nodes drawn
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
    count: int | None = None  # the links its size stands for
    note: str | None = None


class VizEdge(NamedTuple):
    """A link of a page. A tuple, not a dataclass: a view sorts and hashes tens of thousands of
    them (62,000 at 10,000 documents), and a tuple of strings hashes in C."""

    source: str
    target: str
    predicate: str  # IRI

    @property
    def dashed(self) -> bool:
        return self.predicate in DASHED


@dataclass
class ViewGraph:
    """The nodes and edges one page draws; ``total`` counts the nodes before the cap,
    ``edge_total`` the links between the nodes drawn before ``max_edges`` cut them."""

    view: str
    nodes: dict[str, VizNode]
    edges: list[VizEdge]
    total: int
    max_nodes: int
    left_out: int = 0  # nodes the view leaves out unless focused (see left_out_note)
    left_out_note: str = ""
    by_community: bool = False
    size_meaning: dict[str, str] = field(default_factory=dict)  # node type -> what its nodes' size counts
    edge_total: int | None = None  # None: as many as edges
    max_edges: int = MAX_EDGES

    @property
    def capped(self) -> bool:
        return self.total > len(self.nodes)

    @property
    def edges_capped(self) -> bool:
        return self.edge_total is not None and self.edge_total > len(self.edges)
