"""The window: menus show every action and shortcut, remapping, annotators, projects."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts, drag, key, show

from spanlab.core.model import DocumentStatus
from spanlab.ui.actions import ACTIONS
from spanlab.ui.app import SpanLabApp, create_app

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def menu_entries(app: SpanLabApp, menu: str) -> dict[str, str]:
    return {
        a.objectName(): a.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        for a in app.window.menus[menu].actions()
        if not a.isSeparator()
    }


def test_every_action_is_in_a_menu_with_its_shortcut(sample_gui: SpanLabApp) -> None:
    for spec in ACTIONS:
        entries = menu_entries(sample_gui, spec.menu)
        assert spec.id in entries, spec.id
        assert entries[spec.id] == (spec.shortcuts[0] if spec.shortcuts else "")
    labels = menu_entries(sample_gui, "label")
    assert labels["label.apply.PERSON"] == "1"
    assert labels["label.apply.EVENT"] == "7"
    assert sample_gui.actions.action("edit.undo").isEnabled() is False


def test_status_bar_and_header_on_the_sample(sample_gui: SpanLabApp) -> None:
    status = sample_gui.window.status
    assert status.annotator.text() == "Annotator: alice"
    assert status.position.text() == "Document 1/8"
    assert status.saved.text() == "✓ All changes saved"
    assert status.document_status.text() == "done"
    assert "24&nbsp;spans" in sample_gui.window.header.text()  # kept on one line
    assert sample_gui.window.annotations.model().rowCount() == 24
    assert sample_gui.window.windowTitle() == "SpanLab sample — SpanLab"


def test_annotators_see_only_their_own_spans_and_keep_their_position(
    sample_gui: SpanLabApp, qtbot: QtBot, prompts: ScriptedPrompts
) -> None:
    app = sample_gui
    view = app.window.document_view
    key(qtbot, view, Qt.Key.Key_PageDown, CTRL, times=5)  # alice moves to document 6
    assert app.window.status.position.text() == "Document 6/8"
    assert len(app.document.index) == 24
    key(qtbot, view, Qt.Key.Key_PageUp, CTRL, times=3)
    assert app.window.status.position.text() == "Document 3/8"
    prompts.annotator_answer = "bob"
    key(qtbot, view, Qt.Key.Key_A, CTRL | SHIFT)
    assert prompts.annotator_calls[-1] == (["alice", "bob"], "alice")
    assert app.session.annotator_name == "bob"
    assert app.settings.annotator == "bob"
    assert app.window.status.annotator.text() == "Annotator: bob"
    # Bob has no position yet: he starts at his first document not done.
    assert app.window.status.position.text() == "Document 6/8"
    bob = app.session.annotator
    assert bob is not None and {s.annotator_id for s in app.document.index} == {bob.id}
    assert len(app.document.index) == 18  # bob's own layer, not alice's 24
    assert app.document.status is DocumentStatus.IN_PROGRESS
    key(qtbot, view, Qt.Key.Key_PageDown, CTRL, times=2)
    prompts.annotator_answer = "alice"
    key(qtbot, view, Qt.Key.Key_A, CTRL | SHIFT)
    assert app.window.status.position.text() == "Document 3/8"  # alice's position kept
    prompts.annotator_answer = "bob"
    key(qtbot, view, Qt.Key.Key_A, CTRL | SHIFT)
    assert app.window.status.position.text() == "Document 8/8"  # and bob's


def test_first_start_asks_who_is_annotating(
    qtbot: QtBot, tmp_path: Path, prompts: ScriptedPrompts, sample_file: Path
) -> None:
    settings = QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat)
    prompts.annotator_answer = "carol"
    app = create_app([], settings=settings, prompts=prompts)
    qtbot.addWidget(app.window)
    app.start(str(sample_file))
    assert prompts.annotator_calls == [([], None)]
    assert app.settings.annotator == "carol"
    assert app.session.annotator is not None and app.session.annotator.name == "carol"
    assert len(app.document.index) == 0  # blind: carol sees nobody else's spans
    app.session.close_project()
    again = create_app([], settings=settings, prompts=prompts)
    qtbot.addWidget(again.window)
    again.start(None)  # reopens the last project, does not ask again
    assert len(prompts.annotator_calls) == 1
    assert again.session.project is not None
    again.session.close_project()


def test_remapped_shortcuts_from_settings_and_from_the_dialog(
    qtbot: QtBot, ui_settings: QSettings, prompts: ScriptedPrompts, workspace_file: Path
) -> None:
    ui_settings.setValue("shortcuts", '{"doc.mark_done": ["Ctrl+M"]}')
    app = create_app([], settings=ui_settings, prompts=prompts)
    qtbot.addWidget(app.window)
    show(qtbot, app)
    app.start(str(workspace_file))
    view = app.window.document_view
    view.setFocus()
    assert menu_entries(app, "document")["doc.mark_done"] == "Ctrl+M"
    key(qtbot, view, Qt.Key.Key_M, CTRL)
    assert app.window.status.position.text() == "Document 2/3"
    prompts.shortcuts_answer = {"nav.next_document": ["Ctrl+J"]}
    app.projects.edit_shortcuts()
    assert app.settings.shortcut_overrides() == {"nav.next_document": ["Ctrl+J"]}
    assert menu_entries(app, "document")["doc.mark_done"] == "Ctrl+Return"  # back to default
    key(qtbot, view, Qt.Key.Key_J, CTRL)
    assert app.window.status.position.text() == "Document 3/3"
    app.session.close_project()


def test_new_project_recent_menu_and_close(
    gui: SpanLabApp, prompts: ScriptedPrompts, tmp_path: Path, workspace_file: Path
) -> None:
    assert gui.settings.recent_projects == [str(workspace_file.resolve())]
    recent = [a.text() for a in gui.window.recent_menu.actions()]
    assert recent == [str(workspace_file.resolve())]
    prompts.new_answer = str(tmp_path / "fresh.spanlab")
    gui.projects.new_project()
    assert gui.session.project is not None
    assert gui.window.document_panel.source.rowCount() == 0
    assert gui.window.document_panel.empty.isVisibleTo(gui.window)
    assert gui.settings.recent_projects[0] == str((tmp_path / "fresh.spanlab").resolve())
    assert not gui.actions.action("doc.mark_done").isEnabled()
    gui.window.recent_menu.actions()[1].trigger()
    assert gui.document.document is not None
    gui.projects.close_project()
    assert gui.session.project is None
    assert gui.window.windowTitle() == "SpanLab"
    assert not gui.actions.action("file.import").isEnabled()


def test_view_options_tags_and_zoom_are_remembered(gui: SpanLabApp, qtbot: QtBot) -> None:
    view = gui.window.document_view
    size = view.text_size()
    key(qtbot, view, Qt.Key.Key_Equal, CTRL)
    assert view.text_size() == size + 1 == gui.settings.font_size
    key(qtbot, view, Qt.Key.Key_Minus, CTRL)
    assert view.text_size() == size
    assert view.show_tags
    key(qtbot, view, Qt.Key.Key_T, CTRL)
    assert not view.show_tags and gui.settings.show_tags is False
    text = gui.document.text
    drag(qtbot, view, text.index("Baek"), text.index("Baek") + 4)
    key(qtbot, view, Qt.Key.Key_1)  # labelling works the same without tags
    assert len(gui.document.index) == 1


def test_run_opens_the_project_and_returns_when_the_window_closes(
    qtbot: QtBot, ui_settings: QSettings, sample_file: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from spanlab.ui.app import run
    from spanlab.ui.main_window import MainWindow

    seen: list[str] = []

    def close_main_window() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.close()

    QTimer.singleShot(300, close_main_window)
    assert run(project=str(sample_file), settings=ui_settings) == 0
    assert seen == ["SpanLab sample — SpanLab"]
    assert ui_settings.value("window/geometry") is not None  # layout remembered


def test_every_default_shortcut_reaches_its_action_from_the_text(
    gui: SpanLabApp, qtbot: QtBot
) -> None:
    """The read-only text view must not swallow any of our keys (e.g. as editing keys)."""
    view = gui.window.document_view
    dead: list[tuple[str, str]] = []
    for spec in ACTIONS:
        if spec.id in ("file.quit", "file.close"):
            continue
        action = gui.actions.action(spec.id)
        fired: list[bool] = []
        connection = action.triggered.connect(lambda *_args, sink=fired: sink.append(True))
        for sequence in action.shortcuts():
            fired.clear()
            gui.window.find_bar.hide()
            view.setFocus()
            combination = sequence[0]
            qtbot.keyClick(view, combination.key(), combination.keyboardModifiers())
            if not fired and action.isEnabled():
                dead.append((spec.id, sequence.toString()))
        action.triggered.disconnect(connection)
    assert dead == []
