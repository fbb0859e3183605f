"""Interactive graph pages: what each view holds (checked against triple patterns of the
graph), the page is self-contained and deterministic, and in headless Chromium (offline):
it settles, counts, searches, filters, opens evidence, and never runs document text."""
import base64
import collections
import hashlib
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from rdflib import RDF, Graph, URIRef

from conftest import ARTIFACTS, ROOT
from kg.core import iris
from kg.outputs import viz
from kg.core.errors import NotFoundError, QueryError
from kg.query.tables import entity_rows, region_types
from kg.query.lookup import evidence_of, label_of
from kg.outputs.viz import VizOptions
from kg.outputs.viz.page_data import EVIDENCE_SHOWN

GK = iris.NS
ONE_NETWORK = iris.INITIATIVE + "one-network-service"
QINGDAO = iris.region("370200")
VIEWS = [v.value for v in viz.View]


@pytest.fixture(scope="module")
def views(sample_graph):
    return {name: viz.view_graph(sample_graph, options=VizOptions(view=name)) for name in VIEWS}


@pytest.fixture(scope="module")
def pages(sample_graph):
    return {name: viz.render_graph(sample_graph, options=VizOptions(view=name)) for name in VIEWS}


def _pairs(graph, local: str) -> set[tuple[str, str]]:
    return {(str(s), str(o)) for s, o in graph.subject_objects(URIRef(GK + local))}


def _types(view) -> set[str]:
    return {n.type for n in view.nodes.values()}


# ---------------------------------------------------------------- what each view holds


def test_shared_view_is_regions_and_the_initiatives_they_share(sample_graph, views):
    view = views["shared"]
    adopts = _pairs(sample_graph, "adopts")
    adopters = collections.Counter(o for _, o in adopts)
    shared = {(s, o) for s, o in adopts if adopters[o] >= 2}
    assert {(e.source, e.target) for e in view.edges} == shared and len(shared) < len(adopts)
    assert {e.predicate for e in view.edges} == {GK + "adopts"}
    assert set(view.nodes) == {s for s, _ in shared} | {o for _, o in shared}
    left_out = {o for _, o in adopts if adopters[o] < 2} | ({s for s, _ in adopts} - {s for s, _ in shared})
    assert view.left_out == len(left_out) > 0 and "--focus" in view.left_out_note
    assert _types(view) <= region_types() | {"Initiative"}
    sizes = {iri: view.nodes[iri].size for iri in view.nodes if iri in adopters}
    assert all(sizes[a] < sizes[b] for a in sizes for b in sizes if adopters[a] < adopters[b])
    assert min(sizes.values()) == viz.SMALLEST and max(sizes.values()) == viz.LARGEST  # the whole range is used
    adopting = collections.Counter(s for s, _ in shared)  # regions grow with the shared initiatives they adopt
    assert all(view.nodes[a].size < view.nodes[b].size for a in adopting for b in adopting if adopting[a] < adopting[b])
    assert view.nodes[ONE_NETWORK].label_en == "One-Network Service" and view.by_community


def test_shared_view_of_one_region_keeps_what_it_adopts(sample_graph):
    view = viz.view_graph(sample_graph, options=VizOptions(regions=("青岛",)))
    adopted = {o for s, o in _pairs(sample_graph, "adopts") if s == QINGDAO}
    assert set(view.nodes) == adopted | {QINGDAO} and view.left_out == 0


def test_layout_and_communities_are_fixed(views):
    view = views["shared"]
    positions = viz.layout_positions(view)
    assert positions == viz.layout_positions(view) and set(positions) == set(view.nodes)
    assert len(set(positions.values())) == len(positions)
    near = [(a, b) for a in view.nodes for b in view.nodes if a < b
            and (positions[a][0] - positions[b][0]) ** 2 + (positions[a][1] - positions[b][1]) ** 2
            < (view.nodes[a].size + view.nodes[b].size) ** 2 * 0.8]
    assert near == []  # no node hides another
    groups, modularity = viz.communities(view)
    assert set(groups) == set(view.nodes) and (groups, modularity) == viz.communities(view)
    assert -0.5 <= modularity <= 1


def test_shared_view_focused_on_an_initiative(sample_graph):
    # the sample never says which platform carries 一网通办; it does say so of 政务云
    cloud = "https://w3id.org/govkg/initiative/government-cloud"
    view = viz.view_graph(sample_graph, options=VizOptions(focus=("政务云",)))
    regions = {s for s, o in _pairs(sample_graph, "adopts") if o == cloud}
    in_region = _pairs(sample_graph, "inRegion")
    platforms = {p for p, o in _pairs(sample_graph, "serves") if o == cloud
                 and any((p, r) in in_region for r in regions)}
    assert len(regions) == 3 and platforms
    assert set(view.nodes) == {cloud} | regions | platforms
    assert {n.type for iri, n in view.nodes.items() if iri in platforms} == {"Platform"}
    assert {(e.source, e.target) for e in view.edges if e.predicate == GK + "serves"} == {(p, cloud) for p in platforms}


