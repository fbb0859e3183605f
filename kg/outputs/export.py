"""`govkg export`: the tables of :mod:`kg.query.tables` written as JSON or CSV, each file
through :func:`kg.store.rdfio.write_atomic`, and read back by :func:`read_table`.

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
from pathlib import Path
from typing import Callable

from kg.core.errors import KGError
from kg.outputs.formats import TableFormat
from kg.query.tables import (
    INT_COLUMNS,
    LIST_COLUMNS,
    NUMBER_COLUMNS,
    TABLE_COLUMNS,
    TABLES,
    tables,
)
from kg.store.rdfio import load_graph, write_atomic

# ---------------------------------------------------------------- writing and reading tables


def _json_bytes(rows: list[dict], columns: tuple[str, ...]) -> bytes:
    ordered = [{c: row.get(c) for c in columns} for row in rows]
    return (json.dumps(ordered, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def csv_text(rows: list[dict], columns: tuple[str, ...] | None = None) -> str:
    """Rows as CSV text: a header (``columns``, or the first row's keys), RFC 4180 quoting, ``\\n``
    line ends; None is an empty cell, a list a JSON array."""
    columns = columns if columns is not None else tuple(rows[0]) if rows else ()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if columns:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _csv_bytes(rows: list[dict], columns: tuple[str, ...]) -> bytes:
    return csv_text(rows, columns).encode("utf-8-sig")  # with the byte-order mark


TABLE_WRITERS: dict[str, Callable[[list[dict], tuple[str, ...]], bytes]] = {
    TableFormat.JSON.value: _json_bytes,
    TableFormat.CSV.value: _csv_bytes,
}


def _format(fmt: str | TableFormat) -> TableFormat:
    try:
        return TableFormat(fmt)
    except ValueError:
        raise KGError(f"unknown table format '{fmt}'", fix="choose one of: " + ", ".join(TABLE_WRITERS)) from None


def export_tables(graph, *, out_dir: str | Path, fmt: str | TableFormat = TableFormat.JSON) -> list[Path]:
    """Write ``entities``, ``relations`` and ``evidence`` (``.json`` or ``.csv``) into
    ``out_dir``; returns the paths written. Every table is serialised before any file is
    replaced, and each file is replaced atomically."""
    fmt = _format(fmt)
    writer = TABLE_WRITERS[fmt.value]
    payloads = {name: writer(rows, TABLE_COLUMNS[name]) for name, rows in tables(graph).items()}
    return [write_atomic(Path(out_dir) / f"{name}.{fmt.value}", payloads[name]) for name in TABLES]


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


__all__ = ["export", "export_tables", "read_table", "TableFormat"]
