"""The report read out of the graph: regions, their documents, adoptions (the initiative
matrix), platforms, lead units, dated tasks, goals and the likeness of regions."""
from __future__ import annotations

import collections

from kg.core import iris
from kg.core.errors import KGError
from kg.core.namespaces import DCTERMS, RDF, RDFS, SCHEMA, SKOS
from kg.core.ontology import class_label, initiatives, ontology_graph, province_tiles
from kg.outputs.report.model import (
    _REGION_LEVELS,
    PAIRS_SHOWN,
    QUOTES_SHOWN,
    TOP_LEAD_UNITS,
    Diffusion,
    DocumentSummary,
    FirstAdoption,
    GoalSummary,
    InitiativeMatrix,
    MatrixGroup,
    MatrixRow,
    More,
    PairScore,
    PlatformSummary,
    ProvinceTile,
    Quote,
    Ref,
    RegionOverview,
    RegionPlatforms,
    RegionRef,
    RegionUnits,
    Report,
    Similarity,
    TaskDeadline,
    UnitCount,
)
from kg.query.evidence import START_PATH
from kg.query.lookup import label_of, passages_of, resolve_entity
from kg.query.sparql import run_query
from kg.query.tables import jaccard, natural_key, number_value, year_value

# ---------------------------------------------------------------- reading the graph


_IN_REGION = "SELECT ?node ?type WHERE { ?node gk:inRegion <%s> ; a ?type }"

# The quotes of many nodes, capped: first the passages per node and document, grouped in the
# store (their IRIs only, never their text), and the documents' dates; the positions of the
# passages then read only where a document has more passages than are listed; then the
# passages listed. At 10,000 documents ten regions' marks are stated by 15,500 passages:
# reading them all cost more than the rest of the report.
_PASSAGES_PER_DOCUMENT = """SELECT ?about ?document (GROUP_CONCAT(DISTINCT STR(?evidence); separator=" ") AS ?passages)
  WHERE { VALUES ?about { %s } ?about gk:evidence ?evidence . OPTIONAL { ?evidence gk:inDocument ?document } }
  GROUP BY ?about ?document"""
_DOCUMENT_DATES = """SELECT ?document ?basis ?date WHERE { VALUES ?document { %s }
  { ?document dcterms:issued ?date BIND("issued" AS ?basis) }
  UNION { ?document dcterms:isPartOf ?issue . ?issue dcterms:date ?date BIND("newsletter" AS ?basis) }
  UNION { ?document gk:periodStart ?date BIND("period" AS ?basis) } }"""
_STARTS = f"SELECT ?evidence ?start WHERE {{ VALUES ?evidence {{ %s }} ?evidence {START_PATH} ?start }}"
_VALUES_CHUNK = 1000  # rows per VALUES block


def _chunks(items: list) -> list[list]:
    return [items[at:at + _VALUES_CHUNK] for at in range(0, len(items), _VALUES_CHUNK)]


