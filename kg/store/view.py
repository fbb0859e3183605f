"""The one way the query layer and the outputs read a graph: a :class:`GraphView` over an
Oxigraph store (the build's store on disk, or an in-memory one for a graph file or an rdflib
graph handed to the library).

A view answers the reading calls of an rdflib Graph (``objects``, ``subjects``, ``value``,
``triples``, ``in`` …) from Oxigraph's own indexes, one pattern at a time: nothing is copied
into Python. It reads the union of the store's graphs (the sources' graphs, the evidence and the ontology,
not the store's bookkeeping) and gives each statement once, however many sources state it.
SPARQL runs on :attr:`GraphView.store` (:func:`kg.query.sparql.run_query`).
"""
from __future__ import annotations

import functools
import weakref
from typing import Iterator

from kg.core.namespaces import INTERNAL_GRAPHS, QUERY_GRAPHS, bind_prefixes
from kg.store.rdfio import has_union_graph, materialise_union, ox_term, rdflib_term

_ANSWERS_KEPT = 200_000  # patterns whose answers a view keeps (then it starts afresh)


@functools.lru_cache(maxsize=100_000)
def _pattern_term(term):
    return None if term is None else ox_term(term)


class GraphView:
    """Read-only, rdflib-Graph-like access to an Oxigraph store's union graph (deduplicated) and
    its evidence graph."""

    def __init__(self, store):
        import pyoxigraph as ox

        self.store = store
        # The union graph the store keeps and the evidence graph beside it have each statement
        # once; without a union graph (a store of one graph, or built before it was kept), every
        # graph is read and repeats are dropped here.
        self._union = tuple(ox.NamedNode(g) for g in QUERY_GRAPHS) if has_union_graph(store) else None
        self._excluded = frozenset(ox.NamedNode(g) for g in INTERNAL_GRAPHS)
        self.namespace_manager = _namespaces()
        self._answers: dict[tuple, tuple] = {}

    # -- the statements ------------------------------------------------------------------
    def _triples(self, s, p, o):
        """Distinct (s, p, o) Oxigraph triples matching the pattern over the union graph. A
        pattern with two terms given (a node's labels, a region's adoptions) is small and asked
        again and again by the tables and the report: its answer is kept while the view lives."""
        if (s is None) + (p is None) + (o is None) > 1:
            return self._matching(s, p, o)
        key = (s, p, o)
        found = self._answers.get(key)
        if found is None:
            if len(self._answers) >= _ANSWERS_KEPT:
                self._answers.clear()
            found = self._answers[key] = tuple(self._matching(s, p, o))
        return iter(found)

    def _matching(self, s, p, o) -> Iterator[tuple]:
        s, p, o = _pattern_term(s), _pattern_term(p), _pattern_term(o)
        try:
            answers = [self.store.quads_for_pattern(s, p, o, graph) for graph in self._union or (None,)]
        except TypeError:  # a literal in subject position: nothing can match
            return
        if self._union is not None:
            for quads in answers:
                for quad in quads:
                    yield quad.subject, quad.predicate, quad.object
            return
        quads = answers[0]
        seen = set()
        for quad in quads:
            if quad.graph_name in self._excluded:
                continue
            triple = (quad.subject, quad.predicate, quad.object)
            if triple not in seen:
                seen.add(triple)
                yield triple

    def triples(self, pattern) -> Iterator[tuple]:
        s, p, o = pattern
        for triple in self._triples(s, p, o):
            yield tuple(rdflib_term(t) for t in triple)

    def __iter__(self):
        return self.triples((None, None, None))

    def __contains__(self, pattern) -> bool:
        return next(self._triples(*pattern), None) is not None

    def __len__(self) -> int:
        return sum(1 for _ in self._triples(None, None, None))

    def objects(self, subject=None, predicate=None, unique: bool = False) -> Iterator:
        seen = set()
        for _, _, o in self._triples(subject, predicate, None):
            if subject is None or predicate is None:  # several statements may share an object
                if o in seen:
                    continue
                seen.add(o)
            yield rdflib_term(o)

    def subjects(self, predicate=None, object=None, unique: bool = False) -> Iterator:  # noqa: A002 - rdflib's name
        seen = set()
        for s, _, _ in self._triples(None, predicate, object):
            if predicate is None or object is None:
                if s in seen:
                    continue
                seen.add(s)
            yield rdflib_term(s)

    def predicates(self, subject=None, object=None, unique: bool = False) -> Iterator:  # noqa: A002
        seen = set()
        for _, p, _ in self._triples(subject, None, object):
            if p not in seen:
                seen.add(p)
                yield rdflib_term(p)

    def subject_objects(self, predicate=None, unique: bool = False) -> Iterator[tuple]:
        for s, _, o in self._triples(None, predicate, None):
            yield rdflib_term(s), rdflib_term(o)

    def predicate_objects(self, subject=None, unique: bool = False) -> Iterator[tuple]:
        for _, p, o in self._triples(subject, None, None):
            yield rdflib_term(p), rdflib_term(o)

    def subject_predicates(self, object=None, unique: bool = False) -> Iterator[tuple]:  # noqa: A002
        for s, p, _ in self._triples(None, None, object):
            yield rdflib_term(s), rdflib_term(p)

    def value(self, subject=None, predicate=None, object=None, default=None, any: bool = True):  # noqa: A002
        """One value of the missing position (the smallest, so the answer does not depend on
        the order the store keeps), or ``default``."""
        if object is None:
            found = sorted(self.objects(subject, predicate), key=str)
        elif predicate is None:
            found = sorted(self.predicates(subject, object), key=str)
        else:
            found = sorted(self.subjects(predicate, object), key=str)
        return found[0] if found else default

    def transitive_objects(self, subject, predicate, remember=None) -> Iterator:
        return self._closure(subject, lambda node: self.objects(node, predicate), remember)

    def transitive_subjects(self, predicate, object, remember=None) -> Iterator:  # noqa: A002
        return self._closure(object, lambda node: self.subjects(predicate, node), remember)

    @staticmethod
    def _closure(start, step, remember) -> Iterator:
        """``start`` and every node ``step`` reaches from it, each once (rdflib's order: depth first)."""
        seen = set() if remember is None else remember
        stack = [start]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            yield node
            stack.extend(step(node))


