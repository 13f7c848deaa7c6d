"""Relation arcs painted over the article view, for the spans in the viewport only.

Anchors come from :meth:`DocumentView.cursor_rect_at` (the view converts code points to
Qt positions with its one helper), so the cost grows with the relations in view, not with
the document. Arcs that start on the same line get different heights, so their labels
never overlap; a relation whose other end is off screen is drawn to the top or bottom
edge with a small arrow and its type.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import ceil

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)

from spanlab.core.model import Span
from spanlab.ui.models.relation_model import RelationRow
from spanlab.ui.views.document_view import NO_SPAN, DocumentView
from spanlab.ui.views.span_overlay import LineBox

ARC_PEN = QColor("#3F5A8A")
ARC_SELECTED = QColor("#C2410C")
LABEL_BG = QColor(255, 255, 255, 230)
BASE_RISE = 6.0
EDGE_MARGIN = 3.0
LABEL_SCALE = 0.7
"""Arc label size relative to the text."""


class ArcMode(enum.StrEnum):
    """Which relations are drawn."""

    ALL = "all"
    SELECTED = "selected"
    """Only the relations of the selected span."""
    NONE = "none"

    def next(self) -> ArcMode:
        """The mode after this one (all -> selected -> none -> all)."""
        order = list(ArcMode)
        return order[(order.index(self) + 1) % len(order)]


@dataclass(frozen=True, slots=True)
class Arc:
    """Geometry of one relation in viewport coordinates."""

    relation_id: int
    label: str
    head: QPointF
    tail: QPointF
    peak: float
    """Y of the arc's top."""
    label_rect: QRectF
    head_visible: bool
    tail_visible: bool
    symmetric: bool
    level: int

    @property
    def partial(self) -> bool:
        """Whether one end is off screen (drawn to the edge)."""
        return not (self.head_visible and self.tail_visible)


