"""kg.outputs.analytics: projections with exact counts on a hand-written fixture, comparisons and
centrality on the fixture and the sample, GraphML/GEXF export, and name resolution errors."""
import json
import re
import subprocess
import sys

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

from conftest import FIXTURES, ROOT
from kg.outputs import analytics
from kg.core import iris
from kg.core.errors import NotFoundError, QueryError

HENAN, ZHENGZHOU, QINGDAO = iris.region("410000"), iris.region("410100"), iris.region("370200")
ONE_NETWORK = iris.INITIATIVE + "one-network-service"
ADOPTS = URIRef(iris.term("adopts"))


@pytest.fixture(scope="module")
def fixture_graph():
    return Graph().parse(FIXTURES / "analytics_fixture.ttl", format="turtle")


def _adopted(graph, region: str) -> set[str]:
    return {str(i) for i in graph.objects(URIRef(region), ADOPTS)}


@pytest.mark.parametrize("name, nodes, edges", [
    ("region-initiative", 8, 9),
    ("region-region", 3, 3),
    ("platform-initiative", 9, 7),
    ("department-task", 6, 4),
    ("policy", 14, 22),
])
def test_projection_sizes(fixture_graph, name, nodes, edges):
    network = analytics.projection(fixture_graph, name)
    assert (network.number_of_nodes(), network.number_of_edges()) == (nodes, edges)
    for _, data in network.nodes(data=True):
        assert all(isinstance(data[key], str) for key in ("label", "type", "region")), data


def test_projection_attributes(fixture_graph):
    regions = analytics.region_region_graph(fixture_graph)
    assert {frozenset((a, b)): d["weight"] for a, b, d in regions.edges(data=True)} == {
        frozenset((HENAN, ZHENGZHOU)): 3, frozenset((HENAN, QINGDAO)): 1, frozenset((ZHENGZHOU, QINGDAO)): 1}
    assert regions.edges[HENAN, ZHENGZHOU]["jaccard"] == pytest.approx(3 / 4)
    tasks = analytics.department_task_graph(fixture_graph)
    assert sorted(d["relation"] for _, _, d in tasks.edges(data=True)) == ["lead", "lead", "lead", "support"]
    platforms = analytics.platform_initiative_graph(fixture_graph)
    zhenghaoban = platforms.nodes[iris.BASE + "platform/410100-app"]
    assert (zhenghaoban["label"], zhenghaoban["type"], zhenghaoban["region"], zhenghaoban["kind"]) == ("郑好办", "Platform", "郑州市", "app")
    assert dict(platforms.nodes[ONE_NETWORK]) == {"bipartite": 1, "label": "一网通办", "type": "Initiative", "region": ""}
    bipartite = analytics.region_initiative_graph(fixture_graph)
    assert bipartite.nodes[HENAN]["type"] == "Province" and bipartite.nodes[ZHENGZHOU]["region"] == "郑州市"


def test_shared_on_the_fixture(fixture_graph):
    result = analytics.shared(fixture_graph, "一网通办")
    assert result.initiative == analytics.Named(ONE_NETWORK, "一网通办")
    assert [(r.region.label, r.code) for r in result.regions] == [("青岛市", "370200"), ("河南省", "410000"), ("郑州市", "410100")]
    by_label = {r.region.label: r for r in result.regions}
    assert [p.label for p in by_label["郑州市"].platforms] == ["郑好办", "郑州市政务服务网"]
    assert [p.label for p in by_label["河南省"].platforms] == ["河南政务服务网"]
    henan = by_label["河南省"].quote  # two passages state it: the first one is quoted
    assert (henan.start, henan.end, henan.document_title) == (40, 68, "河南省数字政府建设实施方案")
    assert henan.text == "全面推进政务服务“一网通办”，提升企业和群众办事便利度。" and henan.section.startswith("一、主要任务")
    for other in ("One-Network Service", "政务服务一网通办", ONE_NETWORK):
        assert analytics.shared(fixture_graph, other) == result


