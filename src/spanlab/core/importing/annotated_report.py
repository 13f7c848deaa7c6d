"""What an annotated import reports: per file, its problems (file and line) and notes.

Shared by the checks, the writer and the callers (``spanlab import``, the GUI dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "AnnotatedImportReport",
    "CancelCallback",
    "FileResult",
    "ImportProblem",
    "ProgressCallback",
]

ProgressCallback = Callable[[int, int, str], None]
"""Called as (files done, files total, current file)."""

CancelCallback = Callable[[], bool]
"""Returns True when the user wants to stop (checked between files)."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something that stops a file from being imported, with its file and line."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass
class FileResult:
    """What happened to one input file."""

    path: str
    format: str | None
    documents: int = 0
    created: int = 0  # documents new to the project
    matched: int = 0  # documents already in the project (same text)
    spans: int = 0
    relations: int = 0
    entities: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: bool = False

    def problem(self, message: str, line: int | None = None, source: str | None = None) -> None:
        """Record a problem once (the file will be skipped)."""
        problem = ImportProblem(source or self.path, line, message)
        if problem not in self.problems:
            self.problems.append(problem)

    def note(self, message: str) -> None:
        """Record a note once."""
        if message not in self.notes:
            self.notes.append(message)


@dataclass
class AnnotatedImportReport:
    """Outcome of ``import_annotated``: per file, plus schema additions."""

    files: list[FileResult] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    relation_types_added: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files in folders that hold no annotations
    all_or_nothing: bool = False
    cancelled: bool = False

    @property
    def problems(self) -> list[ImportProblem]:
        """Every problem of every file."""
        return [p for f in self.files for p in f.problems]

    @property
    def notes(self) -> list[str]:
        """Every note of every file."""
        return [n for f in self.files for n in f.notes]

    @property
    def ok(self) -> bool:
        """Whether every file was imported."""
        return not self.cancelled and all(f.imported for f in self.files)

    @property
    def imported_files(self) -> list[FileResult]:
        """Files whose annotations are now in the project."""
        return [f for f in self.files if f.imported]

    def total(self, what: str) -> int:
        """Sum of a ``FileResult`` counter over the imported files."""
        return sum(int(getattr(f, what)) for f in self.imported_files)
