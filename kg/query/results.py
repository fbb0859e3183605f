"""What a query returns (:class:`QueryResult`) and its writers: the W3C SPARQL 1.1 result
formats (CSV, TSV, JSON), N-Triples and Turtle for graphs, and a text table."""
from __future__ import annotations

import csv
import enum
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterator

from kg.core.errors import QueryError
from kg.core.namespaces import PREFIXES, XSD, bind_prefixes


def curie(iri: str) -> str:
    """``iri`` as a CURIE (``gk:adopts``) when a predeclared prefix covers it, else as it is."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _checked_iri(iri: str) -> str:
    """``iri`` if it can go between < > in SPARQL (IRIREF: no spaces, controls, <>"{}|^`\\)."""
    if not iri or re.search(r'[\x00-\x20<>"{}|^`\\]', iri) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise QueryError(f"'{iri}' is not a valid IRI", fix="give an absolute IRI without spaces or <>\"{}|^`\\")
    return iri


class QueryKind(str, enum.Enum):
    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"  # DESCRIBE results are graphs too and use this kind


class ResultFormat(str, enum.Enum):
    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    TURTLE = "turtle"
    NTRIPLES = "nt"


# ---------------------------------------------------------------------------------- results

@dataclass(frozen=True)
class QueryResult:
    """What a query returned. Terms are rdflib terms (URIRef, Literal, BNode); an unbound
    variable is ``None``. SELECT fills ``variables`` and ``rows``, ASK ``boolean``, CONSTRUCT
    and DESCRIBE ``triples``."""

    kind: QueryKind
    variables: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple, ...] = ()

    def __len__(self) -> int:
        return len(self.rows) if self.kind is QueryKind.SELECT else len(self.triples) if self.kind is QueryKind.CONSTRUCT else 1

    def records(self) -> Iterator[dict]:
        """SELECT rows as ``{variable: term}`` dicts (unbound variables left out)."""
        for row in self.rows:
            yield {name: value for name, value in zip(self.variables, row) if value is not None}

    def column(self, name: str) -> list:
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def to_frame(self):
        """SELECT rows as a pandas DataFrame, a column per variable, terms as Python values
        (IRIs as strings, literals as their values, unbound as None); CONSTRUCT and DESCRIBE
        give subject, predicate, object. Needs pandas: pip install 'govkg[frames]'."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_frame() needs pandas: pip install 'govkg[frames]'") from None
        if self.kind is QueryKind.ASK:
            return pandas.DataFrame({"boolean": [self.boolean]})
        columns, rows = (self.variables, self.rows) if self.kind is QueryKind.SELECT else (
            ("subject", "predicate", "object"), self.triples)
        return pandas.DataFrame.from_records([[_python_value(term) for term in row] for row in rows], columns=list(columns))

    def serialize(self, fmt: str | ResultFormat = ResultFormat.TABLE, *, max_width: int = 48) -> str:
        """The result as text: ``table``, or the W3C formats ``csv``, ``tsv``, ``json`` and ``xml``
        (SELECT; ``json`` and ``xml`` also ASK), or ``turtle`` / ``nt`` (CONSTRUCT and DESCRIBE)."""
        fmt = _result_format(fmt)
        writer = _WRITERS.get((self.kind, fmt))
        if writer is None:
            usable = sorted(f.value for (kind, f) in _WRITERS if kind is self.kind)
            raise QueryError(f"{self.kind.value} results cannot be written as {fmt.value}",
                             fix="use one of: " + ", ".join(usable))
        return writer(self, max_width) if fmt is ResultFormat.TABLE else writer(self)


def _python_value(term):
    """A term as a data frame's cell: an IRI or blank node its string, a literal its Python value."""
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def _result_format(fmt: str | ResultFormat) -> ResultFormat:
    try:
        return ResultFormat(fmt)
    except ValueError:
        raise QueryError(f"unknown result format '{fmt}'",
                         fix="use one of: " + ", ".join(f.value for f in ResultFormat)) from None


_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_string(text: str) -> str:
    r"""Body of a double-quoted SPARQL/Turtle string: every character that could end the
    string or start an escape is itself escaped. SPARQL expands ``\uXXXX`` anywhere in a
    query before parsing it (rdflib also takes ``\u`` with 8 digits), so a ``u`` or ``U``
    after a backslash is written ``\U00000075``: the escaped backslash never combines with it.

    >>> print(_escape_string('a"b\\u0022'))
    a\"b\\\U000000750022
    """
    out = []
    for index, ch in enumerate(text):
        if ch in "uU" and index and text[index - 1] == "\\":
            out.append(f"\\U{ord(ch):08X}")
        else:
            out.append(_ECHAR.get(ch, ch))
    return "".join(out)