def test_shared_quotes_the_first_passage_with_a_quote_documents_in_natural_order(fixture_graph):
    """`shared` reads positions a document at a time (#14): a region whose first document (by
    natural order: 9 before 10) has only a passage without a quote is quoted from its next."""
    graph = Graph()
    for triple in fixture_graph:
        graph.add(triple)
    evidence = iris.BASE + "evidence/fixture/"
    in_document = URIRef(iris.term("inDocument"))
    graph.remove((URIRef(evidence + "1-40-68/quote"), None, None))
    graph.remove((URIRef(evidence + "1-40-68/target"), None, URIRef(evidence + "1-40-68/quote")))
    for passage, document in (("1-40-68", "9"), ("1-120-142", "10")):
        graph.remove((URIRef(evidence + passage), in_document, None))
        graph.add((URIRef(evidence + passage), in_document, URIRef(iris.BASE + "doc/fixture/" + document)))
    henan = next(r for r in analytics.shared(graph, "一网通办").regions if r.region.label == "河南省")
    assert (henan.quote.document, henan.quote.start, henan.quote.end) == (iris.BASE + "doc/fixture/10", 120, 142)
    assert henan.quote.text == "深化“一网通办”改革，推动高频事项全程网办。"
    graph.add((URIRef(evidence + "1-40-68/quote"), URIRef("http://www.w3.org/ns/oa#exact"), Literal("一网通办")))
    graph.add((URIRef(evidence + "1-40-68/target"), URIRef("http://www.w3.org/ns/oa#hasSelector"), URIRef(evidence + "1-40-68/quote")))
    henan = next(r for r in analytics.shared(graph, "一网通办").regions if r.region.label == "河南省")
    assert (henan.quote.document, henan.quote.start, henan.quote.text) == (iris.BASE + "doc/fixture/9", 40, "一网通办")


def test_shared_one_network_service_on_the_sample(sample_graph):
    result = analytics.shared(sample_graph, "一网通办")
    assert {r.region.label for r in result.regions} == {"河南省", "哈尔滨市", "青岛市"}
    for region in result.regions:
        assert region.quote is not None and "一网通办" in region.quote.text
        assert region.quote.end - region.quote.start == len(region.quote.text)
    # platforms only where a sentence says the platform carries it, not where both stand in one list
    # (the sample never says so of 一网通办)
    assert all(r.platforms == () for r in result.regions)
    served = analytics.shared(sample_graph, "跨省通办")
    henan = next(r for r in served.regions if r.region.label == "河南省")  # 依托省一体化政务服务平台，…实现…“跨省通办”
    assert "省一体化政务服务平台" in {p.label for p in henan.platforms}


def test_overlap_on_the_fixture(fixture_graph):
    result = analytics.overlap(fixture_graph, "河南", "郑州")
    assert [n.label for n in result.shared] == ["一网通办", "政务云", "电子证照"]
    assert [n.label for n in result.only_a] == ["一网统管"] and result.only_b == ()
    assert result.jaccard == pytest.approx(3 / 4)
    with pytest.raises(QueryError, match="same region"):
        analytics.overlap(fixture_graph, "郑州", "410100")


@pytest.mark.parametrize("a, b", [("河南", "青岛市"), ("哈尔滨", "湖北省"), ("370200", "230100")])
def test_overlap_agrees_with_the_adopts_triples(sample_graph, a, b):
    result = analytics.overlap(sample_graph, a, b)
    mine, theirs = _adopted(sample_graph, result.region_a.iri), _adopted(sample_graph, result.region_b.iri)
    assert {n.iri for n in result.shared} == mine & theirs
    assert {n.iri for n in result.only_a} == mine - theirs
    assert {n.iri for n in result.only_b} == theirs - mine
    assert all(n.label and not n.label.startswith("http") for n in result.shared + result.only_a + result.only_b)


