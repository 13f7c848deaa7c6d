"""Label, relabel, delete, walk spans, undo and redo with real mouse and key events."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import click, drag, inside, key

from spanlab.core.model import DocumentStatus
from spanlab.ui.app import SpanLabApp

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def stored(app: SpanLabApp) -> list[tuple[str, str]]:
    """(label, text) of alice's spans on the open document, from the database."""
    project, annotator = app.session.project, app.session.annotator
    assert project is not None and annotator is not None and app.document.document_id
    return [(s.label, s.text) for s in project.spans(app.document.document_id, annotator.id)]


def test_drag_snaps_to_tokens_and_a_hotkey_labels(gui: SpanLabApp, qtbot: QtBot) -> None:
    view = gui.window.document_view
    text = gui.document.text
    start = text.index("Tae-jin")
    drag(qtbot, view, start - 3, start + 2)  # from inside "Baek" to inside "Tae-jin"
    assert view.selection_range() == (text.index("Baek"), start + len("Tae-jin"))
    key(qtbot, view, Qt.Key.Key_1)
    assert stored(gui) == [("PERSON", "Baek Tae-jin")]
    assert gui.document.status is DocumentStatus.IN_PROGRESS


def test_alt_drag_gives_character_precision_but_never_half_a_grapheme(
    gui: SpanLabApp, qtbot: QtBot
) -> None:
    view = gui.window.document_view
    text = gui.document.text
    seoul = text.index("Seoul on")
    drag(qtbot, view, seoul + 1, seoul + 3, Qt.KeyboardModifier.AltModifier)
    assert view.selection_range() == (seoul + 1, seoul + 3)
    flag = text.index("🇰🇷")
    drag(qtbot, view, flag - 1, flag + 1, Qt.KeyboardModifier.AltModifier)
    start, end = view.selection_range() or (0, 0)
    assert (start, end) == (flag - 1, flag + 2)  # the flag is two code points, kept whole


def test_double_click_selects_a_token(gui: SpanLabApp, qtbot: QtBot) -> None:
    view = gui.window.document_view
    text = gui.document.text
    position = text.index("Tae-jin") + 4
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside(view, position))
    assert view.selection_range() == (text.index("Tae-jin"), text.index("Tae-jin") + 7)


def test_keyboard_only_label_relabel_delete_undo_redo(gui: SpanLabApp, qtbot: QtBot) -> None:
    view = gui.window.document_view
    text = gui.document.text
    key(qtbot, view, Qt.Key.Key_Down)  # second line: "Baek Tae-jin met ..."
    assert view.cursor_position() == text.index("Baek")
    key(qtbot, view, Qt.Key.Key_Right, CTRL | SHIFT, times=2)
    assert view.selection_range() == (text.index("Baek"), text.index(" met"))
    key(qtbot, view, Qt.Key.Key_1)  # PERSON
    assert stored(gui) == [("PERSON", "Baek Tae-jin")]
    key(qtbot, view, Qt.Key.Key_2)  # cursor still in the span: relabel as ROLE
    assert stored(gui) == [("ROLE", "Baek Tae-jin")]
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert stored(gui) == [("PERSON", "Baek Tae-jin")]
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(gui) == [("ROLE", "Baek Tae-jin")]
    key(qtbot, view, Qt.Key.Key_Delete)
    assert stored(gui) == []
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert stored(gui) == [("ROLE", "Baek Tae-jin")]
    key(qtbot, view, Qt.Key.Key_Z, CTRL, times=2)  # relabel, then the add itself
    assert stored(gui) == []
    assert gui.document.status is DocumentStatus.NEW  # the first edit's status change undone
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT, times=3)
    assert stored(gui) == []
    assert gui.session.undo_stack.index() == gui.session.undo_stack.count()


