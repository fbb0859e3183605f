"""SPARQL over the knowledge graph: run a query (with its limits: time, rows, no SERVICE on
local graphs) through a small engine registry. Results: :mod:`kg.query.results`; named
queries: :mod:`kg.query.named`.

Queries run through a small engine registry: an engine takes the target (an rdflib Graph for
the built-in ``rdflib`` engine; a store or an endpoint URL for engines added later), the query
text, the prefixes to predeclare and initial bindings, and returns a :class:`QueryResult`.

>>> from kg import api; from kg.query import named, sparql
>>> graph = api.build(["data"], out_dir=None).state.graph            # doctest: +SKIP
>>> text = named.named_query("regions-adopting", {"initiative": "一网通办"}, graph=graph)  # doctest: +SKIP
>>> print(sparql.run_query(graph, text).serialize("table"))           # doctest: +SKIP
"""
from __future__ import annotations

import functools
import itertools
import re
from typing import Callable, Mapping, Protocol

from kg.core.errors import QueryError, QueryLimitError
from kg.core.namespaces import PREFIXES
from kg.query.results import QueryKind, QueryResult

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


def syntax_error(text: str, exc: Exception) -> QueryError:
    """A parser exception as a QueryError naming the line and column."""
    lineno, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    message = getattr(exc, "msg", None) or str(exc)
    if lineno is None:
        return QueryError(f"SPARQL syntax error: {message}", fix="check the query against SPARQL 1.1")
    lines = text.splitlines() or [""]
    near = lines[lineno - 1][col - 1:col + 29].strip() if lineno <= len(lines) else ""
    return QueryError(f"SPARQL syntax error at line {lineno}, column {col}: {message}"
                      + (f" (near '{near}')" if near else ""), fix="check the query against SPARQL 1.1")


def _fold_values(node):
    """Join(VALUES, VALUES) -> one VALUES block (their product). Two VALUES blocks in a
    group otherwise make the join after them a nested-loop join in rdflib."""
    from rdflib.plugins.sparql.parserutils import CompValue

    def is_values(part) -> bool:
        return isinstance(part, CompValue) and part.name == "ToMultiSet" and \
            isinstance(part.p, CompValue) and part.p.name == "values"

    if not (isinstance(node, CompValue) and node.name == "Join" and is_values(node.p1) and is_values(node.p2)):
        return None
    rows = []
    for left in node.p1.p.res:
        for right in node.p2.p.res:
            shared = set(left) & set(right)
            if all(left[v] == right[v] or "UNDEF" in (left[v], right[v]) for v in shared):
                rows.append({**right, **{k: v for k, v in left.items() if v != "UNDEF" or k not in right}})
    return CompValue("ToMultiSet", p=CompValue("values", res=rows))


def _bind(known: dict, variables) -> dict:
    """``known`` plus ``variables``, which rank as bound most recently."""
    rank = max(known.values(), default=0) + 1
    return {**{v: rank for v in variables}, **known}


def _order_triples(triples: list, known: dict) -> list:
    """Greedy order for a basic graph pattern: next, the triple with the fewest unbound
    variables given ``known`` and those bound so far; among equals, the one on the most
    recently bound variable (a row's own values are more selective than a constant shared
    by every row, such as the VALUES the query starts from); then rdflib's own ranking."""
    import collections

    from rdflib import BNode, Variable
    from rdflib.plugins.sparql.algebra import _knownTerms

    def key(triple):
        unknown, popularity, not_literal = _knownTerms(triple, bound, counts)
        return unknown, -max((bound[t] for t in triple if t in bound), default=0), popularity, not_literal

    counts = collections.Counter(t for triple in triples for t in triple if isinstance(t, (Variable, BNode)))
    bound, rest, ordered = dict(known), list(triples), []
    while rest:
        best = min(rest, key=key)
        rest.remove(best)
        ordered.append(best)
        bound = _bind(bound, [t for t in best if isinstance(t, (Variable, BNode))])
    return ordered