def test_similar_on_the_fixture(fixture_graph):
    pairs = analytics.similar(fixture_graph, by="jaccard")
    assert [(p.a.label, p.b.label, p.shared) for p in pairs] == [("河南省", "郑州市", 3), ("郑州市", "青岛市", 1), ("河南省", "青岛市", 1)]
    assert [p.jaccard for p in pairs] == pytest.approx([3 / 4, 1 / 4, 1 / 5])
    # weighted = (jaccard + Ruzicka of platform-kind counts) / 2; every pair shares one kind of three
    assert [p.weighted for p in pairs] == pytest.approx([(3 / 4 + 1 / 3) / 2, (1 / 4 + 1 / 3) / 2, (1 / 5 + 1 / 3) / 2])
    assert [p.jaccard for p in analytics.similar(fixture_graph, alpha=1.0, by="jaccard")] == \
        [p.weighted for p in analytics.similar(fixture_graph, alpha=1.0, by="jaccard")]
    assert len(analytics.similar(fixture_graph, top=1)) == 1
    with pytest.raises(QueryError):
        analytics.similar(fixture_graph, by="cosine")


def test_similar_reads_the_kinds_of_the_pairs_shown_alone_with_the_same_scores(sample_graph):
    """Ranked by idf or Jaccard, `similar` reads the platform kinds of the pairs it shows only
    (#14); their weighted scores are those the ranking of every pair (all kinds read) gives."""
    for by in ("idf", "jaccard"):
        every = list(analytics.similar(sample_graph, top=None, by=by))
        shown = list(analytics.similar(sample_graph, top=2, by=by))
        assert shown == every[:2]
        assert any(pair.weighted != pair.jaccard for pair in shown)  # the kinds count in them


def test_similar_on_the_sample_is_bounded_symmetric_and_ranked(sample_graph):
    matrix = analytics.similarity_matrix(sample_graph)
    size = len(matrix.regions)
    assert size == 4
    for scores in (matrix.jaccard, matrix.weighted, matrix.idf):
        for i in range(size):
            assert scores[i][i] == 1.0
            for j in range(size):
                assert 0.0 <= scores[i][j] <= 1.0 and scores[i][j] == scores[j][i]
    index = {r.iri: i for i, r in enumerate(matrix.regions)}
    for by in ("idf", "jaccard", "weighted"):
        pairs = analytics.similar(sample_graph, top=None, by=by)
        assert len(pairs) == size * (size - 1) // 2
        assert [getattr(p, by) for p in pairs] == sorted((getattr(p, by) for p in pairs), reverse=True)
        for pair in pairs:
            assert pair.jaccard == pytest.approx(matrix.jaccard[index[pair.a.iri]][index[pair.b.iri]])
            assert pair.weighted == pytest.approx(matrix.weighted[index[pair.a.iri]][index[pair.b.iri]])
            assert pair.idf == pytest.approx(matrix.idf[index[pair.a.iri]][index[pair.b.iri]])


def test_central_on_the_fixture(fixture_graph):
    result = analytics.central(fixture_graph)
    assert [[n.label for n in c] for c in result.communities] == [["河南省", "郑州市", "青岛市"]]
    split = analytics.central(fixture_graph, resolution=1.5)
    assert [[n.label for n in c] for c in split.communities] == [["河南省", "郑州市"], ["青岛市"]]
    assert split.modularity == pytest.approx(-0.42)
    top = result.ranked("Initiative", top=1)[0]
    assert top.label == "一网通办" and top.degree == pytest.approx(7 / 13)  # 3 regions + 4 platforms of 13 others
    assert [n.label for n in result.ranked("Region", by="degree")] == ["河南省", "郑州市", "青岛市"]
    assert len(result.ranked("Platform")) == 6
    for node in result.nodes:
        assert 0.0 <= node.degree <= 1.0 and 0.0 <= node.betweenness <= 1.0 and 0.0 <= node.eigenvector <= 1.0


@pytest.mark.parametrize("network", [nx.karate_club_graph(), nx.gnm_random_graph(300, 900, seed=1),
                                     nx.barabasi_albert_graph(600, 4, seed=2), nx.path_graph(4)])
