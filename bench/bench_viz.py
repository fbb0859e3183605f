"""Time the interactive graph page: the default view (who shares what) built from synthetic
documents for 30 regions and of a synthetic 300-region graph, and the full view of a
2,000-node graph. For each: write the page, open it in headless Chromium and wait until it has
settled (``window.govkgReady``: drawn, fitted, labels placed).

    python bench/bench_viz.py [--runs 3] [--documents-for 30] [--regions 300] [--nodes 2000] [--keep DIR]

The graph is synthetic but laid out exactly as a build lays out its RDF (kg.ingest.to_rdf entities,
reified relations, evidence with quotes): real division codes and initiatives, and platforms,
departments, documents and tasks made up around them, with a fixed random seed. Each browser
figure is the median over fresh pages of one Chromium (``/usr/bin/chromium``; no network:
every request but file:// is aborted, and the run fails if one is made). Targets on the 2-core
reference machine (#12): the 30-region page settles within 2 s, the 300-region page opens
within 5 s; the 2,000-node page within 5 s.

The 300-region graph holds only what the default view reads: real prefectures and provinces,
the initiative vocabulary, and adoptions with a quote each, drawn so that popular initiatives
are adopted widely and each province leans towards some initiatives (so communities exist).
:func:`region_corpus` writes synthetic *documents* for a given number of regions instead (the
browser tests and bench/screenshots.py build those).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SOURCE = "synthetic.txt"


def synthetic_graph(nodes: int = 2000, *, seed: int = 2023):
    """An rdflib graph (with the ontology, as a build has it) holding ``nodes`` entities:
    4 % regions, 6 % initiatives, 2 % documents, 40 % platforms, 8 % departments, 40 % tasks."""
    from rdflib import Graph

    from kg.core import iris
    from kg.core.model import Entity, Evidence, Ref, Relation
    from kg.core.ontology import divisions, initiatives, ontology_graph
    from kg.ingest.to_rdf import RdflibSink, add_entity, add_relation
    from kg.core.namespaces import bind_prefixes

    rng = random.Random(seed)
    share = {"region": 0.04, "initiative": 0.06, "document": 0.02, "platform": 0.40, "department": 0.08}
    count = {k: max(1, round(nodes * v)) for k, v in share.items()}
    count["task"] = nodes - sum(count.values())
    graph = Graph()
    bind_prefixes(graph)
    graph += ontology_graph()
    sink = RdflibSink(graph)  # to_rdf makes pyoxigraph triples
    offset = [0]

    def evidence(document: str, text: str) -> Evidence:
        start = offset[0]
        offset[0] += len(text) + 1
        return Evidence(document=document, source=SOURCE, section="三、主要任务 › （一）", start=start, end=start + len(text),
                        quote=text)

    all_divisions = divisions()
    provinces = sorted(c for c, d in all_divisions.items() if d.level == "province")
    cities = sorted(c for c, d in all_divisions.items() if d.level == "prefecture")
    codes = (provinces + rng.sample(cities, max(0, count["region"] - len(provinces))))[:count["region"]]
    regions = []
    for code in codes:
        division = all_divisions[code]
        entity = Entity(iri=iris.region(code), type=division.type, label=division.name)
        entity.add("gk:divisionCode", code)
        if division.parent:
            entity.add("schema:containedInPlace", Ref(iris.region(division.parent)))
        add_entity(sink, entity)
        regions.append((entity.iri, division.name))
    concepts = sorted(initiatives())[:count["initiative"]]
    labels = {iri: c.label for iri, c in initiatives().items()}
    documents = []
    for index in range(count["document"]):
        region, name = regions[index % len(regions)]
        iri = iris.document(SOURCE, index)
        title = f"{name}数字政府建设实施方案（2023—2025年）第{index}号"
        entity = Entity(iri=iri, type="ImplementationScheme", label=title)
        entity.add("dcterms:title", title)
        entity.add("gk:governsRegion", Ref(region))
        add_entity(sink, entity)
        documents.append((iri, region, name))
        for concept in rng.sample(concepts, min(len(concepts), 30)):
            add_relation(sink, Relation(region, "gk:adopts", concept,
                                         [evidence(iri, f"{name}全面推进{labels[concept]}，加快数字政府建设。")]))

    def scoped(kind: str, type_: str, number: int, label_of) -> list[tuple[str, str, str]]:
        made = []
        for index in range(number):
            document, region, name = rng.choice(documents)
            label = label_of(name, index)
            iri = getattr(iris, kind)(region.rsplit("/", 1)[-1], label)
            entity = Entity(iri=iri, type=type_, label=label, evidence=[evidence(document, f"依托{label}，提升{name}治理能力。")])
            entity.add("gk:inRegion", Ref(region))
            entity.add("gk:statedIn", Ref(document))
            add_entity(sink, entity)
            made.append((iri, document, name))
        return made

    kinds = ("政务服务平台", "数据共享交换平台", "城市大脑", "一网统管平台", "公共数据开放平台", "12345热线", "政务云")
    platforms = scoped("platform", "Platform", count["platform"],
                       lambda name, i: f"{name}{kinds[i % len(kinds)]}{i}号")
    for iri, document, name in platforms:
        for concept in rng.sample(concepts, 2):
            add_relation(sink, Relation(iri, "gk:serves", concept,
                                         [evidence(document, f"{name}平台支撑{labels[concept]}。")]))
    units = ("大数据局", "政务服务中心", "发展改革委", "公安局", "卫生健康委", "教育局", "财政局", "网信办")
    departments = scoped("department", "Department", count["department"],
                         lambda name, i: f"{name}{units[i % len(units)]}{i}处")
    for index in range(count["task"]):
        document, region, name = rng.choice(documents)
        title = f"{index + 1}. 推进{labels[rng.choice(concepts)]}建设"
        iri = iris.task(document, f"3.{index}")
        entity = Entity(iri=iri, type="Task", label=title, evidence=[evidence(document, f"{title}。")])
        entity.add("dcterms:title", title)
        entity.add("dcterms:isPartOf", Ref(document))
        entity.add("gk:inRegion", Ref(region))
        entity.add("gk:taskNumber", str(index + 1))
        add_entity(sink, entity)
        for role, unit in [("gk:leadUnit", rng.choice(departments))] + [("gk:supportUnit", d) for d in rng.sample(departments, rng.randint(0, 2))]:
            add_relation(sink, Relation(iri, role, unit[0], [evidence(document, f"（{unit[2]}牵头，各部门按职责分工负责）")]))
        add_relation(sink, Relation(iri, "gk:concerns", rng.choice(platforms)[0], [evidence(document, f"{title}。")]))
    return graph


def synthetic_regions_graph(regions: int = 300, *, seed: int = 2023):
    """An rdflib graph (with the ontology) of ``regions`` regions adopting initiatives, each
    adoption a reified relation with a quote, as a build writes it."""
    from rdflib import Graph

    from kg.core import iris
    from kg.core.model import Evidence, Relation
    from kg.core.namespaces import bind_prefixes
    from kg.core.ontology import divisions, initiatives, ontology_graph
    from kg.ingest.to_rdf import RdflibSink, add_relation, reference_triples

    rng = random.Random(seed)
    graph = Graph()
    bind_prefixes(graph)
    graph += ontology_graph()
    sink = RdflibSink(graph)  # to_rdf makes pyoxigraph triples
    for triple in reference_triples():  # the divisions' types, names and codes, as a store holds them
        graph.add(triple)
    all_divisions = divisions()
    provinces = sorted(c for c, d in all_divisions.items() if d.level == "province")
    cities = sorted(c for c, d in all_divisions.items() if d.level == "prefecture")
    codes = sorted((provinces + rng.sample(cities, max(0, regions - len(provinces))))[:regions])
    concepts = sorted(initiatives())
    labels = {iri: c.label for iri, c in initiatives().items()}
    popularity = {c: rng.betavariate(0.7, 3.0) for c in concepts}
    leaning = {p: set(rng.sample(concepts, 25)) for p in provinces}
    offset = 0
    for number, code in enumerate(codes):
        division = all_divisions[code]
        region = iris.region(code)
        document = iris.document(SOURCE, number)
        province = code[:2] + "0000"
        for concept in concepts:
            chance = popularity[concept] * (3.0 if concept in leaning.get(province, ()) else 1.0)
            if rng.random() < min(0.95, chance):
                quote = f"{division.name}全面推进{labels[concept]}，加快数字政府建设。"
                evidence = Evidence(document=document, source=SOURCE, section="三、主要任务", start=offset,
                                    end=offset + len(quote), quote=quote)
                offset += len(quote) + 1
                add_relation(sink, Relation(region, "gk:adopts", concept, [evidence]))
    return graph


def region_corpus(regions: int, out: Path, *, seed: int = 7) -> list[Path]:
    """Synthetic policy documents (bench/gen_corpus.py, templates from data/ only) for exactly
    ``regions`` regions: as many generated documents as it takes for that many to be targeted."""
    from bench.gen_corpus import generate
    from kg.core.ontology import divisions

    names = sorted({d.name for d in divisions().values()}, key=len, reverse=True)
    paths = generate(3 * regions + 20, out, seed=seed, bundled_only=True)
    seen: set[str] = set()
    for number, path in enumerate(paths):
        title = path.read_text(encoding="utf-8").split("\n", 1)[0]
        seen.add(next(n for n in names if title.startswith(n)))
        if len(seen) == regions:
            for extra in paths[number + 1:]:
                extra.unlink()
            return paths[:number + 1]
    raise SystemExit(f"{len(paths)} generated documents name only {len(seen)} regions")


def time_browser(path: Path, runs: int) -> tuple[list[float], list[dict], int]:
    """Seconds from navigation to a settled layout per run, the page's own timings (ms since
    navigation: script start, data built, nodes handed to vis-network, settled) and the node
    count on screen."""
    from playwright.sync_api import sync_playwright

    samples, timings = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                problems: list[str] = []
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
                page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
                page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                           else (problems.append(f"blocked request: {route.request.url}"), route.abort()))
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function("() => window.govkgReady === true", timeout=120_000)
                samples.append(time.perf_counter() - start)
                timings.append(page.evaluate("() => window.govkgTimings"))
                shown = int(page.inner_text("#node-count"))
                page.close()
                if problems:
                    raise SystemExit("\n".join(problems))
        finally:
            browser.close()
    return samples, timings, shown


def measure(graph, options, runs: int, keep: Path | None = None, *, target_s: float = 5.0) -> dict:
    """Seconds to write the page (view, layout, quotes, HTML) and, in Chromium, to open it
    until it has settled."""
    from kg.outputs.viz import view_graph, write_graph_html

    view = view_graph(graph, options=options)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.html"
        start = time.perf_counter()
        write_graph_html(graph, path=path, options=options)
        written = time.perf_counter() - start
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"graph-{options.view}-{len(view.nodes)}.html").write_bytes(path.read_bytes())
        samples, timings, shown = time_browser(path, runs)
        size = path.stat().st_size
    in_page = {key: round(statistics.median(t[key] for t in timings) / 1000, 2) for key in timings[0]}
    return {"view": options.view, "nodes": len(view.nodes), "edges": len(view.edges), "nodes_on_screen": shown,
            "html_bytes": size, "write_page_s": round(written, 2),
            "open_and_settle_s": {"median": round(statistics.median(samples), 2), "min": round(min(samples), 2),
                                  "max": round(max(samples), 2), "runs": runs},
            "in_page_median_s": in_page, "target_s": target_s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--documents-for", type=int, default=30, help="regions of the synthetic documents built first")
    parser.add_argument("--regions", type=int, default=300, help="regions of the synthetic graph for the default view")
    parser.add_argument("--nodes", type=int, default=2000, help="nodes of the synthetic graph for the full view")
    parser.add_argument("--keep", type=Path, help="also write the pages into this folder")
    args = parser.parse_args()
    from kg.outputs.viz import VizOptions

    from kg import api

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        region_corpus(args.documents_for, Path(tmp))
        documents = api.build([tmp], out_dir=None, validate=False).state.graph
        built = round(time.perf_counter() - start, 2)
    from_documents = {"regions": args.documents_for, "generate_and_build_s": built,
                      **measure(documents, VizOptions(), args.runs, args.keep, target_s=2.0)}
    start = time.perf_counter()
    regions = synthetic_regions_graph(args.regions)
    shared = {"regions": args.regions, "generate_graph_s": round(time.perf_counter() - start, 2),
              **measure(regions, VizOptions(), args.runs, args.keep)}
    start = time.perf_counter()
    graph = synthetic_graph(args.nodes)
    full = {"generate_graph_s": round(time.perf_counter() - start, 2),
            **measure(graph, VizOptions(view="full", max_nodes=args.nodes), args.runs, args.keep)}
    print(json.dumps({"shared_view_from_documents": from_documents, "shared_view": shared, "full_view": full},
                     indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
