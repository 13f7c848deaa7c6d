"""File › Import Annotations: annotation files into the open project, in the background.

Calls :func:`spanlab.core.importing.annotated.import_annotated`, the same function as
``spanlab import`` for annotation files, on a worker thread with its own connection.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.changes import ChangeSet
from spanlab.core.errors import SpanLabError
from spanlab.core.formats.registry import import_formats
from spanlab.core.importing.annotated import AnnotatedImportReport, import_annotated
from spanlab.core.project import Project
from spanlab.ui.dialogs.path_list import PathListMixin
from spanlab.ui.dialogs.single_window import show_single
from spanlab.ui.jobs import Job, JobContext
from spanlab.ui.session import ProjectSession
from spanlab.ui.widgets.job_controls import JobControls

AUTO = "auto"
NAMES_ANNOTATOR = frozenset({"jsonl", "spacy", "doccano", "labelstudio"})
"""Formats whose files say whose annotations they are (others need a name)."""
PROBLEMS_SHOWN = 20


def describe_import(report: AnnotatedImportReport) -> str:
    """The summary shown after an import, as simple HTML."""
    esc = html.escape
    if report.cancelled:
        return "<p><b>Import cancelled.</b> Files imported before stay imported.</p>"
    imported = report.imported_files
    parts = [
        f"<p><b>Imported {len(imported)} of {len(report.files)} file(s):</b> "
        f"{report.total('documents')} document(s), {report.total('spans')} span(s), "
        f"{report.total('relations')} relation(s).</p>"
    ]
    if report.labels_added:
        parts.append(f"<p>Labels added: {esc(', '.join(report.labels_added))}</p>")
    skipped = [f for f in report.files if not f.imported]
    if skipped:
        parts.append("<p><b>Skipped:</b></p><ul>")
        for result in skipped:
            reasons = "; ".join(str(p) for p in result.problems[:3]) or "not imported"
            parts.append(f"<li>{esc(str(result.path))}: {esc(reasons)}</li>")
        parts.append("</ul>")
    problems = report.problems
    if problems and not skipped:
        parts.append("<p>Problems:</p><ul>")
        parts.extend(f"<li>{esc(str(p))}</li>" for p in problems[:PROBLEMS_SHOWN])
        parts.append("</ul>")
    if report.ignored:
        parts.append(f"<p>{len(report.ignored)} file(s) in folders hold no annotations.</p>")
    notes = report.notes
    if notes:
        parts.append("<p>Notes:</p><ul>")
        parts.extend(f"<li>{esc(n)}</li>" for n in notes[:PROBLEMS_SHOWN])
        parts.append("</ul>")
    return "".join(parts)


def run_annotated_import(
    context: JobContext, url: str, kwargs: dict[str, Any]
) -> AnnotatedImportReport:
    """Import on a worker thread with the job's own connection to the project."""
    with Project.open(url) as project:
        return import_annotated(
            project, progress=context.progress, cancel=context.cancelled, **kwargs
        )


