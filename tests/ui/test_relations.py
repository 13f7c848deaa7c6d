"""Relations: create by keyboard and by Ctrl+drag, valid types only, retype, delete, arcs."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from ui_helpers import inside, key

from spanlab.core.commands import AddRelation
from spanlab.ui.app import SpanLabApp
from spanlab.ui.views.arc_overlay import ArcMode

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton
# Sample document 1 (alice): spans by id
COUNTRY_KOREA, ROLE_FIRST_VICE, BAEK, JAPANESE, ROLE_VICE, TAKEDA, SEOUL, FRIDAY, TALKS = range(
    1, 10
)
MINISTRY = 10


def relations(app: SpanLabApp) -> set[tuple[str, int, int]]:
    """(type, head, tail) of alice's relations on the open document, from the database."""
    project, annotator = app.session.project, app.session.annotator
    assert project is not None and annotator is not None and app.document.document_id
    return {
        (r.label, int(r.head_id), int(r.tail_id))
        for r in project.relations(app.document.document_id, annotator.id)
    }


def open_first(app: SpanLabApp) -> None:
    app.documents.open(1)
    assert app.document.index.get(BAEK) is not None
    assert app.document.index.get(BAEK).text == "Baek Tae-jin"  # type: ignore[union-attr]
    app.window.document_view.setFocus()


