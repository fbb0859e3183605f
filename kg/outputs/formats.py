"""The names the outputs answer to (table, network and report formats, similarity measures,
graph-page views), in one light module: the outputs use them, and the CLI offers exactly
these as choices without importing the outputs themselves (so `govkg --help` stays fast)."""
from __future__ import annotations

import enum


class TableFormat(str, enum.Enum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"  # one workbook, a sheet per table (openpyxl: the xlsx extra)


class NetworkFormat(str, enum.Enum):
    GRAPHML = "graphml"
    GEXF = "gexf"


# The networks `govkg export --network` writes (kg.outputs.analytics.PROJECTIONS builds each).
NETWORKS = ("policy", "region-initiative", "region-region", "platform-initiative", "department-task")


class SimilarityMeasure(str, enum.Enum):
    IDF = "idf"  # Jaccard with each initiative weighted by how rare it is
    JACCARD = "jaccard"  # shared initiatives over all initiatives of the two regions
    WEIGHTED = "weighted"  # Jaccard blended with the likeness of their platform kinds


class ReportFormat(str, enum.Enum):
    MD = "md"
    HTML = "html"
    JSON = "json"


class View(str, enum.Enum):
    SHARED = "shared"
    PLATFORMS = "platforms"
    TASKS = "tasks"
    FULL = "full"


def values(choices) -> list[str]:
    """The values of an enum (or the items of a tuple), for click.Choice."""
    return [getattr(choice, "value", choice) for choice in choices]
