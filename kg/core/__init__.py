"""Layer 1, core: errors, the data model, IRIs and namespaces, text normalisation, the
ontology files and the regions. Imports nothing of the project outside this folder."""
