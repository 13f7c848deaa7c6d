"""Terminal output: tables, summaries and progress bars (progress only on a terminal)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from spanlab.core.agreement_report import (
    METRIC_INFO,
    AgreementReport,
    DisagreementKind,
    Metric,
    format_value,
)
from spanlab.core.curation import CurationReport, GoldQualityReport
from spanlab.core.formats.base import ExportReport
from spanlab.core.importing.annotated import AnnotatedImportReport
from spanlab.core.importing.pipeline import ImportReport
from spanlab.core.model import GOLD_ANNOTATOR, DocumentStatus
from spanlab.core.schema import Schema
from spanlab.core.stats import ProjectStats
from spanlab.core.team.access import Person
from spanlab.core.team.assignments import AssignmentReport
from spanlab.core.team.exchange import CheckoutReport, MergeReport

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
    """Imported / duplicates / failed, then duplicates (the first 20), notices, failures."""
    listed = 20
    out(
        f"Imported {len(report.imported)} document(s); {len(report.duplicates)} duplicate(s) "
        f"skipped; {len(report.failures)} failed."
    )
    for source in report.duplicates[:listed]:
        out(f"  duplicate (same text already in the project): {source}")
    if len(report.duplicates) > listed:
        out(f"  ... and {len(report.duplicates) - listed} more duplicate(s)")
    for notice in report.notices:
        warn(f"  note: {notice.source}: {notice.message}")
    for failure in report.failures:
        warn(f"  failed: {failure.source}: {failure.reason}")
    if report.cancelled:
        warn("Import cancelled; nothing was imported.")
    elif report.rolled_back and all_or_nothing:
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


# --------------------------------------------------------------------------- export and
# annotated import


def export_summary(report: ExportReport) -> None:
    """Files, documents, spans, relations; what was left out; misaligned spans."""
    if report.cancelled:
        warn("Export cancelled; nothing was written.")
        return
    if report.failed is not None:
        warn(f"Nothing exported: {report.failed}")
    else:
        out(
            f"Exported {report.documents} document(s), {report.spans} span(s) and "
            f"{report.relations} relation(s) as {report.format} to {report.out_dir} "
            f"({len(report.files)} file(s))."
        )
    for note in report.notes:
        out(f"  note: {note}")
    if report.left_out:
        out("Left out (the format cannot hold them):")
        for reason, count in sorted(report.left_out.items()):
            out(f"  {count} {reason}")
    if report.misaligned:
        out(f"Spans not on token boundaries: {report.misaligned}")
        for example in report.misaligned_examples:
            out(f"  e.g. {example}")


def annotated_import_summary(report: AnnotatedImportReport) -> None:
    """Per run: documents, annotations, schema additions; per file: problems and notes."""
    imported = report.imported_files
    nothing = report.all_or_nothing and not report.ok
    if nothing:
        imported = []
    out(
        f"Imported annotations from {len(imported)} of {len(report.files)} file(s): "
        f"{report.total('created') if not nothing else 0} new document(s), "
        f"{report.total('matched') if not nothing else 0} already in the project, "
        f"{report.total('spans') if not nothing else 0} span(s), "
        f"{report.total('relations') if not nothing else 0} relation(s), "
        f"{report.total('entities') if not nothing else 0} entity group(s)."
    )
    if report.labels_added:
        out(f"  added labels to the schema: {', '.join(report.labels_added)}")
    if report.relation_types_added:
        out(f"  added relation types to the schema: {', '.join(report.relation_types_added)}")
    for result in report.files:
        for note in result.notes:
            out(f"  note: {note}")
    for source in report.ignored:
        out(f"  ignored (not an annotation file): {source}")
    for result in report.files:
        if result.problems:
            warn(f"  not imported: {result.path} ({len(result.problems)} problem(s))")
            for problem in result.problems:
                warn(f"    {problem}")
    if report.cancelled:
        warn("Import cancelled.")
    if nothing:
        warn("Nothing was imported (--all-or-nothing).")


def agreement_table(report: AgreementReport, *, documents: int = 10) -> None:
    """The agreement report: overall metrics, pairs, labels, relations, worst documents."""
    summary = report.documents.summary
    _stdout.print(Text(f"Project: {report.project}"))
    _stdout.print(Text(f"Annotators: {', '.join(report.annotators)}"))
    if report.request.labels is not None:
        _stdout.print(Text(f"Labels: {', '.join(report.labels)}"))
    _stdout.print(Text(summary[:1].upper() + summary[1:], style="bold"))

    overall = Table(title="Overall agreement", title_justify="left")
    overall.add_column("Metric")
    overall.add_column("Value", justify="right")
    overall.add_column("± SD", justify="right")
    overall.add_column("Unit")
    overall.add_column("Observed / expected", justify="right")
    overall.add_column("Docs", justify="right")
    notes: list[str] = []
    uses_disagreement = False
    for metric in report.metrics.values():
        chance, disagreement = _agreement_chance(metric)
        uses_disagreement |= disagreement
        overall.add_row(
            Text(metric.name),
            format_value(metric.value),
            format_value(metric.sd) if metric.sd is not None else "",
            Text(metric.unit),
            chance,
            str(metric.documents_used),
        )
        if metric.value is None and metric.reason:
            notes.append(f"  {metric.name}: {metric.reason}")
    _stdout.print(overall)
    if uses_disagreement:
        out("  D = observed / expected disagreement (unitizing alpha); the others are agreement.")
    if notes:
        out("Undefined:")
        for note in notes:
            out(note)

    if report.pairs:
        matrix = Table(title="Pairwise span F1 (overlap)", title_justify="left")
        matrix.add_column("")
        for name in report.annotators:
            matrix.add_column(Text(name), justify="right")
        for name, values in zip(report.annotators, report.matrix("span_f1_overlap"), strict=True):
            cells = [
                "—" if other == name else format_value(value)
                for other, value in zip(report.annotators, values, strict=True)
            ]
            matrix.add_row(Text(name), *cells)
        _stdout.print(matrix)
        pairs = Table(title="Pairs", title_justify="left")
        pairs.add_column("A", no_wrap=True)
        pairs.add_column("B", no_wrap=True)
        keys = list(report.pairs[0].metrics)
        for key in keys:
            pairs.add_column(_SHORT_NAMES.get(key, key), justify="right")
        for pair in report.pairs:
            pairs.add_row(
                Text(pair.a), Text(pair.b), *(format_value(pair.metrics[k].value) for k in keys)
            )
        _stdout.print(pairs)
        out(_short_legend(keys))

    if report.per_label:
        labels = Table(
            title="Per label (spans per annotator, then agreement)", title_justify="left"
        )
        labels.add_column("Label", no_wrap=True)
        for name in report.annotators:
            labels.add_column(Text(name), justify="right")
        label_keys = list(report.per_label[0].metrics)
        for key in label_keys:
            labels.add_column(_SHORT_NAMES.get(key, key), justify="right")
        for label_row in report.per_label:
            labels.add_row(
                Text(label_row.label),
                *(str(label_row.spans.get(name, 0)) for name in report.annotators),
                *(format_value(label_row.metrics[k].value) for k in label_keys),
            )
        _stdout.print(labels)
        out(_short_legend(label_keys))

    if report.relation_types:
        types = Table(title="Relations per type", title_justify="left")
        types.add_column("Type", no_wrap=True)
        for name in report.annotators:
            types.add_column(Text(name), justify="right")
        types.add_column("F1 strict", justify="right")
        types.add_column("F1 lenient", justify="right")
        for kind in report.relation_types:
            types.add_row(
                Text(kind.type + (" (symmetric)" if kind.symmetric else "")),
                *(str(kind.relations.get(name, 0)) for name in report.annotators),
                *(format_value(m.value) for m in kind.metrics.values()),
            )
        _stdout.print(types)

    if report.attributes:
        attributes = Table(title="Attributes (matched span pairs)", title_justify="left")
        attributes.add_column("Attribute")
        for column in ("Alpha", "Observed", "Pairs", "One-sided"):
            attributes.add_column(column, justify="right")
        for attribute in report.attributes:
            m = attribute.metric
            attributes.add_row(
                Text(attribute.name),
                format_value(m.value),
                format_value(m.observed_agreement),
                str(m.items or 0),
                str(attribute.pairs_one_sided),
            )
        _stdout.print(attributes)

    confusion = report.confusion
    if confusion is not None and confusion.total:
        grid = Table(
            title=Text(f"Confusion ({confusion.unit}): {confusion.a} rows, {confusion.b} columns"),
            title_justify="left",
        )
        grid.add_column("")
        for column in confusion.columns:
            grid.add_column(Text(column), justify="right")
        for label, counts in zip(confusion.rows, confusion.counts, strict=True):
            grid.add_row(Text(label), *(str(c) if c else "." for c in counts))
        _stdout.print(grid)

    worst = [row for row in report.documents_by_disagreement if row.disagreements][:documents]
    if worst:
        table = Table(title="Documents with the most disagreement", title_justify="left")
        table.add_column("ID", justify="right")
        table.add_column("Title")
        table.add_column("Span F1 (overlap)", justify="right")
        table.add_column("Disagreements", justify="right")
        for kind_name in DisagreementKind:
            table.add_column(kind_name.value.replace("_", " "), justify="right")
        for row in worst:
            title = row.title if len(row.title) <= 50 else row.title[:49] + "…"
            table.add_row(
                str(row.document_id),
                Text(title),
                format_value(row.span_f1_overlap),
                str(row.disagreements),
                *(str(row.by_kind.get(k, 0)) for k in DisagreementKind),
            )
        _stdout.print(table)


_SHORT_NAMES = {
    "span_f1_exact": "F1 exact",
    "span_f1_overlap": "F1 overlap",
    "span_f1_partial": "F1 partial",
    "relation_f1_strict": "Rel strict",
    "relation_f1_lenient": "Rel lenient",
    "token_cohen_kappa": "κ tokens",
    "token_cohen_kappa_labelled": "κ labelled",
    "unitizing_alpha": "α_U",
    "token_category_kappa": "κ_j",
    "token_specific_agreement": "Specific",
}


def _short_legend(keys: list[str]) -> str:
    """One line naming the metrics behind the short column headers."""
    parts = [f"{_SHORT_NAMES[k]} = {METRIC_INFO[k].name}" for k in keys if k in _SHORT_NAMES]
    return "  " + "; ".join(parts)


def _agreement_chance(metric: Metric) -> tuple[str, bool]:
    """("observed / expected", whether those are disagreements) of one metric."""
    if metric.observed_disagreement is not None or metric.expected_disagreement is not None:
        observed = format_value(metric.observed_disagreement, significant=True)
        expected = format_value(metric.expected_disagreement, significant=True)
        return f"D {observed} / {expected}", True
    if metric.observed_agreement is None and metric.expected_agreement is None:
        return "", False
    observed = format_value(metric.observed_agreement)
    expected = format_value(metric.expected_agreement)
    return f"{observed} / {expected}", False


# --------------------------------------------------------------------------- curation
# (spanlab curate, spanlab agreement --against gold)


def curation_summary(report: CurationReport, *, listed: int = 20) -> None:
    """Per document: what a merge put into gold and what it left for a person."""
    who = ", ".join(report.annotators) or "none"
    rule = "started" if report.include_unfinished else "marked done"
    out(f"Strategy: {report.strategy} (annotators: {who}; layers of documents they {rule})")
    if report.dry_run:
        out("Dry run: nothing was changed.")
    verb = "would merge" if report.dry_run else "merged"
    for document in report.documents:
        head = f"#{document.document_id} {_short_title(document.title)}"
        preview = document.preview
        if document.skipped is not None or preview is None:
            out(f"{head}: skipped ({document.skipped})")
            continue
        reasons = ", ".join(
            f"{count} {reason.display_name}" for reason, count in preview.left_by_reason().items()
        )
        line = (
            f"{head}: {verb} {len(preview.spans)} span(s), {len(preview.relations)} "
            f"relation(s), {len(preview.entities)} entity group(s); left for a person: "
            f"{len(preview.left)}" + (f" ({reasons})" if reasons else "")
        )
        if preview.overruled:
            line += f"; overruled: {preview.overruled}"
        out(line)
        if preview.removed_spans or preview.removed_entities:
            out(
                f"  replaced the gold layer: {len(preview.removed_spans)} span(s), "
                f"{len(preview.removed_relations)} relation(s), "
                f"{len(preview.removed_entities)} entity group(s) deleted first"
            )
        for note in preview.notes:
            out(f"  note: {note}")
        for item in preview.left[:listed]:
            out(f"  at {item.position}: {item.kind.value} {item.what}: {item.detail}")
        if len(preview.left) > listed:
            out(f"  ... and {len(preview.left) - listed} more (see the curation view)")
    out(
        f"Total: {verb} {report.spans} span(s), {report.relations} relation(s) and "
        f"{report.entities} entity group(s) in {report.curated} document(s); left for a "
        f"person: {report.left}; skipped: {report.skipped} document(s)."
    )


def _short_title(title: str, width: int = 50) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def gold_quality_table(report: GoldQualityReport) -> None:
    """Each annotator against gold: precision, recall, F1 overall, per label and type."""
    _stdout.print(Text(f"Project: {report.project}"))
    _stdout.print(Text("Reference: gold"))
    if report.labels is not None:
        _stdout.print(Text(f"Labels: {', '.join(report.labels)}"))
    _stdout.print(Text(report.summary[:1].upper() + report.summary[1:], style="bold"))
    overall = Table(title="Quality against gold", title_justify="left")
    for column in ("Annotator", "Measure"):
        overall.add_column(column, no_wrap=True)
    for column in ("Gold", "Theirs", "Match", "P", "R", "F1"):
        overall.add_column(column, justify="right")
    notes: list[str] = []
    for quality in report.annotators:
        measures = [
            ("span exact", quality.spans["exact"]),
            ("span overlap", quality.spans["overlap"]),
            ("rel strict", quality.relations["strict"]),
            ("rel lenient", quality.relations["lenient"]),
        ]
        for position, (measure, score) in enumerate(measures):
            overall.add_row(
                Text(quality.name if position == 0 else ""),
                measure,
                str(score.count_a),
                str(score.count_b),
                f"{score.credit:g}",
                format_value(score.precision),
                format_value(score.recall),
                format_value(score.value),
                end_section=position == len(measures) - 1,
            )
        if quality.spans["exact"].reason:
            notes.append(f"  {quality.name}: {quality.spans['exact'].reason}")
    _stdout.print(overall)
    out("  P = precision (match / theirs), R = recall (match / gold's).")
    out(
        "  Documents compared: "
        + ", ".join(f"{q.name} {len(q.documents)}" for q in report.annotators)
    )
    if notes:
        out("Undefined:")
        for note in notes:
            out(note)
    labels = Table(title="Per label (spans; P, R, F1 exact)", title_justify="left")
    for column in ("Label", "Annotator"):
        labels.add_column(column, no_wrap=True)
    for column in ("Gold", "Theirs", "P", "R", "F1", "F1 overlap"):
        labels.add_column(column, justify="right")
    for quality in report.annotators:
        for label, scores in quality.per_label.items():
            exact = scores["exact"]
            labels.add_row(
                Text(label),
                Text(quality.name),
                str(exact.count_a),
                str(exact.count_b),
                format_value(exact.precision),
                format_value(exact.recall),
                format_value(exact.value),
                format_value(scores["overlap"].value),
            )
    if labels.row_count:
        _stdout.print(labels)
    types = Table(title="Per relation type (P, R, F1 strict)", title_justify="left")
    for column in ("Type", "Annotator"):
        types.add_column(column, no_wrap=True)
    for column in ("Gold", "Theirs", "P", "R", "F1", "F1 lenient"):
        types.add_column(column, justify="right")
    for quality in report.annotators:
        for kind, scores in quality.per_type.items():
            strict = scores["strict"]
            types.add_row(
                Text(kind),
                Text(quality.name),
                str(strict.count_a),
                str(strict.count_b),
                format_value(strict.precision),
                format_value(strict.recall),
                format_value(strict.value),
                format_value(scores["lenient"].value),
            )
    if types.row_count:
        _stdout.print(types)


# --------------------------------------------------------------------------- team work


def people_table(people: Sequence[Person]) -> None:
    """People, their roles and database logins."""
    table = Table(title="People", title_justify="left")
    for column in ("Name", "Role", "Database login"):
        table.add_column(column)
    for person in people:
        role = "gold layer" if person.name == GOLD_ANNOTATOR else person.role.value
        table.add_row(Text(person.name), role, Text(person.login or "-"))
    _stdout.print(table)


def assignment_table(counts: Mapping[str, int], documents: int) -> None:
    """Assigned documents per annotator."""
    if not counts:
        out(f"No assignments yet ({documents} document(s)).")
        return
    table = Table(title=f"Assignments ({documents} document(s))", title_justify="left")
    table.add_column("Annotator")
    table.add_column("Documents", justify="right")
    for name, count in counts.items():
        table.add_row(Text(name), str(count))
    _stdout.print(table)


def assignment_summary(report: AssignmentReport) -> None:
    """What ``spanlab assign`` did, then the per-annotator totals."""
    if report.removed:
        out(f"Removed {report.removed} assignment(s).")
    else:
        out(f"Assigned {report.added} document(s); {report.already} already assigned.")
    for name, count in report.per_annotator:
        out(f"  {name}: {count} document(s)")


def checkout_summary(report: CheckoutReport) -> None:
    """What ``spanlab checkout`` wrote."""
    out(
        f"Checked out {report.documents} document(s) for {report.annotator} "
        f"({report.spans} span(s), {report.relations} relation(s)) to {report.path}."
    )
    out("Work on it with SpanLab, close SpanLab, then hand the file back for 'spanlab merge'.")


def merge_summary(report: MergeReport, *, listed: int = 20) -> None:
    """Merged / unchanged / conflicts / refused, then the documents that need attention."""
    out(
        f"Merged {report.merged} document(s) of {report.annotator}; {report.unchanged} "
        f"unchanged; {report.conflicts} conflict(s); {report.refused} refused."
    )
    for item in [d for d in report.documents if d.outcome.value == "merged"][:listed]:
        out(f"  merged: {item.title} ({item.spans} span(s), {item.relations} relation(s))")
    for item in [d for d in report.documents if d.outcome.value in ("conflict", "refused")]:
        warn(f"  {item.outcome.value}: {item.title}: {item.reason}")
