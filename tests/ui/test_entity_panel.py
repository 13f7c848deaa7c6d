"""Entity panel: G groups the current span into a new or existing entity; rename; undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from ui_helpers import key

from spanlab.core.entities import entity_mentions
from spanlab.ui.app import SpanLabApp
from spanlab.ui.controllers.entities import NEW_ENTITY_TEXT, SEVERAL_TEXT
from spanlab.ui.dialogs.group_mentions_dialog import SPAN_ROLE, GroupMentionsDialog

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
BAEK, TAKEDA = 3, 6


def stored(app: SpanLabApp) -> list[tuple[str, list[int]]]:
    """(name, mention ids) of alice's entities on the open document, from the database."""
    project, annotator = app.session.project, app.session.annotator
    assert project is not None and annotator is not None and app.document.document_id
    return [
        (entity.name, [int(s.id) for s in mentions])
        for entity, mentions in entity_mentions(project, app.document.document_id, annotator.id)
    ]


def test_group_mentions_rename_remove_undo_redo(sample_gui: SpanLabApp, qtbot: QtBot) -> None:
    sample_gui.documents.open(1)
    view = sample_gui.window.document_view
    view.setFocus()
    chooser = sample_gui.tools.entities.popup
    model = sample_gui.window.entity_panel.model
    assert stored(sample_gui) == []
    view.select_span(BAEK)
    key(qtbot, view, Qt.Key.Key_G)
    assert chooser.isVisible()
    assert chooser.choices() == [NEW_ENTITY_TEXT, SEVERAL_TEXT]
    key(qtbot, chooser.list, Qt.Key.Key_Return)
    assert stored(sample_gui) == [("Baek Tae-jin", [BAEK])]
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "Baek Tae-jin"
    assert model.index(0, 1).data() == "1"
    view.setFocus()
    view.select_span(TAKEDA)
    key(qtbot, view, Qt.Key.Key_G)
    assert chooser.choices() == ["Baek Tae-jin (1)", NEW_ENTITY_TEXT, SEVERAL_TEXT]
    key(qtbot, chooser.list, Qt.Key.Key_Return)  # the first: the existing entity
    assert stored(sample_gui) == [("Baek Tae-jin", [BAEK, TAKEDA])]
    # Rename in place (as typing over the name in the tree does).
    model.setData(model.index(0, 0), "The vice ministers")
    assert stored(sample_gui) == [("The vice ministers", [BAEK, TAKEDA])]
    model.setData(model.index(0, 0), "   ")  # blank: refused by the core, name restored
    assert stored(sample_gui) == [("The vice ministers", [BAEK, TAKEDA])]
    assert model.index(0, 0).data() == "The vice ministers"
    view.setFocus()
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert stored(sample_gui) == [("Baek Tae-jin", [BAEK, TAKEDA])]
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert stored(sample_gui) == [("Baek Tae-jin", [BAEK])]
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT, times=2)
    assert stored(sample_gui) == [("The vice ministers", [BAEK, TAKEDA])]
    # Remove one mention from the panel, then delete the entity (spans stay).
    panel = sample_gui.window.entity_panel
    panel.tree.expandAll()
    panel.tree.setCurrentIndex(model.index(1, 0, model.index(0, 0)))
    panel.remove_button.click()
    assert stored(sample_gui) == [("The vice ministers", [BAEK])]
    panel.tree.setCurrentIndex(model.index(0, 0))
    panel.delete_button.click()
    assert stored(sample_gui) == []
    assert sample_gui.document.index.get(BAEK) is not None
    sample_gui.session.undo_stack.undo()
    assert stored(sample_gui) == [("The vice ministers", [BAEK])]


