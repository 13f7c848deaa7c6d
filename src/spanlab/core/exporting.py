"""Export a project to any registered format: select, split, stream, write atomically.

``export_project`` is what ``spanlab export`` and the GUI's export dialog call:

* **Selection** (:class:`ExportSelection`): whose annotations (some annotators, all
  of them, or the gold layer), which documents (those marked done, or all), an
  optional train/dev/test split by document with a seed, optional document ids.
* **Layout**: ``merged`` puts every selected annotator's layer into the same document
  record; formats that hold one annotator per file (brat, CoNLL, ...) then get one
  folder per annotator, as ``per_annotator`` always does. With a split, one-file
  formats write ``train.*``, ``dev.*`` and ``test.*``; per-document formats write
  ``train/``, ``dev/`` and ``test/`` folders.
* **Streaming**: documents are read from the project in small batches and handed to
  the exporter one by one, so memory does not grow with the corpus.
* **Atomic output**: files are written to a staging folder next to ``out_dir`` and
  moved into place only when the export succeeded; a cancelled or refused export
  leaves nothing behind. A non-empty ``out_dir`` is refused unless ``force``: files
  with the same names are then replaced and a folder the export writes (``train/``,
  an annotator's folder, ...) is replaced whole, so no file of an earlier export is
  read as part of this one (e.g. a stale ``train-0003.spacy`` by ``spacy train``);
  other files are left alone and counted in a note.
* **Nothing dropped silently**: what the format cannot carry is counted in
  ``ExportReport.left_out``; token formats report misaligned spans.
"""

from __future__ import annotations

import enum
import os
import random
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select

from spanlab.core.errors import SpanLabError
from spanlab.core.formats import registry
from spanlab.core.formats.base import (
    SPLITS,
    Alignment,
    AnnotationLayer,
    ExportDocument,
    Exporter,
    ExportOptions,
    ExportRefusedError,
    ExportReport,
    Feature,
)
from spanlab.core.formats.common import safe_folder_name, slugify
from spanlab.core.model import (
    GOLD_ANNOTATOR,
    Annotator,
    AnnotatorId,
    DocumentId,
    DocumentStatus,
    Entity,
    EntityId,
    Relation,
    Span,
)
from spanlab.core.project import Project
from spanlab.core.storage import repository as repo

ProgressCallback = Callable[[int, int, str], None]
"""Called as (documents done, documents total, current document title)."""

CancelCallback = Callable[[], bool]
"""Returns True when the user wants to stop."""

BATCH_SIZE = 200
"""Documents read per read transaction (four queries) while streaming."""


class ExportError(SpanLabError):
    """The export cannot start (unknown annotator, bad split, non-empty folder, ...)."""


class ExportMode(enum.StrEnum):
    """Whose annotations go where."""

    MERGED = "merged"  # all selected annotators in the same document record
    PER_ANNOTATOR = "per_annotator"  # one folder per annotator
    GOLD = "gold"  # the curated gold layer only


class DocumentChoice(enum.StrEnum):
    """Which documents are exported."""

    DONE = "done"  # documents every selected annotator marked done (gold: curated)
    ALL = "all"


@dataclass(frozen=True, slots=True)
class ExportSelection:
    """What to export. ``annotators=None`` means every annotator except gold."""

    annotators: tuple[str, ...] | None = None
    mode: ExportMode = ExportMode.MERGED
    documents: DocumentChoice = DocumentChoice.DONE
    split: tuple[float, float, float] | None = None
    seed: int = 0
    document_ids: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class _Group:
    """One output folder: its name (None: the export folder itself) and its annotators."""

    folder: str | None
    annotators: tuple[Annotator, ...]


@dataclass
class _Plan:
    exporter: Exporter
    groups: list[_Group]
    documents: list[DocumentId]
    split_of: dict[DocumentId, str | None]
    statuses: dict[tuple[DocumentId, AnnotatorId], DocumentStatus] = field(default_factory=dict)


class _CancelledError(Exception):
    """Raised inside the document stream when the user cancels."""


def default_out_dir(project_name: str, format: str) -> Path:
    """``exports/<project-name>-<format>`` (relative to the working folder)."""
    return Path("exports") / f"{slugify(project_name, fallback='project')}-{format}"


def parse_split(text: str) -> tuple[float, float, float]:
    """``"0.8,0.1,0.1"`` -> ratios; a clear error for anything else."""
    parts = [part.strip() for part in text.split(",")]
    try:
        values = [float(part) for part in parts]
    except ValueError:
        raise ExportError(f"--split expects three numbers like 0.8,0.1,0.1, not {text!r}") from None
    if len(values) != 3:
        raise ExportError(f"--split expects three ratios (train,dev,test), not {text!r}")
    return values[0], values[1], values[2]