def test_betweenness_is_networkx_betweenness(network):
    from kg.outputs.analytics.centrality import _betweenness

    network = nx.relabel_nodes(network, {v: f"n{v}" for v in network})
    network.add_edge("n1", "n1")  # a self-loop is on no shortest path
    network.add_edge("alone-a", "alone-b")  # a second component: no paths across
    expected = nx.betweenness_centrality(network)
    found = _betweenness(network, None, 42)
    assert found == pytest.approx(expected, abs=1e-12)
    if tuple(int(p) for p in nx.__version__.split(".")[:2]) >= (3, 5):  # the scaling of samples changed in 3.5
        sampled = _betweenness(network, 3, 7)
        assert sampled == pytest.approx(nx.betweenness_centrality(network, k=3, seed=7), abs=1e-12)
        assert sampled != pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("resolution", [1.0, 1.5])
def test_modularity_on_the_matrix_is_networkx_modularity(resolution):
    import numpy as np

    from kg.outputs.analytics.centrality import modularity

    rng = np.random.default_rng(3)
    upper = np.triu(rng.integers(0, 6, size=(30, 30)) * (rng.random((30, 30)) < 0.4), k=1)
    shared = upper + upper.T
    network = nx.Graph()
    network.add_nodes_from(range(30))
    network.add_weighted_edges_from((a, b, int(shared[a, b])) for a, b in zip(*np.nonzero(upper)))
    groups = [list(range(0, 12)), list(range(12, 25)), list(range(25, 30))]
    expected = nx.community.modularity(network, [set(g) for g in groups], weight="weight", resolution=resolution)
    assert modularity(shared, groups, resolution) == pytest.approx(expected, abs=1e-12)


def test_communities_on_each_regions_strongest_ties_say_how_many(fixture_graph):
    """Louvain sees each region's COMMUNITY_TIES strongest ties when it has more; the result
    and the table say how many ties that is of all (the fixture: 河南省—郑州市 share 3, each
    of them shares 1 with 青岛市)."""
    from click.testing import CliRunner

    from kg.cli import main

    every = analytics.central(fixture_graph, community_ties=0)
    assert (every.ties_used, every.ties, every.ties_capped, every.community_ties) == (3, 3, False, None)
    default = analytics.central(fixture_graph)  # no region has more than COMMUNITY_TIES ties
    assert (default.communities, default.modularity, default.ties_used, default.community_ties) == \
        (every.communities, every.modularity, 3, None)
    capped = analytics.central(fixture_graph, community_ties=1)
    # 河南省 and 郑州市 keep their tie; 青岛市's two ties are equal: the one to the first IRI stays
    assert (capped.ties_used, capped.ties, capped.ties_capped, capped.community_ties) == (2, 3, True, 1)
    regions = analytics.region_region_graph(fixture_graph)
    groups = [{r.iri for r in community} for community in capped.communities]
    assert capped.modularity == pytest.approx(nx.community.modularity(regions, groups, weight="weight"))  # on every tie
    graph_file = FIXTURES / "analytics_fixture.ttl"
    table = CliRunner().invoke(main, ["central", "--graph", str(graph_file), "--community-ties", "1"])
    assert table.exit_code == 0 and "(found on each region's 1 strongest ties: 2 of 3 ties;" in table.output
    assert "strongest ties" not in CliRunner().invoke(main, ["central", "--graph", str(graph_file)]).output
    data = json.loads(CliRunner().invoke(main, ["central", "--graph", str(graph_file), "--community-ties", "1",
                                                "--format", "json"]).output)
    assert (data["community_ties"], data["ties_used"], data["ties"]) == (1, 2, 3)
    default = [p for p in main.commands["central"].params if p.name == "community_ties"][0].default
    assert default == analytics.COMMUNITY_TIES


def test_communities_repeat_across_runs(sample_graph):
    first, second = analytics.central(sample_graph), analytics.central(sample_graph)
    assert first.communities == second.communities and first.modularity == second.modularity
    assert [n.iri for n in first.ranked("Region")] == [n.iri for n in second.ranked("Region")]
    assert {n.type for n in first.nodes} >= {"Province", "City", "Initiative", "Platform"}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("name", sorted(analytics.PROJECTIONS))
