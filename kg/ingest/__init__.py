"""Layer 3, ingest: documents into the graph, the build pipeline read -> segment -> extract -> resolve -> to_rdf -> validate
-> serialize, over the readers, the extractors (extract/) and the manifest. Imports kg.core
and kg.store."""
