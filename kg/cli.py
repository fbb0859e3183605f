"""The ``govkg`` command line: each command parses options, calls one :mod:`kg.api`
function and prints a summary. Errors are turned into messages and exit codes here, once:
0 ok, 1 ran but found problems, 2 usage, 3 error (bad input, broken ontology)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import BuildFailed, KGError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3


class GovkgGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BuildFailed as error:
            for failure in error.errors:
                click.echo(f"error: {failure}", err=True)
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_ERROR)
        except KGError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=GovkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govkg", prog_name="govkg")
def main():
    """govkg: turn Chinese digital-government policy documents into an evidence-backed
    RDF knowledge graph, and query, compare and explore it.

    \b
    Example:
      govkg build data/ --out out/
      govkg show 青岛市
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Directory for govkg.ttl, govkg.trig and govkg.jsonld.")
@click.option("--until", type=click.Choice(["read", "segment", "extract", "resolve", "to_rdf", "validate", "serialize"]),
              default="serialize", show_default=True, help="Stop after this stage and print what it produced.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="Oxigraph store keeping one named graph per source; unchanged sources are skipped. [default: OUT/store]")
@click.option("--no-store", is_flag=True, help="Build everything in memory, keep no store.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes for segmenting and extracting.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def build(paths, out_dir, until, no_validate, store_dir, no_store, jobs, as_json):
    """Build the knowledge graph from documents (default: data/).

    PATHS are files or directories of .txt, .md, .html, .docx or .pdf documents. Writes
    govkg.ttl (deterministic Turtle), govkg.trig (one named graph per source file) and
    govkg.jsonld. Unreadable files are reported at the end (exit 3); the rest is built.
    The store (OUT/store) keeps each source's graph and content hash: a second build skips
    unchanged files and replaces changed ones, each in one transaction.

    \b
    Example:
      govkg build data/ --out out/ --jobs 2
      govkg build plan.docx --until extract
    """
    from . import api
    from .summary import build_summary, stage_dump

    progress = None
    if not as_json and sys.stderr.isatty():
        progress = lambda name: click.echo(f"  read {name}", err=True)  # noqa: E731
    store = None if no_store else (store_dir or str(Path(out_dir) / "store"))
    options = api.BuildOptions(out_dir=out_dir if until == "serialize" else None, store=store, until=until,
                               validate=not no_validate, jobs=jobs)
    result = api.build(list(paths) or None, options, progress=progress)
    if until != "serialize":
        click.echo(stage_dump(result, as_json=as_json))
    else:
        click.echo(json.dumps(build_summary(result), ensure_ascii=False, indent=1) if as_json
                   else build_summary(result, text=True))
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
def serve(store_dir, host, port):
    """Serve the store read-only as a SPARQL 1.1 endpoint (the Oxigraph server); Ctrl-C stops it.

    Needs the server extra: pip install 'govkg[server]'.

    \b
    Example:
      govkg serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * {?s ?p ?o} LIMIT 3' http://127.0.0.1:7878/query
    """
    from .server import serve as run_server

    def started(urls):
        click.echo(f"SPARQL endpoint: {urls['sparql']}")
        click.echo(f"query page:      {urls['page']}")
        click.echo("press Ctrl-C to stop", err=True)

    sys.exit(run_server(store_dir, host=host, port=port, on_start=started))


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
    from . import api

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
    from . import api

    removed = api.remove(list(names), store=store_dir)
    for name in names:
        click.echo(f"removed {name}" if Path(name).name in removed else f"not in the store: {name}")
    if len(removed) < len(names):
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.argument("graph", required=False, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
def validate(graph, as_json):
    """Validate a built graph against the SHACL shapes (default: out/govkg.ttl).

    Exit 1 when the graph does not conform.

    \b
    Example:
      govkg validate out/govkg.ttl
    """
    from . import api

    report = api.validate(graph)
    if as_json:
        click.echo(json.dumps({"conforms": report.conforms, "violations": [v.__dict__ for v in report.violations]},
                              ensure_ascii=False, indent=1))
    else:
        for violation in report.violations:
            click.echo(f"{violation.severity}: {violation.focus} {violation.path or ''}: {violation.message}")
        click.echo("conforms" if report.conforms else f"does not conform: {len(report.violations)} violation(s)")
    if not report.conforms:
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.argument("name")
@click.option("--graph", "graph_path", type=click.Path(dir_okay=False), help="Graph file (default out/govkg.ttl).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--limit", default=10, show_default=True, help="Quotes to print (JSON prints all).")
def show(name, graph_path, as_json, limit):
    """Show what the graph says about one entity, with the quotes behind it.

    NAME is a region (青岛, 青岛市 or 370200), an initiative (一网通办 or any altLabel or its
    English label), a document title or any other label.

    \b
    Example:
      govkg show 哈尔滨
      govkg show 一网通办 --limit 3
    """
    from . import api

    view = api.show(name, graph_path=graph_path)
    if as_json:
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
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True,
              help="Table format.")
@click.option("--out", "out_dir", default="out/tables", show_default=True, type=click.Path(file_okay=False),
              help="Directory for entities, relations and evidence tables.")
def export(graph, fmt, out_dir):
    """Export the graph as entities, relations and evidence tables (default: out/govkg.ttl).

    \b
    Example:
      govkg export --format csv --out out/tables
    """
    from . import api

    for path in api.export(graph, out_dir=out_dir, fmt=fmt):
        click.echo(f"wrote {path}")


@main.command()
@click.option("--graph", "graph_path", type=click.Path(dir_okay=False), help="Graph file (default out/govkg.ttl).")
@click.option("--regions", help="Comma-separated regions (names, short forms or codes). [default: all governed regions]")
@click.option("--initiatives", "initiatives", multiple=True,
              help="An initiative (or a group such as 数据要素) to compare; repeatable. [default: all]")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), help="[default: from -o, else html]")
