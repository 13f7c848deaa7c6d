"""The one ``QUndoCommand`` adapter around SpanLab's reversible core commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from spanlab.core.project import Command

if TYPE_CHECKING:
    from spanlab.ui.session import ProjectSession


class CoreCommand(QUndoCommand):
    """Runs a core command through the session: ``redo`` applies it, ``undo`` reverts it.

    When the core refuses (an integrity error, a read-only or locked file) the command
    marks itself obsolete, so ``QUndoStack`` drops it instead of keeping a step that
    never happened.
    """

    def __init__(self, session: ProjectSession, command: Command) -> None:
        """Wrap ``command``; nothing runs until the stack calls ``redo``."""
        super().__init__(command.text)
        self._session = session
        self._command = command
        self._applied_once = False

    @property
    def command(self) -> Command:
        """The wrapped core command."""
        return self._command

    def redo(self) -> None:
        """Apply (first push) or re-apply (redo) the command."""
        replay = self._applied_once
        self._applied_once = True
        if not self._session.apply_command(self._command, revert=False, replay=replay):
            self.setObsolete(True)

    def undo(self) -> None:
        """Revert the command."""
        if not self._session.apply_command(self._command, revert=True, replay=True):
            self.setObsolete(True)
