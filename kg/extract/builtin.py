"""Importing this module registers the built-in extractors, in the order they run."""
from . import mentions  # noqa: F401  regions, initiatives
