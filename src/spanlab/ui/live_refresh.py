"""Show other people's progress without restarting: poll the project's change token.

Every few seconds one small query reads ``spanlab.core.team.live.change_token``
(outside any transaction that stays open). When a counter moved that this window's own
edits do not explain, the document list (statuses, counts, assignments, team column)
and an open project overview are refreshed; the open document is left alone, since
its annotator is editing it and only they change their own layer. Works the same on
PostgreSQL and on a SQLite file written by another process.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from spanlab.core.errors import SpanLabError
from spanlab.core.storage.repository import PROJECT_SCOPE, annotator_scope
from spanlab.core.team.live import ChangeToken, change_token
from spanlab.ui.dashboard.overview import ProjectOverview
from spanlab.ui.models.document_list_model import DocumentListModel
from spanlab.ui.session import ProjectSession

DEFAULT_INTERVAL_MS = 4000

log = logging.getLogger(__name__)


class LiveRefresh(QObject):
    """Polls while a project is open; stops when it closes.

    Signals:
        others_changed(object): ``frozenset`` of the change scopes that moved because
            of someone else (``project``, ``annotator:<id>``), after the refresh.
    """

    others_changed = Signal(object)

    def __init__(
        self,
        session: ProjectSession,
        documents: DocumentListModel,
        window: QWidget,
        *,
        interval_ms: int = DEFAULT_INTERVAL_MS,
    ) -> None:
        """Follow ``session``; refresh ``documents`` and overviews shown over ``window``."""
        super().__init__(window)
        self._session = session
        self._documents = documents
        self._window = window
        self._token: ChangeToken | None = None
        self._own_edits = False
        self._failing = False
        self.polls = 0
        """Token reads so far (for the status of the feature, e.g. in tests)."""
        self.timer = QTimer(self)
        self.timer.setObjectName("liveRefreshTimer")
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        session.project_changed.connect(self._restart)
        session.documents_changed.connect(self._rebase)
        session.annotator_changed.connect(self._rebase)
        session.change_applied.connect(self._on_own_change)

    # ------------------------------------------------------------------ control
    def set_interval(self, milliseconds: int) -> None:
        """Poll every ``milliseconds`` from now on."""
        self.timer.setInterval(milliseconds)

    @property
    def active(self) -> bool:
        """Whether polling is running (a project is open)."""
        return self.timer.isActive()

    def _restart(self) -> None:
        self.timer.stop()
        self._token = None
        self._own_edits = False
        if self._session.project is not None:
            self._rebase()
            self.timer.start()

    def _rebase(self) -> None:
        """Take the current token as seen: the window has just reloaded everything."""
        project = self._session.project
        if project is None:
            return
        try:
            self._token = change_token(project)
        except SpanLabError as exc:  # the server is away: try again at the next poll
            log.info("change token unavailable: %s", exc)
            self._token = None
        self._own_edits = False

    def _on_own_change(self, _change: object, _replay: bool) -> None:
        self._own_edits = True

    # ------------------------------------------------------------------ polling
    def poll(self) -> None:
        """Read the token; refresh what others changed since the last poll."""
        project = self._session.project
        if project is None:
            self.timer.stop()
            return
        try:
            token = change_token(project)
        except SpanLabError as exc:
            if not self._failing:  # say it once, not every few seconds
                log.info("change token unavailable: %s", exc)
            self._failing = True
            return
        self._failing = False
        self.polls += 1
        before, own_edits = self._token, self._own_edits
        self._token, self._own_edits = token, False
        if before is None:  # the server was away: whatever happened meanwhile, reload
            self._documents.refresh()
            return
        if token == before:
            return
        moved = token.scopes_changed_since(before)
        annotator = self._session.annotator
        own = annotator_scope(annotator.id) if annotator is not None else None
        if own_edits:
            # Our own edits bump our layer's counter; nobody else writes that layer.
            moved = moved - {own}
        if not moved:
            return
        if PROJECT_SCOPE in moved or own in moved:
            self._documents.refresh()  # documents, assignments, or our layer (elsewhere)
        else:  # only other people's layers: re-read their statuses for the Team column
            self._documents.refresh_team(token.annotators_changed_since(before))
        for overview in self._window.findChildren(ProjectOverview):
            if overview.isVisible():
                overview.refresh()
        self.others_changed.emit(frozenset(moved))


__all__ = ["DEFAULT_INTERVAL_MS", "LiveRefresh"]
