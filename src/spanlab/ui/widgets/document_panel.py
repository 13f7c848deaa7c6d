"""The document list: filter by status and title, one row per document."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from spanlab.ui.models.document_list_model import (
    DOCUMENT_ID_ROLE,
    DocumentFilterModel,
    DocumentListModel,
    StatusFilter,
)


class DocumentPanel(QWidget):
    """Filters and the document table.

    Signals:
        document_activated(int): the user picked a document (click, Enter, arrows).
    """

    document_activated = Signal(int)

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None) -> None:
        """Show ``model`` through a filter."""
        super().__init__(parent)
        self.setObjectName("documentPanel")
        self.source = model
        self.proxy = DocumentFilterModel(self)
        self.proxy.setSourceModel(model)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        for value, text in StatusFilter.CHOICES:
            self.status_filter.addItem(text, value)
        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("textFilter")
        self.text_filter.setPlaceholderText("Filter titles")
        self.text_filter.setClearButtonEnabled(True)
        self.assigned_filter = QCheckBox("Assigned to me", self)
        self.assigned_filter.setObjectName("assignedFilter")
        self.assigned_filter.setToolTip("Show only the documents the lead assigned to you")
        self.assigned_filter.setVisible(False)
        self._assignment_viewer: tuple[str | None, str | None] | None = None
        self.table = QTableView(self)
        self.table.setObjectName("documentTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(22)
        header = self.table.horizontalHeader()  # fixed widths: no per-row size hints
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 84)
        header.resizeSection(2, 52)
        header.resizeSection(3, 100)
        self.empty = QLabel(
            "No documents yet.\nFile › Import Articles… or drop files on the window.", self
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.text_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.assigned_filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter)
        self.text_filter.textChanged.connect(self._on_text_filter)
        self.assigned_filter.toggled.connect(self._on_assigned_filter)
        model.modelReset.connect(self._sync_assigned_filter)
        model.dataChanged.connect(self._sync_assigned_filter)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.activated.connect(self._on_activated)
        self._following = False
        self._shown: int | None = None
        model.modelReset.connect(self._update_empty)
        model.modelReset.connect(lambda: self.show_document(self._shown))
        self._update_empty()

    def _update_empty(self) -> None:
        self.empty.setVisible(self.source.rowCount() == 0)

    def _on_status_filter(self, _row: int) -> None:
        self._refilter(lambda: self.proxy.set_status_filter(str(self.status_filter.currentData())))

    def _on_text_filter(self, text: str) -> None:
        self._refilter(lambda: self.proxy.set_text_filter(text))

    def _on_assigned_filter(self, checked: bool) -> None:
        self._refilter(lambda: self.proxy.set_assigned_only(checked))

    def _sync_assigned_filter(self) -> None:
        """Offered only to people with assignments; on by default for them (at opening,
        on switching annotator, and when the lead assigns them their first documents)."""
        team = self.source.team
        has = team.has_my_assignments
        first_look = team.viewer != self._assignment_viewer
        newly = has and self.assigned_filter.isHidden()
        self._assignment_viewer = team.viewer
        self.assigned_filter.setVisible(has)
        if not has:
            self.assigned_filter.setChecked(False)
        elif first_look or newly:
            self.assigned_filter.setChecked(True)

    def _refilter(self, change: Callable[[], None]) -> None:
        """Filtering never opens another document; the open one stays highlighted."""
        self._following = True
        try:
            change()
        finally:
            self._following = False
        self.show_document(self._shown)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following or not current.isValid():
            return
        self.document_activated.emit(int(current.data(DOCUMENT_ID_ROLE)))

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.document_activated.emit(int(index.data(DOCUMENT_ID_ROLE)))

    def show_document(self, document_id: int | None) -> None:
        """Highlight the open document's row (without re-emitting activation)."""
        self._shown = document_id
        self._following = True
        try:
            selection = self.table.selectionModel()
            row = self.source.row_of(document_id) if document_id is not None else None
            if row is None:
                selection.clearSelection()
                return
            index = self.proxy.mapFromSource(self.source.index(row, 0))
            if not index.isValid():
                selection.clearSelection()
                return
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        finally:
            self._following = False

    def visible_document_ids(self) -> list[int]:
        """Ids of the documents passing the filters, in order."""
        return [int(i) for i in self.proxy.document_ids()]
