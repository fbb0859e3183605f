"""The comparison report at many regions (#12): regions as seriated rows past a handful, folded
sections with counts, the diffusion view (first adoptions, tile map of provinces), the empty
cases, and a 30-region report from generated documents in headless Chromium (offline)."""
import pytest
from rdflib import RDF, Graph, URIRef

from conftest import ARTIFACTS
from kg.core.errors import KGError, NotFoundError
from kg.core.ontology import initiatives as vocabulary
from kg.outputs import report as kg_report

GK = "https://w3id.org/govkg/ns#"
B = "https://w3id.org/govkg/"


@pytest.fixture(scope="module")
def sample_report(sample_graph):
    return kg_report.build_report(sample_graph)


@pytest.fixture(scope="module")
def sample_html(sample_report):
    return kg_report.render_report(sample_report, "html")


@pytest.fixture
def open_report(offline_page):
    return offline_page


def _synthetic_graph(regions: dict) -> Graph:
    """Regions, each governed by documents that adopt initiatives, with evidence quoting them:
    ``{code: [(issued date or None, [initiative IRI ...]), ...]}`` (cities of real divisions)."""
    from rdflib import RDFS, XSD, Literal

    from kg.core.ontology import divisions

    gk, dc, oa = (lambda name, ns=ns: URIRef(ns + name) for ns in (GK, "http://purl.org/dc/terms/", "http://www.w3.org/ns/oa#"))
    graph = Graph()
    assertions = {}
    for code, documents in regions.items():
        region = URIRef(B + f"region/{code}")
        name = divisions()[code].name
        graph.add((region, RDF.type, gk("City")))
        graph.add((region, RDFS.label, Literal(name, lang="zh")))
        graph.add((region, gk("divisionCode"), Literal(code)))
        for index, (issued, adopted) in enumerate(documents):
            doc = URIRef(B + f"doc/synthetic/{code}-{index}")
            graph.add((doc, RDF.type, gk("ImplementationScheme")))
            graph.add((doc, dc("title"), Literal(f"{name}方案{index}", lang="zh")))
            graph.add((doc, gk("governsRegion"), region))
            if issued:
                graph.add((doc, dc("issued"), Literal(issued, datatype=XSD.date)))
            for initiative in adopted:
                graph.add((region, gk("adopts"), URIRef(initiative)))
                key = (code, initiative)
                if key not in assertions:
                    assertions[key] = URIRef(B + f"assertion/{code}-{initiative.rsplit('/', 1)[-1]}")
                    for p, o in ((RDF.subject, region), (RDF.predicate, gk("adopts")), (RDF.object, URIRef(initiative))):
                        graph.add((assertions[key], p, o))
                evidence = URIRef(B + f"evidence/synthetic/{code}-{index}-{initiative.rsplit('/', 1)[-1]}")
                graph.add((assertions[key], gk("evidence"), evidence))
                graph.add((evidence, gk("inDocument"), doc))
                graph.add((evidence, oa("exact"), Literal(f"{name}推进{initiative.rsplit('/', 1)[-1]}")))
                graph.add((evidence, oa("start"), Literal(0)))
                graph.add((evidence, oa("end"), Literal(5)))
    return graph


INITIATIVES = sorted(iri for iri, c in vocabulary().items() if c.broader)[:8]
HENAN_CITIES, HUBEI_CITIES = ("410100", "410200", "410300", "410400"), ("420100", "420200", "420300", "420500")


def test_every_province_has_its_own_tile():
    from kg.core.ontology import divisions, province_tiles

    tiles = province_tiles()
    assert set(tiles) == {code for code, d in divisions().items() if d.level == "province"}  # 34, Taiwan, HK, Macao too
    assert len({(t.row, t.col) for t in tiles.values()}) == len(tiles)
    assert all(t.label and t.label in divisions()[code].name for code, t in tiles.items())


