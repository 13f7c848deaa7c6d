"""Entities of the open document and annotator: canonical name, mention count, mentions."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from spanlab.core.changes import ChangeSet
from spanlab.core.errors import SpanLabError
from spanlab.core.model import Entity, Span
from spanlab.ui.models.relation_model import span_text
from spanlab.ui.open_document import OpenDocument, SpanDelta
from spanlab.ui.session import ProjectSession

ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 2


class EntityModel(QStandardItemModel):
    """Top-level rows are entities (name editable, mention count); children are mentions.

    Signals:
        rename_requested(int, str): the user edited an entity's name in place.
    """

    rename_requested = Signal(int, str)

    def __init__(
        self, session: ProjectSession, document: OpenDocument, parent: QObject | None = None
    ) -> None:
        """Follow the session and the open document."""
        super().__init__(parent)
        self._session = session
        self._document = document
        self._entities: list[tuple[Entity, list[Span]]] = []
        self._loading = False
        self.setHorizontalHeaderLabels(["Entity / mention", "Mentions"])
        document.document_changed.connect(self.reload)
        document.spans_changed.connect(self._on_spans_changed)
        session.annotations_changed.connect(self._on_annotations_changed)
        self.itemChanged.connect(self._on_item_changed)

    def entities(self) -> list[tuple[Entity, list[Span]]]:
        """The entities listed, with their mentions."""
        return list(self._entities)

    def entity_row(self, entity_id: int) -> int | None:
        """Row of an entity."""
        return next((i for i, (e, _) in enumerate(self._entities) if e.id == entity_id), None)

    def reload(self) -> None:
        """Re-read the entities of the open document."""
        project, annotator = self._session.project, self._session.annotator
        document_id = self._document.document_id
        entities: list[tuple[Entity, list[Span]]] = []
        if project is not None and annotator is not None and document_id is not None:
            try:
                entities = _mentions(project.entities(document_id, annotator.id), self._document)
            except SpanLabError as exc:
                self._session.error_occurred.emit(str(exc))
        self._loading = True
        try:
            self.removeRows(0, self.rowCount())
            for entity, mentions in entities:
                name = QStandardItem(entity.name)
                name.setData(int(entity.id), ENTITY_ID_ROLE)
                name.setToolTip("Double-click (or F2) to rename")
                count = QStandardItem(str(len(mentions)))
                count.setEditable(False)
                count.setData(int(entity.id), ENTITY_ID_ROLE)
                for span in mentions:
                    child = QStandardItem(span_text(span))
                    child.setEditable(False)
                    child.setData(int(entity.id), ENTITY_ID_ROLE)
                    child.setData(int(span.id), SPAN_ID_ROLE)
                    spacer = QStandardItem("")
                    spacer.setEditable(False)
                    name.appendRow([child, spacer])
                self.appendRow([name, count])
            self._entities = entities
        finally:
            self._loading = False

    def _on_spans_changed(self, delta: SpanDelta) -> None:
        spans = [*delta.added, *delta.removed, *(s for pair in delta.updated for s in pair)]
        if any(span.entity_id is not None for span in spans):
            self.reload()

    def _on_annotations_changed(self, document_id: int, change: ChangeSet) -> None:
        if document_id == self._document.document_id and change.entities_changed:
            self.reload()

    def _on_item_changed(self, item: QStandardItem) -> None:
        if self._loading or item.parent() is not None or item.column() != 0:
            return
        entity_id = item.data(ENTITY_ID_ROLE)
        if entity_id is None:
            return
        row = self.entity_row(int(entity_id))
        old = self._entities[row][0].name if row is not None else ""
        if item.text() != old:
            self.rename_requested.emit(int(entity_id), item.text())


def _mentions(entities: list[Entity], document: OpenDocument) -> list[tuple[Entity, list[Span]]]:
    """Entities with their mentions from the open document's span index (no query).

    The same order as :func:`spanlab.core.entities.entity_mentions`: by first mention,
    entities without mentions last.
    """
    if not entities:
        return []
    grouped: dict[int, list[Span]] = {int(entity.id): [] for entity in entities}
    for span in document.index:
        if span.entity_id is not None and int(span.entity_id) in grouped:
            grouped[int(span.entity_id)].append(span)
    pairs = [(entity, grouped[int(entity.id)]) for entity in entities]
    pairs.sort(key=lambda pair: (not pair[1], pair[1][0].start if pair[1] else 0, pair[0].id))
    return pairs