def test_keyboard_r_tab_enter_and_type_creates_a_relation_undo_redo(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    open_first(sample_gui)
    view = sample_gui.window.document_view
    controller = sample_gui.tools.relations
    before = relations(sample_gui)
    view.select_span(BAEK)
    key(qtbot, view, Qt.Key.Key_R)
    assert controller.picking
    key(qtbot, view, Qt.Key.Key_Tab, times=2)  # Japanese, then the Vice Minister role
    assert controller.candidate is not None and controller.candidate.id == ROLE_VICE
    key(qtbot, view, Qt.Key.Key_Tab, SHIFT)
    assert controller.candidate.id == JAPANESE
    key(qtbot, view, Qt.Key.Key_Tab)
    key(qtbot, view, Qt.Key.Key_Return)
    popup = controller.popup
    assert popup.isVisible()
    assert popup.values() == ["HOLDS_ROLE"]  # PERSON -> ROLE: only HOLDS_ROLE fits
    key(qtbot, popup.list, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert relations(sample_gui) == before | {("HOLDS_ROLE", BAEK, ROLE_VICE)}
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert relations(sample_gui) == before
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert relations(sample_gui) == before | {("HOLDS_ROLE", BAEK, ROLE_VICE)}


def test_esc_cancels_choosing_the_tail(sample_gui: SpanLabApp, qtbot: QtBot) -> None:
    open_first(sample_gui)
    view = sample_gui.window.document_view
    before = relations(sample_gui)
    view.select_span(BAEK)
    key(qtbot, view, Qt.Key.Key_R)
    key(qtbot, view, Qt.Key.Key_Tab)
    key(qtbot, view, Qt.Key.Key_Escape)
    assert not sample_gui.tools.relations.picking
    assert not sample_gui.tools.relations.popup.isVisible()
    assert view.current_span() is not None and view.current_span().id == BAEK  # type: ignore[union-attr]
    assert relations(sample_gui) == before


def test_person_to_person_offers_meets_and_a_duplicate_is_explained(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    open_first(sample_gui)
    view = sample_gui.window.document_view
    controller = sample_gui.tools.relations
    before = relations(sample_gui)
    assert ("MEETS", BAEK, TAKEDA) in before
    view.select_span(TAKEDA)
    key(qtbot, view, Qt.Key.Key_R)
    key(qtbot, view, Qt.Key.Key_Tab, SHIFT, times=3)  # Vice Minister role, Japanese, Baek
    key(qtbot, view, Qt.Key.Key_Return)
    assert controller.popup.values() == ["MEETS"]
    key(qtbot, controller.popup.list, Qt.Key.Key_Return)
    # MEETS is symmetric and stored once: the core refuses, and the user is told why.
    assert relations(sample_gui) == before
    assert "already linked by MEETS" in sample_gui.window.status.currentMessage()


def test_an_invalid_pair_is_explained_not_silently_refused(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    open_first(sample_gui)
    view = sample_gui.window.document_view
    before = relations(sample_gui)
    view.select_span(ROLE_FIRST_VICE)
    key(qtbot, view, Qt.Key.Key_R)
    key(qtbot, view, Qt.Key.Key_Tab)  # Baek (PERSON)
    key(qtbot, view, Qt.Key.Key_Return)
    assert not sample_gui.tools.relations.popup.isVisible()
    assert sample_gui.window.status.currentMessage() == (
        "No relation type links ROLE -> PERSON; e.g. HOLDS_ROLE needs PERSON -> ROLE"
    )
    assert relations(sample_gui) == before


def test_ctrl_drag_from_span_to_span_creates_a_relation(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    open_first(sample_gui)
    view = sample_gui.window.document_view
    controller = sample_gui.tools.relations
    index = sample_gui.document.index
    takeda, talks = index.get(TAKEDA), index.get(TALKS)
    assert takeda is not None and talks is not None
    before = relations(sample_gui)
    viewport = view.viewport()
    start, end = inside(view, takeda.start + 2), inside(view, talks.start + 1)
    qtbot.mousePress(viewport, LEFT, CTRL, start)
    qtbot.mouseMove(viewport, QPoint((start.x() + end.x()) // 2, end.y()))
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, LEFT, CTRL, end)
    assert view.selection_range() is None  # the drag did not select text
    assert controller.popup.isVisible()
    assert controller.popup.values() == ["PARTICIPATES_IN"]
    controller.popup.choose("PARTICIPATES_IN")
    assert relations(sample_gui) == before | {("PARTICIPATES_IN", TAKEDA, TALKS)}
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert relations(sample_gui) == before


def _relation_id(app: SpanLabApp, label: str, head: int, tail: int) -> int:
    project, annotator = app.session.project, app.session.annotator
    assert project is not None and annotator is not None and app.document.document_id
    for relation in project.relations(app.document.document_id, annotator.id):
        if (relation.label, relation.head_id, relation.tail_id) == (label, head, tail):
            return int(relation.id)
    raise AssertionError((label, head, tail))


def test_panel_lists_selects_retypes_and_deletes(sample_gui: SpanLabApp, qtbot: QtBot) -> None:
    open_first(sample_gui)
    view = sample_gui.window.document_view
    panel = sample_gui.window.relations_panel
    controller = sample_gui.tools.relations
    assert sample_gui.session.run(AddRelation(BAEK, MINISTRY, "REPRESENTS"))
    before = relations(sample_gui)
    assert panel.model.rowCount() == len(before)
    relation_id = _relation_id(sample_gui, "REPRESENTS", BAEK, MINISTRY)
    panel.select_relation(relation_id)
    assert view.current_span() is not None and view.current_span().id == BAEK  # type: ignore[union-attr]
    row = panel.model.row_of(relation_id)
    assert row is not None
    assert panel.model.index(row, 1).data() == "REPRESENTS"
    assert panel.model.index(row, 2).data() == "ORGANIZATION “Ministry of Foreign Affairs”"
    qtbot.mouseClick(panel.retype_button, LEFT)
    assert controller.popup.values() == ["MEMBER_OF"]  # the other type PERSON -> ORG allows
    key(qtbot, controller.popup.list, Qt.Key.Key_Return)
    retyped = (before - {("REPRESENTS", BAEK, MINISTRY)}) | {("MEMBER_OF", BAEK, MINISTRY)}
    assert relations(sample_gui) == retyped
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert relations(sample_gui) == before
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert relations(sample_gui) == retyped
    panel.select_relation(relation_id)
    panel.table.setFocus()
    key(qtbot, panel.table, Qt.Key.Key_Delete)
    assert relations(sample_gui) == retyped - {("MEMBER_OF", BAEK, MINISTRY)}
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert relations(sample_gui) == retyped


def test_arcs_are_drawn_for_visible_relations_and_the_toggle_cycles(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    open_first(sample_gui)
    view = sample_gui.window.document_view
    overlay = sample_gui.tools.relations.overlay
    overlay.set_mode(ArcMode.ALL)
    view.repaint()
    arcs = overlay.arcs()
    ids = {arc.relation_id for arc in arcs}
    meets = _relation_id(sample_gui, "MEETS", BAEK, TAKEDA)
    holds = _relation_id(sample_gui, "HOLDS_ROLE", BAEK, ROLE_FIRST_VICE)
    assert {meets, holds} <= ids
    by_id = {arc.relation_id: arc for arc in arcs}
    assert by_id[meets].symmetric and not by_id[holds].symmetric
    assert by_id[holds].label == "HOLDS_ROLE"
    # Arcs starting on one line are stacked so that their labels do not overlap.
    for a in arcs:
        for b in arcs:
            if a is not b and not (a.partial or b.partial):
                assert not a.label_rect.intersects(b.label_rect), (a.label, b.label)
    # Pixels: the label of an arc is painted (compare with arcs hidden).
    rect = by_id[holds].label_rect.toRect()
    shown = view.viewport().grab(rect).toImage()
    overlay.set_mode(ArcMode.NONE)
    view.repaint()
    hidden = view.viewport().grab(rect).toImage()
    assert shown != hidden
    overlay.set_mode(ArcMode.ALL)
    # View › cycle: all -> selected span's -> none -> all, remembered in the settings.
    cycle = sample_gui.actions.action("view.arcs")
    view.select_span(ROLE_VICE)
    cycle.trigger()
    assert overlay.mode is ArcMode.SELECTED
    assert sample_gui.settings.arc_mode == "selected"
    selected = {arc.relation_id for arc in overlay.arcs()}
    assert selected and meets not in selected
    assert selected <= ids
    cycle.trigger()
    assert overlay.mode is ArcMode.NONE and overlay.arcs() == []
    cycle.trigger()
    assert overlay.mode is ArcMode.ALL and sample_gui.settings.arc_mode == "all"


def test_an_arc_to_a_span_out_of_view_goes_to_the_edge(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    open_first(sample_gui)
    view = sample_gui.window.document_view
    spans = list(sample_gui.document.index)
    far = next(s for s in reversed(spans) if s.label in ("COUNTRY", "ORGANIZATION"))
    assert sample_gui.session.run(AddRelation(BAEK, far.id, "REPRESENTS"))
    relation_id = _relation_id(sample_gui, "REPRESENTS", BAEK, far.id)
    view.verticalScrollBar().setValue(0)
    view.repaint()
    _start, end = view.visible_range()
    assert end <= far.start  # the tail is below the viewport
    overlay = sample_gui.tools.relations.overlay
    arc = next(a for a in overlay.arcs() if a.relation_id == relation_id)
    assert arc.head_visible and not arc.tail_visible
    assert arc.tail.y() == view.viewport().height()  # drawn down to the bottom edge
    assert arc.label_rect.bottom() <= view.viewport().height()
