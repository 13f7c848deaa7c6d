"""The annotations panel: the open document's spans in text order, selection synced both ways."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRect, Qt, Signal
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
        self._changed_from: int | None = None
        self.selectionModel().currentRowChanged.connect(self._on_current_row)
        model.rows_settled.connect(self._lay_out_now)

    # ------------------------------------------------------------------ layout
    def _lay_out_now(self, first_row: int) -> None:
        """Lay rows out right after an edit, repainting only the rows that changed.

        Qt lays rows out on a zero-timer after every insertion or removal, then repaints
        the whole list: with the article repainted first, that is a second paint pass,
        and the rows above the edit are painted again for nothing.
        """
        self._changed_from = first_row
        try:
            self.executeDelayedItemsLayout()
        finally:
            self._changed_from = None

    def doItemsLayout(self) -> None:
        """Qt: lay rows out; after an edit, repaint from its first changed row down."""
        first = self._changed_from
        viewport = self.viewport()
        if first is None or not viewport.isVisible():
            super().doItemsLayout()
            return
        header = self.horizontalHeader()
        before = (viewport.size(), [header.sectionSize(i) for i in range(header.count())])
        flag = Qt.WidgetAttribute.WA_UpdatesDisabled
        viewport.setAttribute(flag, True)  # not setUpdatesEnabled: that repaints it all
        try:
            super().doItemsLayout()
        finally:
            viewport.setAttribute(flag, False)
        after = (viewport.size(), [header.sectionSize(i) for i in range(header.count())])
        rows = self._model.rowCount()
        if before != after or first <= 0 or rows == 0:
            viewport.update()
            return
        top = (
            self.rowViewportPosition(first)
            if first < rows
            else self.rowViewportPosition(rows - 1) + self.rowHeight(rows - 1)
        )
        height = viewport.height()
        if top < height:
            top = max(top, 0)
            viewport.update(QRect(0, top, viewport.width(), height - top))

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