def _plan(node, known: dict) -> dict:
    """Re-order every BGP knowing the variables rdflib will have bound when it runs (by
    VALUES, the left side of a lazy join or of an OPTIONAL, the row an EXISTS is tested on).
    ``known`` maps each to how recently it was bound; returns the variables certainly bound
    after ``node``."""
    from rdflib import BNode, Variable
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return known
    name = node.name
    if name == "BGP":
        node["triples"] = _order_triples(list(node.triples), known)
        node["govkg_planned"] = True
        return _bind(known, [t for triple in node.triples for t in triple if isinstance(t, (Variable, BNode))])
    if name == "ToMultiSet":
        if isinstance(node.p, CompValue) and node.p.name == "values":
            rows = [{k for k, v in row.items() if v != "UNDEF"} for row in node.p.res]
            return _bind(known, set.intersection(*rows) if rows else set())
        _plan(node.p, known)
        return known
    if name == "Join":
        left = _plan(node.p1, known)
        return {**_plan(node.p2, left if node.get("lazy") else known), **left}
    if name == "LeftJoin":
        left = _plan(node.p1, known)
        _plan(node.p2, left)
        _plan_exists(node.get("expr"), left)
        return left
    if name == "Union":
        one, two = _plan(node.p1, known), _plan(node.p2, known)
        return {v: min(one[v], two[v]) for v in one.keys() & two.keys()}
    if name == "Minus":
        left = _plan(node.p1, known)
        _plan(node.p2, known)
        return left
    inner = _plan(node.p, known) if "p" in node else known
    if name in ("Filter", "Extend"):
        _plan_exists(node.get("expr"), inner)
    return inner


def _plan_exists(expr, known: dict) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(expr, CompValue):
        if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            _plan(expr.graph, known)
        for key, value in expr.items():
            if key != "_vars":
                _plan_exists(value, known)
    elif isinstance(expr, (list, tuple)):
        for item in expr:
            _plan_exists(item, known)


def _eval_planned_bgp(ctx, part):
    """rdflib custom evaluation for the BGPs :func:`plan_for_rdflib` planned: rdflib itself
    sorts a BGP once by the variables bound on entry, so a pattern that only becomes
    selective after an earlier one binds its variable can be pulled ahead of it. Here the
    order is re-derived greedily from the entry bindings, keeping the planned order among
    patterns with as many unbound terms."""
    from rdflib import BNode, Variable
    from rdflib.plugins.sparql.evaluate import evalBGP

    if part.name != "BGP" or not part.get("govkg_planned"):
        raise NotImplementedError
    bound = {t for triple in part.triples for t in triple if isinstance(t, (Variable, BNode)) and ctx[t] is not None}
    rest, ordered = list(part.triples), []
    while rest:
        best = min(rest, key=lambda t: sum(1 for n in t if isinstance(n, (Variable, BNode)) and n not in bound))
        rest.remove(best)
        ordered.append(best)
        bound.update(n for n in best if isinstance(n, (Variable, BNode)))
    return evalBGP(ctx, ordered)


def plan_for_rdflib(query) -> None:
    """Improve the evaluation order of a prepared rdflib query in place; never its results.

    rdflib ranks the triples of a basic graph pattern once, on entering it, by how many of
    their variables are bound at that moment, and never again as the join proceeds; between
    equals it keeps an order fixed before anything was bound. With ``?i`` from VALUES,
    ``?a rdf:object ?i ; rdf:predicate gk:adopts ; rdf:subject ?r . ?r gk:adopts ?i`` may
    thus bind every region adopting ``?i`` before looking at the assertion in hand. Here,
    adjacent VALUES blocks are folded into one (so the join after them stays lazy), each BGP
    gets an order that knows what VALUES, lazy joins and OPTIONALs bind (preferring the most
    recently bound variable), and a custom evaluation re-ranks it as variables get bound.
    On a graph 50x the sample that turns seconds or minutes into tenths of a second.
    Uses rdflib internals; :func:`_prepared` falls back to rdflib's own order if they move."""
    from rdflib.plugins.sparql import CUSTOM_EVALS
    from rdflib.plugins.sparql.algebra import _addVars, _traverseAgg, analyse, traverse

    CUSTOM_EVALS.setdefault("govkg-planned-bgp", _eval_planned_bgp)  # acts only on BGPs planned here
    query.algebra = traverse(query.algebra, visitPost=_fold_values)
    _traverseAgg(query.algebra, visitor=analyse)
    _traverseAgg(query.algebra, _addVars)
    _plan(query.algebra, {})


