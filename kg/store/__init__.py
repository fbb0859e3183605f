"""Layer 2, store: RDF in and out (graph files, deterministic writers, atomic writes), the
Oxigraph store of a build, remote SPARQL endpoints. Imports only kg.core."""
