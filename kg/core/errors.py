"""The exceptions govkg raises. The CLI turns each into one message and an exit code."""
from __future__ import annotations


class KGError(Exception):
    """Base class. ``fix`` tells the user what to do about it."""

    exit_code = 3

    def __init__(self, message: str, *, fix: str | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} ({self.fix})" if self.fix else self.message


class SourceError(KGError):
    """An input document cannot be read: names the file and, where it applies, the line."""

    def __init__(self, path: str, message: str, *, line: int | None = None, fix: str | None = None):
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}", fix=fix)


class OutputError(KGError):
    """An output file or directory cannot be written; what was there before is left as it was."""


class OntologyError(KGError):
    """A Turtle file of the ontology is missing or broken."""


class QueryError(KGError):
    """A SPARQL query or a name given by the user cannot be answered."""

    exit_code = 2


class QueryLimitError(KGError):
    """A query ran past a limit set for it (time, rows) or asked for something switched off
    (SERVICE calls to other endpoints)."""


class NotFoundError(QueryError):
    """A name does not resolve to exactly one entity; ``candidates`` are the closest ones."""

    def __init__(self, message: str, *, candidates: list[str] | None = None):
        self.candidates = list(candidates or [])
        fix = ("closest: " + ", ".join(self.candidates)) if self.candidates else None
        super().__init__(message, fix=fix)


class BuildFailed(KGError):
    """Some sources failed; the others were built and written. ``errors`` lists the failures."""

    def __init__(self, errors: list[SourceError]):
        self.errors = errors
        super().__init__(f"{len(errors)} source file(s) could not be read")
