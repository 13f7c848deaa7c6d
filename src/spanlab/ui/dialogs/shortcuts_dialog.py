"""Remap keyboard shortcuts; conflicts with other actions or label keys are refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spanlab.ui.actions import ActionSpec

_PORTABLE = QKeySequence.SequenceFormat.PortableText


def find_conflicts(
    shortcuts: Mapping[str, Sequence[str]], reserved: Mapping[str, str], names: Mapping[str, str]
) -> list[str]:
    """Readable problems: a key used twice, or a key that is a label hotkey."""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for action_id, sequences in shortcuts.items():
        for sequence in sequences:
            if not sequence:
                continue
            if sequence in reserved:
                problems.append(
                    f"{sequence} labels spans as {reserved[sequence]}; "
                    f"choose another key for {names[action_id]}"
                )
            elif sequence in owner:
                problems.append(
                    f"{sequence} is used by both {names[owner[sequence]]} and {names[action_id]}"
                )
            else:
                owner[sequence] = action_id
    return problems


class ShortcutsDialog(QDialog):
    """One row per action: its name and an editable key (the first of its shortcuts)."""

    def __init__(
        self,
        specs: Sequence[ActionSpec],
        current: Mapping[str, Sequence[str]],
        reserved: Mapping[str, str],
        parent: QWidget | None = None,
    ) -> None:
        """Edit ``current`` shortcuts of ``specs``; ``reserved`` are the label keys."""
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(560, 560)
        self._specs = list(specs)
        self._current = {k: list(v) for k, v in current.items()}
        self._reserved = dict(reserved)
        self._names = {s.id: s.text.replace("&", "").rstrip("…") for s in self._specs}
        self.table = QTableWidget(len(self._specs), 2, self)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.editors: dict[str, QKeySequenceEdit] = {}
        for row, spec in enumerate(self._specs):
            self.table.setItem(row, 0, QTableWidgetItem(self._names[spec.id]))
            sequences = self._current.get(spec.id, [])
            editor = QKeySequenceEdit(QKeySequence(sequences[0] if sequences else "", _PORTABLE))
            editor.setObjectName(f"shortcut.{spec.id}")
            editor.setClearButtonEnabled(True)
            self.table.setCellWidget(row, 1, editor)
            self.editors[spec.id] = editor
        self.problem = QLabel("", self)
        self.problem.setObjectName("shortcutProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B91C1C;")
        reset = QPushButton("Reset All to &Defaults", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("Click a shortcut and press the new keys. Label keys are set in the schema.")
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(reset)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        reset.clicked.connect(self.reset_to_defaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def reset_to_defaults(self) -> None:
        """Show every action's default key."""
        for spec in self._specs:
            self.editors[spec.id].setKeySequence(
                QKeySequence(spec.shortcuts[0] if spec.shortcuts else "", _PORTABLE)
            )

    def shortcuts(self) -> dict[str, list[str]]:
        """Every action's shortcuts as edited.

        An unchanged first key keeps the action's other keys (e.g. Ctrl+Y for redo);
        a changed one replaces them all.
        """
        result: dict[str, list[str]] = {}
        for spec in self._specs:
            edited = self.editors[spec.id].keySequence().toString(_PORTABLE)
            before = self._current.get(spec.id, [])
            defaults = list(spec.shortcuts)
            if before and edited == before[0]:
                result[spec.id] = before
            elif defaults and edited == defaults[0]:
                result[spec.id] = defaults
            else:
                result[spec.id] = [edited] if edited else []
        return result

    def overrides(self) -> dict[str, list[str]]:
        """Only the shortcuts that differ from the defaults (what the settings store)."""
        return {
            spec.id: keys
            for spec in self._specs
            if (keys := self.shortcuts()[spec.id]) != list(spec.shortcuts)
        }

    def accept(self) -> None:
        """Close only without conflicts."""
        problems = find_conflicts(self.shortcuts(), self._reserved, self._names)
        if problems:
            self.problem.setText(problems[0])
            return
        super().accept()