def _n3(term) -> str:
    """A term in SPARQL / Turtle / N-Triples syntax, with full IRIs (no prefixes needed)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return "<" + _checked_iri(str(term)) + ">"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        body = f'"{_escape_string(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != XSD + "string":
            return f"{body}^^<{_checked_iri(str(term.datatype))}>"
        return body
    raise QueryError(f"not an RDF term: {term!r}")


def _plain(term) -> str:
    """The CSV form of a term: IRI text, literal lexical form, ``_:label``; empty when unbound."""
    from rdflib import BNode

    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as the W3C CSV results format asks
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(value) for value in row])
    return out.getvalue()


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join("?" + name for name in result.variables)]
    lines += ["\t".join("" if value is None else _n3(value) for value in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term) -> dict:
    from rdflib import BNode, Literal

    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        node = {"type": "literal", "value": str(term)}
        if term.language:
            node["xml:lang"] = term.language
        elif term.datatype is not None:
            node["datatype"] = str(term.datatype)
        return node
    return {"type": "uri", "value": str(term)}


def _json_select(result: QueryResult) -> str:
    bindings = [{name: _json_term(value) for name, value in zip(result.variables, row) if value is not None}
                for row in result.rows]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _json_ask(result: QueryResult) -> str:
    return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"


def _xml(result: QueryResult) -> str:
    """The W3C SPARQL Query Results XML Format, written by rdflib's serializer."""
    from rdflib import Variable
    from rdflib.query import Result

    if result.kind is QueryKind.ASK:
        answer = Result("ASK")
        answer.askAnswer = bool(result.boolean)
    else:
        answer = Result("SELECT")
        answer.vars = [Variable(name) for name in result.variables]
        answer.bindings = [{Variable(name): term for name, term in zip(result.variables, row) if term is not None}
                           for row in result.rows]
    return answer.serialize(format="xml", encoding="utf-8").decode("utf-8")


def _ntriples(result: QueryResult) -> str:
    return "".join(sorted(" ".join(_n3(t) for t in triple) + " .\n" for triple in result.triples))


def _turtle(result: QueryResult) -> str:
    from rdflib import Graph

    graph = Graph()
    bind_prefixes(graph)
    for triple in result.triples:
        graph.add(triple)
    return graph.serialize(format="turtle")


def _display(term) -> str:
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split())  # one line per row, whatever the literal holds


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > limit - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _grid(header: tuple[str, ...], rows: list[list], max_width: int) -> str:
    """Aligned columns of terms (None: unbound). Literals wider than ``max_width``
    display columns are clipped, IRIs never (they are identifiers to copy)."""
    from rdflib import URIRef

    cells = [[_display(v) if isinstance(v, URIRef) else _clip(_display(v), max_width) for v in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values) -> str:
        return "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(values, widths)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in cells])


def _table_select(result: QueryResult, max_width: int) -> str:
    grid = _grid(result.variables, [list(row) for row in result.rows], max_width)
    return f"{grid}\n({len(result.rows)} row{'' if len(result.rows) == 1 else 's'})\n"


def _table_ask(result: QueryResult, max_width: int) -> str:
    return ("yes" if result.boolean else "no") + "\n"


def _table_graph(result: QueryResult, max_width: int) -> str:
    rows = sorted((list(triple) for triple in result.triples), key=lambda r: [_display(t) for t in r])
    return _grid(("subject", "predicate", "object"), rows, max_width) + f"\n({len(rows)} triples)\n"


_WRITERS: dict[tuple[QueryKind, ResultFormat], Callable] = {
    (QueryKind.SELECT, ResultFormat.TABLE): _table_select,
    (QueryKind.SELECT, ResultFormat.CSV): _csv,
    (QueryKind.SELECT, ResultFormat.TSV): _tsv,
    (QueryKind.SELECT, ResultFormat.JSON): _json_select,
    (QueryKind.SELECT, ResultFormat.XML): _xml,
    (QueryKind.ASK, ResultFormat.XML): _xml,
    (QueryKind.ASK, ResultFormat.TABLE): _table_ask,
    (QueryKind.ASK, ResultFormat.JSON): _json_ask,
    (QueryKind.CONSTRUCT, ResultFormat.TABLE): _table_graph,
    (QueryKind.CONSTRUCT, ResultFormat.TURTLE): _turtle,
    (QueryKind.CONSTRUCT, ResultFormat.NTRIPLES): _ntriples,
}