def test_first_adoption_is_the_earliest_dated_document_and_cities_count_for_their_province():
    x, y = INITIATIVES[:2]
    graph = _synthetic_graph({"410100": [("2022-03-01", [x]), ("2021-06-30", [x])],
                              "410200": [(None, [x])],  # adopts, but no document is dated
                              "420100": [("2020-01-01", [y])],
                              "420200": [("2019-05-05", [])]})  # adopts nothing
    report = kg_report.build_report(graph)
    diffusion = report.diffusion
    assert diffusion.initiative.iri == x and diffusion.regions == 4  # the most adopted by default
    assert [(a.label, a.date, a.date_basis, a.document) for a in diffusion.adopters] == [
        ("郑州市", "2021-06-30", "issued", "郑州市方案1"), ("开封市", None, None, None)]
    tiles = {t.code: (t.regions, t.adopting, t.first) for t in diffusion.tiles if t.regions}
    assert tiles == {"410000": (2, 2, "2021-06-30"), "420000": (2, 0, None)}
    chosen = kg_report.build_report(graph, diffusion=vocabulary()[y].labels[0]).diffusion
    assert [(a.label, a.date) for a in chosen.adopters] == [("武汉市", "2020-01-01")]
    html = kg_report.render_report(report, "html")
    assert 'aria-label="' in html and html.count("<svg") == 3  # diffusion curve, tile map, heatmap (no deadlines)
    with pytest.raises(NotFoundError):
        kg_report.build_report(graph, diffusion="不存在的举措")


def test_many_regions_run_as_rows_with_alike_regions_and_initiatives_together():
    from kg.outputs.report import layout

    first, second = INITIATIVES[:4], INITIATIVES[4:]
    cities = [c for pair in zip(HENAN_CITIES, HUBEI_CITIES) for c in pair]  # interleaved: Henan's adopt `first`
    graph = _synthetic_graph({code: [("2023-01-01", first if code in HENAN_CITIES else second)] for code in cities})
    report = kg_report.build_report(graph)
    assert len(report.regions) == 8 > layout.MANY_REGIONS
    matrix = layout.matrix_layout(report)
    assert matrix.by_region and sorted(matrix.regions) == sorted(r.iri for r in report.regions)
    sides = [iri.rsplit("/", 1)[-1] in HENAN_CITIES for iri in matrix.regions]
    assert sides in ([True] * 4 + [False] * 4, [False] * 4 + [True] * 4)
    columns = [row.iri in first for row in matrix.initiatives]
    assert columns in ([True] * 4 + [False] * 4, [False] * 4 + [True] * 4)
    assert set(matrix.adopted.values()) == {4}
    few = kg_report.build_report(graph, regions=list(HENAN_CITIES[:2]))
    assert not layout.matrix_layout(few).by_region  # a handful of regions keeps them as columns


def test_folding_keeps_every_row_and_counts_the_rest(sample_report):
    from kg.outputs.report import layout

    for total in (0, 5, layout.FOLD_ROWS + layout.FOLD_SLACK, layout.FOLD_ROWS + layout.FOLD_SLACK + 1, 57):
        folded = layout.fold(range(total))
        assert folded.shown + folded.rest == list(range(total)) and folded.total == total
        assert len(folded.shown) == (total if total <= layout.FOLD_ROWS + layout.FOLD_SLACK else layout.FOLD_ROWS)
    groups = layout.goals_by_region(sample_report, limit=2)
    assert sum(g.goals.total for g in groups) == len(sample_report.goals)
    for group in groups:
        goals = group.goals.shown + group.goals.rest
        assert {g.region for g in goals} == {group.region} and group.indicators == len({g.indicator for g in goals})
        assert [g.indicator for g in goals] == sorted(g.indicator for g in goals)


