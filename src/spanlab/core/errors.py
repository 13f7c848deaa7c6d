"""Error hierarchy with messages meant for users (the CLI prints them as one line)."""

from __future__ import annotations

from pathlib import Path


class SpanLabError(Exception):
    """Base for every error SpanLab reports to a user without a traceback."""


class SchemaError(SpanLabError):
    """A schema (tag set) file or definition is invalid."""

    def __init__(self, message: str, *, source: str | Path | None = None, line: int | None = None):
        self.source = str(source) if source is not None else None
        self.line = line
        where = self.source or "schema"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
        self.problem = message


class IntegrityError(SpanLabError):
    """An edit would break an invariant (offsets, covered text, relation ends, schema)."""


class NotFoundError(SpanLabError):
    """A document, span, relation or annotator id does not exist in the project."""


class ProjectError(SpanLabError):
    """A project cannot be created, opened or migrated."""


class ProjectTooNewError(ProjectError):
    """The project was written by a newer SpanLab than this one."""


class InputError(SpanLabError):
    """An input file cannot be read or imported."""

    def __init__(self, source: str | Path, message: str, *, line: int | None = None):
        self.source = str(source)
        self.line = line
        self.problem = message
        where = self.source if line is None else f"{self.source}:{line}"
        super().__init__(f"{where}: {message}")