class ArcOverlay(QObject):
    """Computes and paints relation arcs on a :class:`DocumentView`."""

    def __init__(self, view: DocumentView, rows: Callable[[], Sequence[RelationRow]]) -> None:
        """Paint on ``view`` the relations ``rows()`` returns."""
        super().__init__(view)
        self._view = view
        self._rows = rows
        self._mode = ArcMode.ALL
        self._symmetric: frozenset[str] = frozenset()
        self._selected_relation: int | None = None
        self._pending: tuple[Span, Span | None] | None = None
        self.last_arcs: list[Arc] = []
        self._labels: dict[tuple[str, int, int, int, float], QPixmap] = {}
        view.add_decoration(self.paint)

    # ------------------------------------------------------------------ state
    @property
    def mode(self) -> ArcMode:
        """Which relations are drawn."""
        return self._mode

    def set_mode(self, mode: ArcMode) -> None:
        """Draw all arcs, the selected span's, or none."""
        self._mode = mode
        self.update()

    def set_symmetric(self, names: frozenset[str]) -> None:
        """Relation types drawn without an arrowhead."""
        self._symmetric = names
        self.update()

    def set_selected_relation(self, relation_id: int | None) -> None:
        """Emphasise one relation (chosen in the relations panel)."""
        self._selected_relation = relation_id
        self.update()

    def set_pending(self, head: Span | None, tail: Span | None = None) -> None:
        """Show a dashed arc while a relation is being created (None: nothing)."""
        self._pending = (head, tail) if head is not None else None
        self.update()

    def update(self) -> None:
        """Schedule a repaint of the viewport."""
        self._view.viewport().update()

    # ------------------------------------------------------------------ geometry
    def _label_font(self) -> QFont:
        font = QFont(self._view.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * LABEL_SCALE))
        return font

    def _anchor(
        self, span: Span, visible: tuple[int, int], boxes: dict[int, tuple[LineBox, ...]]
    ) -> tuple[QPointF, bool]:
        found = boxes.get(int(span.id))
        height = self._view.viewport().height()
        if found:
            first = found[0]
            x = (first.left + first.right) / 2 if len(found) == 1 else first.left + 8.0
            if first.bottom < 0:
                return QPointF(x, 0), False
            if first.top > height:
                return QPointF(x, height), False
            return QPointF(x, max(first.top, 0.0)), True
        if span.start < visible[0] or span.end <= visible[0]:
            return QPointF(-1, 0), False
        return QPointF(-1, height), False

    def arcs(self) -> list[Arc]:
        """Geometry of the arcs to draw now (relations with an end in the viewport)."""
        rows = self._rows()
        if self._mode is ArcMode.NONE or not rows:
            return []
        view = self._view
        current = view.current_span()
        current_id = int(current.id) if current is not None else NO_SPAN
        visible = view.visible_range()
        boxes = view.visible_span_boxes()
        metrics = QFontMetricsF(self._label_font())
        step = metrics.height() + 1
        candidates: list[tuple[RelationRow, Span, Span]] = []
        for row in rows:
            head, tail = row.head, row.tail
            if head is None or tail is None:
                continue
            if self._mode is ArcMode.SELECTED and current_id not in (head.id, tail.id):
                continue
            if head.id in boxes or tail.id in boxes:
                candidates.append((row, head, tail))
        placed: list[tuple[float, float, float, int]] = []  # line y, left, right, level
        pending: list[tuple[RelationRow, QPointF, bool, QPointF, bool]] = []
        for row, head, tail in candidates:
            a, a_ok = self._anchor(head, visible, boxes)
            b, b_ok = self._anchor(tail, visible, boxes)
            if not a_ok and not b_ok:
                continue
            if not a_ok:
                a = QPointF(b.x() + 6, a.y())
            if not b_ok:
                b = QPointF(a.x() + 6, b.y())
            pending.append((row, a, a_ok, b, b_ok))
        pending.sort(key=lambda item: abs(item[1].x() - item[3].x()))
        arcs: list[Arc] = []
        for row, a, a_ok, b, b_ok in pending:
            label = row.relation.label
            top_y = min(p.y() for p, ok in ((a, a_ok), (b, b_ok)) if ok)
            left, right = sorted((a.x(), b.x()))
            width = metrics.horizontalAdvance(label) + 6
            mid = (left + right) / 2
            left, right = min(left, mid - width / 2), max(right, mid + width / 2)
            used = {
                level
                for y, lo, hi, level in placed
                if abs(y - top_y) < 1 and lo < right + 2 and left < hi + 2
            }
            level = 0
            while level in used:
                level += 1
            placed.append((top_y, left, right, level))
            peak = top_y - BASE_RISE - level * step
            if a_ok and b_ok:
                label_rect = QRectF(
                    mid - width / 2, peak - metrics.height() / 2, width, metrics.height()
                )
            else:
                edge = b if not b_ok else a
                y = EDGE_MARGIN if edge.y() <= 0 else edge.y() - metrics.height() - EDGE_MARGIN
                label_rect = QRectF(edge.x() + 8, y, width, metrics.height())
            arcs.append(
                Arc(
                    relation_id=int(row.relation.id),
                    label=label,
                    head=a,
                    tail=b,
                    peak=peak,
                    label_rect=label_rect,
                    head_visible=a_ok,
                    tail_visible=b_ok,
                    symmetric=label in self._symmetric,
                    level=level,
                )
            )
        return arcs

    # ------------------------------------------------------------------ painting
    def paint(self, painter: QPainter) -> None:
        """Draw the arcs (called by the view after its own overlay)."""
        arcs = self.arcs()
        self.last_arcs = arcs
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._label_font())
        for arc in arcs:
            self._paint_arc(painter, arc)
        if self._pending is not None:
            self._paint_pending(painter)
        painter.restore()

    def _paint_arc(self, painter: QPainter, arc: Arc) -> None:
        colour = ARC_SELECTED if arc.relation_id == self._selected_relation else ARC_PEN
        pen = QPen(colour, 2.0 if arc.relation_id == self._selected_relation else 1.2)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if arc.partial:
            inside, edge = (arc.head, arc.tail) if arc.head_visible else (arc.tail, arc.head)
            path = QPainterPath(inside)
            path.lineTo(QPointF(inside.x(), arc.peak))
            path.lineTo(QPointF(edge.x(), arc.peak))
            path.lineTo(edge)
            painter.drawPath(path)
            down = edge.y() > inside.y()
            _arrow(painter, edge, down=down, colour=colour)
        else:
            path = QPainterPath(arc.head)
            path.cubicTo(
                QPointF(arc.head.x(), arc.peak),
                QPointF(arc.tail.x(), arc.peak),
                arc.tail,
            )
            painter.drawPath(path)
            _arrow(painter, arc.tail, down=True, colour=colour)
            if arc.symmetric:
                _arrow(painter, arc.head, down=True, colour=colour)
        painter.drawPixmap(arc.label_rect.topLeft(), self._label_pixmap(arc, colour))

    def _label_pixmap(self, arc: Arc, colour: QColor) -> QPixmap:
        """Labels are drawn once per type, colour and size, then blitted (no shaping)."""
        ratio = self._view.devicePixelRatioF()
        rect = arc.label_rect
        key = (arc.label, colour.rgba(), round(rect.width() * 4), round(rect.height() * 4), ratio)
        pixmap = self._labels.get(key)
        if pixmap is None:
            pixmap = QPixmap(ceil(rect.width() * ratio), ceil(rect.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setFont(self._label_font())
            local = QRectF(0, 0, rect.width(), rect.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(LABEL_BG)
            painter.drawRoundedRect(local, 3, 3)
            painter.setPen(colour)
            painter.drawText(local, Qt.AlignmentFlag.AlignCenter, arc.label)
            painter.end()
            if len(self._labels) > 256:
                self._labels.clear()
            self._labels[key] = pixmap
        return pixmap

    def _paint_pending(self, painter: QPainter) -> None:
        assert self._pending is not None
        head, tail = self._pending
        visible = self._view.visible_range()
        boxes = self._view.visible_span_boxes()
        a, a_ok = self._anchor(head, visible, boxes)
        if not a_ok:
            return
        pen = QPen(ARC_SELECTED, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for box in boxes.get(int(head.id), ()):
            painter.drawRect(
                QRectF(box.left - 2, box.top, box.right - box.left + 4, box.bottom - box.top)
            )
        if tail is None:
            return
        b, b_ok = self._anchor(tail, visible, boxes)
        if not b_ok:
            return
        peak = min(a.y(), b.y()) - BASE_RISE * 2
        path = QPainterPath(a)
        path.cubicTo(QPointF(a.x(), peak), QPointF(b.x(), peak), b)
        painter.drawPath(path)
        _arrow(painter, b, down=True, colour=ARC_SELECTED)


def _arrow(painter: QPainter, tip: QPointF, *, down: bool, colour: QColor) -> None:
    """A small filled triangle pointing down (or up) at ``tip``."""
    sign = -1 if down else 1
    triangle = QPolygonF(
        [
            tip,
            QPointF(tip.x() - 3.5, tip.y() + sign * 6),
            QPointF(tip.x() + 3.5, tip.y() + sign * 6),
        ]
    )
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawPolygon(triangle)
    painter.restore()
