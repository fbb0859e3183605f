"""Which of the store's two query graphs a local query's default graph needs: the union graph
alone, the evidence graph alone, or both (what every query read before).

The evidence graph (:data:`kg.core.namespaces.EVIDENCE_GRAPH`, three quarters of a store)
holds every passage: the Web Annotations, their targets and selectors (the ``oa:`` vocabulary,
``gk:inDocument``, ``gk:sourceFile``, ``gk:sectionPath``, the classes ``gk:Evidence`` and
``oa:*``) and the facts' ``gk:evidence`` links to them, all under the evidence IRIs. With both
graphs as the default graph Oxigraph looks every pattern up in each (a RocksDB seek each, the
cost of most queries), so a query joining facts only pays twice per lookup for nothing
(task-units on the 10,000-document store: 3.0 s -> 1.9 s), and so does one reading passages only.

Which graph a statement is in follows from its predicate: the evidence graph's statements have
the predicates of :data:`EVIDENCE_PREDICATES` (which no other graph uses) or ``rdf:type`` with an
evidence class. The check reads the query's tokens and the predicate of each pattern, and is
conservative: both graphs stay when a pattern's predicate is a variable, a path of length zero
(``p*``, ``p?``) or a negated property set (``!p``), an ``rdf:type`` whose object is a variable,
an evidence class or several classes, or another term of the evidence vocabulary; when an
expression holds an EXISTS; for a dataset clause (FROM), GRAPH, SERVICE or DESCRIBE; and when
the query cannot be read. So the answer never changes, only its cost.

>>> from kg.core.namespaces import EVIDENCE_GRAPH, UNION_GRAPH
>>> default_graphs("SELECT ?r ?i { ?r gk:adopts ?i OPTIONAL { ?r rdfs:label ?l } } ORDER BY ?r") == (UNION_GRAPH,)
True
>>> default_graphs("SELECT ?q { ?x gk:evidence/oa:hasTarget ?q }") == (EVIDENCE_GRAPH,)
True
>>> default_graphs("SELECT * { ?s ?p ?o }") == (UNION_GRAPH, EVIDENCE_GRAPH)
True
"""
from __future__ import annotations

import functools
import re
from typing import Mapping

from kg.core import iris
from kg.core.namespaces import EVIDENCE_GRAPH, OA, PREFIXES, QUERY_GRAPHS, RDF, UNION_GRAPH

_TOKEN = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<literal>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)|(?P<var>[?$]\w+)|(?P<bnode>_:[\w.-]*\w|\[\s*\])'
    r'|(?P<name>(?:[A-Za-z][\w.-]*)?:(?:[\w%-]|\.(?=[\w%-]))*|[A-Za-z_]\w*)'
    r'|(?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<lang>@[A-Za-z][\w-]*)'
    r'|(?P<punct>\^\^|&&|\|\||[<>!]=|[{}()\[\];,.*?+!^/|=<>-])|(?P<other>\S)')
_EVIDENCE_IRI = re.compile(rf"^{re.escape(OA)}|evidence|indocument|sourcefile|sectionpath", re.IGNORECASE)
# The predicates of the passages (kg/ingest/to_rdf.py, _add_evidence), written to the evidence
# graph only (a test checks a build's union graph has none of them).
EVIDENCE_PREDICATES = frozenset({iris.term("evidence"), iris.term("inDocument"), iris.term("sectionPath"),
                                 *(OA + local for local in ("hasBody", "hasTarget", "hasSelector", "hasSource", "start",
                                                            "end", "exact", "motivatedBy"))})
_RDF_TYPE = RDF + "type"
_ALWAYS_BOTH = {"DESCRIBE", "FROM", "GRAPH", "SERVICE"}
_MODIFIERS = {"GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET"}
_GROUP_WORDS = {"OPTIONAL", "MINUS", "UNION", "WHERE", "NOT", "EXISTS", "LATERAL"}
_TERMS = {"iri", "var", "bnode", "literal", "number"}


