"""The relations of the open document and annotator, as a table (head, type, tail)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from spanlab.core.changes import ChangeSet
from spanlab.core.errors import SpanLabError
from spanlab.core.model import Relation, Span
from spanlab.ui.open_document import OpenDocument, SpanDelta
from spanlab.ui.session import ProjectSession

HEADERS = ("Head", "Type", "Tail")
RELATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class RelationRow:
    """One relation with its two spans (None when a span is not in the index)."""

    relation: Relation
    head: Span | None
    tail: Span | None


def span_text(span: Span | None) -> str:
    """``LABEL “text”`` for a table cell."""
    if span is None:
        return "?"
    text = " ".join(span.text.split())
    if len(text) > 40:
        text = text[:39] + "…"
    return f"{span.label} “{text}”"


class RelationModel(QAbstractTableModel):
    """Relations of the open document in the current annotator's layer, in head order.

    Signals:
        relations_changed(): the rows were reloaded (the arc overlay repaints).
    """

    relations_changed = Signal()

    def __init__(
        self, session: ProjectSession, document: OpenDocument, parent: QObject | None = None
    ) -> None:
        """Follow the session and the open document."""
        super().__init__(parent)
        self._session = session
        self._document = document
        self._rows: list[RelationRow] = []
        self._ends: set[int] = set()
        document.document_changed.connect(self.reload)
        document.spans_changed.connect(self._on_spans_changed)
        session.annotations_changed.connect(self._on_annotations_changed)

    # ------------------------------------------------------------------ data
    def rows(self) -> list[RelationRow]:
        """Every row, in table order."""
        return list(self._rows)

    def row_of(self, relation_id: int) -> int | None:
        """Row number of a relation, if listed."""
        return next((i for i, row in enumerate(self._rows) if row.relation.id == relation_id), None)

    def relation_at(self, row: int) -> RelationRow | None:
        """The row at ``row`` (None when out of range)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def reload(self) -> None:
        """Re-read the relations of the open document."""
        project, annotator = self._session.project, self._session.annotator
        document_id = self._document.document_id
        relations: list[Relation] = []
        if project is not None and annotator is not None and document_id is not None:
            try:
                relations = project.relations(document_id, annotator.id)
            except SpanLabError as exc:
                self._session.error_occurred.emit(str(exc))
        self._set_rows(relations)

    def _set_rows(self, relations: list[Relation]) -> None:
        index = self._document.index
        rows = [RelationRow(r, index.get(r.head_id), index.get(r.tail_id)) for r in relations]
        self._ends = {int(r.head_id) for r in relations} | {int(r.tail_id) for r in relations}
        rows.sort(key=lambda row: (row.head.start if row.head else -1, row.relation.id))
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
        self.relations_changed.emit()

    def _on_spans_changed(self, delta: SpanDelta) -> None:
        """Relabelled or moved ends: refresh the rows from the index (no query)."""
        touched = {int(s.id) for s in delta.removed} | {int(a.id) for _, a in delta.updated}
        if touched & self._ends:
            self._set_rows([row.relation for row in self._rows])

    def _on_annotations_changed(self, document_id: int, change: ChangeSet) -> None:
        if document_id != self._document.document_id:
            return
        if change.relations_added or change.relations_removed or change.relations_updated:
            self.reload()

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of relations."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Head, type, tail."""
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text, the relation id and tooltips."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return span_text(row.head)
            if column == 1:
                return row.relation.label
            return span_text(row.tail)
        if role == RELATION_ID_ROLE:
            return int(row.relation.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span_text(row.head)} —{row.relation.label}→ {span_text(row.tail)}"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None
