"""Comparison reports: exact content on the hand-made fixture graph, agreement with the graph
and the export tables on the bundled sample, every output format, and the HTML in headless
Chromium (offline): quotes open from the matrix, and document text can never run as markup."""
import collections
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, Graph, URIRef

from conftest import ARTIFACTS, FIXTURES
from kg.outputs import report as kg_report
from kg.outputs.report.charts import _CJK_FAMILIES
from kg.core.errors import KGError, NotFoundError
from kg.query.tables import entity_rows
from kg.core.ontology import initiatives as vocabulary

GK = "https://w3id.org/govkg/ns#"
B = "https://w3id.org/govkg/"
SAMPLE_REGIONS = ["河南省", "湖北省", "哈尔滨市", "青岛市"]


@pytest.fixture(scope="module")
def sample_report(sample_graph):
    return kg_report.build_report(sample_graph)


@pytest.fixture(scope="module")
def sample_html(sample_report):
    return kg_report.render_report(sample_report, "html")


# ---------------------------------------------------------------- exact content on a hand-made graph


def test_fixture_graph_report_is_exact():
    """The fixture carries no ontology: kind, comparator and group labels come from kg.core.ontology."""
    graph = Graph().parse(FIXTURES / "export_fixture.ttl", format="turtle")
    report = kg_report.build_report(graph)
    henan, doc = B + "region/410000", B + "doc/fixture/0"
    title = "河南省数字政府建设实施方案（2023—2025年）"
    adopt_quote = kg_report.Quote(document=title, document_iri=doc, section="一、总体要求 › （一）政务服务",
                                  quote="推进“豫事办”一网通办。省大数据局牵头。", start=26, end=46)
    assert report.regions == [kg_report.RegionRef(iri=henan, label="河南省", code="410000", type="Province")]
    assert report.overview == [kg_report.RegionOverview(
        region=henan, label="河南省",
        documents=[kg_report.DocumentSummary(iri=doc, title=title, genre="实施方案", genre_class="ImplementationScheme",
                                             issuer="河南省人民政府", period="2023—2025", number="豫政〔2023〕1号",
                                             date="2023", date_basis="period")],
        initiatives=1, platforms=1, departments=2, tasks=1, goals=1)]
    one_network = B + "initiative/one-network-service"
    assert report.initiative_matrix == kg_report.InitiativeMatrix(
        regions=[henan],
        groups=[kg_report.MatrixGroup(iri=B + "initiative/government-services", label="政务服务",
                                      label_en="Government services",
                                      rows=[kg_report.MatrixRow(iri=one_network, label="一网通办",
                                                                label_en="One-Network Service", regions=[henan],
                                                                quotes={henan: [adopt_quote]},
                                                                more={henan: kg_report.More(0, 0)})])],
        shared_by_all=[], unique={henan: []})
    assert report.platforms == [kg_report.RegionPlatforms(
        region=henan, label="河南省", kinds={"移动应用": 1},
        platforms=[kg_report.PlatformSummary(iri=B + "platform/410000-aaaaaaaaaa", label="豫事办", kind="移动应用",
                                             kind_code="app", initiatives=["一网通办"])])]
    department = B + "department/410000-bbbbbbbbbb"
    assert report.departments == [kg_report.RegionUnits(
        region=henan, label="河南省", departments=2, tasks=1, tasks_with_lead=1,
        lead_units=[kg_report.UnitCount(iri=department, label="省大数据局", tasks=1)])]
    assert report.task_deadlines == [kg_report.TaskDeadline(
        iri=B + "task/fixture/0/1", region=henan, region_label="河南省", number="1", title="推进一网通办",
        deadlines=["2023-06-30", "2023-12-31"], deadline_text="2023年底前", lead_units=["省大数据局"])]
    goal_quote = kg_report.Quote(document=title, document_iri=doc, section="", quote="到2025年可办率达到95%以上。",
                                 start=46, end=63)
    assert report.goals == [kg_report.GoalSummary(
        iri=B + "goal/fixture/0/46-63", region=henan, region_label="河南省", indicator="政务服务事项网上可办率",
        comparator="不少于", value=95, value_max=None, unit="%", year=2025, quotes=[goal_quote])]
    assert report.similarity.matrix == [[1.0]] and report.similarity.most_alike == []
    assert report.diffusion.initiative == kg_report.Ref(one_network, "一网通办")
    assert report.diffusion.adopters == [kg_report.FirstAdoption(region=henan, label="河南省", code="410000", date="2023",
                                                                 date_basis="period", document=title, document_iri=doc)]
    assert [(t.label, t.regions, t.adopting, t.first) for t in report.diffusion.tiles if t.regions] == [("河南", 1, 1, "2023")]
    assert report.notes  # one region: the report says there is nothing to compare


