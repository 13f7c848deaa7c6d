"""Project › Agreement: matrices, per-label table, confusion, documents by disagreement.

The report comes from :func:`spanlab.core.agreement_report.compute_agreement` (the same
as ``spanlab agreement``), computed on a worker thread. Clicking a matrix cell or a
document lists the disagreeing spans; "Side by Side" opens both annotators' versions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.agreement_report import (
    LABEL_METRICS,
    METRIC_INFO,
    PAIR_METRICS,
    AgreementReport,
    AgreementRequest,
    Disagreement,
    compute_agreement,
    disagreements,
    format_value,
)
from spanlab.core.errors import SpanLabError
from spanlab.core.project import Project
from spanlab.ui.dashboard.charts import Heatmap, value_colour
from spanlab.ui.dashboard.quality import GoldQualityPanel
from spanlab.ui.dashboard.side_by_side import SideBySideDialog, describe_disagreement
from spanlab.ui.jobs import Job, JobContext, run_job
from spanlab.ui.session import ProjectSession

DOCUMENTS_SCANNED = 50
"""Documents searched for a pair's disagreements after a matrix click."""


def load_report(context: JobContext, url: str, request: AgreementRequest) -> AgreementReport:
    """Compute the report on a worker thread with the job's own connection."""
    with Project.open(url) as project:
        return compute_agreement(project, request, progress=context.progress)


