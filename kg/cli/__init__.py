"""The ``govkg`` command line: each command parses options, calls one :mod:`kg.api`
function and prints a summary. Errors are turned into messages and exit codes here, once:
0 ok, 1 ran but found problems, 2 usage, 3 error (bad input, broken ontology)."""
from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

import click

from kg.ingest.executors import EXECUTORS
from kg.ingest.stages import STAGES
from kg.core.errors import QueryError
from kg.outputs.formats import NETWORKS, NetworkFormat, ReportFormat, SimilarityMeasure, TableFormat, View, values
from kg.query.results import ResultFormat
from kg.store.rdfio import DEFAULT_OUTPUTS, OUTPUT_FILES


from kg.cli.common import (_NO_REGION_HINT, EXIT_ERROR, EXIT_PROBLEMS, GovkgGroup, _json, _where, format_option,
                           api, query_limit_options, where_options)


@click.group(cls=GovkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govkg", prog_name="govkg")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error instead of one line.")
@click.pass_context
def main(ctx, debug):
    """govkg: turn Chinese digital-government policy documents into an evidence-backed
    RDF knowledge graph, and query, compare and explore it.

    \b
    Example:
      govkg build data/ --out out/
      govkg show 青岛市
    """
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-o", "--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Directory for the output files (govkg.ttl, govkg.trig …) and the store.")
@click.option("--until", type=click.Choice(STAGES),
              default="serialize", show_default=True, help="Stop after this stage and print what it produced.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="Oxigraph store keeping one named graph per source; unchanged sources are skipped. [default: OUT/store]")
@click.option("--no-store", is_flag=True, help="Build everything in memory, keep no store.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes for segmenting and extracting (with --executor dask: local cluster workers).")
@click.option("--executor", default="local", show_default=True, type=click.Choice(list(EXECUTORS)),
              help="Where each source is built: local processes, or a dask.distributed cluster (pip install 'govkg[dask]').")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --executor dask: the scheduler of an existing cluster, e.g. tcp://host:8786. [default: a local cluster of --jobs workers]")
@click.option("--shards", "shards_dir", type=click.Path(file_okay=False),
              help="Also write each source's graph as N-Quads here (<file>.nq, and ontology.nq) for another store to bulk-load.")
@click.option("--formats", default=",".join(DEFAULT_OUTPUTS), show_default=True,
              help=f"Output files to write, comma-separated, from: {', '.join(OUTPUT_FILES)} (govkg.<format>).")
@format_option("text", "json", what="the summary (or the --until stage)")
@click.option("-v", "--verbose", is_flag=True, help="A line per document and every warning.")
@click.option("-q", "--quiet", is_flag=True, help="Only the problems: no progress, no counts, no 'wrote' lines.")
def build(paths, out_dir, until, no_validate, store_dir, no_store, jobs, executor, scheduler, shards_dir, formats, fmt,
          verbose, quiet):
    """Build the knowledge graph from documents (default: data/).

    PATHS are files or directories of .txt, .md, .html, .docx or .pdf documents. Writes
    govkg.ttl (deterministic Turtle) and govkg.trig (one named graph per source file), and on
    request (--formats) govkg.jsonld and govkg.nq. Unreadable files are reported at the end
    (exit 3); the rest is built.
    The store (OUT/store) keeps each source's graph and content hash: a second build skips
    unchanged files and replaces changed ones, each in one transaction.

    \b
    Example:
      govkg build data/ --out out/ --jobs 2
      govkg build corpus/ --executor dask --scheduler tcp://10.0.0.5:8786 --shards out/shards
      govkg build data/ --formats ttl,trig,jsonld
      govkg build plan.docx --until extract
    """

    as_json = fmt == "json"
    progress = None
    if not as_json and not quiet and sys.stderr.isatty():
        progress = lambda message: click.echo(f"  {message}", err=True)  # noqa: E731
    store = None if no_store else (store_dir or str(Path(out_dir) / "store"))
    options = api.BuildOptions(out_dir=out_dir if until == "serialize" else None, store=store, until=until,
                               validate=not no_validate, jobs=jobs, executor=executor, scheduler=scheduler,
                               shards=shards_dir,
                               formats=tuple(name.strip() for name in formats.split(",") if name.strip()))
    result = api.build(list(paths) or None, options, progress=progress)
    if until != "serialize":
        click.echo(api.stage_dump(result, as_json=as_json))
    else:
        text = json.dumps(api.build_summary(result), ensure_ascii=False, indent=1) if as_json \
            else api.build_summary(result, text=True, verbose=verbose, quiet=quiet)
        if text:
            click.echo(text)
    for failure in result.errors:
        click.echo(f"error: {failure}", err=True)
    if result.errors:
        sys.exit(EXIT_ERROR)
    if result.conforms is False:
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.option("--store", "store_dir", default="out/store", show_default=True, type=click.Path(file_okay=False),
              help="The store to serve.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@query_limit_options
@click.option("--max-result-mb", type=click.FloatRange(min=0.001), default=100, show_default=True,
              help="Size of one answer, in MB.")
def serve(store_dir, host, port, timeout, max_result_mb, allow_service):
    """Serve the store read-only as a SPARQL 1.1 endpoint (the Oxigraph server, behind a gate
    that enforces the limits); Ctrl-C or SIGTERM stops it. It serves a snapshot of the store
    and moves to the next one when a build has changed the store.

    Needs the server extra: pip install 'govkg[server]'.

    \b
    Example:
      govkg serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * {?s ?p ?o} LIMIT 3' http://127.0.0.1:7878/query
    """

    def started(urls, sources):
        click.echo(f"SPARQL endpoint: {urls['sparql']}")
        click.echo(f"query page:      {urls['page']}")
        click.echo(f"serving a snapshot of {store_dir} ({sources} graphs); a finished build is picked up", err=True)
        click.echo("press Ctrl-C to stop", err=True)

    def changed(sources):
        click.echo(f"{time.strftime('%H:%M:%S')} the store changed: now serving it ({sources} graphs)", err=True)

    import time

    options = api.ServeOptions(host=host, port=port, timeout_s=timeout, max_result_mb=max_result_mb, allow_service=allow_service)
    sys.exit(api.serve(store_dir, options, on_start=started, on_change=changed))


@main.command()
@click.option("--endpoint", required=True, help="SPARQL query endpoint URL (used to check the upload).")
@click.option("--graph-store", "graph_store", help="Graph Store HTTP Protocol URL [default: derived from the endpoint].")
@click.option("--user", help="User name for Basic or Digest authentication.")
@click.option("--password", help="Password for Basic or Digest authentication.")
@click.option("--store", "store_dir", default="out/store", show_default=True, type=click.Path(file_okay=False),
              help="The store whose named graphs are pushed.")
def push(endpoint, graph_store, user, password, store_dir):
    """Upload each source's named graph (and the ontology's) to a remote triple store with the
    SPARQL 1.1 Graph Store HTTP Protocol (PUT: pushing twice replaces, never duplicates).

    \b
    Example:
      govkg push --endpoint http://127.0.0.1:8890/sparql --graph-store http://127.0.0.1:8890/sparql-graph-crud-auth --user dba --password dba
    """

    pushed = api.push(endpoint=endpoint, graph_store=graph_store, user=user, password=password, store=store_dir)
    for graph in pushed:
        click.echo(f"pushed <{graph}>")


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--store", "store_dir", default="out/store", show_default=True, type=click.Path(file_okay=False),
              help="The store to remove from.")
def remove(names, store_dir):
    """Remove source documents (by file name) and everything extracted from them from the store.

    Run `govkg build` afterwards to rewrite the output files without them.

    \b
    Example:
      govkg remove old_plan.txt
    """

    removed = api.remove(list(names), store=store_dir)
    for name in names:
        click.echo(f"removed {name}" if Path(name).name in removed else f"not in the store: {name}")
    if len(removed) < len(names):
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.argument("graph", required=False, type=click.Path(dir_okay=False))
@click.option("--graph", "graph_path", type=click.Path(dir_okay=False), help="The graph file (the same as GRAPH).")
@click.option("--store", "store", type=click.Path(file_okay=False),
              help="A build's store instead: its union graph checked by the shapes compiled into SPARQL.")
@format_option("text", "json", what="the violations")
def validate(graph, graph_path, store, fmt):
    """Validate a built graph against the SHACL shapes (default: out/govkg.ttl).

    Exit 1 when the graph does not conform.

    \b
    Example:
      govkg validate out/govkg.ttl
      govkg validate --store out/store
    """

    report = api.validate(graph_path or graph, store=store)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "violations": [v.__dict__ for v in report.violations]},
                              ensure_ascii=False, indent=1))
    else:
        for violation in report.violations:
            click.echo(f"{violation.severity}: {violation.focus} {violation.path or ''}: {violation.message}")
        found = collections.Counter(violation.severity for violation in report.violations)
        warned = f", {found['Warning']} warning(s)" if found["Warning"] else ""
        click.echo(f"conforms{warned}" if report.conforms else f"does not conform: {found['Violation']} violation(s){warned}")
    if not report.conforms:
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.argument("name")
@where_options
@format_option("text", "json", what="the entity")
@click.option("--limit", default=10, show_default=True, help="Quotes to print (JSON prints all).")
def show(name, graph_path, store, endpoint, user, password, fmt, limit):
    """Show what the graph says about one entity, with the quotes behind it.

    NAME is a region (青岛, 青岛市 or 370200), an initiative (一网通办 or any altLabel or its
    English label), a document title or any other label.

    \b
    Example:
      govkg show 哈尔滨
      govkg show 一网通办 --limit 3
    """

    view = api.show(name, **_where(graph_path, store, endpoint, user, password))
    if fmt == "json":
        click.echo(json.dumps(view.__dict__, ensure_ascii=False, indent=1))
        return
    click.echo(f"{view.label}  <{view.iri}>")
    click.echo("  type: " + ", ".join(view.types))
    for predicate, value in view.properties:
        click.echo(f"  {predicate}: {value}")
    for subject, predicate in view.incoming[:20]:
        click.echo(f"  ← {subject} {predicate}")
    if len(view.incoming) > 20:
        click.echo(f"  ← … {len(view.incoming) - 20} more")
    click.echo(f"evidence ({len(view.quotes)}):")
    for quote in view.quotes[:limit]:
        click.echo(f"  [{quote['about']}] 《{quote['document']}》 {quote['section']} @{quote['start']}-{quote['end']}")
        click.echo(f"    “{quote['quote']}”")