def test_a_graph_without_governed_regions_is_an_error():
    graph = Graph().parse(data=f"<{B}doc/x/0> a <{GK}Article> ; <{GK}governsRegion> <{B}region/CN> .", format="turtle")
    with pytest.raises(KGError, match="no policy document"):
        kg_report.build_report(graph)


# ---------------------------------------------------------------- the bundled sample


def _policy_governed(graph) -> set[str]:
    query = """PREFIX gk: <https://w3id.org/govkg/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
               SELECT DISTINCT ?region WHERE { ?doc gk:governsRegion ?region ; a/rdfs:subClassOf* gk:PolicyDocument }"""
    return {str(row[0]) for row in graph.query(query)}


def test_default_regions_are_those_a_policy_document_governs(sample_graph, sample_report):
    assert [r.label for r in sample_report.regions] == SAMPLE_REGIONS
    assert {r.iri for r in sample_report.regions} == _policy_governed(sample_graph)
    assert [len(o.documents) for o in sample_report.overview] == [1, 1, 1, 1]
    assert [o.documents[0].genre for o in sample_report.overview] == ["实施方案", "行动方案", "实施方案", "规划"]


def _marks(report) -> dict[str, set[str]]:
    marks = collections.defaultdict(set)
    for group in report.initiative_matrix.groups:
        for row in group.rows:
            assert set(row.quotes) == set(row.regions)
            for region in row.regions:
                marks[region].add(row.iri)
    return marks


def test_matrix_agrees_with_adopts_triples_and_export_tables(sample_graph, sample_report):
    marks = _marks(sample_report)
    rows = {r["id"]: r for r in entity_rows(sample_graph)}
    for region in sample_report.regions:
        adopted = {str(i) for i in sample_graph.objects(URIRef(region.iri), URIRef(GK + "adopts"))}
        assert adopted and marks[region.iri] == adopted, region.label
        labels = {row.label for g in sample_report.initiative_matrix.groups for row in g.rows
                  if region.iri in row.regions}
        assert labels == set(rows[region.iri]["initiatives"]), region.label


def test_every_mark_quotes_its_adopts_assertion(sample_graph, sample_report):
    from kg.query.evidence import passage

    titles = {d.iri: d.title for o in sample_report.overview for d in o.documents}
    for group in sample_report.initiative_matrix.groups:
        for row in group.rows:
            for region, quotes in row.quotes.items():
                assert quotes, (region, row.label)
                (assertion,) = [a for a in sample_graph.subjects(RDF.subject, URIRef(region))
                                if (a, RDF.predicate, URIRef(GK + "adopts")) in sample_graph
                                and (a, RDF.object, URIRef(row.iri)) in sample_graph]
                exact = {passage(sample_graph, e).quote for e in sample_graph.objects(assertion, URIRef(GK + "evidence"))}
                assert {q.quote for q in quotes} == exact
                assert all(q.document == titles[q.document_iri] for q in quotes)


def test_matrix_groups_rows_by_broader_and_sorts_shared_first(sample_report):
    concepts = vocabulary()
    matrix = sample_report.initiative_matrix
    for group in matrix.groups:
        assert all(concepts[row.iri].broader == group.iri for row in group.rows)
        counts = [len(row.regions) for row in group.rows]
        assert counts == sorted(counts, reverse=True), group.label
    marks = _marks(sample_report)
    regions = [r.iri for r in sample_report.regions]
    assert {i.iri for i in matrix.shared_by_all} == set.intersection(*(marks[r] for r in regions))
    for region in regions:
        others = set().union(*(marks[r] for r in regions if r != region))
        assert {i.iri for i in matrix.unique[region]} == marks[region] - others
    assert matrix.shared_by_all  # 统一身份认证, 政务数据目录 ... appear in all four documents


