"""Interactive graph pages: one self-contained UTF-8 HTML file per view of the graph.

The page inlines vis-network (the copy bundled with pyvis; pyvis's own templates pull
bootstrap from a CDN, so only its JavaScript asset is used), the node and edge data as JSON,
and the page's own script and style from ``kg/outputs/templates/``. No request leaves the page.

Views (:data:`VIEWS`):

shared
    Regions and the initiatives at least two of them adopt (``gk:adopts``): an initiative's
    size grows with the number of regions sharing it, a region's with the number of shared
    initiatives it adopts; colours are Louvain communities. With a focus on an initiative: that
    initiative, every region adopting it and those regions' platforms that serve it.
platforms
    Regions, their platforms (``gk:inRegion``) and the initiatives the platforms serve.
tasks
    Tasks with their lead units (``gk:leadUnit``) and supporting units (``gk:supportUnit``,
    dashed), and the documents the tasks belong to.
full
    Every entity (no evidence or assertion nodes) and every link between two of them.

Positions are computed in Python (:mod:`kg.outputs.viz.layout`), so the page opens still.
Every view is then narrowed by :class:`VizOptions` ``focus``, ``regions`` and ``types`` and
capped at ``max_nodes`` (the most connected nodes stay) and ``max_edges`` (every node's
strongest link, then those between the most connected nodes: :func:`strongest_edges`); the
page says what each cap leaves out.

Document text reaches the page only as JSON data in a ``<script type="application/json">``
element (with ``<``, ``>`` and ``&`` escaped) and is put into the DOM with ``textContent``.
"""
from __future__ import annotations

from kg.outputs.formats import View
from kg.outputs.viz.model import (
    CONTAINED_IN,
    DASHED,
    IS_PART_OF,
    LARGEST,
    MAX_EDGES,
    MAX_NODES,
    SCRIPT,
    SMALLEST,
    TEMPLATE,
    TEMPLATES,
    VIS_ASSET,
    ViewGraph,
    VizEdge,
    VizNode,
    VizOptions,
)
from kg.outputs.viz.layout import communities, layout_positions
from kg.outputs.viz.page import render_graph, vis_network_js, write_graph_html
from kg.outputs.viz.views import VIEWS, strongest_edges, view_graph

__all__ = ["CONTAINED_IN", "DASHED", "IS_PART_OF", "SCRIPT", "TEMPLATE", "TEMPLATES", "VIEWS", "VIS_ASSET", "View", "ViewGraph", "VizEdge", "VizNode", "VizOptions", "LARGEST", "MAX_EDGES", "MAX_NODES", "SMALLEST", "communities", "layout_positions", "render_graph", "strongest_edges", "view_graph", "vis_network_js", "write_graph_html"]
