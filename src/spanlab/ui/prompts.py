"""Every blocking question and message box, behind one injectable object.

Controllers never open modal dialogs themselves; they ask :class:`Prompts`. Tests
pass a subclass with scripted answers (or monkeypatch ``QMessageBox``), so no test
ever waits for a click.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from spanlab.core.importing import ImportOptions
from spanlab.core.model import DocumentId, DocumentSummary
from spanlab.core.occurrences import Occurrence
from spanlab.core.schema import Schema
from spanlab.ui.actions import ActionSpec
from spanlab.ui.dialogs.annotator_dialog import AnnotatorDialog
from spanlab.ui.dialogs.assign_dialog import AssignDialog, AssignRequest
from spanlab.ui.dialogs.import_dialog import ImportDialog
from spanlab.ui.dialogs.occurrences_dialog import OccurrencesDialog
from spanlab.ui.dialogs.open_server_dialog import OpenServerDialog, ServerLocation
from spanlab.ui.dialogs.schema_editor import SchemaEditor
from spanlab.ui.dialogs.shortcuts_dialog import ShortcutsDialog

PROJECT_FILTER = "SpanLab projects (*.spanlab);;All files (*)"


class Prompts:
    """Modal dialogs used by the controllers."""

    # ------------------------------------------------------------------ messages
    def error(self, parent: QWidget | None, title: str, message: str) -> None:
        """Tell the user something failed (no traceback, just what and why)."""
        QMessageBox.critical(parent, title, message)

    def info(self, parent: QWidget | None, title: str, message: str) -> None:
        """Tell the user something worth knowing."""
        QMessageBox.information(parent, title, message)

    def confirm(self, parent: QWidget | None, title: str, message: str) -> bool:
        """Ask a yes/no question."""
        answer = QMessageBox.question(parent, title, message)
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ files
    def open_project_path(self, parent: QWidget | None, folder: str) -> str | None:
        """A project file to open."""
        path, _ = QFileDialog.getOpenFileName(parent, "Open Project", folder, PROJECT_FILTER)
        return path or None

    def server_location(
        self, parent: QWidget | None, recent: str | None, *, can_remember: bool
    ) -> ServerLocation | None:
        """A server project's address (no password), prefilled from ``recent``."""
        dialog = OpenServerDialog(recent, can_remember=can_remember, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.location()

    def password(self, parent: QWidget | None, where: str) -> str | None:
        """The database password for ``where`` (``user@host:port/db``); None when cancelled.

        The answer goes straight to the connection; nobody stores it.
        """
        text, ok = QInputDialog.getText(
            parent,
            "Database Password",
            f"Password for {where}:",
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def new_project_path(self, parent: QWidget | None, folder: str) -> str | None:
        """Where to create a project (``.spanlab`` added when missing)."""
        path, _ = QFileDialog.getSaveFileName(
            parent, "New Project", str(Path(folder) / "news.spanlab"), PROJECT_FILTER
        )
        if not path:
            return None
        return path if Path(path).suffix else f"{path}.spanlab"

    # ------------------------------------------------------------------ dialogs
    def annotator(
        self, parent: QWidget | None, names: Sequence[str], current: str | None
    ) -> str | None:
        """Who is annotating (None when cancelled)."""
        dialog = AnnotatorDialog(list(names), current, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.name() or None

    def import_request(
        self, parent: QWidget | None, paths: Sequence[str], folder: str
    ) -> tuple[list[str], ImportOptions, str] | None:
        """Paths, options and the last folder looked at; None when cancelled."""
        dialog = ImportDialog(list(paths), folder, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selected_paths():
            return None
        return dialog.selected_paths(), dialog.options(), dialog.folder()

    def assign_request(
        self,
        parent: QWidget | None,
        documents: Sequence[DocumentSummary],
        people: Sequence[str],
        assigned: Mapping[DocumentId, Sequence[str]],
        selected: Sequence[int],
    ) -> AssignRequest | None:
        """Documents and annotators to assign (None when cancelled)."""
        dialog = AssignDialog(documents, people, assigned, selected, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request()

    def choose_occurrences(
        self,
        parent: QWidget | None,
        occurrences: Sequence[Occurrence],
        *,
        needle: str,
        label: str,
    ) -> list[Occurrence] | None:
        """The previewed occurrences the user keeps (None when cancelled)."""
        dialog = OccurrencesDialog(occurrences, needle=needle, label=label, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    def edit_schema(
        self, parent: QWidget | None, schema: Schema
    ) -> tuple[Schema, dict[str, str]] | None:
        """A new schema and its renames (None when cancelled)."""
        dialog = SchemaEditor(schema, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_schema()

    def edit_shortcuts(
        self,
        parent: QWidget | None,
        specs: Sequence[ActionSpec],
        current: Mapping[str, Sequence[str]],
        reserved: Mapping[str, str],
    ) -> dict[str, list[str]] | None:
        """Shortcut overrides to store (None when cancelled)."""
        dialog = ShortcutsDialog(specs, current, reserved, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.overrides()
