"""Layer 3, build: the pipeline read -> segment -> extract -> resolve -> to_rdf -> validate
-> serialize, over the readers, the extractors (extract/) and the manifest. Imports kg.core
and kg.store."""