def test_export_is_readable_by_networkx(fixture_graph, tmp_path, fmt, name):
    path = analytics.export_network(fixture_graph, tmp_path / f"{name}.{fmt}", fmt, network=name)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    network = analytics.projection(fixture_graph, name)
    assert (back.number_of_nodes(), back.number_of_edges()) == (network.number_of_nodes(), network.number_of_edges())
    for node, data in back.nodes(data=True):
        assert data["label"] == network.nodes[node]["label"]
        assert (data["type"], data["region"]) == (network.nodes[node]["type"], network.nodes[node]["region"])
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_rejects_unknown_formats_and_networks(fixture_graph, tmp_path):
    with pytest.raises(QueryError, match="graphml or gexf"):
        analytics.export_network(fixture_graph, tmp_path / "x.dot", "dot")
    with pytest.raises(QueryError, match="unknown network"):
        analytics.export_network(fixture_graph, tmp_path / "x.graphml", network="everything")


def test_export_of_the_sample_has_no_missing_values(sample_graph, tmp_path):
    path = analytics.export_network(sample_graph, tmp_path / "policy.graphml")
    assert ">None<" not in path.read_text(encoding="utf-8")
    assert nx.read_graphml(path).number_of_nodes() == analytics.policy_network(sample_graph).number_of_nodes()


def test_unknown_and_ambiguous_names(fixture_graph):
    with pytest.raises(NotFoundError, match="ambiguous") as ambiguous:
        analytics.shared(fixture_graph, "一网")
    assert len(ambiguous.value.candidates) == 2 and all("一网" in c for c in ambiguous.value.candidates)
    with pytest.raises(NotFoundError) as unknown:
        analytics.shared(fixture_graph, "一网通帮")
    assert "一网通办" in unknown.value.candidates
    with pytest.raises(NotFoundError):  # a region is not an initiative
        analytics.shared(fixture_graph, "河南")
    with pytest.raises(NotFoundError):  # an initiative is not a region
        analytics.overlap(fixture_graph, "一网通办", "河南")
    with pytest.raises(NotFoundError):
        analytics.overlap(fixture_graph, "河南", "开封")


def test_networkx_is_imported_only_by_analytics_and_the_graph_page_layout():
    code = ("import sys, kg, kg.api, kg.query.sparql, kg.query.lookup; "
            "assert 'networkx' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    imports = re.compile(r"^\s*(?:import|from)\s+networkx\b", re.MULTILINE)
    offenders = [p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("*.py")
                 if p.parent.name != "analytics" and imports.search(p.read_text(encoding="utf-8"))]
    assert offenders == ["kg/outputs/viz/layout.py"]


def test_overlap_of_two_regions_that_adopt_nothing(tmp_path):
    from kg import api

    (tmp_path / "a.txt").write_text("郑州市数据工作方案\n\n一、主要任务\n\n1.郑州市和开封市加强数据管理。郑州市、开封市要做好工作。\n",
                                    encoding="utf-8")
    graph = api.build([tmp_path], out_dir=None, validate=False).state.graph
    result = analytics.overlap(graph, "郑州市", "开封市")
    assert (result.shared, result.only_a, result.only_b, result.jaccard) == ((), (), (), 0.0)


def test_analysis_commands_write_csv_for_spreadsheets(sample_build):
    import csv
    import io

    from click.testing import CliRunner

    from kg.cli import main

    _, out = sample_build
    runner = CliRunner()

    def table(*args):
        result = runner.invoke(main, [*args, "--format", "csv", "--graph", str(out / "govkg.ttl")])
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.output)))

    shared = table("shared", "一网通办")
    assert {r["region_label"] for r in shared} >= {"哈尔滨市", "青岛市"} and all(r["quote"] for r in shared)
    overlap = table("overlap", "哈尔滨市", "青岛")
    assert {r["in"] for r in overlap} == {"both", "哈尔滨市", "青岛市"}
    pairs = table("similar", "--top", "3")
    assert len(pairs) == 3 and float(pairs[0]["jaccard"]) >= float(pairs[-1]["jaccard"])
    matrix = table("similar", "--matrix")
    assert [r["region"] for r in matrix] == [k for k in matrix[0] if k != "region"]
    nodes = table("central")
    assert {"City", "Province", "Initiative"} <= {r["type"] for r in nodes}
    assert {r["label"] for r in nodes if r["community"]} == {"哈尔滨市", "青岛市", "河南省", "湖北省"}