def test_overview_platforms_and_goals_agree_with_export_tables(sample_graph, sample_report):
    rows = entity_rows(sample_graph)
    per_region = collections.Counter((r["type"], r["region"]) for r in rows)
    for overview, platforms in zip(sample_report.overview, sample_report.platforms):
        assert overview.platforms == per_region["Platform", overview.label] == len(platforms.platforms)
        assert overview.departments == per_region["Department", overview.label]
        assert overview.tasks == per_region["Task", overview.label]
        assert overview.goals == per_region["Goal", overview.label]
        assert sum(platforms.kinds.values()) == len(platforms.platforms)
    regions = {r.label for r in sample_report.regions}
    expected_goals = sorted((r["region"], r["indicator"], r["value"], r["value_max"], r["unit"], r["comparator"], r["year"])
                            for r in rows if r["type"] == "Goal" and r["region"] in regions)
    got_goals = sorted((g.region_label, g.indicator, g.value, g.value_max, g.unit, g.comparator, g.year)
                       for g in sample_report.goals)
    assert got_goals == expected_goals and got_goals
    years = [(g.year is None, g.year or 0) for g in sample_report.goals]
    assert years == sorted(years)
    tasks = {r["id"]: r for r in rows if r["type"] == "Task"}
    for task in sample_report.task_deadlines:
        assert task.deadlines == tasks[task.iri]["deadlines"]
    dated = [t.deadlines[0] for t in sample_report.task_deadlines if t.deadlines]
    assert dated and dated == sorted(dated)
    harbin = sample_report.departments[SAMPLE_REGIONS.index("哈尔滨市")]
    led = collections.Counter(u for t in tasks.values() if t["region"] == "哈尔滨市" for u in t["lead_units"])
    top = max(led.values())
    assert harbin.lead_units[0].tasks == top and led[harbin.lead_units[0].label] == top


def test_similarity_is_jaccard_of_adopted_initiatives(sample_graph, sample_report):
    sets = [{str(i) for i in sample_graph.objects(URIRef(r.iri), URIRef(GK + "adopts"))} for r in sample_report.regions]
    matrix = sample_report.similarity.matrix
    for i, a in enumerate(sets):
        for j, b in enumerate(sets):
            expected = 1.0 if i == j else len(a & b) / len(a | b)
            assert matrix[i][j] == pytest.approx(expected, abs=1e-4)
    off_diagonal = [matrix[i][j] for i in range(len(sets)) for j in range(len(sets)) if i < j]
    assert sample_report.similarity.most_alike[0].score == max(off_diagonal)
    assert sample_report.similarity.least_alike[0].score == min(off_diagonal)


def test_regions_and_initiatives_can_be_chosen(sample_graph):
    report = kg_report.build_report(sample_graph, regions=["青岛", "370200", "河南省"],
                                    initiatives=["一网通办", "数据要素"])
    assert [r.label for r in report.regions] == ["青岛市", "河南省"]
    data_factor = B + "initiative/data-factor"
    members = {iri for iri, c in vocabulary().items() if c.broader == data_factor}
    chosen = {i.iri for i in report.initiatives}
    assert chosen == members | {B + "initiative/one-network-service"}
    rows = {row.iri for g in report.initiative_matrix.groups for row in g.rows}
    assert rows == chosen  # requested initiatives are rows even when no region adopts them
    qingdao, henan = (URIRef(r.iri) for r in report.regions)
    a, b = ({str(i) for i in sample_graph.objects(r, URIRef(GK + "adopts"))} & chosen for r in (qingdao, henan))
    assert report.similarity.matrix[0][1] == pytest.approx(len(a & b) / len(a | b), abs=1e-4)
    with pytest.raises(NotFoundError):
        kg_report.build_report(sample_graph, regions=["不存在市"])


# ---------------------------------------------------------------- formats


def _cells(line: str) -> list[str]:
    """Cells of a Markdown table row: split at pipes not escaped by a backslash."""
    cells, current, escaped = [], "", False
    for char in line.strip()[1:-1] if line.strip().endswith("|") else line.strip()[1:]:
        if char == "|" and not escaped:
            cells.append(current)
            current = ""
        else:
            current += char
        escaped = char == "\\" and not escaped
    return cells + [current]