@main.command()
@click.argument("graph", required=False, type=click.Path(dir_okay=False))
@where_options
@click.option("--format", "fmt", type=click.Choice(values(TableFormat) + values(NetworkFormat)), default="json", show_default=True,
              help="Tables: json, csv (UTF-8 with a byte-order mark, for Excel; pandas: encoding='utf-8-sig'; "
                   "a list cell is a JSON array) or xlsx (one workbook tables.xlsx, a sheet per table; a list cell "
                   "holds its items joined with '; '; needs pip install 'govkg[xlsx]'). "
                   "Or a network for Gephi and other graph tools: graphml or gexf (GEXF 1.3, colours and sizes from "
                   "ontology/style.ttl, directed edges where the relation is).")
@click.option("-o", "--out", "out_dir", default="out/tables", show_default=True, type=click.Path(file_okay=False),
              help="Directory for the tables or the network file.")
@click.option("--network", default="policy", show_default=True,
              type=click.Choice(NETWORKS),
              help="Which network, for graphml and gexf.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing (no 'wrote' lines); errors still go to stderr.")
def export(graph, graph_path, store, endpoint, user, password, fmt, out_dir, network, quiet):
    """Export the graph as entities, relations and evidence tables (JSON, CSV or an Excel
    workbook), or as a network (GraphML, GEXF). GRAPH is a graph file (the same as --graph);
    default: the store out/store if it exists, else out/govkg.ttl.

    \b
    Example:
      govkg export --format csv --out out/tables
      govkg export --format xlsx
      govkg export --format gexf --network region-region --out out
    """

    where = _where(graph_path or graph, store, endpoint, user, password)
    if fmt in values(NetworkFormat):
        paths = [api.export_network(Path(out_dir) / f"govkg-{network}.{fmt}", fmt=fmt, network=network, **where)]
    else:
        paths = api.export(out_dir=out_dir, fmt=fmt, **where)
    for path in paths if not quiet else ():
        click.echo(f"wrote {path}")