def test_idf_similarity_discounts_what_every_region_adopts_and_names_what_drove_it(sample_graph):
    from kg.outputs.analytics.comparisons import _profiles, _rarity

    regions, adopted = _profiles(sample_graph)
    weights = _rarity(adopted)
    everywhere = set.intersection(*adopted.values())
    in_two = {i for i in weights if sum(i in a for a in adopted.values()) == 2}
    assert everywhere and in_two and max(weights[i] for i in everywhere) < min(weights[i] for i in in_two)
    for pair in analytics.similar(sample_graph, top=None):
        both = adopted[pair.a.iri] & adopted[pair.b.iri]
        drivers = [d.iri for d in pair.drivers]
        assert set(drivers) <= both and len(drivers) == min(3, len(both))
        assert [weights[d] for d in drivers] == sorted((weights[d] for d in drivers), reverse=True)
        assert max(weights[i] for i in both - set(drivers)) <= min(weights[d] for d in drivers)
        assert pair.idf <= 1.0 and all(d.label and not d.label.startswith("http") for d in pair.drivers)
    # Adopted by all four regions, the common initiatives lift plain Jaccard more than idf.
    top = analytics.similar(sample_graph, top=None)
    assert all(p.idf < p.jaccard for p in top)


def test_central_says_when_communities_are_weak(sample_build):
    from click.testing import CliRunner

    from kg.cli import main

    _, out = sample_build
    result = CliRunner().invoke(main, ["central", "--graph", str(out / "govkg.ttl")])
    assert result.exit_code == 0
    assert "modularity" in result.output
    weak = "(weak: modularity below 0.3" in result.output
    modularity = float(result.output.split("modularity ")[1].split(",")[0])
    assert weak == (modularity < analytics.WEAK_MODULARITY)


@pytest.mark.parametrize("text, regions", [
    ("郑州市数字政府建设实施方案\n一、主要任务\n（一）推进一网通办。依托“郑好办”推进一网通办。（牵头单位：市大数据局）\n", 1),
    ("关于数字化的一些思考\n数字化改变生活。人们越来越多地使用手机。\n", 0),
])
def test_analysis_commands_say_what_is_missing_on_one_region_or_none(tmp_path, text, regions):
    """One region, or no region at all: every command answers (exit 0) and says why it has
    nothing to show, instead of printing nothing (#12)."""
    from click.testing import CliRunner

    from kg import api
    from kg.cli import main

    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    api.build([tmp_path / "a.txt"], out_dir=tmp_path / "out", validate=False)
    graph = str(tmp_path / "out" / "govkg.ttl")
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(main, [*args, "--graph", graph])
        assert result.exit_code == 0, result.output
        return result.output

    assert "no pairs to compare" in run("similar")
    matrix = run("similar", "--matrix")
    assert ("nothing to compare" in matrix) == (regions == 0)
    assert ("no network to rank" in run("central")) == (regions == 0)
    if regions:
        assert "开封市 adopts no initiative in this graph" in run("overlap", "郑州市", "开封市")
    assert "region(s)" in run("shared", "一网通办")


# ---------------------------------------------------------------------------------- GEXF 1.3 for Gephi

GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"


@pytest.fixture(scope="module")
def gexf_schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(FIXTURES / "gexf-1.3" / "gexf.xsd")))


def _gexf(network):
    from lxml import etree

    return etree.fromstring(analytics.network_bytes(network, "gexf"))


def _style_ttl() -> dict[str, tuple[tuple[int, int, int], float]]:
    """Colour and size per class, read from ontology/style.ttl here, not through govkg."""
    style = Graph().parse(ROOT / "ontology" / "style.ttl", format="turtle")
    found = {}
    for cls, colour in style.subject_objects(URIRef(iris.term("styleColor"))):
        hex_ = str(colour).lstrip("#")
        size = style.value(cls, URIRef(iris.term("styleSize")))
        found[str(cls).rsplit("#", 1)[-1]] = (tuple(int(hex_[i:i + 2], 16) for i in (0, 2, 4)), float(size))
    return found


