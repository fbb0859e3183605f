"""govkg's library API. The CLI is a thin layer over these functions.

>>> from kg import api
>>> result = api.build(["data"], out_dir=None)           # doctest: +SKIP
>>> result.counts["ImplementationScheme"]                 # doctest: +SKIP
2
"""
from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

# The build (kg.ingest.pipeline and the extractors behind it), validation, the evaluation, the
# server, the ontology page and pushing to an endpoint are imported in the functions that use
# them: together 0.2-0.3 s that every analysis command paid at start (issue #14).
from kg.ingest.stages import STAGES, Stage
from kg.ingest.summary import build_summary, stage_dump
from kg.core.errors import BuildFailed, KGError, NotFoundError, SourceError
from kg.outputs import analytics
from kg.outputs.analytics import WEAK_MODULARITY
from kg.outputs.export import Tables, csv_text, export_tables, table_rows
from kg.outputs.frames import frame
from kg.outputs.report import QUOTES_SHOWN, write_report
from kg.outputs.viz import VizOptions, write_graph_html
from kg.query.engines import open_target
from kg.query.lookup import EntityView, describe, resolve_entity
from kg.query.named import list_queries, named_query, query_from
from kg.query.sparql import run_query
from kg.store.graphstore import GraphStore
from kg.store.rdfio import DEFAULT_OUTPUTS, OUTPUT_FILES
from kg.store.rdfio import load_graph as load

if TYPE_CHECKING:  # for the annotations and the names __getattr__ hands on: each loads when used
    from rdflib import Graph

    from kg.evaluation.evaluate import format_rows
    from kg.evaluation.rows import Row
    from kg.ingest.pipeline import BuildState
    from kg.ingest.validate import ValidationReport
    from kg.outputs.analytics import CentralityResult, OverlapResult, SharedResult, SimilarityMatrix, SimilarPairs
    from kg.query.named import NamedQuery
    from kg.query.results import QueryResult
    from kg.query.server import ServeOptions
    from kg.store.view import GraphView

DEFAULT_DATA = Path("data")
DEFAULT_OUT = Path("out")


@dataclass
class BuildResult:
    state: BuildState
    counts: dict[str, int] = field(default_factory=dict)  # class local name -> instances
    per_document: list[dict] = field(default_factory=list)
    stopped_after: str = "serialize"

    @property
    def conforms(self) -> bool | None:
        return None if self.state.report is None else self.state.report.conforms

    @property
    def errors(self) -> list[SourceError]:
        return self.state.errors

    @property
    def warnings(self) -> list[str]:
        return self.state.warnings

    def to_frame(self):
        """A row per document (source, title, genre, region, counts) as a pandas DataFrame
        (needs the ``frames`` extra: pip install 'govkg[frames]')."""
        return frame(self.per_document)

    def __repr__(self) -> str:
        total = sum(self.counts.values())
        return (f"BuildResult({len(self.per_document)} documents, {total:,} entities, stopped after {self.stopped_after}"
                f"{', conforms' if self.conforms else ', does not conform' if self.conforms is False else ''})")


def _count(state: BuildState) -> tuple[dict[str, int], list[dict]]:
    from kg.ingest.pipeline import document_row

    per_class: collections.Counter = collections.Counter()
    seen: set[str] = set()
    per_document = []
    for source in state.sources:
        for extraction in state.extractions.get(source.name, []):
            per_document.append(document_row(source.name, extraction))
            for entity in [extraction.document, *extraction.entities]:
                if entity.iri not in seen:
                    seen.add(entity.iri)
                    per_class[entity.type] += 1
    return dict(sorted(per_class.items())), per_document


