"""The attributes dock: edit the selected span's (or relation's) attributes by schema kind.

text -> line edit, choice -> combo box (first entry: not set), boolean -> check box,
date/country -> line edit with a "Suggest: …" button when the core has a suggestion
for an unset value. The panel only reports edits; the controller runs the commands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.normalize.suggest import Suggestion
from spanlab.core.schema import AttributeKind, AttributeSpec

NOTHING = "Select a span (or a relation in the Relations panel) to see its attributes."
UNSET = "(not set)"


class AttributePanel(QWidget):
    """A form over one span's or relation's attributes.

    Signals:
        edited(str, int, object): target kind ("span"/"relation"), its id and the
            complete new attribute mapping.
        suggestion_accepted(int, str): span id and attribute whose suggestion to apply.
    """

    edited = Signal(str, int, object)
    suggestion_accepted = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty panel."""
        super().__init__(parent)
        self.setObjectName("attributePanel")
        self.title = QLabel(NOTHING, self)
        self.title.setWordWrap(True)
        self._form_host = QWidget(self)
        self._form = QFormLayout(self._form_host)
        content = QWidget(self)
        inner = QVBoxLayout(content)
        inner.setContentsMargins(6, 6, 6, 6)
        inner.addWidget(self.title)
        inner.addWidget(self._form_host)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._kind = ""
        self._target = -1
        self._values: dict[str, Any] = {}
        self._editors: dict[str, QWidget] = {}
        self._suggest: dict[str, QPushButton] = {}

    # ------------------------------------------------------------------ access
    @property
    def target(self) -> tuple[str, int]:
        """("span" or "relation", id), or ("", -1) when empty."""
        return self._kind, self._target

    def editor(self, name: str) -> QWidget:
        """The editor of attribute ``name`` (tests drive it)."""
        return self._editors[name]

    def suggest_button(self, name: str) -> QPushButton | None:
        """The "Suggest: …" button of an attribute, when there is a suggestion."""
        return self._suggest.get(name)

    # ------------------------------------------------------------------ content
    def clear(self) -> None:
        """Show nothing."""
        self._show("", -1, NOTHING, (), {}, {})

    def show_target(
        self,
        kind: str,
        target_id: int,
        title: str,
        specs: Sequence[AttributeSpec],
        values: Mapping[str, Any],
        suggestions: Mapping[str, Suggestion] | None = None,
    ) -> None:
        """Edit ``values`` of a span or relation whose attributes ``specs`` declares."""
        if not specs:
            title += "\nNo attributes are defined for it in the schema."
        self._show(kind, target_id, title, specs, values, suggestions or {})

    def _show(
        self,
        kind: str,
        target_id: int,
        title: str,
        specs: Sequence[AttributeSpec],
        values: Mapping[str, Any],
        suggestions: Mapping[str, Suggestion],
    ) -> None:
        self._kind, self._target = kind, target_id
        self._values = dict(values)
        self.title.setText(title)
        while self._form.rowCount():
            self._form.removeRow(0)
        self._editors = {}
        self._suggest = {}
        for spec in specs:
            editor = self._editor(spec, values.get(spec.name))
            editor.setToolTip(spec.description)
            self._editors[spec.name] = editor
            suggestion = suggestions.get(spec.name)
            if suggestion is not None:
                row = QWidget(self._form_host)
                box = QVBoxLayout(row)
                box.setContentsMargins(0, 0, 0, 0)
                box.addWidget(editor)
                button = QPushButton(f"Suggest: {suggestion.value} ({suggestion.explanation})", row)
                button.setObjectName(f"suggest.{spec.name}")
                button.setToolTip("Fill in the suggested value (an undoable edit)")
                button.clicked.connect(
                    lambda _checked=False, name=spec.name: self.suggestion_accepted.emit(
                        self._target, name
                    )
                )
                box.addWidget(button)
                self._suggest[spec.name] = button
                self._form.addRow(spec.name, row)
            else:
                self._form.addRow(spec.name, editor)

    def _editor(self, spec: AttributeSpec, value: object) -> QWidget:
        name = spec.name
        if spec.kind is AttributeKind.BOOLEAN:
            check = QCheckBox(self._form_host)
            check.setChecked(bool(value))
            check.clicked.connect(lambda checked, n=name: self._set(n, bool(checked)))
            return check
        if spec.kind is AttributeKind.CHOICE:
            combo = QComboBox(self._form_host)
            combo.addItem(UNSET, None)
            for choice in spec.choices:
                combo.addItem(choice, choice)
            found = combo.findData(value) if value is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.activated.connect(lambda i, n=name, c=combo: self._set(n, c.itemData(i)))
            return combo
        line = QLineEdit(self._form_host)
        line.setText("" if value is None else str(value))
        if spec.kind is AttributeKind.DATE:
            line.setPlaceholderText("YYYY-MM-DD, YYYY-MM, YYYY-Www or a range a/b")
        elif spec.kind is AttributeKind.COUNTRY:
            line.setPlaceholderText("ISO 3166-1 alpha-2 code, e.g. KR")
        line.editingFinished.connect(lambda n=name, e=line: self._set(n, e.text().strip() or None))
        return line

    def _set(self, name: str, value: object) -> None:
        if self._kind == "" or self._values.get(name) == value:
            return
        if value is None and name not in self._values:
            return
        values = dict(self._values)
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
        self._values = values
        self.edited.emit(self._kind, self._target, values)