class ImportAnnotationsDialog(PathListMixin, QDialog):
    """Files or folders, format, annotator and options; progress, Cancel and a summary."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        """Options for the session's project (which must be open)."""
        super().__init__(parent)
        self.setObjectName("importAnnotationsDialog")
        self.setWindowTitle("Import Annotations")
        self.resize(600, 560)
        project = session.project
        if project is None:
            raise SpanLabError("open a project first")
        self._session = session
        self._url = project.url
        self._folder = str(project.path.parent) if project.path is not None else ""
        self.report: AnnotatedImportReport | None = None

        self.paths = QListWidget(self)
        self.paths.setObjectName("importAnnotationsPaths")
        add_files = QPushButton("Add &Files…", self)
        add_folder = QPushButton("Add F&older…", self)
        remove = QPushButton("&Remove", self)
        self.format = QComboBox(self)
        self.format.setObjectName("importAnnotationsFormat")
        self.format.addItem("Detect from each file", AUTO)
        for name in import_formats():
            self.format.addItem(name, name)
        self.annotator = QLineEdit(self)
        self.annotator.setObjectName("importAnnotationsAnnotator")
        self.annotator_hint = QLabel(self)
        self.annotator_hint.setWordWrap(True)
        self.add_labels = QCheckBox("Add labels the schema does not have yet", self)
        self.add_labels.setObjectName("importAnnotationsAddLabels")
        self.replace = QCheckBox("Replace the annotator's earlier annotations", self)
        self.replace.setObjectName("importAnnotationsReplace")
        self.all_or_nothing = QCheckBox("Import nothing if any file has a problem", self)
        self.all_or_nothing.setObjectName("importAnnotationsAllOrNothing")
        self.jobs = JobControls(
            self,
            run_text="&Import",
            name="importAnnotations",
            describe_current=lambda current: Path(current).name,
        )
        self.progress = self.jobs.progress
        self.import_button = self.jobs.run_button
        self.cancel_button = self.jobs.cancel_button
        self.summary = QTextBrowser(self)
        self.summary.setObjectName("importAnnotationsSummary")
        close = QPushButton("Close", self)

        row = QHBoxLayout()
        for button in (add_files, add_folder, remove):
            row.addWidget(button)
        row.addStretch(1)
        form = QFormLayout()
        form.addRow("F&ormat:", self.format)
        form.addRow("&Annotator:", self.annotator)
        form.addRow("", self.annotator_hint)
        form.addRow("", self.add_labels)
        form.addRow("", self.replace)
        form.addRow("", self.all_or_nothing)
        buttons = self.jobs.button_row(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.paths, 1)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 1)
        layout.addLayout(buttons)

        add_files.clicked.connect(self._add_files)
        add_folder.clicked.connect(self._add_folder)
        remove.clicked.connect(self._remove)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.import_button.clicked.connect(self.start)
        close.clicked.connect(self.close)
        self._format_changed()

    @property
    def job(self) -> Job[AnnotatedImportReport] | None:
        """The running or last import, if any."""
        return self.jobs.job

    # ------------------------------------------------------------------ inputs
    def _add_files(self) -> None:
        self._pick_files(self, "Annotation files")

    def _add_folder(self) -> None:
        self._pick_folder(self, "Folder of annotation files")

    def set_format(self, name: str) -> None:
        """Choose a format by name (``auto`` detects it per file)."""
        self.format.setCurrentIndex(self.format.findData(name))

    def annotator_required(self) -> bool:
        """Whether the chosen format needs an annotator name from the user."""
        name = self.format.currentData()
        return name != AUTO and name not in NAMES_ANNOTATOR

    def _format_changed(self) -> None:
        if self.annotator_required():
            self.annotator_hint.setText("Required: these files do not say whose they are.")
        else:
            self.annotator_hint.setText(
                "Used where the files do not name the annotator (optional)."
            )

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Start the import in the background (ignored while one runs)."""
        if self.jobs.running:
            return
        paths = self.selected_paths()
        annotator = self.annotator.text().strip() or None
        if not paths:
            self.summary.setHtml("<p><b>Add files or folders to import.</b></p>")
            return
        if annotator is None and self.annotator_required():
            self.summary.setHtml("<p><b>Enter the annotator</b> these annotations belong to.</p>")
            return
        fmt = self.format.currentData()
        kwargs: dict[str, Any] = {
            "paths": [Path(p) for p in paths],
            "format": None if fmt == AUTO else fmt,
            "annotator": annotator,
            "add_labels": self.add_labels.isChecked(),
            "all_or_nothing": self.all_or_nothing.isChecked(),
            "replace": self.replace.isChecked(),
        }
        url = self._url
        self.report = None
        self.summary.setHtml("<p>Importing…</p>")
        self.jobs.start(
            lambda context: run_annotated_import(context, url, kwargs),
            on_success=self._finished,
            on_error=self._failed,
        )

    def cancel(self) -> None:
        """Ask a running import to stop between files."""
        self.jobs.cancel()

    def _finished(self, report: AnnotatedImportReport) -> None:
        self.report = report
        self.summary.setHtml(describe_import(report))
        if report.imported_files:
            self._session.publish(
                ChangeSet(schema_changed=bool(report.labels_added), documents_changed=True)
            )

    def _failed(self, message: str) -> None:
        self.summary.setHtml(f"<p><b>Import failed:</b> {html.escape(message)}</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing cancels a running import."""
        self.cancel()
        super().closeEvent(event)


def open_import_annotations_dialog(
    session: ProjectSession, parent: QWidget
) -> ImportAnnotationsDialog | None:
    """Show the (single, non-modal) import dialog of ``parent``; None without a project."""
    return show_single(
        ImportAnnotationsDialog, session, parent, lambda: ImportAnnotationsDialog(session, parent)
    )