@dataclass(frozen=True)
class BuildOptions:
    """How a build runs; defaults in one place.

    ``out_dir``: where the output files go (None: write no files); ``formats``: which (keys of
    :data:`kg.store.rdfio.OUTPUT_FILES`: ttl, trig, jsonld, nq; default ttl and trig). ``store``: an Oxigraph
    store directory that keeps one named graph per source and skips unchanged sources (None:
    build everything in memory). ``until``: the last stage to run. ``validate``: run SHACL on
    what was rebuilt. ``jobs``: processes for segment/extract/resolve (with ``executor`` "dask"
    and no ``scheduler``: the workers of a local dask cluster). ``executor``: where a store build
    runs each source's work (:data:`kg.ingest.executors.EXECUTORS`: "local", or "dask" on the
    dask.distributed cluster at ``scheduler``, e.g. "tcp://host:8786"). ``shards``: a directory
    to write each source's graph to as N-Quads (``<file key>.nq``) for another store to bulk-load.
    """

    out_dir: str | Path | None = DEFAULT_OUT
    store: str | Path | None = None
    until: str = "serialize"
    validate: bool = True
    jobs: int = 1
    formats: tuple[str, ...] = DEFAULT_OUTPUTS
    executor: str = "local"
    scheduler: str | None = None
    shards: str | Path | None = None


def _check_executor(options: BuildOptions) -> None:
    from kg.ingest.executors import EXECUTORS

    if options.executor not in EXECUTORS:
        raise KGError(f"unknown executor '{options.executor}'", fix="choose one of: " + ", ".join(EXECUTORS))
    if options.scheduler is not None and options.executor == "local":
        raise KGError("--scheduler needs --executor dask", fix="add --executor dask, or drop --scheduler")
    into_store = options.store is not None and options.until == "serialize"
    if not into_store and (options.executor != "local" or options.shards is not None):
        what = f"--executor {options.executor}" if options.executor != "local" else "--shards"
        raise KGError(f"{what} works on a build into the store", fix="drop --no-store and --until")


def build(paths: list[str | Path] | None = None, options: BuildOptions | None = None, *,
          progress: Callable[[str], None] | None = None, **overrides) -> BuildResult:
    """Build the knowledge graph from documents.

    ``paths`` are files or directories (default ``data/``); ``options`` (or keyword overrides
    of its fields, e.g. ``out_dir=None``) say where to write and how. Sources that cannot be
    read are skipped and listed in ``result.errors``; everything else is still built, stored
    and written. With a store, sources whose content is unchanged are not rebuilt
    (``result.state.unchanged``), and the output files hold everything in the store.

    Raises :class:`BuildFailed` only when no source could be read at all.

    >>> result = build(["data"], out_dir=None)                 # doctest: +SKIP
    >>> result.counts["Task"]                                  # doctest: +SKIP
    183
    """
    import dataclasses

    from kg.ingest.pipeline import (BuildState, stage_build_into_store, stage_collect_reports, stage_extract,
                                   stage_extract_parallel, stage_read, stage_resolve, stage_segment, stage_serialize,
                                   stage_to_rdf, stage_validate)
    from kg.ingest.readers import discover

    options = dataclasses.replace(options or BuildOptions(), **overrides)
    if options.until not in STAGES:
        raise KGError(f"unknown stage '{options.until}'", fix="choose one of: " + ", ".join(STAGES))
    unknown = [name for name in options.formats if name not in OUTPUT_FILES]
    if unknown or not options.formats:
        raise KGError(f"unknown output format '{unknown[0] if unknown else ''}'",
                      fix="choose from: " + ", ".join(OUTPUT_FILES))
    _check_executor(options)
    notices: list[str] = []
    state = BuildState(paths=discover(paths or [DEFAULT_DATA], notices))
    state.warnings.extend(notices)
    if not state.paths:
        raise KGError(f"no documents found in {', '.join(str(p) for p in paths or [DEFAULT_DATA])}",
                      fix="give .txt, .md, .html, .docx or .pdf files or a directory holding them")
    if options.store is not None and options.until == "serialize":
        state.store = GraphStore(options.store)
    stop = STAGES.index(options.until)
    if state.store is not None:
        stage_read(state, progress)
        if not state.sources and not state.unchanged:
            state.store = None
            raise BuildFailed(state.errors)
        stage_build_into_store(state, jobs=options.jobs, validate=options.validate, executor=options.executor,
                               scheduler=options.scheduler, progress=progress,
                               shards=Path(options.shards) if options.shards is not None else None,
                               turtle=options.out_dir is not None and bool({"ttl", "trig"} & set(options.formats)))
        stage_serialize(state, Path(options.out_dir) if options.out_dir is not None else None, options.formats)
        stage_collect_reports(state)
        state.store = None  # releases the store's lock (Oxigraph closes it when the object goes)
        counts = collections.Counter(state.entity_types.values())
        return BuildResult(state=state, counts=dict(sorted(counts.items())), per_document=state.documents,
                           stopped_after=options.until)
    parallel = options.jobs > 1 and stop >= STAGES.index("extract")
    steps = [
        (Stage.READ, lambda: stage_read(state, progress)),
        (Stage.SEGMENT, lambda: None if parallel else stage_segment(state)),
        (Stage.EXTRACT, lambda: stage_extract_parallel(state, options.jobs) if parallel else stage_extract(state)),
        (Stage.RESOLVE, lambda: None if parallel else stage_resolve(state)),
        (Stage.TO_RDF, lambda: stage_to_rdf(state)),
        (Stage.VALIDATE, lambda: stage_validate(state) if options.validate and state.sources else None),
        (Stage.SERIALIZE, lambda: stage_serialize(state, Path(options.out_dir) if options.out_dir is not None else None, options.formats)),
    ]
    for index, (stage, run) in enumerate(steps):
        if index > stop:
            break
        run()
        if stage is Stage.READ and not state.sources and not state.unchanged:
            state.store = None  # releases the store's lock
            raise BuildFailed(state.errors)
    state.store = None  # releases the store's lock (Oxigraph closes it when the object goes)
    counts, per_document = _count(state)
    return BuildResult(state=state, counts=counts, per_document=per_document, stopped_after=options.until)