def test_platforms_view(sample_graph, views):
    view = views["platforms"]
    platforms = {str(s) for s in sample_graph.subjects(RDF.type, URIRef(GK + "Platform"))}
    assert platforms <= set(view.nodes)
    assert {e.predicate for e in view.edges} == {GK + "inRegion", GK + "serves"}
    assert all(e.source in platforms for e in view.edges)
    assert _types(view) <= region_types() | {"Platform", "Initiative"}
    expected = {(p, o) for p, o in _pairs(sample_graph, "serves") if p in platforms and p in view.nodes}
    assert {(e.source, e.target) for e in view.edges if e.predicate == GK + "serves"} == expected


def test_tasks_view_dashes_supporting_units(sample_graph, views):
    view = views["tasks"]
    lead, support = _pairs(sample_graph, "leadUnit"), _pairs(sample_graph, "supportUnit")
    edges = {(e.source, e.target, e.predicate): e for e in view.edges}
    assert {(s, o) for s, o, p in edges if p == GK + "leadUnit"} == lead
    assert {(s, o) for s, o, p in edges if p == GK + "supportUnit"} == support
    assert all(e.dashed == (e.predicate == GK + "supportUnit") for e in view.edges)
    assert {"Task", "Department"} <= _types(view)
    assert all(n.type not in region_types() for n in view.nodes.values())


def test_full_view_is_every_entity_and_no_evidence(sample_graph, views):
    view = views["full"]
    assert set(view.nodes) == {row["id"] for row in entity_rows(sample_graph)}
    evidence_like = {str(s) for t in ("Evidence", "Assertion") for s in sample_graph.subjects(RDF.type, URIRef(GK + t))}
    assert not evidence_like & set(view.nodes)
    assert not view.capped and view.total == len(view.nodes)


def test_full_view_is_capped_to_the_most_connected(views, sample_graph):
    capped = viz.view_graph(sample_graph, options=VizOptions(view="full", max_nodes=50))
    full = views["full"]
    assert len(capped.nodes) == 50 and capped.total == len(full.nodes) and capped.capped
    degree = collections.Counter([e.source for e in full.edges] + [e.target for e in full.edges])
    assert min(degree[n] for n in capped.nodes) >= max(degree[n] for n in full.nodes if n not in capped.nodes)
    assert all(e.source in capped.nodes and e.target in capped.nodes for e in capped.edges)
    html = viz.render_graph(sample_graph, options=VizOptions(view="full", max_nodes=50))
    assert re.search(r'id="cap-note"[^>]*>[^<]*50[^<]*' + str(capped.total), html)


def test_links_are_capped_each_node_keeping_its_strongest_and_the_page_says_so(views, sample_graph):
    full = views["full"]
    limit = len(full.nodes)  # enough for one link each
    assert len(full.edges) > limit and full.edge_total == len(full.edges) and not full.edges_capped
    capped = viz.view_graph(sample_graph, options=VizOptions(view="full", max_edges=limit))
    assert len(capped.edges) == limit and capped.edge_total == len(full.edges) and capped.edges_capped
    assert set(capped.edges) <= set(full.edges) and capped.nodes.keys() == full.nodes.keys()
    linked = {e.source for e in full.edges} | {e.target for e in full.edges}
    assert linked <= {e.source for e in capped.edges} | {e.target for e in capped.edges}  # no node loses every link
    # the rest of the cap goes to the links between the most connected nodes
    degree = collections.Counter([e.source for e in full.edges] + [e.target for e in full.edges])
    strength = sorted(min(degree[e.source], degree[e.target]) for e in capped.edges)
    assert strength[-1] == max(min(degree[e.source], degree[e.target]) for e in full.edges)
    shared = views["shared"]
    cut = viz.view_graph(sample_graph, options=VizOptions(max_edges=5))
    assert len(cut.edges) == 5 < len(shared.edges) == cut.edge_total
    assert {n.size for n in shared.nodes.values()} != {None}  # sizes count every link, drawn or not
    assert [(n.size, n.count) for n in cut.nodes.values()] == [(n.size, n.count) for n in shared.nodes.values()]
    again = viz.view_graph(sample_graph, options=VizOptions(view="full", max_edges=limit))
    assert again.edges == capped.edges  # the same links every run
    html = viz.render_graph(sample_graph, options=VizOptions(view="full", max_edges=limit))
    assert re.search(rf'id="edge-cap-note"[^>]*>[^<]*showing {limit} of {len(full.edges)} links \(--max-edges {limit}', html)
    assert 'id="edge-cap-note"' not in viz.render_graph(sample_graph, options=VizOptions(view="full", max_edges=0))
    assert viz.view_graph(sample_graph, options=VizOptions(view="full", max_edges=0)).edges == full.edges
    few = viz.view_graph(sample_graph, options=VizOptions(view="full", max_edges=3))
    assert len(few.edges) == 3 and few.edge_total == len(full.edges)


