"""The schema editor: rename keeps spans, new labels get hotkeys, one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts, drag, key

from spanlab.core.project import default_schema
from spanlab.core.schema import Schema
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dialogs.schema_editor import SchemaEditor

CTRL = Qt.KeyboardModifier.ControlModifier


def edit(qtbot: QtBot, schema: Schema) -> tuple[Schema, dict[str, str]] | None:
    """What a user does in the dialog: rename PERSON, recolour it, add PRODUCT on key p."""
    dialog = SchemaEditor(schema)
    qtbot.addWidget(dialog)
    table = dialog.table
    table.item(0, SchemaEditor.NAME).setText("PER")  # type: ignore[union-attr]
    dialog.set_colour(0, "#FFE0B2")
    dialog.add_label()
    row = table.rowCount() - 1
    table.item(row, SchemaEditor.NAME).setText("PRODUCT")  # type: ignore[union-attr]
    table.item(row, SchemaEditor.HOTKEY).setText("p")  # type: ignore[union-attr]
    dialog.accept()
    return dialog.result_schema()


def test_editor_refuses_duplicate_hotkeys_and_explains(qtbot: QtBot) -> None:
    dialog = SchemaEditor(default_schema())
    qtbot.addWidget(dialog)
    dialog.table.item(1, SchemaEditor.HOTKEY).setText("1")  # type: ignore[union-attr]
    dialog.accept()
    assert dialog.result() == 0 and dialog.result_schema() is None
    assert "hotkey '1' is used by PERSON and ROLE" in dialog.problem.text()
    dialog.table.setCurrentCell(dialog.table.rowCount() - 1, 0)
    dialog.remove_selected()
    assert dialog.table.rowCount() == len(default_schema().labels) - 1


def test_rename_keeps_spans_and_new_label_hotkey_works(
    gui: SpanLabApp, qtbot: QtBot, prompts: ScriptedPrompts
) -> None:
    view = gui.window.document_view
    text = gui.document.text
    drag(qtbot, view, text.index("Baek"), text.index("Baek") + 4)
    key(qtbot, view, Qt.Key.Key_1)
    prompts.schema_answer = lambda schema: edit(qtbot, schema)
    key(qtbot, view, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    project = gui.session.project
    assert project is not None
    assert project.schema().label("PER") is not None
    assert [s.label for s in gui.document.index] == ["PER"]
    palette = gui.window.label_palette.model()
    assert palette.index(0, 0).data() == "PER"
    assert "label.apply.PRODUCT" in {a.objectName() for a in gui.actions.label_actions()}
    drag(qtbot, view, text.index("Kang"), text.index("Kang") + 4)
    key(qtbot, view, Qt.Key.Key_P)
    assert sorted(s.label for s in gui.document.index) == ["PER", "PRODUCT"]
    key(qtbot, view, Qt.Key.Key_Z, CTRL, times=2)  # the PRODUCT span, then the schema
    assert project.schema().label("PERSON") is not None
    assert [s.label for s in gui.document.index] == ["PERSON"]
    assert gui.window.label_palette.model().index(0, 0).data() == "PERSON"
