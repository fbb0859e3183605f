"""Compact JSON-LD: the published ``@context`` (``ontology/context.jsonld``, generated from the
ontology by :func:`generated_context`) and a writer that compacts a graph with it.

The writer does what a JSON-LD processor's compaction would, for the shapes of data a build
makes, in one pass (pyld would take minutes on a large build): one record per subject under
``@graph`` (``@id``, ``@type``, then the terms in order), labels as language maps, IRIs as
compact IRIs where a prefix fits, integers as JSON numbers, and a node owned by one other (an
annotation's ``…/target``, ``…/position`` and ``…/quote``, whose IRIs extend the annotation's)
written inside its owner, so an evidence record reads whole. The tests expand the output with
pyld and compare it with the graph's triples.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

from kg.core.errors import OntologyError
from kg.core.namespaces import PREFIXES
from kg.core.ontology import ontology_dir, ontology_graph

CONTEXT_FILE = "context.jsonld"
CONTEXT_IRI = "https://w3id.org/govkg/context.jsonld"

_XSD = PREFIXES["xsd"]
_LANGUAGE_MAPPED = ("rdfs:label", "rdfs:comment", "skos:prefLabel", "skos:altLabel", "skos:definition", "skos:scopeNote",
                    "dcterms:title", "dcterms:description")
# Terms the ontology reuses and a build writes, outside gk:. "@id": the values are IRIs; an
# xsd: name: the values' datatype; None: plain strings or numbers.
_REUSED = {
    "rdf:subject": "@id", "rdf:predicate": "@id", "rdf:object": "@id",
    "rdfs:subClassOf": "@id", "rdfs:subPropertyOf": "@id", "rdfs:domain": "@id", "rdfs:range": "@id",
    "owl:inverseOf": "@id", "owl:versionIRI": "@id", "owl:versionInfo": None,
    "skos:broader": "@id", "skos:related": "@id", "skos:inScheme": "@id", "skos:hasTopConcept": "@id",
    "skos:topConceptOf": "@id", "skos:notation": None,
    "dcterms:isPartOf": "@id", "dcterms:references": "@id", "dcterms:creator": "@id", "dcterms:license": "@id",
    "dcterms:spatial": "@id", "dcterms:format": None, "dcterms:date": "xsd:date", "dcterms:issued": "xsd:date",
    "dcterms:created": "xsd:date", "dcterms:modified": "xsd:date",
    "schema:containedInPlace": "@id", "schema:issueNumber": None, "schema:unitText": None,
    "schema:value": "xsd:decimal", "schema:minValue": "xsd:decimal", "schema:maxValue": "xsd:decimal",
    "prov:wasDerivedFrom": "@id", "foaf:name": None,
    "vann:preferredNamespacePrefix": None, "vann:preferredNamespaceUri": None,
    "oa:hasBody": "@id", "oa:hasTarget": "@id", "oa:hasSource": "@id", "oa:hasSelector": "@id",
    "oa:motivatedBy": "@id", "oa:start": None, "oa:end": None, "oa:exact": None,
}
_REUSED_CLASSES = ("oa:Annotation", "oa:SpecificResource", "oa:TextPositionSelector", "oa:TextQuoteSelector",
                   "skos:Concept", "skos:ConceptScheme", "owl:Class", "owl:ObjectProperty", "owl:DatatypeProperty",
                   "owl:AnnotationProperty", "owl:Ontology", "prov:Entity", "dcterms:Agent", "foaf:Organization")


def _curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def generated_context() -> dict:
    """The ``@context`` for the ontology's classes and properties (gk: terms by local name) and
    the terms it reuses, made from ``ontology/*.ttl``; ``ontology/context.jsonld`` is this,
    written by ``python tools/jsonld_context.py`` (a test fails when it is stale)."""
    from rdflib import OWL, RDF, RDFS, URIRef

    graph = ontology_graph()
    gk = PREFIXES["gk"]
    definitions: dict[str, object] = {}

    def define(curie: str, definition) -> None:
        term = curie.split(":", 1)[1]
        if term in definitions:
            raise OntologyError(f"{CONTEXT_FILE}: two terms named '{term}'", fix="name the term in _REUSED differently")
        definitions[term] = definition

    for cls in sorted(str(c) for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(gk)):
        define(_curie(cls), _curie(cls))
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in sorted(str(p) for p in graph.subjects(RDF.type, kind) if str(p).startswith(gk)):
            definition: dict[str, str] = {"@id": _curie(prop)}
            datatype = str(graph.value(URIRef(prop), RDFS.range) or "")
            if kind == OWL.ObjectProperty:
                definition["@type"] = "@id"
            elif datatype.startswith(_XSD) and datatype not in (_XSD + "string", _XSD + "integer"):
                definition["@type"] = _curie(datatype)  # strings stay plain, integers JSON numbers
            define(_curie(prop), definition)
    for curie in _LANGUAGE_MAPPED:
        define(curie, {"@id": curie, "@container": "@language"})
    for curie, kind in _REUSED.items():
        define(curie, {"@id": curie, **({"@type": kind} if kind else {})})
    for curie in _REUSED_CLASSES:
        define(curie, curie)
    prefixes = {prefix: namespace for prefix, namespace in sorted(PREFIXES.items())}
    return {"@context": {"@version": 1.1, **prefixes, **dict(sorted(definitions.items()))}}


@functools.lru_cache(maxsize=1)
def published_context() -> dict:
    """``ontology/context.jsonld`` as shipped."""
    return json.loads((ontology_dir() / CONTEXT_FILE).read_text(encoding="utf-8"))


class _Compactor:
    """Maps IRIs, predicates and literals to their compact JSON forms under a context."""

    def __init__(self, context: dict):
        self.prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
        self.by_iri: dict[str, tuple[str, dict]] = {}  # expanded IRI -> (term, definition)
        self._compacted: dict[str, str] = {}
        for term, definition in context.items():
            if term.startswith("@") or term in self.prefixes:
                continue
            definition = {"@id": definition} if isinstance(definition, str) else definition
            self.by_iri.setdefault(self.expand(definition["@id"]), (term, definition))

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes else value

    def iri(self, iri: str) -> str:
        """The compact IRI (prefix:local) of ``iri``, or ``iri`` itself."""
        found = self._compacted.get(iri)
        if found is None:
            found = self._compacted[iri] = self._compact(iri)
        return found

    def _compact(self, iri: str) -> str:
        best = max((p for p, ns in self.prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
                   key=lambda p: len(self.prefixes[p]), default=None)
        if best is None:
            return iri
        local = iri[len(self.prefixes[best]):]
        # A local part that could be read as an IRI or a blank node stays expanded.
        return iri if local.startswith("//") or "_:" in local else f"{best}:{local}"

    def vocab(self, iri: str) -> str:
        """A class or a predicate: its term, else its compact IRI."""
        found = self.by_iri.get(iri)
        return found[0] if found else self.iri(iri)

    def key(self, predicate: str) -> tuple[str, dict]:
        return self.by_iri.get(predicate) or (self.iri(predicate), {})


def _text(term) -> str:
    """The IRI, blank node id or lexical form of an rdflib term (a str) or a pyoxigraph one."""
    return str(term) if isinstance(term, str) else term.value


def _lexical(term) -> tuple[str, str | None, str | None]:
    """(lexical form, language, datatype IRI) of an rdflib or pyoxigraph literal."""
    datatype = getattr(term, "datatype", None)
    return _text(term), getattr(term, "language", None) or None, _text(datatype) if datatype is not None else None


_KINDS = {"URIRef": "iri", "NamedNode": "iri", "BNode": "blank", "BlankNode": "blank"}


def compact_jsonld(triples, context: dict | None = None) -> bytes:
    """``triples`` (rdflib or pyoxigraph) as compact JSON-LD with ``@graph``, the context inline
    (default: the published one), deterministic for the same statements."""
    context = context or published_context()
    compactor = _Compactor(context["@context"])
    subjects: dict[str, dict[str, list]] = {}
    kinds: dict[type, str] = {}
    for s, p, o in triples:
        subject = _text(s)
        if kinds.setdefault(type(s), _KINDS.get(type(s).__name__, "literal")) == "blank":
            subject = "_:" + subject
        kind = kinds.setdefault(type(o), _KINDS.get(type(o).__name__, "literal"))
        value = ("literal", *_lexical(o)) if kind == "literal" else (kind, ("_:" if kind == "blank" else "") + _text(o))
        subjects.setdefault(subject, {}).setdefault(_text(p), []).append(value)
    referrers: dict[str, list[str]] = {}
    for subject, predicates in subjects.items():
        for values in predicates.values():
            for value in values:
                if value[0] != "literal" and value[1] in subjects:
                    referrers.setdefault(value[1], []).append(subject)
    owned = {node for node, by in referrers.items() if len(by) == 1 and _owner(node) in subjects
             and _owner(node) in (by[0], _owner(by[0]))}
    records = [json.dumps(_record(subject, subjects, owned, compactor), ensure_ascii=False)
               for subject in sorted(subjects) if subject not in owned]
    # One record a line (json's C encoder; an indented dump is several times slower).
    head = json.dumps({"@context": context["@context"]}, ensure_ascii=False, indent=1)[:-2]
    return (head + ',\n "@graph": [\n' + ",\n".join(records) + "\n ]\n}\n").encode("utf-8")


_RDF_TYPE = PREFIXES["rdf"] + "type"


def _owner(iri: str) -> str:
    """The IRI a part's IRI extends (``…/5-9`` for ``…/5-9/target``): a node referenced only by
    its owner or by another part of it is written inside that record."""
    return iri.rsplit("/", 1)[0]


def _record(subject: str, subjects: dict, owned: set, compactor: _Compactor) -> dict:
    predicates = subjects[subject]
    record: dict[str, object] = {"@id": subject if subject.startswith("_:") else compactor.iri(subject)}
    types = sorted({compactor.vocab(v[1]) for v in predicates.get(_RDF_TYPE, ()) if v[0] == "iri"})
    if types:
        record["@type"] = types[0] if len(types) == 1 else types
    entries = []
    for predicate, values in predicates.items():
        if predicate == _RDF_TYPE and all(v[0] == "iri" for v in values):
            continue
        key, definition = compactor.key(predicate)
        ordered = sorted(set(values), key=lambda v: tuple(part or "" for part in v))
        entries.append((key, _values(ordered, definition, subjects, owned, compactor)))
    for key, value in sorted(entries, key=lambda e: e[0]):
        record[key] = value
    return record


def _values(values: list, definition: dict, subjects: dict, owned: set, compactor: _Compactor):
    if definition.get("@container") == "@language":
        mapped: dict[str, list] = {}
        rest = []
        for value in values:
            if value[0] == "literal" and (value[2] or value[3] in (None, _XSD + "string")):
                mapped.setdefault(value[2] or "@none", []).append(value[1])
            else:
                rest.append(value)
        if not rest:
            return {lang: found[0] if len(found) == 1 else found for lang, found in sorted(mapped.items())}
        definition = {}  # mixed values: written out one by one below, without the map
    coerced = definition.get("@type")
    out = []
    for value in values:
        kind = value[0]
        if kind in ("iri", "blank") and value[1] in owned:
            out.append(_record(value[1], subjects, owned, compactor))
        elif kind == "iri":
            out.append(compactor.iri(value[1]) if coerced == "@id" else {"@id": compactor.iri(value[1])})
        elif kind == "blank":
            out.append(value[1] if coerced == "@id" else {"@id": value[1]})
        else:
            out.append(_literal(value[1], value[2], value[3], coerced, compactor))
    return out[0] if len(out) == 1 else out


def _literal(text: str, language: str | None, datatype: str | None, coerced: str | None, compactor: _Compactor):
    if language:
        return {"@value": text, "@language": language}
    if datatype in (None, _XSD + "string"):
        return text if coerced is None else {"@value": text}
    if coerced and coerced != "@id" and compactor.expand(coerced) == datatype:
        return text
    if coerced is None and datatype == _XSD + "integer" and text.lstrip("-").isdigit() and str(int(text)) == text:
        return int(text)
    return {"@value": text, "@type": compactor.iri(datatype)}


def write_context(path: str | Path | None = None) -> Path:
    """Write :func:`generated_context` to ``ontology/context.jsonld`` (or ``path``)."""
    path = Path(path or ontology_dir() / CONTEXT_FILE)
    path.write_text(json.dumps(generated_context(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
