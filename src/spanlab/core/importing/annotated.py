"""Import annotated files (SpanLab JSONL, brat, doccano, Label Studio, ...) into a project.

``import_annotated`` reads each file with its format's reader (``formats.registry``),
checks **every** annotation before anything is written, and then writes the file in
**one transaction** through the core commands, so a file is imported whole or not at
all (with ``all_or_nothing``: the whole import is one transaction).

The rules, in the order they are applied to each document of a file:

* **Text.** The text is made canonical (``canonicalize``). When that changes it (CRLF,
  BOM, NFC, trimmed blank lines), offsets are mapped through the change
  (``CanonicalMap``); an offset that falls inside a CRLF pair or a composed character
  is reported. A document whose canonical text is already in the project (same
  SHA-256) receives the annotations; otherwise it is created. A file that states the
  hash of its text (SpanLab JSONL) must match it.
* **Offset units.** Offsets are read as code points first. Where the file stores the
  covered text (SpanLab JSONL, brat, Label Studio), every span's covered text must
  equal the document slice; if it does not for code points but does for UTF-16 code
  units or UTF-8 bytes, the offsets are converted and a note says so; otherwise each
  mismatching span is reported. Where the file does not store it (doccano), code
  points are used when every span lies inside the text on grapheme-cluster boundaries;
  if only the UTF-16 reading satisfies that (the doccano annotation screen counts
  UTF-16 units), the offsets are converted with a note. When both readings satisfy it,
  the one with fewer spans starting or ending in whitespace wins (code points on a
  tie, with a note when the readings differ). Otherwise the spans are reported.
* **Spans.** Zero-length spans are refused. Discontinuous spans are refused by the
  reader (brat ``0 5;16 23``), naming the line: SpanLab spans are continuous and
  splitting would invent annotations. Overlapping and nested spans are kept (SpanLab
  allows them). Duplicates (same layer, label and offsets) are merged into one with a
  note; their attributes are combined, and conflicting values are reported.
* **Schema.** Labels and relation types missing from the schema are reported, or with
  ``add_labels`` added through ``UpdateSchema`` (a generated colour; a new relation
  type allows exactly the head and tail labels it is used with). Relations must fit
  their type's argument constraints; boolean attributes written as ``"true"`` /
  ``"false"`` become booleans.
* **Relations.** A relation whose head or tail is not a span of the same layer, or
  that links a span to itself, is reported; duplicate relations are merged with a note.
* **Annotators.** A layer's annotator comes from the file, else from ``annotator``
  (brat and doccano files do not say whose annotations they are); neither is an
  error. If that annotator already has annotations on the document, the file is
  refused unless ``replace`` (then their spans, relations and entity groups on that
  document are deleted first, in the same transaction). The same document and
  annotator twice in one import is refused.

Every problem names the file and line. A file with any problem is skipped whole.

This module runs the import; the work is done by ``annotated_inputs`` (finding and
reading files), ``annotated_check`` (the rules above, turning a file into plans, with
``annotated_offsets`` for offset units and ``annotated_schema`` for ``add_labels``),
``annotated_write`` (plans to core commands) and ``annotated_report`` (the outcome).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spanlab.core.errors import SpanLabError
from spanlab.core.formats import registry
from spanlab.core.importing.annotated_check import Checker
from spanlab.core.importing.annotated_inputs import (
    detect_format,
    find_inputs,
    has_annotated_files,
    read_file,
)
from spanlab.core.importing.annotated_plans import FilePlan
from spanlab.core.importing.annotated_report import (
    AnnotatedImportReport,
    CancelCallback,
    FileResult,
    ImportProblem,
    ProgressCallback,
)
from spanlab.core.importing.annotated_schema import SchemaAdditions, label_colour
from spanlab.core.importing.annotated_write import write_plans
from spanlab.core.project import Project


def import_annotated(
    project: Project,
    paths: Sequence[Path],
    *,
    format: str | None = None,
    annotator: str | None = None,
    add_labels: bool = False,
    all_or_nothing: bool = False,
    replace: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> AnnotatedImportReport:
    """Import annotation files into ``project``; see the module docstring for the rules.

    ``format`` None detects each file's format; ``annotator`` says whose annotations
    they are where the files do not; ``add_labels`` adds missing labels and relation
    types to the schema instead of refusing the file; ``replace`` replaces an
    annotator's earlier annotations on a document instead of refusing the file;
    ``all_or_nothing`` imports nothing if any file has a problem. ``progress`` is
    called as (files done, files total, current file); ``cancel`` is checked between
    files (files already imported stay, unless ``all_or_nothing``).
    """
    if format is not None and format not in registry.import_formats():
        registry.reader(format)  # raises the error listing the known formats
    if annotator is not None and (
        not annotator.strip() or annotator.strip() != annotator or len(annotator) > 200
    ):
        raise SpanLabError(f"invalid annotator name {annotator!r}")
    report = AnnotatedImportReport(all_or_nothing=all_or_nothing)
    inputs, path_problems, report.ignored = find_inputs([Path(p) for p in paths], format)
    for problem in path_problems:
        failed = FileResult(problem.source, None)
        failed.problems.append(problem)
        report.files.append(failed)
    checker = Checker(project, annotator=annotator, add_labels=add_labels, replace=replace)
    accepted: list[tuple[FilePlan, SchemaAdditions]] = []
    for index, (path, name) in enumerate(inputs):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        if progress is not None:
            progress(index, len(inputs), str(path))
        result = FileResult(str(path), name)
        report.files.append(result)
        documents = read_file(path, name, annotator, result)
        if result.problems:
            continue
        plan, additions = checker.check_file(path, documents, result)
        if result.problems:
            continue
        if all_or_nothing:
            checker.pending = additions
            checker.remember(plan)
            accepted.append((plan, additions))
            continue
        _store(project, checker, [plan], additions, report)
    if progress is not None:
        progress(len(inputs), len(inputs), "")
    if all_or_nothing and accepted and not report.cancelled and not report.problems:
        _store(project, checker, [plan for plan, _ in accepted], checker.pending, report)
    return report


def _store(
    project: Project,
    checker: Checker,
    plans: list[FilePlan],
    additions: SchemaAdditions,
    report: AnnotatedImportReport,
) -> None:
    """Write plans in one transaction; on an unexpected refusal nothing of them lands."""
    fresh = additions.new_to(checker.schema)
    try:
        with project.edit() as store:
            write_plans(store, plans, fresh)
    except SpanLabError as exc:  # a rule the checks missed: rolled back, reported
        for plan in plans:
            plan.result.spans = plan.result.relations = plan.result.entities = 0
        plans[0].result.problem(f"not imported: {exc}")
        checker.pending = SchemaAdditions()
        return
    finally:
        project.forget_schema()
    for name in fresh.labels:
        report.labels_added.append(name)
    for name in fresh.heads:
        if checker.schema.relation(name) is None:
            report.relation_types_added.append(name)
            checker.added_types.add(name)
    checker.schema = project.schema()
    checker.pending = SchemaAdditions()
    for plan in plans:
        plan.result.imported = True
        checker.remember(plan)
    checker.refresh()


__all__ = [
    "AnnotatedImportReport",
    "CancelCallback",
    "FileResult",
    "ImportProblem",
    "ProgressCallback",
    "detect_format",
    "find_inputs",
    "has_annotated_files",
    "import_annotated",
    "label_colour",
]