@main.command()
@click.argument("query_or_file", required=False)
@click.option("--name", help="Run a named query (see `govkg queries`) instead.")
@click.option("--param", "params", multiple=True, help="key=value for a named query's parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(values(ResultFormat)), default="table",
              show_default=True, help="W3C SPARQL results formats (csv, tsv, json) or RDF for CONSTRUCT.")
@query_limit_options
@click.option("--max-rows", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Rows (or triples) a query may return.")
@where_options
def sparql(query_or_file, name, params, fmt, timeout, max_rows, allow_service, graph_path, store, endpoint, user, password):
    """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT) on the graph; the ontology's prefixes
    (gk, gki, skos, schema, oa, prov …) are predeclared.

    \b
    Example:
      govkg sparql 'SELECT ?r WHERE { ?r gk:adopts gki:one-network-service }'
      govkg sparql --name regions-adopting --param initiative=一网通办 --format csv
    """

    if not name and not query_or_file:
        raise QueryError("give a query, a .rq file or --name NAME", fix="see `govkg queries`")
    query = api.query_from(query_or_file) if query_or_file and not name else query_or_file
    pairs = {}
    for param in params:
        key, sep, value = param.partition("=")
        if not sep:
            raise QueryError(f"--param {param}: expected key=value")
        pairs[key.strip()] = value
    result = api.sparql(query, name=name, params=pairs, timeout=timeout or None, max_rows=max_rows,
                        allow_service=allow_service, **_where(graph_path, store, endpoint, user, password))
    click.echo(result.serialize(fmt).rstrip("\n"))


@main.command()
@format_option("text", "json", what="the list")
def queries(fmt):
    """List the named queries with their parameters.

    \b
    Example:
      govkg queries
      govkg sparql --name tasks-due-before --param date=2023-12-31
    """
    found = api.queries()
    if fmt == "json":
        click.echo(_json([{"name": q.name, "title": q.title, "description": q.description,
                           "params": [{"name": p.name, "kind": p.kind, "meaning": p.meaning, "default": p.default}
                                      for p in q.params]} for q in found]))
        return
    for query in found:
        click.echo(f"{query.name}: {query.title}")
        for param in query.params:
            default = f" (default {param.default})" if param.default else ""
            click.echo(f"    --param {param.name}=<{param.kind}>  {param.meaning}{default}")


@main.command()
@click.argument("initiative")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for reading, json, or csv (one row per item, UTF-8) for spreadsheets.")
@where_options
def shared(initiative, fmt, graph_path, store, endpoint, user, password):
    """Which regions adopt an initiative, through which platforms, with one quote each.

    \b
    Example:
      govkg shared 一网通办
      govkg shared "one-network service" --format json
    """

    result = api.shared(initiative, **_where(graph_path, store, endpoint, user, password))
    if fmt != "table":
        click.echo(_json(result) if fmt == "json" else api.csv_text(result.rows()), nl=fmt == "json")
        return
    click.echo(f"{result.initiative.label}: {len(result.regions)} region(s)")
    if not result.regions:
        click.echo(f"  no region adopts {result.initiative.label} here: no document that governs a region commits "
                   f"to it (documents without a region are listed on `govkg build`'s 'not determined' line); "
                   f"`govkg show {result.initiative.label}` lists the documents that mention it")
    for row in result.regions:
        platforms = "、".join(p.label for p in row.platforms) or "—"
        click.echo(f"  {row.region.label} ({row.code})  platforms: {platforms}")
        if row.quote:
            click.echo(f"    《{row.quote.document_title}》 {row.quote.section}: “{row.quote.text}”")


@main.command()
@click.argument("region_a")
@click.argument("region_b")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for reading, json, or csv (one row per item, UTF-8) for spreadsheets.")
@where_options
def overlap(region_a, region_b, fmt, graph_path, store, endpoint, user, password):
    """Initiatives two regions share, and those only one of them has.

    \b
    Example:
      govkg overlap 哈尔滨市 青岛
    """

    result = api.overlap(region_a, region_b, **_where(graph_path, store, endpoint, user, password))
    if fmt != "table":
        click.echo(_json(result) if fmt == "json" else api.csv_text(result.rows()), nl=fmt == "json")
        return
    click.echo(f"{result.region_a.label} ∩ {result.region_b.label}: {len(result.shared)} shared, Jaccard {result.jaccard:.2f}")
    for title, rows in (("shared", result.shared), (f"only {result.region_a.label}", result.only_a),
                        (f"only {result.region_b.label}", result.only_b)):
        click.echo(f"{title} ({len(rows)}): " + "、".join(r.label for r in rows))
    for region, own in ((result.region_a, result.only_a), (result.region_b, result.only_b)):
        if not result.shared and not own:
            click.echo(f"{region.label} adopts no initiative in this graph: no document governing it commits to one "
                       f"{_NO_REGION_HINT}")


@main.command()
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="Pairs to list.")
@click.option("--by", type=click.Choice(values(SimilarityMeasure)), default="idf", show_default=True,
              help="idf: shared initiatives weighted by how rare they are; jaccard: plain; weighted: with platform kinds.")
