"""Locked, read-only and damaged projects give a clear message box, never a traceback."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from ui_helpers import drag, key

from spanlab.core.changes import ChangeSet
from spanlab.core.errors import ProjectError
from spanlab.ui.app import SpanLabApp, create_app


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Capture QMessageBox.critical/information instead of blocking on them."""
    shown: list[tuple[str, str]] = []

    def capture(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", capture)
    monkeypatch.setattr(QMessageBox, "information", capture)
    return shown


@pytest.fixture
def real_prompts_app(qtbot: QtBot, ui_settings: QSettings) -> Iterator[SpanLabApp]:
    """The application with the real Prompts (message boxes captured by ``boxes``)."""
    app = create_app([], settings=ui_settings)
    qtbot.addWidget(app.window)
    app.window.show()
    yield app
    app.session.close_project()


def test_damaged_project_file_gives_a_message(
    real_prompts_app: SpanLabApp, boxes: list[tuple[str, str]], tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.spanlab"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    real_prompts_app.start(str(damaged))
    assert boxes and boxes[0][0] == "Cannot open the project"
    assert "damaged" in boxes[0][1] or "not a" in boxes[0][1]
    assert real_prompts_app.session.project is None
    assert "Traceback" not in boxes[0][1]


def test_not_a_project_gives_a_message(
    real_prompts_app: SpanLabApp, boxes: list[tuple[str, str]], tmp_path: Path
) -> None:
    other = tmp_path / "notes.spanlab"
    other.write_text("just some notes", encoding="utf-8")
    real_prompts_app.start(str(other))
    assert boxes == [
        ("Cannot open the project", f"{other}: not a SpanLab project (not a SQLite database)")
    ]


def test_read_only_project_gives_a_message(
    real_prompts_app: SpanLabApp,
    boxes: list[tuple[str, str]],
    workspace_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if os.access(workspace_file, os.W_OK) and os.geteuid() != 0:
        workspace_file.chmod(0o444)
    else:  # root may write anything: pretend the file is read-only
        real_access = os.access
        monkeypatch.setattr(
            os,
            "access",
            lambda p, mode: False if Path(p) == workspace_file else real_access(p, mode),
        )
    real_prompts_app.start(str(workspace_file))
    assert len(boxes) == 1
    assert "read-only" in boxes[0][1]
    assert real_prompts_app.session.project is None


def test_locked_project_while_labelling_says_the_change_was_not_saved(
    real_prompts_app: SpanLabApp,
    boxes: list[tuple[str, str]],
    workspace_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = real_prompts_app
    app.start(str(workspace_file))
    project = app.session.project
    assert project is not None

    def locked(command: object) -> ChangeSet:
        raise ProjectError(f"{workspace_file}: the project is locked by another program; try again")

    monkeypatch.setattr(project, "execute", locked)
    view = app.window.document_view
    text = app.document.text
    drag(qtbot, view, text.index("Baek"), text.index("Baek") + 4)
    key(qtbot, view, Qt.Key.Key_1)
    assert boxes and boxes[0][0] == "Your last change was not saved"
    assert "locked by another program" in boxes[0][1]
    assert app.window.status.saved.text() == "⚠ Not saved"
    assert app.session.undo_stack.count() == 0
    assert len(app.document.index) == 0


def test_a_really_locked_project_gives_a_message(
    real_prompts_app: SpanLabApp,
    boxes: list[tuple[str, str]],
    workspace_file: Path,
    qtbot: QtBot,
) -> None:
    app = real_prompts_app
    app.start(str(workspace_file))
    other = sqlite3.connect(workspace_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        view = app.window.document_view
        text = app.document.text
        drag(qtbot, view, text.index("Kang"), text.index("Kang") + 4)
        key(qtbot, view, Qt.Key.Key_1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert boxes and boxes[0][0] == "Your last change was not saved"
    assert "locked by another program" in boxes[0][1]
    assert app.window.status.saved.text() == "⚠ Not saved"
    key(qtbot, view, Qt.Key.Key_1)  # the lock is gone: the same key works now
    assert len(app.document.index) == 1
    assert app.window.status.saved.text() == "✓ All changes saved"
