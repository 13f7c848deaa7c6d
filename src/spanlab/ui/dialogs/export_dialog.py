"""File › Export: choose a format and what to export, run it in the background, summarise.

The dialog builds an :class:`ExportSelection` and :class:`ExportOptions` and calls
:func:`spanlab.core.exporting.export_project`, the same function as ``spanlab export``,
on a worker thread with its own connection to the project.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.errors import SpanLabError
from spanlab.core.exporting import (
    DocumentChoice,
    ExportMode,
    ExportSelection,
    default_out_dir,
    export_project,
)
from spanlab.core.formats import registry
from spanlab.core.formats.base import (
    Alignment,
    ExportOptions,
    ExportReport,
    Feature,
    Tokenizer,
)
from spanlab.core.formats.tokens import SCHEMES
from spanlab.core.project import Project
from spanlab.ui.dialogs.single_window import show_single
from spanlab.ui.jobs import Job, JobContext
from spanlab.ui.session import ProjectSession
from spanlab.ui.widgets.job_controls import JobControls

ExportRunner = Callable[..., ExportReport]
"""``export_project``'s signature; tests may wrap it."""

TOKEN_FORMATS = frozenset({"conll", "hf", "spacy", "tacred", "docred", "xmi"})
"""Formats that tokenize (tokenizer and alignment apply)."""
SCHEME_FORMATS = frozenset({"conll", "hf"})
"""Formats that write tag sequences (the tagging scheme applies)."""
ONE_FILE_CHOICE = frozenset({"jsonl", "conll", "doccano", "labelstudio"})
"""Formats that can write one file or one file per document."""

ONE_ANNOTATOR, EACH_ANNOTATOR, ALL_TOGETHER, GOLD_ONLY = "one", "each", "merged", "gold"
EXAMPLES_SHOWN = 10


def format_summary(name: str) -> tuple[str, str]:
    """A format's one-line description and what it cannot carry."""
    try:
        exporter = registry.exporter(name)
    except (SpanLabError, ImportError) as exc:
        return f"{name} (unavailable: {exc})", ""
    missing = [f.value for f in Feature if f not in exporter.carries]
    return exporter.description, ", ".join(missing)


def describe_export(report: ExportReport) -> str:
    """The summary shown after an export, as simple HTML."""
    esc = html.escape
    if report.cancelled:
        return "<p><b>Export cancelled:</b> nothing was written.</p>"
    if report.failed is not None:
        return f"<p><b>Nothing was written:</b> {esc(report.failed)}</p>"
    parts = [
        f"<p><b>Exported {report.documents} document(s), {report.spans} span(s), "
        f"{report.relations} relation(s)</b> in {esc(report.format)} to "
        f"{esc(str(report.out_dir))}.</p>",
        f"<p>{len(report.files)} file(s) written:</p><ul>",
    ]
    base = report.out_dir
    for path in report.files[:EXAMPLES_SHOWN]:
        shown = path.relative_to(base) if base is not None and path.is_relative_to(base) else path
        parts.append(f"<li>{esc(str(shown))}</li>")
    if len(report.files) > EXAMPLES_SHOWN:
        parts.append(f"<li>… and {len(report.files) - EXAMPLES_SHOWN} more</li>")
    parts.append("</ul>")
    if report.left_out:
        parts.append("<p><b>Left out:</b></p><ul>")
        for reason, count in report.left_out.most_common():
            parts.append(f"<li>{count} {esc(reason)}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>Nothing was left out.</p>")
    if report.misaligned:
        parts.append(
            f"<p><b>{report.misaligned} span(s) did not align with the tokens</b>, e.g.:</p><ul>"
        )
        parts.extend(f"<li>{esc(e)}</li>" for e in report.misaligned_examples)
        parts.append("</ul>")
    if report.notes:
        parts.append("<p>Notes:</p><ul>")
        parts.extend(f"<li>{esc(n)}</li>" for n in report.notes)
        parts.append("</ul>")
    return "".join(parts)


def run_export(
    context: JobContext,
    url: str,
    runner: ExportRunner,
    kwargs: dict[str, Any],
) -> ExportReport:
    """Export on a worker thread with the job's own connection to the project."""
    with Project.open(url) as project:
        return runner(project, progress=context.progress, cancel=context.cancelled, **kwargs)


