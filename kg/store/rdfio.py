"""RDF in and out: rdflib terms to Oxigraph's, deterministic Turtle/TriG/JSON-LD/N-Triples
writers, the outputs of a store, graph files read back, and atomic writes (a failed build
never leaves half a file)."""
from __future__ import annotations

import collections
import errno
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import KGError, OutputError, SourceError
from kg.core.namespaces import EVIDENCE_GRAPH, META_GRAPH, PREFIXES, QUERY_GRAPHS, UNION_GRAPH, bind_prefixes
from kg.core.terms import ox_term, rdflib_term  # noqa: F401 (the store's callers import them from here)
from kg.store.jsonld import compact_jsonld


class AtomicFiles:
    """Files written through temporaries in their own directories, each renamed over its path
    by :meth:`commit` (after all are complete and synced), so readers see the old files or the
    new ones, never a partial one; :meth:`discard` removes whatever was not committed."""

    def __init__(self):
        self._pending: list[tuple[Path, Path]] = []

    def create(self, path: str | Path) -> Path:
        """An empty temporary file beside ``path``, to write the new content to."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.close(fd)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        except OSError as exc:
            raise output_error(path, exc) from None
        self._pending.append((path, Path(temp)))
        return Path(temp)

    def commit(self) -> list[Path]:
        for path, temp in self._pending:
            try:
                fd = os.open(temp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                raise output_error(path, exc) from None
        for index, (path, temp) in enumerate(self._pending):
            try:
                os.replace(temp, path)
            except OSError as exc:
                self._pending = self._pending[index:]
                raise output_error(path, exc) from None
        done, self._pending = [path for path, _ in self._pending], []
        return done

    def discard(self) -> None:
        for _, temp in self._pending:
            temp.unlink(missing_ok=True)
        self._pending = []


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and
    ``os.replace``, so readers see the old file or the new one, never a partial one."""
    path = Path(path)
    files = AtomicFiles()
    try:
        temp = files.create(path)
        try:
            temp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as exc:
            raise output_error(path, exc) from None
        return files.commit()[0]
    finally:
        files.discard()


def output_error(path: Path, error: OSError) -> OutputError:
    """One line for a file that cannot be written, with the fix that fits the cause."""
    if error.errno == errno.EROFS:
        return OutputError(f"{path}: the file system is read-only", fix="write somewhere else (--out DIR or -o FILE)")
    if error.errno in (errno.EACCES, errno.EPERM):
        return OutputError(f"{path}: permission denied", fix="write somewhere you may write (--out DIR or -o FILE)")
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"{path}: the disk is full", fix="free some space or write elsewhere; the earlier file is unchanged")
    return OutputError(f"{path}: cannot write ({error.strerror or error})", fix="check the path and its permissions")


def rdflib_triples(triples):
    """rdflib triples for pyoxigraph (or rdflib) ones, in the same order."""
    import pyoxigraph as ox

    for triple in triples:
        if type(triple) is ox.Triple:
            yield rdflib_term(triple.subject), rdflib_term(triple.predicate), rdflib_term(triple.object)
        else:
            yield triple


def _ox_triples(triples):
    """Oxigraph triples for rdflib (or pyoxigraph) ones, in the same order. This runs for every
    statement of a build: IRIs are converted once each, and plain rdflib terms (URIRef and
    Literal are str subclasses holding the IRI or lexical form) skip :func:`ox_term`'s checks."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    named_node, literal, triple_of = ox.NamedNode, ox.Literal, ox.Triple
    cache: dict = {}

    def convert(term):
        kind = type(term)
        if kind is URIRef:
            node = cache.get(term)
            if node is None:
                node = cache[term] = named_node(term)
            return node
        if kind is Literal and term.language is None and term.datatype is None:
            return literal(term)
        return ox_term(term)

    return (triple if type(triple) is triple_of else triple_of(convert(triple[0]), convert(triple[1]), convert(triple[2]))
            for triple in triples)


def sorted_ox_triples(triples) -> list:
    """Oxigraph triples, deduplicated and sorted by their N-Triples text: the same statements
    always come out in the same order, whether they come from rdflib or from the store."""

    return sorted(set(_ox_triples(triples)), key=str)


def ntriples(triples) -> str:
    """N-Triples text of rdflib or pyoxigraph triples, in their order, duplicates kept (for
    loading into a store, which keeps each statement once, in its own order)."""
    return ntriples_bytes(triples).decode("utf-8")


def ntriples_bytes(triples) -> bytes:
    """:func:`ntriples` as UTF-8 bytes, converted and written as a stream (no list of converted
    triples is held: a large source's graph costs its text once, not three times)."""
    import pyoxigraph as ox

    return ox.serialize(_ox_triples(triples), format=ox.RdfFormat.N_TRIPLES)


def _sorted_prefixes(data: bytes) -> bytes:
    """Oxigraph writes @prefix lines in hash order; sort them so output is byte-stable."""
    lines = data.split(b"\n")
    head = [line for line in lines if line.startswith(b"@prefix ")]
    return b"\n".join(sorted(head) + lines[len(head):])


def turtle(triples) -> bytes:
    """Deterministic Turtle: triples sorted, then written by Oxigraph (rdflib's own Turtle
    writer takes seconds on a graph this size). The graph has no blank nodes, so the same
    graph always gives the same bytes."""
    import pyoxigraph as ox

    return _sorted_prefixes(ox.serialize(sorted_ox_triples(triples), format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)))


