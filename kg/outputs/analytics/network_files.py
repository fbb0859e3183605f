"""Networks written as GraphML or GEXF for Gephi and other graph tools, atomically."""
from __future__ import annotations


from pathlib import Path

from kg.core.errors import QueryError
from kg.outputs.formats import NetworkFormat
from kg.store.rdfio import write_atomic
from kg.outputs.analytics.networks import projection


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
