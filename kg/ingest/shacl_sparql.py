"""SHACL shapes compiled into SPARQL queries, so a build validates everything it stored in one
pass on the store, as Oxigraph runs SPARQL, instead of copying each source's graph into rdflib
for pySHACL.

Each constraint of each targeted shape becomes one ``SELECT DISTINCT ?this ?value ?other``
whose rows are its validation results, one per focus node (cardinality), per value node
(datatype, class, pattern …), per language (uniqueLang) or per pair of values (lessThan), as
pySHACL reports them. A shape reached through ``sh:node``, ``sh:or``, ``sh:and``, ``sh:not`` or
``sh:xone`` becomes a graph pattern that matches when a node fails it. The compiler reads the
shapes, not a list of today's shapes; a SHACL construct it cannot translate is an
:class:`~kg.core.errors.OntologyError` naming it, never a check silently skipped.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kg.core import iris
from kg.core.errors import OntologyError

SH = "http://www.w3.org/ns/shacl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_GK = iris.NS


def _instance_of(node: str, cls: str, kind: str) -> str:
    """``node`` has type ``cls`` or a subclass of it. Spelt as two patterns, not the path
    rdf:type/rdfs:subClassOf*, which Oxigraph evaluates from the class end: for a bound node
    that read every instance of the class once per node. The second is the only pattern a
    check reads the class hierarchy with (:data:`_HIERARCHY_STEP` finds it)."""
    return f"{node} <{_RDF}type> {kind} . {kind} <{_RDFS}subClassOf>* {cls} ."


_HIERARCHY_STEP = re.compile(rf"(\?\w+) <{re.escape(_RDFS)}subClassOf>\* (<[^<>\s]*>) \.")


# Datatypes whose lexical forms Oxigraph can check by casting: a literal of one that does not
# cast is ill-formed, which pySHACL reports as a datatype violation too.
_CASTABLE = {_XSD + name for name in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time", "gYear")}
_NODE_KINDS = {"IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
               "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
               "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))"}
_COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_PAIRS = {"lessThan": "<", "lessThanOrEquals": "<="}
_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
# What a shape may say besides its constraints: targets, paths, reporting and documentation.
_DESCRIPTIVE = {"path", "message", "severity", "deactivated", "name", "description", "order", "group", "defaultValue",
                "property", *_TARGETS}
_CONSTRAINTS = {"minCount", "maxCount", "uniqueLang", "hasValue", "datatype", "class", "nodeKind", "pattern", "flags",
                "minLength", "maxLength", "in", "node", "or", "and", "not", "xone", *_COMPARISONS, *_PAIRS}


@dataclass(frozen=True)
class Check:
    """One constraint of one targeted shape as a query; each row (``this``, and ``value`` where
    the result is about a value) is a validation result with this path, message and severity."""

    pattern: str  # binds ?this, and ?value / ?other where it applies, for each result
    path: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    component: str  # the SHACL constraint component(s), e.g. "MinCountConstraintComponent"
    # Its shape says gk:checkedPerSource: a build runs it on each source's own statements, in
    # the process that builds the source (kg.ingest.validate.validate_source), not over the store.
    per_source: bool = False
    # Its shape says gk:checkedWithinSource: it must hold in each source's own graph, not in the
    # union of several (where sources may disagree): checked on each source's graph alone.
    within_source: bool = False

    def query(self, within: str = "", *, hierarchy: str | None = None) -> str:
        """The SELECT query; ``within``: a pattern that further restricts ``?this``;
        ``hierarchy``: a named graph the class hierarchy (rdfs:subClassOf) is read from instead
        of the default graph (a source's graph alone, with the ontology's classes beside it)."""
        # The class itself, or a subclass of it there. (Oxigraph's zero-length path matches a
        # class only where the graph it reads names it.)
        pattern = self.pattern if hierarchy is None else _HIERARCHY_STEP.sub(
            lambda step: f"{{ VALUES {step[1]} {{ {step[2]} }} }} UNION "
                         f"{{ GRAPH <{hierarchy}> {{ {step[1]} <{_RDFS}subClassOf>+ {step[2]} }} }}", self.pattern)
        return f"SELECT DISTINCT ?this ?value ?other WHERE {{ {within} {pattern} }}"


def says(shapes, shape, local: str) -> bool:
    """Whether ``shape`` says ``gk:<local> true`` in ``shapes`` (an annotation of
    ontology/govkg.ttl such as ``checkedPerSource``)."""
    from rdflib import URIRef

    value = shapes.value(shape, URIRef(_GK + local))
    return value is not None and value.toPython() is True


def compile_shapes(shapes, *, source: str = "ontology/shapes.ttl") -> list[Check]:
    """The checks of every targeted shape of ``shapes`` (an rdflib Graph). Raises
    :class:`OntologyError` naming the shape and construct it cannot translate."""
    return _Compiler(shapes, source).checks()


def _absent(pattern: str, top: bool) -> str:
    """A filter keeping the solutions for which ``pattern`` has no match. In a check's own
    query (``top``) that is MINUS, which Oxigraph evaluates once, as an anti-join: FILTER NOT
    EXISTS runs the pattern again for every solution (ten times slower on the sample's 3,300
    regions). Nested in EXISTS, where the pattern's variables are bound from outside, MINUS
    would not see those bindings, so it stays FILTER NOT EXISTS."""
    return f"MINUS {{ {pattern} }}" if top else f"FILTER NOT EXISTS {{ {pattern} }}"


class _Compiler:
    def __init__(self, shapes, source: str):
        from rdflib import Namespace

        self.shapes, self.source, self.sh = shapes, source, Namespace(SH)
        self._names = itertools.count()

    def term(self, shape, node) -> str:
        """An rdflib IRI or literal of ``shape`` in SPARQL syntax."""
        from rdflib import Literal, URIRef

        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, Literal):
            lexical = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            if node.language:
                return f'"{lexical}"@{node.language}'
            return f'"{lexical}"^^<{node.datatype or _XSD + "string"}>'
        raise self.unsupported(shape, "a blank node as a value (sh:class, sh:in, sh:hasValue …)")

    def fresh(self) -> str:
        return f"?v{next(self._names)}"

    def unsupported(self, shape, what: str) -> OntologyError:
        return OntologyError(f"{self.source}: shape {self.name(shape)} uses {what}, which the build's SPARQL checks "
                             "do not support", fix="express it with the SHACL Core constraints kg/ingest/shacl_sparql.py "
                             "lists, or add its translation there")

    def name(self, shape) -> str:
        from rdflib import URIRef

        if isinstance(shape, URIRef):
            return self.shapes.namespace_manager.normalizeUri(shape)
        path = self.one(shape, "path")
        return f"[ sh:path {self.name(path) if isinstance(path, URIRef) else '…'} ]" if path is not None else "(a blank node)"

    def one(self, shape, local: str):
        return self.shapes.value(shape, self.sh[local])

    def items(self, shape, local: str) -> list:
        from rdflib.collection import Collection

        head = self.one(shape, local)
        return list(Collection(self.shapes, head)) if head is not None else []

    # --- shapes and targets ---------------------------------------------------------------

    def checks(self) -> list[Check]:
        from rdflib import RDF, RDFS, OWL

        targeted = {s for t in _TARGETS for s in self.shapes.subjects(self.sh[t], None)}
        targeted |= {s for kind in (RDFS.Class, OWL.Class) for s in self.shapes.subjects(RDF.type, kind)
                     if (s, RDF.type, self.sh.NodeShape) in self.shapes or (s, RDF.type, self.sh.PropertyShape) in self.shapes}
        result, targets_of, scope_of = [], {}, {}
        for shape in sorted(targeted, key=str):
            if self.deactivated(shape):
                continue
            target, scope = self.target(shape), self.scope(shape)
            result += self.shape_checks(shape, target, scope)
            for prop in sorted(self.shapes.objects(shape, self.sh.property), key=str):
                if not self.deactivated(prop):
                    targets_of.setdefault(prop, []).append(target)
                    # marked if it says so, or if every node shape it is a property of does
                    own = self.scope(prop)
                    scope_of[prop] = tuple(before and (mine or theirs) for before, mine, theirs
                                           in zip(scope_of.get(prop, (True, True)), own, scope))
        # A property shape several node shapes share (gks:HasEvidence) is one check per
        # constraint over all their targets (a node two of them target is one result, as
        # pySHACL reports it): its path's statements are read once, not once per node shape.
        for prop, targets in targets_of.items():
            target = targets[0] if len(targets) == 1 else " UNION ".join(f"{{ {t} }}" for t in targets)
            result += self.shape_checks(prop, target, scope_of[prop])
        return result

    def scope(self, shape) -> tuple[bool, bool]:
        """(per_source, within_source): the shape says ``gk:checkedPerSource true``, and
        ``gk:checkedWithinSource true`` (ontology/govkg.ttl defines both)."""
        return says(self.shapes, shape, "checkedPerSource"), says(self.shapes, shape, "checkedWithinSource")

    def deactivated(self, shape) -> bool:
        value = self.one(shape, "deactivated")
        return value is not None and value.toPython() is True

    def target(self, shape) -> str:
        """A pattern binding ``?this`` to each focus node of ``shape`` (several times if it is
        an instance of the class twice over; a check's SELECT DISTINCT makes it one result)."""
        from rdflib import RDF, RDFS, OWL

        blocks = [_instance_of("?this", self.term(shape, c), "?class") for c in self.shapes.objects(shape, self.sh.targetClass)]
        if (shape, RDF.type, RDFS.Class) in self.shapes or (shape, RDF.type, OWL.Class) in self.shapes:
            blocks.append(_instance_of("?this", self.term(shape, shape), "?class"))
        nodes = [self.term(shape, n) for n in self.shapes.objects(shape, self.sh.targetNode)]
        if nodes:
            blocks.append(f"VALUES ?this {{ {' '.join(nodes)} }}")
        blocks += [f"?this {self.term(shape, p)} [] ." for p in self.shapes.objects(shape, self.sh.targetSubjectsOf)]
        blocks += [f"[] {self.term(shape, p)} ?this ." for p in self.shapes.objects(shape, self.sh.targetObjectsOf)]
        return blocks[0] if len(blocks) == 1 else " UNION ".join(f"{{ {block} }}" for block in blocks)

    def shape_checks(self, shape, target: str, scope: tuple[bool, bool] = (False, False)) -> list[Check]:
        from rdflib import URIRef

        path = self.one(shape, "path")
        messages = {m.language: str(m) for m in self.shapes.objects(shape, self.sh.message)}
        severity = self.one(shape, "severity")
        severity = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        path_text = None if path is None else str(path) if isinstance(path, URIRef) else self.path(shape, path)
        checks = []
        for component, pattern in self.top_constraints(shape, target):
            message = messages.get("en") or next(iter(messages.values()), None) or f"{self.name(shape)}: {component}"
            checks.append(Check(pattern, path_text, message, severity, component, *scope))
        return checks

    # --- paths ----------------------------------------------------------------------------

    def path(self, shape, node) -> str:
        """A SHACL property path as a SPARQL property path."""
        from rdflib import URIRef
        from rdflib.collection import Collection

        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, None, None) not in self.shapes:
            raise self.unsupported(shape, "an empty sh:path")
        if self.shapes.value(node, self.sh.inversePath) is not None:
            return f"^({self.path(shape, self.shapes.value(node, self.sh.inversePath))})"
        if self.shapes.value(node, self.sh.alternativePath) is not None:
            parts = Collection(self.shapes, self.shapes.value(node, self.sh.alternativePath))
            return "(" + "|".join(self.path(shape, p) for p in parts) + ")"
        for local, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            inner = self.shapes.value(node, self.sh[local])
            if inner is not None:
                return f"({self.path(shape, inner)}){suffix}"
        from rdflib import RDF

        if self.shapes.value(node, RDF.first) is not None:
            return "(" + "/".join(self.path(shape, p) for p in Collection(self.shapes, node)) + ")"
        raise self.unsupported(shape, "a sh:path that is no SHACL property path")

    def scan(self, shape, path, subject: str, obj: str) -> str:
        """A pattern matching ``subject`` ``path`` ``obj`` for a check's own query, where every
        statement of the path is read: a sequence path becomes one subquery per step, joined on
        the intermediate nodes, which Oxigraph evaluates as hash joins of index scans. As a path
        (or as consecutive triple patterns) it looks each intermediate node up one at a time:
        the three-step path from 1.4 M annotations to their quotes took 108 s, as scans 44 s."""
        from rdflib import RDF
        from rdflib.collection import Collection

        if isinstance(path, type(RDF.type)) or self.shapes.value(path, RDF.first) is None:
            return f"{subject} {self.path(shape, path)} {obj} ."
        steps = list(Collection(self.shapes, path))
        nodes = [subject, *(self.fresh() for _ in steps[1:]), obj]
        return " ".join(f"{{ SELECT {a} {b} WHERE {{ {a} {self.path(shape, step)} {b} }} }}"
                        for a, b, step in zip(nodes, nodes[1:], steps))

    # --- constraints ----------------------------------------------------------------------

    def vet(self, shape) -> None:
        """Raise for any SHACL construct of ``shape`` this module cannot translate."""
        used = {str(p)[len(SH):] for p in self.shapes.predicates(shape, None) if str(p).startswith(SH)}
        unknown = sorted(used - _DESCRIPTIVE - _CONSTRAINTS)
        if unknown:
            raise self.unsupported(shape, ", ".join(f"sh:{local}" for local in unknown))
        if "property" in used and self.one(shape, "path") is not None:
            raise self.unsupported(shape, "sh:property on a property shape")
        if "flags" in used and "pattern" not in used:
            raise self.unsupported(shape, "sh:flags without sh:pattern")

    def top_constraints(self, shape, target: str) -> list[tuple[str, str]]:
        """(component, pattern) for every constraint of a targeted shape: the pattern binds
        ``?this`` (and ``?value`` / ``?other`` where a result is about a value) once per result.
        Where a constraint can be decided from its path's statements alone (values, counts,
        languages, pairs), those are read first and the target pattern follows, so only the
        few failing nodes are looked up: Oxigraph joins a pattern after a target by one index
        lookup per focus node, several times slower than the scan and grouping."""
        self.vet(shape)
        path = self.one(shape, "path")
        if path is None:  # a node shape: its one value node is the focus node
            return [(component, f"{target} BIND(?this AS ?value) {test}")
                    for component, test in self.value_tests(shape, "?this", top=True)]
        steps = self.path(shape, path)
        scan = self.scan(shape, path, "?this", "?node")  # the path's statements, ?this to ?node
        result = [(component, f"{{ SELECT DISTINCT ?this (?node AS ?value) WHERE {{ {scan} {test} }} }} {target}")
                  for component, test in self.value_tests(shape, "?node", top=True)]
        least, most = self.one(shape, "minCount"), self.one(shape, "maxCount")
        if least is not None and most is not None and int(least) == int(most) == 1:
            # Exactly one value: one grouping of the path's statements finds both the nodes
            # without a value and those with several (as two checks: 2-4 times the time).
            result.append(("MinCountConstraintComponent MaxCountConstraintComponent",
                           f"{target} MINUS {{ SELECT ?this WHERE {{ {scan} }} GROUP BY ?this "
                           f"HAVING (COUNT(DISTINCT ?node) = 1) }}"))
            least = most = None
        if least is not None and int(least) == 1:
            result.append(("MinCountConstraintComponent", f"{target} MINUS {{ {scan} }}"))
        elif least is not None and int(least) > 1:
            result.append(("MinCountConstraintComponent", f"{target} MINUS {{ SELECT ?this WHERE {{ {scan} }} "
                                                          f"GROUP BY ?this HAVING (COUNT(DISTINCT ?node) >= {int(least)}) }}"))
        if most is not None:
            result.append(("MaxCountConstraintComponent", f"{{ SELECT ?this WHERE {{ {scan} }} GROUP BY ?this "
                                                          f"HAVING (COUNT(DISTINCT ?node) > {int(most)}) }} {target}"))
        unique = self.one(shape, "uniqueLang")
        if unique is not None and unique.toPython() is True:
            result.append(("UniqueLangConstraintComponent",
                           f"{{ SELECT ?this ?value WHERE {{ {scan} FILTER(isLiteral(?node) && lang(?node) != \"\") }} "
                           f"GROUP BY ?this (LCASE(lang(?node)) AS ?value) HAVING (COUNT(DISTINCT ?node) > 1) }} {target}"))
        has = self.one(shape, "hasValue")
        if has is not None:
            result.append(("HasValueConstraintComponent", f"{target} MINUS {{ ?this {steps} {self.term(shape, has)} }}"))
        for local, operator in _PAIRS.items():
            for other_path in self.shapes.objects(shape, self.sh[local]):
                result.append((f"{local[0].upper()}{local[1:]}ConstraintComponent",
                               f"{{ SELECT ?this ?value ?other WHERE {{ {{ SELECT ?this ?value WHERE {{ {self.scan(shape, path, '?this', '?value')} }} }} "
                               f"{{ SELECT ?this ?other WHERE {{ {self.scan(shape, other_path, '?this', '?other')} }} }} "
                               f"FILTER(!COALESCE(?value {operator} ?other, false)) }} }} {target}"))
        return result

    def constraints(self, shape, focus: str) -> list[tuple[str, str]]:
        """(component, pattern) for every constraint of a shape nested in another (sh:node,
        sh:or …), for the node in ``focus``, bound from outside: each pattern matches when
        that node fails the constraint."""
        self.vet(shape)
        path = self.one(shape, "path")
        if path is None:
            return self.value_tests(shape, focus, top=False)
        steps = self.path(shape, path)
        value = self.fresh()
        result = [(component, f"{focus} {steps} {value} . {test}") for component, test in self.value_tests(shape, value, top=False)]
        for local in ("minCount", "maxCount"):
            count = self.one(shape, local)
            if count is not None:
                result.append((f"{local[0].upper()}{local[1:]}ConstraintComponent", self.cardinality(focus, steps, local, int(count))))
        unique = self.one(shape, "uniqueLang")
        if unique is not None and unique.toPython() is True:
            a, b = self.fresh(), self.fresh()
            result.append(("UniqueLangConstraintComponent",
                           f"{focus} {steps} {a}, {b} . FILTER(!sameTerm({a}, {b}) && lang({a}) != \"\" && "
                           f"LCASE(lang({a})) = LCASE(lang({b})))"))
        has = self.one(shape, "hasValue")
        if has is not None:
            result.append(("HasValueConstraintComponent", f"FILTER NOT EXISTS {{ {focus} {steps} {self.term(shape, has)} }}"))
        for local, operator in _PAIRS.items():
            for other_path in self.shapes.objects(shape, self.sh[local]):
                value, other = self.fresh(), self.fresh()
                result.append((f"{local[0].upper()}{local[1:]}ConstraintComponent",
                               f"{focus} {steps} {value} . {focus} {self.path(shape, other_path)} {other} . "
                               f"FILTER(!COALESCE({value} {operator} {other}, false))"))
        return result

    def cardinality(self, focus: str, steps: str, local: str, count: int) -> str:
        """A pattern for fewer than ``count`` values (minCount) or more (maxCount): that many
        (or one more) pairwise different values do not (or do) exist."""
        wanted = count if local == "minCount" else count + 1
        if wanted == 0:
            return "FILTER(false)" if local == "minCount" else f"FILTER EXISTS {{ {focus} {steps} [] }}"
        names = [self.fresh() for _ in range(wanted)]
        different = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2))
        pattern = f"{focus} {steps} {', '.join(names)} .{f' FILTER({different})' if different else ''}"
        return f"FILTER {'NOT ' if local == 'minCount' else ''}EXISTS {{ {pattern} }}"

    def value_tests(self, shape, v: str, *, top: bool) -> list[tuple[str, str]]:
        """(component, filter) for the constraints that look at one value node ``v`` at a time."""
        tests = []
        for cls in self.shapes.objects(shape, self.sh["class"]):
            tests.append(("ClassConstraintComponent", _absent(_instance_of(v, self.term(shape, cls), self.fresh()), top)))
        datatype = self.one(shape, "datatype")
        if datatype is not None:
            wrong = f"!isLiteral({v}) || datatype({v}) != {self.term(shape, datatype)}"
            if str(datatype) in _CASTABLE:
                wrong += f" || !COALESCE(isLiteral({self.term(shape, datatype)}(STR({v}))), false)"
            tests.append(("DatatypeConstraintComponent", f"FILTER({wrong})"))
        kind = self.one(shape, "nodeKind")
        if kind is not None:
            test = _NODE_KINDS.get(str(kind)[len(SH):]) if str(kind).startswith(SH) else None
            if test is None:
                raise self.unsupported(shape, f"sh:nodeKind {kind}")
            tests.append(("NodeKindConstraintComponent", f"FILTER(!{test.format(v=v)})"))
        flags = self.one(shape, "flags")
        for pattern in self.shapes.objects(shape, self.sh.pattern):
            regex = self.term(shape, type(pattern)(str(pattern)))
            extra = f", {self.term(shape, type(flags)(str(flags)))}" if flags is not None else ""
            tests.append(("PatternConstraintComponent", f"FILTER(isBlank({v}) || !REGEX(STR({v}), {regex}{extra}))"))
        for local, operator in (("minLength", "<"), ("maxLength", ">")):
            length = self.one(shape, local)
            if length is not None:
                tests.append((f"{local[0].upper()}{local[1:]}ConstraintComponent",
                              f"FILTER(isBlank({v}) || STRLEN(STR({v})) {operator} {int(length)})"))
        for local, operator in _COMPARISONS.items():
            bound = self.one(shape, local)
            if bound is not None:
                tests.append((f"{local[0].upper()}{local[1:]}ConstraintComponent",
                              f"FILTER(!COALESCE({v} {operator} {self.term(shape, bound)}, false))"))
        if self.one(shape, "in") is not None:
            allowed = " || ".join(f"sameTerm({v}, {self.term(shape, item)})" for item in self.items(shape, "in")) or "false"
            tests.append(("InConstraintComponent", f"FILTER(!({allowed}))"))
        if self.one(shape, "hasValue") is not None and self.one(shape, "path") is None:
            tests.append(("HasValueConstraintComponent", f"FILTER(!sameTerm({v}, {self.term(shape, self.one(shape, 'hasValue'))}))"))
        for node in self.shapes.objects(shape, self.sh.node):
            tests.append(("NodeConstraintComponent", f"FILTER EXISTS {{ {self.failure(node, v)} }}"))
        for local, join in (("or", " && "), ("and", " || ")):
            if self.one(shape, local) is not None:
                fails = [f"EXISTS {{ {self.failure(member, v)} }}" for member in self.items(shape, local)]
                tests.append((f"{local.capitalize()}ConstraintComponent",
                              f"FILTER({join.join(fails) or ('true' if local == 'or' else 'false')})"))
        for negated in self.shapes.objects(shape, self.sh["not"]):
            tests.append(("NotConstraintComponent", f"FILTER NOT EXISTS {{ {self.failure(negated, v)} }}"))
        if self.one(shape, "xone") is not None:
            passing = " + ".join(f"IF(EXISTS {{ {self.failure(m, v)} }}, 0, 1)" for m in self.items(shape, "xone")) or "0"
            tests.append(("XoneConstraintComponent", f"FILTER(({passing}) != 1)"))
        return tests

    def failure(self, shape, node: str) -> str:
        """A pattern that matches (at least once) when ``node`` does not conform to ``shape``."""
        if self.deactivated(shape):
            return "FILTER(false)"
        branches = [pattern for _, pattern in self.constraints(shape, node)]
        for prop in self.shapes.objects(shape, self.sh.property):
            if not self.deactivated(prop):
                branches += [pattern for _, pattern in self.constraints(prop, node)]
        return " UNION ".join(f"{{ {b} }}" for b in branches) if branches else "FILTER(false)"