def test_reports_without_adoptions_or_with_one_region_render(tmp_path):
    from kg.outputs.report import layout

    graph = _synthetic_graph({"410100": [("2023-01-01", [])], "410200": [(None, [])]})
    report = kg_report.build_report(graph)
    assert report.diffusion is None and report.initiative_matrix.groups == []
    for fmt in ("html", "md", "json"):
        assert "No region adopts an initiative" in kg_report.render_report(report, fmt) or fmt == "json"
    many = _synthetic_graph({code: [(None, [INITIATIVES[0]] if code == "410100" else [])]
                             for code in HENAN_CITIES + HUBEI_CITIES})
    report = kg_report.build_report(many)
    assert layout.matrix_layout(report).by_region
    html = kg_report.render_report(report, "html")
    assert html.count('<td class="present">') == 1 and "日期不详" in html  # adopted, undated: its own colour
    kg_report.render_report(report, "md")
    one = kg_report.build_report(many, regions=["410100"])
    assert one.notes and kg_report.render_report(one, "html").count('<td class="present"') == 1


# ---------------------------------------------------------------- quotes capped per mark (#14)


def _passages_graph() -> tuple[Graph, str, str]:
    """One city adopting one initiative and with one goal, each stated by seven passages (Web
    Annotations as a build writes them) in four documents: 规划B signed 2020-06-01 (one
    passage), 方案A and 方案D signed 2021-01-01 (two passages, at 50 and 10; one), 意见C undated
    (three). Returns the graph, the adoption's initiative and the goal."""
    from rdflib import RDFS, XSD, Literal

    gk, dc, oa = (lambda name, ns=ns: URIRef(ns + name) for ns in (GK, "http://purl.org/dc/terms/", "http://www.w3.org/ns/oa#"))
    graph = Graph()
    region, initiative = URIRef(B + "region/410100"), INITIATIVES[0]
    goal, assertion = URIRef(B + "goal/quotes/0"), URIRef(B + "assertion/quotes-0")
    graph.add((region, RDF.type, gk("City")))
    graph.add((region, RDFS.label, Literal("郑州市", lang="zh")))
    graph.add((region, gk("divisionCode"), Literal("410100")))
    graph.add((region, gk("adopts"), URIRef(initiative)))
    for p, o in ((RDF.subject, region), (RDF.predicate, gk("adopts")), (RDF.object, URIRef(initiative))):
        graph.add((assertion, p, o))
    graph.add((goal, RDF.type, gk("Goal")))
    graph.add((goal, gk("inRegion"), region))
    graph.add((goal, gk("indicator"), Literal("网上可办率")))
    documents = {"A": ("方案A", "2021-01-01", [50, 10]), "B": ("规划B", "2020-06-01", [7]),
                 "C": ("意见C", None, [1, 2, 3]), "D": ("方案D", "2021-01-01", [99])}
    for key, (title, issued, starts) in documents.items():
        doc = URIRef(B + f"doc/quotes-{key}/0")
        graph.add((doc, RDF.type, gk("ImplementationScheme")))
        graph.add((doc, dc("title"), Literal(title, lang="zh")))
        graph.add((doc, RDFS.label, Literal(title, lang="zh")))
        graph.add((doc, gk("governsRegion"), region))
        if issued:
            graph.add((doc, dc("issued"), Literal(issued, datatype=XSD.date)))
        for about in (assertion, goal):
            for start in starts:
                evidence = URIRef(B + f"evidence/quotes-{key}/{about.rsplit('/', 1)[-1]}/{start}")
                target, position, quote = (URIRef(f"{evidence}/{part}") for part in ("target", "position", "quote"))
                graph.add((about, gk("evidence"), evidence))
                graph.add((evidence, gk("inDocument"), doc))
                graph.add((evidence, oa("hasTarget"), target))
                graph.add((target, oa("hasSelector"), position))
                graph.add((target, oa("hasSelector"), quote))
                graph.add((position, oa("start"), Literal(start)))
                graph.add((position, oa("end"), Literal(start + 5)))
                graph.add((quote, oa("exact"), Literal(f"{key}{start}")))
    return graph, initiative, str(goal)