@click.option("--matrix", is_flag=True, help="Print the full similarity matrix instead.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for reading, json, or csv (one row per item, UTF-8) for spreadsheets.")
@where_options
def similar(top, by, matrix, fmt, graph_path, store, endpoint, user, password):
    """Pairwise similarity of regions' plans, ranked (or as a matrix).

    \b
    Example:
      govkg similar --top 5
      govkg similar --matrix --format json
    """

    where = _where(graph_path, store, endpoint, user, password)
    if matrix:
        result = api.similarity_matrix(**where)
        if fmt != "table":
            click.echo(_json(result) if fmt == "json" else api.csv_text(result.rows(by)), nl=fmt == "json")
            return
        if not result.regions:
            click.echo(f"no region adopts an initiative in this graph, so there is nothing to compare {_NO_REGION_HINT}")
            return
        labels = [r.label for r in result.regions]
        values = getattr(result, by)
        click.echo("\t" + "\t".join(labels))
        for label, row in zip(labels, values):
            click.echo(label + "\t" + "\t".join(f"{v:.2f}" for v in row))
        return
    pairs = api.similar(top=top, by=by, **where)
    if fmt != "table":
        click.echo(_json(pairs) if fmt == "json" else api.csv_text([pair.row() for pair in pairs]), nl=fmt == "json")
        return
    if not pairs:
        click.echo(f"no pairs to compare: fewer than two regions adopt an initiative in this graph {_NO_REGION_HINT}")
    for pair in pairs:
        drivers = "、".join(d.label for d in pair.drivers) or "—"
        click.echo(f"{pair.a.label} — {pair.b.label}: idf {pair.idf:.2f}, jaccard {pair.jaccard:.2f}, "
                   f"weighted {pair.weighted:.2f}, {pair.shared} shared; most telling: {drivers}")


