"""Invariants of the ontology, vocabularies and shapes in ontology/."""
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace
from rdflib.namespace import SKOS

from kg.core.ontology import body_cues, genre_cues, initiatives, ontology_dir, ontology_graph, platform_kind_cues, shapes_graph, text_cues

GK = Namespace("https://w3id.org/govkg/ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
CORE_CLASSES = ["Region", "Country", "Province", "City", "District", "PolicyDocument", "Plan", "ImplementationScheme",
                "ActionPlan", "Guidance", "Regulation", "Notice", "Article", "Platform", "Department", "Initiative",
                "Task", "Goal", "DataExchange", "Evidence"]
REQUIRED_INITIATIVES = [
    "一网通办", "一网统管", "一网协同", "一屏统览", "一件事一次办", "跨省通办", "好差评", "一码通城", "互联网+监管", "12345热线", "政务云",
    "电子政务外网", "电子证照", "电子印章", "统一身份认证", "数据共享交换", "公共数据开放", "公共数据授权运营", "数据交易", "数据资产登记评估",
    "首席数据官", "政务区块链", "城市信息模型CIM", "数字孪生城市", "城市大脑", "雪亮工程", "天网工程", "数字乡村", "网格化管理", "5G", "IPv6",
    "等级保护定级备案", "数据分类分级", "应急演练", "数据安全风险评估"]


def _terms(graph):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted({s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(GK))})


def _langs(graph, subject, predicate):
    return {getattr(o, "language", None) for o in graph.objects(subject, predicate)}


def test_core_classes_exist_with_the_agreed_local_names():
    graph = ontology_graph()
    for name in CORE_CLASSES:
        assert (GK[name], RDF.type, OWL.Class) in graph, name
    assert (GK.Initiative, RDFS.subClassOf, SKOS.Concept) in graph
    assert (GK.Department, RDFS.subClassOf, URIRef_org("FormalOrganization")) in graph


def URIRef_org(local):
    from rdflib import URIRef

    return URIRef("http://www.w3.org/ns/org#" + local)


def test_every_term_has_zh_and_en_labels_and_definitions():
    graph = ontology_graph()
    terms = _terms(graph)
    assert len(terms) > 60
    for term in terms:
        assert {"zh", "en"} <= _langs(graph, term, RDFS.label), term
        assert {"zh", "en"} <= _langs(graph, term, SKOS.definition), term


def test_every_concept_has_zh_and_en_pref_labels():
    graph = ontology_graph()
    for concept in set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(SKOS.inScheme, None)):
        assert {"zh", "en"} <= _langs(graph, concept, SKOS.prefLabel), concept


def test_initiative_scheme_is_large_grouped_and_has_the_required_concepts():
    concepts = initiatives()
    groups = {c.broader for c in concepts.values() if c.broader}
    leaves = [c for c in concepts.values() if c.iri not in groups]
    assert len(leaves) >= 60
    group_labels = {concepts[g].label for g in groups}
    assert {"政务服务", "城市治理", "政府运行", "数据要素", "数字基础设施", "网络与数据安全", "数字经济", "数字社会"} <= group_labels
    labels = {label for c in concepts.values() for label in c.labels}
    missing = [name for name in REQUIRED_INITIATIVES if name not in labels]
    assert not missing
    for concept in leaves:
        assert concept.broader in groups, concept.iri
        assert concept.label_en, concept.iri


def test_no_label_names_two_initiatives():
    seen = {}
    for concept in initiatives().values():
        for label in concept.labels:
            assert seen.setdefault(label, concept.iri) == concept.iri, label


def test_wording_variants_are_alt_labels():
    by_label = {label: c for c in initiatives().values() for label in c.labels}
    assert by_label["一屏观全域"] is by_label["一屏统览"]
    assert by_label["12345政务服务便民热线"] is by_label["12345热线"]


def test_shapes_target_existing_classes_and_carry_zh_and_en_messages():
    shapes, graph = shapes_graph(), ontology_graph()
    targets = list(shapes.objects(None, SH.targetClass))
    assert {str(t).rsplit("#", 1)[-1] for t in targets} >= {"Region", "Document", "Evidence", "Platform", "Department",
                                                            "Task", "Goal", "DataExchange", "Initiative"}
    for target in targets:
        assert (target, RDF.type, OWL.Class) in graph, target
    for shape in set(shapes.subjects(SH.message, None)):
        assert {"zh", "en"} <= _langs(shapes, shape, SH.message), shape


def test_shapes_graph_is_itself_valid_shacl():
    from pyshacl import validate

    shacl_shacl = Graph()
    import pyshacl

    from pathlib import Path

    path = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    if not path.exists():
        pytest.skip("pySHACL does not ship shacl-shacl.ttl in this version")
    shacl_shacl.parse(path)
    conforms, _, text = validate(shapes_graph(), shacl_graph=shacl_shacl)
    assert conforms, text


