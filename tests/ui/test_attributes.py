"""Attribute panel: edit by schema kind, accept and override suggestions, undo and redo."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot
from ui_helpers import key

from spanlab.core.commands import AddRelation, UpdateSchema, UpdateSpan
from spanlab.core.schema import AttributeKind, AttributeSpec
from spanlab.ui.app import SpanLabApp

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton
ROLE_FIRST_VICE, FRIDAY, TALKS = 2, 8, 9


def attributes(app: SpanLabApp, span_id: int) -> dict[str, object]:
    """A span's attributes as stored."""
    project = app.session.project
    assert project is not None
    return dict(project.span(span_id).attributes)


def open_first(app: SpanLabApp) -> None:
    app.documents.open(1)
    assert app.document.index.get(FRIDAY) is not None
    app.window.document_view.setFocus()


def test_boolean_attribute_edit_is_undoable(sample_gui: SpanLabApp, qtbot: QtBot) -> None:
    open_first(sample_gui)
    view, panel = sample_gui.window.document_view, sample_gui.window.attribute_panel
    view.select_span(ROLE_FIRST_VICE)
    assert panel.target == ("span", ROLE_FIRST_VICE)
    check = panel.editor("former")
    assert isinstance(check, QCheckBox) and not check.isChecked()
    check.click()  # as a click or Space does
    assert attributes(sample_gui, ROLE_FIRST_VICE) == {"former": True}
    view.setFocus()
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert attributes(sample_gui, ROLE_FIRST_VICE) == {}
    check = panel.editor("former")
    assert isinstance(check, QCheckBox) and not check.isChecked()  # the panel follows undo
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert attributes(sample_gui, ROLE_FIRST_VICE) == {"former": True}


def test_text_attribute_edit(sample_gui: SpanLabApp, qtbot: QtBot) -> None:
    project = sample_gui.session.project
    assert project is not None
    schema = project.schema()
    event = schema.label("EVENT")
    assert event is not None
    note = AttributeSpec("note", AttributeKind.TEXT, "Free text")
    labels = tuple(
        dataclasses.replace(label, attributes=(*label.attributes, note))
        if label.name == "EVENT"
        else label
        for label in schema.labels
    )
    assert sample_gui.session.run(UpdateSchema(dataclasses.replace(schema, labels=labels)))
    open_first(sample_gui)
    view, panel = sample_gui.window.document_view, sample_gui.window.attribute_panel
    view.select_span(TALKS)
    line = panel.editor("note")
    assert isinstance(line, QLineEdit)
    line.setFocus()
    qtbot.keyClicks(line, "vice-ministerial")
    key(qtbot, line, Qt.Key.Key_Return)
    assert attributes(sample_gui, TALKS) == {"note": "vice-ministerial"}
    line = panel.editor("note")
    assert isinstance(line, QLineEdit) and line.text() == "vice-ministerial"
    line.setFocus()
    line.selectAll()
    key(qtbot, line, Qt.Key.Key_Delete)
    key(qtbot, line, Qt.Key.Key_Return)
    assert attributes(sample_gui, TALKS) == {}  # cleared means not set


def test_relation_choice_attribute(sample_gui: SpanLabApp, qtbot: QtBot) -> None:
    open_first(sample_gui)
    command = AddRelation(TALKS, FRIDAY + 3, "HAPPENED_ON")  # talks -> "March"
    assert sample_gui.session.run(command) and command.relation_id is not None
    relation_id = int(command.relation_id)
    sample_gui.window.relations_panel.select_relation(relation_id)
    panel = sample_gui.window.attribute_panel
    assert panel.target == ("relation", relation_id)
    combo = panel.editor("certainty")
    assert isinstance(combo, QComboBox)
    index = combo.findText("approximate")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    project = sample_gui.session.project
    assert project is not None

    def stored() -> dict[str, object]:
        assert project is not None and sample_gui.session.annotator is not None
        found = [
            r for r in project.relations(1, sample_gui.session.annotator.id) if r.id == relation_id
        ]
        return dict(found[0].attributes)

    assert stored().get("certainty") == "approximate"
    sample_gui.session.undo_stack.undo()
    assert stored().get("certainty") != "approximate"
    combo = panel.editor("certainty")
    assert isinstance(combo, QComboBox) and combo.currentText() != "approximate"
    sample_gui.session.undo_stack.redo()
    assert stored().get("certainty") == "approximate"


