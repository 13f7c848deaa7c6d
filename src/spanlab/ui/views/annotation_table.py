"""The annotations panel: the open document's spans in text order, selection synced both ways."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from spanlab.ui.models.annotation_model import SPAN_ID_ROLE, AnnotationModel


class AnnotationTable(QTableView):
    """Lists spans; choosing one asks the article view to select and show it.

    Signals:
        span_activated(int): the user moved to a span in the list.
    """

    span_activated = Signal(int)

    def __init__(self, model: AnnotationModel, parent: QWidget | None = None) -> None:
        """Show ``model``."""
        super().__init__(parent)
        self.setObjectName("annotationTable")
        self._model = model
        self._following = False
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        # Fixed sizes: "resize to contents" would ask every one of thousands of rows for
        # its size hint after each edit (a QTreeView measured slower still on inserts).
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(22)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 128)
        header.resizeSection(2, 90)
        self.selectionModel().currentRowChanged.connect(self._on_current_row)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following or not current.isValid():
            return
        self.span_activated.emit(int(current.data(SPAN_ID_ROLE)))

    def show_span(self, span_id: int) -> None:
        """Select a span's row (or nothing for -1) without re-emitting activation."""
        self._following = True
        try:
            row = self._model.row_of(span_id) if span_id >= 0 else None
            selection = self.selectionModel()
            if row is None:
                selection.clearSelection()
                return
            index = self._model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)
        finally:
            self._following = False

    def current_span_id(self) -> int | None:
        """The span of the current row."""
        index = self.currentIndex()
        return int(index.data(SPAN_ID_ROLE)) if index.isValid() else None
