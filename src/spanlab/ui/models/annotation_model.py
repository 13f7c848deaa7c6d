"""The open document's spans in text order, updated row by row from span deltas."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from spanlab.core.model import Span
from spanlab.core.schema import Schema
from spanlab.core.span_index import text_order_key
from spanlab.ui.open_document import OpenDocument, SpanDelta
from spanlab.ui.session import ProjectSession

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        SPAN_ID_ROLE,
    }
)


class AnnotationModel(QAbstractTableModel):
    """Rows are spans of the open document (current annotator only), in text order."""

    LABEL, TEXT, OFFSETS = range(3)
    HEADERS = ("Label", "Text", "Offsets")

    def __init__(
        self, session: ProjectSession, document: OpenDocument, parent: QObject | None = None
    ) -> None:
        """Follow ``document`` (and the schema for label colours)."""
        super().__init__(parent)
        self._session = session
        self._document = document
        self._rows: list[Span] = []
        self._keys: list[tuple[int, int, int]] = []
        self._colours: dict[str, QColor] = {}
        document.document_changed.connect(self.reload)
        document.spans_changed.connect(self._on_spans_changed)
        session.schema_changed.connect(self._on_schema_changed)
        session.project_changed.connect(self._on_schema_changed)

    def reload(self) -> None:
        """Take all spans from the open document."""
        self.beginResetModel()
        self._rows = list(self._document.index)
        self._keys = [text_order_key(s) for s in self._rows]
        self.endResetModel()

    def _on_schema_changed(self) -> None:
        project = self._session.project
        schema: Schema | None = project.schema() if project is not None else None
        self._colours = (
            {label.name: QColor(label.colour) for label in schema.labels} if schema else {}
        )
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    # ------------------------------------------------------------------ queries
    def span_at(self, row: int) -> Span:
        """The span at ``row``."""
        return self._rows[row]

    def row_of(self, span_id: int) -> int | None:
        """Row of a span, if listed (a binary search by its text position)."""
        span = self._document.index.get(span_id)
        if span is None:
            return None
        row = bisect_left(self._keys, text_order_key(span))
        if row < len(self._rows) and self._rows[row].id == span_id:
            return row
        return None

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Qt: spans."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Qt: label, text, offsets."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Qt: column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt: cell contents (asked for every visible cell and role on each repaint)."""
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        span = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return span.label
            if column == self.TEXT:
                return " ".join(span.text.split())
            if column == self.OFFSETS:
                return f"{span.start}–{span.end}"
        elif role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            return self._colours.get(span.label, QColor("#D9D9D9"))
        elif role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.label}: {span.text}"
        elif role == SPAN_ID_ROLE:
            return int(span.id)
        return None

    # ------------------------------------------------------------------ updates
    def _on_spans_changed(self, delta: SpanDelta) -> None:
        for span in delta.removed:
            self._remove(span)
        for before, after in delta.updated:
            if text_order_key(before) == text_order_key(after):
                row = bisect_left(self._keys, text_order_key(before))
                if row < len(self._rows) and self._rows[row].id == before.id:
                    self._rows[row] = after
                    self.dataChanged.emit(self.index(row, 0), self.index(row, self.OFFSETS))
                    continue
            self._remove(before)
            self._insert(after)
        for span in delta.added:
            self._insert(span)

    def _remove(self, span: Span) -> None:
        row = bisect_left(self._keys, text_order_key(span))
        if row >= len(self._rows) or self._rows[row].id != span.id:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._keys[row]
        self.endRemoveRows()

    def _insert(self, span: Span) -> None:
        key = text_order_key(span)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, span)
        self._keys.insert(row, key)
        self.endInsertRows()
