"""The embedded store: an Oxigraph database with one named graph per source file, one for the
ontology and vocabularies, and a metadata graph recording each source's content hash.

A source's hash is recorded only once its graph is complete: new sources are bulk-loaded (a
batch of them in one load) and then recorded; a changed one is replaced by one SPARQL update
(drop, insert, record the hash), which Oxigraph runs as one transaction. A build killed midway leaves every recorded source
either as it was or as it became, never half-written; a new source caught mid-load is left
unrecorded, so the next build replaces it.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kg.core import iris
from kg.core.errors import KGError
from kg.core.namespaces import EVIDENCE_GRAPH, INTERNAL_GRAPHS, META_GRAPH, OA, ONTOLOGY_GRAPH, QUERY_GRAPHS, UNION_GRAPH
from kg.core.ontology import ontology_dir
from kg.store.rdfio import has_union_graph, line_chunks, materialise_union, ntriples_bytes, ntriples_in_graph

_SHA = iris.NS + "sha256"
_NAME = iris.NS + "path"
_GRAPH = iris.NS + "graph"
_STORE = META_GRAPH + "#store"  # the store itself, in its metadata graph
_UNION_PENDING = iris.NS + "unionPending"  # true while new sources are not yet in the union graph
_LAYOUT = iris.NS + "storeLayout"  # 2: the passages in the evidence graph (kg.core.namespaces.EVIDENCE_GRAPH)
LAYOUT = 2


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


_READ_ATTEMPTS = 6  # over about 3 s


def writer_active(path: str | Path) -> bool:
    """Whether another process holds the store open for writing (a build): RocksDB's LOCK file
    is then locked, which Linux lists in /proc/locks. False where that cannot be told."""
    try:
        lock = os.stat(Path(path) / "LOCK")
        with open("/proc/locks", encoding="ascii") as handle:
            held = handle.read()
    except OSError:
        return False
    return any(fields[5].rsplit(":", 1)[-1] == str(lock.st_ino)
               for fields in (line.split() for line in held.splitlines()) if len(fields) > 5)


def _transient(exc: Exception) -> bool:
    text = str(exc).lower()
    return "corruption" in text or "no such file" in text or "io error" in text


def snapshot(path: str | Path, into: str | Path):
    """A consistent copy of the store at ``path`` in the new directory ``into`` (RocksDB's
    checkpoint: hard links to the immutable data files, so it takes milliseconds and little
    space on the same file system); returns it opened read-only. It holds what the store's
    files hold: taken while a build writes, it lacks what the build has not yet flushed (the
    build's end flushes), so `govkg serve` takes its next one when the build has finished.
    Compaction may delete a file between opening and linking; that is retried."""
    import shutil
    import time

    import pyoxigraph as ox

    for attempt in range(_READ_ATTEMPTS):
        try:
            ox.Store.read_only(str(path)).backup(str(into))
            return ox.Store.read_only(str(into))
        except (OSError, RuntimeError) as exc:
            shutil.rmtree(into, ignore_errors=True)
            if not _transient(exc) or attempt == _READ_ATTEMPTS - 1:
                raise OSError(str(exc)) from None
            time.sleep(0.1 * 2 ** attempt)


def _open_read_only(path: Path):
    import pyoxigraph as ox

    for attempt in range(_READ_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:  # Oxigraph raises either for RocksDB's "Corruption"
            if not _transient(exc) or attempt == _READ_ATTEMPTS - 1:
                raise OSError(str(exc)) from None
            time.sleep(0.1 * 2 ** attempt)


class ReadOnlyStore:
    """An Oxigraph store opened for reading while another process may be writing it (a build).

    RocksDB's read-only view sees the store as it was when opened, write-ahead log included;
    the writer's compaction may later delete files under it, and a query then fails with
    "Corruption … No such file" (2 queries in 30 during a build). :meth:`reopen` opens the
    store afresh; the query engine calls it and runs the query again (kg.query.engines). Everything
    else is Oxigraph's ``Store``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._store = _open_read_only(self.path)

    def reopen(self) -> None:
        self._store = _open_read_only(self.path)

    @staticmethod
    def transient(exc: Exception) -> bool:
        return _transient(exc)

    def __getattr__(self, name):
        return getattr(self._store, name)

    def __len__(self) -> int:
        return len(self._store)

    def __iter__(self):
        return iter(self._store)


# Oxigraph's bulk loader holds what it is given in memory while it sorts it (a 580 MB file of
# N-Triples: 1.7 GB resident), so the union graph's statements go in pieces of this size; not
# much smaller, as each piece is a file for RocksDB to merge into a store that is large by then
# (see kg.ingest.pipeline.BATCH_BYTES). At 10,000 documents, in 256 MB pieces, this was the
# build's peak (3.96 GB).
UNION_CHUNK_BYTES = 128_000_000


# The union graph (UNION_GRAPH) is kept in the same update as the graph written or dropped: the
# graph's old statements are set aside in _OLD, and those no other graph states any more leave
# the union; what is written is added to it. Only the statements of that graph are looked at.
_OLD = iris.GRAPH + "replaced"
_KEEP_OLD = f"ADD SILENT <{{graph}}> TO <{_OLD}> ;\n" "DROP SILENT GRAPH <{graph}> ;\n"
_UNION_FORGETS = (f"DELETE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{_OLD}> {{ ?s ?p ?o }} "
                  f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                  f"FILTER(?other NOT IN (<{UNION_GRAPH}>, <{_OLD}>, <{META_GRAPH}>)) }} }} ;\n"
                  f"DROP SILENT GRAPH <{_OLD}>")


# A source's passages in the evidence graph: its annotations (gk:sourceFile), their targets
# (oa:hasSource), the targets' selectors, and the facts' gk:evidence links to the annotations.
_SOURCE_EVIDENCE = (f"{{{{ ?x <{iris.NS}sourceFile> <{{source}}> }}}} UNION {{{{ ?x <{OA}hasSource> <{{source}}> }}}} UNION "
                    f"{{{{ ?target <{OA}hasSource> <{{source}}> ; <{OA}hasSelector> ?x }}}} ?x ?p ?o")
_SOURCE_EVIDENCE_LINKS = f"?x <{iris.NS}sourceFile> <{{source}}> . ?fact <{iris.NS}evidence> ?x"
_EVIDENCE_FORGETS = (f"DELETE {{{{ GRAPH <{EVIDENCE_GRAPH}> {{{{ ?fact <{iris.NS}evidence> ?x }}}} }}}} "
                     f"WHERE {{{{ GRAPH <{EVIDENCE_GRAPH}> {{{{ {_SOURCE_EVIDENCE_LINKS} }}}} }}}} ;\n"
                     f"DELETE {{{{ GRAPH <{EVIDENCE_GRAPH}> {{{{ ?x ?p ?o }}}} }}}} "
                     f"WHERE {{{{ GRAPH <{EVIDENCE_GRAPH}> {{{{ {_SOURCE_EVIDENCE} }}}} }}}} ;\n")
# A store written before the evidence graph (layout 1) kept the passages in the sources' graphs
# and the union: they move to the evidence graph (statements about or pointing to an IRI under
# kg.core.iris.EVIDENCE).
_IS_EVIDENCE = f"FILTER(STRSTARTS(STR(?s), \"{iris.EVIDENCE}\") || (isIRI(?o) && STRSTARTS(STR(?o), \"{iris.EVIDENCE}\")))"
_TO_LAYOUT_2 = (f"INSERT {{ GRAPH <{EVIDENCE_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(?g NOT IN (<{META_GRAPH}>, <{EVIDENCE_GRAPH}>)) {_IS_EVIDENCE} }} ;\n"
                f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(?g NOT IN (<{META_GRAPH}>, <{EVIDENCE_GRAPH}>)) {_IS_EVIDENCE} }} ;\n"
                f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{_STORE}> <{_LAYOUT}> {LAYOUT} }} }}")


