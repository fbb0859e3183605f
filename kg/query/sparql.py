"""SPARQL over the knowledge graph: run a query (with its limits: time, rows, no SERVICE on
local graphs) through a small engine registry. Results: :mod:`kg.query.results`; named
queries: :mod:`kg.query.named`.

Queries run through a small engine registry: an engine takes the target (for the built-in
``oxigraph`` engine, an Oxigraph store, a :class:`kg.store.view.GraphView` or an rdflib Graph,
which is loaded into an in-memory store; for ``endpoint``, a remote SPARQL endpoint), the query
text, the prefixes to predeclare and initial bindings, and returns a :class:`QueryResult`.
One engine answers every local query, so a query gives the same rows on a graph file, on the
store and on a graph built in memory.

>>> from kg import api; from kg.query import named, sparql
>>> graph = api.build(["data"], out_dir=None).state.graph            # doctest: +SKIP
>>> text = named.named_query("regions-adopting", {"initiative": "一网通办"}, graph=graph)  # doctest: +SKIP
>>> print(sparql.run_query(graph, text).serialize("table"))           # doctest: +SKIP
"""
from __future__ import annotations

import dataclasses
import itertools
import re
from typing import Callable, Iterator, Mapping, Protocol

from kg.core.errors import QueryError, QueryLimitError
from kg.core.namespaces import EVIDENCE_GRAPH, PREFIXES, QUERY_GRAPHS
from kg.query.default_graph import default_graphs
from kg.query.ordering import sorted_rows, split_final_order
from kg.query.results import QueryKind, QueryResult
from kg.store.rdfio import has_union_graph, ox_term
from kg.store.view import oxigraph_store, rdflib_term

# ---------------------------------------------------------------------------------- engines

class Engine(Protocol):
    """Runs ``query_text`` against ``target``. ``prefixes`` are predeclared (the query may
    redeclare them); ``bindings`` map variable names to terms fixed before evaluation;
    ``max_rows``, when given, stops reading solutions after that many plus one (the caller
    reports the overflow), so an unbounded result never fills memory."""

    def __call__(self, target, query_text: str, *, prefixes: Mapping[str, str],
                 bindings: Mapping[str, object], max_rows: int | None = None) -> QueryResult: ...


_ENGINES: dict[str, Engine] = {}


def register_engine(name: str, engine: Engine) -> None:
    """Make ``engine`` available as ``run_query(..., engine=name)``."""
    _ENGINES[name] = engine


def engines() -> list[str]:
    return sorted(_ENGINES)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _unknown_prefix(text: str, prefix: str) -> QueryError:
    match = re.search(rf"(?<![\w:/#<\"'.-]){re.escape(prefix)}:", text)
    where = "line {}, column {}: ".format(*_position(text, match.start())) if match else ""
    return QueryError(f"SPARQL error at {where}unknown prefix '{prefix}:'",
                      fix=f"declare it (PREFIX {prefix}: <...>) or use one of: " + ", ".join(sorted(PREFIXES)))


def _oxigraph_syntax_error(query_text: str, exc: SyntaxError) -> QueryError:
    """Oxigraph's parser message (``error at L:C: expected one of …``) as one readable line."""
    message = str(exc)
    where = re.search(r"error at (\d+):(\d+)", message)
    if not where:
        return QueryError(f"SPARQL syntax error: {message.splitlines()[0][:200]}", fix="check the query against SPARQL 1.1")
    lineno, col = int(where[1]), int(where[2])
    lines = query_text.splitlines() or [""]
    line = lines[lineno - 1] if lineno <= len(lines) else ""
    if "Prefix not found" in message:
        # The column points past the prefixed name; the prefix is the last one before it.
        names = re.findall(r"(?<![\w:/#<\"'.?$-])([A-Za-z][\w.-]*|):(?=[\w-]*)", line[:col])
        if names:
            return _unknown_prefix(query_text, names[-1])
    expected = re.sub(r"\s+", " ", message[where.end():]).strip(" :")
    expected = re.split(r", \[", expected)[0][:120]
    near = line[col - 1:col + 29].strip()
    return QueryError(f"SPARQL syntax error at line {lineno}, column {col}: {expected}"
                      + (f" (near '{near}')" if near else ""), fix="check the query against SPARQL 1.1")


