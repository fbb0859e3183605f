"""Network analysis of the knowledge graph (networkx; elsewhere only the graph page's layout uses it).

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

from kg.outputs.analytics.centrality import central
from kg.outputs.analytics.comparisons import overlap, shared, similar, similarity_matrix
from kg.outputs.analytics.network_files import export_network, network_bytes
from kg.outputs.analytics.networks import (PROJECTIONS, department_task_graph, platform_initiative_graph, policy_network,
                                           projection, region_initiative_graph, region_region_graph)
from kg.outputs.frames import LIST_SEPARATOR
from kg.outputs.analytics.results import (COMMUNITY_TIES, WEAK_MODULARITY, CentralityResult, Named, NodeCentrality,
                                          OverlapResult, Quote, SharedRegion, SharedResult, SimilarityMatrix,
                                          SimilarPair, SimilarPairs)
from kg.outputs.formats import NetworkFormat

__all__ = ["Named", "Quote", "SharedRegion", "SharedResult", "OverlapResult", "SimilarPair", "SimilarPairs", "SimilarityMatrix",
           "NodeCentrality", "CentralityResult", "NetworkFormat", "PROJECTIONS", "projection", "shared", "overlap",
           "similar", "similarity_matrix", "central", "export_network", "network_bytes",
           "region_initiative_graph", "region_region_graph", "platform_initiative_graph", "department_task_graph",
           "policy_network", "LIST_SEPARATOR", "WEAK_MODULARITY", "COMMUNITY_TIES"]