@pytest.mark.parametrize("name", sorted(analytics.PROJECTIONS))
def test_gexf_is_version_1_3_and_valid_against_its_schema(fixture_graph, gexf_schema, name):
    document = _gexf(analytics.projection(fixture_graph, name))
    assert document.tag == GEXF + "gexf" and document.get("version") == "1.3"
    assert gexf_schema.validate(document), gexf_schema.error_log


def test_the_gexf_schema_rejects_what_gephi_would_misread(fixture_graph, gexf_schema):
    from lxml import etree

    network = analytics.projection(fixture_graph, "policy")
    assert not gexf_schema.validate(etree.fromstring("\n".join(nx.generate_gexf(network)).encode()))  # 1.2draft
    document = _gexf(network)
    document.find(f"{GEXF}graph/{GEXF}nodes/{GEXF}node/{VIZ}color").set("r", "300")
    assert not gexf_schema.validate(document)
    document = _gexf(network)
    document.find(f"{GEXF}graph/{GEXF}edges/{GEXF}edge").set("type", "sideways")
    assert not gexf_schema.validate(document)


def test_gexf_colours_and_sizes_come_from_style_ttl(sample_graph):
    styles = _style_ttl()
    network = analytics.policy_network(sample_graph)
    document = _gexf(network)
    nodes = document.findall(f"{GEXF}graph/{GEXF}nodes/{GEXF}node")
    assert len(nodes) == network.number_of_nodes()
    seen = set()
    for node in nodes:
        type_ = network.nodes[node.get("id")]["type"]
        colour, size = styles[type_]
        viz_colour = node.find(VIZ + "color")
        assert tuple(int(viz_colour.get(c)) for c in "rgb") == colour
        assert float(node.find(VIZ + "size").get("value")) == size
        seen.add(type_)
    assert {"Province", "City", "Initiative", "Platform"} <= seen


def test_gexf_edges_point_from_the_relations_source_and_carry_weights(fixture_graph):
    region_types = set(analytics.results._family("Region"))
    expected_source = {"adopts": region_types, "serves": {"Platform"}, "inRegion": {"Platform"},
                       "lead": {"Department"}, "support": {"Department"}}
    for name in ("policy", "region-initiative", "platform-initiative", "department-task"):
        network = analytics.projection(fixture_graph, name)
        graph = _gexf(network).find(GEXF + "graph")
        assert graph.get("defaultedgetype") == "directed"
        edges = graph.findall(f"{GEXF}edges/{GEXF}edge")
        assert len(edges) == network.number_of_edges()
        for edge in edges:
            assert edge.get("type") == "directed" and float(edge.get("weight")) == 1.0
            assert network.nodes[edge.get("source")]["type"] in expected_source[edge.get("label")]
    regions = analytics.projection(fixture_graph, "region-region")
    graph = _gexf(regions).find(GEXF + "graph")
    assert graph.get("defaultedgetype") == "undirected"
    weights = {frozenset((e.get("source"), e.get("target"))): float(e.get("weight"))
               for e in graph.findall(f"{GEXF}edges/{GEXF}edge") if e.get("type") == "undirected"}
    assert weights == {frozenset((a, b)): float(d["weight"]) for a, b, d in regions.edges(data=True)}
    assert weights[frozenset((HENAN, ZHENGZHOU))] == 3.0


def test_gexf_drops_characters_xml_cannot_hold(fixture_graph, gexf_schema):
    network = analytics.projection(fixture_graph, "region-region")
    network.nodes[HENAN]["label"] = "河南\x0b省 <&>"
    document = _gexf(network)
    assert gexf_schema.validate(document)
    assert document.find(f"{GEXF}graph/{GEXF}nodes/{GEXF}node[@id='{HENAN}']").get("label") == "河南省 <&>"


# ---------------------------------------------------------------------------------- results in notebooks