def _substitution(value):
    """A binding as an Oxigraph term: rdflib and Oxigraph terms as they are, other values as literals."""
    from rdflib import Literal
    from rdflib.term import Identifier

    return ox_term(value if isinstance(value, Identifier) or hasattr(value, "value") else Literal(value))


def oxigraph_engine(target, query_text: str, *, prefixes: Mapping[str, str], bindings: Mapping[str, object],
                    max_rows: int | None = None) -> QueryResult:
    """Oxigraph, the one engine for local graphs: the build's store, or an in-memory store for a
    graph file or an rdflib graph (:func:`kg.store.view.oxigraph_store`). The default graph is
    the union of the data graphs, each statement once (:data:`kg.core.namespaces.QUERY_GRAPHS`).
    A final ORDER BY is applied to the decoded rows where that gives the same order
    (:mod:`kg.query.ordering`: Oxigraph's own sort reads the store at every comparison)."""
    import pyoxigraph as ox

    store = oxigraph_store(target)
    substitutions = {ox.Variable(name): _substitution(value) for name, value in bindings.items()} or None
    plan = split_final_order(query_text)
    if plan is not None:
        unordered = _oxigraph_run(store, plan[0], prefixes, substitutions, max_rows)
        if unordered.kind is not QueryKind.SELECT or (max_rows is not None and len(unordered.rows) > max_rows):
            return unordered  # not SELECT: ORDER BY changes nothing; past max_rows: refused anyway
        rows = sorted_rows(unordered.rows, unordered.variables, plan[1])
        if rows is not None:
            return dataclasses.replace(unordered, rows=tuple(rows))
    return _oxigraph_run(store, query_text, prefixes, substitutions, max_rows)


def _oxigraph_run(store, query_text: str, prefixes: Mapping[str, str], substitutions, max_rows: int | None) -> QueryResult:
    for attempt in range(5):
        try:
            dataset = _default_graph(store, query_text)
            try:
                result = store.query(query_text, prefixes=dict(prefixes), substitutions=substitutions, **dataset)
            except (RuntimeError, ValueError) as exc:
                if not substitutions or "does not contain" not in str(exc).replace("contains", "contain"):
                    raise
                # Oxigraph substitutes only projected variables; a trailing VALUES block binds
                # any variable of the pattern (it joins before the projection).
                result = store.query(f"{query_text}\nVALUES ({' '.join(str(v) for v in substitutions)}) "
                                     f"{{ ({' '.join(str(t) for t in substitutions.values())}) }}",
                                     prefixes=dict(prefixes), **dataset)
            return _oxigraph_answer(result, max_rows)
        except SyntaxError as exc:
            raise _oxigraph_syntax_error(query_text, exc) from None
        except (OSError, RuntimeError, ValueError) as exc:
            # A build compacting the store under a read-only view: open it afresh, ask again.
            if hasattr(store, "reopen") and store.transient(exc) and attempt < 4:
                store.reopen()
                continue
            raise QueryError(f"the query failed while running: {exc}") from None


def iter_rows(graph, query_text: str) -> Iterator[tuple]:
    """The rows of a SELECT query on a local graph or store (rdflib terms) one at a time, as
    Oxigraph gives them: nothing is held but the current row, however many there are. For the
    library's own queries (no ORDER BY handling, no limits)."""
    store = oxigraph_store(graph)
    try:
        result = store.query(query_text, prefixes=dict(PREFIXES), **_default_graph(store, query_text))
    except SyntaxError as exc:
        raise _oxigraph_syntax_error(query_text, exc) from None
    names = [variable.value for variable in result.variables]
    for solution in result:
        yield tuple(rdflib_term(solution[name]) for name in names)


def _default_graph(store, query_text: str) -> dict:
    """The default graph of a local query: the union graph a store keeps and the evidence graph
    beside it (disjoint: each statement once), or only the one of them the query's patterns can
    match in (:mod:`kg.query.default_graph`: each lookup then reads one graph, not two); else
    the union of the named graphs (a store of one graph, or one built before)."""
    import pyoxigraph as ox

    if has_union_graph(store):
        graphs = default_graphs(query_text)
        if graphs == (EVIDENCE_GRAPH,) and not store.contains_named_graph(ox.NamedNode(EVIDENCE_GRAPH)):
            graphs = QUERY_GRAPHS  # passages kept in the sources' graphs (a TriG file written otherwise)
        return {"default_graph": [ox.NamedNode(graph) for graph in graphs]}
    return {"use_default_graph_as_union": True}


