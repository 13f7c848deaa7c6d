"""A small keyboard-friendly popup: pick one entry (a relation type, an entity) or cancel.

It is not modal: the caller connects :attr:`ChoicePopup.chosen` and shows it, so the
flow stays event driven (and tests can drive it with real key events).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from spanlab.core.schema import RelationSpec, Schema

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class ChoicePopup(QFrame):
    """A title, a list of choices and a hint; Enter or a click picks, Esc cancels.

    Signals:
        chosen(object): the value of the picked entry.
        cancelled(): closed without a choice.
    """

    chosen = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty popup (fill it with :meth:`set_choices`)."""
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("choicePopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("choiceList")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self._done = False
        self.list.itemActivated.connect(self._pick)
        self.list.itemClicked.connect(self._pick)

    def set_choices(
        self, title: str, choices: Sequence[tuple[str, object, str]], hint: str = ""
    ) -> None:
        """Entries as (text, value, tooltip); the first is current."""
        self.title.setText(title)
        self.list.clear()
        for text, value, tip in choices:
            item = QListWidgetItem(text, self.list)
            item.setData(VALUE_ROLE, value)
            if tip:
                item.setToolTip(tip)
        self.list.setCurrentRow(0)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        rows = max(1, min(len(choices), 10))
        self.list.setFixedHeight(rows * (self.list.sizeHintForRow(0) + 2) + 6)
        self.adjustSize()

    def choices(self) -> list[str]:
        """The texts listed."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def values(self) -> list[object]:
        """The values listed."""
        return [self.list.item(i).data(VALUE_ROLE) for i in range(self.list.count())]

    def open_at(self, pos: QPoint) -> None:
        """Show at a global position with the list focused."""
        self._done = False
        self.move(pos)
        self.show()
        self.list.setFocus()

    def choose(self, text: str) -> None:
        """Pick the entry with this text (as a click would)."""
        for i in range(self.list.count()):
            if self.list.item(i).text() == text:
                self._pick(self.list.item(i))
                return
        raise KeyError(text)

    def _pick(self, item: QListWidgetItem) -> None:
        if self._done:
            return
        self._done = True
        value = item.data(VALUE_ROLE)
        self.hide()
        self.chosen.emit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter picks the current entry; Esc cancels."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.list.currentItem()
            if item is not None:
                self._pick(item)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """Closing without a choice cancels."""
        if not self._done:
            self._done = True
            self.cancelled.emit()
        super().hideEvent(event)


def valid_types(schema: Schema, head_label: str, tail_label: str) -> tuple[RelationSpec, ...]:
    """Relation types whose argument constraints fit ``head_label -> tail_label``."""
    return schema.relation_types_for(head_label, tail_label)


def explain_no_type(schema: Schema, head_label: str, tail_label: str) -> str:
    """Why nothing links the pair, with an example of a rule that mentions one label."""
    message = f"No relation type links {head_label} -> {tail_label}"
    example = next(
        (r for r in schema.relations if r.allows(tail_label, head_label)),
        next(
            (
                r
                for r in schema.relations
                if {head_label, tail_label} & (set(r.heads) | set(r.tails))
            ),
            schema.relations[0] if schema.relations else None,
        ),
    )
    return f"{message}; e.g. {example.describe_constraint()}" if example else message


def relation_choices(
    schema: Schema, head_label: str, tail_label: str
) -> tuple[list[tuple[str, object, str]], str]:
    """Popup entries for the valid types and a hint listing a few types that do not fit."""
    fitting = valid_types(schema, head_label, tail_label)
    entries: list[tuple[str, object, str]] = [
        (r.name, r.name, (r.description + " (symmetric)" if r.symmetric else r.description))
        for r in fitting
    ]
    others = [r.describe_constraint() for r in schema.relations if r not in fitting][:3]
    hint = ("Not offered: " + "; ".join(others)) if others else ""
    return entries, hint