class _Unknown(Exception):
    """The query holds something the reader does not follow: keep both graphs."""


_BOTH = frozenset({UNION_GRAPH, EVIDENCE_GRAPH})


@functools.lru_cache(maxsize=512)
def default_graphs(query_text: str) -> tuple[str, ...]:
    """The graphs of :data:`kg.core.namespaces.QUERY_GRAPHS` a pattern of ``query_text`` might
    match in (the union graph for a query of no pattern)."""
    reader = _Reader(query_text)
    try:
        reader.read()
    except (_Unknown, IndexError):
        return QUERY_GRAPHS
    return tuple(g for g in QUERY_GRAPHS if g in reader.graphs) or (UNION_GRAPH,)


def needs_evidence(query_text: str) -> bool:
    """Whether a pattern of ``query_text`` might match a statement of the evidence graph."""
    return EVIDENCE_GRAPH in default_graphs(query_text)


class _Reader:
    def __init__(self, query_text: str):
        self.tokens = [(kind, text) for match in _TOKEN.finditer(query_text)
                       for kind, text in match.groupdict().items() if text is not None and kind not in ("comment", "lang")]
        self.at = 0
        self.prefixes: Mapping[str, str] = dict(PREFIXES)
        self.graphs: set[str] = set()  # where the patterns read so far may match

    def _need(self, graphs) -> bool:
        """Note that a pattern may match in ``graphs``; whether both graphs are needed now."""
        self.graphs |= graphs
        return self.graphs == _BOTH

    def _peek(self, ahead: int = 0) -> tuple[str, str]:
        at = self.at + ahead
        return self.tokens[at] if at < len(self.tokens) else ("end", "")

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token[0] == "end":
            raise _Unknown("the query ends early")
        self.at += 1
        return token

    def _skip_to(self, text: str) -> None:
        """Past every token up to (not including) the next ``text``; brackets skipped whole."""
        while self._peek()[1] != text:
            if self._take()[1] == "(":
                self._skip_balanced("(", ")")

    def _iri(self, kind: str, text: str) -> str | None:
        """The IRI a name or IRI token stands for (None for a keyword)."""
        if kind == "iri":
            return text[1:-1]
        if text == "a":
            return _RDF_TYPE
        if ":" not in text:
            return None
        prefix, local = text.split(":", 1)
        if prefix not in self.prefixes:
            raise _Unknown(text)
        return self.prefixes[prefix] + local

    def read(self) -> None:
        """Read the patterns, noting the graphs each may match in (stops once both are)."""
        for kind, text in self.tokens:
            if kind == "name" and text.upper() in _ALWAYS_BOTH:
                self._need(_BOTH)
                return
        while self._peek()[0] != "end":
            kind, text = self._take()
            upper = text.upper()
            if upper == "PREFIX":
                name, iri = self._take(), self._take()
                self.prefixes = {**self.prefixes, name[1].rstrip(":"): iri[1][1:-1]}
            elif text == "{":
                if self._group():
                    return
            elif upper == "VALUES":
                self._values()

    def _evidence(self, kind: str, text: str) -> bool:
        iri = self._iri(kind, text)
        return iri is not None and bool(_EVIDENCE_IRI.search(iri))

    def _skip_balanced(self, opening: str, closing: str) -> None:
        """Past the group opened by the token just taken; an EXISTS inside an expression is not followed."""
        depth = 1
        while depth:
            kind, text = self._take()
            if text.upper() == "EXISTS":
                raise _Unknown("EXISTS in an expression")
            depth += (text == opening) - (text == closing)

    def _values(self) -> None:
        """Past a VALUES block (variables, then a data block of terms)."""
        self._skip_to("{")
        self._take()
        self._skip_balanced("{", "}")

    def _skip_expression(self) -> None:
        """Past a FILTER's, BIND's or HAVING's expression: a bracketed one or a function call."""
        kind, text = self._take()
        if text != "(":
            if self._peek()[1] != "(":
                raise _Unknown(text)
            self._take()
        self._skip_balanced("(", ")")

    def _group(self) -> bool:
        """Read a group graph pattern up to its closing brace (the opening one taken); whether
        both graphs are needed (the reading stops there)."""
        slot = "subject"
        while True:
            kind, text = self._take()
            upper = text.upper()
            if text == "}":
                return False
            if text == "{":
                if self._group():
                    return True
                slot = "subject"
            elif kind == "name" and ":" not in text and text != "a" and upper not in ("TRUE", "FALSE"):
                slot = "subject"
                if upper in ("FILTER", "BIND"):
                    if self._peek()[1].upper() in ("NOT", "EXISTS"):
                        continue
                    self._skip_expression()
                elif upper == "VALUES":
                    self._values()
                elif upper == "SELECT":
                    self._skip_to("{")
                elif upper in _MODIFIERS:  # a subquery's modifiers, up to the brace closing it
                    self._skip_to("}")
                elif upper not in _GROUP_WORDS and upper != "BY":
                    raise _Unknown(text)
            elif slot == "predicate":
                if self._predicate(kind, text):
                    return True
                slot = "object"
            elif text == "[":  # a subject or an object
                if self._blank_node():
                    return True
                slot = "predicate" if slot == "subject" else slot
            elif slot == "subject":
                if text == ".":
                    continue
                if kind not in _TERMS and kind != "name":
                    raise _Unknown(text)
                slot = "predicate"
            elif text == ";":  # after an object
                slot = "predicate" if self._peek()[1] not in (".", "}", ";") else "subject"
            elif text == ".":
                slot = "subject"
            elif text == "^^":
                self._take()
            elif text != "," and kind not in _TERMS and kind != "name":
                raise _Unknown(text)

    def _predicate(self, kind: str, text: str) -> bool:
        """Read a predicate (an IRI, ``a``, or a path) starting with the token just taken, and
        the objects of an rdf:type, noting the graphs it may match in; whether both are needed."""
        if kind == "var":
            return self._need(_BOTH)
        steps = [(kind, text)]
        while self._peek()[1] in ("/", "|", "^", "(", ")", "*", "?", "+", "!") or (
                steps[-1][1] in ("/", "|", "^", "(", "!") and self._peek()[0] in ("iri", "name")):
            steps.append(self._take())
        found: set[str] = set()
        for step_kind, step in steps:
            if step in ("*", "?", "!") or step_kind not in ("iri", "name", "punct"):
                return self._need(_BOTH)
            if step_kind == "punct":
                continue
            iri = self._iri(step_kind, step)
            if iri is None:
                raise _Unknown(step)
            if iri == _RDF_TYPE:
                if len(steps) > 1 or self._classes_may_be_evidence():
                    return self._need(_BOTH)
                found.add(UNION_GRAPH)
            elif iri in EVIDENCE_PREDICATES:
                found.add(EVIDENCE_GRAPH)
            elif _EVIDENCE_IRI.search(iri):
                return self._need(_BOTH)
            else:
                found.add(UNION_GRAPH)
        return self._need(found)

    def _classes_may_be_evidence(self) -> bool:
        """After rdf:type: a variable, an evidence class or more than one class."""
        kind, text = self._peek()
        if kind == "var" or self._peek(1)[1] == ",":
            return True
        return kind in ("iri", "name") and self._evidence(kind, text)

    def _blank_node(self) -> bool:
        """A ``[ predicate object ; … ]`` list (the bracket taken); whether both graphs are needed."""
        if self._peek()[1] == "]":
            self._take()
            return False
        while True:
            kind, text = self._take()
            if self._predicate(kind, text):
                return True
            while True:
                kind, text = self._take()
                if text == "]":
                    return False
                if text == ";":
                    break
                if text == "[" and self._blank_node():
                    return True
