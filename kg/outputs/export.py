"""`govkg export`: the tables of :mod:`kg.query.tables` written as JSON, CSV or one Excel
workbook, each file through :func:`kg.store.rdfio.write_atomic`; JSON and CSV are read back
by :func:`read_table`.

JSON: one ``<table>.json`` per table, a list of objects with the same keys in the same order.
CSV: one ``<table>.csv`` per table, UTF-8 with a byte-order mark (so Excel in a Chinese locale
reads it as UTF-8; pandas: ``encoding="utf-8-sig"``), a header row, ``\\n`` line ends; an empty
cell is null; list-valued columns (:data:`LIST_COLUMNS`) hold a JSON array such as
``["青岛"]``, so names containing ``|`` or ``,`` survive and ``[]`` (no values) stays distinct
from an empty cell (the column does not apply).
"""
from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import unicodedata
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg.core.errors import KGError
from kg.outputs.formats import TableFormat
from kg.outputs.frames import cell_text, frame, html_table
from kg.query.tables import (
    INT_COLUMNS,
    LIST_COLUMNS,
    NUMBER_COLUMNS,
    TABLE_COLUMNS,
    TABLES,
    streamed_entity_rows,
    streamed_evidence_rows,
    streamed_relation_rows,
    tables,
)
from kg.store.rdfio import AtomicFiles, load_graph, output_error, write_atomic

# ---------------------------------------------------------------- writing and reading tables


def _write_json(handle, rows: Iterable[dict], columns: tuple[str, ...]) -> None:
    """A JSON list of objects, row by row: the same text as ``json.dumps(rows, indent=1)``."""
    separator = "\n"
    for row in rows:
        text = json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False, indent=1)
        handle.write((("[" if separator == "\n" else "") + separator + textwrap.indent(text, " ")).encode("utf-8"))
        separator = ",\n"
    handle.write(b"[]\n" if separator == "\n" else b"\n]\n")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def _write_csv_rows(handle, rows: Iterable[dict], columns: tuple[str, ...] | None) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    if columns:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])


def csv_text(rows: list[dict], columns: tuple[str, ...] | None = None) -> str:
    """Rows as CSV text: a header (``columns``, or the first row's keys), RFC 4180 quoting, ``\\n``
    line ends; None is an empty cell, a list a JSON array."""
    columns = columns if columns is not None else tuple(rows[0]) if rows else ()
    buffer = io.StringIO()
    _write_csv_rows(buffer, rows, columns)
    return buffer.getvalue()


def _write_csv(handle, rows: Iterable[dict], columns: tuple[str, ...]) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")  # with the byte-order mark
    _write_csv_rows(text, rows, columns)
    text.flush()
    text.detach()


# Format -> writer of a table's rows (an iterable, written as it is read) to a binary file.
TABLE_WRITERS: dict[str, Callable[..., None]] = {
    TableFormat.JSON.value: _write_json,
    TableFormat.CSV.value: _write_csv,
}


# ---------------------------------------------------------------- the Excel workbook

XLSX_FILE = "tables.xlsx"
SHEET_ROWS = 1_048_576  # rows an Excel sheet holds, the header included
CELL_CHARS = 32_767  # characters an Excel cell holds
_WIDTH_SAMPLE = 1000  # rows whose text sets a column's width
_WIDTH_RANGE = (8, 60)  # narrowest and widest column, in characters of Latin text


def _labelled(named: dict[str, list[dict]]) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    """Each table's columns and rows with a label after each IRI that has none beside it: the
    document's title, and what evidence is about (an entity's label, or an assertion as
    "subject predicate object")."""
    labels = {row["id"]: row["label"] for row in named["entities"]}
    labels.update({row["id"]: f"{row['subject_label']} {row['predicate']} {row['object_label']}" for row in named["relations"]})
    after = {"document": "document_title", "about": "about_label"}
    result = {}
    for name in TABLES:
        columns = tuple(c for column in TABLE_COLUMNS[name] for c in (column, after.get(column)) if c)
        added = [(column, after[column]) for column in TABLE_COLUMNS[name] if column in after]
        rows = [{**row, **{label: labels.get(row.get(column)) for column, label in added}} for row in named[name]]
        result[name] = (columns, rows)
    return result


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Tables(dict):
    """The three tables by name (``entities``, ``relations``, ``evidence``: lists of rows), for
    notebooks: ``to_frame(name)`` gives one as a pandas DataFrame, with its columns in order."""

    def to_frame(self, name: str = "entities"):
        """One table as a pandas DataFrame (needs the ``frames`` extra: pip install 'govkg[frames]')."""
        if name not in TABLE_COLUMNS:
            raise KGError(f"unknown table '{name}'", fix="choose one of: " + ", ".join(TABLES))
        return frame(self[name], TABLE_COLUMNS[name])

    def _repr_html_(self) -> str:
        return html_table([{"table": name, "rows": len(self[name]), "columns": ", ".join(TABLE_COLUMNS[name])}
                           for name in TABLES], caption=repr(self))

    def __repr__(self) -> str:
        return "Tables(" + ", ".join(f"{name} {len(self[name]):,}" for name in TABLES) + ")"