def _item(text: str, value: float | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if value is not None:
        item.setBackground(value_colour(value))
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class AgreementDashboard(QDialog):
    """The agreement report of the open project, for triage and the way into curation."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        """Widgets for the session's project (filled by :meth:`refresh`)."""
        super().__init__(parent)
        self.setObjectName("agreementDashboard")
        self.setWindowTitle("Agreement")
        self.resize(1200, 800)
        self._session = session
        self.report: AgreementReport | None = None
        self.job: Job[AgreementReport] | None = None
        self.pair: tuple[str, str] | None = None
        self.items: list[Disagreement] = []
        self.side_by_side: SideBySideDialog | None = None

        self.status = QLabel("Computing…", self)
        self.status.setObjectName("agreementStatus")
        self.metric_combo = QComboBox(self)
        self.metric_combo.setObjectName("agreementMetric")
        for key in PAIR_METRICS:
            self.metric_combo.addItem(METRIC_INFO[key].name, key)
        self.definition = QLabel(self)
        self.definition.setObjectName("agreementDefinition")
        self.definition.setWordWrap(True)
        self.documents_used = QLabel(self)
        self.documents_used.setObjectName("agreementDocumentsUsed")
        self.heatmap = Heatmap(self)
        self.labels = QTableWidget(self)
        self.labels.setObjectName("agreementPerLabel")
        self.confusion_pair = QComboBox(self)
        self.confusion_pair.setObjectName("agreementConfusionPair")
        self.confusion = QTableWidget(self)
        self.confusion.setObjectName("agreementConfusion")
        self.documents = QTableWidget(self)
        self.documents.setObjectName("agreementDocuments")
        self.documents.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.documents.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.disagreement_list = QListWidget(self)
        self.disagreement_list.setObjectName("agreementDisagreements")
        self.pair_label = QLabel(self)
        self.side_button = QPushButton("Side by &Side…", self)
        self.side_button.setObjectName("agreementSideBySide")
        self.side_button.setEnabled(False)
        refresh = QPushButton("&Recompute", self)

        top = QHBoxLayout()
        top.addWidget(QLabel("Metric:", self))
        top.addWidget(self.metric_combo, 1)
        top.addWidget(refresh)
        matrix_box = QGroupBox("Annotator × annotator", self)
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.addLayout(top)
        matrix_layout.addWidget(self.definition)
        matrix_layout.addWidget(self.documents_used)
        matrix_layout.addWidget(self.heatmap, 1)
        label_box = QGroupBox("Per label", self)
        QVBoxLayout(label_box).addWidget(self.labels)
        confusion_box = QGroupBox("Confusion", self)
        confusion_layout = QVBoxLayout(confusion_box)
        confusion_layout.addWidget(self.confusion_pair)
        confusion_layout.addWidget(self.confusion)
        documents_box = QGroupBox("Documents by disagreement", self)
        QVBoxLayout(documents_box).addWidget(self.documents)
        spans_box = QGroupBox("Disagreeing spans", self)
        spans_layout = QVBoxLayout(spans_box)
        spans_layout.addWidget(self.pair_label)
        spans_layout.addWidget(self.disagreement_list)
        spans_layout.addWidget(self.side_button)
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.addWidget(self.status, 0, 0, 1, 3)
        grid.addWidget(matrix_box, 1, 0)
        grid.addWidget(label_box, 1, 1)
        grid.addWidget(confusion_box, 1, 2)
        grid.addWidget(documents_box, 2, 0, 1, 2)
        grid.addWidget(spans_box, 2, 2)
        self.quality = GoldQualityPanel(session, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("agreementTabs")
        self.tabs.addTab(page, "&Agreement")
        self.tabs.addTab(self.quality, "Quality against &gold")
        QVBoxLayout(self).addWidget(self.tabs)

        self.metric_combo.currentIndexChanged.connect(self._show_matrix)
        refresh.clicked.connect(self.refresh)
        self.heatmap.cell_clicked.connect(self.select_cell)
        self.documents.currentCellChanged.connect(lambda row, *_: self.select_document(row))
        self.documents.cellDoubleClicked.connect(lambda *_: self.open_side_by_side())
        self.side_button.clicked.connect(self.open_side_by_side)
        self.confusion_pair.activated.connect(self._confusion_pair_chosen)

    # ------------------------------------------------------------------ computing
    def refresh(self, confusion_pair: tuple[str, str] | None = None) -> None:
        """Recompute the report in the background."""
        project = self._session.project
        if project is None or (self.job is not None and self.job.running):
            return
        url = project.url
        if confusion_pair is None:
            self.quality.refresh()
        request = AgreementRequest(confusion_pair=confusion_pair or self.pair)
        self.status.setText("Computing agreement…")
        self.job = run_job(
            self,
            lambda context: load_report(context, url, request),
            on_success=self.show_report,
            on_error=lambda message: self.status.setText(f"Could not compute: {message}"),
        )

    def show_report(self, report: AgreementReport) -> None:
        """Fill every part from ``report``."""
        self.report = report
        self.status.setText(
            f"{report.project}: {len(report.annotators)} annotators, {report.documents.summary}"
        )
        if self.pair is None and len(report.annotators) >= 2:
            self.pair = (report.annotators[0], report.annotators[1])
        if report.confusion is not None:
            self.pair = (report.confusion.a, report.confusion.b)
        self._show_matrix()
        self._show_labels(report)
        self._show_confusion(report)
        self._show_documents(report)
        self._show_pair()

    def _show_matrix(self) -> None:
        report = self.report
        key = self.metric_key()
        info = METRIC_INFO[key]
        self.definition.setText(f"{info.definition}. Unit: {info.unit}.")
        if report is None:
            return
        self.heatmap.set_matrix(report.annotators, report.matrix(key))
        used = [p.metrics[key].documents_used for p in report.pairs if key in p.metrics] or [
            report.documents.used
        ]
        self.documents_used.setText(
            f"Documents used: {max(used)} of {report.documents.candidates} "
            f"({report.documents.rule.description})"
        )

    def metric_key(self) -> str:
        """The metric shown in the matrix."""
        return str(self.metric_combo.currentData())

    def set_metric(self, key: str) -> None:
        """Show another pair metric in the matrix."""
        self.metric_combo.setCurrentIndex(self.metric_combo.findData(key))

    def _show_labels(self, report: AgreementReport) -> None:
        headers = [f"{a} spans" for a in report.annotators] + [
            METRIC_INFO[k].name for k in LABEL_METRICS
        ]
        self.labels.clear()
        self.labels.setColumnCount(len(headers))
        self.labels.setHorizontalHeaderLabels(headers)
        self.labels.setRowCount(len(report.per_label))
        self.labels.setVerticalHeaderLabels([row.label for row in report.per_label])
        for r, row in enumerate(report.per_label):
            for c, name in enumerate(report.annotators):
                self.labels.setItem(r, c, _item(str(row.spans.get(name, 0))))
            for c, key in enumerate(LABEL_METRICS, start=len(report.annotators)):
                metric = row.metrics.get(key)
                value = metric.value if metric is not None else None
                item = _item(format_value(value), value)
                if metric is not None and metric.reason:
                    item.setToolTip(metric.reason)
                self.labels.setItem(r, c, item)
        self.labels.resizeColumnsToContents()

    def _show_confusion(self, report: AgreementReport) -> None:
        self.confusion_pair.clear()
        for pair in report.pairs:
            self.confusion_pair.addItem(f"{pair.a} × {pair.b}", (pair.a, pair.b))
        table = report.confusion
        self.confusion.clear()
        if table is None:
            self.confusion.setRowCount(0)
            self.confusion.setColumnCount(0)
            return
        self.confusion_pair.setCurrentIndex(
            max(0, self.confusion_pair.findText(f"{table.a} × {table.b}"))
        )
        self.confusion.setRowCount(len(table.rows))
        self.confusion.setColumnCount(len(table.columns))
        self.confusion.setVerticalHeaderLabels([f"{table.a}: {r}" for r in table.rows])
        self.confusion.setHorizontalHeaderLabels([f"{table.b}: {c}" for c in table.columns])
        for r, row in enumerate(table.counts):
            for c, count in enumerate(row):
                item = _item(str(count))
                if count:  # agreement (same label) green, confusion red
                    same = table.rows[r] == table.columns[c]
                    item.setBackground(value_colour(1.0 if same else 0.1))
                self.confusion.setItem(r, c, item)
        self.confusion.resizeColumnsToContents()

    def _confusion_pair_chosen(self, index: int) -> None:
        pair = self.confusion_pair.itemData(index)
        if pair:
            self.pair = (str(pair[0]), str(pair[1]))
            self.refresh(self.pair)

    def _show_documents(self, report: AgreementReport) -> None:
        rows = report.documents_by_disagreement
        self.documents.clear()
        self.documents.setColumnCount(3)
        self.documents.setHorizontalHeaderLabels(["Document", "Disagreements", "Span F1 (overlap)"])
        self.documents.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.documents.setItem(r, 0, _item(row.title))
            self.documents.setItem(r, 1, _item(str(row.disagreements)))
            self.documents.setItem(
                r, 2, _item(format_value(row.span_f1_overlap), row.span_f1_overlap)
            )
        self.documents.resizeColumnsToContents()

    # ------------------------------------------------------------------ disagreements
    def _show_pair(self) -> None:
        if self.pair is not None:
            self.pair_label.setText(f"{self.pair[0]} vs {self.pair[1]}")

    def select_cell(self, row: int, column: int) -> None:
        """A matrix cell: compare that pair, listing disagreements over the top documents."""
        report = self.report
        project = self._session.project
        if report is None or project is None:
            return
        self.pair = (report.annotators[row], report.annotators[column])
        self._show_pair()
        found: list[Disagreement] = []
        texts: dict[int, str] = {}
        for doc in report.documents_by_disagreement[:DOCUMENTS_SCANNED]:
            try:
                items = disagreements(project, doc.document_id, *self.pair)
            except SpanLabError as exc:
                self.status.setText(str(exc))
                return
            if items:
                texts[doc.document_id] = project.document(doc.document_id).text
            found.extend(items)
        self._list(found, texts, prefix=True)

    def select_document(self, row: int) -> None:
        """A document: list the current pair's disagreements on it."""
        report, project = self.report, self._session.project
        if report is None or project is None or self.pair is None:
            return
        if not 0 <= row < len(report.documents_by_disagreement):
            return
        doc = report.documents_by_disagreement[row]
        try:
            items = disagreements(project, doc.document_id, *self.pair)
        except SpanLabError as exc:
            self.status.setText(str(exc))
            return
        self._list(items, {doc.document_id: project.document(doc.document_id).text})
        self.side_button.setEnabled(True)

    def _list(self, items: list[Disagreement], texts: dict[int, str], prefix: bool = False) -> None:
        self.items = items
        self.disagreement_list.clear()
        titles = (
            {d.document_id: d.title for d in self.report.documents_by_disagreement}
            if (self.report)
            else {}
        )
        for item in items:
            line = describe_disagreement(item, texts.get(item.document_id, ""))
            if prefix:
                line = f"{titles.get(item.document_id, item.document_id)} · {line}"
            self.disagreement_list.addItem(line)

    def open_side_by_side(self) -> SideBySideDialog | None:
        """Both annotators' versions of the selected document, side by side."""
        report, project = self.report, self._session.project
        row = self.documents.currentRow()
        if report is None or project is None or self.pair is None or row < 0:
            return None
        doc = report.documents_by_disagreement[row]
        document = project.document(doc.document_id)
        a, b = self.pair
        ids = report.annotator_ids
        dialog = SideBySideDialog(
            title=doc.title,
            text=document.text,
            schema=project.schema(),
            names=(a, b),
            spans=(
                project.spans(doc.document_id, ids[a]),
                project.spans(doc.document_id, ids[b]),
            ),
            items=disagreements(project, doc.document_id, a, b),
            parent=self,
        )
        if self.side_by_side is not None:
            self.side_by_side.close()
            self.side_by_side.deleteLater()
        self.side_by_side = dialog
        dialog.show()
        return dialog