@main.command()
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="Nodes per type to list.")
@click.option("--community-ties", default=10, show_default=True, type=click.IntRange(0),
              help="Communities are found on each region's strongest ties (most shared initiatives), this many; "
                   "the output says how many ties that is of all. 0: every tie.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for reading, json, or csv (one row per item, UTF-8) for spreadsheets.")
@where_options
def central(top, community_ties, fmt, graph_path, store, endpoint, user, password):
    """Centrality of regions, initiatives and platforms, and communities of regions
    (Louvain modularity with a fixed seed, so runs repeat).

    \b
    Example:
      govkg central --top 5
    """

    result = api.central(community_ties=community_ties, **_where(graph_path, store, endpoint, user, password))
    if fmt != "table":
        click.echo(_json(result) if fmt == "json" else api.csv_text(result.rows()), nl=fmt == "json")
        return
    if not result.nodes:
        click.echo(f"no region adopts an initiative in this graph, so there is no network to rank {_NO_REGION_HINT}")
        return
    for family in ("Region", "Initiative", "Platform"):
        click.echo(f"{family} (eigenvector / betweenness / degree):")
        for node in result.ranked(family, top=top):
            click.echo(f"  {node.label}: {node.eigenvector:.3f} / {node.betweenness:.3f} / {node.degree:.3f}")
    if result.betweenness_sources:
        click.echo(f"(betweenness estimated from {result.betweenness_sources} sampled source nodes, seed {result.seed}: "
                   f"the network has {len(result.nodes):,} nodes)")
    click.echo(f"communities of regions (modularity {result.modularity:.2f}, seed {result.seed}):")
    if result.ties_capped:
        click.echo(f"  (found on each region's {result.community_ties} strongest ties: {result.ties_used:,} of "
                   f"{result.ties:,} ties; the modularity is on every tie; --community-ties 0 uses all)")
    if result.weak_communities:
        click.echo(f"  (weak: modularity below {api.WEAK_MODULARITY}, so these are not distinct groups of alike regions)")
    for index, community in enumerate(result.communities, start=1):
        click.echo(f"  {index}. " + "、".join(r.label for r in community))


@main.command()
@where_options
@click.option("--regions", help="Comma-separated regions (names, short forms or codes). [default: all governed regions]")
@click.option("--initiatives", "initiatives", multiple=True,
              help="An initiative (or a group such as 数据要素) to compare; repeatable. [default: all]")
@click.option("--diffusion", metavar="INITIATIVE",
              help="The initiative (or group) whose first adoptions the diffusion view shows. [default: the most adopted]")
@click.option("--quotes", default=3, show_default=True, type=click.IntRange(0),
              help="Quotes listed per matrix mark and per goal, the earliest documents' first; the rest are "
                   "counted (\"47 more passages in 12 documents\"). 0: list every quote.")