def _to_term(value):
    from rdflib import Literal
    from rdflib.term import Identifier

    return value if isinstance(value, Identifier) else Literal(value)


@functools.lru_cache(maxsize=128)
def _prepared(query_text: str, prefixes: tuple[tuple[str, str], ...]):
    """The parsed and planned rdflib query (cached: parsing is a good part of a small query)."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        query = prepareQuery(query_text, initNs=dict(prefixes))
    except ParseBaseException as exc:
        raise syntax_error(query_text, exc) from None
    except Exception as exc:  # rdflib reports unknown prefixes and bad escapes as plain Exceptions
        unknown = re.match(r"Unknown namespace prefix : (\S+)", str(exc))
        if unknown:
            raise _unknown_prefix(query_text, unknown.group(1)) from None
        raise QueryError(f"SPARQL syntax error: {exc}", fix="check the query against SPARQL 1.1") from None
    try:
        plan_for_rdflib(query)
    except (ImportError, AttributeError, TypeError, KeyError):  # rdflib internals changed: plain rdflib
        query = prepareQuery(query_text, initNs=dict(prefixes))
    return query


def rdflib_engine(target, query_text: str, *, prefixes: Mapping[str, str],
                  bindings: Mapping[str, object], max_rows: int | None = None) -> QueryResult:
    """rdflib's pure-Python SPARQL 1.1 engine over an rdflib Graph."""
    query = _prepared(query_text, tuple(sorted(prefixes.items())))
    try:
        result = target.query(query, initBindings={k: _to_term(v) for k, v in bindings.items()})
        if result.type == "ASK":
            return QueryResult(QueryKind.ASK, boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult(QueryKind.CONSTRUCT, triples=tuple(result.graph))
        variables = tuple(str(v) for v in result.vars)
        rows = result if max_rows is None else itertools.islice(result, max_rows + 1)
        return QueryResult(QueryKind.SELECT, variables=variables, rows=tuple(tuple(row) for row in rows))
    except QueryError:
        raise
    except Exception as exc:  # evaluation errors come in many types
        raise QueryError(f"the query failed while running: {type(exc).__name__}: {exc}",
                         fix="check functions, aggregates and GROUP BY in the query") from None


register_engine("rdflib", rdflib_engine)


# SERVICE as a keyword, outside comments, strings and IRIs (which the alternatives before it
# consume), and not part of a prefixed name (ex:SERVICE) or a longer word.
_SERVICE_SCAN = re.compile(
    r'#[^\n]*|<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|(?<![\w:?$-])(SERVICE)(?![\w:-])\s*(?:SILENT\s*)?(\S{0,80})'
    r'|(?<![\w:?$-])(FROM)(?![\w:-])\s*(?:NAMED\s*)?(\S{0,80})',
    re.IGNORECASE)


def service_calls(query_text: str) -> list[str]:
    """The endpoints a query's SERVICE clauses would call (their IRI or variable as written).

    >>> service_calls('SELECT * { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }')
    ['<http://example.org/sparql>']
    >>> service_calls('# SERVICE <x>\\nSELECT * { ?s rdfs:label "SERVICE <y>" ; ex:service ?o }')
    []
    """
    return [match[2].split("{")[0] or "?" for match in _SERVICE_SCAN.finditer(query_text) if match[1]]


def from_clauses(query_text: str) -> list[str]:
    """The graphs a query's FROM and FROM NAMED clauses name. rdflib fetches each from the web
    (the store only selects among its own graphs).

    >>> from_clauses('SELECT * FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }')
    ['<http://example.org/g.ttl>']
    """
    return [match[4] for match in _SERVICE_SCAN.finditer(query_text) if match[3]]


LOCAL_ENGINES = ("rdflib", "oxigraph")  # engines that would make the SERVICE calls themselves


def run_query(graph, query_text: str, *, bindings: Mapping[str, object] | None = None,
              engine: str = "rdflib", allow_service: bool = False, timeout: float | None = None,
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
        loads = from_clauses(query_text) if engine == "rdflib" else []
        if loads:
            raise QueryLimitError(f"the query reads FROM {loads[0]}, which a graph file's engine would fetch from the web",
                                  fix="query the store instead (it selects among its own graphs), or pass --allow-service")

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
