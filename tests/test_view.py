"""One engine, read in place: the store keeps a deduplicated union graph on every write, and
:class:`kg.store.view.GraphView` reads it (or any store) with rdflib's reading calls."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.core import iris
from kg.core.namespaces import UNION_GRAPH
from kg.query.sparql import run_query
from kg.store.graphstore import GraphStore
from kg.store.rdfio import has_union_graph
from kg.store.view import GraphView, graph_view

EX = "https://example.org/"


def _nt(*triples: tuple[str, str, str]) -> str:
    return "".join(f"<{EX}{s}> <{EX}{p}> {o if o.startswith(chr(34)) else f'<{EX}{o}>'} .\n" for s, p, o in triples)


def _union(store: GraphStore) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(UNION_GRAPH))}


def test_the_union_graph_follows_every_write(tmp_path):
    store = GraphStore(tmp_path / "store")
    shared, only_a, only_b = ("r", "adopts", "x"), ("r", "adopts", "y"), ("r", "adopts", "z")
    store.replace_graph(EX + "g/a", _nt(shared, only_a), source_name="a.txt", sha256="1")
    store.replace_graph(EX + "g/b", _nt(shared, only_b), source_name="b.txt", sha256="2")
    expected = {(EX + s, EX + p, EX + o) for s, p, o in (shared, only_a, only_b)}
    assert _union(store) == expected

    store.replace_graph(EX + "g/a", _nt(shared), source_name="a.txt", sha256="3")  # a no longer says y
    assert _union(store) == expected - {(EX + "r", EX + "adopts", EX + "y")}

    assert store.remove_source("b.txt")  # z goes; x stays, a still says it
    assert _union(store) == {(EX + "r", EX + "adopts", EX + "x")}
    assert store.remove_source("a.txt")
    assert _union(store) == set()
    assert store.named_graphs() == []  # neither the union graph nor the set-aside graph is a data graph


def _passage(source_name: str, fact: str, at: int) -> str:
    """A passage of ``source_name`` supporting ``fact`` (an annotation, its target and a quote
    selector), as to_rdf writes it for the evidence graph."""
    from kg.core.namespaces import OA

    annotation = iris.EVIDENCE + f"{iris.file_key(source_name)}/0/{at}-{at + 2}"
    target, quote, source = annotation + "/target", annotation + "/quote", iris.source(source_name)
    return (f"<{EX}{fact}> <{iris.NS}evidence> <{annotation}> .\n<{annotation}> <{OA}hasBody> <{EX}{fact}> .\n"
            f"<{annotation}> <{iris.NS}sourceFile> <{source}> .\n<{annotation}> <{OA}hasTarget> <{target}> .\n"
            f"<{target}> <{OA}hasSource> <{source}> .\n<{target}> <{OA}hasSelector> <{quote}> .\n"
            f"<{quote}> <{OA}exact> \"{fact}\" .\n")


def _graph(store: GraphStore, name: str) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name))}


def test_passages_are_stored_once_and_leave_with_their_source(tmp_path):
    """A source's passages go to the evidence graph (not its own graph, not the union); queries
    and the view read them there; replacing or removing the source takes exactly its passages."""
    from kg.core.namespaces import EVIDENCE_GRAPH

    store = GraphStore(tmp_path / "store")
    store.replace_graph(EX + "g/a", _nt(("r", "adopts", "x")), source_name="a.txt", sha256="1",
                        evidence=_passage("a.txt", "r", 10) + _passage("a.txt", "r", 20))
    store.replace_graph(EX + "g/b", _nt(("r", "adopts", "x")), source_name="b.txt", sha256="2",
                        evidence=_passage("b.txt", "r", 10))
    assert len(_graph(store, EVIDENCE_GRAPH)) == 21 and _union(store) == {(EX + "r", EX + "adopts", EX + "x")}
    assert _graph(store, EX + "g/a") == {(EX + "r", EX + "adopts", EX + "x")}
    quotes = f"SELECT ?a WHERE {{ <{EX}r> <{iris.NS}evidence> ?a }}"
    assert len(run_query(store.oxigraph, quotes).rows) == 3
    assert len(list(GraphView(store.oxigraph).objects(URIRef(EX + "r"), URIRef(iris.NS + "evidence")))) == 3

    store.replace_graph(EX + "g/a", _nt(("r", "adopts", "x")), source_name="a.txt", sha256="3",
                        evidence=_passage("a.txt", "r", 30))  # a's passages at 10 and 20 go, b's stays
    assert {row[0].rsplit("/", 1)[-1] for row in run_query(store.oxigraph, quotes).rows} == {"10-12", "30-32"}
    assert len(_graph(store, EVIDENCE_GRAPH)) == 14
    assert store.evidence_ntriples("a.txt").count(b"\n") == 7
    assert store.remove_source("b.txt") and store.remove_source("a.txt")
    assert _graph(store, EVIDENCE_GRAPH) == set() and _union(store) == set()


def test_a_store_of_the_first_layout_moves_its_passages_to_the_evidence_graph(tmp_path):
    """Passages kept in the sources' graphs and the union (stores before the evidence graph)
    move to the evidence graph when the store is opened for writing; read-only, such a store
    answers the same."""
    from kg.core.namespaces import EVIDENCE_GRAPH, UNION_GRAPH

    raw = ox.Store(str(tmp_path / "store"))
    data = (_nt(("r", "adopts", "x")) + _passage("a.txt", "r", 10)).encode()
    for graph in (EX + "g/a", UNION_GRAPH):
        raw.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    del raw
    quotes = f"SELECT ?q WHERE {{ <{EX}r> <{iris.NS}evidence>/<http://www.w3.org/ns/oa#hasTarget>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?q }}"
    before = GraphStore(tmp_path / "store", read_only=True).oxigraph
    assert [str(row[0]) for row in run_query(before, quotes).rows] == ["r"]
    del before
    store = GraphStore(tmp_path / "store")
    assert len(_graph(store, EVIDENCE_GRAPH)) == 7
    assert _union(store) == _graph(store, EX + "g/a") == {(EX + "r", EX + "adopts", EX + "x")}
    assert [str(row[0]) for row in run_query(store.oxigraph, quotes).rows] == ["r"]


def test_a_fact_many_sources_state_is_one_row(tmp_path):
    store = GraphStore(tmp_path / "store")
    for n in range(5):
        store.replace_graph(f"{EX}g/{n}", _nt(("r", "adopts", "x"), ("r", "label", '"R"')), source_name=f"{n}.txt", sha256=str(n))
    rows = run_query(store.oxigraph, f"SELECT ?r ?i WHERE {{ ?r <{EX}adopts> ?i }}").rows
    assert len(rows) == 1
    view = GraphView(store.oxigraph)
    assert list(view.objects(URIRef(EX + "r"), URIRef(EX + "adopts"))) == [URIRef(EX + "x")]
    assert len(view) == 2


def test_a_store_built_before_the_union_graph_gets_one_when_opened_for_writing(tmp_path):
    raw = ox.Store(str(tmp_path / "store"))
    for n in range(3):
        raw.bulk_load(_nt(("r", "adopts", "x")).encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(f"{EX}g/{n}"))
    raw.flush()
    del raw
    reader = GraphStore(tmp_path / "store", read_only=True)
    assert not has_union_graph(reader.oxigraph)
    view = GraphView(reader.oxigraph)  # without a union graph, repeats are dropped while reading
    assert list(view.subjects(URIRef(EX + "adopts"), URIRef(EX + "x"))) == [URIRef(EX + "r")]
    assert len(run_query(reader.oxigraph, f"SELECT DISTINCT ?r WHERE {{ ?r <{EX}adopts> ?i }}").rows) == 1
    del reader, view
    writer = GraphStore(tmp_path / "store")
    assert _union(writer) == {(EX + "r", EX + "adopts", EX + "x")}


def test_a_view_reads_what_rdflib_reads(sample_graph):
    view = graph_view(sample_graph)
    assert len(view) == len(sample_graph)
    region = URIRef(iris.region("420000"))
    adopts = URIRef(iris.term("adopts"))
    assert sorted(view.objects(region, adopts)) == sorted(sample_graph.objects(region, adopts))
    assert sorted(view.subjects(RDF.type, URIRef(iris.term("Platform")))) == \
        sorted(sample_graph.subjects(RDF.type, URIRef(iris.term("Platform"))))
    assert set(view.predicate_objects(region)) == set(sample_graph.predicate_objects(region))
    assert set(view.subject_predicates(region)) == set(sample_graph.subject_predicates(region))
    label = view.value(region, RDFS.label)
    assert isinstance(label, Literal) and label in set(sample_graph.objects(region, RDFS.label))
    assert (region, adopts, None) in view and (region, URIRef(EX + "nothing"), None) not in view
    assert (Literal("x"), None, None) not in view  # a literal subject matches nothing, and is no error
    assert graph_view(view) is view
    assert graph_view(sample_graph).store is view.store  # an rdflib graph is loaded once, not per call


def test_a_changed_rdflib_graph_is_loaded_again():
    graph = Graph()
    graph.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("1")))
    assert len(run_query(graph, "SELECT * { ?s ?p ?o }").rows) == 1
    graph.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("2")))
    assert len(run_query(graph, "SELECT * { ?s ?p ?o }").rows) == 2


@pytest.mark.parametrize("suffix", [".trig", ".ttl"])
def test_a_graph_file_answers_once_per_fact(tmp_path, suffix):
    from kg.store.rdfio import load_store

    path = tmp_path / f"g{suffix}"
    if suffix == ".trig":
        path.write_text("".join(f"<{EX}g/{n}> {{ <{EX}r> <{EX}adopts> <{EX}x> . }}\n" for n in range(4)), encoding="utf-8")
    else:
        path.write_text(_nt(("r", "adopts", "x")), encoding="utf-8")
    store = load_store(path)
    assert len(run_query(store, f"SELECT ?r WHERE {{ ?r <{EX}adopts> ?i }}").rows) == 1
    assert len(GraphView(store)) == 1


def test_a_build_loads_the_union_once_at_the_end_and_a_killed_one_is_repaired(tmp_path):
    store = GraphStore(tmp_path / "store")
    with store.union_loaded_at_end():
        store.replace_graph(EX + "g/a", _nt(("r", "adopts", "x")), source_name="a.txt", sha256="1")
        store.replace_graph(EX + "g/b", _nt(("r", "adopts", "y")), source_name="b.txt", sha256="2")
        assert _union(store) == set()  # not yet: one load at the end
    assert _union(store) == {(EX + "r", EX + "adopts", EX + "x"), (EX + "r", EX + "adopts", EX + "y")}

    batch = store.union_loaded_at_end()
    batch.__enter__()  # a build killed midway: its sources stored, the union not yet loaded
    store.replace_graph(EX + "g/c", _nt(("r", "adopts", "z")), source_name="c.txt", sha256="3")
    store._pending_union = None
    store.flush()
    del store, batch
    reopened = GraphStore(tmp_path / "store")
    assert (EX + "r", EX + "adopts", EX + "z") in _union(reopened)
    assert not run_query(reopened.oxigraph, "ASK { GRAPH ?g { ?s gk:unionPending true } }").boolean
