"""Labelling actions: label or relabel with a hotkey, delete, walk spans, label all occurrences."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from spanlab.core.commands import AddSpan, RemoveSpans, UpdateSpan
from spanlab.core.errors import SpanLabError
from spanlab.core.model import Span
from spanlab.core.occurrences import (
    Occurrence,
    label_occurrences_command,
    occurrences_in_document,
    occurrences_in_project,
)
from spanlab.core.project import Project
from spanlab.ui.jobs import Job, JobContext, run_job
from spanlab.ui.open_document import OpenDocument
from spanlab.ui.prompts import Prompts
from spanlab.ui.session import ProjectSession
from spanlab.ui.views.annotation_table import AnnotationTable
from spanlab.ui.views.document_view import DocumentView
from spanlab.ui.widgets.status_bar import StatusBar

SELECT_FIRST = "Select some text first: drag, double-click, or Ctrl+Shift+→ from the cursor"


class LabellingController(QObject):
    """Turns labelling actions into core commands on the open document."""

    def __init__(
        self,
        *,
        session: ProjectSession,
        document: OpenDocument,
        view: DocumentView,
        table: AnnotationTable,
        status: StatusBar,
        prompts: Prompts,
        window: QWidget,
    ) -> None:
        """Wire the view and the annotations table to each other."""
        super().__init__(window)
        self._session = session
        self._document = document
        self._view = view
        self._table = table
        self._status = status
        self._prompts = prompts
        self._window = window
        self.search_job: Job[list[Occurrence]] | None = None
        view.current_span_changed.connect(table.show_span)
        table.span_activated.connect(view.select_span)

    def _context(self) -> tuple[int, int] | None:
        """(document id, annotator id) when labelling is possible."""
        annotator = self._session.annotator
        document_id = self._document.document_id
        if annotator is None or document_id is None or self._session.project is None:
            return None
        return int(document_id), int(annotator.id)

    def _target_span(self) -> Span | None:
        """The selected span, else the innermost span at the cursor."""
        span = self._view.current_span()
        if span is not None:
            return span
        spans = self._view.spans_at_cursor()
        return spans[0] if spans else None

    # ------------------------------------------------------------------ label
    def label(self, name: str) -> None:
        """Label the selection as ``name``, or relabel the span at the cursor."""
        context = self._context()
        if context is None:
            return
        document_id, annotator_id = context
        selection = self._view.selection_range()
        if selection is None:
            self._relabel(name)
            return
        start, end = selection
        same = self._document.index.exact(start, end)
        existing = next((s for s in same if s.label == name), None)
        if existing is not None:
            self._view.set_current_span(existing.id)
            self._status.show_message(f"“{existing.text}” is already {name}")
            return
        if same:
            if self._session.run(UpdateSpan(same[0].id, label=name)):
                self._view.set_current_span(same[0].id)
                self._status.show_message(f"Relabelled “{same[0].text}” as {name}")
            return
        command = AddSpan(document_id, annotator_id, name, start, end, self._defaults(name))
        if self._session.run(command) and command.span_id is not None:
            self._view.set_current_span(command.span_id)
            span = self._document.index.get(command.span_id)
            self._status.show_message(f"Labelled “{span.text if span else ''}” as {name}")

    def _defaults(self, label: str) -> dict[str, Any]:
        """The schema's default attribute values a new ``label`` span is stored with."""
        project = self._session.project
        try:
            return dict(project.schema().span_defaults(label)) if project is not None else {}
        except SpanLabError:
            return {}

    def _relabel(self, name: str) -> None:
        span = self._target_span()
        if span is None:
            self._status.show_message(SELECT_FIRST)
            return
        if span.label == name:
            self._view.set_current_span(span.id)
            self._status.show_message(f"“{span.text}” is already {name}")
            return
        if self._session.run(UpdateSpan(span.id, label=name)):
            self._view.set_current_span(span.id)
            self._status.show_message(f"Relabelled “{span.text}” from {span.label} to {name}")

    def delete_span(self) -> None:
        """Delete the selected span (or the innermost one at the cursor)."""
        if self._context() is None:
            return
        span = self._target_span()
        if span is None:
            self._status.show_message("No span at the cursor to delete")
            return
        if self._session.run(RemoveSpans([span.id])):
            self._status.show_message(f"Deleted {span.label} “{span.text}”")

    # ------------------------------------------------------------------ walking
    def next_span(self) -> None:
        """Select the next span in text order (wrapping at the end)."""
        index = self._document.index
        current = self._view.current_span()
        if current is not None:
            found = index.following(span=current)
        else:
            found = index.following(position=self._view.cursor_position())
        if found is None:
            found = index.first()
            if found is not None:
                self._status.show_message("Wrapped around to the first span")
        if found is not None:
            self._view.select_span(found.id)

    def previous_span(self) -> None:
        """Select the previous span in text order (wrapping at the start)."""
        index = self._document.index
        current = self._view.current_span()
        if current is not None:
            found = index.preceding(span=current)
        else:
            found = index.preceding(position=self._view.cursor_position())
        if found is None:
            found = index.last()
            if found is not None:
                self._status.show_message("Wrapped around to the last span")
        if found is not None:
            self._view.select_span(found.id)

    def clear(self) -> None:
        """Esc: drop the text selection and the selected span."""
        self._view.clear_selection()
        self._view.setFocus()

    # ------------------------------------------------------------------ label all
    def label_all_in_document(self) -> None:
        """Give every other exact match of the span's text the span's label (one undo step)."""
        context = self._context()
        document = self._document.document
        span = self._target_span()
        if context is None or document is None:
            return
        if span is None:
            self._status.show_message("Select a span first; its text and label are copied")
            return
        found = occurrences_in_document(
            document_id=document.id,
            title=document.title,
            text=document.text,
            needle=span.text,
            label=span.label,
            existing=self._document.index,
        )
        if not found:
            self._status.show_message(f"No other unlabelled “{span.text}” in this document")
            return
        command = label_occurrences_command(
            found,
            annotator_id=context[1],
            label=span.label,
            needle=span.text,
            attributes=self._defaults(span.label),
        )
        if self._session.run(command):
            self._status.show_message(f"{command.text} (one undo step)")

    def label_all_in_project(self) -> None:
        """Search every document in the background, preview, then label the chosen matches."""
        context = self._context()
        project = self._session.project
        span = self._target_span()
        if context is None or project is None:
            return
        if span is None:
            self._status.show_message("Select a span first; its text and label are copied")
            return
        if self.search_job is not None and self.search_job.running:
            self._status.show_message("Still searching the project…")
            return
        url, annotator_id = project.url, context[1]
        needle, label = span.text, span.label

        def search(job: JobContext) -> list[Occurrence]:
            with Project.open(url) as own:
                return occurrences_in_project(
                    own,
                    annotator_id=annotator_id,
                    needle=needle,
                    label=label,
                    cancel=job.cancelled,
                )

        self._status.show_message(f"Searching every document for “{needle}”…")
        self.search_job = run_job(
            self,
            search,
            on_success=lambda found: self._confirm_occurrences(found, needle, label),
            on_error=lambda message: self._prompts.error(
                self._window, "Label all occurrences", message
            ),
        )

    def _confirm_occurrences(self, found: list[Occurrence], needle: str, label: str) -> None:
        annotator = self._session.annotator
        if annotator is None:
            return
        if not found:
            self._status.show_message(f"No other unlabelled “{needle}” in the project")
            return
        chosen = self._prompts.choose_occurrences(self._window, found, needle=needle, label=label)
        if not chosen:
            self._status.show_message("Nothing labelled")
            return
        command = label_occurrences_command(
            chosen,
            annotator_id=annotator.id,
            label=label,
            needle=needle,
            attributes=self._defaults(label),
        )
        if self._session.run(command):
            self._status.show_message(f"{command.text} (one undo step)")
