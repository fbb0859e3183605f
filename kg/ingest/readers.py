"""Readers turn a file into a :class:`~kg.core.model.Source`: decoded text plus metadata.

A registry keyed by file extension; built-ins register with the same call an extension would
use (``register_reader``). Each reader returns the text; errors become :class:`SourceError`
naming the file (and line, where one applies) and the fix.
"""
from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kg.core.errors import SourceError
from kg.ingest.manifest import declared_for
from kg.core.model import Source

ReaderFn = Callable[[Path, bytes], "tuple[str, str]"]  # -> (text, encoding)
READERS: dict[str, tuple[str, ReaderFn]] = {}


def register_reader(*extensions: str, name: str):
    """Register ``fn(path, data) -> (text, encoding)`` for the given extensions (".txt")."""

    def decorator(fn: ReaderFn) -> ReaderFn:
        for ext in extensions:
            READERS[ext.lower()] = (name, fn)
        return fn

    return decorator


def supported_extensions() -> list[str]:
    return sorted(READERS)


@dataclass(frozen=True)
class ReaderLimits:
    """What one input file may hold before it is refused (each refusal names the file and the
    limit). Defaults fit any real policy document many times over; each can be raised with an
    environment variable of the same name in capitals, prefixed GOVKG_ (GOVKG_MAX_FILE_MB=200)."""

    max_file_mb: float = 64.0  # the file as stored
    max_expanded_mb: float = 256.0  # a .docx's parts once unzipped (zip bombs)
    max_paragraphs: int = 200_000  # paragraphs of a .docx
    max_chars: int = 1_500_000  # characters of text after reading, any format (~4.5 MB of Chinese)

    @classmethod
    def from_environment(cls) -> "ReaderLimits":
        values = {}
        for name, default in ((f.name, f.default) for f in dataclasses.fields(cls)):
            raw = os.environ.get(f"GOVKG_{name.upper()}")
            if raw:
                try:
                    values[name] = int(float(raw)) if isinstance(default, int) else float(raw)
                except ValueError:
                    raise SourceError(f"GOVKG_{name.upper()}", f"'{raw}' is not a number",
                                      fix=f"set it to a number (default {default})") from None
        return cls(**values)


def _too_big(path: Path, what: str, size: str, limit_name: str, limit) -> SourceError:
    return SourceError(path, f"{what} {size}, over the limit of {limit}",
                       fix=f"split the document, or raise GOVKG_{limit_name.upper()}")


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode plain text: UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312),
    else whatever charset-normalizer finds. Binary data and undecodable text raise SourceError."""
    # A byte-order mark says the encoding outright; UTF-16 and UTF-32 text is full of NUL bytes.
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _decode(path, data, "utf-32"), "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(path, data, "utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(path, data[3:], "utf-8"), "utf-8-sig"
    if b"\x00" in data[:8192]:
        raise SourceError(path, "looks like a binary file (NUL bytes), not text",
                          line=_line_of(data, data.index(b"\x00")),
                          fix="convert it to UTF-8 text, or give a .docx/.pdf the right extension")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _mostly_cjk_or_ascii(text):
        return text, "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and _mostly_cjk_or_ascii(str(best)):
        return str(best), best.encoding
    raise SourceError(path, "cannot decode the text (not UTF-8 or GB18030)", line=_line_of(data, first_bad),
                      fix="save the file as UTF-8")


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"invalid {encoding} byte sequence", line=_line_of(data, exc.start),
                          fix="save the file as UTF-8") from None


def _mostly_cjk_or_ascii(text: str) -> bool:
    if not text:
        return False
    good = sum(1 for ch in text if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return good / len(text) > 0.9


@register_reader(".txt", ".text", name="txt")
def read_txt(path: Path, data: bytes) -> tuple[str, str]:
    return decode_text(path, data)


@register_reader(".md", ".markdown", name="md")
def read_md(path: Path, data: bytes) -> tuple[str, str]:
    # Markdown is kept as written: headings like "## 一、总体要求" still carry their numbering,
    # and offsets must point into the file as the user sees it.
    return decode_text(path, data)


_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "section", "article", "td", "th")


@register_reader(".html", ".htm", name="html")
def read_html(path: Path, data: bytes) -> tuple[str, str]:
    """A web page's article, its title first (trafilatura's main-content extraction leaves out
    navigation, breadcrumbs, footers and share bars); the whole page's text when it finds none."""
    text, encoding = decode_text(path, data)
    return _main_content(text) or _page_text(text), encoding


