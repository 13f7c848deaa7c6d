"""Documents with the current annotator's status and span count, and a status/text filter."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from spanlab.core.changes import ChangeSet
from spanlab.core.curation import CurationState, curation_states
from spanlab.core.errors import SpanLabError
from spanlab.core.model import (
    GOLD_ANNOTATOR,
    AnnotatorId,
    DocumentId,
    DocumentStatus,
    DocumentSummary,
)
from spanlab.ui.models.team_info import TeamInfo
from spanlab.ui.session import ProjectSession

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
CURATION_ROLE = Qt.ItemDataRole.UserRole + 30
"""The document's curation state (``CurationState`` value)."""
FEW_ADDED = 16
"""Up to this many added spans are checked one by one; more recount the project."""
ASSIGNED_ROLE = Qt.ItemDataRole.UserRole + 20
"""Whether the document is assigned to the current annotator (bool)."""
ASSIGNED_COLOUR = QColor("#1D4ED8")


@cache
def assigned_marker() -> QIcon:
    """A small blue dot before the titles of the documents assigned to the annotator."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ASSIGNED_COLOUR)
    painter.drawEllipse(4, 4, 8, 8)
    painter.end()
    return QIcon(pixmap)


STATUS_TEXT = {
    DocumentStatus.NEW: "new",
    DocumentStatus.IN_PROGRESS: "in progress",
    DocumentStatus.DONE: "done",
}
STATUS_COLOUR = {
    DocumentStatus.NEW: QColor("#6B7280"),
    DocumentStatus.IN_PROGRESS: QColor("#B45309"),
    DocumentStatus.DONE: QColor("#15803D"),
}
_Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    """One row per document in project order: title, status, spans (for the annotator)."""

    TITLE, STATUS, SPANS, TEAM = range(4)
    HEADERS = ("Title", "Status", "Spans", "Team")

    def __init__(self, session: ProjectSession, parent: QObject | None = None) -> None:
        """Follow ``session``."""
        super().__init__(parent)
        self._session = session
        self._rows: list[DocumentSummary] = []
        self._row_of: dict[DocumentId, int] = {}
        self._statuses: dict[DocumentId, DocumentStatus] = {}
        self._counts: dict[DocumentId, int] = {}
        self._curation: dict[DocumentId, CurationState] = {}
        self._team = TeamInfo()
        session.project_changed.connect(self.reload)
        session.documents_changed.connect(self.reload)
        session.annotator_changed.connect(self.reload)
        session.statuses_changed.connect(self._on_statuses_changed)
        session.annotations_changed.connect(self._on_annotations_changed)

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        """Re-read documents, statuses and counts."""
        self.beginResetModel()
        try:
            self._load()
        except SpanLabError as exc:
            self._rows, self._statuses, self._counts = [], {}, {}
            self._team = TeamInfo()
            self._session.error_occurred.emit(str(exc))
        self._row_of = {doc.id: row for row, doc in enumerate(self._rows)}
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read everything after other people's changes, keeping the view's selection
        and scroll position: a reset only when documents came or went."""
        before = [doc.id for doc in self._rows]
        try:
            self._load()
        except SpanLabError as exc:
            self._session.error_occurred.emit(str(exc))
            return
        if [doc.id for doc in self._rows] != before:
            self.reload()
            return
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self.HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def refresh_team(self, annotators: Collection[AnnotatorId]) -> None:
        """Only other people's layers changed: re-read their statuses for the Team column."""
        project = self._session.project
        if project is None or not self._rows:
            return
        try:
            self._team = self._team.updated(project, annotators)
        except SpanLabError as exc:
            self._session.error_occurred.emit(str(exc))
            return
        last = self.index(len(self._rows) - 1, self.TEAM)
        self.dataChanged.emit(self.index(0, self.TEAM), last)

    def _load(self) -> None:
        project = self._session.project
        annotator = self._session.annotator
        self._rows = project.documents() if project is not None else []
        self._statuses, self._counts = {}, {}
        if project is not None and annotator is not None:
            self._statuses = {r.document_id: r.status for r in project.statuses(annotator.id)}
            self._counts = project.span_counts(annotator.id)
        self._team = TeamInfo.load(project, annotator) if project is not None else TeamInfo()
        self._curation = curation_states(project) if project is not None else {}

    # ------------------------------------------------------------------ queries
    def document_ids(self) -> list[DocumentId]:
        """All document ids in project order."""
        return [doc.id for doc in self._rows]

    def row_of(self, document_id: int) -> int | None:
        """Row of a document, if listed."""
        return self._row_of.get(DocumentId(document_id))

    def status_of(self, document_id: int) -> DocumentStatus:
        """The annotator's status of a document."""
        return self._statuses.get(DocumentId(document_id), DocumentStatus.NEW)

    def statuses(self) -> dict[DocumentId, DocumentStatus]:
        """Statuses of every document with a record."""
        return dict(self._statuses)

    def summary(self, row: int) -> DocumentSummary:
        """The document at ``row``."""
        return self._rows[row]

    @property
    def team(self) -> TeamInfo:
        """Assignments and who finished what (for the Team column and the filter)."""
        return self._team

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Qt: documents (none under a parent)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Qt: title, status, spans."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Qt: column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt: cell contents."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        doc = self._rows[index.row()]
        status = self._statuses.get(doc.id, DocumentStatus.NEW)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                return doc.title
            if column == self.STATUS:
                return STATUS_TEXT[status]
            if column == self.SPANS:
                return self._counts.get(doc.id, 0)
            if column == self.TEAM:
                return self._team.cell(doc.id)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return f"{doc.title}\n{doc.source or ''}".strip()
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.TEAM:
            return self._team.tooltip(doc.id)
        elif role == Qt.ItemDataRole.DecorationRole and column == self.TITLE:
            return assigned_marker() if self._team.assigned_to_me(doc.id) else None
        elif role == CURATION_ROLE:
            return self.curation_state(doc.id).value
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.STATUS:
            return f"{STATUS_TEXT[status]} · curation: {self.curation_state(doc.id).display_name}"
        elif role == ASSIGNED_ROLE:
            return self._team.assigned_to_me(doc.id)
        elif role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            return STATUS_COLOUR[status]
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == self.SPANS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == DOCUMENT_ID_ROLE:
            return int(doc.id)
        elif role == STATUS_ROLE:
            return status.value
        return None

    # ------------------------------------------------------------------ updates
    def curation_state(self, document_id: int) -> CurationState:
        """The document's curation state (gold's status)."""
        return self._curation.get(DocumentId(document_id), CurationState.NOT_STARTED)

    def _on_curation_changed(self, keys: frozenset[tuple[int, int]]) -> None:
        """Gold's statuses are the curation states (for the curation filter)."""
        project = self._session.project
        gold = project.annotator(GOLD_ANNOTATOR) if project is not None else None
        if project is None or gold is None:
            return
        for document_id, annotator_id in keys:
            row = self._row_of.get(DocumentId(document_id))
            if annotator_id != gold.id or row is None:
                continue
            status = project.status(document_id, gold.id).status
            self._curation[DocumentId(document_id)] = CurationState.of(status)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def _on_statuses_changed(self, keys: frozenset[tuple[int, int]]) -> None:
        try:
            self._on_curation_changed(keys)
        except SpanLabError as exc:
            self._session.error_occurred.emit(str(exc))
        project = self._session.project
        annotator = self._session.annotator
        if project is None or annotator is None:
            return
        for document_id, annotator_id in keys:
            row = self._row_of.get(DocumentId(document_id))
            if annotator_id != annotator.id or row is None:
                continue
            try:
                status = project.status(document_id, annotator_id).status
            except SpanLabError as exc:
                self._session.error_occurred.emit(str(exc))
                return
            self._statuses[DocumentId(document_id)] = status
            cell = self.index(row, self.STATUS)
            self.dataChanged.emit(cell, cell)

    def _on_annotations_changed(self, document_id: int, change: ChangeSet) -> None:
        project = self._session.project
        annotator = self._session.annotator
        row = self._row_of.get(DocumentId(document_id))
        if project is None or annotator is None or row is None:
            return
        # Only the annotator's own spans count (a curator's gold edits are not theirs);
        # removed spans are gone from the store, so a removal recounts.
        few = len(change.documents) == 1 and not change.spans_removed
        try:
            if few and len(change.spans_added) <= FEW_ADDED:
                added = (project.inserted_span(s) or project.span(s) for s in change.spans_added)
                mine = [span for span in added if span.annotator_id == annotator.id]
                key = DocumentId(document_id)
                self._counts[key] = self._counts.get(key, 0) + len(mine)
            else:
                self._counts = project.span_counts(annotator.id)
        except SpanLabError as exc:
            self._session.error_occurred.emit(str(exc))
            return
        cell = self.index(row, self.SPANS)
        self.dataChanged.emit(cell, cell)