def test_cue_words_come_from_the_ontology():
    assert {c.target for c in genre_cues()} == {"Plan", "ImplementationScheme", "ActionPlan", "Guidance", "Regulation", "Notice",
                                                "Measures", "AssessmentScheme", "Decision", "WorkReport", "Speech"}
    # every genre a title can name, the text can name too (本办法, 现提出如下意见, 各位代表)
    assert {c.target for c in body_cues()} == {c.target for c in genre_cues()}
    assert {c.target.rsplit("/", 1)[-1] for c in platform_kind_cues()} == {
        "app", "portal", "system", "code", "hotline", "cloud", "blockchain", "database", "network", "other"}
    comparators = {c.target.rsplit("#", 1)[-1] for c in text_cues()}
    assert {"atLeast", "moreThan", "reach", "planned", "existing"} <= comparators
    # Longest cue first, so 行动方案 is tried before 方案.
    words = [c.word for c in genre_cues()]
    assert words.index("行动方案") < words.index("方案")


def test_every_ontology_file_parses_and_lives_in_one_directory():
    directory = ontology_dir()
    for path in directory.glob("*.ttl"):
        Graph().parse(path, format="turtle")
    assert (directory / "divisions.csv").is_file()


ONTOLOGY_IRI = "https://w3id.org/govkg/ns"
SCHEME_FILES = {"fact-bases.ttl": "factBases", "comparators.ttl": "comparators", "statuses.ttl": "statuses",
                "initiatives.ttl": None, "platform-kinds.ttl": None}


def test_the_ontology_says_its_version_creator_licence_and_preferred_prefix():
    from rdflib import URIRef

    import kg
    from kg.core import iris

    graph = Graph().parse(ontology_dir() / "govkg.ttl", format="turtle")
    DCTERMS, VANN = Namespace("http://purl.org/dc/terms/"), Namespace("http://purl.org/vocab/vann/")
    ontology = URIRef(ONTOLOGY_IRI)
    assert str(graph.value(ontology, OWL.versionInfo)) == kg.__version__
    assert str(graph.value(ontology, OWL.versionIRI)) == f"{ONTOLOGY_IRI}/{kg.__version__}"
    creator = graph.value(ontology, DCTERMS.creator)
    assert creator is not None and graph.value(creator, Namespace("http://xmlns.com/foaf/0.1/").name) is not None
    assert graph.value(ontology, DCTERMS.license) is not None
    assert graph.value(ontology, DCTERMS.modified).datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")
    assert str(graph.value(ontology, VANN.preferredNamespacePrefix)) == "gk"
    assert str(graph.value(ontology, VANN.preferredNamespaceUri)) == iris.NS
    assert {"zh", "en"} <= _langs(graph, ontology, DCTERMS.title)


def test_the_ontology_file_holds_the_ontology_and_each_scheme_its_own_file():
    from kg.core.ontology import TURTLE_FILES

    DCTERMS = Namespace("http://purl.org/dc/terms/")
    core = Graph().parse(ontology_dir() / "govkg.ttl", format="turtle")
    assert not set(core.subjects(RDF.type, SKOS.ConceptScheme))
    assert not set(core.subjects(SKOS.inScheme, None))
    for name, local in SCHEME_FILES.items():
        assert name in TURTLE_FILES
        graph = Graph().parse(ontology_dir() / name, format="turtle")
        schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
        assert len(schemes) == 1, name
        scheme = schemes.pop()
        if local:
            assert scheme == GK[local]
        assert not set(graph.subjects(RDF.type, OWL.Ontology)), name
        for predicate in (DCTERMS.title, SKOS.prefLabel):
            assert {"zh", "en"} <= _langs(graph, scheme, predicate), (name, predicate)
        concepts = {s for s, o in graph.subject_objects(RDF.type) if o not in (SKOS.ConceptScheme,)}
        assert concepts and all((c, SKOS.inScheme, scheme) in graph for c in concepts), name


def test_the_ontology_graph_holds_exactly_what_rdflibs_own_parser_reads_in_its_files():
    """ontology_graph() parses with Oxigraph (rdflib's parser cost 0.6–1 s of every command that
    reads the ontology); rdflib's reading of the same files is the reference, term for term
    (literals' languages and datatypes included)."""
    from kg.core.ontology import TURTLE_FILES

    reference = Graph()
    for name in TURTLE_FILES:
        reference.parse(ontology_dir() / name, format="turtle")
    assert len(reference) > 4000
    assert set(ontology_graph()) == set(reference)


def test_a_broken_ontology_file_is_one_line_naming_the_file(tmp_path):
    from kg.core.errors import OntologyError
    from kg.core.ontology import _triples

    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix gk: <https://w3id.org/govkg/ns#> .\ngk:A a gk:B ;\n    gk:c \"unclosed .\n", encoding="utf-8")
    with pytest.raises(OntologyError) as raised:
        _triples(broken)
    assert str(broken) in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(OntologyError, match="missing"):
        _triples(tmp_path / "absent.ttl")
