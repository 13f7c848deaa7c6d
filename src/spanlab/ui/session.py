"""The session: the open project, the annotator and the undo stack, as Qt signals.

This is the single place where core ``ChangeSet``s become Qt signals; models and views
listen to the session and never to each other's internals. Every edit goes through
:meth:`ProjectSession.run`, which pushes a :class:`~spanlab.ui.undo.CoreCommand`; the
core commits it before the call returns, so there is never unsaved work.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from spanlab.core.changes import ChangeSet
from spanlab.core.errors import ProjectError, SpanLabError
from spanlab.core.model import GOLD_ANNOTATOR, Annotator
from spanlab.core.project import Command, Project
from spanlab.core.team.credentials import PasswordPrompt
from spanlab.core.team.credentials import open_project as open_with_credentials
from spanlab.ui.undo import CoreCommand

log = logging.getLogger(__name__)


class ProjectSession(QObject):
    """Owns the open :class:`Project`, the current annotator and the undo stack.

    Signals:
        project_changed(): a project was opened or closed (the annotator is set already).
        annotator_changed(): another annotator is labelling the open project.
        annotations_changed(int, object): a document id and the ``ChangeSet`` touching it.
        statuses_changed(object): ``frozenset`` of (document id, annotator id) pairs.
        schema_changed(): labels or relation types changed.
        documents_changed(): documents were added (an import finished).
        change_applied(object, bool): every ``ChangeSet``, and whether it came from
            undo or redo (so the UI can show the document it touched).
        error_occurred(str): an edit failed; the message is meant for the user.
        save_state_changed(bool, str): whether the last write reached the disk, and
            a short description for the status bar.
    """

    project_changed = Signal()
    annotator_changed = Signal()
    annotations_changed = Signal(int, object)
    statuses_changed = Signal(object)
    schema_changed = Signal()
    documents_changed = Signal()
    change_applied = Signal(object, bool)
    error_occurred = Signal(str)
    save_state_changed = Signal(bool, str)

    def __init__(self, parent: QObject | None = None) -> None:
        """Start without a project."""
        super().__init__(parent)
        self._project: Project | None = None
        self._annotator: Annotator | None = None
        self._annotator_name: str | None = None
        self._last_ok = True
        self.saved = True
        self.undo_stack = QUndoStack(self)

    # ------------------------------------------------------------------ state
    @property
    def project(self) -> Project | None:
        """The open project, if any."""
        return self._project

    @property
    def annotator(self) -> Annotator | None:
        """The annotator whose layer is shown and edited (None without a project)."""
        return self._annotator

    @property
    def annotator_name(self) -> str | None:
        """Who is annotating, even before a project is open."""
        return self._annotator_name

    @property
    def ready(self) -> bool:
        """Whether edits can run (a project and an annotator)."""
        return self._project is not None and self._annotator is not None

    # ------------------------------------------------------------------ lifecycle
    def open_project(
        self,
        location: str | Path,
        *,
        password_prompt: PasswordPrompt | None = None,
        remember_password: bool = False,
    ) -> Project:
        """Open a project file or URL, replacing the current one.

        A server's password comes from the URL, the password store or
        ``password_prompt`` (see ``spanlab.core.team.credentials.open_project``); it is
        kept only by the connection, never in the session, settings or logs.

        Raises:
            ProjectError: the file is missing, damaged, locked or read-only, or the
                server refused the login or cannot be reached.
        """
        path = Path(location) if "://" not in str(location) else None
        if path is not None and path.exists() and not os.access(path, os.W_OK):
            raise ProjectError(
                f"{path}: the project file is read-only; changes could not be saved "
                "(make it writable, or open a copy)"
            )
        project = open_with_credentials(
            location, prompt=password_prompt, remember=remember_password
        )
        self._install(project)
        return project

    def create_project(self, location: str | Path) -> Project:
        """Create a project with the bundled news schema and open it.

        Raises:
            ProjectError: the file exists or its folder cannot be written.
        """
        project = Project.create(location)
        self._install(project)
        return project

    def close_project(self) -> None:
        """Close the project (nothing to save: every edit is already committed)."""
        if self._project is None:
            return
        self.undo_stack.clear()
        self._project.close()
        self._project = None
        self._annotator = None
        self.project_changed.emit()

    def _install(self, project: Project) -> None:
        if self._project is not None:
            self.undo_stack.clear()
            self._project.close()
        self._project = project
        self._annotator = None
        if self._annotator_name:
            try:
                self._annotator = project.ensure_annotator(self._annotator_name)
            except SpanLabError as exc:
                self._report_failure(str(exc))
        self._set_saved(True, "All changes saved")
        self.project_changed.emit()

    def set_annotator(self, name: str) -> None:
        """Label as ``name`` from now on (created in the project when new).

        Raises:
            SpanLabError: the name is invalid or the project cannot be written.
        """
        clean = name.strip()
        if not clean:
            raise SpanLabError("the annotator name is empty")
        if clean == GOLD_ANNOTATOR:
            raise SpanLabError(f"'{GOLD_ANNOTATOR}' is reserved for the curated gold layer")
        annotator = self._project.ensure_annotator(clean) if self._project else None
        self.undo_stack.clear()
        self._annotator_name = clean
        self._annotator = annotator
        self.annotator_changed.emit()

    def annotator_names(self) -> list[str]:
        """Annotators already in the project (without the gold layer)."""
        if self._project is None:
            return []
        return [a.name for a in self._project.annotators() if not a.is_gold]

    # ------------------------------------------------------------------ edits
    def run(self, command: Command) -> bool:
        """Execute ``command`` as one undo step; False (and a message) if refused."""
        if not self.ready:
            self._report_failure("open a project and choose an annotator first")
            return False
        self._last_ok = True
        self.undo_stack.push(CoreCommand(self, command))
        return self._last_ok

    def apply_command(self, command: Command, *, revert: bool, replay: bool) -> bool:
        """Run a command's apply or revert in its own transaction and publish the change.

        Called by :class:`CoreCommand` only. Returns False when the core refused.
        """
        project = self._project
        if project is None:
            self._last_ok = False
            return False
        try:
            change = project.revert(command) if revert else project.execute(command)
        except SpanLabError as exc:
            self._last_ok = False
            if isinstance(exc, ProjectError):  # storage trouble: the edit is not on disk
                self._set_saved(False, str(exc))
            self._report_failure(str(exc))
            return False
        except Exception as exc:  # a bug: keep the window alive and say what happened
            log.exception("command %r failed", command)
            self._last_ok = False
            self._report_failure(f"internal error: {type(exc).__name__}: {exc}")
            return False
        self._set_saved(True, "All changes saved")
        self.publish(change, replay=replay)
        return True

    def publish(self, change: ChangeSet, *, replay: bool = False) -> None:
        """Turn a ``ChangeSet`` into signals."""
        touches_annotations = bool(
            change.spans_added
            or change.spans_removed
            or change.spans_updated
            or change.relations_added
            or change.relations_removed
            or change.relations_updated
            or change.entities_changed
        )
        if touches_annotations:
            for document_id in sorted(change.documents):
                self.annotations_changed.emit(int(document_id), change)
        if change.statuses:
            self.statuses_changed.emit(change.statuses)
        if change.schema_changed:
            self.schema_changed.emit()
        if change.documents_changed:
            self.documents_changed.emit()
        self.change_applied.emit(change, replay)

    def notify_documents_added(self) -> None:
        """Tell listeners that documents were imported by a background job."""
        self.documents_changed.emit()

    # ------------------------------------------------------------------ feedback
    def _report_failure(self, message: str) -> None:
        self.error_occurred.emit(message)

    def _set_saved(self, ok: bool, message: str) -> None:
        self.saved = ok
        self.save_state_changed.emit(ok, message)