def test_accept_a_suggested_date_then_override_it(sample_gui: SpanLabApp, qtbot: QtBot) -> None:
    open_first(sample_gui)
    assert sample_gui.session.run(UpdateSpan(FRIDAY, attributes={}))  # as if never normalised
    view, panel = sample_gui.window.document_view, sample_gui.window.attribute_panel
    view.select_span(FRIDAY)
    button = panel.suggest_button("normalized")
    assert button is not None
    assert button.text().startswith("Suggest: 2023-10-06 (")
    qtbot.mouseClick(button, LEFT)
    assert attributes(sample_gui, FRIDAY) == {"normalized": "2023-10-06"}
    assert panel.suggest_button("normalized") is None  # set: no more suggestion
    line = panel.editor("normalized")
    assert isinstance(line, QLineEdit) and line.text() == "2023-10-06"
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "2023-10-13")
    key(qtbot, line, Qt.Key.Key_Return)
    assert attributes(sample_gui, FRIDAY) == {"normalized": "2023-10-13"}
    # A suggestion never overwrites a value that is set.
    sample_gui.tools.attributes.accept_suggestion(FRIDAY, "normalized")
    assert attributes(sample_gui, FRIDAY) == {"normalized": "2023-10-13"}
    stack = sample_gui.session.undo_stack
    stack.undo()
    assert attributes(sample_gui, FRIDAY) == {"normalized": "2023-10-06"}
    stack.undo()
    assert attributes(sample_gui, FRIDAY) == {}
    button = panel.suggest_button("normalized")
    assert button is not None  # unset again: suggested again
    stack.redo()
    stack.redo()
    assert attributes(sample_gui, FRIDAY) == {"normalized": "2023-10-13"}


def test_a_new_relation_stores_its_types_default_attributes_in_one_undo_step(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    open_first(sample_gui)
    project, annotator = sample_gui.session.project, sample_gui.session.annotator
    assert project is not None and annotator is not None
    index = sample_gui.document.index
    talks, march = index.get(TALKS), index.get(FRIDAY + 3)
    assert talks is not None and march is not None and march.label == "DATE"

    def stored() -> dict[tuple[int, int], dict[str, object]]:
        assert annotator is not None
        return {
            (int(r.head_id), int(r.tail_id)): dict(r.attributes)
            for r in project.relations(1, annotator.id)
            if r.label == "HAPPENED_ON"
        }

    assert (TALKS, march.id) not in stored()
    controller = sample_gui.tools.relations
    assert controller.ask_type(talks, march)
    assert controller.popup.values() == ["HAPPENED_ON"]
    key(qtbot, controller.popup.list, Qt.Key.Key_Return)
    assert stored()[(TALKS, march.id)] == {"certainty": "exact"}  # the schema's default
    # The attribute panel shows it as set on the new relation.
    relation_id = next(
        int(r.id)
        for r in project.relations(1, annotator.id)
        if r.head_id == TALKS and r.tail_id == march.id
    )
    sample_gui.window.relations_panel.select_relation(relation_id)
    combo = sample_gui.window.attribute_panel.editor("certainty")
    assert isinstance(combo, QComboBox) and combo.currentText() == "exact"
    sample_gui.session.undo_stack.undo()  # one step removes the relation and its values
    assert (TALKS, march.id) not in stored()
    sample_gui.session.undo_stack.redo()
    assert stored()[(TALKS, march.id)] == {"certainty": "exact"}
    # A type without defaults stores no attributes.
    baek, ministry = index.get(3), index.get(10)
    assert baek is not None and ministry is not None and ministry.label == "ORGANIZATION"
    assert controller.ask_type(baek, ministry)
    controller.popup.choose("MEMBER_OF")
    member = [r for r in project.relations(1, annotator.id) if r.label == "MEMBER_OF"]
    assert [dict(r.attributes) for r in member if r.head_id == 3] == [{}]
