"""The SHACL shapes compiled into SPARQL (kg/ingest/shacl_sparql.py) against pySHACL, the
reference: the same results (focus, path, message, severity, as many of each) on the sample
build, on the sample build broken in the ways a build can go wrong, and on shapes written to
use the SHACL Core constructs ontology/shapes.ttl does not use yet."""
import collections
import re

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from conftest import DATA

GK = Namespace("https://w3id.org/govkg/ns#")
OA = Namespace("http://www.w3.org/ns/oa#")
EX = Namespace("https://example.org/")
DATA_GRAPH = "https://example.org/graph"


def _in_store(graph: Graph):
    import pyoxigraph as ox

    from kg.store.rdfio import ntriples_bytes

    store = ox.Store()
    store.bulk_load(ntriples_bytes(graph), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(DATA_GRAPH))
    return store


def _results(report) -> collections.Counter:
    """A path that is no IRI is a blank node in pySHACL's report and a SPARQL path in ours."""
    return collections.Counter((v.focus, v.path if v.path is None or v.path.startswith("http") else "(a path)", v.message,
                                v.severity) for v in report.violations)


def _both(graph: Graph, shapes: Graph | None = None):
    """(compiled, pySHACL) results on ``graph``, each a multiset."""
    from kg.ingest.validate import validate_graph, validate_store

    compiled = validate_store(_in_store(graph), graphs=(DATA_GRAPH,), shapes=shapes)
    reference = validate_graph(graph, shapes)
    assert compiled.conforms == reference.conforms
    return _results(compiled), _results(reference)


@pytest.fixture(scope="module")
def sample_union(tmp_path_factory) -> Graph:
    """The union graph and the evidence graph of a store build of data/ (data, passages and
    ontology), as rdflib."""
    import pyoxigraph as ox

    from kg import api
    from kg.core.namespaces import QUERY_GRAPHS
    from kg.store.graphstore import GraphStore

    out = tmp_path_factory.mktemp("sample")
    api.build([str(DATA)], out_dir=None, store=out / "store", validate=False)
    store = GraphStore(out / "store", read_only=True).oxigraph
    graph = Graph()
    for name in QUERY_GRAPHS:
        graph.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)), format="nt")
    return graph


def test_the_sample_build_gives_the_same_results_both_ways(sample_union):
    compiled, reference = _both(sample_union)
    assert compiled == reference


def _first(graph, cls):
    return sorted(graph.subjects(RDF.type, cls))[0]


def _position(graph, evidence):
    """The position selector (oa:start, oa:end) of an evidence annotation's target."""
    target = graph.value(evidence, OA.hasTarget)
    return next(s for s in sorted(graph.objects(target, OA.hasSelector)) if graph.value(s, OA.end) is not None)


def test_a_broken_sample_build_gives_the_same_violations_both_ways(sample_union):
    graph = Graph()
    for triple in sample_union:
        graph.add(triple)
    platform, task, evidence, source = (_first(graph, cls) for cls in (GK.Platform, GK.Task, GK.Evidence, GK.SourceFile))
    document = graph.value(evidence, GK.inDocument)
    graph.remove((platform, RDFS.label, None))  # missing label
    position = _position(graph, evidence)  # the evidence annotation's position selector
    graph.set((position, OA.start, Literal("nine")))  # wrong datatype
    graph.add((task, GK.taskNumber, Literal("extra")))  # two values where maxCount 1
    graph.set((task, GK.inRegion, document))  # wrong class
    graph.set((source, GK.sha256, Literal("not-a-hash")))  # pattern mismatch
    end = graph.value(document, GK.endOffset)
    graph.set((document, GK.startOffset, Literal(int(end) + 5, datatype=XSD.integer)))  # lessThan violated
    other = _position(graph, sorted(graph.subjects(RDF.type, GK.Evidence))[1])
    graph.set((other, OA.start, Literal(int(graph.value(other, OA.end)) + 1, datatype=XSD.integer)))  # lessThanOrEquals
    unquoted = sorted(graph.subjects(RDF.type, GK.Evidence))[2]
    quote = next(s for s in graph.objects(graph.value(unquoted, OA.hasTarget), OA.hasSelector) if graph.value(s, OA.exact))
    graph.remove((quote, OA.exact, None))  # no value at the end of a sequence path (oa:hasTarget/oa:hasSelector/oa:exact)
    compiled, reference = _both(graph)
    assert compiled == reference
    found = {(focus, path.rsplit("#", 1)[-1] if path else None) for focus, path, _, _ in compiled}
    expected = {(str(platform), "label"), (str(position), "start"), (str(task), "taskNumber"), (str(task), "inRegion"),
                (str(source), "sha256"), (str(document), "startOffset"), (str(other), "start"), (str(unquoted), "(a path)")}
    assert expected <= found