def test_quotes_are_capped_per_mark_earliest_documents_first_and_the_rest_counted():
    graph, initiative, goal = _passages_graph()
    expected = {3: (["B7", "A10", "A50"], kg_report.More(passages=4, documents=2)),  # 方案D and 意见C left out
                2: (["B7", "A10"], kg_report.More(passages=5, documents=3)),  # A at 50 too
                1: (["B7"], kg_report.More(passages=6, documents=3)),
                0: (["B7", "A10", "A50", "D99", "C1", "C2", "C3"], kg_report.More(0, 0))}  # 0: every quote; undated last
    for quotes, (listed, more) in expected.items():
        report = kg_report.build_report(graph, quotes=quotes)
        (row,) = [row for group in report.initiative_matrix.groups for row in group.rows]
        (region,) = row.regions
        assert [q.quote for q in row.quotes[region]] == listed, quotes
        assert row.more == {region: more}, quotes
        (summary,) = report.goals
        assert summary.iri == goal and [q.quote for q in summary.quotes] == listed and summary.more == more
        assert report.quotes_shown == (quotes or None)
        # Every document quoted counts for the first adoption, listed or not.
        assert (report.diffusion.adopters[0].date, report.diffusion.adopters[0].document) == ("2020-06-01", "规划B")
    assert kg_report.build_report(graph).quotes_shown == kg_report.QUOTES_SHOWN == 3
    with pytest.raises(KGError, match="quotes"):
        kg_report.build_report(graph, quotes=-1)


def test_the_quotes_left_out_are_stated_in_every_format():
    import json

    graph, _, _ = _passages_graph()
    report = kg_report.build_report(graph, quotes=2)
    html = kg_report.render_report(report, "html")
    # the mark and the goal each say what they leave out, and the page says how to list all
    assert html.count("另 5 段原文（3 份文件）未列出 · 5 more passages in 3 documents") == 2
    assert "每处至多列出 2 段原文" in html and "共 10 段未列出" in html and "--quotes 0" in html
    md = kg_report.render_report(report, "md")
    assert "至多列出 2 段原文" in md and "共 10 段未列出" in md and "--quotes 0 lists every one" in md
    data = json.loads(kg_report.render_report(report, "json"))
    assert data["quotes_shown"] == 2
    (row,) = data["initiative_matrix"]["groups"][0]["rows"]
    assert list(row["more"].values()) == [{"passages": 5, "documents": 3}]
    assert data["goals"][0]["more"] == {"passages": 5, "documents": 3}
    every = kg_report.build_report(graph, quotes=0)
    assert "未列出" not in kg_report.render_report(every, "html") and "至多" not in kg_report.render_report(every, "md")


