"""What notebook and spreadsheet users see of the outputs' results, shared by the outputs:
pandas data frames (the optional ``frames`` extra, imported when asked for), compact escaped
HTML tables for Jupyter's rich display, and the one separator between the names of a list in
a cell.

>>> print(html_table([{"region": "青岛市", "platforms": ["爱山东", "<b>"]}], caption="2 rows").replace("\\n", ""))
<table><caption>2 rows</caption><thead><tr><th>region</th><th>platforms</th></tr></thead><tbody><tr><td>青岛市</td><td>爱山东; &lt;b&gt;</td></tr></tbody></table>
"""
from __future__ import annotations

import html
from typing import Iterable

LIST_SEPARATOR = "; "  # between the names of a list in one cell (analysis CSV, .xlsx, HTML)
HTML_ROWS = 20  # rows a result shows in a notebook; the rest are counted


def cell_text(value) -> str:
    """A value as one cell's text: None empty, a list its items joined with LIST_SEPARATOR."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def pandas():
    """The pandas module, or an ImportError that names the extra to install."""
    try:
        import pandas
    except ImportError:
        raise ImportError("to_frame() needs pandas: pip install 'govkg[frames]'") from None
    return pandas


def frame(rows: list[dict], columns: Iterable[str] | None = None):
    """Rows as a pandas DataFrame, with ``columns`` in this order (default: the first row's keys)."""
    columns = list(columns) if columns is not None else list(rows[0]) if rows else []
    return pandas().DataFrame.from_records(rows, columns=columns)


def html_table(rows: list[dict], columns: Iterable[str] | None = None, *, caption: str = "", limit: int = HTML_ROWS) -> str:
    """Rows as a compact HTML table (every cell escaped), the first ``limit`` rows and a count of the rest."""
    columns = list(columns) if columns is not None else list(rows[0]) if rows else []
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell_text(row.get(c)))}</td>" for c in columns) + "</tr>\n"
                   for row in rows[:limit])
    if len(rows) > limit:
        body += f'<tr><td colspan="{max(len(columns), 1)}">… {len(rows) - limit:,} more rows</td></tr>\n'
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody></table>"
