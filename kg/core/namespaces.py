"""The namespaces of the graph and its named graphs: the prefixes every output and query
declares (gk, gki, gkp and the W3C vocabularies the ontology reuses), and the IRIs of the
graphs that are not a source's (the ontology's, the store's metadata)."""
from __future__ import annotations

from kg.core import iris

PREFIXES = {
    "gk": iris.NS,
    "gki": iris.INITIATIVE,
    "gkp": iris.PLATFORM_KIND,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "sh": "http://www.w3.org/ns/shacl#",
    "cv": "http://data.europa.eu/m8g/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}
ONTOLOGY_GRAPH = iris.GRAPH + "ontology"
META_GRAPH = iris.GRAPH + "meta"
# Every statement of the sources' graphs and the ontology once, kept by the store on each write
# (kg.store.graphstore): the default graph of local queries, so a fact stated by many sources
# matches once. Derived, like META_GRAPH never written to the output files.
UNION_GRAPH = iris.GRAPH + "union"
INTERNAL_GRAPHS = frozenset({META_GRAPH, UNION_GRAPH})
# Every source's passages (the Web Annotations, their targets and selectors, and the facts'
# gk:evidence links to them), kept apart from the sources' graphs and the union: no two sources
# share a passage, so it is stored once instead of in a source's graph and again in the union.
# A data graph, written to the output files.
EVIDENCE_GRAPH = iris.GRAPH + "evidence"
# What a local query's default graph is made of: the union and the evidence (disjoint, so each
# statement is matched once).
QUERY_GRAPHS = (UNION_GRAPH, EVIDENCE_GRAPH)

# The W3C and schema.org namespaces by name, for code that builds IRIs as text.
RDF, RDFS, XSD, SKOS = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"], PREFIXES["skos"]
DCTERMS, SCHEMA, OA, PROV, SH = PREFIXES["dcterms"], PREFIXES["schema"], PREFIXES["oa"], PREFIXES["prov"], PREFIXES["sh"]


def expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


def bind_prefixes(graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