def test_results_give_data_frames_with_their_rows(fixture_graph):
    shared = analytics.shared(fixture_graph, "一网通办")
    frame = shared.to_frame()
    assert list(frame.columns) == list(analytics.SharedResult.columns)
    assert frame.to_dict("records") == shared.rows()
    pairs = analytics.similar(fixture_graph, top=None)
    assert pairs.to_frame()[["a", "b", "idf"]].values.tolist() == [[p.a.iri, p.b.iri, round(p.idf, 4)] for p in pairs]
    central = analytics.central(fixture_graph)
    assert len(central.to_frame()) == len(central.nodes)
    matrix = analytics.similarity_matrix(fixture_graph).to_frame("jaccard")
    assert matrix.loc["河南省", "郑州市"] == pytest.approx(0.75) and matrix.loc["青岛市", "青岛市"] == 1.0
    empty = analytics.SharedResult(initiative=analytics.Named("x", "x"), regions=())
    assert list(empty.to_frame().columns) == list(analytics.SharedResult.columns) and empty.to_frame().empty


def test_results_give_the_networks_they_were_computed_on(fixture_graph):
    central = analytics.central(fixture_graph)
    policy = analytics.policy_network(fixture_graph)
    network = central.to_networkx()
    assert set(network.nodes) == set(policy.nodes)
    assert {frozenset(e) for e in network.edges} == {frozenset(e) for e in policy.edges}
    assert network.nodes[HENAN]["community"] == 1 and network.nodes[HENAN]["eigenvector"] > 0
    pairs = analytics.similar(fixture_graph, top=None, by="jaccard")
    likeness = pairs.to_networkx()
    assert likeness.number_of_edges() == len(pairs) == 3
    assert likeness.edges[HENAN, ZHENGZHOU]["weight"] == pytest.approx(0.75)
    overlap = analytics.overlap(fixture_graph, "河南省", "郑州市")
    both = overlap.to_networkx()
    assert both.is_directed() and both.number_of_edges() == 2 * len(overlap.shared) + len(overlap.only_a) + len(overlap.only_b)
    assert set(both.successors(HENAN)) == _adopted(fixture_graph, HENAN)


def test_results_show_as_short_reprs_and_escaped_html(fixture_graph):
    results = [analytics.shared(fixture_graph, "一网通办"), analytics.overlap(fixture_graph, "河南省", "青岛"),
               analytics.similar(fixture_graph), analytics.similarity_matrix(fixture_graph), analytics.central(fixture_graph)]
    for result in results:
        assert len(repr(result)) < 120 and "\n" not in repr(result)
        assert result._repr_html_().startswith("<table>")
    assert repr(results[0]) == "SharedResult(一网通办: 3 regions)"
    hostile = analytics.OverlapResult(region_a=analytics.Named("a", "<script>"), region_b=analytics.Named("b", "b"),
                                      shared=(), only_a=(analytics.Named("i", "x&y"),), only_b=())
    html = hostile._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "x&amp;y" in html


def test_to_frame_without_pandas_names_the_extra(fixture_graph, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'govkg[frames]'")):
        analytics.shared(fixture_graph, "一网通办").to_frame()


def test_central_says_when_betweenness_is_estimated(sample_build, monkeypatch):
    """Past EXACT_BETWEENNESS_LIMIT nodes betweenness comes from sampled sources, and the
    text output says so; below it, nothing is said."""
    from click.testing import CliRunner

    import kg.outputs.analytics.centrality as centrality
    from kg.cli import main

    _, out = sample_build
    exact = CliRunner().invoke(main, ["central", "--graph", str(out / "govkg.ttl")])
    assert exact.exit_code == 0 and "sampled source nodes" not in exact.output
    monkeypatch.setattr(centrality, "EXACT_BETWEENNESS_LIMIT", 10)
    sampled = CliRunner().invoke(main, ["central", "--graph", str(out / "govkg.ttl")])
    assert sampled.exit_code == 0
    assert re.search(r"\(betweenness estimated from 100 sampled source nodes, seed \d+: the network has [\d,]+ nodes\)",
                     sampled.output)


def test_oriented_edges_are_each_edge_oriented(sample_graph):
    from kg.outputs.analytics.networks import oriented, oriented_edges, policy_network

    network = policy_network(sample_graph)
    expected = sorted((*oriented(network, u, v)[:2], d["relation"]) for u, v, d in network.edges(data=True))
    assert expected and sorted(oriented_edges(network)) == expected
