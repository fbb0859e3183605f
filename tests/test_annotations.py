"""Evidence as W3C Web Annotations: the sample build checked against shapes written from the W3C
model (tests/fixtures/web_annotation_shapes.ttl), and the readers all reading it one way."""
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from conftest import FIXTURES

GK = Namespace("https://w3id.org/govkg/ns#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
W3C_SHAPES = FIXTURES / "web_annotation_shapes.ttl"
QUERIES = Path(__file__).resolve().parent.parent / "kg" / "query" / "queries"


def _w3c_violations(graph) -> set[tuple[str, str]]:
    from pyshacl import validate

    _, results, _ = validate(graph, shacl_graph=Graph().parse(W3C_SHAPES), inference="none", advanced=False)
    return {(str(results.value(r, SH.focusNode)).rsplit("/", 1)[-1], str(results.value(r, SH.resultPath)).rsplit("#", 1)[-1])
            for r in results.subjects(RDF.type, SH.ValidationResult)}


def _annotation_part(graph) -> Graph:
    """The annotations, their targets and selectors (what the W3C shapes look at)."""
    part = Graph()
    nodes = set(graph.subjects(RDF.type, OA.Annotation))
    targets = {t for n in nodes for t in graph.objects(n, OA.hasTarget)}
    selectors = {s for t in targets for s in graph.objects(t, OA.hasSelector)}
    for node in nodes | targets | selectors:
        for triple in graph.triples((node, None, None)):
            part.add(triple)
    return part


def test_the_sample_build_s_evidence_is_valid_web_annotation(sample_graph):
    evidence = set(sample_graph.subjects(RDF.type, GK.Evidence))
    assert len(evidence) > 500
    assert evidence == set(sample_graph.subjects(RDF.type, OA.Annotation))  # typed, not left to inference
    part = _annotation_part(sample_graph)
    assert len(set(part.subjects(RDF.type, OA.TextPositionSelector))) == len(evidence)
    assert len(set(part.subjects(RDF.type, OA.TextQuoteSelector))) == len(evidence)
    assert _w3c_violations(part) == set()


def test_the_w3c_shapes_catch_what_the_model_forbids():
    base = "https://w3id.org/govkg/evidence/x"
    graph = Graph()
    untargeted, target, position = URIRef(base + "/a"), URIRef(base + "/target"), URIRef(base + "/position")
    graph.add((untargeted, RDF.type, OA.Annotation))  # no target
    graph.add((untargeted, OA.motivatedBy, OA.proving))  # no such motivation
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, URIRef(base + "/one")))
    graph.add((target, OA.hasSource, URIRef(base + "/two")))  # two sources
    graph.add((target, OA.hasSelector, URIRef(base + "/untyped")))
    graph.add((target, OA.hasSelector, position))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(-1)))  # negative, and no end
    assert _w3c_violations(graph) == {("a", "hasTarget"), ("a", "motivatedBy"), ("target", "hasSource"),
                                      ("target", "hasSelector"), ("position", "start"), ("position", "end")}


def test_annotations_have_iris_and_name_the_facts_they_support(sample_graph):
    part = _annotation_part(sample_graph)
    assert not any(isinstance(term, BNode) for triple in part for term in triple)
    supports = set(sample_graph.subject_objects(GK.evidence))
    bodies = {(fact, node) for node, fact in sample_graph.subject_objects(OA.hasBody)}
    assert supports == bodies
    for node in sample_graph.subjects(RDF.type, GK.Evidence):
        (target,) = sample_graph.objects(node, OA.hasTarget)
        assert str(target) == f"{node}/target"
        assert sample_graph.value(target, OA.hasSource) == sample_graph.value(node, GK.sourceFile)
        assert {str(s) for s in sample_graph.objects(target, OA.hasSelector)} == {f"{node}/position", f"{node}/quote"}


def test_the_bundled_queries_read_evidence_by_the_shared_paths():
    from kg.query.evidence import END_PATH, QUOTE_PATH, START_PATH

    readers = 0
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.startswith("PREFIX"))
        rest = body.replace(START_PATH, "").replace(END_PATH, "").replace(QUOTE_PATH, "")
        assert "oa:" not in rest, path.name  # no other way to the passage than the shared paths
        readers += rest != body
    assert readers >= 3