class _Reader:
    """Accessors over the graph; vocabulary labels fall back to the ontology, so a graph file
    written without the ontology still gives readable reports."""

    def __init__(self, graph, *, quotes: int | None = QUOTES_SHOWN):
        from rdflib import URIRef

        self.graph, self.ontology, self.uri = graph, ontology_graph(), URIRef
        self.quotes_shown = quotes or None  # None: every quote
        self._quotes: dict[str, tuple[list[Quote], More]] = {}
        self._documents: dict[str, list[str]] = {}  # node -> documents stating it, earliest first
        self._dates: dict[str, tuple[str | None, str | None]] = {}  # document -> (date, basis)
        self._in_region: dict[str, dict[str, list]] = {}  # region IRI -> class local name -> nodes

    def objects(self, subject, predicate: str) -> list:
        return sorted(self.graph.objects(subject, self.uri(predicate)), key=str)

    def subjects(self, predicate: str, obj) -> list:
        return sorted(self.graph.subjects(self.uri(predicate), obj), key=str)

    def first(self, subject, predicate: str):
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def text(self, subject, predicate: str) -> str | None:
        value = self.first(subject, predicate)
        return None if value is None else str(value)

    def types(self, node) -> set[str]:
        return {str(t)[len(iris.NS):] for t in self.graph.objects(node, self.uri(RDF + "type"))
                if str(t).startswith(iris.NS)}

    def label(self, node, lang: str = "zh") -> str | None:
        for graph in (self.graph, self.ontology):
            for predicate in (RDFS + "label", SKOS + "prefLabel"):
                values = sorted(str(v) for v in graph.objects(self.uri(str(node)), self.uri(predicate))
                                if (getattr(v, "language", None) or "").startswith(lang))
                if values:
                    return values[0]
        return None

    def name(self, node) -> str:
        return self.label(node) or self.label(node, "en") or str(node).rsplit("/", 1)[-1]

    def subclasses(self, local: str) -> set[str]:
        from rdflib import RDFS

        below = self.ontology.transitive_subjects(RDFS.subClassOf, self.uri(iris.term(local)))
        return {str(c)[len(iris.NS):] for c in below if str(c).startswith(iris.NS)}

    def in_region(self, region, cls: str) -> list:
        """The nodes in ``region`` (gk:inRegion) of the class ``cls`` (a gk: local name), by IRI;
        every class's read in one query per region (a report asks for four, some twice)."""
        if str(region) not in self._in_region:
            found: dict[str, set] = collections.defaultdict(set)
            for node, type_ in run_query(self.graph, _IN_REGION % str(region)).rows:
                if str(type_).startswith(iris.NS):
                    found[str(type_)[len(iris.NS):]].add(node)
            self._in_region[str(region)] = {local: sorted(nodes, key=str) for local, nodes in found.items()}
        return self._in_region[str(region)].get(cls, [])

    def quotes(self, about) -> list[Quote]:
        """The quotes listed for ``about``: at most :attr:`quotes_shown`, those of its earliest
        documents first (document date, then document, then position)."""
        if str(about) not in self._quotes:
            self.read_quotes([about])
        return self._quotes[str(about)][0]

    def more(self, about) -> More:
        """The passages stating ``about`` that :meth:`quotes` leaves out."""
        if str(about) not in self._quotes:
            self.read_quotes([about])
        return self._quotes[str(about)][1]

    def documents(self, about) -> list[str]:
        """Every document with a passage stating ``about``, earliest first (undated last)."""
        if str(about) not in self._quotes:
            self.read_quotes([about])
        return self._documents[str(about)]

    def document_dates(self, documents) -> None:
        """Read the dates of ``documents`` at once (see :func:`_document_date`)."""
        wanted = sorted({str(d) for d in documents} - set(self._dates))
        found: dict[str, dict[str, list]] = {d: collections.defaultdict(list) for d in wanted}
        for chunk in _chunks(wanted):
            for document, basis, date in run_query(self.graph, _DOCUMENT_DATES % " ".join(f"<{d}>" for d in chunk)).rows:
                found[str(document)][str(basis)].append(date)
        for document, dates in found.items():
            if dates["issued"]:
                self._dates[document] = str(min(dates["issued"], key=str)), "issued"
            elif dates["newsletter"]:
                self._dates[document] = min(str(d) for d in dates["newsletter"]), "newsletter"
            else:
                start = year_value(min(dates["period"], key=str)) if dates["period"] else None
                self._dates[document] = (str(start), "period") if start is not None else (None, None)

    def date(self, document) -> tuple[str | None, str | None]:
        if str(document) not in self._dates:
            self.document_dates([document])
        return self._dates[str(document)]

    def _document_order(self, document: str | None) -> tuple:
        date = self.date(document)[0] if document is not None else None
        return document is None, date is None, date or "", document or ""

    def read_quotes(self, abouts) -> None:
        """Read the quotes of all ``abouts`` at once (a few queries), for :meth:`quotes`,
        :meth:`more` and :meth:`documents` to give. Only the passages listed are read; the
        others are counted in the store."""
        wanted = sorted({str(a) for a in abouts} - set(self._quotes))
        if not wanted:
            return
        found: dict[str, dict[str | None, list[str]]] = {a: {} for a in wanted}  # node -> document -> evidence
        for chunk in _chunks(wanted):
            for about, document, passages in run_query(self.graph, _PASSAGES_PER_DOCUMENT % " ".join(f"<{a}>" for a in chunk)).rows:
                found[str(about)][str(document) if document is not None else None] = sorted(str(passages).split())
        self.document_dates({d for documents in found.values() for d in documents if d is not None})
        chosen: dict[str, list[str | None]] = {}  # node -> its earliest documents, enough for the quotes listed
        partial: set[str] = set()  # evidence in documents with more passages than are listed
        for about, documents in found.items():
            ordered = sorted(documents, key=self._document_order)
            self._documents[about] = [d for d in ordered if d is not None]
            taken, total = [], 0
            for document in ordered:
                if self.quotes_shown is not None and total >= self.quotes_shown:
                    break
                taken.append(document)
                total += len(documents[document])
                if self.quotes_shown is not None and total > self.quotes_shown:
                    partial.update(documents[document])
            chosen[about] = taken
        starts: dict[str, int] = {}  # where it matters: in documents with passages left out
        for chunk in _chunks(sorted(partial)):
            for node, start in run_query(self.graph, _STARTS % " ".join(f"<{e}>" for e in chunk)).rows:
                starts[str(node)] = min(int(start), starts.get(str(node), int(start)))
        listed: dict[str, list[str]] = {}
        for about, documents in chosen.items():
            nodes = []
            for document in documents:
                nodes += sorted(found[about][document], key=lambda e: (starts.get(e, 0), e))
            listed[about] = nodes[:self.quotes_shown]
        passages = passages_of(self.graph, {node for nodes in listed.values() for node in nodes})
        titles: dict[str, str] = {}
        for about in wanted:
            quotes, shown_in = [], collections.Counter()
            nodes = listed[about]
            if len(nodes) > 1:  # in document order, then by position (read now for the documents listed whole)
                order = [self._document_order(str(passages[n][0]) if passages.get(n, [None])[0] is not None else None)
                         for n in nodes]
                nodes = [n for _, _, n in sorted(zip(order, (_start(passages.get(n)) for n in nodes), nodes))]
            for node in nodes:
                document, section, start, end, quote = passages.get(node, [None] * 5)
                if document is not None and str(document) not in titles:
                    titles[str(document)] = label_of(self.graph, document)
                shown_in[str(document) if document is not None else None] += 1
                quotes.append(Quote(document=titles[str(document)] if document is not None else "",
                                    document_iri=str(document) if document is not None else None,
                                    section=str(section or ""), quote=str(quote) if quote is not None else None,
                                    start=int(start) if start is not None else None,
                                    end=int(end) if end is not None else None))
            counts = {d: len(passages) for d, passages in found[about].items()}
            more = More(passages=sum(counts.values()) - len(quotes),
                        documents=sum(1 for d, n in counts.items() if n > shown_in[d]))
            self._quotes[about] = (quotes, more)


