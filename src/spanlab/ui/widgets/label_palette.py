"""The label palette: each label's colour, name and hotkey; clicking one labels the selection."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from spanlab.core.contrast import readable_text_colour
from spanlab.ui.models.label_model import HOTKEY_ROLE, LABEL_NAME_ROLE, LabelModel


class _LabelDelegate(QStyledItemDelegate):
    """Draws a label as a coloured chip with its name, and its hotkey in a key cap."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(metrics.horizontalAdvance("ORGANIZATION") + 60, metrics.height() + 12)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect = QRectF(option.rect).adjusted(3, 2, -3, -2)
        colour = index.data(Qt.ItemDataRole.DecorationRole)
        name = str(index.data(LABEL_NAME_ROLE) or "")
        hotkey = str(index.data(HOTKEY_ROLE) or "")
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background = colour if isinstance(colour, QColor) else QColor("#D9D9D9")
        painter.setPen(QPen(background.darker(150), 2.0 if selected else 1.0))
        painter.setBrush(background)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(QColor(readable_text_colour(background.name())))
        text_rect = rect.adjusted(8, 0, -30, 0)
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name
        )
        if hotkey:
            cap = QRectF(rect.right() - 24, rect.top() + 3, 20, rect.height() - 6)
            painter.setPen(QPen(QColor("#4B5563"), 1.0))
            painter.setBrush(QColor("#FFFFFF"))
            painter.drawRoundedRect(cap, 3, 3)
            painter.setPen(QColor("#111827"))
            painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, hotkey.upper())
        painter.restore()


class LabelPalette(QListView):
    """Lists the schema's labels.

    Signals:
        label_requested(str): the user clicked a label (apply it to the selection).
    """

    label_requested = Signal(str)

    def __init__(self, model: LabelModel, parent: QWidget | None = None) -> None:
        """Show ``model``'s labels."""
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self.setModel(model)
        self.setItemDelegate(_LabelDelegate(self))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QListView.SelectionMode.NoSelection)
        self.setUniformItemSizes(True)
        self.setSpacing(1)
        self.clicked.connect(self._on_clicked)

    def _on_clicked(self, index: QModelIndex) -> None:
        name = index.data(LABEL_NAME_ROLE)
        if name:
            self.label_requested.emit(str(name))
