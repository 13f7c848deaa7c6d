"""Import articles into a project: find, read, canonicalise, de-duplicate, bulk insert.

Readers (``registry``) turn a file into ``ArticleRecord``s; everything after that
happens here, so every source gets the same canonicalisation and the same checks.

Transactions: **one import run is one transaction.** Rows are written in batches of
``BATCH_SIZE`` through one executemany each (SQLAlchemy Core, never ORM objects), so
at most one batch of prepared rows is held in memory, but nothing is committed until
the run ends. Consequences:

* failures of single files (or JSONL lines) are reported and the rest is committed;
* with ``all_or_nothing`` any failure rolls the whole run back: nothing is imported;
* cancelling (``cancel()`` returns True; checked before every file and record) rolls
  the whole run back, including batches already written: the project is left exactly
  as it was and the report says ``cancelled``;
* an unexpected error (disk full, a locked database) also rolls everything back.

Duplicates are found by the SHA-256 of the canonical text, within the run and against
the project (looked up in chunks, inside the same transaction), and reported.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spanlab.core.errors import InputError, SpanLabError
from spanlab.core.importing.canonical import CanonicalTextError, canonical_form
from spanlab.core.importing.encoding import check_encoding_name
from spanlab.core.importing.records import ArticleRecord, ImportOptions, ReadResult, where
from spanlab.core.importing.registry import AUTO, get_reader, reader_for
from spanlab.core.model import DocumentId
from spanlab.core.project import Project
from spanlab.core.storage.edit_store import EditStore
from spanlab.core.storage.repository import existing_hashes

ProgressCallback = Callable[[int, int, str], None]
"""Called as (files done, files total, current file) before each file and at the end."""

BATCH_SIZE = 2_000
TITLE_LENGTH = 200
_FIRST_LINE = re.compile(r"[^\S\n]*(\S[^\n]*)")


class ImportOptionsError(SpanLabError):
    """The import options themselves are wrong (unknown format or encoding)."""


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be imported, and why (``source`` is ``file[:line]``)."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth knowing about an imported input (a guessed encoding, repaired HTML)."""

    source: str
    message: str


@dataclass(slots=True)
class ImportReport:
    """Outcome of one import run.

    ``imported`` holds the ids of committed documents only: it is empty after a
    cancelled run or a failed all-or-nothing run (both roll back).
    """

    imported: list[DocumentId] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    cancelled: bool = False
    rolled_back: bool = False

    @property
    def ok(self) -> bool:
        """Whether every input was imported or was a known duplicate (and not cancelled)."""
        return not self.failures and not self.cancelled

    def fail(self, error: InputError) -> None:
        """Record a failed input."""
        self.failures.append(Failure(where(error), error.problem))


def derive_title(text: str, fallback: str | Callable[[], str]) -> str:
    """First non-empty line (news files start with the headline), shortened."""
    found = _FIRST_LINE.search(text)
    if found is None:
        return fallback if isinstance(fallback, str) else fallback()
    line = found.group(1).rstrip()
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1] + "…"


def prepare(record: ArticleRecord) -> dict[str, Any]:
    """Canonicalise a record into a document row; raise InputError when unusable."""
    try:
        text, digest = canonical_form(record.text)
    except CanonicalTextError as exc:
        raise InputError(record.where, str(exc)) from exc
    if not text:
        raise InputError(record.where, "empty document (no text after removing whitespace)")
    title = " ".join((record.title or "").split())
    return {
        "title": title or derive_title(text, lambda: Path(record.source).stem),
        "text": text,
        "sha256": digest,
        "source": record.source,
        "url": record.url,
        "published": record.published,
        "metadata": record.metadata,
    }


def check_options(options: ImportOptions) -> None:
    """Refuse options that cannot work for any file, before anything is read."""
    try:
        if options.format != AUTO:
            get_reader(options.format)
        if options.encoding is not None:
            check_encoding_name(options.encoding)
    except ValueError as exc:
        raise ImportOptionsError(str(exc)) from exc
    if not options.text_field:
        raise ImportOptionsError("the JSONL text field name is empty")


