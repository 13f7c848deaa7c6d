"""Dialogs on their own: shortcuts (conflicts), occurrence preview, annotator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from spanlab.core.model import DocumentId
from spanlab.core.occurrences import Occurrence
from spanlab.ui.actions import ACTIONS, SPECS
from spanlab.ui.dialogs.annotator_dialog import AnnotatorDialog
from spanlab.ui.dialogs.occurrences_dialog import OccurrencesDialog
from spanlab.ui.dialogs.shortcuts_dialog import ShortcutsDialog, find_conflicts

DEFAULTS = {spec.id: list(spec.shortcuts) for spec in ACTIONS}
LABEL_KEYS = {"1": "PERSON", "P": "PRODUCT"}
NAMES = {spec.id: spec.id for spec in ACTIONS}


def test_default_shortcuts_do_not_conflict() -> None:
    assert find_conflicts(DEFAULTS, LABEL_KEYS, NAMES) == []


def test_conflicts_are_named() -> None:
    clash = {**DEFAULTS, "doc.reopen": ["Ctrl+Z"], "nav.clear": ["P"]}
    problems = find_conflicts(clash, LABEL_KEYS, NAMES)
    assert "Ctrl+Z is used by both edit.undo and doc.reopen" in problems
    assert "P labels spans as PRODUCT; choose another key for nav.clear" in problems


def test_shortcuts_dialog_returns_only_changes_and_refuses_conflicts(qtbot: QtBot) -> None:
    dialog = ShortcutsDialog(ACTIONS, DEFAULTS, LABEL_KEYS)
    qtbot.addWidget(dialog)
    dialog.editors["doc.reopen"].setKeySequence(QKeySequence("Ctrl+Shift+O"))
    assert dialog.overrides() == {"doc.reopen": ["Ctrl+Shift+O"]}
    assert dialog.shortcuts()["edit.redo"] == ["Ctrl+Shift+Z", "Ctrl+Y"]  # unchanged: both keys
    dialog.editors["nav.clear"].setKeySequence(QKeySequence("1"))
    dialog.accept()
    assert dialog.result() == 0
    assert "labels spans as PERSON" in dialog.problem.text()
    dialog.reset_to_defaults()
    assert dialog.overrides() == {}
    assert SPECS["doc.reopen"].shortcuts == ("Ctrl+Shift+Return",)


def occurrence(doc: int, title: str, start: int) -> Occurrence:
    return Occurrence(DocumentId(doc), title, start, start + 5, "in ", "Seoul", " today")


def test_occurrences_dialog_lists_context_and_keeps_ticked_rows(qtbot: QtBot) -> None:
    found = [occurrence(1, "A", 3), occurrence(1, "A", 40), occurrence(2, "B", 7)]
    dialog = OccurrencesDialog(found, needle="Seoul", label="LOCATION")
    qtbot.addWidget(dialog)
    assert dialog.list.item(0).text() == "A  —  …in [Seoul] today…"
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Label 3"
    dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert ok.text() == "Label 2"
    assert dialog.chosen() == [found[0], found[2]]
    for row in range(3):
        dialog.list.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert not ok.isEnabled()


def test_annotator_dialog_offers_names_and_accepts_new_ones(qtbot: QtBot) -> None:
    dialog = AnnotatorDialog(["alice", "bob"], "bob")
    qtbot.addWidget(dialog)
    assert dialog.name() == "bob"
    dialog.combo.setCurrentText("  carol ")
    assert dialog.name() == "carol"