def test_a_span_in_another_entity_is_refused_with_a_message(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    sample_gui.documents.open(1)
    view = sample_gui.window.document_view
    chooser = sample_gui.tools.entities.popup
    view.setFocus()
    view.select_span(BAEK)
    key(qtbot, view, Qt.Key.Key_G)
    chooser.choose(NEW_ENTITY_TEXT)
    view.setFocus()
    view.select_span(TAKEDA)
    key(qtbot, view, Qt.Key.Key_G)
    chooser.choose(NEW_ENTITY_TEXT)
    assert len(stored(sample_gui)) == 2
    view.setFocus()
    view.select_span(BAEK)
    key(qtbot, view, Qt.Key.Key_G)
    chooser.choose(chooser.choices()[1])  # Takeda's entity: Baek already has one
    assert len(stored(sample_gui)) == 2
    assert sample_gui.window.status.currentMessage() != ""


def test_group_several_mentions_into_one_entity_in_one_undo_step(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    sample_gui.documents.open(1)
    view = sample_gui.window.document_view
    controller = sample_gui.tools.entities
    index = sample_gui.document.index
    persons = [int(s.id) for s in index if s.label == "PERSON"]
    assert len(persons) >= 3 and persons[:2] == [BAEK, TAKEDA]
    chosen = persons[:3]
    # G on Baek, then "Group several mentions…": Baek comes preselected.
    view.setFocus()
    view.select_span(BAEK)
    key(qtbot, view, Qt.Key.Key_G)
    controller.popup.choose(SEVERAL_TEXT)
    dialog = controller.several
    assert isinstance(dialog, GroupMentionsDialog) and dialog.isVisible()
    assert dialog.selected_span_ids() == [BAEK]
    # Ctrl+click two more mentions in the list.
    listing = dialog.list
    for span_id in chosen[1:]:
        row = next(i for i in range(listing.count()) if listing.item(i).data(SPAN_ROLE) == span_id)
        listing.scrollToItem(listing.item(row))
        rect = listing.visualItemRect(listing.item(row))
        qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, CTRL, rect.center())
    assert dialog.selected_span_ids() == chosen
    # The filter narrows the list; hidden rows are not grouped.
    dialog.filter.setText("zzz-no-such-mention")
    assert dialog.selected_span_ids() == []
    dialog.filter.setText("")
    assert dialog.selected_span_ids() == chosen
    suggested = dialog.name.placeholderText()
    assert suggested in {index.get(span_id).text for span_id in chosen}  # type: ignore[union-attr]
    group = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert group.isEnabled() and "3" in group.text()
    qtbot.mouseClick(group, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    ((name, mentions),) = stored(sample_gui)
    assert mentions == chosen and name == suggested  # the core's suggestion, shown as a hint
    panel_model = sample_gui.window.entity_panel.model
    assert panel_model.rowCount() == 1 and panel_model.index(0, 1).data() == "3"
    # One undo removes the whole entity; redo brings it back with its three mentions.
    view.setFocus()
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert stored(sample_gui) == []
    key(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(sample_gui) == [(suggested, chosen)]


def test_group_several_adds_to_an_existing_entity_with_a_name(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    sample_gui.documents.open(1)
    controller = sample_gui.tools.entities
    panel = sample_gui.window.entity_panel
    panel.group_several_button.click()
    dialog = controller.several
    assert dialog is not None
    dialog.select_spans([BAEK])
    dialog.name.setText("Vice Minister Baek")
    dialog.buttons.accepted.emit()
    assert stored(sample_gui) == [("Vice Minister Baek", [BAEK])]
    # Now Baek is grouped: he is no longer offered; Takeda joins Baek's entity.
    panel.group_several_button.click()
    dialog = controller.several
    assert dialog is not None
    offered = [dialog.list.item(i).data(SPAN_ROLE) for i in range(dialog.list.count())]
    assert BAEK not in offered and TAKEDA in offered
    dialog.target.setCurrentIndex(1)  # Add to "Vice Minister Baek"
    assert not dialog.name.isEnabled()
    dialog.select_spans([TAKEDA])
    dialog.buttons.accepted.emit()
    assert stored(sample_gui) == [("Vice Minister Baek", [BAEK, TAKEDA])]
    sample_gui.session.undo_stack.undo()
    assert stored(sample_gui) == [("Vice Minister Baek", [BAEK])]