def test_viz_command_takes_max_edges(sample_build, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    _, out = sample_build
    page = tmp_path / "graph.html"
    result = CliRunner().invoke(main, ["viz", "--graph", str(out / "govkg.ttl"), "--view", "full", "--max-edges", "7",
                                       "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "showing 7 of " in page.read_text(encoding="utf-8")
    default = [p for p in main.commands["viz"].params if p.name == "max_edges"][0].default
    assert default == viz.MAX_EDGES and VizOptions().max_edges == viz.MAX_EDGES


def _within(graph, ancestor: str):
    parents = {str(s): str(o) for s, o in graph.subject_objects(URIRef("https://schema.org/containedInPlace"))}

    def test(region):
        while region and region != ancestor:
            region = parents.get(region)
        return region == ancestor
    return test


def test_regions_narrow_a_view_to_them_and_the_regions_inside(sample_graph):
    view = viz.view_graph(sample_graph, options=VizOptions(view="platforms", regions=("青岛",)))
    in_qingdao = _within(sample_graph, QINGDAO)
    placed = [n for n in view.nodes.values() if n.region]
    assert placed and all(in_qingdao(n.region) for n in placed) and QINGDAO in view.nodes
    unplaced = {iri for iri, n in view.nodes.items() if not n.region}
    assert unplaced and unplaced == {e.target for e in view.edges if e.predicate == GK + "serves"}
    shandong = viz.view_graph(sample_graph, options=VizOptions(view="full", regions=("山东",)))
    regions = {n.label for n in shandong.nodes.values() if n.type in region_types()}
    assert {"山东省", "青岛市", "市南区"} <= regions and "河南省" not in regions
    assert all(_within(sample_graph, iris.region("370000"))(n.region) for n in shandong.nodes.values() if n.region)


def test_types_narrow_a_view(sample_graph):
    only = viz.view_graph(sample_graph, options=VizOptions(view="platforms", types=("Region",)))
    assert only.nodes and _types(only) <= region_types() and not only.edges
    two = viz.view_graph(sample_graph, options=VizOptions(view="platforms", types=("Platform", "Initiative")))
    assert _types(two) == {"Platform", "Initiative"} and {e.predicate for e in two.edges} == {GK + "serves"}


@pytest.mark.parametrize("options, error, text", [
    (VizOptions(view="nope"), QueryError, "unknown view 'nope'"),
    (VizOptions(types=("Nope",)), QueryError, "unknown type 'Nope'"),
    (VizOptions(max_nodes=0), QueryError, "max_nodes must be at least 1"),
    (VizOptions(max_edges=-1), QueryError, "max_edges must be 0 (no cap) or more"),
    (VizOptions(focus=("豫事办",)), QueryError, "is not in the shared view"),
    (VizOptions(focus=("没有这个名字的东西",)), NotFoundError, "no entity named"),
])
def test_bad_options_are_errors(sample_graph, options, error, text):
    with pytest.raises(error, match=re.escape(text)):
        viz.view_graph(sample_graph, options=options)


# ---------------------------------------------------------------- the page as text


class _Tags(HTMLParser):
    """Start tags with their attributes, and the text of each <script> (the parser, like a
    browser, reads a script's content as raw text up to </script>)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def test_pages_are_self_contained_and_deterministic(sample_graph, pages):
    for name, html in pages.items():
        parsed = _Tags(html)
        links = [(tag, key, value) for tag, attrs in parsed.tags for key, value in attrs.items()
                 if key in ("src", "href", "action", "formaction", "poster", "data", "srcset")]
        assert links == [], name
        assert not [t for t, _ in parsed.tags if t in ("link", "iframe", "object", "embed", "img", "base")], name
        assert not re.search(r"""@import|url\(\s*['"]?(?:https?:)?//""", html, flags=re.IGNORECASE), name
        assert "sourceMappingURL" not in html
        assert [attrs for attrs, _ in parsed.scripts] == [{"type": "application/json", "id": "govkg-data"}, {}, {}]
        ids = [attrs["id"] for _, attrs in parsed.tags if "id" in attrs]
        assert len(ids) == len(set(ids))
    assert pages["shared"] == viz.render_graph(sample_graph, options=VizOptions())


def test_csp_allows_exactly_the_page_scripts(pages):
    html = pages["tasks"]
    parsed = _Tags(html)
    policy = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"  # so no fetch, image, font, frame or connection
    assert set(directives) == {"default-src", "script-src", "style-src", "base-uri", "form-action"}
    scripts = [text for attrs, text in parsed.scripts if not attrs]
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    assert len(scripts) == 2 and set(directives["script-src"].split()) == hashes


def test_legend_comes_from_the_style_ontology(pages, views):
    from kg.core.ontology import class_styles

    html = pages["platforms"]
    styles = class_styles()
    for type_ in _types(views["platforms"]):
        style = styles[type_]
        assert re.search(rf'value="{type_}" checked>\s*<span class="swatch shape-{style["shape"]}" '
                         rf'style="background-color: {style["color"]}"', html), type_


def test_write_graph_html_writes_one_utf8_file_and_nothing_else(sample_graph, chdir_tmp):
    path = viz.write_graph_html(sample_graph, path=chdir_tmp / "out" / "graph.html", options=VizOptions(view="tasks"))
    assert path == chdir_tmp / "out" / "graph.html"
    assert sorted(p.relative_to(chdir_tmp).as_posix() for p in chdir_tmp.rglob("*")) == ["out", "out/graph.html"]
    assert path.read_bytes().decode("utf-8") == viz.render_graph(sample_graph, options=VizOptions(view="tasks"))


def test_only_viz_uses_pyvis_and_only_when_rendering():
    uses = re.compile(r"""\bimport\s+pyvis|\bfrom\s+pyvis|["']pyvis["']""")
    users = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("*.py") if uses.search(p.read_text()))
    assert users == ["kg/outputs/viz/page.py"]
    for module in (ROOT / "kg" / "outputs" / "viz").glob("*.py"):
        assert not re.search(r"^(from|import) (pyvis|jinja2|rdflib)", module.read_text(), flags=re.M), module
    code = "import sys, kg.outputs.viz; print(sorted(m for m in ('pyvis', 'jinja2', 'rdflib') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_templates_are_files_next_to_the_module():
    assert {"graph.css.j2", "graph.html.j2", "graph.js.j2"} <= {p.name for p in viz.TEMPLATES.glob("*.j2")}


# ---------------------------------------------------------------- a graph whose text is markup

PAYLOAD = """<script>window.pwned=1</script><img src=x onerror="window.pwned=1"> "双" 'single' </title>"""


def xss_graph() -> Graph:
    from kg.core.model import Entity, Evidence, Ref, Relation
    from kg.core.ontology import ontology_graph
    from kg.ingest.to_rdf import RdflibSink, add_entity, add_relation
    from kg.core.namespaces import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    graph += ontology_graph()
    sink = RdflibSink(graph)  # to_rdf makes pyoxigraph triples
    document = iris.document("xss.txt", 0)
    quote = f"依托平台{PAYLOAD}推进一网通办。"

    def evidence(start):
        return Evidence(document=document, source="xss.txt", section=f"一、任务 › {PAYLOAD}", start=start,
                        end=start + len(quote), quote=quote)

    add_entity(sink, Entity(iri=document, type="ImplementationScheme", label=f"方案{PAYLOAD}",
                             props={"gk:governsRegion": [Ref(QINGDAO)]}))
    add_entity(sink, Entity(iri=QINGDAO, type="City", label="青岛市", aliases=["青岛"]))
    platform = iris.platform("370200", PAYLOAD)
    add_entity(sink, Entity(iri=platform, type="Platform", label=f"平台{PAYLOAD}", aliases=[PAYLOAD],
                             props={"gk:inRegion": [Ref(QINGDAO)], "gk:statedIn": [Ref(document)]},
                             evidence=[evidence(10)]))
    add_relation(sink, Relation(platform, "gk:serves", ONE_NETWORK, [evidence(100)]))
    add_relation(sink, Relation(QINGDAO, "gk:adopts", ONE_NETWORK, [evidence(200)]))
    return graph


def test_markup_in_the_data_never_reaches_the_html_as_markup():
    html = viz.render_graph(xss_graph(), options=VizOptions(view="full", title=PAYLOAD))
    assert "window.pwned" in html  # the text is there ...
    assert "<script>window.pwned" not in html and "<img src=x" not in html and "</title> " not in html  # ... inert
    assert html.count("<title>") == 1 and html.count("</title>") == 1


def test_shared_view_of_an_empty_graph():
    empty = Graph()
    assert viz.view_graph(empty, options=VizOptions()).nodes == {}
    html = viz.render_graph(empty)
    assert 'id="node-count">0<' in html and 'id="legend-colour"' not in html


# ---------------------------------------------------------------- in the browser


@pytest.fixture
def open_page(offline_page):
    """Opens a graph page (viewport 1280×860) and waits until its layout has settled."""
    return lambda html: offline_page(html, height=860, ready="() => window.govkgReady === true")


def _node_point(page, iri: str) -> tuple[float, float]:
    """Zoom to a node and return its centre in page coordinates."""
    point = page.evaluate("""(id) => {
        const net = window.govkg.network;
        net.focus(id, {scale: 1.6, animation: false});
        const p = net.canvasToDOM(net.getPosition(id));
        const box = document.getElementById("network").getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", iri)
    return point[0], point[1]


def _visible_count(page) -> int:
    return page.evaluate("() => window.govkg.nodes.get({filter: n => !n.hidden}).length")


@pytest.mark.parametrize("name", VIEWS)
def test_each_view_settles_offline_and_counts_its_nodes(open_page, pages, views, name):
    page = open_page(pages[name])
    assert int(page.inner_text("#node-count")) == len(views[name].nodes) == _visible_count(page)
    assert int(page.inner_text("#edge-count")) == len(views[name].edges)
    assert page.evaluate("() => window.govkg.network.physics.physicsEnabled") is False
    before = page.evaluate("() => window.govkg.network.getPositions()")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.govkg.network.getPositions()") == before  # settled and stopped
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"viz-{name}.png"))


def test_search_selects_and_focuses_the_node(open_page, pages):
    page = open_page(pages["shared"])
    for query in ["一网通办", "One-Network Service", "政务服务一网通办", "one-network s"]:  # zh, en, altLabel, prefix
        if page.is_visible("#panel"):
            page.click("#panel-close")
        page.fill("#search", query)
        page.press("#search", "Enter")
        assert page.evaluate("() => window.govkg.network.getSelectedNodes()") == [ONE_NETWORK], query
        assert page.inner_text("#panel-title") == "一网通办" and page.is_visible("#panel")
        assert page.inner_text("#search-status") == ""
        centre = page.evaluate("""(id) => {
            const net = window.govkg.network, p = net.canvasToDOM(net.getPosition(id));
            const box = document.getElementById("network");
            return [p.x / box.clientWidth, p.y / box.clientHeight];
        }""", ONE_NETWORK)
        assert all(0.3 < c < 0.7 for c in centre)  # focused: the node is in the middle of the view
    page.fill("#search", "不存在的名字")
    page.press("#search", "Enter")
    assert page.inner_text("#search-status") == "未找到 not found"


def test_clicking_a_region_opens_its_evidence(open_page, pages, views, sample_graph):
    page = open_page(pages["shared"])
    assert not page.is_visible("#panel")
    page.mouse.click(*_node_point(page, QINGDAO))
    assert page.is_visible("#panel") and page.inner_text("#panel-title") == "青岛市"
    shown = page.locator("#panel-evidence blockquote").all_inner_texts()
    expected = {row["quote"] for row in evidence_of(sample_graph, QINGDAO)}
    passages = set(sample_graph.objects(URIRef(QINGDAO), URIRef(GK + "evidence")))
    for assertion in {*sample_graph.subjects(RDF.subject, URIRef(QINGDAO)), *sample_graph.subjects(RDF.object, URIRef(QINGDAO))}:
        expected |= {row["quote"] for row in evidence_of(sample_graph, assertion)}
        passages |= set(sample_graph.objects(assertion, URIRef(GK + "evidence")))
    # The panel lists the first EVIDENCE_SHOWN passages and says when there are more.
    listed = min(len(passages), EVIDENCE_SHOWN)
    assert set(shown) <= expected and len(shown) == listed
    more = len(passages) > EVIDENCE_SHOWN
    assert page.inner_text("#panel-evidence-count") == f"({listed}{'+' if more else ''})"
    assert page.locator("#panel-evidence li.more").count() == more
    assert all(text for text in page.locator("#panel-evidence .source").all_inner_texts())
    neighbours = page.locator("#panel-neighbours button.neighbour").all_inner_texts()
    shared = {e.target for e in views["shared"].edges if e.source == QINGDAO}  # the view shows shared ones
    assert "一网通办" in neighbours and len(neighbours) == len(shared)


def _shown_after_filter(view, chosen: set[str]) -> set[str]:
    """The nodes a filter that keeps ``chosen`` leaves on screen: no orphans (a node that had
    edges stays only with an edge to a chosen node)."""
    near = collections.defaultdict(set)
    for e in view.edges:
        near[e.source].add(e.target)
        near[e.target].add(e.source)
    return {n for n in chosen if not near[n] or near[n] & chosen}


def _shown(page) -> set[str]:
    return set(page.evaluate("() => window.govkg.nodes.getIds({filter: n => !n.hidden})"))


def test_type_and_region_filters_hide_and_show_nodes(open_page, pages, views):
    view = views["platforms"]
    page = open_page(pages["platforms"])
    total = len(view.nodes)
    page.uncheck('input.type-filter[value="Platform"]')
    expected = _shown_after_filter(view, {iri for iri, n in view.nodes.items() if n.type != "Platform"})
    assert _shown(page) == expected and int(page.inner_text("#node-count")) == len(expected) < total
    page.check('input.type-filter[value="Platform"]')
    assert int(page.inner_text("#node-count")) == total == _visible_count(page)
    page.uncheck(f'input.region-filter[value="{QINGDAO}"]')
    expected = _shown_after_filter(view, {iri for iri, n in view.nodes.items() if n.region != QINGDAO})
    assert _shown(page) == expected and int(page.inner_text("#node-count")) == len(expected)
    assert len(expected) < total - sum(1 for n in view.nodes.values() if n.region == QINGDAO)  # orphans went too
    page.click("#regions-all")
    assert int(page.inner_text("#node-count")) == total
    assert page.evaluate("() => window.govkgReady") is True  # no reload


def test_an_empty_view_still_settles(open_page):
    html = viz.render_graph(xss_graph(), options=VizOptions(view="tasks"))
    page = open_page(html)
    assert page.inner_text("#node-count") == "0" and page.inner_text("#edge-count") == "0"


def test_cap_is_stated_on_screen(open_page, sample_graph):
    page = open_page(viz.render_graph(sample_graph, options=VizOptions(view="full", max_nodes=50)))
    assert page.is_visible("#cap-note") and "50" in page.inner_text("#cap-note")
    assert int(page.inner_text("#node-count")) == 50


def test_document_text_is_shown_literally_never_run(open_page):
    graph = xss_graph()
    platform = iris.platform("370200", PAYLOAD)
    page = open_page(viz.render_graph(graph, options=VizOptions(view="platforms", title=PAYLOAD)))
    assert page.title() == PAYLOAD
    x, y = _node_point(page, platform)
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert PAYLOAD in tooltip.inner_text()
    page.mouse.click(x, y)
    panel = page.locator("#panel")
    assert panel.is_visible() and page.inner_text("#panel-title") == f"平台{PAYLOAD}"
    shown = panel.inner_text()
    assert '<script>window.pwned=1</script>' in shown and '<img src=x onerror="window.pwned=1">' in shown
    assert "\"双\" 'single'" in shown
    page.fill("#search", PAYLOAD)
    page.press("#search", "Enter")
    assert page.evaluate("() => window.govkg.network.getSelectedNodes()") == [platform]
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    assert page.locator("body img, body i, #panel script, div.vis-tooltip script").count() == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz-xss.png"))


# ---------------------------------------------------------------- 30 regions (#12): readable as it opens


@pytest.fixture(scope="session")
def regions30(tmp_path_factory):
    """The graph of synthetic policy documents for 30 regions (bench/bench_viz.py region_corpus:
    bench/gen_corpus.py with templates from data/), built once, in memory, unvalidated (~10 s)."""
    sys.path.insert(0, str(ROOT))
    from bench.bench_viz import region_corpus
    from kg import api

    corpus = tmp_path_factory.mktemp("regions30")
    region_corpus(30, corpus)
    graph = api.build([corpus], out_dir=None, validate=False).state.graph
    adopting = {s for s, _ in _pairs(graph, "adopts")}
    assert len(adopting) == 30
    return graph


@pytest.fixture(scope="module")
def page30(regions30):
    return viz.render_graph(regions30, options=VizOptions())


def _label_boxes(page) -> dict[str, list[float]]:
    """The label boxes vis-network drew (its own measure of each label), in page pixels, of the
    visible nodes whose label is drawn and on screen."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.evaluate("""() => {
        const net = window.govkg.network, box = document.getElementById("network");
        const boxes = {};
        for (const [id, node] of Object.entries(net.body.nodes)) {
            const label = node.labelModule;
            if (!node.options.label || node.options.hidden || !label.visible()) continue;
            const a = net.canvasToDOM({x: label.size.left, y: label.size.top});
            const b = net.canvasToDOM({x: label.size.left + label.size.width, y: label.size.top + label.size.height});
            if (b.x < 0 || a.x > box.clientWidth || b.y < 0 || a.y > box.clientHeight) continue;
            boxes[id] = [a.x, a.y, b.x, b.y];
        }
        return boxes;
    }""")


def _clashes(boxes: dict[str, list[float]]) -> list[tuple[str, str]]:
    return [(a, b) for a in boxes for b in boxes if a < b and boxes[a][0] < boxes[b][2] and boxes[b][0] < boxes[a][2]
            and boxes[a][1] < boxes[b][3] and boxes[b][1] < boxes[a][3]]


def test_30_regions_open_with_labels_that_do_not_overlap(open_page, page30, regions30):
    page = open_page(page30)
    data = page.evaluate("() => window.govkg.data.nodes.map(n => [n.id, n.x, n.y, n.size])")
    assert page.evaluate("() => window.govkg.network.physics.physicsEnabled") is False
    assert page.evaluate("() => window.govkg.network.getPositions()") == {i: {"x": x, "y": y} for i, x, y, _ in data}
    boxes = _label_boxes(page)
    assert _clashes(boxes) == []
    largest = max(data, key=lambda n: (n[3] or 0))[0]
    assert largest in boxes and 15 <= len(boxes) < len(data)  # the largest are named, not everything
    heights = {round(b[3] - b[1]) for b in boxes.values()}
    assert max(heights) <= 24  # a readable size on screen, whatever the fit's scale
    sizes = sorted(n[3] for n in data)
    assert sizes[-1] >= 4 * sizes[0]  # sizes differ at a glance
    assert page.locator("#legend-colour li").count() >= 2 and page.locator("#legend-size li").count() >= 2
    assert "modularity" in page.inner_text("#legend-colour")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz-30-regions.png"))


def test_30_regions_zoomed_in_labels_are_placed_again(open_page, page30):
    page = open_page(page30)
    page.evaluate("""() => { const net = window.govkg.network;
        net.moveTo({scale: net.getScale() * 2.5, animation: false}); net.emit("zoom", {}); }""")
    page.wait_for_timeout(400)
    boxes = _label_boxes(page)
    assert boxes and _clashes(boxes) == [] and max(b[3] - b[1] for b in boxes.values()) <= 24


def test_search_lights_up_the_node_and_its_neighbours(open_page, page30, regions30):
    page = open_page(page30)
    view = viz.view_graph(regions30, options=VizOptions())
    target = max((n for n in view.nodes.values() if n.type == "Initiative"), key=lambda n: (n.size, n.iri))
    neighbours = {e.source for e in view.edges if e.target == target.iri}
    page.fill("#search", target.label)
    page.press("#search", "Enter")
    assert page.evaluate("() => window.govkg.highlighted()") == sorted(neighbours | {target.iri})
    opacity = dict(page.evaluate("() => window.govkg.nodes.get().map(n => [n.id, n.opacity])"))
    assert {i for i, o in opacity.items() if o == 1} == neighbours | {target.iri}
    assert all(o < 0.5 for i, o in opacity.items() if i not in neighbours | {target.iri})
    lit = page.evaluate("() => window.govkg.edges.get().filter(e => e.color.opacity > 0.5).map(e => [e.from, e.to])")
    assert sorted(map(tuple, lit)) == sorted((e.source, e.target) for e in view.edges if e.target == target.iri)
    boxes = _label_boxes(page)
    assert target.iri in boxes and set(boxes) <= neighbours | {target.iri}  # only lit nodes are named
    page.click("#clear-highlight")
    assert set(page.evaluate("() => window.govkg.nodes.get().map(n => n.opacity)")) == {1}


def test_region_filters_leave_no_orphans(open_page, page30, regions30):
    view = viz.view_graph(regions30, options=VizOptions())
    page = open_page(page30)
    page.click("#regions-none")
    assert _shown(page) == set() and page.inner_text("#node-count") == "0"
    regions = page.eval_on_selector_all("input.region-filter", "boxes => boxes.map(b => b.value)")[:2]
    for region in regions:
        page.check(f'input.region-filter[value="{region}"]')
    shown = _shown(page)
    chosen = {iri for iri, n in view.nodes.items() if n.region is None or n.region in regions}
    assert shown == _shown_after_filter(view, chosen) and set(regions) <= shown
    assert shown == set(regions) | {e.target for e in view.edges if e.source in regions}
    page.uncheck('input.type-filter[value="Initiative"]')
    assert _shown(page) == set()  # regions without their initiatives would be orphans


def test_clicking_a_region_lists_its_adoptions_first_with_quotes(open_page, page30, regions30):
    page = open_page(page30)
    view = viz.view_graph(regions30, options=VizOptions())
    region = max((iri for iri, n in view.nodes.items() if n.type in region_types()), key=lambda i: (view.nodes[i].size, i))
    page.mouse.click(*_node_point(page, region))
    assert page.get_attribute("#panel", "data-node") == region
    kinds = page.eval_on_selector_all("#panel-evidence > li", "items => items.map(i => i.className)")
    adoptions = kinds.count("adoption")
    assert adoptions and kinds[:adoptions] == ["adoption"] * adoptions and "adoption" not in kinds[adoptions:]
    items = page.locator("#panel-evidence li.adoption")
    assert all(text.strip() for text in items.locator("blockquote").all_inner_texts())
    named = set()
    for text in items.locator(".about").all_inner_texts():
        named |= {part.split("→", 1)[1].strip() for part in text.split("；") if "→" in part}
    labels = {str(o): label for o, label in ((o, view.nodes[o].label if o in view.nodes else None)
                                             for o in map(str, regions30.objects(URIRef(region), URIRef(GK + "adopts"))))}
    adopted = {label for label in labels.values() if label}
    if len(kinds) < EVIDENCE_SHOWN:  # every passage listed: every adoption has its quote
        assert adopted <= named
    else:  # the first EVIDENCE_SHOWN listed: all of them adoptions of the region's
        assert named and named <= {label_of(regions30, URIRef(o)) for o in labels}


def test_focus_still_works_on_30_regions(open_page, regions30):
    view = viz.view_graph(regions30, options=VizOptions(focus=("一网通办",)))
    adopters = {s for s, o in _pairs(regions30, "adopts") if o == ONE_NETWORK}
    assert ONE_NETWORK in view.nodes and adopters <= set(view.nodes) and not view.by_community and view.left_out == 0
    page = open_page(viz.render_graph(regions30, options=VizOptions(focus=("一网通办",))))
    assert int(page.inner_text("#node-count")) == len(view.nodes)
    assert page.locator("#legend-colour").count() == 0 and page.locator("#left-out-note").count() == 0
    assert ONE_NETWORK in _label_boxes(page)


@pytest.mark.parametrize("view", ["shared", "platforms", "tasks"])
def test_a_view_reads_only_its_kinds_and_names_every_entity_as_the_full_index(sample_graph, view):
    from kg.outputs.viz.index import GraphIndex
    from kg.outputs.viz.views import view_kinds
    from kg.query.tables import KINDS, _kind_of_type

    kinds = view_kinds(VizOptions(view=view))
    full, narrow = GraphIndex(sample_graph), GraphIndex(sample_graph, kinds=kinds)
    wanted = kinds | {"Region", "Initiative"}
    assert narrow.types == {iri: t for iri, t in full.types.items() if _kind_of_type(t) in wanted}
    assert set(KINDS) - wanted, "the view should leave some kind unread"
    assert len(narrow.types) < len(full.types)
    for iri in sorted(full.types)[::7]:
        assert narrow.label(iri) == full.label(iri), iri
    evidence_node = next(iter(sample_graph.objects(URIRef(QINGDAO), URIRef(iris.term("evidence")))), None)
    if evidence_node is not None:  # not an entity: named by its label, in both
        assert narrow.label(str(evidence_node)) == full.label(str(evidence_node))
    assert viz.render_graph(sample_graph, options=VizOptions(view=view)) == _full_index_page(sample_graph, view)


def _full_index_page(graph, view):
    from kg.outputs.viz import page

    original = page.view_kinds
    page.view_kinds = lambda options: None
    try:
        return viz.render_graph(graph, options=VizOptions(view=view))
    finally:
        page.view_kinds = original


def test_a_region_lists_its_adoptions_before_its_other_passages(sample_graph):
    from kg.outputs.viz.index import GraphIndex
    from kg.outputs.viz.page_data import _Quotes

    index = GraphIndex(sample_graph)
    adopting = sorted({str(s) for s in sample_graph.subjects(URIRef(iris.term("adopts")))} & set(index.types))
    assert adopting
    quotes = _Quotes(index, adopting)
    for region in adopting:
        listed = quotes.of(region)
        flags = [adopts for _, _, adopts in listed]
        assert flags and flags[0], region  # it adopts something, so a passage saying so comes first
        assert flags == sorted(flags, reverse=True), region


@pytest.mark.parametrize("shown", [1, 2, EVIDENCE_SHOWN])
def test_a_large_page_lists_fewer_passages_per_node_and_says_when_there_are_more(sample_graph, views, shown):
    """Each node lists at most ``shown`` of its passages (its own and its assertions'), read
    through the links drawn where they say enough, and is marked as having more exactly when it has."""
    from kg.query.evidence import passage
    from kg.outputs.viz.index import GraphIndex
    from kg.outputs.viz.page_data import _Quotes, passages_per_node

    assert passages_per_node(len(views["shared"].nodes)) == EVIDENCE_SHOWN  # the sample: all ten
    view = views["shared"]
    index = GraphIndex(sample_graph)
    quotes = _Quotes(index, list(view.nodes), view.edges, shown=shown)
    evidence = URIRef(GK + "evidence")
    for node in view.nodes:
        assertions = [a for position in (RDF.subject, RDF.object) for a in sample_graph.subjects(position, URIRef(node))
                      if (a, RDF.type, URIRef(GK + "Assertion")) in sample_graph]
        passages = set(sample_graph.objects(URIRef(node), evidence)) | {
            e for a in assertions for e in sample_graph.objects(a, evidence)}
        listed = quotes.of(node)
        assert len(listed) == min(shown, len(passages)), node
        assert (node in quotes.more) == (len(passages) > shown), node
        texts = {passage(sample_graph, e).quote for e in passages}
        assert all(quotes.rows[row][2] in texts for row, _, _ in listed), node