def test_hand_made_violations_of_every_kind_give_the_same_results_both_ways():
    """Node-level sh:or, uniqueLang, minInclusive, two offsets where one, a datatype the
    literal's form does not fit, a value of no class at all. (An ill-formed xsd:gYear such as
    "20x5" is left out: rdflib cannot tell, so pySHACL passes it; the compiled check, which
    asks Oxigraph to cast it, reports it.)"""
    from kg.core.ontology import ontology_graph

    graph = Graph()
    for triple in ontology_graph():
        graph.add(triple)
    goal = URIRef("https://w3id.org/govkg/goal/x")  # neither value nor range: the node shape's sh:or
    graph.add((goal, RDF.type, GK.Goal))
    graph.add((goal, GK.indicator, Literal("覆盖率")))
    graph.add((goal, URIRef("https://schema.org/maxValue"), Literal("lots", datatype=XSD.decimal)))  # ill-formed
    platform = URIRef("https://w3id.org/govkg/platform/x")
    graph.add((platform, RDF.type, GK.Platform))
    graph.add((platform, RDFS.label, Literal("甲", lang="zh")))
    graph.add((platform, RDFS.label, Literal("乙", lang="zh")))  # two labels in one language
    graph.add((platform, GK.serves, Literal("一网通办")))  # a literal where an initiative is due
    evidence = URIRef("https://w3id.org/govkg/evidence/x")
    graph.add((platform, GK.evidence, evidence))
    graph.add((evidence, RDF.type, GK.Evidence))
    graph.add((evidence, OA.start, Literal(-3, datatype=XSD.integer)))  # below minInclusive 0
    graph.add((evidence, OA.start, Literal(-2, datatype=XSD.integer)))
    graph.add((evidence, OA.end, Literal(4, datatype=XSD.integer)))
    compiled, reference = _both(graph)
    assert compiled == reference
    assert sum(compiled.values()) >= 10
    assert any(path is None and focus == str(goal) for focus, path, _, _ in compiled)


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Named a sh:NodeShape ; sh:targetSubjectsOf ex:name ;
    sh:property [ sh:path ex:name ; sh:minLength 2 ; sh:maxLength 5 ; sh:message "name of 2 to 5" ] ;
    sh:property [ sh:path ex:code ; sh:in ( "a" "b" ) ; sh:message "code a or b" ] ;
    sh:property [ sh:path ex:kind ; sh:hasValue ex:K ; sh:message "kind K" ] ;
    sh:property [ sh:path ex:tag ; sh:pattern "^X" ; sh:flags "i" ; sh:message "tag starts with x" ] .
ex:Pointed a sh:NodeShape ; sh:targetObjectsOf ex:points ;
    sh:node ex:HasName ; sh:message "pointed-at nodes have a name" .
