"""The graph indexed once for the page: types, labels, links and regions' containment."""
from __future__ import annotations

import functools

from kg.core import iris
from kg.outputs.viz.model import CONTAINED_IN, IN_REGION, VizNode
from kg.query.lookup import label_of
from kg.query.tables import document_types, entity_rows, region_types

# ---------------------------------------------------------------- reading the graph


class GraphIndex:
    """Entities (the rows of :func:`kg.query.tables.entity_rows`) and the links between them."""

    def __init__(self, graph):
        from rdflib import URIRef

        self.graph = graph
        self.uri = URIRef
        self.rows = {row["id"]: row for row in entity_rows(graph)}
        self.region_types = region_types()
        self.document_types = document_types()

    def type(self, iri: str) -> str:
        return self.rows[iri]["type"]

    def is_region(self, iri: str) -> bool:
        return iri in self.rows and self.type(iri) in self.region_types

    def is_document(self, iri: str) -> bool:
        return iri in self.rows and self.type(iri) in self.document_types

    def is_(self, iri: str, type_: str) -> bool:
        return iri in self.rows and self.type(iri) == type_

    def pairs(self, predicate: str) -> list[tuple[str, str]]:
        """(subject, object) of ``predicate`` where both are entities, sorted."""
        found = {(str(s), str(o)) for s, o in self.graph.subject_objects(self.uri(predicate))}
        return sorted((s, o) for s, o in found if s in self.rows and o in self.rows)

    def region_of(self, iri: str) -> str | None:
        if self.is_region(iri):
            return iri
        for predicate in (IN_REGION, iris.term("governsRegion")):
            values = sorted(str(v) for v in self.graph.objects(self.uri(iri), self.uri(predicate)))
            if values:
                return values[0]
        return None

    @functools.cached_property
    def parents(self) -> dict[str, str]:
        return {str(s): str(o) for s, o in self.graph.subject_objects(self.uri(CONTAINED_IN))}

    def within(self, region: str | None, selected: set[str]) -> bool:
        seen = set()
        while region is not None and region not in seen:
            if region in selected:
                return True
            seen.add(region)
            region = self.parents.get(region)
        return False

    def label(self, iri: str) -> str:
        if iri in self.rows:
            return self.rows[iri]["label"] or iri

        return label_of(self.graph, self.uri(iri))

    def node(self, iri: str) -> VizNode:
        row = self.rows[iri]
        return VizNode(iri=iri, type=row["type"], label=row["label"] or iri, label_en=row["label_en"],
                       aliases=tuple(row["aliases"] or ()), region=self.region_of(iri))