def serve(store: str | Path, options: ServeOptions | None = None, *, on_start=None, on_change=None) -> int:
    """Serve a store read-only as a SPARQL 1.1 endpoint until SIGINT/SIGTERM (:mod:`kg.query.server`:
    a snapshot of the store, SERVICE refused, a time and size limit per query)."""
    from kg.query.server import serve as serve_store

    return serve_store(store, options, on_start=on_start, on_change=on_change)


def remove(names: list[str], *, store: str | Path) -> list[str]:
    """Delete sources (by file name) from a store; returns the names that were there."""

    if not GraphStore.exists(store):
        raise KGError(f"{store}: no store here", fix="run `govkg build` first, or pass --store DIR")
    graph_store = GraphStore(store)
    removed = [name for name in names if graph_store.remove_source(Path(name).name)]
    graph_store.flush()
    return removed


def sparql(query: str, *, params: dict[str, str] | None = None, name: str | None = None,
           graph_path: str | Path | None = None, store: str | Path | None = None, endpoint: str | None = None,
           user: str | None = None, password: str | None = None, timeout: float | None = None,
           max_rows: int | None = None, allow_service: bool = False) -> QueryResult:
    """Run a SPARQL 1.1 query (text, or a named query with ``params``) on the endpoint, the graph
    file, or the store (default out/store when it exists, else out/govkg.ttl). Returns a
    :class:`kg.query.results.QueryResult`; raises :class:`QueryError` with line and column on bad syntax,
    :class:`QueryLimitError` past ``timeout`` seconds or ``max_rows`` rows, or for a SERVICE
    call on a local graph without ``allow_service``."""

    target = open_target(graph_path, store=store, endpoint=endpoint, user=user, password=password)
    text = named_query(name, params or {}, graph=target.names) if name else query
    return run_query(target.target, text, engine=target.engine, timeout=timeout, max_rows=max_rows,
                     allow_service=allow_service)


def queries() -> list[NamedQuery]:
    """The bundled named queries (title, description, parameters)."""

    return list_queries()