def assign_splits(
    document_ids: Sequence[int], ratios: tuple[float, float, float], seed: int
) -> dict[int, str]:
    """Deterministic split by document: a seeded shuffle of the sorted ids, then cut.

    Counts are ``ratio * n`` rounded down, with the remaining documents given to the
    splits with the largest fractional parts (train first on ties), so the result
    depends only on the ids, the ratios and the seed.
    """
    if any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise ExportError("split ratios must be non-negative and not all zero")
    total = sum(ratios)
    shares = [r / total * len(document_ids) for r in ratios]
    counts = [int(share) for share in shares]
    order = sorted(range(3), key=lambda i: (-(shares[i] - counts[i]), i))
    for index in order[: len(document_ids) - sum(counts)]:
        counts[index] += 1
    shuffled = sorted(document_ids)
    random.Random(seed).shuffle(shuffled)
    result: dict[int, str] = {}
    position = 0
    for name, count in zip(SPLITS, counts, strict=True):
        for doc_id in shuffled[position : position + count]:
            result[doc_id] = name
        position += count
    return result


def export_project(
    project: Project,
    *,
    format: str,
    out_dir: Path | None = None,
    selection: ExportSelection | None = None,
    options: ExportOptions | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> ExportReport:
    """Export ``project`` in ``format`` to ``out_dir``; see the module docstring.

    Raises ``ExportError`` when the export cannot start. Otherwise returns the report;
    ``report.failed`` says why nothing was written (nothing selected, misaligned spans
    under ``Alignment.REFUSE``), ``report.cancelled`` that the user stopped it.
    """
    selection = selection or ExportSelection()
    options = options or ExportOptions()
    report = ExportReport(format=format)
    exporter = _exporter(format)
    plan = _plan(project, exporter, selection, report)
    target = Path(out_dir) if out_dir is not None else default_out_dir(project.name, format)
    report.out_dir = target
    if not plan.documents:
        return report
    _check_target(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        _run(project, plan, staging, options, report, progress, cancel)
        if report.ok and options.alignment is Alignment.REFUSE and report.misaligned:
            report.failed = (
                f"{report.misaligned} span(s) do not align with the tokens and "
                "--alignment refuse was chosen; nothing was written"
            )
        if report.ok:
            # Only a forced export into a non-empty folder needs the before/after census
            # (kept off the common path: a per-document export can write 20,000 files).
            earlier = target.is_dir() and any(target.iterdir())
            before = {p for p in target.rglob("*") if p.is_file()} if earlier else set()
            report.files = _move_into_place(staging, target)
            if earlier:
                _note_earlier_files(report, target, before)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


# --------------------------------------------------------------------------- planning


def _exporter(format: str) -> Exporter:
    if format not in registry.export_formats():
        registry.exporter(format)  # raises the error listing the known formats
    try:
        return registry.exporter(format)
    except ImportError as exc:
        raise ExportError(f"the {format} format is not available here: {exc}") from exc


def _plan(
    project: Project, exporter: Exporter, selection: ExportSelection, report: ExportReport
) -> _Plan:
    annotators = _annotators(project, selection)
    summaries = project.documents()
    ids = [s.id for s in summaries]
    if selection.document_ids is not None:
        known = set(ids)
        missing = [i for i in selection.document_ids if i not in known]
        if missing:
            raise ExportError(f"no document with id {', '.join(map(str, missing))}")
        wanted = set(selection.document_ids)
        ids = [i for i in ids if i in wanted]
    statuses: dict[tuple[DocumentId, AnnotatorId], DocumentStatus] = {}
    for annotator in annotators:
        for record in project.statuses(annotator.id):
            statuses[(record.document_id, record.annotator_id)] = record.status
    if selection.documents is DocumentChoice.DONE:
        ids = [
            i
            for i in ids
            if all(statuses.get((i, a.id)) is DocumentStatus.DONE for a in annotators)
        ]
        if not ids:
            names = " and ".join(a.name for a in annotators)
            if selection.mode is ExportMode.GOLD:
                report.failed = (
                    "no document is curated (gold marked done); use --all-documents to "
                    "export the gold layer as it is"
                )
            else:
                report.failed = (
                    f"no document is marked done by {names}; use --all-documents to export "
                    "unfinished work too"
                )
    elif not ids:
        report.failed = "the project has no documents to export"
    split_of: dict[DocumentId, str | None] = dict.fromkeys(ids)
    if selection.split is not None:
        assigned = assign_splits(ids, selection.split, selection.seed)
        split_of = {i: assigned[i] for i in ids}
        empty = [name for name in SPLITS if name not in assigned.values()]
        if empty and ids:
            report.note(
                f"the {' and '.join(empty)} split(s) got no documents "
                f"({len(ids)} documents, ratios {selection.split})"
            )
    return _Plan(
        exporter, _groups(exporter, selection, annotators, report), ids, split_of, statuses
    )


def _annotators(project: Project, selection: ExportSelection) -> tuple[Annotator, ...]:
    everyone = {a.name: a for a in project.annotators()}
    if selection.mode is ExportMode.GOLD:
        if selection.annotators not in (None, (GOLD_ANNOTATOR,)):
            raise ExportError("a gold export takes no annotator names")
        gold = everyone.get(GOLD_ANNOTATOR)
        if gold is None:
            raise ExportError("the project has no gold layer yet (nothing curated)")
        return (gold,)
    if selection.annotators is None:
        chosen = tuple(a for name, a in sorted(everyone.items()) if name != GOLD_ANNOTATOR)
        if not chosen:
            raise ExportError("the project has no annotators yet; nothing to export")
        return chosen
    result = []
    for name in dict.fromkeys(selection.annotators):
        if name not in everyone:
            known = ", ".join(sorted(everyone)) or "none"
            raise ExportError(f"no annotator called {name!r} (annotators: {known})")
        result.append(everyone[name])
    if not result:
        raise ExportError("no annotator selected")
    return tuple(result)


def _groups(
    exporter: Exporter,
    selection: ExportSelection,
    annotators: tuple[Annotator, ...],
    report: ExportReport,
) -> list[_Group]:
    separate = selection.mode is ExportMode.PER_ANNOTATOR or (
        selection.mode is ExportMode.MERGED
        and len(annotators) > 1
        and Feature.ANNOTATORS not in exporter.carries
    )
    if not separate:
        return [_Group(None, annotators)]
    if selection.mode is ExportMode.MERGED:
        folders = ", ".join(f"{safe_folder_name(a.name)}/" for a in annotators)
        report.note(
            f"{exporter.name} holds one annotator per file: wrote one folder per annotator "
            f"({folders})"
        )
    return [_Group(safe_folder_name(a.name), (a,)) for a in annotators]


def _check_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ExportError(
            f"{target} is not empty; choose another folder or use --force to overwrite"
        )


# --------------------------------------------------------------------------- writing


def _run(
    project: Project,
    plan: _Plan,
    staging: Path,
    options: ExportOptions,
    report: ExportReport,
    progress: ProgressCallback | None,
    cancel: CancelCallback | None,
) -> None:
    schema = project.schema()
    total = len(plan.documents) * len(plan.groups)
    counter = _Counter(total, progress, cancel)
    seen: set[DocumentId] = set()
    splits: list[str | None] = [None] if all(v is None for v in plan.split_of.values()) else []
    if not splits:
        splits = [name for name in SPLITS if name in plan.split_of.values()]
    try:
        for group in plan.groups:
            folder = staging / group.folder if group.folder else staging
            folder.mkdir(parents=True, exist_ok=True)
            for split in splits:
                ids = [i for i in plan.documents if plan.split_of[i] == split]
                stream = _stream(project, plan, group, ids, split, report, counter, seen)
                plan.exporter.write(stream, folder, schema=schema, options=options, report=report)
        report.documents = len(seen)
        counter.finish()
    except _CancelledError:
        report.cancelled = True
    except ExportRefusedError as exc:
        report.failed = str(exc)


class _Counter:
    def __init__(
        self, total: int, progress: ProgressCallback | None, cancel: CancelCallback | None
    ) -> None:
        self.done = 0
        self.total = total
        self.progress = progress
        self.cancel = cancel

    def step(self, current: str) -> None:
        if self.cancel is not None and self.cancel():
            raise _CancelledError
        if self.progress is not None:
            self.progress(self.done, self.total, current)
        self.done += 1

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total, "")


def _stream(
    project: Project,
    plan: _Plan,
    group: _Group,
    ids: list[DocumentId],
    split: str | None,
    report: ExportReport,
    counter: _Counter,
    seen: set[DocumentId],
) -> Iterator[ExportDocument]:
    carries = plan.exporter.carries
    for start in range(0, len(ids), BATCH_SIZE):
        with project.read() as conn:
            batch = _load_batch(
                conn, ids[start : start + BATCH_SIZE], group.annotators, plan.statuses, split
            )
        for export in batch:
            counter.step(export.document.title)
            seen.add(export.document.id)
            for layer in export.layers:
                report.spans += len(layer.spans)
                report.relations += len(layer.relations)
                _count_left_out(plan.exporter.name, carries, layer, report)
            yield export


def _load_batch(
    conn: Connection,
    doc_ids: list[DocumentId],
    annotators: tuple[Annotator, ...],
    statuses: dict[tuple[DocumentId, AnnotatorId], DocumentStatus],
    split: str | None,
) -> list[ExportDocument]:
    """A batch of documents with the selected layers, in four queries."""
    who = [a.id for a in annotators]
    rows = conn.execute(select(repo.DOC).where(repo.DOC.c.id.in_(doc_ids))).mappings()
    documents = {row["id"]: repo.document_from_row(row) for row in rows}
    spans: dict[tuple[int, int], list[Span]] = defaultdict(list)
    query = (
        select(*repo.SPAN_COLUMNS)
        .join(repo.LABEL, repo.LABEL.c.id == repo.SPAN.c.label_id)
        .where(repo.SPAN.c.document_id.in_(doc_ids), repo.SPAN.c.annotator_id.in_(who))
        .order_by(repo.SPAN.c.document_id, repo.SPAN.c.start, repo.SPAN.c.end, repo.SPAN.c.id)
    )
    for row in conn.execute(query).mappings():
        span = repo.span_from_row(row)
        spans[(span.document_id, span.annotator_id)].append(span)
    relations: dict[tuple[int, int], list[Relation]] = defaultdict(list)
    query = (
        select(*repo.RELATION_COLUMNS)
        .join(repo.RTYPE, repo.RTYPE.c.id == repo.REL.c.type_id)
        .where(repo.REL.c.document_id.in_(doc_ids), repo.REL.c.annotator_id.in_(who))
        .order_by(repo.REL.c.id)
    )
    for row in conn.execute(query).mappings():
        relation = repo.relation_from_row(row)
        relations[(relation.document_id, relation.annotator_id)].append(relation)
    entities: dict[tuple[int, int], list[Entity]] = defaultdict(list)
    query = (
        select(repo.ENTITY)
        .where(repo.ENTITY.c.document_id.in_(doc_ids), repo.ENTITY.c.annotator_id.in_(who))
        .order_by(repo.ENTITY.c.id)
    )
    for row in conn.execute(query).mappings():
        entity = Entity(
            EntityId(row["id"]),
            DocumentId(row["document_id"]),
            AnnotatorId(row["annotator_id"]),
            row["name"],
        )
        entities[(entity.document_id, entity.annotator_id)].append(entity)
    batch = []
    for doc_id in doc_ids:
        layers = tuple(
            AnnotationLayer(
                annotator=annotator.name,
                status=statuses.get((doc_id, annotator.id), DocumentStatus.NEW),
                spans=tuple(spans.get((doc_id, annotator.id), ())),
                relations=tuple(relations.get((doc_id, annotator.id), ())),
                entities=tuple(entities.get((doc_id, annotator.id), ())),
            )
            for annotator in annotators
        )
        batch.append(ExportDocument(document=documents[doc_id], layers=layers, split=split))
    return batch


def _count_left_out(
    name: str, carries: frozenset[Feature], layer: AnnotationLayer, report: ExportReport
) -> None:
    if Feature.RELATIONS not in carries:
        report.leave_out(f"relations ({name} has no relations)", len(layer.relations))
    elif Feature.RELATION_ATTRIBUTES not in carries:
        values = sum(len(r.attributes) for r in layer.relations)
        report.leave_out(f"relation attribute values ({name} has none)", values)
    if Feature.SPAN_ATTRIBUTES not in carries:
        values = sum(len(s.attributes) for s in layer.spans)
        report.leave_out(f"span attribute values ({name} has none)", values)
    if Feature.ENTITIES not in carries:
        report.leave_out(f"entity groups ({name} has none)", len(layer.entities))


def _note_earlier_files(report: ExportReport, target: Path, before: set[Path]) -> None:
    """Say what a forced export removed from, and left in, the folder it wrote to."""
    after = {p for p in target.rglob("*") if p.is_file()}
    replaced = len(before - after)
    if replaced:
        report.note(
            f"{replaced} file(s) of an earlier export in the folders this export wrote were removed"
        )
    kept = len(after - set(report.files))
    if kept:
        report.note(f"{kept} other file(s) already in {target} were left as they were")


def _move_into_place(staging: Path, target: Path) -> list[Path]:
    """Move every staged file to its place under ``target``; return them sorted.

    A top-level folder of the export replaces the one already there (see ``force``).
    """
    moved: list[Path] = []
    target.mkdir(parents=True, exist_ok=True)
    for staged in staging.iterdir():
        existing = target / staged.name
        if staged.is_dir() and (existing.is_dir() or existing.is_file()):
            if existing.is_dir() and not existing.is_symlink():
                shutil.rmtree(existing)
            else:
                existing.unlink()
    for folder, _dirs, names in os.walk(staging):
        relative = Path(folder).relative_to(staging)
        destination = target / relative
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            Path(folder, name).replace(destination / name)
            moved.append(destination / name)
    moved.sort()
    return moved


__all__ = [
    "CancelCallback",
    "DocumentChoice",
    "ExportError",
    "ExportMode",
    "ExportSelection",
    "ProgressCallback",
    "assign_splits",
    "default_out_dir",
    "export_project",
    "parse_split",
]
