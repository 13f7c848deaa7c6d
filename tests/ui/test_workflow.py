"""Label all occurrences, find, mark done and move between documents, through the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts, drag, key

from spanlab.core.model import DocumentStatus
from spanlab.ui.app import SpanLabApp

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def spans_of(app: SpanLabApp, title: str) -> list[tuple[str, str]]:
    project, annotator = app.session.project, app.session.annotator
    assert project is not None and annotator is not None
    doc = next(d for d in project.documents() if d.title == title)
    return [(s.label, s.text) for s in project.spans(doc.id, annotator.id)]


def label_word(app: SpanLabApp, qtbot: QtBot, word: str, hotkey: Qt.Key, nth: int = 0) -> None:
    view = app.window.document_view
    text = app.document.text
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    drag(qtbot, view, start, start + len(word))
    key(qtbot, view, hotkey)


def test_label_all_occurrences_in_document_is_one_undo_step(gui: SpanLabApp, qtbot: QtBot) -> None:
    label_word(gui, qtbot, "Seoul", Qt.Key.Key_6)
    key(qtbot, gui.window.document_view, Qt.Key.Key_L, CTRL)
    assert spans_of(gui, "Seoul talks resume").count(("LOCATION", "Seoul")) == 4
    assert spans_of(gui, "Manila forum opens") == []  # other documents untouched
    key(qtbot, gui.window.document_view, Qt.Key.Key_Z, CTRL)
    assert spans_of(gui, "Seoul talks resume") == [("LOCATION", "Seoul")]


def test_label_all_occurrences_in_project_previews_and_is_one_undo_step(
    gui: SpanLabApp, qtbot: QtBot, prompts: ScriptedPrompts
) -> None:
    label_word(gui, qtbot, "Seoul", Qt.Key.Key_6)
    prompts.occurrence_choice = lambda found: (
        [o for o in found if "Manila" not in o.title]
        + [o for o in found if "Manila" in o.title][:1]
    )
    key(qtbot, gui.window.document_view, Qt.Key.Key_L, CTRL | SHIFT)
    qtbot.waitUntil(lambda: bool(prompts.occurrence_calls), timeout=10_000)
    previewed = prompts.occurrence_calls[0]
    assert len(previewed) == 4  # 3 more in this document, 1 in "Manila forum opens"
    assert all(o.match == "Seoul" for o in previewed)
    assert spans_of(gui, "Manila forum opens") == [("LOCATION", "Seoul")]
    assert spans_of(gui, "Seoul talks resume").count(("LOCATION", "Seoul")) == 4
    assert "one undo step" in gui.window.status.currentMessage()
    key(qtbot, gui.window.document_view, Qt.Key.Key_Z, CTRL)
    assert spans_of(gui, "Manila forum opens") == []
    assert spans_of(gui, "Seoul talks resume") == [("LOCATION", "Seoul")]


def test_find_then_label_the_match(gui: SpanLabApp, qtbot: QtBot) -> None:
    view = gui.window.document_view
    key(qtbot, view, Qt.Key.Key_F, CTRL)
    bar = gui.window.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "takeda")
    assert bar.count.text() == "1 of 1"
    text = gui.document.text
    assert view.selection_range() == (text.index("Takeda"), text.index("Takeda") + 6)
    key(qtbot, bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible() and view.hasFocus()
    key(qtbot, view, Qt.Key.Key_1)
    assert spans_of(gui, "Seoul talks resume") == [("PERSON", "Takeda")]
    key(qtbot, view, Qt.Key.Key_F, CTRL)
    bar.edit.clear()
    qtbot.keyClicks(bar.edit, "Seoul")
    assert bar.count.text().endswith("of 4")
    first = view.selection_range()
    key(qtbot, bar.edit, Qt.Key.Key_Return)
    assert view.selection_range() != first
    key(qtbot, bar.edit, Qt.Key.Key_Return, SHIFT)
    assert view.selection_range() == first


def test_mark_done_moves_to_the_next_document_not_done_and_reopen(
    gui: SpanLabApp, qtbot: QtBot
) -> None:
    view = gui.window.document_view
    status = gui.window.status
    assert gui.document.document is not None
    assert gui.document.document.title == "Seoul talks resume"
    assert status.position.text() == "Document 1/3"
    key(qtbot, view, Qt.Key.Key_Return, CTRL)
    assert gui.document.document.title == "Manila forum opens"
    assert status.position.text() == "Document 2/3"
    key(qtbot, view, Qt.Key.Key_Return, CTRL)
    assert gui.document.document.title == "Geneva pledges"
    key(qtbot, view, Qt.Key.Key_Return, CTRL)
    assert "Every document is done" in status.currentMessage()
    model = gui.window.document_panel.source
    assert {model.status_of(i) for i in model.document_ids()} == {DocumentStatus.DONE}
    assert gui.window.document_panel.table.model().index(2, 1).data() == "done"
    key(qtbot, view, Qt.Key.Key_Return, CTRL | SHIFT)  # reopen
    assert gui.document.status is DocumentStatus.IN_PROGRESS
    key(qtbot, view, Qt.Key.Key_PageUp, CTRL)
    assert gui.document.document.title == "Manila forum opens"
    key(qtbot, view, Qt.Key.Key_Z, CTRL)  # undo the reopen: back to that document
    assert gui.document.document.title == "Geneva pledges"
    assert gui.document.status is DocumentStatus.DONE


def test_next_and_previous_document_keys_follow_the_filtered_list(
    gui: SpanLabApp, qtbot: QtBot
) -> None:
    view = gui.window.document_view
    key(qtbot, view, Qt.Key.Key_PageDown, CTRL)
    assert gui.document.document is not None
    assert gui.document.document.title == "Manila forum opens"
    key(qtbot, view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert gui.document.document.title == "Geneva pledges"
    key(qtbot, view, Qt.Key.Key_PageDown, CTRL)
    assert "last document" in gui.window.status.currentMessage()
    panel = gui.window.document_panel
    panel.text_filter.setText("seoul")
    assert panel.visible_document_ids() == [gui.window.document_panel.source.document_ids()[0]]
    panel.text_filter.setText("")
    key(qtbot, view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert gui.document.document.title == "Manila forum opens"


def test_document_list_shows_status_and_span_count(gui: SpanLabApp, qtbot: QtBot) -> None:
    label_word(gui, qtbot, "Seoul", Qt.Key.Key_6)
    label_word(gui, qtbot, "Friday", Qt.Key.Key_4)
    table = gui.window.document_panel.table.model()
    assert table.index(0, 0).data() == "Seoul talks resume"
    assert table.index(0, 1).data() == "in progress"
    assert table.index(0, 2).data() == 2
    assert table.index(1, 1).data() == "new"
    panel = gui.window.document_panel
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("in_progress"))
    assert panel.proxy.rowCount() == 1
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("new"))
    assert panel.proxy.rowCount() == 2