def trig(named: dict[str, list]) -> bytes:
    """TriG with one named graph per source file (and one for the ontology), sorted."""
    import pyoxigraph as ox

    quads = []
    for graph_iri in sorted(named):
        name = ox.NamedNode(graph_iri)
        quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in sorted_ox_triples(named[graph_iri])]
    return _sorted_prefixes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES)))


def jsonld(triples) -> bytes:
    """Compact JSON-LD with the published context (:mod:`kg.store.jsonld`), one record per subject."""
    return compact_jsonld(_ox_triples(triples))


# The files a build can write, by the name `govkg build --formats` takes; the default skips
# JSON-LD (twice the Turtle's size and the slowest to write; ask for it when a tool needs it).
OUTPUT_FILES = {"ttl": "govkg.ttl", "trig": "govkg.trig", "jsonld": "govkg.jsonld", "nq": "govkg.nq"}
DEFAULT_OUTPUTS = ("ttl", "trig")


def store_outputs(store, out_dir: str | Path, formats=DEFAULT_OUTPUTS, turtle: TurtleSpool | None = None) -> list[Path]:
    """Write the output files of ``formats`` (keys of :data:`OUTPUT_FILES`) in ``out_dir`` straight
    from a store; returns their paths. Each is streamed by Oxigraph into a temporary file beside
    it, so memory stays flat whatever the store's size (TriG and N-Quads hold one graph at a
    time), and all are renamed over the earlier outputs only once every one is complete: an
    error leaves those as they were. TriG and N-Quads hold every named graph (the metadata graph
    of source hashes and the evidence graph included, the derived union graph not), graph by
    graph in IRI order; Turtle and JSON-LD the union graph and the evidence graph, every data
    statement once. The same content always gives the same bytes: the sources' graphs and the
    evidence graph are written source by source (:class:`TurtleSpool`), from ``turtle`` (what a
    build gathered as it stored the sources) and, for the sources it lacks, from the store."""
    from concurrent.futures import ThreadPoolExecutor

    writers = {"ttl": _write_turtle, "trig": _write_trig, "jsonld": _write_jsonld, "nq": _write_nquads}
    files = AtomicFiles()
    try:
        paths = [Path(out_dir) / OUTPUT_FILES[name] for name in formats]
        temps = [files.create(path) for path in paths]
        spool = turtle if turtle is not None else TurtleSpool()
        if {"ttl", "trig"} & set(formats):
            spool.complete(store)
        # One thread per file: Oxigraph dumps without holding the GIL, and reading the store
        # (decoding every term) is most of the cost, so two files take little more than one.
        with spool, GraphDumps(store.oxigraph, Path(out_dir), spool) as dumps, \
                ThreadPoolExecutor(max_workers=len(formats)) as pool:
            running = [pool.submit(writers[name], dumps, temp) for name, temp in zip(formats, temps)]
        for path, future in zip(paths, running):
            if isinstance(future.exception(), OSError):
                raise output_error(path, future.exception()) from None
            future.result()
        return files.commit()
    finally:
        files.discard()


def canonical_turtle(ntriples: bytes) -> bytes:
    """Statements (N-Triples) as the Turtle the outputs hold, without @prefix lines. They are
    sorted first, so the same statements give the same bytes whether a build's worker made them
    or the store gave them back."""
    import pyoxigraph as ox

    lines = sorted(set(ntriples.splitlines()) - {b""})
    if not lines:
        return b""
    turtle = ox.serialize(ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES),
                          format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES))
    return b"".join(line for line in turtle.splitlines(keepends=True) if not line.startswith(b"@prefix ") and line != b"\n")