def _tables(markdown: str) -> list[list[str]]:
    tables, current = [], []
    for line in markdown.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def test_every_format_is_written(sample_graph, tmp_path):
    for name in ("report.md", "report.html", "report.json"):
        path = kg_report.write_report(sample_graph, path=tmp_path / name)
        assert path == tmp_path / name and path.stat().st_size > 1000
    assert kg_report.write_report(sample_graph, path=tmp_path / "r.txt", fmt="md").read_text(encoding="utf-8").startswith("# ")
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert set(kg_report.SECTIONS) <= set(data)
    assert [r["label"] for r in data["regions"]] == SAMPLE_REGIONS
    assert data["initiative_matrix"]["groups"][0]["rows"][0]["quotes"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary files
    with pytest.raises(KGError, match="report format"):
        kg_report.write_report(sample_graph, path=tmp_path / "report.pdf")
    with pytest.raises(KGError, match="unknown report format 'pdf'"):
        kg_report.render_report(kg_report.build_report(sample_graph), "pdf")


def test_markdown_tables_have_the_right_number_of_cells(sample_report):
    markdown = kg_report.render_report(sample_report, "md")
    tables = _tables(markdown)
    assert len(tables) >= 8
    for table in tables:
        width = len(_cells(table[0]))
        assert re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", table[1]), table[1]
        for line in table:
            assert len(_cells(line)) == width, line
    matrix = next(t for t in tables if t[0].startswith("| 举措 initiative |"))
    assert _cells(matrix[0])[1:-1] == [f" {name} " for name in SAMPLE_REGIONS]
    rows = [line for line in matrix[2:] if not line.startswith("| **")]
    assert len(rows) == sum(len(g.rows) for g in sample_report.initiative_matrix.groups)


@given(st.text(alphabet=st.sampled_from("|\\<>*_`[]~&\n 一网通办a"), max_size=30))
def test_md_escape_keeps_any_text_in_one_cell(text):
    escaped = kg_report.md_escape(text)
    assert len(_cells(f"| {escaped} | x |")) == 2
    assert "\n" not in escaped and not re.search(r"(?<!\\)[<>]", escaped)


def test_html_is_self_contained_and_deterministic(sample_report, sample_html):
    assert sample_html == kg_report.render_report(sample_report, "html")
    assert "<script" not in sample_html and not re.search(r"""(src|href)=["']?(https?:)?//""", sample_html)
    svgs = re.findall(r"<svg.*?</svg>", sample_html, flags=re.DOTALL)
    assert len(svgs) == 4  # timeline, diffusion curve, tile map, heatmap
    for svg in svgs:
        # Text stays text in the page's CJK fonts (installed ones, never web fonts): light and searchable.
        assert "<text" in svg and "@font-face" not in svg and "url(" not in svg.replace("url(#", "")
        families = {tuple(f.strip(" '") for f in value.split(","))
                    for value in re.findall(r"font-family: ([^;\"]+)", svg)}
        assert families and all(f[-1] == "sans-serif" and set(_CJK_FAMILIES) <= set(f) for f in families)
    ids = re.findall(r'\bid="([^"]+)"', sample_html)
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- in the browser


@pytest.fixture
def open_report(offline_page):
    return offline_page


def test_report_in_browser_opens_quotes_from_the_matrix(open_report, sample_report, sample_html):
    page = open_report(sample_html)
    matrix = page.locator("#initiative-matrix")
    assert matrix.locator("thead th[data-region]").all_inner_texts() == SAMPLE_REGIONS
    rows = matrix.locator("tr[data-initiative]")
    expected = [row.iri for g in sample_report.initiative_matrix.groups for row in g.rows]
    assert [rows.nth(i).get_attribute("data-initiative") for i in range(rows.count())] == expected
    assert matrix.locator("td.present").count() == sum(len(row.regions) for g in sample_report.initiative_matrix.groups
                                                        for row in g.rows)
    qingdao = sample_report.regions[SAMPLE_REGIONS.index("青岛市")].iri
    one_network = B + "initiative/one-network-service"
    row = next(r for g in sample_report.initiative_matrix.groups for r in g.rows if r.iri == one_network)
    cell = matrix.locator(f'tr[data-initiative="{one_network}"] td[data-region="{qingdao}"]')
    quote = cell.locator("p.quote").first
    assert not quote.is_visible()
    cell.locator("summary").click()
    assert quote.is_visible()
    assert quote.inner_text() == row.quotes[qingdao][0].quote
    assert page.locator("#departments svg.chart").is_visible() and page.locator("#similarity svg.chart").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    cell.locator(".quotes").screenshot(path=str(ARTIFACTS / "report-quote.png"))


XSS_PLAN = """某某

成都市数字政府建设实施方案（2024—2026年）

一、重点任务

1.推进一网通办。依托市一体化政务服务平台推进一网通办<script>window.pwned=1</script>，建设<img src=x onerror="window.pwned=1">“蓉易办<i>x</i>”平台。
"""


def test_document_text_is_shown_literally_never_run(open_report, tmp_path):
    from kg import api

    source = tmp_path / "plan.txt"
    source.write_text(XSS_PLAN, encoding="utf-8")
    graph = api.build([source], out_dir=None).state.graph
    report = kg_report.build_report(graph)
    assert [r.label for r in report.regions] == ["成都市"]
    markdown = kg_report.render_report(report, "md")
    assert "<script>" not in markdown and "<img" not in markdown and "<i>" not in markdown
    html = kg_report.render_report(report, "html")
    page = open_report(html)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("script, img, i").count() == 0
    cell = page.locator('#initiative-matrix tr[data-initiative$="one-network-service"] td.present')
    cell.locator("summary").click()
    shown = cell.locator(".quotes").inner_text()
    assert '<script>window.pwned=1</script>' in shown and '<img src=x onerror="window.pwned=1">' in shown
    assert "蓉易办<i>x</i>" in page.locator("table.platforms").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cell.locator(".quotes").screenshot(path=str(ARTIFACTS / "report-xss.png"))


def test_seriation_puts_alike_regions_side_by_side():
    from kg.outputs.report.charts import seriation

    # Two groups interleaved: 0, 2, 4 are alike, and 1, 3, 5.
    group = [0, 1, 0, 1, 0, 1]
    matrix = [[1.0 if i == j else (0.8 if group[i] == group[j] else 0.1) for j in range(6)] for i in range(6)]
    order = seriation(matrix)
    assert sorted(order) == list(range(6))
    assert [group[i] for i in order] in ([0, 0, 0, 1, 1, 1], [1, 1, 1, 0, 0, 0])


def test_the_heatmap_draws_the_regions_adopting_most(sample_graph, monkeypatch):
    from kg.outputs.report import build_report, charts

    report = build_report(sample_graph)
    adopting = {row.region: row.initiatives for row in report.overview}
    assert sorted(charts.heatmap_order(report)) == list(range(len(report.regions)))
    monkeypatch.setattr(charts, "HEATMAP_REGIONS", 2)
    drawn = [report.regions[i].iri for i in charts.heatmap_order(report)]
    assert sorted(adopting[r] for r in drawn) == sorted(adopting.values())[-2:]
    assert charts.heatmap_svg(report).startswith("<svg")


def test_the_nodes_of_a_region_by_class_are_those_of_its_gk_types(sample_graph, sample_report):
    """The report reads what is in a region in one query per region (#14): for each region and
    class, the subjects of gk:inRegion that have that gk: class, by IRI."""
    from kg.core import iris
    from kg.outputs.report.reading import _Reader

    reader = _Reader(sample_graph)
    in_region, seen = URIRef(iris.term("inRegion")), set()
    for region in sample_report.regions:
        node = URIRef(region.iri)
        for cls in ("Platform", "Task", "Department", "Goal"):
            expected = sorted((n for n in sample_graph.subjects(in_region, node)
                               if URIRef(iris.term(cls)) in set(sample_graph.objects(n, RDF.type))), key=str)
            assert reader.in_region(node, cls) == expected
            seen.update((cls, str(n)) for n in expected)
    assert {cls for cls, _ in seen} == {"Platform", "Task", "Department", "Goal"}