ex:HasName a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Parent a sh:NodeShape ; sh:targetNode ex:a, ex:b ;
    sh:property [ sh:path ( ex:child ex:age ) ; sh:maxInclusive 10 ; sh:message "grandchild ages up to 10" ] ;
    sh:property [ sh:path [ sh:inversePath ex:child ] ; sh:maxCount 0 ; sh:message "no parent" ] ;
    sh:property [ sh:path ex:child ; sh:minCount 2 ; sh:node ex:HasName ; sh:message "two named children" ] ;
    sh:not [ sh:path ex:banned ; sh:minCount 1 ] ;
    sh:xone ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) ;
    sh:and ( [ sh:path ex:age ; sh:datatype xsd:integer ] [ sh:path ex:age ; sh:minExclusive 0 ] ) ;
    sh:message "parents: not banned, p or q, positive integer age" .
ex:Labelled a sh:PropertyShape ; sh:path ex:label ; sh:minCount 1 ; sh:message "labelled" .
ex:Aged a sh:NodeShape ; sh:targetSubjectsOf ex:age ; sh:property ex:Labelled .
ex:Coded a sh:NodeShape ; sh:targetSubjectsOf ex:code ; sh:property ex:Labelled .
ex:Off a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:deactivated true ;
    sh:property [ sh:path ex:name ; sh:maxCount 0 ] .