def test_report_command_takes_quotes(tmp_path):
    import json

    from click.testing import CliRunner

    from kg.cli import main

    graph, _, _ = _passages_graph()
    graph.serialize(tmp_path / "graph.ttl", format="turtle")
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["report", "--graph", str(tmp_path / "graph.ttl"), "--quotes", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["quotes_shown"] == 1 and data["goals"][0]["more"] == {"passages": 6, "documents": 3}
    default = [p for p in main.commands["report"].params if p.name == "quotes"][0].default
    assert default == kg_report.QUOTES_SHOWN
    refused = CliRunner().invoke(main, ["report", "--graph", str(tmp_path / "graph.ttl"), "--quotes", "-1", "-o", str(out)])
    assert refused.exit_code == 2


# ---------------------------------------------------------------- 30 regions in the browser


@pytest.fixture(scope="session")
def thirty_regions(tmp_path_factory):
    """A report of 30 regions built from 32 generated documents (bench/gen_corpus.py, bundled
    templates only: the same everywhere), and its HTML."""
    from bench.gen_corpus import generate
    from kg import api

    work = tmp_path_factory.mktemp("thirty")
    generate(32, work / "corpus", bundled_only=True)
    graph = api.build([work / "corpus"], out_dir=None).state.graph
    report = kg_report.build_report(graph)
    assert len(report.regions) == 30
    return report, kg_report.render_report(report, "html")


def test_thirty_regions_fit_in_a_short_light_page(open_report, thirty_regions, sample_html):
    report, html = thirty_regions
    assert len(html.encode("utf-8")) < 2_000_000
    page = open_report(html)
    assert page.evaluate("document.body.scrollHeight") < 25_000
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # the matrix scrolls in its own box
    matrix = page.locator("#initiative-matrix")
    rows = matrix.locator("tbody tr[data-region]")
    assert rows.count() == 30 and matrix.locator("thead th[data-initiative]").count() == sum(
        len(g.rows) for g in report.initiative_matrix.groups)
    assert page.locator(".cards article.card").count() == 30
    sample = open_report(sample_html)
    assert sample.evaluate("document.body.scrollHeight") < 18_917  # the 4-region page measured before the change
    assert len(sample_html.encode("utf-8")) < 802_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-30.png"))


def test_thirty_regions_marks_open_their_quotes(open_report, thirty_regions):
    report, html = thirty_regions
    page = open_report(html)
    matrix = page.locator("#initiative-matrix")
    columns = matrix.locator("thead th[data-initiative]")
    initiatives = [columns.nth(i).get_attribute("data-initiative") for i in range(columns.count())]
    row = matrix.locator("tbody tr[data-region]").nth(3)
    region = row.get_attribute("data-region")
    cells = row.locator("td")
    index = next(i for i in range(len(initiatives)) if cells.nth(i).get_attribute("class") == "present")
    quotes = {r.iri: r for g in report.initiative_matrix.groups for r in g.rows}[initiatives[index]].quotes[region]
    mark = cells.nth(index)
    assert not mark.locator("p.quote").first.is_visible()
    mark.locator("summary").click()
    shown = mark.locator("p.quote").first
    assert shown.is_visible() and shown.inner_text() == quotes[0].quote
    box = mark.locator(".quotes").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 900  # in the viewport
    cite = mark.locator("footer a").first
    target = cite.get_attribute("href")
    assert page.locator(f".card {target}").count() == 1  # the document, listed on its region's card
    later = row.locator("td.present").nth(1)
    later.locator("summary").click()
    assert later.locator("p.quote").first.is_visible() and not shown.is_visible()  # one mark open at a time


def test_thirty_regions_folded_sections_show_counts_and_open(open_report, thirty_regions):
    report, html = thirty_regions
    page = open_report(html)
    platforms = max(report.platforms, key=lambda p: len(p.platforms))
    region = page.locator(f'#platforms details.region:has(table[data-region="{platforms.region}"])')
    summary = region.locator("> summary")
    assert f"{len(platforms.platforms)} 个平台" in summary.inner_text()
    table = region.locator("table.platforms").first
    assert not table.is_visible()  # with many regions each region's platforms start folded
    summary.click()
    assert table.is_visible() and table.locator("tbody tr").count() == 10
    more = region.locator("details.more")
    assert f"另 {len(platforms.platforms) - 10} 个平台" in more.locator("summary").inner_text()
    assert not more.locator("tbody tr").first.is_visible()
    more.locator("summary").click()
    assert more.locator("tbody tr").count() == len(platforms.platforms) - 10 and more.locator("tbody tr").first.is_visible()
    goals = page.locator("#goals details.region")
    with_goals = [o for o in report.overview if o.goals]
    assert goals.count() == len(with_goals)
    first = goals.first
    assert f"{with_goals[0].goals} 项目标" in first.locator("> summary").inner_text()
    first.locator("> summary").click()
    assert first.locator("tbody tr").first.is_visible()
    assert page.locator("#diffusion svg.chart").count() == 2 and page.locator("#diffusion svg.chart").first.is_visible()