@dataclass(frozen=True)
class SourceGraph:
    """What a build stores of one source: its named graph (N-Triples text or UTF-8 bytes, or
    rdflib / pyoxigraph triples), its passages for the evidence graph (the same forms), and the
    source's name and hash (None for a graph that is not a source's, such as the ontology's)."""

    graph: str
    triples: object
    source_name: str | None = None
    sha256: str | None = None
    evidence: object = b""


def _ntriples(triples) -> bytes:
    body = triples if isinstance(triples, (str, bytes)) else ntriples_bytes(triples)
    body = body.encode("utf-8") if isinstance(body, str) else body
    return body if not body or body.endswith(b"\n") else body + b"\n"


@dataclass(frozen=True)
class StoredSource:
    name: str
    sha256: str
    graph: str


class GraphStore:
    """A directory holding the Oxigraph database of a build."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        import pyoxigraph as ox

        self.path = Path(path)
        self._pending_union = None  # the file new statements wait in for the union graph (a build)
        try:
            if read_only:
                self._store = ReadOnlyStore(self.path)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
                pending = ox.Quad(ox.NamedNode(_STORE), ox.NamedNode(_UNION_PENDING), ox.Literal(True), ox.NamedNode(META_GRAPH))
                if pending in self._store or (not has_union_graph(self._store) and any(
                        g.value not in (META_GRAPH, UNION_GRAPH) for g in self._store.named_graphs())):
                    # A store built before the union graph was kept, or a build killed before it
                    # loaded the union: (re)build it.
                    materialise_union(self._store)
                    self._store.remove(pending)
                self._upgrade_layout()
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                fix = "another govkg process is using it: wait for it to finish (the store is intact)"
            elif "read-only" in text.lower() or getattr(exc, "errno", None) == 30:
                fix = "the store is on a read-only file system: give --store DIR somewhere writable"
            elif "permission" in text.lower():
                fix = "you may not write there: give --store DIR somewhere writable"
            else:
                fix = "if no other govkg process uses it, remove the directory and build again"
            raise KGError(f"{self.path}: cannot open the store ({text.splitlines()[0][:200]})", fix=fix) from None

    @staticmethod
    def exists(path: str | Path) -> bool:
        path = Path(path)
        return path.is_dir() and any(path.iterdir())

    @property
    def oxigraph(self):
        return self._store

    def sources(self) -> dict[str, StoredSource]:
        rows = self._store.query(
            f"SELECT ?name ?sha ?g WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{_NAME}> ?name ; <{_SHA}> ?sha ; <{_GRAPH}> ?g }} }}")
        return {r["name"].value: StoredSource(r["name"].value, r["sha"].value, r["g"].value) for r in rows}

    def replace_graph(self, graph_iri: str, triples, *, source_name: str | None = None, sha256: str | None = None,
                      evidence=b"") -> None:
        """Put ``triples`` (N-Triples text or UTF-8 bytes, or rdflib / pyoxigraph triples) as the
        whole content of a named graph, and the source's passages (``evidence``, the same forms)
        in the evidence graph, and record the source's hash, in one transaction."""
        self.replace_graphs([SourceGraph(graph_iri, triples, source_name, sha256, evidence)])

    def replace_graphs(self, graphs: list[SourceGraph]) -> None:
        """:meth:`replace_graph` for a batch of :class:`SourceGraph`. The new graphs go in
        together: one bulk load of all of them, their passages in the evidence graph and their
        copy in the union graph (several times faster than an update or a transactional load,
        but not atomic; each load costs about 0.1-0.4 s whatever its size, so a batch shares
        one), then their hashes in one transaction. A build killed during the load leaves graphs
        without a hash, which the next build replaces atomically: a graph already there (or a
        source already recorded) is replaced by one SPARQL update of its own (drop, insert,
        record the hash)."""
        import pyoxigraph as ox

        new = []
        for item in graphs:
            body, evidence = _ntriples(item.triples), _ntriples(item.evidence)
            node = iris.source(item.source_name) if item.source_name is not None else None
            if self._store.contains_named_graph(ox.NamedNode(item.graph)) or (
                    node and any(self._store.quads_for_pattern(ox.NamedNode(node), None, None, ox.NamedNode(META_GRAPH)))):
                self._replace_existing(item, body.decode("utf-8"), evidence.decode("utf-8"), node)
            else:
                new.append((item, body, evidence, node))
        if not new:
            return
        # The batch goes through a file that Oxigraph reads itself: no second copy of it in
        # memory, and no Python call (so no GIL) while it loads.
        with tempfile.NamedTemporaryFile(dir=self.path, prefix="batch-", suffix=".nq") as batch:
            for item, body, evidence, _ in new:
                batch.write(ntriples_in_graph(body, item.graph))
                batch.write(ntriples_in_graph(evidence, EVIDENCE_GRAPH))
                if self._pending_union is None:
                    batch.write(ntriples_in_graph(body, UNION_GRAPH))
            batch.flush()
            if batch.tell():
                self._store.bulk_load(path=batch.name, format=ox.RdfFormat.N_QUADS)
        if self._pending_union is not None:  # the union gets them with the others when the block ends
            for _, body, *_ in new:
                self._pending_union.write(body)
        meta = f" <{META_GRAPH}> .\n"
        records = "".join(f"<{node}> <{_NAME}> \"{_escape(item.source_name)}\"{meta}<{node}> <{_SHA}> \"{item.sha256}\"{meta}"
                          f"<{node}> <{_GRAPH}> <{item.graph}>{meta}" for item, _, _, node in new if node)
        if records:
            self._store.load(records.encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def _replace_existing(self, item: SourceGraph, body: str, evidence: str, node: str | None) -> None:
        meta = ""
        if node is not None:
            meta = (f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{node}> ?p ?o }} }} ;\n"
                    f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{node}> <{_NAME}> \"{_escape(item.source_name)}\" ; "
                    f"<{_SHA}> \"{item.sha256}\" ; <{_GRAPH}> <{item.graph}> . }} }} ;\n")
            meta += _EVIDENCE_FORGETS.format(source=node)
        self._store.update(f"{_KEEP_OLD.format(graph=item.graph)}{meta}INSERT DATA {{ GRAPH <{item.graph}> {{\n{body}\n}} }} ;\n"
                           f"INSERT DATA {{ GRAPH <{EVIDENCE_GRAPH}> {{\n{evidence}\n}} }} ;\n"
                           f"INSERT DATA {{ GRAPH <{UNION_GRAPH}> {{\n{body}\n}} }} ;\n{_UNION_FORGETS}")

    def evidence_ntriples(self, source_name: str) -> bytes:
        """A source's passages in the evidence graph, as N-Triples."""
        import pyoxigraph as ox

        source = iris.source(source_name)
        found = self._store.query(f"CONSTRUCT {{ ?x ?p ?o . ?fact <{iris.NS}evidence> ?y }} WHERE {{ GRAPH <{EVIDENCE_GRAPH}> {{ "
                                  f"{{ {_SOURCE_EVIDENCE.format(source=source)} }} UNION "
                                  f"{{ {_SOURCE_EVIDENCE_LINKS.format(source=source).replace('?x', '?y')} }} }} }}")
        return found.serialize(format=ox.RdfFormat.N_TRIPLES) or b""

    def _upgrade_layout(self) -> None:
        """Move a layout-1 store's passages to the evidence graph (once; an empty store is
        marked as of this layout)."""
        import pyoxigraph as ox

        marker = ox.Quad(ox.NamedNode(_STORE), ox.NamedNode(_LAYOUT), ox.Literal(LAYOUT), ox.NamedNode(META_GRAPH))
        if marker not in self._store:
            self._store.update(_TO_LAYOUT_2)

    @contextlib.contextmanager
    def union_loaded_at_end(self):
        """Within this block new sources' statements join the union graph at its end, in pieces
        of :data:`UNION_CHUNK_BYTES`, not one load each: loading into the ever larger union graph
        source by source made a 1,000-document build 44% slower (each load overlaps the union's
        whole key range). Until
        then the union lags behind the sources' graphs; a marker in the metadata graph says so,
        and a build killed in between leaves it, so the next store opened for writing rebuilds
        the union (:func:`kg.store.rdfio.materialise_union`)."""
        import tempfile

        import pyoxigraph as ox

        self._store.update(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{_STORE}> <{_UNION_PENDING}> true }} }}")
        with tempfile.TemporaryFile(dir=self.path, prefix="union-") as pending:
            self._pending_union = pending
            try:
                yield self
            finally:  # a build that failed midway still kept the sources it stored: so does the union
                self._pending_union = None
                pending.flush()
                pending.seek(0)
                for chunk in line_chunks(pending, UNION_CHUNK_BYTES):
                    self._store.bulk_load(chunk, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(UNION_GRAPH))
                self._store.update(f"DELETE DATA {{ GRAPH <{META_GRAPH}> {{ <{_STORE}> <{_UNION_PENDING}> true }} }}")

    def remove_source(self, source_name: str) -> bool:
        """Drop a source's graph and its record — every record of that name, so a store written
        under an earlier IRI scheme (graph or record IRIs minted differently) is cleaned too."""
        name = _escape(source_name)
        rows = list(self._store.query(
            f"SELECT ?s ?g WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{_NAME}> \"{name}\" ; <{_GRAPH}> ?g }} }}"))
        if not rows:
            return False
        drops = "".join(_KEEP_OLD.format(graph=row["g"].value) for row in rows)
        drops += "".join(_EVIDENCE_FORGETS.format(source=node) for node in
                         {iris.source(source_name), *(row["s"].value for row in rows)})
        self._store.update(f"{drops}DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{_NAME}> \"{name}\" ; ?p ?o }} }} ;\n"
                           f"{_UNION_FORGETS}")
        return True

    def ensure_ontology(self, triples_of) -> bool:
        """Store the ontology graph (``triples_of()`` gives its triples or N-Triples) unless the files it is
        made from are unchanged since the last build; returns whether it was written."""

        digest = hashlib.sha256()
        for path in sorted(ontology_dir().iterdir()):
            if path.suffix in (".ttl", ".csv"):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        stored = self.sources().get("(ontology)")
        if stored is not None and stored.sha256 == digest.hexdigest():
            return False
        self.replace_graph(ONTOLOGY_GRAPH, triples_of(), source_name="(ontology)", sha256=digest.hexdigest())
        return True

    def statement_count(self) -> int:
        """Statements of the data graphs and the ontology's, each once (what govkg.ttl holds)."""
        if has_union_graph(self._store):
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in QUERY_GRAPHS)} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        else:
            query = (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                     f"FILTER(?g NOT IN (<{META_GRAPH}>, <{UNION_GRAPH}>)) }} }}")
        return int(next(iter(self._store.query(query)))["n"].value)

    def quads(self, graph_iri: str | None = None):
        import pyoxigraph as ox

        graph = ox.NamedNode(graph_iri) if graph_iri else None
        internal = {ox.NamedNode(g) for g in INTERNAL_GRAPHS}
        return [q for q in self._store.quads_for_pattern(None, None, None, graph) if q.graph_name not in internal]

    def named_quads(self) -> dict[str, list]:
        """Every named graph's triples (pyoxigraph terms), the metadata and union graphs left out."""
        import pyoxigraph as ox

        result: dict[str, list] = {}
        for quad in self._store.quads_for_pattern(None, None, None, None):
            name = quad.graph_name
            if isinstance(name, ox.NamedNode) and name.value not in INTERNAL_GRAPHS:
                result.setdefault(name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
        return result

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """One named graph as N-Triples, dumped by Oxigraph."""
        import pyoxigraph as ox

        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if g.value not in INTERNAL_GRAPHS)

    def flush(self) -> None:
        self._store.flush()
