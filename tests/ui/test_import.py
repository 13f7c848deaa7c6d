"""File › Import and drag-and-drop: a cancellable background job with its own connection."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts, key, write_articles

from spanlab.core.importing import ImportOptions
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dialogs.import_dialog import ImportDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def test_import_runs_in_the_background_and_lists_the_new_documents(
    gui: SpanLabApp, qtbot: QtBot, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    write_articles(
        folder,
        {
            "a.txt": "Hanoi forum\nLeaders met in Hanoi.",
            "b.txt": "Busan port deal\nA port deal was signed in Busan.",
            "skip.csv": "not imported",
        },
    )
    prompts.import_answer = lambda paths: ([str(folder)], ImportOptions(), str(folder))
    key(qtbot, gui.window.document_view, Qt.Key.Key_I, CTRL)
    assert gui.projects.import_job is not None
    with qtbot.waitSignal(gui.projects.import_job.finished, timeout=20_000):
        pass
    titles = [gui.window.document_panel.source.summary(r).title for r in range(5)]
    assert titles[3:] == ["Hanoi forum", "Busan port deal"]
    assert gui.window.status.position.text() == "Document 1/5"
    assert gui.window.status.currentMessage().startswith("Imported 2 document(s)")
    assert gui.projects.progress is None
    assert gui.settings.last_import_folder == str(folder)


def test_cancelling_the_progress_dialog_imports_nothing(
    gui: SpanLabApp, qtbot: QtBot, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    write_articles(folder, {f"{i:03}.txt": f"Article {i}\nBody {i}." for i in range(300)})
    prompts.import_answer = lambda paths: ([str(folder)], ImportOptions(), str(folder))
    gui.projects.import_articles()
    job = gui.projects.import_job
    progress = gui.projects.progress
    assert job is not None and progress is not None
    cancel = progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()  # the user presses Cancel
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert prompts.infos and "cancelled" in prompts.infos[0][1]
    assert gui.window.document_panel.source.rowCount() == 3


def test_failures_are_listed(
    gui: SpanLabApp, qtbot: QtBot, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00broken \x00\x00")
    good = write_articles(tmp_path, {"good.txt": "Good one\nFine text."})[0]
    prompts.import_answer = lambda paths: (
        [str(bad), str(good)],
        ImportOptions(all_or_nothing=True),
        str(tmp_path),
    )
    gui.projects.import_articles()
    assert gui.projects.import_job is not None
    with qtbot.waitSignal(gui.projects.import_job.finished, timeout=20_000):
        pass
    assert prompts.infos
    title, message = prompts.infos[0]
    assert title == "Import" and "bad.txt" in message and "Nothing was imported" in message
    assert gui.window.document_panel.source.rowCount() == 3


def test_dropping_files_opens_the_import_dialog_with_them(
    gui: SpanLabApp, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    paths = write_articles(tmp_path / "drop", {"x.txt": "X\nx.", "y.txt": "Y\ny."})
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    window = gui.window
    enter = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPoint(50, 50).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    assert prompts.import_calls == [[str(p) for p in paths]]


def test_import_dialog_builds_the_options(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ImportDialog([str(tmp_path / "a.txt")], str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.add_paths([str(tmp_path / "a.txt"), str(tmp_path / "folder")])
    assert dialog.selected_paths() == [str(tmp_path / "a.txt"), str(tmp_path / "folder")]
    dialog.format.setCurrentText("jsonl")
    dialog.encoding.setCurrentText("cp1252")
    dialog.include.setText("*.jsonl *.txt")
    dialog.all_or_nothing.setChecked(True)
    assert dialog.options() == ImportOptions(
        format="jsonl", encoding="cp1252", include=("*.jsonl", "*.txt"), all_or_nothing=True
    )
    dialog.encoding.setCurrentText("auto")
    assert dialog.options().encoding is None


def test_importing_into_an_empty_project_opens_the_first_article(
    gui: SpanLabApp, qtbot: QtBot, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    prompts.new_answer = str(tmp_path / "empty.spanlab")
    gui.projects.new_project()
    assert gui.document.document is None
    article = write_articles(tmp_path / "one", {"a.txt": "Hanoi forum\nLeaders met in Hanoi."})
    prompts.import_answer = lambda paths: ([str(article[0])], ImportOptions(), str(tmp_path))
    gui.projects.import_articles()
    assert gui.projects.import_job is not None
    with qtbot.waitSignal(gui.projects.import_job.finished, timeout=20_000):
        pass
    assert gui.document.document is not None
    assert gui.document.document.title == "Hanoi forum"
    assert gui.window.document_panel.table.currentIndex().row() == 0