def analysis_graph(graph_path: str | Path | None = None, *, store: str | Path | None = None, endpoint: str | None = None,
                   user: str | None = None, password: str | None = None) -> GraphView:
    """The graph the analysis commands, the report, the graph page and the tables read, from
    wherever it lives (default: the store out/store, else out/govkg.ttl): a
    :class:`kg.store.view.GraphView` over Oxigraph, read in place (no copy of the store)."""

    return open_target(graph_path, store=store, endpoint=endpoint, user=user, password=password).view()


def shared(initiative: str, *, graph: Graph | GraphView | None = None, **where) -> SharedResult:
    """Regions adopting an initiative, their platforms serving it and one quote each
    (:class:`kg.outputs.analytics.SharedResult`)."""
    return analytics.shared(graph if graph is not None else analysis_graph(**where), initiative)


def overlap(region_a: str, region_b: str, *, graph: Graph | GraphView | None = None, **where) -> OverlapResult:
    """Initiatives two regions share and those only one has (:class:`kg.outputs.analytics.OverlapResult`)."""
    return analytics.overlap(graph if graph is not None else analysis_graph(**where), region_a, region_b)


def similar(*, top: int | None = 10, by: str = "idf", graph: Graph | GraphView | None = None, **where) -> SimilarPairs:
    """Region pairs ranked by similarity (``idf``: Jaccard weighted by rarity, ``jaccard``, or ``weighted``)."""
    return analytics.similar(graph if graph is not None else analysis_graph(**where), top=top, by=by)


def similarity_matrix(*, graph: Graph | GraphView | None = None, **where) -> SimilarityMatrix:
    """The Jaccard similarity of every pair of regions, as a matrix."""
    return analytics.similarity_matrix(graph if graph is not None else analysis_graph(**where))


def central(*, community_ties: int | None = analytics.COMMUNITY_TIES, graph: Graph | GraphView | None = None,
            **where) -> CentralityResult:
    """Centrality of regions, initiatives and platforms, and communities of regions (Louvain on
    each region's ``community_ties`` strongest ties; 0 or None: every tie; the result says how
    many ties it saw: ``ties_used`` of ``ties``)."""
    return analytics.central(graph if graph is not None else analysis_graph(**where), community_ties=community_ties)


def export_network(path: str | Path, *, fmt: str = "graphml", network: str = "policy", graph: Graph | GraphView | None = None, **where) -> Path:
    """Write a network (policy, region-initiative, region-region, platform-initiative,
    department-task) as GraphML or GEXF for Gephi and other graph tools."""
    return analytics.export_network(graph if graph is not None else analysis_graph(**where), path, fmt, network=network)


def report(graph_path: str | Path | None = None, *, path: str | Path = DEFAULT_OUT / "report.html", fmt: str | None = None,
           regions: list[str] | None = None, initiatives: list[str] | None = None, diffusion: str | None = None,
           quotes: int = QUOTES_SHOWN, graph: Graph | GraphView | None = None, **where) -> Path:
    """Write the comparison report of regions (Markdown, HTML or JSON, from ``fmt`` or the
    suffix of ``path``); regions default to every region a policy document governs; the
    diffusion view follows the initiative ``diffusion`` (default: the one most regions adopt).
    Each matrix mark and goal lists at most ``quotes`` quotes (the earliest documents' first)
    and counts the rest (``more``: passages and documents); ``quotes=0`` lists every one."""

    graph = graph if graph is not None else analysis_graph(graph_path, **where)
    return write_report(graph, path=path, fmt=fmt, regions=regions, initiatives=initiatives, diffusion=diffusion,
                        quotes=quotes)


def viz(graph_path: str | Path | None = None, *, path: str | Path = DEFAULT_OUT / "graph.html", options=None,
        graph: Graph | GraphView | None = None, **where) -> Path:
    """Write the interactive graph page (one self-contained, offline HTML file) for a view
    (:class:`kg.outputs.viz.VizOptions`: shared, platforms, tasks or full)."""

    graph = graph if graph is not None else analysis_graph(graph_path, **where)
    return write_graph_html(graph, path=path, options=options or VizOptions())


