"""Named queries: ``kg/query/queries/<name>.rq``, each with a comment header::

    # title: Regions adopting an initiative
    # description: ...
    # param: initiative (Initiative) — the initiative: label, altLabel or IRI (default 一网通办)

and a ``VALUES ?<param> { ... }`` block per parameter (or one in each group that needs it, all
alike) whose contents are the default, so every file runs as it is on any SPARQL 1.1 engine.
:func:`named_query` replaces those blocks with the given value written as one escaped RDF term;
a value is never pasted into query text."""
from __future__ import annotations

import datetime
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from kg.core import iris
from kg.core.errors import NotFoundError, QueryError
from kg.core.namespaces import XSD
from kg.core.ontology import TURTLE_FILES, ontology_dir
from kg.query.lookup import resolve_entity
from kg.query.results import (
    QueryKind,
    QueryResult,
    ResultFormat,
    _checked_iri,
    _escape_string,
)
from kg.query.sparql import engines, register_engine, run_query, with_prefixes

QUERY_DIR = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class QueryParam:
    name: str
    kind: str  # an ontology class local name, or entity | iri | date | gYear | integer | string
    meaning: str
    default: str | None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    text: str = field(repr=False)
    path: Path | None = None


_HEADER_LINE = re.compile(r"^#\s*(?P<key>title|description|param):\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[^)]*)\))?\s*(?:—|--|-)\s*(?P<meaning>.*?)"
                    r"(?:\s*\(default:?\s*(?P<default>[^()]*)\))?$")
_LITERAL_KINDS = ("entity", "iri", "date", "gYear", "integer", "string")


def parse_header(text: str, *, name: str = "query") -> tuple[str, str, tuple[QueryParam, ...]]:
    """Title, description and parameters from the comment lines a query starts with."""
    title, description, params = "", [], []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if not match:
            continue
        key, value = match["key"], match["value"]
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        else:
            param = _PARAM.match(value)
            if not param:
                raise QueryError(f"{name}: cannot read the parameter line '# param: {value}'",
                                 fix="write '# param: NAME (KIND) — meaning (default VALUE)'")
            params.append(QueryParam(param["name"], (param["kind"] or "string").strip(), param["meaning"],
                                     param["default"].strip() if param["default"] else None))
    return title, " ".join(description), tuple(params)


_QUERY_WORDS = re.compile(r"[{}\s]|\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX)\b", re.I)


def query_from(query_or_file: str) -> str:
    """The query text a user gave: the text itself, or the contents of the ``.rq`` file it names.
    Query text (braces, white space, a query keyword) never touches the file system, so a long
    one-line query is never taken for a file name.

    >>> query_from("ASK { ?s ?p ?o }")
    'ASK { ?s ?p ?o }'
    """
    if _QUERY_WORDS.search(query_or_file) and not query_or_file.endswith(".rq"):
        return query_or_file
    path = Path(query_or_file)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if path.suffix == ".rq":
            raise QueryError(f"{path}: no such query file", fix="check the path, or give the query text in quotes") from None
        return query_or_file  # not a file: let the parser say what is wrong with it as a query
    except UnicodeDecodeError as exc:
        raise QueryError(f"{path}: not UTF-8 text (byte {exc.start})", fix="save the query file as UTF-8") from None
    except IsADirectoryError:
        raise QueryError(f"{path}: is a directory", fix="give a .rq file or the query text") from None
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query file ({exc.strerror})", fix="check the file's permissions") from None