"""

DATA_TTL = """
@prefix ex: <https://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:child ex:c1 , ex:c2 , ex:b ; ex:p 1 ; ex:age 40 ; ex:name "A" .
ex:b ex:child ex:c3 ; ex:p 1 ; ex:q 2 ; ex:banned true ; ex:age "old" ; ex:name "Bea" .
ex:c1 ex:name "Chris" ; ex:age 7 ; ex:code "a" ; ex:kind ex:K ; ex:tag "x1" .
ex:c2 ex:age 12 ; ex:code "c" .
ex:c3 ex:name "Catherine" ; ex:kind ex:L ; ex:tag "y" ; ex:code "c" .
ex:d ex:points ex:c2 , ex:c1 .
"""


def test_constructs_beyond_todays_shapes_give_the_same_results_both_ways():
    shapes = Graph().parse(data=SHAPES, format="turtle")
    compiled, reference = _both(Graph().parse(data=DATA_TTL, format="turtle"), shapes)
    assert compiled == reference
    messages = {message for _, _, message, _ in compiled}
    assert messages == {"name of 2 to 5", "code a or b", "kind K", "tag starts with x", "pointed-at nodes have a name",
                        "grandchild ages up to 10", "no parent", "two named children",
                        "parents: not banned, p or q, positive integer age", "labelled"}
    # one property shape two node shapes share: a node both target is one result, as in pySHACL
    assert compiled[(str(EX.c1), str(EX.label), "labelled", "Violation")] == 1
    assert {focus for focus, _, message, _ in compiled if message == "labelled"} == {str(EX[n]) for n in ("a", "b", "c1", "c2", "c3")}


@pytest.mark.parametrize("construct, shape", [
    ("sh:closed", "sh:closed true"),
    ("sh:qualifiedMinCount, sh:qualifiedValueShape", "sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 1 ]"),
    ("sh:sparql", 'sh:sparql [ sh:select "SELECT $this WHERE { }" ]'),
    ("sh:languageIn", 'sh:property [ sh:path ex:p ; sh:languageIn ( "zh" ) ]'),
    ("a blank node as a value (sh:class, sh:in, sh:hasValue …)", "sh:property [ sh:path ex:p ; sh:in ( [] ) ]"),
])
def test_a_construct_the_compiler_cannot_translate_is_an_error_naming_it(construct, shape):
    from kg.core.errors import OntologyError
    from kg.ingest.shacl_sparql import compile_shapes

    shapes = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .\n"
                                f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; {shape} .", format="turtle")
    with pytest.raises(OntologyError, match=re.escape(f"uses {construct}, which the build's SPARQL checks do not support")):
        compile_shapes(shapes, source="shapes.ttl")


def _two_sources_built(tmp_path):
    """Two sources built into a store, then the second changed on disk: (sources, output) dirs."""
    import shutil

    from kg import api

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(DATA / "newsletter_2023_19.txt", src / "a.txt")
    (src / "b.txt").write_text("成都市数字政府建设实施方案（2024—2026年）\n\n一、重点任务\n\n1.推进一网通办。建设市一体化政务服务平台。"
                               "〔牵头单位：市政务服务局〕\n", encoding="utf-8")
    assert api.build([str(src)], out_dir=None, store=out / "store").conforms
    (src / "b.txt").write_text((src / "b.txt").read_text(encoding="utf-8") + "2.建设数据共享交换平台。\n", encoding="utf-8")
    return src, out


def test_an_incremental_build_checks_only_what_its_rebuilt_sources_describe(tmp_path, monkeypatch):
    """Two sources built; then one changes and is rebuilt without evidence: the violations are
    about the nodes of that source's graph, none about the other's."""
    import pyoxigraph as ox

    import kg.ingest.to_rdf
    from kg import api
    from kg.core import iris
    from kg.store.graphstore import GraphStore

    src, out = _two_sources_built(tmp_path)
    monkeypatch.setattr(kg.ingest.to_rdf, "_add_evidence", lambda graph, about, evidence: None)
    result = api.build([str(src)], out_dir=None, store=out / "store")
    assert result.state.unchanged == ["a.txt"] and not result.conforms
    store = GraphStore(out / "store", read_only=True).oxigraph
    rebuilt = {q.subject.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iris.document_graph("b.txt")))}
    assert {v.focus for v in result.state.report.violations} <= rebuilt


def test_an_incremental_build_checks_the_passages_of_its_rebuilt_sources(tmp_path, monkeypatch):
    """The passages live in the evidence graph, not in a source's graph: a rebuilt source whose
    passages lack their quotes is reported on its annotations, and only on its own."""
    import kg.ingest.to_rdf
    from kg import api
    from kg.core import iris

    src, out = _two_sources_built(tmp_path)
    real = kg.ingest.to_rdf._add_evidence

    class WithoutQuotes:
        def __init__(self, sink):
            self.sink, self.annotations = sink, sink.annotations

        def add(self, triple):
            self.sink.add(triple)

        def add_evidence(self, triple):
            if not triple.predicate.value.endswith("#exact"):
                self.sink.add_evidence(triple)

    monkeypatch.setattr(kg.ingest.to_rdf, "_add_evidence", lambda graph, about, evidence: real(WithoutQuotes(graph), about, evidence))
    result = api.build([str(src)], out_dir=None, store=out / "store")
    assert result.state.unchanged == ["a.txt"] and not result.conforms
    focus = {v.focus for v in result.state.report.violations if "quote selector" in v.message}
    assert focus and all(f.startswith(iris.EVIDENCE + iris.file_key("b.txt") + "/") for f in focus)


def test_checks_reading_only_some_graphs_find_what_reading_all_finds(tmp_path, monkeypatch):
    """A build's store broken in its evidence graph and its union graph, and offsets stated in
    the union graph: each check runs on the graphs that can hold what it matches
    (kg.ingest.validate._GraphsRead), with the violations reading every graph gives."""
    import kg.ingest.validate
    from kg import api
    from kg.core.namespaces import EVIDENCE_GRAPH, UNION_GRAPH
    from kg.store.graphstore import GraphStore

    api.build([str(DATA)], out_dir=None, store=tmp_path / "store", validate=False)
    store = GraphStore(tmp_path / "store").oxigraph
    store.update(f"""
        DELETE {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?p <{OA}start> ?s }} }}
        INSERT {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?p <{OA}start> "nine" }} }}
        WHERE {{ {{ SELECT ?p ?s WHERE {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?p <{OA}start> ?s }} }} ORDER BY ?p LIMIT 1 }} }};
        DELETE {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?q <{OA}exact> ?e }} }}
        WHERE {{ {{ SELECT ?q ?e WHERE {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?q <{OA}exact> ?e }} }} ORDER BY DESC(?q) LIMIT 1 }} }};
        INSERT DATA {{ GRAPH <{UNION_GRAPH}> {{ <{EX}stray> <{OA}start> 5 }} }};
        DELETE {{ GRAPH <{UNION_GRAPH}> {{ ?x <{RDFS.label}> ?l }} }}
        WHERE {{ {{ SELECT ?x WHERE {{ GRAPH <{UNION_GRAPH}> {{ ?x a <{GK.Platform}> }} }} ORDER BY ?x LIMIT 1 }}
                 GRAPH <{UNION_GRAPH}> {{ ?x <{RDFS.label}> ?l }} }}""")
    read = kg.ingest.validate._GraphsRead(store, kg.ingest.validate.QUERY_GRAPHS)
    passage = next(c for c in kg.ingest.validate._compiled_checks() if c.path == f"{OA}exact")
    assert read.by(passage) == [EVIDENCE_GRAPH, kg.ingest.validate.ONTOLOGY_GRAPH]
    chosen = _results(kg.ingest.validate.validate_store(store))
    monkeypatch.setattr(kg.ingest.validate._GraphsRead, "by", lambda self, check: self.graphs)
    every = _results(kg.ingest.validate.validate_store(store))
    assert chosen == every
    found = {(focus.rsplit("/", 1)[-1], message) for focus, _, message, _ in chosen}
    assert {("position", "Evidence start must be a non-negative integer not after its end"),
            ("stray", "Offsets belong on an oa:TextPositionSelector"), ("stray", "Evidence needs an end offset")} <= found
    assert any(message == "Evidence's target needs one quote selector" for _, message in found)
    assert any(path == f"{RDFS.label}" for _, path, _, _ in chosen)


def test_the_checks_run_per_source_find_what_the_same_checks_over_the_store_find(tmp_path):
    """The shapes marked gk:checkedPerSource (a source's passages) checked on each source's
    graph and passages alone (kg.ingest.validate.validate_source, what a build's workers do) and
    the store's other checks give together the results of every check over the whole store, on
    the sample's store broken in two of its sources' passages."""
    import kg.ingest.validate as validate
    from kg import api
    from kg.core import iris
    from kg.core.namespaces import EVIDENCE_GRAPH
    from kg.store.graphstore import GraphStore

    api.build([str(DATA)], out_dir=None, store=tmp_path / "store", validate=False)
    graph_store = GraphStore(tmp_path / "store")
    store = graph_store.oxigraph
    store.update(f"""
        DELETE {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?p <{OA}start> ?s }} }}
        INSERT {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?p <{OA}start> "nine" }} }}
        WHERE {{ {{ SELECT ?p ?s WHERE {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?p <{OA}start> ?s }} }} ORDER BY ?p LIMIT 1 }} }};
        DELETE {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?q <{OA}exact> ?e }} }}
        WHERE {{ {{ SELECT ?q ?e WHERE {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?q <{OA}exact> ?e }} }} ORDER BY DESC(?q) LIMIT 1 }} }}""")
    whole = _results(validate.validate_store(store))
    per_source = [violation for name in graph_store.sources() if name != "(ontology)"
                  for violation in validate.validate_source(iris.document_graph(name),
                                                            graph_store.graph_ntriples(iris.document_graph(name)),
                                                            graph_store.evidence_ntriples(name))]
    rest = validate.validate_store(store, per_source=False)
    assert _results(validate.merged_report(rest, per_source)) == whole
    found = {message for _, _, message, _ in _results(validate.ValidationReport(True, per_source))}
    assert {"Evidence start must be a non-negative integer not after its end",
            "Evidence's target needs one quote selector"} <= found
    assert not any(check.per_source or check.within_source for check in validate._compiled_checks()
                   if check.message in {v.message for v in rest.violations})


def test_only_the_shapes_of_a_sources_passages_are_checked_per_source():
    """gk:checkedPerSource in ontology/shapes.ttl reaches the compiled checks of those shapes'
    properties, and of no other shape (a fact's evidence links, checked on Assertion, are not)."""
    from kg.ingest.validate import _compiled_checks

    checks = _compiled_checks()
    per_source = {check.path for check in checks if check.per_source}
    assert {f"{OA}exact", f"{OA}start", f"{OA}hasSource", f"{GK}inDocument"} <= per_source
    assert f"{GK}evidence" not in per_source and f"{RDFS.label}" not in per_source
    assert 0 < sum(check.per_source for check in checks) < len(checks)


def test_only_a_label_per_language_a_platforms_kind_and_an_exchanges_status_are_checked_within_a_source():
    """gk:checkedWithinSource reaches the compiled checks of the three constraints sources may
    break together (one label per language, one kind of platform, one status of a data
    exchange), each with a Warning over the union beside it; their other constraints stay the
    union's Violations."""
    from kg.ingest.validate import _compiled_checks

    checks = _compiled_checks()
    within = {(check.path, check.component, check.severity) for check in checks if check.within_source}
    assert within == {(f"{RDFS.label}", "UniqueLangConstraintComponent", "Violation"),
                      (f"{GK}platformKind", "MaxCountConstraintComponent", "Violation"),
                      (f"{GK}status", "MaxCountConstraintComponent", "Violation")}
    union = {(check.path, check.component, check.severity) for check in checks
             if not check.within_source and check.path in (f"{RDFS.label}", f"{GK}platformKind", f"{GK}status")}
    assert union == {(f"{RDFS.label}", "UniqueLangConstraintComponent", "Warning"),
                     (f"{RDFS.label}", "MinCountConstraintComponent", "Violation"),
                     (f"{RDFS.label}", "DatatypeConstraintComponent", "Violation"),
                     (f"{GK}platformKind", "MaxCountConstraintComponent", "Warning"),
                     (f"{GK}platformKind", "MinCountConstraintComponent", "Violation"),
                     (f"{GK}platformKind", "ClassConstraintComponent", "Violation"),
                     (f"{GK}status", "MaxCountConstraintComponent", "Warning"),
                     (f"{GK}status", "MinCountConstraintComponent", "Violation"),
                     (f"{GK}status", "ClassConstraintComponent", "Violation")}
    assert not any(check.per_source for check in checks if check.within_source)


def _both_by_graph(named: dict[str, Graph], shapes: Graph | None = None):
    """(compiled, pySHACL) results on the named graphs ``named`` (IRI -> graph): the store's
    checks with its union graph made as a build makes it, pySHACL on them as an rdflib Dataset
    (a TriG file): the shapes marked gk:checkedWithinSource on each source's graph alone."""
    import pyoxigraph as ox
    from rdflib import Dataset

    from kg.ingest.validate import validate_graph, validate_store
    from kg.store.rdfio import materialise_union, ntriples_bytes

    dataset, store = Dataset(), ox.Store()
    for name, graph in named.items():
        context = dataset.graph(URIRef(name))
        for triple in graph:
            context.add(triple)
        store.bulk_load(ntriples_bytes(graph), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    materialise_union(store)
    compiled, reference = validate_store(store, shapes=shapes), validate_graph(dataset, shapes)
    assert compiled.conforms == reference.conforms
    return _results(compiled), _results(reference)


def test_the_shapes_that_hold_within_a_source_give_the_same_results_both_ways():
    """Two sources: one platform named and kinded differently by each (Warnings, of the union's
    shapes), a department and a plan (a subclass of gk:Document, found through the ontology's
    class hierarchy) each given two labels by one source, a platform two kinds by one source
    (Violations, of the shapes checked within a source)."""
    from kg.core.namespaces import ONTOLOGY_GRAPH
    from kg.core.ontology import ontology_graph

    kinds = Namespace("https://w3id.org/govkg/platform-kind/")
    one, two = Graph(), Graph()
    platform, twice = URIRef("https://w3id.org/govkg/platform/510100-x"), URIRef("https://w3id.org/govkg/platform/510100-y")
    department, plan = URIRef("https://w3id.org/govkg/department/510100-x"), URIRef("https://w3id.org/govkg/doc/x")
    for graph, label, kind in ((one, "市一体化政务服务平台", kinds.system), (two, "市政务服务平台", kinds.app)):
        graph.add((platform, RDF.type, GK.Platform))
        graph.add((platform, RDFS.label, Literal(label, lang="zh")))
        graph.add((platform, GK.platformKind, kind))
    two.add((twice, RDF.type, GK.Platform))
    two.add((twice, RDFS.label, Literal("天府通办", lang="zh")))
    two.add((twice, GK.platformKind, kinds.app))
    two.add((twice, GK.platformKind, kinds.system))
    for node, cls, labels in ((department, GK.Department, ("市政务服务局", "市政务服务管理局")), (plan, GK.Plan, ("方案", "规划"))):
        two.add((node, RDF.type, cls))
        for label in labels:
            two.add((node, RDFS.label, Literal(label, lang="zh")))
    compiled, reference = _both_by_graph({"https://example.org/graph/one": one, "https://example.org/graph/two": two,
                                          ONTOLOGY_GRAPH: ontology_graph()})
    assert compiled == reference
    policy = {"Sources give different labels in one language (e.g. two Chinese names)": "label, sources",
              "Sources give different kinds of this platform": "kind, sources",
              "One source gives several labels in one language": "label, one source",
              "One source gives a platform several kinds": "kind, one source"}
    found = {(focus, policy[message], severity) for focus, _, message, severity in compiled if message in policy}
    assert found == {(str(platform), "label, sources", "Warning"), (str(platform), "kind, sources", "Warning"),
                     (str(twice), "kind, one source", "Violation"), (str(twice), "kind, sources", "Warning"),
                     (str(department), "label, one source", "Violation"), (str(department), "label, sources", "Warning"),
                     (str(plan), "label, one source", "Violation"), (str(plan), "label, sources", "Warning")}


MARKED_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix gk: <https://w3id.org/govkg/ns#> .
ex:Marked a sh:NodeShape ; sh:targetClass ex:Thing ; gk:checkedWithinSource true ;
    sh:property [ sh:path ex:name ; sh:maxCount 1 ; sh:message "one name per source" ] ;
    sh:property ex:Shared .
ex:Unmarked a sh:NodeShape ; sh:targetSubjectsOf ex:code ; sh:property ex:Shared ;
    sh:property [ sh:path ex:code ; sh:maxCount 1 ; sh:severity sh:Warning ; sh:message "codes differ" ] .
ex:Shared a sh:PropertyShape ; sh:path ex:tag ; sh:maxCount 1 ; sh:message "one tag" .
ex:Own a sh:PropertyShape ; sh:targetSubjectsOf ex:code ; gk:checkedWithinSource true ;
    sh:path ex:code ; sh:maxCount 1 ; sh:message "one code per source" .
"""


def test_a_marked_node_shape_marks_its_properties_but_one_an_unmarked_shape_shares():
    """gk:checkedWithinSource on a node shape reaches its property shapes, except one a node
    shape without the mark shares (checked over the union, as the compiler and the hoisting
    for pySHACL both read it); no ontology graph: the targets' own classes still match."""
    def graph(text: str) -> Graph:
        return Graph().parse(data=f"@prefix ex: <https://example.org/> . {text}", format="turtle")

    one = graph('ex:a a ex:Thing ; ex:name "x" ; ex:tag 1 ; ex:code 1 .')
    two = graph('ex:a a ex:Thing ; ex:name "y" ; ex:tag 2 ; ex:code 2 . ex:b a ex:Thing ; ex:name "p", "q" ; ex:code 3, 4 .')
    compiled, reference = _both_by_graph({str(EX.one): one, str(EX.two): two},
                                         Graph().parse(data=MARKED_SHAPES, format="turtle"))
    assert compiled == reference
    assert {(focus.rsplit("/", 1)[-1], message) for focus, _, message, _ in compiled} == {
        ("b", "one name per source"), ("a", "one tag"), ("a", "codes differ"), ("b", "codes differ"),
        ("b", "one code per source")}
