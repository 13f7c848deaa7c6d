"""Find in the open document (Ctrl+F): matches outlined, the current one selected."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QObject

from spanlab.core.occurrences import find_in_text
from spanlab.ui.open_document import OpenDocument
from spanlab.ui.views.document_view import DocumentView
from spanlab.ui.widgets.find_bar import FindBar


class FindController(QObject):
    """Keeps the find bar, the matches and the article view in step."""

    def __init__(self, *, document: OpenDocument, view: DocumentView, bar: FindBar) -> None:
        """Wire ``bar`` to ``view``."""
        super().__init__(bar)
        self._document = document
        self._view = view
        self._bar = bar
        self._query = ""
        self._case = False
        self._hits: list[tuple[int, int]] = []
        self._current = -1
        bar.query_changed.connect(self._on_query)
        bar.next_requested.connect(self.find_next)
        bar.previous_requested.connect(self.find_previous)
        bar.closed.connect(self._on_closed)
        document.document_changed.connect(self._on_document_changed)

    @property
    def hits(self) -> list[tuple[int, int]]:
        """Matches in the open document."""
        return list(self._hits)

    def open(self) -> None:
        """Show the bar, prefilled with a short selection."""
        selection = self._view.selection_range()
        text = ""
        if selection is not None and selection[1] - selection[0] <= 80:
            text = self._document.text[selection[0] : selection[1]]
        self._bar.open_bar(text)
        if not text and self._bar.edit.text():
            self._on_query(self._bar.edit.text(), self._bar.case.isChecked())

    def _on_query(self, query: str, case: bool) -> None:
        self._query, self._case = query, case
        self._hits = find_in_text(self._document.text, query, case_sensitive=case)
        self._view.set_search_hits(self._hits)
        if not self._hits:
            self._current = -1
            self._bar.set_count(0, 0)
            return
        starts = [start for start, _ in self._hits]
        self._current = bisect_left(starts, self._view.cursor_position()) % len(self._hits)
        self._show_current()

    def _show_current(self) -> None:
        start, end = self._hits[self._current]
        self._view.select_range(start, end)
        self._bar.set_count(self._current + 1, len(self._hits))

    def find_next(self) -> None:
        """Select the next match (wrapping)."""
        if not self._bar.isVisible():
            self.open()
            return
        if self._hits:
            self._current = (self._current + 1) % len(self._hits)
            self._show_current()

    def find_previous(self) -> None:
        """Select the previous match (wrapping)."""
        if not self._bar.isVisible():
            self.open()
            return
        if self._hits:
            self._current = (self._current - 1) % len(self._hits)
            self._show_current()

    def _on_closed(self) -> None:
        self._hits = []
        self._view.set_search_hits([])
        self._view.setFocus()

    def _on_document_changed(self) -> None:
        if self._bar.isVisible() and self._query:
            self._on_query(self._query, self._case)
        else:
            self._hits = []
