"""govkg: evidence-backed RDF knowledge graphs from Chinese digital-government policy documents.

The public API lives in :mod:`kg.api`; this package import stays light so that ``govkg --help``
is fast.
"""

__version__ = "0.1.0"
