"""Time every named query (kg/queries/*.rq, default parameters) on a graph 50x the sample's.

    python bench/bench_queries.py [--copies 50] [--runs 3] [--no-oxigraph] [--analytics] [--json FILE]

The large graph is the sample's extracted graph (data/, ontology left out) copied ``--copies``
times: copy 0 is the sample itself, so every default parameter still resolves; in copy k every
instance IRI (documents, tasks, platforms, evidence, assertions …) gets a ``c<k>/`` segment and
every region is moved onto another real division of the same level (GB/T 2260, with its real
name, code and parent), so the copies pile up on many regions as a real corpus would. The
ontology is added once. Each figure is the median wall time of ``--runs`` runs in one warm
process (query parsing included). With pyoxigraph installed the same query text is also timed
on a pyoxigraph Store, which checks that the queries are portable and shows what the engine
costs; the row counts of both engines must agree. ``--analytics`` also times the
kg.outputs.analytics functions once each (rdflib engine).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INSTANCE_KINDS = ("doc/", "task/", "goal/", "evidence/", "assertion/", "platform/", "department/",
                  "data-exchange/", "cited/", "source/", "issue/")
LEVEL_STEP = {"province": 1, "prefecture": 7, "county": 11}


def region_mapping(codes: set[str], copy: int) -> dict[str, str]:
    """Sample division code -> the division it becomes in ``copy`` (same level, real code)."""
    from kg.core.ontology import divisions

    table = divisions()
    by_level: dict[str, list[str]] = {}
    for code, division in sorted(table.items()):
        by_level.setdefault(division.level, []).append(code)
    mapping = {}
    for code in codes:
        if copy == 0 or code not in table:
            mapping[code] = code  # the country (CN) stays itself
            continue
        level = by_level[table[code].level]
        mapping[code] = level[(level.index(code) + copy * LEVEL_STEP[table[code].level]) % len(level)]
    return mapping


def region_triples(code: str, seen: set[str]):
    """Type, zh label, code and parent of a real division, and the same for its ancestors."""
    from rdflib import RDF, RDFS, Literal, URIRef

    from kg.core import iris
    from kg.core.ontology import divisions
    from kg.core.namespaces import expand

    division = divisions()[code]
    node = URIRef(iris.region(code))
    yield node, RDF.type, URIRef(iris.term(division.type))
    yield node, RDFS.label, Literal(division.name, lang="zh")
    yield node, URIRef(iris.term("divisionCode")), Literal(code)
    parent = division.parent
    yield node, URIRef(expand("schema:containedInPlace")), URIRef(iris.region(parent) if parent else iris.region("CN"))
    if parent and parent not in seen:
        seen.add(parent)
        yield from region_triples(parent, seen)


def scaled_graph(copies: int):
    """(graph, sample data triple count): the sample's data copied ``copies`` times, plus the ontology."""
    from rdflib import Graph, URIRef

    from kg import api
    from kg.core import iris
    from kg.core.ontology import ontology_graph
    from kg.core.namespaces import bind_prefixes, expand

    built = api.build([ROOT / "data"], out_dir=None, validate=False)
    ontology = ontology_graph()
    data = [t for t in built.state.graph if t not in ontology]
    region_prefix = iris.BASE + "region/"
    codes = {str(t)[len(region_prefix):] for triple in data for t in triple
             if isinstance(t, URIRef) and str(t).startswith(region_prefix)}
    # In copies, a region's own description is regenerated from its new division.
    regenerated = {expand("rdf:type"), expand("rdfs:label"), expand("skos:altLabel"), iris.term("divisionCode"),
                   expand("schema:containedInPlace")}
    graph = Graph()
    bind_prefixes(graph)
    for triple in ontology:
        graph.add(triple)
    for copy in range(copies):
        mapping = region_mapping(codes, copy)

        def term(t, copy=copy, mapping=mapping):
            if not isinstance(t, URIRef):
                return t
            text = str(t)
            if text.startswith(region_prefix):
                return URIRef(region_prefix + mapping[text[len(region_prefix):]])
            if copy:
                for kind in INSTANCE_KINDS:
                    if text.startswith(iris.BASE + kind):
                        return URIRef(f"{iris.BASE}{kind}c{copy}/{text[len(iris.BASE) + len(kind):]}")
            return t

        seen: set[str] = set()
        for s, p, o in data:
            if copy and str(s).startswith(region_prefix) and str(p) in regenerated and not str(s).endswith("/CN"):
                continue
            graph.add((term(s), p, term(o)))
        if copy:
            for code, new in sorted(mapping.items()):
                if new != "CN" and new not in seen:
                    seen.add(new)
                    for triple in region_triples(new, seen):
                        graph.add(triple)
    return graph, len(data)


