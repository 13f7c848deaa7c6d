"""Helpers for driving the real widgets: points of characters, drags, scripted prompts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from spanlab.core.importing import ImportOptions
from spanlab.core.model import DocumentId, DocumentSummary
from spanlab.core.occurrences import Occurrence
from spanlab.core.schema import Schema
from spanlab.ui.actions import ActionSpec
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dialogs.assign_dialog import AssignRequest
from spanlab.ui.dialogs.open_server_dialog import ServerLocation
from spanlab.ui.prompts import Prompts
from spanlab.ui.views.document_view import DocumentView

NO_MODIFIER = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


def inside(view: DocumentView, position: int) -> QPoint:
    """A viewport point inside the character at code point ``position``."""
    rect = view.cursor_rect_at(position)
    return QPoint(rect.left() + 3, rect.center().y())


def boundary(view: DocumentView, position: int) -> QPoint:
    """A viewport point on the boundary before code point ``position``."""
    rect = view.cursor_rect_at(position)
    return QPoint(rect.left(), rect.center().y())


def drag(
    qtbot: QtBot,
    view: DocumentView,
    start: int,
    end: int,
    modifier: Qt.KeyboardModifier = NO_MODIFIER,
) -> None:
    """Press inside ``start``'s character, move to the boundary before ``end``, release."""
    viewport = view.viewport()
    qtbot.mousePress(viewport, LEFT, modifier, boundary(view, start))
    qtbot.mouseMove(viewport, inside(view, (start + end) // 2))
    qtbot.mouseMove(viewport, boundary(view, end))
    qtbot.mouseRelease(viewport, LEFT, modifier, boundary(view, end))


def click(qtbot: QtBot, view: DocumentView, position: int) -> None:
    """Click inside the character at ``position``."""
    qtbot.mouseClick(view.viewport(), LEFT, NO_MODIFIER, inside(view, position))


def key(
    qtbot: QtBot,
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = NO_MODIFIER,
    times: int = 1,
) -> None:
    """Press a key (several times)."""
    for _ in range(times):
        qtbot.keyClick(widget, key, modifier)


def show(qtbot: QtBot, app: SpanLabApp) -> None:
    """Show the main window and make it active, so window shortcuts reach it."""
    with qtbot.waitActive(app.window):
        app.window.show()
        app.window.activateWindow()


AssignAnswer = Callable[
    [list[DocumentSummary], list[str], dict[DocumentId, tuple[str, ...]]], AssignRequest | None
]


class ScriptedPrompts(Prompts):
    """Answers every dialog from scripted values and records what was asked."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.confirm_answer = True
        self.annotator_answer: str | None = None
        self.annotator_calls: list[tuple[list[str], str | None]] = []
        self.open_answer: str | None = None
        self.new_answer: str | None = None
        self.import_answer: Callable[[list[str]], tuple[list[str], ImportOptions, str] | None] = (
            lambda paths: None
        )
        self.import_calls: list[list[str]] = []
        self.occurrence_choice: Callable[[list[Occurrence]], list[Occurrence] | None] = list
        self.occurrence_calls: list[list[Occurrence]] = []
        self.schema_answer: Callable[[Schema], tuple[Schema, dict[str, str]] | None] = (
            lambda schema: None
        )
        self.shortcuts_answer: dict[str, list[str]] | None = None
        self.server_answer: ServerLocation | None = None
        self.server_calls: list[str | None] = []
        self.passwords: list[str | None] = []
        self.password_calls: list[str] = []
        self.assign_answer: AssignAnswer = lambda documents, people, assigned: None

    def error(self, parent: QWidget | None, title: str, message: str) -> None:
        self.errors.append((title, message))

    def info(self, parent: QWidget | None, title: str, message: str) -> None:
        self.infos.append((title, message))

    def confirm(self, parent: QWidget | None, title: str, message: str) -> bool:
        return self.confirm_answer

    def open_project_path(self, parent: QWidget | None, folder: str) -> str | None:
        return self.open_answer

    def new_project_path(self, parent: QWidget | None, folder: str) -> str | None:
        return self.new_answer

    def annotator(
        self, parent: QWidget | None, names: Sequence[str], current: str | None
    ) -> str | None:
        self.annotator_calls.append((list(names), current))
        return self.annotator_answer

    def import_request(
        self, parent: QWidget | None, paths: Sequence[str], folder: str
    ) -> tuple[list[str], ImportOptions, str] | None:
        self.import_calls.append(list(paths))
        return self.import_answer(list(paths))

    def choose_occurrences(
        self,
        parent: QWidget | None,
        occurrences: Sequence[Occurrence],
        *,
        needle: str,
        label: str,
    ) -> list[Occurrence] | None:
        self.occurrence_calls.append(list(occurrences))
        return self.occurrence_choice(list(occurrences))

    def edit_schema(
        self, parent: QWidget | None, schema: Schema
    ) -> tuple[Schema, dict[str, str]] | None:
        return self.schema_answer(schema)

    def server_location(
        self, parent: QWidget | None, recent: str | None, *, can_remember: bool
    ) -> ServerLocation | None:
        self.server_calls.append(recent)
        return self.server_answer

    def password(self, parent: QWidget | None, where: str) -> str | None:
        self.password_calls.append(where)
        return self.passwords.pop(0) if self.passwords else None

    def assign_request(
        self,
        parent: QWidget | None,
        documents: Sequence[DocumentSummary],
        people: Sequence[str],
        assigned: Mapping[DocumentId, Sequence[str]],
        selected: Sequence[int],
    ) -> AssignRequest | None:
        current = {doc: tuple(names) for doc, names in assigned.items()}
        return self.assign_answer(list(documents), list(people), current)

    def edit_shortcuts(
        self,
        parent: QWidget | None,
        specs: Sequence[ActionSpec],
        current: Mapping[str, Sequence[str]],
        reserved: Mapping[str, str],
    ) -> dict[str, list[str]] | None:
        return self.shortcuts_answer


def write_articles(folder: Path, articles: Mapping[str, str]) -> list[Path]:
    """Write text files for import tests."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in articles.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