def _main_content(html: str) -> str | None:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    body = trafilatura.extract(html, include_tables=True, include_comments=False, favor_recall=True,
                               deduplicate=False, include_links=False)
    if not body:
        return None
    lines = [" ".join(line.split()) for line in body.splitlines()]
    metadata = trafilatura.extract_metadata(html)
    title = " ".join(metadata.title.split()) if metadata and metadata.title else None
    if title and title not in lines[:3]:
        lines.insert(0, title)
    return "\n\n".join(line for line in lines if line)


def _page_text(text: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [" ".join(line.split()) for line in soup.get_text().splitlines()]
    return "\n\n".join(line for line in lines if line)


@register_reader(".docx", name="docx")
def read_docx(path: Path, data: bytes) -> tuple[str, str]:
    import io
    import zipfile

    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a core dependency
        raise SourceError(path, "python-docx is not installed", fix="pip install python-docx") from None
    limits = ReaderLimits.from_environment()
    try:
        expanded = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SourceError(path, f"not a readable .docx file ({exc.__class__.__name__})",
                          fix="open it in Word or LibreOffice and save it again as .docx") from None
    if expanded > limits.max_expanded_mb * 2**20:
        raise _too_big(path, "unzips to", f"{expanded / 2**20:.3g} MB", "max_expanded_mb", f"{limits.max_expanded_mb:g} MB")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — a broken package fails in zipfile, lxml or python-docx alike
        raise SourceError(path, f"not a readable .docx file ({exc.__class__.__name__})",
                          fix="open it in Word or LibreOffice and save it again as .docx") from None
    body = document.element.body
    count = sum(1 for _ in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"))
    if count > limits.max_paragraphs:
        raise _too_big(path, "has", f"{count:,} paragraphs", "max_paragraphs", f"{limits.max_paragraphs:,}")
    blocks = [p.text.strip() for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            blocks.append("　".join(cell.text.strip() for cell in row.cells))
    return "\n\n".join(b for b in blocks if b), "docx"


@register_reader(".pdf", name="pdf")
def read_pdf(path: Path, data: bytes) -> tuple[str, str]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(path, f"not a readable PDF ({exc})", fix="re-export the PDF, or save it as text") from None
    text = join_pdf_pages(pages)
    if not text:
        raise SourceError(path, "the PDF has no text layer (scanned images?)",
                          fix="run OCR on it first, or give the text version")
    return text, "pdf"


_PAGE_NUMBER = re.compile(r"^\s*(?:[—－\-–]\s*\d{1,4}\s*[—－\-–]|第\s*\d{1,4}\s*页(?:\s*[/／共]\s*\d{1,4}\s*页?)?|\d{1,4})\s*$")


def join_pdf_pages(pages: list[str]) -> str:
    r"""The pages' text as one: page numbers (— 3 —, 第3页, a bare number) at a page's top or
    bottom left out, and pages joined by a line break, so that a sentence running over a page
    break is mended like any other broken line.

    >>> join_pdf_pages(["一、主要任务\n（一）推进数据共\n— 2 —", "享。建设平台。\n— 3 —"])
    '一、主要任务\n（一）推进数据共\n享。建设平台。'
    """
    kept = []
    for page in pages:
        lines = page.strip().splitlines()
        while lines and _PAGE_NUMBER.match(lines[-1]):
            lines.pop()
        while lines and _PAGE_NUMBER.match(lines[0]):
            lines.pop(0)
        if lines:
            kept.append("\n".join(lines))
    return "\n".join(kept)


def read_source(path: str | Path) -> Source:
    """Read one file with the reader registered for its extension."""
    path = Path(path)
    if not path.exists():
        if path.is_symlink():
            try:
                path.resolve(strict=True)
            except RuntimeError:  # Python 3.11 and 3.12 say "Symlink loop"
                raise SourceError(path, "is a symbolic link that loops back to itself",
                                  fix="point the link at a real file") from None
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise SourceError(path, "is a symbolic link that loops back to itself",
                                      fix="point the link at a real file") from None
            raise SourceError(path, f"is a symbolic link to {os.readlink(path)}, which does not exist",
                              fix="point the link at a real file")
        raise SourceError(path, "no such file or folder", fix="check the path")
    if not path.is_dir() and not path.is_file():  # a FIFO, a socket, a device: reading it could block forever
        raise SourceError(path, "is not a regular file", fix="give the file itself, not a pipe or a device")
    entry = READERS.get(path.suffix.lower())
    if entry is None:
        raise SourceError(path, f"unknown file type '{path.suffix or '(none)'}'",
                          fix="supported: " + " ".join(supported_extensions()))
    limits = ReaderLimits.from_environment()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(path, f"cannot read ({exc.strerror})", fix="check the file's permissions") from None
    if size > limits.max_file_mb * 2**20:
        raise _too_big(path, "is", f"{size / 2**20:.3g} MB", "max_file_mb", f"{limits.max_file_mb:g} MB")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(path, "no such file", fix="check the path") from None
    except IsADirectoryError:
        raise SourceError(path, "is a directory", fix="give the directory itself as PATH, not with a file extension") from None
    except OSError as exc:
        raise SourceError(path, f"cannot read ({exc.strerror})", fix="check the file's permissions") from None
    if not data.strip():
        raise SourceError(path, "the file is empty", fix="remove it or give a file with text")
    name, reader = entry
    text, encoding = reader(path, data)
    if not text.strip():
        raise SourceError(path, "no text found in the file", fix="check that it holds the document's text")
    if len(text) > limits.max_chars:
        raise _too_big(path, "holds", f"{len(text):,} characters", "max_chars", f"{limits.max_chars:,}")
    declared = declared_for(path)
    digest = hashlib.sha256(data)
    if declared:  # a changed manifest entry changes the source, so the store rebuilds it
        digest.update(repr(declared).encode("utf-8"))
    return Source(name=path.name, text=text, encoding=encoding, sha256=digest.hexdigest(), format=name,
                  declared=declared)


def discover(paths: list[str | Path], notices: list[str] | None = None) -> list[Path]:
    """Files to build from: each file as given, and each directory's files (recursively,
    sorted, skipping README/hidden files and extensions no reader handles). Symbolic links
    to folders are followed, each real folder once; a link that loops back (or a folder
    reached twice) is skipped with a line in ``notices``."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            found.append(path)  # read_source says what is wrong with it (missing, a FIFO …)
            continue
        seen: dict[str, Path] = {}
        files: list[Path] = []
        for folder, subfolders, names in os.walk(path, followlinks=True):
            here = Path(folder)
            real = os.path.realpath(here)
            if real in seen:
                subfolders.clear()
                first = seen[real]
                if notices is not None:
                    parent = os.path.realpath(here.parent)
                    loops = parent == real or parent.startswith(real + os.sep)
                    notices.append(f"{here}: skipped, a symbolic link that loops back to {first}" if loops
                                   else f"{here}: skipped, the same folder as {first} (read once)")
                continue
            seen[real] = here
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in names:
                child = here / name
                if (not name.startswith(".") and child.suffix.lower() in READERS and child.stem.upper() != "README"):
                    files.append(child)
        found += sorted(files)
    return found
