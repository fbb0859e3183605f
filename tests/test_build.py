"""The main job on the bundled data: documents, regions, initiatives, evidence, determinism."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.core.errors import KGError
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from conftest import DATA, ROOT

GK = Namespace("https://w3id.org/govkg/ns#")
DCT = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")
REGION = "https://w3id.org/govkg/region/"


def _documents(graph):
    rows = {}
    for doc in graph.subjects(GK.startOffset, None):
        if (doc, RDF.type, GK.Evidence) in graph:
            continue
        genre = next(str(t).rsplit("#", 1)[-1] for t in graph.objects(doc, RDF.type))
        title = graph.value(doc, DCT.title)
        rows[str(title) if title else str(doc)] = {
            "genre": genre, "region": graph.value(doc, GK.governsRegion),
            "period": (graph.value(doc, GK.periodStart), graph.value(doc, GK.periodEnd))}
    return rows


@pytest.mark.parametrize("title_start, genre, code", [
    ("河南省加强数字政府建设实施方案", "ImplementationScheme", "410000"),
    ("2023年新型融合领域网络和数据安全", "ActionPlan", "420000"),
    ("哈尔滨市加快数字政府建设实施方案", "ImplementationScheme", "230100"),
    ("数字青岛发展规划", "Plan", "370200"),
])
def test_the_sample_plans_have_genre_region_and_period(sample_graph, title_start, genre, code):
    documents = _documents(sample_graph)
    (title,) = [t for t in documents if t.startswith(title_start)]
    row = documents[title]
    assert row["genre"] == genre
    assert str(row["region"]) == REGION + code
    if code != "420000":
        assert tuple(str(v) for v in row["period"]) == ("2023", "2025")
    else:
        assert tuple(str(v) for v in row["period"]) == ("2023", "2023")


def test_non_policy_pieces_are_articles(sample_graph):
    genres = [row["genre"] for row in _documents(sample_graph).values()]
    assert genres.count("Article") == 4
    assert len(genres) == 8


@pytest.mark.parametrize("code, parent, kind", [
    ("230100", "230000", "City"), ("370200", "370000", "City"), ("410000", "CN", "Province"), ("420000", "CN", "Province")])
def test_regions_carry_codes_and_parents(sample_graph, code, parent, kind):
    region = URIRef(REGION + code)
    assert (region, RDF.type, GK[kind]) in sample_graph
    assert str(sample_graph.value(region, GK.divisionCode)) == code
    assert sample_graph.value(region, SCHEMA.containedInPlace) == URIRef(REGION + parent)


def test_initiatives_adopted_per_region_match_the_check_set(sample_graph):
    from kg.core.ontology import initiatives

    checkset = json.loads((ROOT / "tests" / "checkset" / "initiatives_by_region.json").read_text(encoding="utf-8"))
    codes = {"河南省": "410000", "湖北省": "420000", "哈尔滨市": "230100", "青岛市": "370200"}
    by_label = {c.label: c.iri for c in initiatives().values()}
    for region, rows in checkset.items():
        adopted = {str(o) for o in sample_graph.objects(URIRef(REGION + codes[region]), GK.adopts)}
        expected = {by_label[row["initiative"]] for row in rows}
        recall = len(expected & adopted) / len(expected)
        assert recall >= 0.95, (region, sorted(expected - adopted))


def test_one_network_service_is_shared_by_exactly_the_plans_that_adopt_it(sample_graph):
    from kg.core.ontology import initiatives

    concept = next(c.iri for c in initiatives().values() if c.label == "一网通办")
    adopters = {str(s).rsplit("/", 1)[-1] for s in sample_graph.subjects(GK.adopts, URIRef(concept))}
    assert adopters == {"410000", "230100", "370200"}


def test_every_evidence_quote_is_the_source_text_at_its_offsets(sample_graph, sample_text):
    from kg.query.evidence import passage

    count = 0
    for evidence in sample_graph.subjects(RDF.type, GK.Evidence):
        found = passage(sample_graph, evidence)
        assert found.quote == sample_text[found.start:found.end]
        count += 1
    assert count > 500


def test_every_fact_has_evidence(sample_graph):
    for kind in ("Platform", "Department", "Task", "Assertion"):
        for subject in sample_graph.subjects(RDF.type, GK[kind]):
            assert (subject, GK.evidence, None) in sample_graph, (kind, subject)


def test_graph_conforms_to_the_shapes(sample_build):
    result, _ = sample_build
    assert result.conforms, [v for v in result.state.report.violations[:5]]


def test_outputs_parse_in_rdflib_and_pyoxigraph(sample_build):
    import pyoxigraph

    _, out = sample_build
    ttl = Graph().parse(out / "govkg.ttl", format="turtle")
    assert len(ttl) > 10000
    store = pyoxigraph.Store()
    store.bulk_load(path=str(out / "govkg.trig"), format=pyoxigraph.RdfFormat.TRIG)
    graphs = {str(g) for g in store.named_graphs()}
    assert "https://w3id.org/govkg/graph/newsletter_2023_19.txt" in {g.strip("<>") for g in graphs}
    assert not (out / "govkg.jsonld").exists()  # JSON-LD only on request


@pytest.mark.parametrize("store", [True, False])
def test_every_output_format_holds_the_same_statements(tmp_path, store):
    """--formats ttl,trig,jsonld,nq from a store and from memory: JSON-LD and Turtle hold the
    same statements, TriG and N-Quads the same quads; a later build without them removes them."""
    from kg import api

    out = tmp_path / "out"
    options = dict(out_dir=out, validate=False, store=out / "store" if store else None)
    result = api.build([DATA], formats=("ttl", "trig", "jsonld", "nq"), **options)
    assert sorted(p.name for p in result.state.written) == ["dataset.ttl", "govkg.jsonld", "govkg.nq", "govkg.trig", "govkg.ttl"]
    ttl = Graph().parse(out / "govkg.ttl", format="turtle")
    assert len(Graph().parse(out / "govkg.jsonld", format="json-ld")) == len(ttl) > 10000
    from rdflib import Dataset

    trig, nq = Dataset(), Dataset()
    trig.parse(out / "govkg.trig", format="trig")
    nq.parse(out / "govkg.nq", format="nquads")
    assert len(trig) == len(nq) and set(trig.quads()) == set(nq.quads())
    again = api.build([DATA], formats=("ttl",), **options)
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["dataset.ttl", "govkg.ttl"]
    assert sum("removed" in w for w in again.state.warnings) == 3
    with pytest.raises(KGError, match="unknown output format 'rdf'"):
        api.build([DATA], formats=("ttl", "rdf"), **options)


def test_turtle_is_byte_identical_across_runs_and_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "build", str(DATA), "--out", str(out), "--no-validate"],
                       check=True, cwd=tmp_path, env=env, capture_output=True)
        outputs.append((out / "govkg.ttl").read_bytes())
    assert outputs[0] == outputs[1]


def test_files_whose_names_differ_only_in_punctuation_case_or_extension_stay_apart(tmp_path):
    from kg import api

    text = "某市数字政府建设实施方案（2024—2026年）\n\n一、主要任务\n\n1.建设{}。\n"
    names = {"plan_a.txt": "甲平台", "plan-a.txt": "乙平台", "Plan.txt": "丙平台", "plan.md": "丁平台"}
    for name, platform in names.items():
        (tmp_path / name).write_text(text.format(platform), encoding="utf-8")
    from kg.store.graphstore import GraphStore

    out = tmp_path.parent / (tmp_path.name + "-out")
    api.build([tmp_path], out_dir=out, store=out / "store")
    stored = {k: v for k, v in GraphStore(out / "store", read_only=True).sources().items() if k != "(ontology)"}
    assert sorted(stored) == sorted(names)
    assert len({s.graph for s in stored.values()}) == len(names)  # four graphs, none replacing another
    again = api.build([tmp_path], out_dir=out, store=out / "store")
    assert sorted(again.state.unchanged) == sorted(names)  # and a rebuild finds each one unchanged