@click.option("-o", "--output", default="out/report.html", show_default=True, type=click.Path(dir_okay=False),
              help="File to write.")
def report(graph_path, regions, initiatives, fmt, output):
    """Write a comparison report of regions: documents, initiative matrix with the quotes behind
    every mark, platforms, departments and tasks, goals, similarity.

    \b
    Example:
      govkg report --regions 哈尔滨,青岛 -o out/report.md
      govkg report --initiatives 数据要素 --format json -o out/report.json
    """
    import re

    from . import api

    names = [r for r in re.split(r"[,，]", regions) if r.strip()] if regions else None
    path = api.report(graph_path, path=output, fmt=fmt, regions=names, initiatives=list(initiatives) or None)
    click.echo(f"wrote {path}")


@main.command()
@click.option("--graph", "graph_path", type=click.Path(dir_okay=False), help="Graph file (default out/govkg.ttl).")
@click.option("--view", default="shared", show_default=True,
              type=click.Choice(["shared", "platforms", "tasks", "full"]), help="What to show.")
@click.option("--focus", multiple=True, help="Show only this entity and what connects to it (repeatable).")
@click.option("--regions", multiple=True, help="Keep only these regions (and the regions inside them); repeatable.")
@click.option("--types", multiple=True, help="Keep only nodes of these classes (Province, Platform …); repeatable.")
@click.option("--max-nodes", default=2000, show_default=True, type=click.IntRange(1), help="Cap on nodes (most connected kept).")
@click.option("-o", "--output", default="out/graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="HTML file to write.")
def viz(graph_path, view, focus, regions, types, max_nodes, output):
    """Write an interactive graph page (offline, self-contained HTML): who shares which
    initiatives, which platforms serve them, which departments lead which tasks; hover for a
    quote, click for all the evidence, search and filter by type and region.

    \b
    Example:
      govkg viz --focus 一网通办 -o out/one-network.html
      govkg viz --view tasks --regions 哈尔滨
    """
    from . import api
    from .viz import VizOptions

    options = VizOptions(view=view, focus=tuple(focus), regions=tuple(regions), types=tuple(types), max_nodes=max_nodes)
    click.echo(f"wrote {api.viz(graph_path, path=output, options=options)}")


@main.command()
@click.argument("checksets", nargs=-1, type=click.Path(dir_okay=False, exists=True))
@click.option("--sources", "search_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="Directory holding the check sets' source files (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def evaluate(checksets, search_dirs, as_json):
    """Precision and recall of the extractor against hand-annotated check sets.

    Default: tests/checkset/*.json (sample, initiatives by region, and the corpus check sets
    whose sources are found in data/ or ../shared/corpus).

    \b
    Example:
      govkg evaluate
      govkg evaluate tests/checkset/sample.json --sources data
    """
    import dataclasses

    from . import api
    from .evaluate import format_rows

    rows = api.evaluate(list(checksets) or None, search_dirs=list(search_dirs) or None)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=1))
    else:
        click.echo(format_rows(rows))


if __name__ == "__main__":  # pragma: no cover
    main()