@click.option("--format", "fmt", type=click.Choice(values(ReportFormat)), help="[default: from -o, else html]")
@click.option("-o", "--output", "--out", "output", default="out/report.html", show_default=True, type=click.Path(dir_okay=False),
              help="File to write.")
def report(graph_path, store, endpoint, user, password, regions, initiatives, diffusion, quotes, fmt, output):
    """Write a comparison report of regions: a card per region, initiative matrix with the
    quotes behind every mark (regions as rows past six), when regions first adopted an
    initiative (curve and tile map), platforms, departments and tasks, goals, similarity.

    \b
    Example:
      govkg report --regions 哈尔滨,青岛 -o out/report.md
      govkg report --initiatives 数据要素 --format json -o out/report.json
      govkg report --diffusion 一网通办
    """
    import re

    names = [r for r in re.split(r"[,，]", regions) if r.strip()] if regions else None
    path = api.report(path=output, fmt=fmt, regions=names, initiatives=list(initiatives) or None, diffusion=diffusion,
                      quotes=quotes, **_where(graph_path, store, endpoint, user, password))
    click.echo(f"wrote {path}")


@main.command()
@where_options
@click.option("--view", default="shared", show_default=True,
              type=click.Choice(values(View)), help="What to show.")
@click.option("--focus", multiple=True, help="Show only this entity and what connects to it (repeatable).")
@click.option("--regions", multiple=True, help="Keep only these regions (and the regions inside them); repeatable.")
@click.option("--types", multiple=True, help="Keep only nodes of these classes (Province, Platform …); repeatable.")
@click.option("--max-nodes", default=2000, show_default=True, type=click.IntRange(1), help="Cap on nodes (most connected kept).")
@click.option("--max-edges", default=5000, show_default=True, type=click.IntRange(0),
              help="Cap on links drawn (every node's strongest link, then those between the most connected nodes); "
                   "the page says how many it leaves out. 0: all.")
@click.option("-o", "--output", "--out", "output", default="out/graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="HTML file to write.")
def viz(graph_path, store, endpoint, user, password, view, focus, regions, types, max_nodes, max_edges, output):
    """Write an interactive graph page (offline, self-contained HTML): who shares which
    initiatives, which platforms serve them, which departments lead which tasks; hover for a
    quote, click for all the evidence, search and filter by type and region.

    \b
    Example:
      govkg viz --focus 一网通办 -o out/one-network.html
      govkg viz --view tasks --regions 哈尔滨
    """

    options = api.VizOptions(view=view, focus=tuple(focus), regions=tuple(regions), types=tuple(types), max_nodes=max_nodes,
                             max_edges=max_edges)
    click.echo(f"wrote {api.viz(path=output, options=options, **_where(graph_path, store, endpoint, user, password))}")


@main.command()
@click.option("-o", "--output", "--out", "output", default="out/ontology.html", show_default=True,
              type=click.Path(dir_okay=False), help="HTML file to write.")
def docs(output):
    """Write the ontology's documentation page (pyLODE): every class and property with its zh and
    en labels and definitions, the ontology's version, licence and preferred prefix. One offline
    HTML file. Needs the docs extra: pip install 'govkg[docs]'.

    \b
    Example:
      govkg docs -o out/ontology.html
    """

    click.echo(f"wrote {api.docs(path=output)}")


@main.command()
@click.argument("checksets", nargs=-1, type=click.Path(dir_okay=False, exists=True))
@click.option("--sources", "search_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="Directory holding the check sets' source files (repeatable).")
@click.option("--held-out", is_flag=True,
              help="Score each source with a platform scorer fitted without it (needs scikit-learn).")
@click.option("--totals", is_flag=True,
              help="Print only the sums per group: sample, corpus, development set (work reports, other genres), all.")
@format_option("text", "json", what="the rows")
def evaluate(checksets, search_dirs, held_out, totals, fmt):
    """Precision and recall of the extractor against hand-annotated check sets.

    Default: tests/checkset/ (sample, initiatives by region, the corpus check sets and the
    development set's) for the sources found in data/, ../shared/corpus and ../shared/devcorpus.

    \b
    Example:
      govkg evaluate
      govkg evaluate --held-out --totals
      govkg evaluate tests/checkset/sample.json --sources data
    """
    import dataclasses

    rows = api.evaluate(list(checksets) or None, search_dirs=list(search_dirs) or None, held_out=held_out, totals=totals)
    if fmt == "json":
        click.echo(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=1))
    else:
        click.echo(api.format_rows(rows))


if __name__ == "__main__":  # pragma: no cover
    main()