@dataclass(frozen=True)
class SourceTurtle:
    """One source's part of the Turtle and TriG outputs (:func:`canonical_turtle`): its named
    graph and its passages (its statements in the evidence graph)."""

    name: str
    graph_iri: str
    graph: bytes
    passages: bytes


class TurtleSpool:
    """Each stored source's named graph and passages as Turtle (:class:`SourceTurtle`), gathered
    in one temporary file, for the Turtle and TriG outputs to copy instead of dumping them from
    the store. A build adds each source as it stores it, the Turtle made in its worker: at 10,000
    documents dumping the evidence graph alone took about 270 s at the end of the build, beside
    its validation, and the sources' graphs one by one about 100 s."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()
        self._passages: dict[str, tuple[int, int]] = {}  # source name -> (offset, size)
        self._graphs: dict[str, tuple[str, int, int]] = {}  # graph IRI -> (source name, offset, size)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()

    def add(self, turtle: SourceTurtle) -> None:
        offset = self._file.seek(0, os.SEEK_END)
        self._file.write(turtle.graph)
        self._file.write(turtle.passages)
        if turtle.graph:  # an empty graph is no graph: TriG leaves it out
            self._graphs[turtle.graph_iri] = (turtle.name, offset, len(turtle.graph))
        self._passages[turtle.name] = (offset + len(turtle.graph), len(turtle.passages))

    def complete(self, store) -> None:
        """Keep exactly the sources ``store`` (a GraphStore) holds, those not added read from it."""
        stored = store.sources()
        for name in sorted(set(stored) - set(self._passages)):
            graph = stored[name].graph
            self.add(SourceTurtle(name, graph, canonical_turtle(store.graph_ntriples(graph)),
                                  canonical_turtle(store.evidence_ntriples(name))))
        for graph, (name, *_) in list(self._graphs.items()):
            if name not in stored or stored[name].graph != graph:
                del self._graphs[graph]
        for name in set(self._passages) - set(stored):
            del self._passages[name]
        self._file.flush()

    def has_graph(self, graph_iri: str) -> bool:
        return graph_iri in self._graphs

    def copy_graph_to(self, graph_iri: str, out) -> None:
        """A source's named graph (by its IRI) written to ``out``."""
        self._copy(*self._graphs[graph_iri][1:], out)

    def copy_passages_to(self, out) -> None:
        """Every source's passages, in source-name order, written to ``out``."""
        for name in sorted(self._passages):
            self._copy(*self._passages[name], out)

    def _copy(self, offset: int, size: int, out) -> None:
        # Reads at offsets, no shared file position: safe from several threads at once.
        while size:
            piece = os.pread(self._file.fileno(), min(size, 1 << 24), offset)
            out.write(piece)
            offset, size = offset + len(piece), size - len(piece)


class GraphDumps:
    """A store's graphs dumped by Oxigraph into temporary files in ``directory``, each graph in
    each format once however many outputs copy it, removed when the block ends; the evidence
    graph's Turtle (which Turtle and TriG both hold) and the sources' graphs' come from ``turtle``."""

    def __init__(self, store, directory: Path, turtle: TurtleSpool):
        import threading

        self.store, self.directory, self.turtle = store, directory, turtle
        self._files: dict[tuple, Path] = {}
        self._locks: dict[tuple, object] = collections.defaultdict(threading.Lock)
        self._guard = threading.Lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for path in self._files.values():
            path.unlink(missing_ok=True)

    def file(self, graph, fmt) -> Path:
        """The file of ``graph`` dumped in ``fmt`` (N-Triples, for N-Quads; Turtle comes from the spool)."""
        key = (graph, fmt)
        with self._guard:
            lock = self._locks[key]
        with lock:  # a second writer asking for the same dump waits for the first's
            if key not in self._files:
                handle, name = tempfile.mkstemp(dir=self.directory, prefix=".dump-")
                os.close(handle)
                self._files[key] = Path(name)
                self.store.dump(name, format=fmt, from_graph=graph)
            return self._files[key]


def _write_turtle(dumps: GraphDumps, path: Path) -> None:
    """The union graph, then the evidence graph (its @prefix lines dropped), as one Turtle file."""
    import pyoxigraph as ox

    dumps.store.dump(str(path), format=ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(UNION_GRAPH), prefixes=dict(PREFIXES))
    with open(path, "r+b") as handle:  # the @prefix lines sorted in place: the same bytes, reordered
        head = handle.read(1 << 16)
        block = b"".join(line for line in head.splitlines(keepends=True) if line.startswith(b"@prefix "))
        if head.startswith(block):
            handle.seek(0)
            handle.write(b"".join(sorted(block.splitlines(keepends=True))))
    with open(path, "ab") as out:
        dumps.turtle.copy_passages_to(out)


