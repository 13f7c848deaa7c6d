"""The document being labelled: its text and the current annotator's spans, kept in sync.

Views and the annotations model read the :class:`SpanIndex` from here and update from
the small :class:`SpanDelta` it emits, instead of reloading thousands of spans after
every edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from spanlab.core.changes import ChangeSet
from spanlab.core.errors import SpanLabError
from spanlab.core.model import Document, DocumentId, DocumentStatus, Span
from spanlab.core.snapping import TextSnapper
from spanlab.core.span_index import SpanIndex
from spanlab.ui.session import ProjectSession

FULL_RELOAD_THRESHOLD = 64
"""Changes touching more spans than this reload the document's spans in one query."""


@dataclass(frozen=True, slots=True)
class SpanDelta:
    """Spans added, removed and changed (before, after) in the open document."""

    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    updated: tuple[tuple[Span, Span], ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether nothing changed."""
        return not (self.added or self.removed or self.updated)


class OpenDocument(QObject):
    """The open document and the current annotator's spans on it.

    Signals:
        document_changed(): another document (or none) is open; rebuild everything.
        spans_changed(object): a :class:`SpanDelta` for the open document.
        status_changed(): the open document's status for the annotator changed.
    """

    document_changed = Signal()
    spans_changed = Signal(object)
    status_changed = Signal()

    def __init__(self, session: ProjectSession, parent: QObject | None = None) -> None:
        """Follow ``session``; no document is open yet."""
        super().__init__(parent)
        self._session = session
        self._document: Document | None = None
        self._index = SpanIndex()
        self._snapper = TextSnapper("")
        self._status = DocumentStatus.NEW
        session.annotations_changed.connect(self._on_annotations_changed)
        session.statuses_changed.connect(self._on_statuses_changed)
        session.schema_changed.connect(self.reload)
        session.project_changed.connect(self._on_project_changed)

    # ------------------------------------------------------------------ state
    @property
    def document(self) -> Document | None:
        """The open document."""
        return self._document

    @property
    def document_id(self) -> DocumentId | None:
        """Id of the open document."""
        return self._document.id if self._document is not None else None

    @property
    def text(self) -> str:
        """Its text ('' when none is open)."""
        return self._document.text if self._document is not None else ""

    @property
    def index(self) -> SpanIndex:
        """The annotator's spans on it, in text order."""
        return self._index

    @property
    def snapper(self) -> TextSnapper:
        """Token and grapheme boundaries of its text."""
        return self._snapper

    @property
    def status(self) -> DocumentStatus:
        """Its status for the current annotator."""
        return self._status

    # ------------------------------------------------------------------ loading
    def open(self, document_id: int | None) -> None:
        """Show another document (None closes it).

        Raises:
            SpanLabError: the document cannot be read.
        """
        project = self._session.project
        if document_id is None or project is None:
            self._set(None, [])
            return
        document = project.document(document_id)
        self._set(document, self._load_spans(document.id))

    def reload(self) -> None:
        """Re-read the open document's spans (annotator or schema changed)."""
        if self._document is None:
            return
        try:
            self._set(self._document, self._load_spans(self._document.id))
        except SpanLabError as exc:
            self._session.error_occurred.emit(str(exc))

    def _load_spans(self, document_id: int) -> list[Span]:
        project = self._session.project
        annotator = self._session.annotator
        if project is None or annotator is None:
            return []
        self._status = project.status(document_id, annotator.id).status
        return project.spans(document_id, annotator.id)

    def _set(self, document: Document | None, spans: list[Span]) -> None:
        if document is None:
            self._status = DocumentStatus.NEW
        if document is not self._document:
            self._snapper = TextSnapper(document.text if document is not None else "")
        self._document = document
        self._index = SpanIndex(spans)
        self.document_changed.emit()

    def _on_project_changed(self) -> None:
        self._set(None, [])

    # ------------------------------------------------------------------ changes
    def _on_annotations_changed(self, document_id: int, change: ChangeSet) -> None:
        if self._document is None or document_id != self._document.id:
            return
        touched = len(change.spans_added) + len(change.spans_removed) + len(change.spans_updated)
        try:
            if touched > FULL_RELOAD_THRESHOLD:
                delta = self._diff(self._load_spans(document_id))
            else:
                delta = self._apply(change)
        except SpanLabError as exc:
            self._session.error_occurred.emit(str(exc))
            return
        if not delta.is_empty:
            self.spans_changed.emit(delta)

    def _mine(self, span: Span) -> bool:
        annotator = self._session.annotator
        return (
            self._document is not None
            and span.document_id == self._document.id
            and annotator is not None
            and span.annotator_id == annotator.id
        )

    def _apply(self, change: ChangeSet) -> SpanDelta:
        project = self._session.project
        assert project is not None
        removed = [s for s in map(self._index.remove, change.spans_removed) if s is not None]
        added: list[Span] = []
        for span_id in change.spans_added:
            span = project.inserted_span(span_id) or project.span(span_id)
            if self._mine(span):
                self._index.add(span)
                added.append(span)
        updated: list[tuple[Span, Span]] = []
        for span_id in change.spans_updated:
            before = self._index.get(span_id)
            if before is None:
                continue
            after = project.span(span_id)
            self._index.add(after)
            updated.append((before, after))
        return SpanDelta(tuple(added), tuple(removed), tuple(updated))

    def _diff(self, spans: list[Span]) -> SpanDelta:
        """Bring the index (the same object views hold) up to ``spans``; return the delta."""
        old = {s.id: s for s in self._index}
        new = {s.id: s for s in spans}
        delta = SpanDelta(
            added=tuple(s for i, s in new.items() if i not in old),
            removed=tuple(s for i, s in old.items() if i not in new),
            updated=tuple((old[i], s) for i, s in new.items() if i in old and old[i] != s),
        )
        for span in delta.removed:
            self._index.remove(span.id)
        for span in delta.added:
            self._index.add(span)
        for _, after in delta.updated:
            self._index.add(after)
        return delta

    def _on_statuses_changed(self, keys: frozenset[tuple[int, int]]) -> None:
        project = self._session.project
        annotator = self._session.annotator
        if self._document is None or project is None or annotator is None:
            return
        if (self._document.id, annotator.id) not in keys:
            return
        try:
            self._status = project.status(self._document.id, annotator.id).status
        except SpanLabError as exc:
            self._session.error_occurred.emit(str(exc))
            return
        self.status_changed.emit()
