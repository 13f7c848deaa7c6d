"""The open document's spans in text order, updated row by row from span deltas."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
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
    """Rows are spans of the open document (current annotator only), in text order.

    Signals:
        rows_settled(int): one edit's rows were inserted, removed or moved; the lowest
            row touched (rows above it did not change). Views may lay out now, once.
    """

    rows_settled = Signal(int)

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
        index = self._document.index
        self._rows = list(index)
        self._keys = index.keys()
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
        """Insert, remove, change or move single rows: views keep selection and scrolling."""
        touched = [self._remove(span) for span in delta.removed]
        touched += [self._update(before, after) for before, after in delta.updated]
        touched += [self._insert(span) for span in delta.added]
        moved = [row for row in touched if row is not None]
        if moved:
            self.rows_settled.emit(min(moved))

    def _find(self, span: Span) -> int | None:
        """Row of ``span`` as listed (by its key when it was listed)."""
        row = bisect_left(self._keys, text_order_key(span))
        return row if row < len(self._rows) and self._rows[row].id == span.id else None

    def _remove(self, span: Span) -> int | None:
        """Remove a span's row; return the row (None if it was not listed)."""
        row = self._find(span)
        if row is None:
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._keys[row]
        self.endRemoveRows()
        return row

    def _insert(self, span: Span) -> int:
        """Insert a span's row; return the row."""
        key = text_order_key(span)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, span)
        self._keys.insert(row, key)
        self.endInsertRows()
        return row

    def _update(self, before: Span, after: Span) -> int | None:
        """Change a row in place, or move it when its text position changed.

        A move (not a removal and an insertion) keeps a selected row selected. Returns
        the first row that moved (None when the row changed in place).
        """
        row = self._find(before)
        if row is None:
            return self._insert(after)
        key = text_order_key(after)
        target = bisect_left(self._keys, key)
        if target > row:  # counted without the row itself
            target -= 1
        moved: int | None = None
        if target != row:
            destination = target if target < row else target + 1
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
            del self._rows[row]
            del self._keys[row]
            self._rows.insert(target, after)
            self._keys.insert(target, key)
            self.endMoveRows()
            moved = min(row, target)
        else:
            self._rows[row] = after
            self._keys[row] = key
        self.dataChanged.emit(self.index(target, 0), self.index(target, self.OFFSETS))
        return moved