def _append_dump(dumps: GraphDumps, graph, out, fmt, *, quads_in: str | None = None) -> None:
    """One graph's dump (:class:`GraphDumps`) copied to the end of ``out`` in pieces (a graph of
    any size, in little memory): its @prefix lines dropped, its N-Triples as N-Quads in
    ``quads_in`` if given."""
    with open(dumps.file(graph, fmt), "rb") as dumped:
        line = dumped.readline()
        while line.startswith(b"@prefix ") or line == b"\n":
            line = dumped.readline()
        pieces = line_chunks(dumped, 1 << 24)
        for piece in (line + next(pieces, b""), *pieces):
            out.write(ntriples_in_graph(piece, quads_in) if quads_in else piece)


def line_chunks(file, size: int):
    """Pieces of about ``size`` bytes of a file of lines, each ending at a line's end."""
    while chunk := file.read(size):
        yield chunk + file.readline()


def _write_jsonld(dumps: GraphDumps, path: Path) -> None:
    """Compact JSON-LD of the union and evidence graphs, compacted in memory (records gather
    each subject's statements): the one output whose memory grows with the graph."""
    import pyoxigraph as ox

    path.write_bytes(compact_jsonld(quad.triple for graph in QUERY_GRAPHS
                                    for quad in dumps.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


def _written_graphs(store) -> list:
    """The graphs an output of quads holds, in IRI order: all but the union graph (derived: the
    other graphs say it all), the default graph first."""
    import pyoxigraph as ox

    named = sorted((g for g in store.named_graphs() if g.value != UNION_GRAPH), key=lambda g: g.value)
    return [ox.DefaultGraph(), *named]


def _write_trig(dumps: GraphDumps, path: Path) -> None:
    """TriG written graph by graph inside each graph's braces: the sources' graphs and the
    evidence graph copied from the spool, the others dumped by Oxigraph as Turtle (their @prefix
    lines dropped: they are written once, sorted, at the top)."""
    import pyoxigraph as ox

    store, prefixes = dumps.store, dict(PREFIXES)
    with open(path, "wb") as out:
        out.write(b"".join(sorted(f"@prefix {name}: <{iri}> .\n".encode() for name, iri in prefixes.items())))
        for graph in _written_graphs(store):
            if isinstance(graph, ox.NamedNode) and (graph.value == EVIDENCE_GRAPH or dumps.turtle.has_graph(graph.value)):
                out.write(f"<{graph.value}> {{\n".encode())
                if graph.value == EVIDENCE_GRAPH:  # most of the statements
                    dumps.turtle.copy_passages_to(out)
                else:
                    dumps.turtle.copy_graph_to(graph.value, out)
                out.write(b"}\n")
                continue
            body = store.dump(format=ox.RdfFormat.TURTLE, from_graph=graph, prefixes=prefixes)
            lines = body.splitlines(keepends=True)
            skip = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
            body = b"".join(lines[skip:])
            if isinstance(graph, ox.DefaultGraph):
                out.write(body)
            elif body:
                out.write(f"<{graph.value}> {{\n".encode() + body + b"}\n")


def _write_nquads(dumps: GraphDumps, path: Path) -> None:
    import pyoxigraph as ox

    store = dumps.store
    with open(path, "wb") as out:
        for graph in _written_graphs(store):
            if graph == ox.NamedNode(EVIDENCE_GRAPH):  # most of the statements: streamed
                _append_dump(dumps, graph, out, ox.RdfFormat.N_TRIPLES, quads_in=graph.value)
                continue
            body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            out.write(body if isinstance(graph, ox.DefaultGraph) else ntriples_in_graph(body, graph.value))


_STATEMENT_END = re.compile(rb"[ \t]*\.[ \t]*(?:\r?\n|\Z)")


def ntriples_in_graph(ntriples: bytes, graph_iri: str) -> bytes:
    """N-Triples as N-Quads in ``graph_iri``: the graph name put before each line's final dot (a
    newline inside a literal is escaped in N-Triples, so every line break ends a statement)."""
    name = f" <{graph_iri}> .\n".encode()
    if ntriples.endswith(b" .\n") and ntriples.count(b" .\n") == ntriples.count(b"\n"):
        return ntriples.replace(b" .\n", name)  # Oxigraph's own N-Triples: the fast path
    return _STATEMENT_END.sub(name, ntriples)


def memory_outputs(named: dict[str, list], formats=DEFAULT_OUTPUTS) -> dict[str, bytes]:
    """The output files of ``formats`` from an in-memory build's named graphs (sorted, so the
    same graphs always give the same bytes)."""
    import pyoxigraph as ox

    union = [triple for graph in named.values() for triple in graph]
    writers = {"ttl": lambda: turtle(union), "trig": lambda: trig(named), "jsonld": lambda: jsonld(union),
               "nq": lambda: ox.serialize([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
                                           for iri in sorted(named) for t in sorted_ox_triples(named[iri])],
                                          format=ox.RdfFormat.N_QUADS)}
    return {OUTPUT_FILES[name]: writers[name]() for name in formats}


def has_union_graph(store) -> bool:
    """Whether an Oxigraph store keeps the deduplicated union graph (:data:`UNION_GRAPH`)."""
    import pyoxigraph as ox

    return store.contains_named_graph(ox.NamedNode(UNION_GRAPH))


def materialise_union(store) -> None:
    """Write the union graph of a store holding several graphs (a TriG file, a store built
    before the union graph was kept): the statements of the default graph and of every data
    graph but the evidence graph (the union's companion, kg.core.namespaces.QUERY_GRAPHS), once."""
    store.update(f"INSERT {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ {{ ?s ?p ?o }} UNION "
                 f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN (<{META_GRAPH}>, <{UNION_GRAPH}>, <{EVIDENCE_GRAPH}>)) }} }}")