def oxigraph_store(graph):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    def conv(t):
        if isinstance(t, URIRef):
            return ox.NamedNode(str(t))
        if isinstance(t, BNode):
            return ox.BlankNode(str(t))
        if isinstance(t, Literal) and t.language:
            return ox.Literal(str(t), language=t.language)
        if isinstance(t, Literal) and t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))

    store = ox.Store()
    store.bulk_extend(ox.Quad(conv(s), conv(p), conv(o), ox.DefaultGraph()) for s, p, o in graph)
    return store


def timed(run, runs: int) -> tuple[float, int]:
    samples, rows = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), rows


def time_analytics(graph) -> dict[str, float]:
    import tempfile

    from kg.outputs import analytics

    calls = {
        "shared 一网通办": lambda: analytics.shared(graph, "一网通办"),
        "overlap 河南 青岛": lambda: analytics.overlap(graph, "河南", "青岛"),
        "similar": lambda: analytics.similar(graph, top=10),
        "central": lambda: analytics.central(graph),
        "export graphml": lambda: analytics.export_network(graph, Path(tempfile.mkdtemp()) / "policy.graphml"),
    }
    figures = {}
    for name, call in calls.items():
        start = time.perf_counter()
        call()
        figures[name] = round(time.perf_counter() - start, 3)
        print(f"  {name}: {figures[name]:.3f} s", file=sys.stderr)
    return figures


def main() -> None:
    from kg.query import named, sparql
    from kg.core.namespaces import PREFIXES

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-oxigraph", action="store_true")
    parser.add_argument("--only", nargs="*", help="time only these named queries")
    parser.add_argument("--analytics", action="store_true", help="also time kg.outputs.analytics once each")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    start = time.perf_counter()
    graph, sample_size = scaled_graph(args.copies)
    generated = time.perf_counter() - start
    store = None
    if not args.no_oxigraph:
        try:
            store = oxigraph_store(graph)
        except ImportError:
            store = None
    print(f"graph: {len(graph):,} triples ({args.copies} copies of {sample_size:,} sample data triples, plus the "
          f"ontology), generated in {generated:.1f} s", file=sys.stderr)

    results = []
    for query in named.list_queries():
        if args.only and query.name not in args.only:
            continue
        rdflib_s, rows = timed(lambda q=query: len(sparql.run_query(graph, q.text)), args.runs)
        entry = {"query": query.name, "rows": rows, "rdflib_s": round(rdflib_s, 4)}
        if store is not None:
            ox_s, ox_rows = timed(lambda q=query: sum(1 for _ in store.query(q.text, prefixes=dict(PREFIXES))), args.runs)
            entry.update(oxigraph_s=round(ox_s, 4), oxigraph_rows=ox_rows)
        results.append(entry)
        print(f"  {query.name}: {rows} rows, {rdflib_s:.3f} s", file=sys.stderr)

    header = f"{'query':24} {'rows':>7} {'rdflib s':>9}" + (f" {'oxigraph s':>11}" if store is not None else "")
    print(header)
    print("-" * len(header))
    for entry in results:
        line = f"{entry['query']:24} {entry['rows']:>7} {entry['rdflib_s']:>9.3f}"
        if store is not None:
            line += f" {entry['oxigraph_s']:>11.4f}" + ("" if entry["oxigraph_rows"] == entry["rows"] else "  (row counts differ)")
        print(line)
    summary = {"triples": len(graph), "sample_data_triples": sample_size, "copies": args.copies, "runs": args.runs,
               "generate_s": round(generated, 1), "queries": results}
    if args.analytics:
        summary["analytics"] = time_analytics(graph)
        print(f"{'analytics':24} {'':>7} {'rdflib s':>9}")
        for name, seconds in summary["analytics"].items():
            print(f"{name:24} {'':>7} {seconds:>9.3f}")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
