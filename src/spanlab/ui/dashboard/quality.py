"""The agreement dashboard's "Quality against gold" tab: each annotator scored against gold.

Precision, recall and F1 per label (and over all spans and relations) come from
:func:`spanlab.core.curation.quality_against_gold`, the same numbers as
``spanlab agreement --against gold``, computed on a worker thread. Without a gold layer,
or before any document is curated, the tab says so instead of showing empty scores.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.agreement import F1Score
from spanlab.core.agreement_report import format_value
from spanlab.core.curation import GoldQualityReport, quality_against_gold
from spanlab.core.curation_quality import RELATION_MODES, SPAN_MODES
from spanlab.core.model import GOLD_ANNOTATOR
from spanlab.core.project import Project
from spanlab.ui.dashboard.charts import value_colour
from spanlab.ui.jobs import Job, JobContext, run_job
from spanlab.ui.session import ProjectSession

NO_GOLD = (
    "No gold standard yet, so there is nothing to score annotators against. Curate "
    "documents (Project › Curate Document…, Ctrl+Shift+C) and mark them curated; "
    "each annotator's precision, recall and F1 against gold then appear here."
)
NOT_CURATED = (
    "Gold exists, but no document is marked curated yet. Mark documents curated in "
    "the curation view (Ctrl+Enter), or tick “Include documents being curated”."
)
COLUMNS = ("Annotator", "Scope", "Precision", "Recall", "F1", "Correct", "Gold", "Annotated")
ALL_SPANS = "all spans"
ALL_RELATIONS = "all relations"


def load_quality(url: str, include_unfinished: bool) -> GoldQualityReport | None:
    """The report, or None when the project has no gold layer (runs on a worker thread)."""
    with Project.open(url) as project:
        if project.annotator(GOLD_ANNOTATOR) is None:
            return None
        return quality_against_gold(project, include_unfinished=include_unfinished)


def _cell(text: str, value: float | None = None, *, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if value is not None:
        item.setBackground(value_colour(value))
    if bold:
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
    return item


class GoldQualityPanel(QWidget):
    """Per-annotator precision, recall and F1 against gold, per label."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        """Widgets for the session's project (filled by :meth:`refresh`)."""
        super().__init__(parent)
        self.setObjectName("goldQuality")
        self._session = session
        self.report: GoldQualityReport | None = None
        self.job: Job[GoldQualityReport | None] | None = None
        self.note = QLabel("Computing…", self)
        self.note.setObjectName("goldQualityNote")
        self.note.setWordWrap(True)
        self.mode = QComboBox(self)
        self.mode.setObjectName("goldQualityMode")
        self.mode.addItem("Exact match (same offsets and label)", "exact")
        self.mode.addItem("Overlap (same label, overlapping)", "overlap")
        self.unfinished = QCheckBox("Include documents being curated", self)
        self.unfinished.setObjectName("goldQualityUnfinished")
        recompute = QPushButton("&Recompute", self)
        self.table = QTableWidget(self)
        self.table.setObjectName("goldQualityTable")
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Spans match by:", self))
        top.addWidget(self.mode, 1)
        top.addWidget(self.unfinished)
        top.addWidget(recompute)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.mode.currentIndexChanged.connect(lambda _i: self._show())
        self.unfinished.toggled.connect(lambda _c: self.refresh())
        recompute.clicked.connect(self.refresh)

    def refresh(self) -> None:
        """Recompute in the background."""
        project = self._session.project
        if project is None or (self.job is not None and self.job.running):
            return
        url, unfinished = project.url, self.unfinished.isChecked()
        self.note.setText("Computing quality against gold…")

        def work(_context: JobContext) -> GoldQualityReport | None:
            return load_quality(url, unfinished)

        self.job = run_job(
            self,
            work,
            on_success=self.show_report,
            on_error=lambda message: self.note.setText(f"Could not compute: {message}"),
        )

    def show_report(self, report: GoldQualityReport | None) -> None:
        """Show ``report`` (None: the project has no gold layer)."""
        self.report = report
        self._show()

    def span_mode(self) -> str:
        """``exact`` or ``overlap``."""
        return str(self.mode.currentData())

    def _show(self) -> None:
        report = self.report
        self.table.setRowCount(0)
        if report is None:
            self.note.setText(NO_GOLD)
            self.table.hide()
            return
        if not report.curated:
            self.note.setText(NOT_CURATED)
            self.table.hide()
            return
        self.table.show()
        mode = self.span_mode()
        relation_mode = RELATION_MODES[SPAN_MODES.index(mode)]
        self.note.setText(
            f"{report.summary}. Gold is the reference: precision = the annotator's spans "
            "that gold has too; recall = gold's spans the annotator found. Relations: "
            f"{relation_mode} ends."
        )
        rows: list[tuple[str, str, F1Score, bool]] = []
        for quality in report.annotators:
            rows.append((quality.name, ALL_SPANS, quality.spans[mode], True))
            rows.extend(_rows(quality.name, quality.per_label, mode))
            rows.append((quality.name, ALL_RELATIONS, quality.relations[relation_mode], True))
            rows.extend(_rows(quality.name, quality.per_type, relation_mode))
        self.table.setRowCount(len(rows))
        for r, (name, scope, score, total) in enumerate(rows):
            self.table.setItem(r, 0, _cell(name, bold=total))
            self.table.setItem(r, 1, _cell(scope, bold=total))
            for c, value in enumerate((score.precision, score.recall, score.value), start=2):
                item = _cell(format_value(value), value, bold=total)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if score.reason:
                    item.setToolTip(score.reason)
                self.table.setItem(r, c, item)
            for c, count in enumerate((score.credit, score.count_a, score.count_b), start=5):
                shown = f"{count:g}" if isinstance(count, float) else str(count)
                self.table.setItem(r, c, _cell(shown))
        self.table.resizeColumnsToContents()

    def row(self, annotator: str, scope: str) -> dict[str, str] | None:
        """The cells of one row by column name (for tests and screen readers)."""
        for r in range(self.table.rowCount()):
            name, where = self.table.item(r, 0), self.table.item(r, 1)
            if name is None or where is None or (name.text(), where.text()) != (annotator, scope):
                continue
            return {
                column: (cell.text() if (cell := self.table.item(r, c)) else "")
                for c, column in enumerate(COLUMNS)
            }
        return None


def _rows(
    name: str, scores: Mapping[str, Mapping[str, F1Score]], mode: str
) -> list[tuple[str, str, F1Score, bool]]:
    return [(name, scope, by_mode[mode], False) for scope, by_mode in sorted(scores.items())]
