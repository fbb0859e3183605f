"""Importing this module registers the built-in extractors, in the order they run."""
from kg.ingest.extract import mentions  # noqa: F401  regions, initiatives
from kg.ingest.extract import platforms  # noqa: F401
from kg.ingest.extract import departments  # noqa: F401
from kg.ingest.extract import tasks  # noqa: F401
from kg.ingest.extract import goals  # noqa: F401  quantitative targets
from kg.ingest.extract import exchanges  # noqa: F401  data exchanges
from kg.ingest.extract import citations  # noqa: F401  cited documents
from kg.ingest.extract import completeness  # noqa: F401  last: what could not be determined