def table_rows(graph) -> Tables:
    """The entities, relations and evidence tables of a graph, in memory."""
    return Tables(tables(graph))


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise KGError("--format xlsx needs openpyxl", fix="pip install 'govkg[xlsx]'") from None
    return openpyxl


def _xlsx_bytes(named: dict[str, list[dict]]) -> bytes:
    """One workbook, a sheet per table: bold frozen header, sized columns, lists joined with LIST_SEPARATOR."""
    openpyxl = _openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def cell(sheet, value):
        if isinstance(value, (list, tuple)):
            value = cell_text(value)
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        value = value if len(value) <= CELL_CHARS else value[:CELL_CHARS - 1] + "…"
        if not value.startswith("="):
            return value
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"  # text, never a formula
        return text

    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (columns, rows) in _labelled(named).items():
        if len(rows) >= SHEET_ROWS:
            raise KGError(f"the {name} table has {len(rows):,} rows, more than an Excel sheet holds ({SHEET_ROWS - 1:,})",
                          fix="export with --format csv")
        sheet = book.create_sheet(name)
        for index, column in enumerate(columns, start=1):
            sample = [_display_width(cell_text(row.get(column))) for row in rows[:_WIDTH_SAMPLE]]
            width = max([_display_width(column), *sample]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, _WIDTH_RANGE[0]), _WIDTH_RANGE[1])
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            header.append(WriteOnlyCell(sheet, value=column))
            header[-1].font = bold
        sheet.append(header)
        for row in rows:
            sheet.append([cell(sheet, row.get(column)) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _format(fmt: str | TableFormat) -> TableFormat:
    try:
        return TableFormat(fmt)
    except ValueError:
        raise KGError(f"unknown table format '{fmt}'", fix="choose one of: " + ", ".join(f.value for f in TableFormat)) from None


def _streamed_tables(graph) -> Iterator[tuple[str, Iterable[dict]]]:
    """Each table's rows as the export writes them, one at a time: the entities sorted by
    ``id``; relations and evidence (most of the rows) in the order the store gives them, so
    memory does not grow with them (:func:`kg.query.tables.relation_rows` and ``evidence_rows``
    sort them). Only the entities' IRIs are held (for the evidence about them; that about
    assertions is told apart in the store)."""
    about: set[str] = set()

    def entities():
        for row in streamed_entity_rows(graph):
            about.add(row["id"])
            yield row

    yield "entities", entities()

    yield "relations", streamed_relation_rows(graph)
    yield "evidence", streamed_evidence_rows(graph, about=about, relations=True)


def export_tables(graph, *, out_dir: str | Path, fmt: str | TableFormat = TableFormat.JSON) -> list[Path]:
    """Write ``entities``, ``relations`` and ``evidence`` into ``out_dir``: a ``.json`` or
    ``.csv`` file each, written row by row as the store gives them (entities sorted by ``id``,
    relations and evidence in the store's order), or one workbook ``tables.xlsx``; returns the
    paths written. Every file is complete before any is replaced, each atomically."""
    fmt = _format(fmt)
    if fmt is TableFormat.XLSX:
        return [write_atomic(Path(out_dir) / XLSX_FILE, _xlsx_bytes(tables(graph)))]
    writer = TABLE_WRITERS[fmt.value]
    files = AtomicFiles()
    try:
        for name, rows in _streamed_tables(graph):
            path = Path(out_dir) / f"{name}.{fmt.value}"
            temp = files.create(path)
            try:
                with open(temp, "wb") as handle:
                    writer(handle, rows, TABLE_COLUMNS[name])
            except OSError as exc:
                raise output_error(path, exc) from None
        return files.commit()
    finally:
        files.discard()


def export(graph_or_path, *, out_dir: str | Path, fmt: str | TableFormat = TableFormat.JSON) -> list[Path]:
    """Export a graph (an rdflib Graph, or the path of a built graph file such as
    ``out/govkg.ttl``) as tables into ``out_dir``; returns the paths written.

    Raises :class:`~kg.core.errors.KGError` for an unknown ``fmt`` or an unreadable graph file.
    """
    fmt = _format(fmt)
    if isinstance(graph_or_path, (str, Path)):
        graph_or_path = load_graph(graph_or_path)
    return export_tables(graph_or_path, out_dir=out_dir, fmt=fmt)


def _parse_cell(column: str, text: str):
    if text == "":
        return None
    if column in LIST_COLUMNS:
        return json.loads(text)
    if column in INT_COLUMNS:
        return int(text)
    if column in NUMBER_COLUMNS:
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    return text


def read_table(path: str | Path) -> list[dict]:
    """Rows of a table written by :func:`export_tables` (``.json`` or ``.csv``), typed as
    :func:`entity_rows` and the others return them."""
    path = Path(path)
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{c: _parse_cell(c, v) for c, v in row.items()} for row in csv.DictReader(handle)]


__all__ = ["export", "export_tables", "read_table", "table_rows", "Tables", "TableFormat"]