def _load(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title, description, params = parse_header(text, name=path.name)
    return NamedQuery(name=path.stem, title=title or path.stem, description=description, params=params,
                      text=text, path=path)


@functools.lru_cache(maxsize=1)
def _library() -> dict[str, NamedQuery]:
    return {path.stem: _load(path) for path in sorted(QUERY_DIR.glob("*.rq"))}


def list_queries() -> list[NamedQuery]:
    """The bundled named queries (``kg/queries/*.rq``), by name."""
    return list(_library().values())


def get_query(name: str) -> NamedQuery:
    library = _library()
    if name in library:
        return library[name]
    raise NotFoundError(f"no named query '{name}'",
                        candidates=difflib.get_close_matches(name, list(library), n=5, cutoff=0.3) or sorted(library))


@functools.lru_cache(maxsize=1)
def _class_tree() -> tuple[frozenset[str], dict[str, set[str]]]:
    """The subjects of the ontology's files and each class's direct subclasses, read with
    Oxigraph's parser (rdflib's takes half a second, which every analysis command paid)."""
    import pyoxigraph as ox

    subjects: set[str] = set()
    below: dict[str, set[str]] = {}
    for name in TURTLE_FILES:
        for triple in ox.parse(path=str(ontology_dir() / name), format=ox.RdfFormat.TURTLE):
            if isinstance(triple.subject, ox.NamedNode):
                subjects.add(triple.subject.value)
                if triple.predicate.value == _SUBCLASS_OF and isinstance(triple.object, ox.NamedNode):
                    below.setdefault(triple.object.value, set()).add(triple.subject.value)
    return frozenset(subjects), below


_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@functools.lru_cache(maxsize=None)
def subclasses_of(local: str) -> tuple[str, ...]:
    """Class local names of ``local`` and its subclasses in the ontology (Region -> Country,
    Province, City, District), so entity params accept instances of any of them."""
    subjects, below = _class_tree()
    top = iris.term(local)
    if top not in subjects:
        raise QueryError(f"'{local}' is not a class of the ontology", fix="use a gk: class name such as Region or Initiative")
    found, stack = {top}, [top]
    while stack:
        for sub in below.get(stack.pop(), ()):
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    return tuple(sorted(c[len(iris.NS):] for c in found if c.startswith(iris.NS)))


def param_term(param: QueryParam, value: str, *, graph=None) -> str:
    """``value`` as one SPARQL term for ``param``: an IRI (entity names resolved in ``graph``
    through :func:`kg.query.lookup.resolve_entity`) or a literal with every special character escaped."""
    value = value.strip() if param.kind != "string" else value
    kind = param.kind
    if kind == "string":
        return f'"{_escape_string(value)}"'
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise QueryError(f"{param.name}: '{value}' is not a whole number")
        return str(int(value))
    if kind == "date":
        try:
            return f'"{datetime.date.fromisoformat(value).isoformat()}"^^<{XSD}date>'
        except ValueError:
            raise QueryError(f"{param.name}: '{value}' is not a date", fix="write it as YYYY-MM-DD") from None
    if kind == "gYear":
        if not re.fullmatch(r"\d{4}", value):
            raise QueryError(f"{param.name}: '{value}' is not a year", fix="write it as YYYY")
        return f'"{value}"^^<{XSD}gYear>'
    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if kind == "iri":
        return f"<{_checked_iri(iri)}>"
    if graph is None:
        if re.match(r"^https?://", iri):
            return f"<{_checked_iri(iri)}>"
        raise QueryError(f"{param.name}: the name '{value}' needs a graph to resolve",
                         fix="pass graph=..., or give the entity's IRI")

    types = () if kind == "entity" else subclasses_of(kind)
    return f"<{_checked_iri(resolve_entity(graph, iri, types=types))}>"


def _values_block(name: str) -> re.Pattern:
    return re.compile(rf"VALUES\s+\?{name}\s*\{{[^{{}}]*\}}")


def bind_params(query_text: str, params: Mapping[str, str] | None = None, *, graph=None,
                name: str = "query") -> str:
    """``query_text`` with each given parameter's ``VALUES ?param { ... }`` blocks (one, or
    one per group that needs it, all alike) replaced by the value as one escaped term.
    Parameters not given keep the blocks' default values."""
    _, _, declared = parse_header(query_text, name=name)
    by_name = {p.name: p for p in declared}
    replacements = []
    for key, value in (params or {}).items():
        if key not in by_name:
            raise QueryError(f"query '{name}' has no parameter '{key}'",
                             fix=("its parameters: " + ", ".join(by_name)) if by_name else "it takes no parameters")
        blocks = list(_values_block(key).finditer(query_text))
        if not blocks:
            raise QueryError(f"query '{name}' has no 'VALUES ?{key} {{ ... }}' block", fix="fix the query file")
        block = f"VALUES ?{key} {{ {param_term(by_name[key], value, graph=graph)} }}"
        replacements.extend((found.span(), block) for found in blocks)
    # Blocks are located in the original text and replaced from the end, so a value can
    # never be mistaken for another parameter's block.
    for (start, end), block in sorted(replacements, reverse=True):
        query_text = query_text[:start] + block + query_text[end:]
    return query_text


def named_query(name: str, params: Mapping[str, str] | None = None, *, graph=None) -> str:
    """The text of the named query ``name`` with ``params`` filled in.

    Entity parameters (kind ``Region``, ``Initiative`` …) take a name as people type it
    (青岛, 青岛市, 370200, 一网通办, an English label) or an IRI; names are resolved in
    ``graph``. Raises :class:`NotFoundError` for an unknown query or entity name and
    :class:`QueryError` for an unknown parameter or a malformed value.

    >>> "VALUES ?year" in named_query("goals-for-year", {"year": "2025"})
    True
    """
    query = get_query(name)
    return bind_params(query.text, params, graph=graph, name=name)


def run_named(graph, name: str, params: Mapping[str, str] | None = None, *, engine: str = "oxigraph") -> QueryResult:
    """:func:`named_query` then :func:`run_query` on the same graph."""
    return run_query(graph, named_query(name, params, graph=graph), engine=engine)


__all__ = ["QueryResult", "QueryKind", "ResultFormat", "NamedQuery", "QueryParam", "run_query", "run_named",
           "named_query", "bind_params", "list_queries", "get_query", "register_engine", "engines", "with_prefixes"]