def _oxigraph_answer(result, max_rows: int | None) -> QueryResult:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return QueryResult(QueryKind.ASK, boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        solutions = result if max_rows is None else itertools.islice(result, max_rows + 1)
        rows = tuple(tuple(map(rdflib_term, solution)) for solution in solutions)  # a solution iterates in variable order
        return QueryResult(QueryKind.SELECT, variables=variables, rows=rows)
    return QueryResult(QueryKind.CONSTRUCT, triples=tuple(
        (rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)) for t in result))


register_engine("oxigraph", oxigraph_engine)



# SERVICE as a keyword, outside comments, strings and IRIs (which the alternatives before it
# consume), and not part of a prefixed name (ex:SERVICE) or a longer word.
_SERVICE_SCAN = re.compile(
    r'#[^\n]*|<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|(?<![\w:?$-])(SERVICE)(?![\w:-])\s*(?:SILENT\s*)?(\S{0,80})',
    re.IGNORECASE)


def service_calls(query_text: str) -> list[str]:
    """The endpoints a query's SERVICE clauses would call (their IRI or variable as written).

    >>> service_calls('SELECT * { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }')
    ['<http://example.org/sparql>']
    >>> service_calls('# SERVICE <x>\\nSELECT * { ?s rdfs:label "SERVICE <y>" ; ex:service ?o }')
    []
    """
    return [match[2].split("{")[0] or "?" for match in _SERVICE_SCAN.finditer(query_text) if match[1]]


LOCAL_ENGINES = ("oxigraph",)  # engines that would make the SERVICE calls themselves


def run_query(graph, query_text: str, *, bindings: Mapping[str, object] | None = None,
              engine: str = "oxigraph", allow_service: bool = False, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
    """Run a SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query.

    The prefixes of :data:`kg.core.namespaces.PREFIXES` (gk, gki, gkp, rdfs, skos, schema, oa …) are
    predeclared. ``bindings`` fix variables before evaluation (rdflib terms; other values
    become literals).

    On a local graph or store, a ``SERVICE`` clause (which would make this process fetch from
    any URL in the query) is refused unless ``allow_service``. ``timeout`` (seconds) and
    ``max_rows`` bound the run: past either, :class:`QueryLimitError` is raised. A query past
    its time keeps running on a background thread until the process ends (neither engine can
    be interrupted), so a long-lived caller should run untrusted queries in a child process.

    Raises :class:`QueryError` for syntax errors (with line and column) and failed evaluation.

    >>> from rdflib import Graph
    >>> run_query(Graph(), "ASK { ?s ?p ?o }").boolean
    False
    """

    runner = _ENGINES.get(engine)
    if runner is None:
        raise QueryError(f"unknown SPARQL engine '{engine}'", fix="use one of: " + ", ".join(engines()))
    if not allow_service and engine in LOCAL_ENGINES:
        calls = service_calls(query_text)
        if calls:
            raise QueryLimitError(f"the query calls SERVICE {calls[0]}, and calls to other endpoints are off",
                                  fix="pass --allow-service if you trust that endpoint")

    limits = {"max_rows": max_rows} if max_rows is not None else {}  # engines written before it need not take it

    def run() -> QueryResult:
        return runner(graph, query_text, prefixes=PREFIXES, bindings=dict(bindings or {}), **limits)

    result = run() if not timeout else _with_timeout(run, timeout)
    if max_rows is not None and max(len(result.rows), len(result.triples)) > max_rows:
        raise QueryLimitError(f"the query gives more than {max_rows:,} rows",
                              fix="add LIMIT, page with OFFSET, or raise --max-rows")
    return result


def _with_timeout(run: Callable[[], QueryResult], timeout: float) -> QueryResult:
    """``run()`` on a daemon thread, waited for at most ``timeout`` seconds."""
    import threading

    outcome: dict = {}

    def target() -> None:
        try:
            outcome["result"] = run()
        except BaseException as exc:  # handed back to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="govkg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryLimitError(f"the query ran longer than {timeout:g} s",
                              fix="narrow it (LIMIT, more specific patterns), or raise --timeout (0: no limit)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def with_prefixes(query_text: str) -> tuple[str, int]:
    """``query_text`` with PREFIX declarations for :data:`kg.core.namespaces.PREFIXES` on one line in
    front, and how many lines were added (1), for engines that cannot predeclare prefixes."""

    return " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n" + query_text, 1
