"""Opening documents: the list, next/previous, mark done and next, reopen, positions kept."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject

from spanlab.core.changes import ChangeSet
from spanlab.core.commands import SetStatus
from spanlab.core.errors import SpanLabError
from spanlab.core.model import DocumentId, DocumentStatus
from spanlab.core.navigation import neighbour, next_unfinished, position_of
from spanlab.core.project import Project
from spanlab.ui.main_window import MainWindow
from spanlab.ui.models.document_list_model import STATUS_COLOUR, STATUS_TEXT, DocumentListModel
from spanlab.ui.open_document import OpenDocument, SpanDelta
from spanlab.ui.prompts import Prompts
from spanlab.ui.session import ProjectSession
from spanlab.ui.settings import AppSettings
from spanlab.ui.views.label_style import LabelStyles


class DocumentController(QObject):
    """Decides which document is open and keeps the view, list and status bar on it."""

    def __init__(
        self,
        *,
        session: ProjectSession,
        document: OpenDocument,
        documents: DocumentListModel,
        window: MainWindow,
        settings: AppSettings,
        prompts: Prompts,
    ) -> None:
        """Wire the document list, the open document and the view."""
        super().__init__(window)
        self._session = session
        self._named: Project | None = None
        self._name = ""
        self._document = document
        self._documents = documents
        self._window = window
        self._settings = settings
        self._prompts = prompts
        self._shown: int | None = None
        view = window.document_view
        document.document_changed.connect(self._on_document_changed)
        document.spans_changed.connect(self._on_spans_changed)
        document.status_changed.connect(self._update_labels)
        session.schema_changed.connect(self._update_styles)
        session.project_changed.connect(self._update_styles)
        session.project_changed.connect(lambda: self.restore_position(force=True))
        session.annotator_changed.connect(self._on_annotator_changed)
        session.change_applied.connect(self._on_change_applied)
        session.documents_changed.connect(self._on_documents_added)
        session.save_state_changed.connect(window.status.set_saved)
        documents.modelReset.connect(self._update_labels)
        window.document_panel.document_activated.connect(self.open)
        view.current_span_changed.connect(lambda _id: self._update_labels())

    # ------------------------------------------------------------------ opening
    def open(self, document_id: int | None, *, force: bool = False) -> None:
        """Open a document (None: none); errors are shown, never raised."""
        if not force and document_id is not None and document_id == self._document.document_id:
            return
        try:
            self._document.open(document_id)
        except SpanLabError as exc:
            self._prompts.error(self._window, "Cannot open the document", str(exc))

    def restore_position(self, *, force: bool = False) -> None:
        """Open where the current annotator left off (else the first not done)."""
        project = self._session.project
        name = self._session.annotator_name
        ids = self._documents.document_ids()
        if project is None or not ids:
            self.open(None)
            return
        last = self._settings.last_document(project.url, name) if name else None
        if last is not None and last in ids:
            target: int | None = last
        else:
            target = next_unfinished(ids, self._documents.statuses(), None) or ids[0]
        self.open(target, force=force)

    def _on_documents_added(self) -> None:
        """After an import into an empty project, open the first new document."""
        if self._document.document is None:
            self.restore_position()
        else:
            self._update_labels()

    def _on_annotator_changed(self) -> None:
        self._window.status.set_annotator(self._session.annotator_name)
        if self._session.project is not None:
            self.restore_position(force=True)

    # ------------------------------------------------------------------ moving
    def _order(self) -> list[DocumentId]:
        visible = [DocumentId(i) for i in self._window.document_panel.visible_document_ids()]
        current = self._document.document_id
        if current is None or current in visible:
            return visible
        return self._documents.document_ids()

    def next_document(self) -> None:
        """The next document in the (filtered) list."""
        self._step(1)

    def previous_document(self) -> None:
        """The previous document in the (filtered) list."""
        self._step(-1)

    def _step(self, step: int) -> None:
        target = neighbour(self._order(), self._document.document_id, step=step)
        if target is None:
            self._window.status.show_message(
                "This is the last document" if step > 0 else "This is the first document"
            )
            return
        self.open(target)

    def mark_done(self) -> None:
        """Mark the open document done and open the next one not done."""
        annotator = self._session.annotator
        current = self._document.document_id
        if annotator is None or current is None:
            return
        order = self._order()
        if not self._session.run(SetStatus(current, annotator.id, DocumentStatus.DONE)):
            return
        target = next_unfinished(order, self._documents.statuses(), current)
        if target is None:
            self._window.status.show_message("Marked done. Every document is done!")
            return
        self._window.status.show_message("Marked done")
        self.open(target)

    def reopen(self) -> None:
        """Set the open document back to in progress."""
        annotator = self._session.annotator
        current = self._document.document_id
        if annotator is None or current is None:
            return
        if self._document.status is not DocumentStatus.DONE:
            self._window.status.show_message("This document is not done")
            return
        if self._session.run(SetStatus(current, annotator.id, DocumentStatus.IN_PROGRESS)):
            self._window.status.show_message("Reopened")

    def _on_change_applied(self, change: ChangeSet, replay: bool) -> None:
        """After undo or redo, show the document the change touched."""
        if not replay:
            return
        touched = set(change.documents) | {document for document, _ in change.statuses}
        current = self._document.document_id
        if len(touched) == 1 and current not in touched:
            self.open(next(iter(touched)))

    # ------------------------------------------------------------------ view updates
    def _on_document_changed(self) -> None:
        doc = self._document.document
        view = self._window.document_view
        same = doc is not None and doc.id == self._shown
        scroll = view.verticalScrollBar().value()
        view.load(self._document.text, self._document.index, self._document.snapper)
        if same:  # reloaded (schema or annotator changed): stay where the reader was
            view.verticalScrollBar().setValue(scroll)
        self._shown = doc.id if doc is not None else None
        self._window.document_panel.show_document(doc.id if doc is not None else None)
        project = self._session.project
        name = self._session.annotator_name
        if doc is not None and project is not None and name:
            self._settings.set_last_document(project.url, name, doc.id)
        self._update_labels()

    def _on_spans_changed(self, delta: SpanDelta) -> None:
        changed = [*delta.added, *delta.removed]
        for before, after in delta.updated:
            changed.extend((before, after))
        self._window.document_view.refresh_spans(changed)
        self._update_labels()

    def _update_styles(self) -> None:
        project = self._session.project
        try:
            schema = project.schema() if project is not None else None
        except SpanLabError as exc:
            self._window.status.show_message(str(exc))
            schema = None
        self._window.document_view.set_styles(LabelStyles(schema))
        self._update_labels()

    def _project_name(self, project: Project) -> str:
        """The project's name, read once per opened project (it is asked after every edit)."""
        if self._named is not project:
            self._named, self._name = project, project.name
        return self._name

    def _update_labels(self) -> None:
        """Window title, header line and status bar fields."""
        window = self._window
        project = self._session.project
        doc = self._document.document
        status = self._document.status if doc is not None else None
        window.status.set_annotator(self._session.annotator_name)
        position, total = position_of(self._documents.document_ids(), self._document.document_id)
        window.status.set_position(position, total)
        window.status.set_document_status(status)
        if project is None:
            window.setWindowTitle("SpanLab")
            window.set_header("")
            return
        name = self._project_name(project)
        window.setWindowTitle(f"{name} — SpanLab")
        if doc is None or status is None:
            window.set_header(f"<b>{html.escape(name)}</b>: no document open")
            return
        count = len(self._document.index)
        window.set_header(
            f"<span style='font-size:13pt; font-weight:600'>{html.escape(doc.title)}</span>"
            # One breaking space: a long title wraps before the status, never inside it.
            f" &nbsp;<span style='color:{STATUS_COLOUR[status].name()}'>●&nbsp;"
            f"{STATUS_TEXT[status]}</span>&nbsp;&nbsp;"
            f"<span style='color:#6B7280'>{count}&nbsp;span{'s' if count != 1 else ''}</span>"
        )
