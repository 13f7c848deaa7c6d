"""Small QPainter charts: a clickable heatmap, stacked and grouped bars, a daily bar chart."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1")
MARGIN = 8.0


def value_colour(value: float | None) -> QColor:
    """Red (0 or less) through yellow to green (1); grey when undefined."""
    if value is None:
        return QColor("#dddddd")
    v = max(0.0, min(1.0, value))
    if v < 0.5:
        return QColor.fromRgbF(0.9, 0.35 + 0.55 * (v / 0.5), 0.3)
    return QColor.fromRgbF(0.9 - 0.6 * ((v - 0.5) / 0.5), 0.8, 0.35)


class Heatmap(QWidget):
    """A labelled square matrix of values; clicking an off-diagonal cell reports it.

    Signals:
        cell_clicked(int, int): row and column of the clicked cell.
    """

    cell_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty heatmap."""
        super().__init__(parent)
        self.setObjectName("agreementHeatmap")
        self.setMinimumSize(240, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._names: tuple[str, ...] = ()
        self._values: tuple[tuple[float | None, ...], ...] = ()

    def set_matrix(self, names: Sequence[str], values: Sequence[Sequence[float | None]]) -> None:
        """Show ``values[i][j]`` for names i, j."""
        self._names = tuple(names)
        self._values = tuple(tuple(row) for row in values)
        self.update()

    def value(self, row: int, column: int) -> float | None:
        """The value shown in a cell."""
        return self._values[row][column]

    def _geometry(self) -> tuple[float, float, float]:
        label = float(self.fontMetrics().horizontalAdvance("M" * 8))
        n = max(len(self._names), 1)
        cell = min((self.width() - label - MARGIN * 2) / n, (self.height() - 24 - MARGIN) / n)
        return label + MARGIN, 24.0, max(cell, 8.0)

    def cell_rect(self, row: int, column: int) -> QRectF:
        """Where a cell is drawn."""
        left, top, cell = self._geometry()
        return QRectF(left + column * cell, top + row * cell, cell, cell)

    def sizeHint(self) -> QSize:
        """Room for a few annotators."""
        return QSize(360, 300)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw names and coloured cells with their values."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, top, cell = self._geometry()
        for i, name in enumerate(self._names):
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(left + i * cell, 0, cell, top),
                Qt.AlignmentFlag.AlignCenter,
                self.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, int(cell)),
            )
            painter.drawText(
                QRectF(MARGIN / 2, top + i * cell, left - MARGIN, cell),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                name,
            )
            for j, value in enumerate(self._values[i] if i < len(self._values) else ()):
                rect = self.cell_rect(i, j).adjusted(1, 1, -1, -1)
                painter.fillRect(rect, value_colour(value) if i != j else QColor("#f4f4f4"))
                painter.setPen(QColor("#222222"))
                text = "" if i == j else ("—" if value is None else f"{value:.3f}")
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Report the clicked off-diagonal cell."""
        point = event.position()
        for i in range(len(self._names)):
            for j in range(len(self._names)):
                if i != j and self.cell_rect(i, j).contains(point):
                    self.cell_clicked.emit(i, j)
                    return
        super().mousePressEvent(event)


class BarChart(QWidget):
    """Bars per category, stacked or grouped by series, with a legend.

    ``values[c][s]`` is the value of series ``s`` in category ``c``.
    """

    def __init__(self, title: str, *, stacked: bool, parent: QWidget | None = None) -> None:
        """An empty chart."""
        super().__init__(parent)
        self.title = title
        self.stacked = stacked
        self.categories: tuple[str, ...] = ()
        self.series: tuple[str, ...] = ()
        self.values: tuple[tuple[float, ...], ...] = ()
        self.setMinimumSize(280, 200)

    def set_data(
        self,
        categories: Sequence[str],
        series: Sequence[str],
        values: Sequence[Sequence[float]],
    ) -> None:
        """Replace the data and repaint."""
        self.categories = tuple(categories)
        self.series = tuple(series)
        self.values = tuple(tuple(row) for row in values)
        self.update()

    def sizeHint(self) -> QSize:
        """A comfortable default."""
        return QSize(420, 260)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Axes, bars, category names and the legend."""
        painter = QPainter(self)
        text = self.palette().text().color()
        metrics = self.fontMetrics()
        line = metrics.height()
        painter.setPen(text)
        painter.drawText(
            QRectF(0, 0, self.width(), line + 4), Qt.AlignmentFlag.AlignCenter, self.title
        )
        legend_x = MARGIN
        for s, name in enumerate(self.series):
            painter.fillRect(QRectF(legend_x, line + 8, 10, 10), QColor(PALETTE[s % len(PALETTE)]))
            painter.drawText(QPointF(legend_x + 14, line + 17), name)
            legend_x += 24 + metrics.horizontalAdvance(name)
        top, bottom = line * 2 + 16, self.height() - line - 8
        left, right = MARGIN + metrics.horizontalAdvance("00000"), self.width() - MARGIN
        peak = (
            max((sum(row) if self.stacked else max(row, default=0.0)) for row in self.values)
            if self.values
            else 0.0
        )
        peak = max(peak, 1.0)
        painter.drawLine(QPointF(left, top), QPointF(left, bottom))
        painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        painter.drawText(QPointF(MARGIN, top + line / 2), f"{peak:g}")
        painter.drawText(QPointF(MARGIN, bottom), "0")
        n = max(len(self.categories), 1)
        slot = (right - left) / n
        height = bottom - top
        for c, name in enumerate(self.categories):
            row = self.values[c] if c < len(self.values) else ()
            width = min(slot * 0.7, 120.0)
            x = left + c * slot + (slot - width) / 2
            base = float(bottom)
            for s, value in enumerate(row):
                h = height * value / peak
                colour = QColor(PALETTE[s % len(PALETTE)])
                if self.stacked:
                    painter.fillRect(QRectF(x, base - h, width, h), colour)
                    base -= h
                else:
                    w = width / max(len(row), 1)
                    painter.fillRect(QRectF(x + s * w, bottom - h, w - 1, h), colour)
            painter.setPen(text)
            label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(slot))
            painter.drawText(
                QRectF(left + c * slot, bottom + 2, slot, line + 4),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
        painter.end()