def docs(*, path: str | Path = DEFAULT_OUT / "ontology.html") -> Path:
    """Write the ontology's documentation page (pyLODE; one offline HTML file listing every
    class and property with its zh and en labels and definitions). Needs the ``docs`` extra:
    ``pip install 'govkg[docs]'``."""

    from kg.outputs.docs import write_ontology_page

    return write_ontology_page(path)


def push(*, endpoint: str, graph_store: str | None = None, user: str | None = None, password: str | None = None,
         store: str | Path = DEFAULT_OUT / "store") -> list[str]:
    """Upload every named graph of a store to a remote store (Graph Store HTTP Protocol, PUT).
    ``graph_store`` defaults to ``endpoint`` with a trailing /query or /sparql replaced by /store."""
    from kg.store.remote import Endpoint, push_graphs

    if not GraphStore.exists(store):
        raise KGError(f"{store}: no store here", fix="run `govkg build` first, or pass --store DIR")
    graph_store = graph_store or re.sub(r"/(query|sparql)/?$", "/store", endpoint)
    named = GraphStore(store, read_only=True).named_quads()
    return push_graphs(Endpoint(endpoint, graph_store, user, password), named)


def load_graph(path: str | Path | None = None) -> Graph:
    """The built graph: ``path`` (Turtle, TriG, N-Triples or JSON-LD), default ``out/govkg.ttl``."""

    return load(Path(path or DEFAULT_OUT / "govkg.ttl"))


def validate(graph_path: str | Path | None = None, *, store: str | Path | None = None) -> ValidationReport:
    """SHACL-validate a built graph against ``ontology/shapes.ttl``; returns a ValidationReport.

    A graph file (default out/govkg.ttl) is checked by pySHACL; a build's ``store`` by the
    shapes compiled into SPARQL, run on its union graph in one pass (what a build runs), so a
    store of any size is checked without copying it into Python. The shapes that hold within
    each source (``gk:checkedWithinSource``) run on each source's graph of a store or of a TriG
    or N-Quads file; a file of one graph cannot tell its sources apart, and leaves them out."""
    from kg.ingest.validate import validate_graph, validate_store

    if store is not None:
        if not GraphStore.exists(Path(store)):
            raise KGError(f"{store}: no store here", fix="run `govkg build` first, or give the graph file")
        return validate_store(GraphStore(store, read_only=True).oxigraph)
    return validate_graph(load(Path(graph_path or DEFAULT_OUT / "govkg.ttl"), keep_graphs=True))


def show(name: str, *, graph_path: str | Path | None = None, graph: Graph | GraphView | None = None, **where) -> EntityView:
    """What the graph says about one entity: a region (name, short form or code), an
    initiative (any label), a document title, or any other labelled entity.

    Raises :class:`NotFoundError` listing the closest names when ``name`` is unknown or ambiguous.
    """

    graph = graph if graph is not None else analysis_graph(graph_path, **where)
    iri = resolve_entity(graph, name)
    return describe(graph, iri)


def export(graph_path: str | Path | None = None, *, out_dir: str | Path = DEFAULT_OUT / "tables",
           fmt: str = "json", graph: Graph | GraphView | None = None, **where) -> list[Path]:
    """Write ``entities``, ``relations`` and ``evidence`` tables (``fmt`` "json", "csv" or "xlsx": one workbook)
    for people who don't speak RDF; returns the files written (atomically).

    Network formats ("graphml", "gexf") are written by :func:`export_network`.
    """

    return export_tables(graph if graph is not None else analysis_graph(graph_path, **where), out_dir=out_dir, fmt=fmt)


