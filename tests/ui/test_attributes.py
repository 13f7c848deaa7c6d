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
