"""What the user states about their files: a manifest beside them overrides what is inferred.

A folder may hold ``manifest.csv`` (UTF-8, with or without BOM) or ``manifest.yaml`` listing its
files with any of the columns ``file, title, region, genre, date, issuer``::

    file,title,region,genre,date,issuer
    2024_深圳.txt,深圳市政府工作报告,深圳市,WorkReport,2024-01-24,深圳市人民政府

``file`` is a file name (or a path relative to the manifest's folder). ``region`` is any name
``govkg`` resolves (深圳, 深圳市, 440300, 中国); ``genre`` a document class of the ontology
(``WorkReport``, ``Guidance`` …) or its Chinese label (政府工作报告, 指导意见 …). Blank cells
state nothing. A manifest applies to the files of its own folder and the folders below it; the
nearest one wins. Only the read stage touches these files.
"""
from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

from kg.core.errors import SourceError

MANIFEST_NAMES = ("manifest.csv", "manifest.yaml", "manifest.yml")
FIELDS = ("title", "region", "genre", "date", "issuer")
Declared = tuple[tuple[str, str], ...]  # (field, value) pairs, sorted: hashable and stable


def _rows_from_csv(path: Path, text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "file" not in [name.strip() for name in reader.fieldnames]:
        raise SourceError(path, "has no 'file' column", line=1,
                          fix="start it with a header line such as: file,title,region,genre,date,issuer")
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def _rows_from_yaml(path: Path, text: str) -> list[dict]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise SourceError(path, f"is not valid YAML ({getattr(exc, 'problem', exc)})",
                          line=line + 1 if line is not None else None, fix="fix the YAML at that line") from None
    if isinstance(data, dict):  # {file name: {title: …}} or {files: [...]}
        data = data.get("files", [{"file": k, **(v or {})} for k, v in data.items()])
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise SourceError(path, "should be a list of entries with a 'file' key",
                          fix="write one '- file: NAME' entry per file, with title/region/genre/date/issuer under it")
    return [{str(k).strip(): ("" if v is None else str(v)).strip() for k, v in row.items()} for row in data]


@functools.lru_cache(maxsize=64)
def read_manifest(path: Path) -> dict[str, Declared]:
    """File name (or relative path) -> the facts declared for it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read the manifest ({exc.strerror})", fix="check the file's permissions") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(path, "is not UTF-8", fix="save the manifest as UTF-8") from None
    rows = _rows_from_yaml(path, text) if path.suffix in (".yaml", ".yml") else _rows_from_csv(path, text)
    result: dict[str, Declared] = {}
    for number, row in enumerate(rows, start=2):
        name = row.get("file", "")
        if not name:
            raise SourceError(path, "an entry has no file name", line=number if path.suffix == ".csv" else None,
                              fix="fill in the 'file' column")
        result[name] = tuple(sorted((field, row[field]) for field in FIELDS if row.get(field)))
    return result


def declared_for(path: str | Path) -> Declared:
    """The facts the nearest manifest declares for ``path`` (empty when none does)."""
    path = Path(path)
    for folder in path.parents:
        for name in MANIFEST_NAMES:
            manifest = folder / name
            if manifest.is_file():
                entries = read_manifest(manifest.resolve())
                relative = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
                return entries.get(relative) or entries.get(path.name) or ()
        if (folder / ".git").exists():  # do not wander above a project
            break
    return ()