def _start(passage) -> int:
    return int(passage[2]) if passage is not None and passage[2] is not None else 0


def _policy_documents(reader: _Reader, region) -> list:
    policy = reader.subclasses("PolicyDocument")
    return [d for d in reader.subjects(iris.term("governsRegion"), region) if reader.types(d) & policy]


def _default_regions(reader: _Reader) -> list:
    from rdflib import URIRef

    policy = reader.subclasses("PolicyDocument")
    found = {region for doc, region in reader.graph.subject_objects(URIRef(iris.term("governsRegion")))
             if reader.types(doc) & policy}
    return list(found)


def _region_ref(reader: _Reader, node) -> RegionRef:
    region_types = reader.subclasses("Region")
    type_ = min(reader.types(node) & region_types or {"Region"},
                key=lambda t: _REGION_LEVELS.index(t) if t in _REGION_LEVELS else len(_REGION_LEVELS))
    return RegionRef(iri=str(node), label=reader.name(node), code=reader.text(node, iris.term("divisionCode")),
                     type=type_)


def _resolve_regions(reader: _Reader, names) -> list:
    types = tuple(sorted(reader.subclasses("Region")))
    return [reader.uri(resolve_entity(reader.graph, name, types=types)) for name in names]


def _resolve_initiative(reader: _Reader, name: str) -> str:
    try:
        return resolve_entity(reader.graph, name, types=("Initiative",))
    except KGError:
        # A graph file without the ontology still knows the vocabulary through kg.core.ontology.
        matches = [c.iri for c in initiatives().values() if name in c.labels or name == c.iri]
        if len(matches) != 1:
            raise
        return matches[0]