def union_graph(dataset):
    """All named graphs of an rdflib Dataset merged into one Graph."""
    from rdflib import Graph

    graph = Graph()
    bind_prefixes(graph)
    for context in dataset.graphs():
        for triple in context:
            graph.add(triple)
    return graph


def load_graph(path: str | Path, *, keep_graphs: bool = False):
    """A graph file (Turtle, TriG, N-Triples, N-Quads or JSON-LD) as one rdflib Graph (the
    named graphs of a TriG or N-Quads file merged; ``keep_graphs``: kept, as an rdflib Dataset)."""
    from rdflib import Dataset, Graph

    path = Path(path)
    if not path.is_file():
        raise KGError(f"{path}: no such graph file", fix="run `govkg build` first, or pass --graph FILE")
    suffix = path.suffix.lower()
    fmt = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".json": "json-ld"}.get(suffix)
    if fmt is None:
        raise KGError(f"{path}: unknown graph format '{suffix}'", fix="use .ttl, .trig, .nt, .nq or .jsonld")
    try:
        if fmt in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            return dataset if keep_graphs else union_graph(dataset)
        graph = Graph()
        bind_prefixes(graph)
        graph.parse(path, format=fmt)
        return graph
    except Exception as exc:  # parser errors come in several types and several lines; report them in one
        message = str(exc)
        line = re.search(r"at line (\d+)", message)
        reason = re.search(r"Bad syntax \([^)]*\)", message)
        reason = reason.group() if reason else (message.strip().splitlines() or [type(exc).__name__])[-1][:160]
        raise SourceError(path, f"not a valid {fmt} graph: {reason}", line=int(line.group(1)) if line else None,
                          fix="rebuild it with `govkg build`") from None


_GRAPH_FILE_FORMATS = {".ttl": "TURTLE", ".trig": "TRIG", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".jsonld": "JSON_LD",
                       ".json": "JSON_LD"}


def load_store(path: str | Path):
    """A graph file in an in-memory Oxigraph store, for queries (the engine the store uses, so a
    query gives the same rows on a file as on the store). A file of triples goes into one named
    graph named after the file; TriG and N-Quads keep their graphs."""
    import pyoxigraph as ox

    path = Path(path)
    if not path.is_file():
        raise KGError(f"{path}: no such graph file", fix="run `govkg build` first, or pass --graph FILE")
    name = _GRAPH_FILE_FORMATS.get(path.suffix.lower())
    if name is None:
        raise KGError(f"{path}: unknown graph format '{path.suffix.lower()}'", fix="use .ttl, .trig, .nt, .nq or .jsonld")
    fmt = getattr(ox.RdfFormat, name)
    store = ox.Store()
    try:
        if name in ("TRIG", "N_QUADS"):
            store.bulk_load(path=str(path), format=fmt)
            materialise_union(store)
        else:
            store.bulk_load(path=str(path), format=fmt, to_graph=ox.NamedNode(path.resolve().as_uri()))
    except (SyntaxError, ValueError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        line = re.search(r"line (\d+)", message)
        reason = re.sub(r"\s*\([^()]*line \d+\)$", "", message)[:160]
        raise SourceError(path, f"not a valid {name.lower().replace('_', '-')} graph: {reason}",
                          line=int(line.group(1)) if line else None, fix="rebuild it with `govkg build`") from None
    return store
