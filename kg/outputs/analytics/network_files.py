"""Networks written as GraphML or GEXF for Gephi and other graph tools, atomically.

GEXF is version 1.3 (namespace ``http://gexf.net/1.3``), written here rather than by networkx,
whose 1.3 writer puts ``xsi:schemaLocation`` in a misspelt namespace and cannot mix edge
directions: each node carries ``viz:color`` and ``viz:size`` from ``ontology/style.ttl`` (its
class's, or its nearest styled superclass's), each edge a ``weight`` and a ``type`` —
``directed`` from the node a relation starts at (region → initiative it adopts, platform →
initiative it serves and → its region, department → task it leads or supports), ``undirected``
for symmetric ones (two regions sharing initiatives). Tests validate it against the 1.3 schema.
"""
from __future__ import annotations

import re
from pathlib import Path

from kg import __version__
from kg.core.errors import QueryError
from kg.core.ontology import class_style
from kg.outputs.formats import NetworkFormat
from kg.store.rdfio import write_atomic
from kg.outputs.analytics.networks import oriented, projection

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_GEXF_TYPES = ((bool, "boolean"), (int, "integer"), (float, "double"), (str, "string"))
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def _text(value) -> str:
    return _NOT_XML.sub("", str(value).lower() if isinstance(value, bool) else str(value))


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


def _gexf_type(value) -> str:
    return next((name for kind, name in _GEXF_TYPES if isinstance(value, kind)), "string")


def _declare(parent, element_class: str, records) -> dict[str, str]:
    """``<attributes class=...>``: one attribute per key (first value's type); key -> attribute id."""
    from xml.etree.ElementTree import SubElement

    types: dict[str, str] = {}
    for record in records:
        for key, value in record.items():
            types.setdefault(key, _gexf_type(value))
    declared = SubElement(parent, "attributes", {"class": element_class, "mode": "static"})
    ids = {}
    for index, key in enumerate(sorted(types)):
        ids[key] = str(index)
        SubElement(declared, "attribute", {"id": str(index), "title": key, "type": types[key]})
    return ids


def _attvalues(parent, values: dict, ids: dict[str, str]) -> None:
    from xml.etree.ElementTree import SubElement

    if values:
        holder = SubElement(parent, "attvalues")
        for key in sorted(values):
            SubElement(holder, "attvalue", {"for": ids[key], "value": _text(values[key])})


def _viz(parent, type_: str) -> None:
    """viz:color and viz:size of a node from its class's style in style.ttl (none if unstyled)."""
    from xml.etree.ElementTree import SubElement

    style = class_style(type_) if type_ else None
    if style is None:
        return
    hex_ = style["color"].lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    r, g, b = (int(hex_[i:i + 2], 16) for i in (0, 2, 4))
    SubElement(parent, f"{{{VIZ_NS}}}color", {"r": str(r), "g": str(g), "b": str(b)})
    if "size" in style:
        SubElement(parent, f"{{{VIZ_NS}}}size", {"value": style["size"]})


def gexf_bytes(network) -> bytes:
    """A network as GEXF 1.3 (UTF-8): labels, node and edge attributes, viz colour and size,
    edge weights and directions."""
    from xml.etree.ElementTree import Element, SubElement, indent, register_namespace, tostring

    register_namespace("", GEXF_NS)
    register_namespace("viz", VIZ_NS)
    register_namespace("xsi", _XSI_NS)
    edges = [(*oriented(network, u, v), data) for u, v, data in network.edges(data=True)]
    directed = [edge[2] for edge in edges]
    default = "directed" if directed and all(directed) else "undirected"
    root = Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3", f"{{{_XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = SubElement(root, "meta")
    SubElement(meta, "creator").text = f"govkg {__version__}"
    SubElement(meta, "description").text = f"{network.graph.get('name', 'network')} network of a govkg knowledge graph"
    graph = SubElement(root, "graph", {"defaultedgetype": default, "mode": "static"})
    node_ids = _declare(graph, "node", (_node_values(d) for _, d in network.nodes(data=True)))
    edge_ids = _declare(graph, "edge", (_edge_values(d) for *_, d in edges))
    nodes = SubElement(graph, "nodes", {"count": str(network.number_of_nodes())})
    for node, data in network.nodes(data=True):
        element = SubElement(nodes, "node", {"id": _text(node), "label": _text(data.get("label") or node)})
        _attvalues(element, _node_values(data), node_ids)
        _viz(element, data.get("type", ""))
    links = SubElement(graph, "edges", {"count": str(len(edges))})
    for index, (source, target, is_directed, data) in enumerate(edges):
        element = SubElement(links, "edge", {"id": str(index), "source": _text(source), "target": _text(target),
                                             "type": "directed" if is_directed else "undirected",
                                             "weight": repr(float(data.get("weight", 1)))})
        if data.get("relation"):
            element.set("label", _text(data["relation"]))
        _attvalues(element, _edge_values(data), edge_ids)
    indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def _node_values(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "label" and v is not None}


def _edge_values(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "weight" and v is not None}


def network_bytes(network, fmt: str | NetworkFormat = NetworkFormat.GRAPHML) -> bytes:
    import networkx as nx

    try:
        fmt = NetworkFormat(fmt)
    except ValueError:
        raise QueryError(f"unknown network format '{fmt}'", fix="use graphml or gexf") from None
    if fmt is NetworkFormat.GEXF:
        return gexf_bytes(network)
    return ("\n".join(nx.generate_graphml(_clean(network))) + "\n").encode("utf-8")


def export_network(graph, path: str | Path, fmt: str | NetworkFormat = NetworkFormat.GRAPHML, *,
                   network: str = "policy") -> Path:
    """Write one network (a key of :data:`PROJECTIONS`, default the policy network) as
    GraphML or GEXF 1.3 through :func:`kg.store.rdfio.write_atomic`; returns the path."""

    return write_atomic(path, network_bytes(projection(graph, network), fmt))