def _members(reader: _Reader, iri: str) -> list[str]:
    """The initiatives ``iri`` stands for: its members when it is a group, else itself."""
    from rdflib import URIRef

    members = {c.iri for c in initiatives().values() if c.broader == iri}
    members |= {str(s) for s in reader.graph.subjects(URIRef(SKOS + "broader"), URIRef(iri))}
    return sorted(members) or [iri]


def _resolve_initiatives(reader: _Reader, names) -> list[str]:
    """IRIs named by ``names``; a group (a concept other initiatives are narrower than)
    stands for its members."""
    chosen: list[str] = []
    for name in names:
        for item in _members(reader, _resolve_initiative(reader, name)):
            if item not in chosen:
                chosen.append(item)
    return chosen


def _document_date(reader: _Reader, doc) -> tuple[str | None, str | None]:
    """When a document was issued, as precisely as the graph says: the date signed
    (dcterms:issued), else the date of the newsletter issue carrying it, else the first year of
    its period; with the basis (a key of DATE_BASES). Read with other documents' dates
    (:meth:`_Reader.document_dates`)."""
    return reader.date(doc)


def _document_summary(reader: _Reader, doc) -> DocumentSummary:
    types = reader.types(doc) & reader.subclasses("Document")
    specific = sorted(t for t in types if not any(o != t and o in reader.subclasses(t) for o in types))
    genre = (specific or sorted(types) or ["PolicyDocument"])[0]
    start, end = (year_value(reader.first(doc, iris.term(p))) for p in ("periodStart", "periodEnd"))
    period = "" if start is None else (str(start) if end in (None, start) else f"{start}—{end}")
    date, basis = _document_date(reader, doc)
    return DocumentSummary(iri=str(doc), title=reader.text(doc, DCTERMS + "title") or reader.name(doc),
                           genre=class_label(genre), genre_class=genre, issuer=reader.text(doc, iris.term("issuer")),
                           period=period, number=reader.text(doc, iris.term("documentNumber")), date=date,
                           date_basis=basis)


def _in_region(reader: _Reader, region, cls: str) -> list:
    return reader.in_region(region, cls)


def _adopted(reader: _Reader, region) -> set[str]:
    return {str(i) for i in reader.objects(region, iris.term("adopts"))}


_ADOPTS_ASSERTIONS = """SELECT ?assertion ?subject ?object WHERE { VALUES ?subject { %s }
  ?assertion rdf:subject ?subject ; rdf:predicate gk:adopts ; rdf:object ?object }"""


def _adopts_assertions(reader: _Reader, regions: list[RegionRef]) -> dict[tuple[str, str], object]:
    """(region, initiative) -> the gk:Assertion of that adoption, for the report's regions only
    (one assertion per statement: its IRI is minted from it)."""
    values = " ".join(f"<{r.iri}>" for r in regions)
    return {(str(subject), str(obj)): assertion
            for assertion, subject, obj in run_query(reader.graph, _ADOPTS_ASSERTIONS % values).rows}