def expand_paths(paths: Sequence[Path], include: Sequence[str]) -> tuple[list[Path], list[Failure]]:
    """Files to import: given files as they are, folders searched recursively.

    In folders only files whose name matches one of ``include`` (case-insensitive)
    are taken, hidden files and folders (name starting with ".") are skipped and
    symbolic links to folders are not followed. A path given twice is read once.
    """
    files: list[Path] = []
    failures: list[Failure] = []
    seen: set[str] = set()
    patterns = [p.lower() for p in include]

    def add(path: Path) -> None:
        key = os.path.normcase(path.absolute())  # no system calls: fast for big folders
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        if path.is_dir():
            found = list(_walk(path, patterns))
            if not found:
                shown = ", ".join(include) or "(no patterns)"
                failures.append(Failure(str(path), f"no files matching {shown} in this folder"))
            for item in found:
                add(item)
        elif path.exists():
            add(path)
        else:
            failures.append(Failure(str(path), "no such file or folder"))
    return files, failures


def _walk(folder: Path, patterns: Sequence[str]) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            lowered = name.lower()
            if not name.startswith(".") and any(fnmatch.fnmatchcase(lowered, p) for p in patterns):
                yield Path(root, name)


class _CancelledError(Exception):
    """Raised inside the transaction to roll it back when the user cancels."""


class _RollBackError(Exception):
    """Raised inside the transaction to roll back a failed all-or-nothing run."""


class _BatchWriter:
    """Collects prepared rows and writes them a batch at a time, skipping duplicates."""

    def __init__(self, store: EditStore, report: ImportReport, batch_size: int) -> None:
        self.store = store
        self.report = report
        self.batch_size = batch_size
        self.pending: dict[str, tuple[dict[str, Any], ArticleRecord]] = {}

    def add(self, row: dict[str, Any], record: ArticleRecord) -> None:
        digest = row["sha256"]
        if digest in self.pending:
            self.report.duplicates.append(record.where)
            return
        self.pending[digest] = (row, record)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        known = existing_hashes(self.store.conn, list(self.pending))
        rows: list[dict[str, Any]] = []
        for digest, (row, record) in self.pending.items():
            if digest in known:
                self.report.duplicates.append(record.where)
            else:
                rows.append(row)
        self.pending.clear()
        self.report.imported.extend(self.store.insert_documents(rows))


def import_paths(
    project: Project,
    paths: Sequence[Path],
    *,
    options: ImportOptions = ImportOptions(),  # noqa: B008 - frozen, safe to share
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders into ``project`` (see the module docstring).

    Failures are reported per file (or JSONL line) and the rest is imported, unless
    ``options.all_or_nothing``. Raises ``ImportOptionsError`` for unusable options and
    ``ProjectError`` when the project cannot be written; the project is then unchanged.
    """
    check_options(options)
    report = ImportReport()
    files, failures = expand_paths([Path(p) for p in paths], options.include)
    report.failures.extend(failures)
    total = len(files)
    try:
        with project.edit() as store:
            writer = _BatchWriter(store, report, BATCH_SIZE)
            for index, path in enumerate(files):
                _check_cancel(cancel)
                if progress is not None:
                    progress(index, total, str(path))
                _import_file(path, options, report, writer, cancel)
            if not (options.all_or_nothing and report.failures):
                writer.flush()
            if options.all_or_nothing and report.failures:
                raise _RollBackError
    except _CancelledError:
        report.cancelled = True
        _rolled_back(report)
    except _RollBackError:
        _rolled_back(report)
    if progress is not None:
        progress(total, total, "")
    return report


def _rolled_back(report: ImportReport) -> None:
    report.rolled_back = True
    report.imported.clear()


def _check_cancel(cancel: Callable[[], bool] | None) -> None:
    if cancel is not None and cancel():
        raise _CancelledError


def _import_file(
    path: Path,
    options: ImportOptions,
    report: ImportReport,
    writer: _BatchWriter,
    cancel: Callable[[], bool] | None,
) -> None:
    results: Iterable[ReadResult] = ()
    try:
        results = reader_for(path, options.format).read(path, options)
        for result in results:
            _check_cancel(cancel)
            if isinstance(result, InputError):
                report.fail(result)
                continue
            try:
                row = prepare(result)
            except InputError as exc:
                report.fail(exc)
                continue
            report.notices.extend(Notice(result.where, text) for text in result.notices)
            if options.all_or_nothing and report.failures:
                continue  # keep validating to report every problem, but write nothing
            writer.add(row, result)
    except InputError as exc:
        report.fail(exc)
    finally:
        if isinstance(results, Generator):  # close the file now, also when cancelled
            results.close()


__all__ = [
    "BATCH_SIZE",
    "Failure",
    "ImportOptions",
    "ImportOptionsError",
    "ImportReport",
    "Notice",
    "ProgressCallback",
    "check_options",
    "derive_title",
    "expand_paths",
    "import_paths",
    "prepare",
]