def tables(graph_path: str | Path | None = None, *, graph: Graph | GraphView | None = None, **where) -> Tables:
    """The ``entities``, ``relations`` and ``evidence`` tables in memory (what :func:`export`
    writes), each a list of rows; ``.to_frame(name)`` gives one as a pandas DataFrame."""

    return table_rows(graph if graph is not None else analysis_graph(graph_path, **where))


def build_graph(path: str | Path) -> Graph:
    """The graph of one source file, built in memory without validation (what the evaluation
    scores)."""
    return build([path], out_dir=None, validate=False).state.graph


def evaluate(checksets: list[str | Path] | None = None, *, search_dirs: list[str | Path] | None = None,
             held_out: bool = False, totals: bool = False) -> list[Row]:
    """Precision and recall of the extractor against hand-annotated check sets (default: the
    check sets under tests/checkset/ whose sources can be found in ``search_dirs``, data/,
    ../shared/corpus and the folders of ../shared/devcorpus).

    ``held_out=True`` scores each source with a platform scorer fitted on the other sources only
    (needs scikit-learn: ``pip install 'govkg[fit]'``), so the figures are on unseen documents.
    ``totals=True`` returns only the sums per group of check sets (sample, corpus, development
    set work reports, development set other genres, development set, all).
    """
    from kg.evaluation.evaluate import evaluate_checksets, group_totals, load_checkset
    from kg.evaluation.platform_fit import held_out_rows

    root = Path(__file__).resolve().parent.parent
    if not checksets:
        base = root / "tests" / "checkset"
        checksets = [base / "sample.json", base / "initiatives_by_region.json", *sorted((base / "corpus").glob("*.json")),
                     *sorted(p for p in (base / "devcorpus").glob("*/*.json") if p.parent.name not in ("passes", "adjudication"))]
    shared = root.parent / "shared"
    dirs = [Path(d) for d in (search_dirs or [])] + [DEFAULT_DATA, root / "data", shared / "corpus",
                                                     *sorted(d for d in (shared / "devcorpus").glob("*") if d.is_dir())]
    dirs = [d for d in dirs if d.is_dir()]
    paths = [Path(c) for c in checksets]
    if held_out:
        rows = held_out_rows(paths, dirs, build_graph=build_graph)
    else:
        rows = evaluate_checksets(paths, search_dirs=dirs, skip_missing=True, build_graph=build_graph)
    if not totals:
        return rows
    scored = {row.checkset for row in rows}
    groups: dict[str, list[str]] = {}
    for path in paths:
        if path.name not in scored:
            continue
        data = load_checkset(path)
        genre = next((d.get("genre") for d in data.get("documents") or []), None)
        if path.parent.parent.name == "devcorpus":
            groups.setdefault("dev: work reports" if genre == "WorkReport" else "dev: other genres", []).append(path.name)
            groups.setdefault("dev: all", []).append(path.name)
        else:
            groups.setdefault("corpus" if path.parent.name == "corpus" else "sample", []).append(path.name)
        groups.setdefault("all", []).append(path.name)
    order = ["sample", "corpus", "dev: work reports", "dev: other genres", "dev: all", "all"]
    return group_totals(rows, {name: groups[name] for name in order if name in groups})


# Names the library hands on from modules imported when first asked for (see the imports above).
_HANDED_ON = {"ServeOptions": "kg.query.server", "format_rows": "kg.evaluation.evaluate"}


def __getattr__(name: str):
    if name in _HANDED_ON:
        import importlib

        return getattr(importlib.import_module(_HANDED_ON[name]), name)
    raise AttributeError(f"module 'kg.api' has no attribute '{name}'")


__all__ = ["build", "BuildOptions", "BuildResult", "build_graph", "build_summary", "stage_dump", "remove", "load_graph", "validate", "show", "EntityView", "sparql", "queries", "query_from", "analysis_graph", "shared", "overlap", "similar", "similarity_matrix", "central", "WEAK_MODULARITY", "export_network", "export", "tables", "Tables", "csv_text", "report", "viz", "VizOptions", "docs", "push", "serve", "ServeOptions", "evaluate", "format_rows", "NotFoundError"]