def _matrix(reader: _Reader, regions: list[RegionRef], adopted: dict[str, set[str]],
            selected: list[str] | None, assertions: dict) -> InitiativeMatrix:
    concepts = initiatives()
    wanted = selected if selected is not None else sorted(set().union(*adopted.values()))
    groups: dict[str, list[MatrixRow]] = collections.defaultdict(list)
    for iri in wanted:
        having = [r.iri for r in regions if iri in adopted[r.iri]]
        quotes = {r: reader.quotes(assertions[(r, iri)]) if (r, iri) in assertions else [] for r in having}
        more = {r: reader.more(assertions[(r, iri)]) if (r, iri) in assertions else More() for r in having}
        concept = concepts.get(iri)
        broader = reader.first(reader.uri(iri), SKOS + "broader")
        group = str(broader) if broader is not None else (concept.broader if concept and concept.broader else iri)
        groups[group].append(MatrixRow(iri=iri, label=reader.name(iri), label_en=reader.label(iri, "en"),
                                       regions=having, quotes=quotes, more=more))
    matrix_groups = []
    for group, rows in groups.items():
        rows.sort(key=lambda row: (-len(row.regions), row.label, row.iri))
        matrix_groups.append(MatrixGroup(iri=group, label=reader.name(group), label_en=reader.label(group, "en"),
                                         rows=rows))
    matrix_groups.sort(key=lambda g: (-sum(len(r.regions) for r in g.rows), g.label, g.iri))
    rows = [row for g in matrix_groups for row in g.rows]
    comparable = len(regions) > 1  # with one column "shared" and "unique" say nothing
    shared = [Ref(r.iri, r.label) for r in rows if comparable and len(r.regions) == len(regions)]
    unique = {region.iri: [Ref(r.iri, r.label) for r in rows if comparable and r.regions == [region.iri]]
              for region in regions}
    return InitiativeMatrix(regions=[r.iri for r in regions], groups=matrix_groups, shared_by_all=shared, unique=unique)


def _platforms(reader: _Reader, region: RegionRef) -> RegionPlatforms:
    rows = []
    for node in _in_region(reader, reader.uri(region.iri), "Platform"):
        kind = reader.first(node, iris.term("platformKind"))
        notation = reader.first(kind, SKOS + "notation") if kind is not None else None
        if kind is not None and notation is None:
            notation = reader.ontology.value(kind, reader.uri(SKOS + "notation"))
        rows.append(PlatformSummary(iri=str(node), label=reader.name(node),
                                    kind=reader.name(kind) if kind is not None else None,
                                    kind_code=str(notation) if notation is not None else None,
                                    initiatives=sorted({reader.name(i) for i in reader.objects(node, iris.term("serves"))})))
    rows.sort(key=lambda p: (p.kind or "\uffff", p.label, p.iri))
    kinds = collections.Counter(p.kind or "—" for p in rows)
    return RegionPlatforms(region=region.iri, label=region.label, platforms=rows,
                           kinds=dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))))


# What the report reads of every task of a region, in one query (5,600 tasks in 10 regions at
# 10,000 documents: three lookups in each of two graphs per task took 0.8-1.3 s in Python).
_TASK_FACTS = "SELECT ?task ?p ?o WHERE { ?task gk:inRegion <%s> ; a gk:Task . " + " UNION ".join(
    f"{{ ?task gk:{local} ?o BIND(gk:{local} AS ?p) }}" for local in ("leadUnit", "deadline", "deadlineText")) + " }"


def _tasks(reader: _Reader, region: RegionRef) -> tuple[RegionUnits, list[TaskDeadline]]:
    node = reader.uri(region.iri)
    tasks = _in_region(reader, node, "Task")
    facts: dict = collections.defaultdict(lambda: collections.defaultdict(list))  # task -> predicate -> values
    for task, predicate, value in run_query(reader.graph, _TASK_FACTS % region.iri).rows:
        facts[task][str(predicate)].append(value)

    def objects(task, local: str) -> list:  # as reader.objects gives them
        return sorted(facts[task][iris.term(local)], key=str)

    leads: collections.Counter = collections.Counter()
    deadlines = []
    for task in tasks:
        units = objects(task, "leadUnit")
        leads.update(str(u) for u in units)
        dates = sorted({str(d) for d in objects(task, "deadline")})
        text = next((str(t) for t in objects(task, "deadlineText")), None)
        if dates or text:
            deadlines.append(TaskDeadline(
                iri=str(task), region=region.iri, region_label=region.label,
                number=reader.text(task, iris.term("taskNumber")),
                title=reader.text(task, DCTERMS + "title") or reader.name(task), deadlines=dates,
                deadline_text=text, lead_units=sorted(reader.name(u) for u in units)))
    top = sorted(leads.items(), key=lambda kv: (-kv[1], reader.name(kv[0]), kv[0]))[:TOP_LEAD_UNITS]
    units = RegionUnits(region=region.iri, label=region.label,
                        departments=len(_in_region(reader, node, "Department")), tasks=len(tasks),
                        tasks_with_lead=sum(1 for t in tasks if objects(t, "leadUnit")),
                        lead_units=[UnitCount(iri=u, label=reader.name(u), tasks=n) for u, n in top])
    return units, deadlines


