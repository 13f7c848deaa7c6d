"""The find bar under the article (Ctrl+F): query, match count, previous/next, close."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)


class _QueryEdit(QLineEdit):
    """Enter finds the next match, Shift+Enter the previous, Esc closes the bar."""

    next_requested = Signal()
    previous_requested = Signal()
    close_requested = Signal()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if e.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_requested.emit()
            else:
                self.next_requested.emit()
            e.accept()
            return
        if e.key() == Qt.Key.Key_Escape:
            self.close_requested.emit()
            e.accept()
            return
        super().keyPressEvent(e)


class FindBar(QWidget):
    """Find in the open document.

    Signals:
        query_changed(str, bool): the text to find and whether case matters.
        next_requested(): go to the next match.
        previous_requested(): go to the previous match.
        closed(): the bar was closed (Esc or the close button).
    """

    query_changed = Signal(str, bool)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        """A hidden bar."""
        super().__init__(parent)
        self.setObjectName("findBar")
        self.edit = _QueryEdit(self)
        self.edit.setObjectName("findQuery")
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.case = QCheckBox("Match case", self)
        self.count = QLabel("", self)
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(90)
        previous = QToolButton(self)
        previous.setText("▲")
        previous.setToolTip("Previous match (Shift+Enter)")
        following = QToolButton(self)
        following.setText("▼")
        following.setToolTip("Next match (Enter)")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.case)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.edit.textChanged.connect(self._emit_query)
        self.case.toggled.connect(self._emit_query)
        self.edit.next_requested.connect(self.next_requested)
        self.edit.previous_requested.connect(self.previous_requested)
        self.edit.close_requested.connect(self.close_bar)
        following.clicked.connect(self.next_requested)
        previous.clicked.connect(self.previous_requested)
        close.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self, text: str = "") -> None:
        """Show the bar and focus the query (prefilled with ``text`` when given)."""
        self.show()
        if text:
            self.edit.setText(text)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        """Hide the bar."""
        self.hide()
        self.closed.emit()

    def set_count(self, current: int, total: int) -> None:
        """Show "3 of 12" (or "No matches")."""
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{current} of {total}")

    def _emit_query(self) -> None:
        self.query_changed.emit(self.edit.text(), self.case.isChecked())
