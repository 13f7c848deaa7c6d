"""Terminal output: tables, summaries and progress bars (progress only on a terminal)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from spanlab.core.importing.pipeline import ImportReport
from spanlab.core.model import DocumentStatus
from spanlab.core.schema import Schema
from spanlab.core.stats import ProjectStats

_stdout = Console(highlight=False, soft_wrap=True)
_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def out(message: str) -> None:
    """A plain line on stdout."""
    _stdout.print(message, markup=False)


def warn(message: str) -> None:
    """A plain line on stderr."""
    _stderr.print(message, markup=False)


@contextmanager
def progress(description: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback that draws a bar on an interactive terminal, else nothing."""
    if not sys.stderr.isatty():
        yield lambda done, total, current: None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[current]}"),
        console=_stderr,
        transient=True,
    )
    task = bar.add_task(description, total=None, current="")
    with bar:

        def update(done: int, total: int, current: str) -> None:
            bar.update(task, completed=done, total=total, current=current[-40:])

        yield update


def import_summary(report: ImportReport, *, all_or_nothing: bool) -> None:
    """Imported / duplicates / failed, with each failure's reason."""
    nothing = all_or_nothing and not report.ok
    imported = 0 if nothing else len(report.imported)
    out(
        f"Imported {imported} document(s); {len(report.duplicates)} duplicate(s) skipped; "
        f"{len(report.failures)} failed."
    )
    for source in report.duplicates:
        out(f"  duplicate (same text already in the project): {source}")
    for failure in report.failures:
        warn(f"  failed: {failure.source}: {failure.reason}")
    if nothing:
        warn("Nothing was imported (--all-or-nothing).")


def stats_table(stats: ProjectStats) -> None:
    """Documents, spans per label per annotator, relations and statuses."""
    out(f"Documents: {stats.documents}")
    if not stats.annotators:
        out("No annotations yet.")
        return
    table = Table(title="Spans per label", title_justify="left")
    table.add_column("Label")
    for name in stats.annotators:
        table.add_column(name, justify="right")
    for label in stats.labels:
        table.add_row(label, *(str(stats.spans.get((a, label), 0)) for a in stats.annotators))
    table.add_row("all spans", *(str(stats.span_total(a)) for a in stats.annotators), style="bold")
    table.add_row(
        "relations", *(str(stats.relation_total(a)) for a in stats.annotators), style="bold"
    )
    _stdout.print(table)
    status_table = Table(title="Document status", title_justify="left")
    status_table.add_column("Annotator")
    for status in DocumentStatus:
        status_table.add_column(status.value.replace("_", " "), justify="right")
    for name in stats.annotators:
        status_table.add_row(name, *(str(stats.statuses[name][s]) for s in DocumentStatus))
    _stdout.print(status_table)


def schema_table(schema: Schema) -> None:
    """Labels and relation types of a schema."""
    table = Table(title=f"Schema '{schema.name}'", title_justify="left")
    for column in ("Label", "Key", "Colour", "Attributes"):
        table.add_column(column)
    for label in schema.labels:
        attrs = ", ".join(f"{a.name} ({a.kind.value})" for a in label.attributes)
        table.add_row(label.name, label.hotkey or "", label.colour, attrs)
    _stdout.print(table)
    relations = Table(title="Relation types", title_justify="left")
    for column in ("Relation", "Head", "Tail", "Symmetric"):
        relations.add_column(column)
    for rel in schema.relations:
        relations.add_row(
            rel.name, " | ".join(rel.heads), " | ".join(rel.tails), "yes" if rel.symmetric else ""
        )
    _stdout.print(relations)
