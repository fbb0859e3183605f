"""SHACL validation: the hoisted shapes find what the shapes as written find, and a store build
reports what its validation on the store found (or failed to do)."""
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from conftest import DATA

GK = Namespace("https://w3id.org/govkg/ns#")
OA = Namespace("http://www.w3.org/ns/oa#")
BASE = "https://w3id.org/govkg/"
INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


def _broken_graph() -> Graph:
    """A few entities, each breaking a different shape (property-level and node-level)."""
    from kg.core.ontology import ontology_graph

    graph = Graph()
    for triple in ontology_graph().triples((None, RDFS.subClassOf, None)):
        graph.add(triple)
    doc, evidence = URIRef(BASE + "doc/x"), URIRef(BASE + "evidence/x")
    graph.add((doc, RDF.type, GK.Plan))
    graph.add((evidence, RDF.type, GK.Evidence))
    graph.add((evidence, GK.inDocument, doc))
    position = URIRef(BASE + "evidence/x/position")
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(9, datatype=INTEGER)))
    graph.add((position, OA.end, Literal(3, datatype=INTEGER)))  # start after end
    platform = URIRef(BASE + "platform/x")  # no label, no kind
    graph.add((platform, RDF.type, GK.Platform))
    graph.add((platform, GK.evidence, evidence))
    task = URIRef(BASE + "task/x")  # two numbers, a deadline that is no date
    graph.add((task, RDF.type, GK.Task))
    graph.add((task, GK.taskNumber, Literal("1")))
    graph.add((task, GK.taskNumber, Literal("2")))
    graph.add((task, GK.deadline, Literal("next year")))
    goal = URIRef(BASE + "goal/x")  # neither value nor range (a node-level sh:or)
    graph.add((goal, RDF.type, GK.Goal))
    graph.add((goal, GK.indicator, Literal("覆盖率")))
    return graph


def _results(graph, shapes) -> set:
    from pyshacl import validate

    conforms, results, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    sh = Namespace("http://www.w3.org/ns/shacl#")
    return {(str(results.value(r, sh.focusNode)), str(results.value(r, sh.resultPath)),
             str(results.value(r, sh.sourceConstraintComponent)))
            for r in results.subjects(RDF.type, sh.ValidationResult)}


def test_hoisted_shapes_report_exactly_what_the_nested_shapes_report():
    from kg.core.ontology import shapes_graph
    from kg.ingest.validate import hoist_property_shapes

    graph = _broken_graph()
    nested, hoisted = _results(graph, shapes_graph()), _results(graph, hoist_property_shapes(shapes_graph()))
    assert nested == hoisted
    found = {(focus.rsplit("/", 1)[-1], path.rsplit("#", 1)[-1]) for focus, path, _ in nested}
    assert {("x", "label"), ("x", "platformKind"), ("x", "taskNumber"), ("x", "deadline"), ("position", "start")} <= found
    assert any(component.endswith("OrConstraintComponent") for _, _, component in nested)


def test_hoisting_moves_every_property_shape_of_a_targeted_node_shape():
    from rdflib.namespace import SH

    from kg.core.ontology import shapes_graph
    from kg.ingest.validate import hoist_property_shapes

    shapes = shapes_graph()
    hoisted = hoist_property_shapes(shapes)
    targeted = [s for s in set(shapes.subjects(SH.property, None)) if (s, SH.targetClass, None) in shapes]
    assert targeted and not any((s, SH.property, None) in hoisted for s in targeted)
    for node_shape in targeted:
        for prop in shapes.objects(node_shape, SH.property):
            assert set(shapes.objects(node_shape, SH.targetClass)) <= set(hoisted.objects(prop, SH.targetClass))


def _store_build(tmp_path, **options):
    from kg import api

    return api.build([str(DATA)], out_dir=tmp_path / "out", store=tmp_path / "out" / "store", **options)


def test_a_store_build_reports_the_violations_its_validation_found(tmp_path, monkeypatch):
    import kg.ingest.to_rdf

    monkeypatch.setattr(kg.ingest.to_rdf, "_add_evidence", lambda graph, about, evidence: None)  # facts without evidence
    result = _store_build(tmp_path)
    assert result.conforms is False
    assert any("evidence" in v.message for v in result.state.report.violations)
    assert (tmp_path / "out" / "govkg.ttl").stat().st_size > 0  # outputs are still written


def test_a_validation_that_cannot_run_is_an_error_not_a_pass(tmp_path, monkeypatch):
    import kg.ingest.pipeline
    from kg.core.errors import KGError

    def broken(store, **options):
        raise RuntimeError("shapes unreadable")

    monkeypatch.setattr(kg.ingest.pipeline, "validate_store", broken)  # as the pipeline calls it
    with pytest.raises(KGError, match="shapes unreadable"):
        _store_build(tmp_path)


def test_a_document_without_a_title_is_a_warning_not_a_violation(tmp_path):
    """A text exported without its title line is still a policy document: the build says
    "not determined: title", and SHACL warns instead of failing the graph."""
    from kg import api

    (tmp_path / "untitled.txt").write_text(
        "为加快建设数字政府，结合我市实际，制定本方案。\n一、工作任务\n（一）推进一网通办。"
        "2025年底前实现政务服务事项全程网办。（牵头单位：市政务服务局）\n", encoding="utf-8")
    result = api.build([tmp_path / "untitled.txt"], out_dir=None)
    assert result.per_document[0]["genre"] != "Article"
    assert "title" in result.per_document[0]["undetermined"]
    assert result.state.report.conforms
    assert [v.severity for v in result.state.report.violations] == ["Warning"]
