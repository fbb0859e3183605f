"""Layer 3, query: SPARQL (engines, limits, named queries in queries/), names resolved to
entities, the graph as flat tables, the served endpoint. Imports kg.core and kg.store."""