def test_tab_walks_spans_and_escape_clears(gui: SpanLabApp, qtbot: QtBot) -> None:
    view = gui.window.document_view
    text = gui.document.text
    for word, hotkey in (
        ("Seoul on", Qt.Key.Key_6),
        ("Friday", Qt.Key.Key_4),
        ("Kang", Qt.Key.Key_1),
    ):
        start = text.index(word)
        drag(qtbot, view, start, start + len(word.split()[0]))
        key(qtbot, view, hotkey)
    key(qtbot, view, Qt.Key.Key_Escape)
    assert view.current_span() is None and view.selection_range() is None
    view.select_range(0, 0)
    seen = []
    for _ in range(4):
        key(qtbot, view, Qt.Key.Key_Tab)
        span = view.current_span()
        assert span is not None
        seen.append(span.text)
    assert seen == ["Seoul", "Friday", "Kang", "Seoul"]  # wraps around
    key(qtbot, view, Qt.Key.Key_Backtab, SHIFT)
    span = view.current_span()
    assert span is not None and span.text == "Kang"
    table = gui.window.annotations
    assert table.current_span_id() == span.id  # the panel follows the view
    key(qtbot, view, Qt.Key.Key_3)  # relabel the selected span
    assert ("COUNTRY", "Kang") in stored(gui)
    key(qtbot, view, Qt.Key.Key_Escape)
    assert view.current_span() is None


def test_clicks_select_nested_spans_innermost_first_then_cycle(
    gui: SpanLabApp, qtbot: QtBot
) -> None:
    view = gui.window.document_view
    text = gui.document.text
    outer = text.index("The Seoul talks")
    drag(qtbot, view, outer, outer + len("The Seoul talks"))
    key(qtbot, view, Qt.Key.Key_7)  # EVENT over the whole phrase
    inner = outer + len("The ")
    drag(qtbot, view, inner, inner + len("Seoul"))
    key(qtbot, view, Qt.Key.Key_6)  # LOCATION nested inside
    assert sorted(stored(gui)) == [("EVENT", "The Seoul talks"), ("LOCATION", "Seoul")]
    key(qtbot, view, Qt.Key.Key_Escape)
    click(qtbot, view, inner + 1)
    first = view.current_span()
    assert first is not None and first.label == "LOCATION"
    click(qtbot, view, inner + 1)
    second = view.current_span()
    assert second is not None and second.label == "EVENT"
    click(qtbot, view, inner + 1)
    third = view.current_span()
    assert third is not None and third.label == "LOCATION"


def test_selecting_in_the_annotations_panel_scrolls_the_view(gui: SpanLabApp, qtbot: QtBot) -> None:
    view = gui.window.document_view
    text = gui.document.text
    for word in ("Baek", "Kang"):
        start = text.index(word)
        drag(qtbot, view, start, start + 4)
        key(qtbot, view, Qt.Key.Key_1)
    table = gui.window.annotations
    assert table.current_span_id() == gui.document.index.at_row(1).id  # follows the view
    table.setFocus()
    key(qtbot, table, Qt.Key.Key_Up)
    span = view.current_span()
    assert span is not None and span.text == "Baek"
    assert view.cursor_position() == span.start
    key(qtbot, table, Qt.Key.Key_Delete)  # Delete works from the panel too
    assert stored(gui) == [("PERSON", "Kang")]


def test_hotkey_without_selection_explains_what_to_do(gui: SpanLabApp, qtbot: QtBot) -> None:
    view = gui.window.document_view
    key(qtbot, view, Qt.Key.Key_1)
    assert "Select some text first" in gui.window.status.currentMessage()
    assert stored(gui) == []


def test_a_new_span_starts_with_its_labels_default_attributes(
    gui: SpanLabApp, qtbot: QtBot
) -> None:
    """ROLE declares ``former = false``: a new ROLE span carries it; undo takes both away."""
    view = gui.window.document_view
    text = gui.document.text
    start = text.index("Kang")
    drag(qtbot, view, start, start + len("Kang Min-seo"))
    key(qtbot, view, Qt.Key.Key_2)  # ROLE
    project, annotator = gui.session.project, gui.session.annotator
    assert project is not None and annotator is not None and gui.document.document_id
    [span] = project.spans(gui.document.document_id, annotator.id)
    assert (span.label, dict(span.attributes)) == ("ROLE", {"former": False})
    gui.session.undo_stack.undo()  # one step removes the span with its attributes
    assert stored(gui) == []
    gui.session.undo_stack.redo()
    [again] = project.spans(gui.document.document_id, annotator.id)
    assert dict(again.attributes) == {"former": False}
