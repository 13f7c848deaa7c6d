"""Import articles into a project: read, canonicalise, de-duplicate by hash, bulk insert.

Readers turn a file into ``ArticleRecord``s; the pipeline does everything after that in
one place, so every source gets the same canonicalisation and the same checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spanlab.core.errors import InputError
from spanlab.core.importing.canonical import CanonicalTextError, canonicalize, text_sha256
from spanlab.core.importing.records import ArticleRecord
from spanlab.core.importing.text_reader import read_text_file
from spanlab.core.model import DocumentId
from spanlab.core.project import Project

ProgressCallback = Callable[[int, int, str], None]
"""Called as (files done, files total, current file)."""

BATCH_SIZE = 2_000


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be imported, and why."""

    source: str
    reason: str


@dataclass(slots=True)
class ImportReport:
    """Outcome of one import run."""

    imported: list[DocumentId] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every input was imported or was a known duplicate."""
        return not self.failures


def derive_title(text: str, fallback: str) -> str:
    """First non-empty line (news files start with the headline), shortened."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            return stripped if len(stripped) <= 200 else stripped[:199] + "…"
    return fallback


def prepare(record: ArticleRecord) -> dict[str, Any]:
    """Canonicalise a record into a document row; raise InputError when unusable."""
    try:
        text = canonicalize(record.text)
    except CanonicalTextError as exc:
        raise InputError(record.source, str(exc)) from exc
    if not text.strip():
        raise InputError(record.source, "empty document (no text after removing whitespace)")
    return {
        "title": (record.title or "").strip() or derive_title(text, Path(record.source).stem),
        "text": text,
        "sha256": text_sha256(text),
        "source": record.source,
        "url": record.url,
        "published": record.published,
        "metadata": record.metadata,
    }


def read_records(path: Path) -> Iterator[ArticleRecord]:
    """Articles from one file (plain UTF-8 text for now)."""
    yield read_text_file(path)


def import_paths(
    project: Project,
    paths: Sequence[Path],
    *,
    progress: ProgressCallback | None = None,
    all_or_nothing: bool = False,
) -> ImportReport:
    """Import files into ``project``; failures are reported, the rest is imported.

    With ``all_or_nothing`` a single failure imports nothing. Documents are written in
    large transactions; a batch either lands whole or not at all.
    """
    report = ImportReport()
    prepared: list[dict[str, Any]] = []
    for index, path in enumerate(paths):
        if progress is not None:
            progress(index, len(paths), str(path))
        try:
            prepared.extend(prepare(record) for record in read_records(path))
        except InputError as exc:
            report.failures.append(Failure(exc.source, exc.problem))
    if progress is not None:
        progress(len(paths), len(paths), "")
    if all_or_nothing and report.failures:
        return report
    _store(project, prepared, report)
    return report


def _store(project: Project, rows: Iterable[dict[str, Any]], report: ImportReport) -> None:
    fresh: list[dict[str, Any]] = []
    seen: set[str] = set()
    rows = list(rows)
    known = project.existing_hashes([row["sha256"] for row in rows])
    for row in rows:
        if row["sha256"] in known or row["sha256"] in seen:
            report.duplicates.append(row["source"])
            continue
        seen.add(row["sha256"])
        fresh.append(row)
    with project.edit() as store:
        for start in range(0, len(fresh), BATCH_SIZE):
            report.imported.extend(store.insert_documents(fresh[start : start + BATCH_SIZE]))