_CURATION = "curation:"


class StatusFilter:
    """Choices of the status filter."""

    ALL = "all"
    NOT_DONE = "not_done"
    CHOICES = (
        (ALL, "All documents"),
        (NOT_DONE, "Not done"),
        (DocumentStatus.NEW.value, "New"),
        (DocumentStatus.IN_PROGRESS.value, "In progress"),
        (DocumentStatus.DONE.value, "Done"),
        *((f"{_CURATION}{s.value}", f"Curation: {s.display_name}") for s in CurationState),
    )
    CURATION_PREFIX = _CURATION


class DocumentFilterModel(QSortFilterProxyModel):
    """Filters documents by status and by text in the title (case-insensitive)."""

    def __init__(self, parent: QObject | None = None) -> None:
        """Show everything until a filter is set."""
        super().__init__(parent)
        self._status = StatusFilter.ALL
        self._text = ""
        self._assigned_only = False

    def set_status_filter(self, status: str) -> None:
        """One of :class:`StatusFilter`'s choices."""
        self._change_filter(status=status)

    def set_text_filter(self, text: str) -> None:
        """Keep documents whose title contains ``text``."""
        self._change_filter(text=text.strip().casefold())

    def set_assigned_only(self, assigned_only: bool) -> None:
        """Keep only the documents assigned to the current annotator."""
        self._change_filter(assigned=assigned_only)

    @property
    def assigned_only(self) -> bool:
        """Whether only the current annotator's assignments are shown."""
        return self._assigned_only

    def _change_filter(
        self, *, status: str | None = None, text: str | None = None, assigned: bool | None = None
    ) -> None:
        # Qt 6.10 replaced invalidateRowsFilter() (deprecated, it warns) with this pair.
        modern = hasattr(self, "endFilterChange")
        if modern:
            self.beginFilterChange()
        if status is not None:
            self._status = status
        if text is not None:
            self._text = text
        if assigned is not None:
            self._assigned_only = assigned
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - PySide6 < 6.10
            self.invalidateRowsFilter()

    def document_ids(self) -> list[DocumentId]:
        """Ids of the documents shown, in order."""
        return [
            DocumentId(self.index(row, 0).data(DOCUMENT_ID_ROLE)) for row in range(self.rowCount())
        ]

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        """Qt: status and title filters."""
        source = self.sourceModel()
        index = source.index(source_row, 0, source_parent)
        status = index.data(STATUS_ROLE)
        if self._assigned_only and not index.data(ASSIGNED_ROLE):
            return False
        if self._status == StatusFilter.NOT_DONE and status == DocumentStatus.DONE.value:
            return False
        if self._status.startswith(StatusFilter.CURATION_PREFIX):
            wanted = self._status.removeprefix(StatusFilter.CURATION_PREFIX)
            if index.data(CURATION_ROLE) != wanted:
                return False
        elif (
            self._status not in (StatusFilter.ALL, StatusFilter.NOT_DONE) and status != self._status
        ):
            return False
        if self._text:
            title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            return self._text in title.casefold()
        return True