@functools.lru_cache(maxsize=1)
def _namespaces():
    from rdflib import Graph

    graph = Graph()
    bind_prefixes(graph)
    return graph.namespace_manager


# rdflib graphs already converted: id -> (weak reference, statement count when converted, store).
# A graph changed since (another count) is converted again.
_CONVERTED: dict[int, tuple] = {}


def oxigraph_store(graph):
    """The Oxigraph store behind ``graph``: a view's store, a store itself, or a new in-memory
    store holding an rdflib Graph's statements (a Dataset's keep their graphs)."""
    import pyoxigraph as ox

    if isinstance(graph, GraphView):
        return graph.store
    from rdflib import Graph
    from rdflib.graph import ConjunctiveGraph

    if not isinstance(graph, Graph):  # ox.Store, or the read-only store of a build
        return graph
    key = id(graph)
    cached = _CONVERTED.get(key)
    if cached is not None and cached[0]() is graph and cached[1] == len(graph):
        return cached[2]
    store = ox.Store()
    if isinstance(graph, ConjunctiveGraph):  # a Dataset too: its graphs stay apart
        store.bulk_load(graph.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
        materialise_union(store)
    else:
        store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    _CONVERTED[key] = (weakref.ref(graph, lambda _, key=key: _CONVERTED.pop(key, None)), len(graph), store)
    return store


def graph_view(graph) -> GraphView:
    """``graph`` (a view, an Oxigraph store, or an rdflib Graph) as a :class:`GraphView`."""
    return graph if isinstance(graph, GraphView) else GraphView(oxigraph_store(graph))
