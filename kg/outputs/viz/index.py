"""The graph indexed once for the page: types, labels, links and regions' containment."""
from __future__ import annotations

import functools

from kg.core import iris
from kg.outputs.viz.model import CONTAINED_IN, IN_REGION, VizNode
from kg.query.lookup import label_of
from kg.query.tables import document_types, entity_names, entity_type_besides, entity_types, natural_key, region_types

# ---------------------------------------------------------------- reading the graph


class GraphIndex:
    """The entities (those :func:`kg.query.tables.entity_rows` has a row for) with their types,
    and the links between them; names are read only for the nodes a page shows. With ``kinds``
    (kind names such as ``Platform``), only the entities of those kinds are read and listed in
    :attr:`types`; :meth:`label` still names any other entity as the full index would."""

    def __init__(self, graph, *, kinds: frozenset[str] | None = None):
        from rdflib import URIRef

        self.graph = graph
        self.uri = URIRef
        self.kinds = kinds
        self.types = entity_types(graph, kinds)
        self._other_entities: dict[str, bool] = {}
        self._names: dict[str, dict] = {}
        self.region_types = region_types()
        self.document_types = document_types()

    def type(self, iri: str) -> str:
        return self.types[iri]

    def is_region(self, iri: str) -> bool:
        return iri in self.types and self.type(iri) in self.region_types

    def is_document(self, iri: str) -> bool:
        return iri in self.types and self.type(iri) in self.document_types

    def is_(self, iri: str, type_: str) -> bool:
        return iri in self.types and self.type(iri) == type_

    def names(self, iri: str) -> dict:
        """``label``, ``label_en`` and ``aliases`` of an entity, as its row in the entities table has them."""
        if iri not in self._names:
            self._names[iri] = entity_names(self.graph, iri)
        return self._names[iri]

    def code(self, iri: str) -> str | None:
        """A region's division code (the entities table's ``code``)."""
        codes = sorted(self.graph.objects(self.uri(iri), self.uri(iris.term("divisionCode"))), key=lambda v: natural_key(str(v)))
        return str(codes[0]) if codes and self.is_region(iri) else None

    def pairs(self, predicate: str) -> list[tuple[str, str]]:
        """(subject, object) of ``predicate`` where both are entities, sorted."""
        found = {(str(s), str(o)) for s, o in self.graph.subject_objects(self.uri(predicate))}
        return sorted((s, o) for s, o in found if s in self.types and o in self.types)

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

    def _is_entity(self, iri: str) -> bool:
        if iri in self.types:
            return True
        if self.kinds is None:
            return False
        if iri not in self._other_entities:
            self._other_entities[iri] = entity_type_besides(self.graph, iri, self.kinds) is not None
        return self._other_entities[iri]

    def label(self, iri: str) -> str:
        if self._is_entity(iri):
            return self.names(iri)["label"] or iri

        return label_of(self.graph, self.uri(iri))

    def node(self, iri: str) -> VizNode:
        names = self.names(iri)
        return VizNode(iri=iri, type=self.types[iri], label=names["label"] or iri, label_en=names["label_en"],
                       aliases=tuple(names["aliases"] or ()), region=self.region_of(iri))