class ExportDialog(QDialog):
    """Export options, a progress bar with Cancel, and the summary of the last export."""

    def __init__(
        self,
        session: ProjectSession,
        parent: QWidget | None = None,
        *,
        runner: ExportRunner = export_project,
    ) -> None:
        """Options for the session's project (which must be open)."""
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.resize(640, 640)
        project = session.project
        if project is None:
            raise SpanLabError("open a project first")
        self._url = project.url
        self._project_name = project.name
        self._base = project.path.parent if project.path is not None else Path.cwd()
        self._runner = runner
        self.report: ExportReport | None = None
        self._out_edited = False
        annotators = session.annotator_names()

        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        for name in registry.export_formats():
            self.format.addItem(name, name)
        self.format_info = QLabel(self)
        self.format_info.setObjectName("exportFormatInfo")
        self.format_info.setWordWrap(True)
        self.out_dir = QLineEdit(self)
        self.out_dir.setObjectName("exportOutDir")
        browse = QPushButton("&Browse…", self)
        self.force = QCheckBox("Replace files in a non-empty folder", self)
        self.force.setObjectName("exportForce")
        self.mode = QComboBox(self)
        self.mode.setObjectName("exportMode")
        self.mode.addItem("One annotator", ONE_ANNOTATOR)
        self.mode.addItem("Each annotator separately", EACH_ANNOTATOR)
        self.mode.addItem("All annotators together", ALL_TOGETHER)
        self.mode.addItem("Gold only", GOLD_ONLY)
        self.annotator = QComboBox(self)
        self.annotator.setObjectName("exportAnnotator")
        self.annotator.addItems(annotators)
        if session.annotator_name in annotators:
            self.annotator.setCurrentText(session.annotator_name or "")
        self.all_documents = QComboBox(self)
        self.all_documents.setObjectName("exportDocuments")
        self.all_documents.addItem("Only documents marked done", DocumentChoice.DONE.value)
        self.all_documents.addItem("All documents", DocumentChoice.ALL.value)
        self.split = QCheckBox("Split into train/dev/test", self)
        self.split.setObjectName("exportSplit")
        self.ratios = [self._ratio(v) for v in (0.8, 0.1, 0.1)]
        self.seed = QSpinBox(self)
        self.seed.setObjectName("exportSeed")
        self.seed.setRange(0, 2_000_000_000)
        self.per_document = QComboBox(self)
        self.per_document.setObjectName("exportLayout")
        self.per_document.addItem("One file", True)
        self.per_document.addItem("One file per document", False)
        self.tokenizer = QComboBox(self)
        self.tokenizer.setObjectName("exportTokenizer")
        self.tokenizer.addItem("SpanLab", Tokenizer.SPANLAB.value)
        self.tokenizer.addItem("spaCy", Tokenizer.SPACY.value)
        self.alignment = QComboBox(self)
        self.alignment.setObjectName("exportAlignment")
        self.alignment.addItem("Expand to whole tokens", Alignment.EXPAND.value)
        self.alignment.addItem("Contract to tokens inside", Alignment.CONTRACT.value)
        self.alignment.addItem("Refuse the export", Alignment.REFUSE.value)
        self.scheme = QComboBox(self)
        self.scheme.setObjectName("exportScheme")
        self.scheme.addItems(list(SCHEMES))
        self.scheme.setCurrentText("IOB2")

        out_row = QHBoxLayout()
        out_row.addWidget(self.out_dir, 1)
        out_row.addWidget(browse)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split)
        for ratio in self.ratios:
            split_row.addWidget(ratio)
        split_row.addWidget(QLabel("seed", self))
        split_row.addWidget(self.seed)
        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("", self.format_info)
        form.addRow("Output folder:", out_row)
        form.addRow("", self.force)
        form.addRow("&Annotations:", self.mode)
        form.addRow("Annotator:", self.annotator)
        form.addRow("&Documents:", self.all_documents)
        form.addRow("Split:", split_row)
        form.addRow("Files:", self.per_document)
        form.addRow("&Tokenizer:", self.tokenizer)
        form.addRow("A&lignment:", self.alignment)
        form.addRow("Tagging &scheme:", self.scheme)

        self.jobs = JobControls(self, run_text="&Export", name="export")
        self.progress = self.jobs.progress
        self.export_button = self.jobs.run_button
        self.cancel_button = self.jobs.cancel_button
        self.summary = QTextBrowser(self)
        self.summary.setObjectName("exportSummary")
        self.summary.setOpenLinks(False)
        close = QPushButton("Close", self)
        buttons = self.jobs.button_row(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 1)
        layout.addLayout(buttons)

        self.format.currentIndexChanged.connect(self._format_changed)
        self.mode.currentIndexChanged.connect(self._update_enabled)
        self.split.toggled.connect(self._update_enabled)
        self.out_dir.textEdited.connect(self._mark_edited)
        browse.clicked.connect(self._browse)
        self.export_button.clicked.connect(self.start)
        close.clicked.connect(self.close)
        self._format_changed()

    @property
    def job(self) -> Job[ExportReport] | None:
        """The running or last export, if any."""
        return self.jobs.job

    def _ratio(self, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(0.0, 1.0)
        box.setSingleStep(0.05)
        box.setDecimals(2)
        box.setValue(value)
        return box

    # ------------------------------------------------------------------ options
    def _mark_edited(self) -> None:
        self._out_edited = True

    def set_out_dir(self, path: str | Path) -> None:
        """Use ``path`` as the output folder (kept when the format changes)."""
        self.out_dir.setText(str(path))
        self._out_edited = True

    def set_format(self, name: str) -> None:
        """Choose a format by name."""
        self.format.setCurrentIndex(self.format.findData(name))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to folder", self.out_dir.text())
        if folder:
            self.set_out_dir(folder)

    def _format_changed(self) -> None:
        name = self.format_name()
        description, missing = format_summary(name)
        text = description + (f"\nCannot carry: {missing}." if missing else "\nCarries everything.")
        self.format_info.setText(text)
        if not self._out_edited:
            self.out_dir.setText(str(self._base / default_out_dir(self._project_name, name)))
        self._update_enabled()

    def _update_enabled(self) -> None:
        name = self.format_name()
        self.annotator.setEnabled(self.mode.currentData() == ONE_ANNOTATOR)
        for ratio in self.ratios:
            ratio.setEnabled(self.split.isChecked())
        self.seed.setEnabled(self.split.isChecked())
        self.per_document.setEnabled(name in ONE_FILE_CHOICE)
        self.tokenizer.setEnabled(name in TOKEN_FORMATS)
        self.alignment.setEnabled(name in TOKEN_FORMATS)
        self.scheme.setEnabled(name in SCHEME_FORMATS)

    def format_name(self) -> str:
        """The chosen format."""
        return str(self.format.currentData())

    def selection(self) -> ExportSelection:
        """What to export, as chosen."""
        mode = self.mode.currentData()
        annotators: tuple[str, ...] | None = None
        export_mode = ExportMode.MERGED
        if mode == ONE_ANNOTATOR:
            annotators = (self.annotator.currentText(),) if self.annotator.currentText() else ()
        elif mode == EACH_ANNOTATOR:
            export_mode = ExportMode.PER_ANNOTATOR
        elif mode == GOLD_ONLY:
            export_mode = ExportMode.GOLD
        split = tuple(r.value() for r in self.ratios) if self.split.isChecked() else None
        return ExportSelection(
            annotators=annotators,
            mode=export_mode,
            documents=DocumentChoice(self.all_documents.currentData()),
            split=split,  # type: ignore[arg-type]
            seed=self.seed.value(),
        )

    def options(self) -> ExportOptions:
        """Format options, as chosen."""
        return ExportOptions(
            alignment=Alignment(self.alignment.currentData()),
            tokenizer=Tokenizer(self.tokenizer.currentData()),
            one_file=bool(self.per_document.currentData()),
            scheme=self.scheme.currentText(),
        )

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Start the export in the background (ignored while one runs)."""
        if self.jobs.running:
            return
        if self.mode.currentData() == ONE_ANNOTATOR and not self.annotator.currentText():
            self.summary.setHtml("<p><b>Choose an annotator</b> (the project has none yet).</p>")
            return
        text = self.out_dir.text().strip()
        kwargs: dict[str, Any] = {
            "format": self.format_name(),
            "out_dir": Path(text) if text else None,
            "selection": self.selection(),
            "options": self.options(),
            "force": self.force.isChecked(),
        }
        url, runner = self._url, self._runner
        self.report = None
        self.summary.setHtml("<p>Exporting…</p>")
        self.jobs.start(
            lambda context: run_export(context, url, runner, kwargs),
            on_success=self._finished,
            on_error=self._failed,
        )

    def cancel(self) -> None:
        """Ask a running export to stop (nothing is written then)."""
        self.jobs.cancel()

    def _finished(self, report: ExportReport) -> None:
        self.report = report
        self.summary.setHtml(describe_export(report))

    def _failed(self, message: str) -> None:
        self.summary.setHtml(f"<p><b>Export failed:</b> {html.escape(message)}</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing cancels a running export."""
        self.cancel()
        super().closeEvent(event)


def open_export_dialog(session: ProjectSession, parent: QWidget) -> ExportDialog | None:
    """Show the (single, non-modal) export dialog of ``parent``; None without a project."""

    def create() -> ExportDialog:
        dialog = ExportDialog(session, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        return dialog

    return show_single(ExportDialog, session, parent, create)