def _goals(reader: _Reader, region: RegionRef) -> list[GoalSummary]:
    goals = []
    nodes = _in_region(reader, reader.uri(region.iri), "Goal")
    reader.read_quotes(nodes)
    for node in nodes:
        value = reader.first(node, SCHEMA + "value")
        comparator = reader.first(node, iris.term("comparator"))
        goals.append(GoalSummary(
            iri=str(node), region=region.iri, region_label=region.label,
            indicator=reader.text(node, iris.term("indicator")) or reader.name(node),
            comparator=reader.name(comparator) if comparator is not None else None,
            value=number_value(value if value is not None else reader.first(node, SCHEMA + "minValue")),
            value_max=number_value(reader.first(node, SCHEMA + "maxValue")),
            unit=reader.text(node, SCHEMA + "unitText"), year=year_value(reader.first(node, iris.term("targetYear"))),
            quotes=reader.quotes(node), more=reader.more(node)))
    return goals


def _similarity(regions: list[RegionRef], adopted: dict[str, set[str]]) -> Similarity:
    matrix = [[1.0 if a is b else round(jaccard(adopted[a.iri], adopted[b.iri]), 4) for b in regions]
              for a in regions]
    pairs = [PairScore(a=Ref(a.iri, a.label), b=Ref(b.iri, b.label), score=matrix[i][j],
                       shared=len(adopted[a.iri] & adopted[b.iri]), union=len(adopted[a.iri] | adopted[b.iri]))
             for i, a in enumerate(regions) for j, b in enumerate(regions) if i < j]
    pairs.sort(key=lambda p: (-p.score, -p.shared, p.a.label, p.b.label))
    shown = min(PAIRS_SHOWN, (len(pairs) + 1) // 2)
    return Similarity(measure="jaccard", regions=[r.iri for r in regions], matrix=matrix,
                      most_alike=pairs[:shown], least_alike=list(reversed(pairs[len(pairs) - shown:])) if shown else [])


def _province_of(region: RegionRef) -> str | None:
    code = region.code or ""
    return code[:2] + "0000" if len(code) == 6 and code.isdigit() else None


def _diffusion(reader: _Reader, regions: list[RegionRef], adopted: dict[str, set[str]], assertions: dict,
               name: str | None) -> Diffusion | None:
    """When each region first adopted the initiative ``name`` (default: the one most regions
    adopt), from the dates of the documents quoted for its adoption."""
    if name is not None:
        chosen = _resolve_initiative(reader, name)
    else:
        counts = collections.Counter(i for found in adopted.values() for i in found)
        if not counts:
            return None
        chosen = min(counts, key=lambda i: (-counts[i], reader.name(i), i))
    members = set(_members(reader, chosen))
    adopters = []
    for region in regions:
        having = sorted(members & adopted[region.iri])
        if not having:
            continue
        # Every document quoted for the adoption counts, listed or not.
        documents = {d for i in having if (region.iri, i) in assertions for d in reader.documents(assertions[(region.iri, i)])}
        dated = sorted((reader.date(d)[0], d) for d in documents if reader.date(d)[0] is not None)
        date, doc = dated[0] if dated else (None, None)
        adopters.append(FirstAdoption(region=region.iri, label=region.label, code=region.code, date=date,
                                      date_basis=reader.date(doc)[1] if doc else None,
                                      document=(reader.text(reader.uri(doc), DCTERMS + "title")
                                                or label_of(reader.graph, reader.uri(doc))) if doc else None,
                                      document_iri=doc))
    adopters.sort(key=lambda a: (a.date is None, a.date or "", a.label))
    in_province = collections.defaultdict(list)
    for region in regions:
        in_province[_province_of(region)].append(region.iri)
    first = {a.region: a for a in adopters}
    tiles = []
    for code, tile in province_tiles().items():
        here = in_province.get(code, [])
        dated = sorted(first[r].date for r in here if r in first and first[r].date)
        tiles.append(ProvinceTile(code=code, label=tile.label, row=tile.row, col=tile.col, regions=len(here),
                                  adopting=sum(1 for r in here if r in first), first=dated[0] if dated else None))
    return Diffusion(initiative=Ref(chosen, reader.name(chosen)), members=sorted(members), regions=len(regions),
                     adopters=adopters, tiles=tiles)


def build_report(graph, *, regions: list[str] | None = None, initiatives: list[str] | None = None,
                 diffusion: str | None = None, quotes: int = QUOTES_SHOWN) -> Report:
    """Compare ``regions`` (names, short forms, division codes or IRIs; default: every region
    some policy document governs, by level then code) over ``initiatives`` (labels of
    initiatives or of groups, which stand for their members; default: every initiative one of
    the regions adopts). The initiative filter applies to the matrix and the similarity;
    the other sections describe the regions as a whole. ``diffusion`` names the initiative (or
    group) whose first adoptions the diffusion view shows (default: the one most regions adopt).
    ``quotes``: the quotes listed per matrix mark and per goal, those of the earliest documents
    first (document date, then document, then position); the rest are counted in each mark's
    and goal's ``more`` (0: list every quote).

    Raises :class:`~kg.core.errors.NotFoundError` for a name that does not resolve and
    :class:`~kg.core.errors.KGError` when there is no region to compare.
    """
    if quotes < 0:
        raise KGError(f"quotes must be 0 (all) or more, not {quotes}")
    reader = _Reader(graph, quotes=quotes)
    if regions:
        nodes = list(dict.fromkeys(_resolve_regions(reader, regions)))
        refs = [_region_ref(reader, n) for n in nodes]
    else:
        refs = [_region_ref(reader, n) for n in _default_regions(reader)]
        refs.sort(key=lambda r: (_REGION_LEVELS.index(r.type) if r.type in _REGION_LEVELS else 9, r.code or "", r.iri))
    if not refs:
        raise KGError("no policy document in the graph governs a region",
                      fix="build plans or schemes that name their region, or pass --regions")
    selected = _resolve_initiatives(reader, initiatives) if initiatives else None
    adopted_all = {r.iri: _adopted(reader, reader.uri(r.iri)) for r in refs}
    adopted = {k: (v & set(selected) if selected is not None else v) for k, v in adopted_all.items()}
    assertions = _adopts_assertions(reader, refs)
    reader.read_quotes(assertions.values())
    overview, platforms, departments, deadlines, goals = [], [], [], [], []
    reader.document_dates(d for region in refs for d in _policy_documents(reader, reader.uri(region.iri)))
    for region in refs:
        node = reader.uri(region.iri)
        units, tasks = _tasks(reader, region)
        overview.append(RegionOverview(
            region=region.iri, label=region.label,
            documents=[_document_summary(reader, d) for d in _policy_documents(reader, node)],
            initiatives=len(adopted_all[region.iri]), platforms=len(_in_region(reader, node, "Platform")),
            departments=units.departments, tasks=units.tasks, goals=len(_in_region(reader, node, "Goal"))))
        platforms.append(_platforms(reader, region))
        departments.append(units)
        deadlines.extend(tasks)
        goals.extend(_goals(reader, region))
    order = {r.iri: i for i, r in enumerate(refs)}
    deadlines.sort(key=lambda t: (t.deadlines[0] if t.deadlines else "9999", order[t.region], natural_key(t.iri)))
    goals.sort(key=lambda g: (g.year is None, g.year or 0, order[g.region], g.indicator, g.iri))
    notes = [] if len(refs) > 1 else ["只有一个地区，无可比较的对象。 Only one region: nothing to compare."]
    return Report(title="数字政府政策地区对比报告", regions=refs,
                  initiatives=[Ref(i, reader.name(i)) for i in selected] if selected is not None else None,
                  overview=overview, initiative_matrix=_matrix(reader, refs, adopted, selected, assertions),
                  platforms=platforms, departments=departments, task_deadlines=deadlines, goals=goals,
                  similarity=_similarity(refs, adopted),
                  diffusion=_diffusion(reader, refs, adopted_all, assertions, diffusion), notes=notes,
                  quotes_shown=reader.quotes_shown)
