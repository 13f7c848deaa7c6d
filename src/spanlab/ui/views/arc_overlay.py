"""Relation arcs painted over the article view, for the spans in the viewport only.

Readability: while arcs are shown the view reserves a band above every text line
(:mod:`spanlab.ui.views.arc_band`); an arc rises from just above its spans' text (and
label tags) into the band of its upper end's line, so it never crosses the line above.
Arcs on one line that overlap get different levels; past the levels the band holds they
are drawn compactly on the top level, without a label (the Relations panel lists them).
A relation whose other end is off screen is drawn to the top or bottom edge with a
small arrow and its type.

Speed: relations are indexed by their end spans, so a paint looks only at those with
an end on a visible line; anchors come from the view's cached per-block span geometry;
the arcs and the paths that draw them are kept until the scroll position, size, zoom,
selection or relations change (a repaint in the same state, e.g. the blinking cursor,
only replays them); pens one pixel wide stay on Qt's fast stroking path and every kind
of stroke is one path, so a paint makes a handful of QPainter calls plus one per label.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from math import ceil

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)

from spanlab.core.model import Span
from spanlab.ui.models.relation_model import RelationRow
from spanlab.ui.views.arc_band import MAX_LEVELS, label_font, level_offset
from spanlab.ui.views.document_view import NO_SPAN, DocumentView
from spanlab.ui.views.span_overlay import LineBox

ARC_PEN = QColor("#3F5A8A")
ARC_COMPACT = QColor(63, 90, 138, 110)
ARC_SELECTED = QColor("#C2410C")
LABEL_BG = QColor(255, 255, 255, 230)
EDGE_MARGIN = 3.0
EDGE_STEP = 6.0
"""How far from the visible end an arc to an off-screen end turns to the edge."""


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
    """Y of the centre of the arc's label level (the curve stays below it)."""
    label_rect: QRectF
    """Where the type is written (empty for a compact arc)."""
    head_visible: bool
    tail_visible: bool
    symmetric: bool
    level: int
    band_top: float = 0.0
    """Top of the band the arc rises into: the bottom of the line above."""
    compact: bool = False
    """Too many arcs stacked on its line: drawn on the top level, without a label."""

    @property
    def partial(self) -> bool:
        """Whether one end is off screen (drawn to the edge)."""
        return not (self.head_visible and self.tail_visible)


@dataclass(frozen=True, slots=True)
class _End:
    """Where an arc meets one of its spans: x, the band's bottom and top, on screen or not."""

    x: float
    y: float
    top: float
    visible: bool


class _RelationsByEnd:
    """Relations indexed by the ids of their two spans (rebuilt when relations change)."""

    def __init__(self, rows: Iterable[RelationRow]) -> None:
        self.by_span: dict[int, list[RelationRow]] = {}
        for row in rows:
            if row.head is None or row.tail is None:
                continue
            self.by_span.setdefault(int(row.head.id), []).append(row)
            if row.tail.id != row.head.id:
                self.by_span.setdefault(int(row.tail.id), []).append(row)

    def touching(self, span_ids: Iterable[int]) -> list[RelationRow]:
        """Relations with an end among ``span_ids``, each once."""
        seen: set[int] = set()
        found: list[RelationRow] = []
        for span_id in span_ids:
            for row in self.by_span.get(span_id, ()):
                relation_id = int(row.relation.id)
                if relation_id not in seen:
                    seen.add(relation_id)
                    found.append(row)
        return found


@dataclass(slots=True)
class _Frame:
    """Everything one paint draws, replayed while its state key holds."""

    key: tuple[object, ...]
    arcs: list[Arc]
    clear: list[QRectF] = field(default_factory=list)
    """The band above each visible span, where Qt stretches the span's background."""
    strokes: list[tuple[QPen, QPainterPath]] = field(default_factory=list)
    fills: list[tuple[QBrush, QPainterPath]] = field(default_factory=list)
    labels: list[tuple[QPointF, QPixmap]] = field(default_factory=list)


class ArcOverlay(QObject):
    """Computes and paints relation arcs on a :class:`DocumentView`."""

    def __init__(self, view: DocumentView, rows: Callable[[], Sequence[RelationRow]]) -> None:
        """Paint on ``view`` the relations ``rows()`` returns (call :meth:`relations_changed`)."""
        super().__init__(view)
        self._view = view
        self._rows = rows
        self._mode = ArcMode.ALL
        self._symmetric: frozenset[str] = frozenset()
        self._selected_relation: int | None = None
        self._pending: tuple[Span, Span | None] | None = None
        self._ends: _RelationsByEnd | None = None
        self._generation = 0
        self._frame: _Frame | None = None
        self._font_key: tuple[str, float] | None = None
        self._label_height = 0.0
        self._widths: dict[str, float] = {}
        self.last_arcs: list[Arc] = []
        self._labels: dict[tuple[str, int, int, int, float], QPixmap] = {}
        view.add_decoration(self.paint)
        self._reserve_band()

    # ------------------------------------------------------------------ state
    @property
    def mode(self) -> ArcMode:
        """Which relations are drawn."""
        return self._mode

    def set_mode(self, mode: ArcMode) -> None:
        """Draw all arcs, the selected span's, or none (none gives the text its spacing back)."""
        self._mode = mode
        self._reserve_band()
        self.update()

    def set_symmetric(self, names: frozenset[str]) -> None:
        """Relation types drawn with an arrowhead at both ends (direction does not matter)."""
        self._symmetric = names
        self.update()

    def set_selected_relation(self, relation_id: int | None) -> None:
        """Emphasise one relation (chosen in the relations panel)."""
        self._selected_relation = relation_id
        self.update()

    def set_pending(self, head: Span | None, tail: Span | None = None) -> None:
        """Show a dashed arc while a relation is being created (None: nothing)."""
        self._pending = (head, tail) if head is not None else None
        self._view.viewport().update()

    def relations_changed(self) -> None:
        """The rows changed: re-index them and repaint."""
        self._ends = None
        self._generation += 1
        self._reserve_band()
        self.update()

    def update(self) -> None:
        """Forget the painted arcs and schedule a repaint of the viewport."""
        self._frame = None
        self._view.viewport().update()

    def invalidate(self) -> None:
        """Forget the painted arcs without a repaint of its own (spans were edited).

        The view repaints the lines it changed; that paint recomputes the arcs and the
        band cleared above the spans.
        """
        self._frame = None

    def _index(self) -> _RelationsByEnd:
        if self._ends is None:
            self._ends = _RelationsByEnd(self._rows())
        return self._ends

    def _reserve_band(self) -> None:
        """Room for arcs above the lines while arcs are shown and there are relations."""
        shown = self._mode is not ArcMode.NONE and bool(self._index().by_span)
        self._view.set_arc_levels(MAX_LEVELS if shown else 0)

    # ------------------------------------------------------------------ fonts
    def _label_font(self) -> QFont:
        return label_font(self._view.font())

    def _check_font(self) -> None:
        font = self._view.font()
        key = (font.family(), font.pointSizeF())
        if key != self._font_key:
            self._font_key = key
            self._label_height = QFontMetricsF(self._label_font()).height()
            self._widths.clear()
            self._labels.clear()

    def _width(self, label: str) -> float:
        width = self._widths.get(label)
        if width is None:
            width = QFontMetricsF(self._label_font()).horizontalAdvance(label) + 6
            self._widths[label] = width
        return width

    # ------------------------------------------------------------------ geometry
    def _state(self) -> tuple[object, ...]:
        """What the arcs depend on besides the relations (part of the cache key)."""
        view = self._view
        viewport = view.viewport()
        offset = view.contentOffset()
        current = view.current_span() if self._mode is ArcMode.SELECTED else None
        return (
            self._mode,
            int(current.id) if current is not None else NO_SPAN,
            self._selected_relation,
            self._symmetric,
            self._generation,
            view.firstVisibleBlock().blockNumber(),
            offset.x(),
            offset.y(),
            viewport.width(),
            viewport.height(),
            view.font().pointSizeF(),
            view.show_tags,
            view.devicePixelRatioF(),
            view.highlighter.highlighted_blocks,
        )

    def _end(self, span: Span, other: Span, boxes: dict[int, tuple[LineBox, ...]]) -> _End:
        height = float(self._view.viewport().height())
        found = boxes.get(int(span.id))
        if found:
            first = found[0]
            x = (first.left + first.right) / 2 if len(found) == 1 else first.left + 8.0
            if first.bottom < 0:
                return _End(x, 0.0, 0.0, False)
            if first.top > height:
                return _End(x, height, height, False)
            return _End(x, self._view.above_text(first), first.top, True)
        # Not on a visible line (the other end is): above or below the viewport.
        y = 0.0 if span.start < other.start else height
        return _End(-1.0, y, y, False)

    def arcs(self) -> list[Arc]:
        """Geometry of the arcs to draw now (relations with an end in the viewport)."""
        return self._current_frame().arcs

    def compute_arcs(self, boxes: dict[int, tuple[LineBox, ...]] | None = None) -> list[Arc]:
        """The arcs computed afresh (what :meth:`arcs` caches until the state changes).

        ``boxes`` are the view's visible span boxes, when the caller already has them.
        """
        if self._mode is ArcMode.NONE:
            return []
        index = self._index()
        if not index.by_span:
            return []
        self._check_font()
        view = self._view
        if boxes is None:
            boxes = view.visible_span_boxes()
        rows = index.touching(boxes)
        if self._mode is ArcMode.SELECTED:
            current = view.current_span()
            current_id = int(current.id) if current is not None else NO_SPAN
            rows = [r for r in rows if current_id in (r.relation.head_id, r.relation.tail_id)]
        pending: list[tuple[RelationRow, _End, _End]] = []
        for row in rows:
            head, tail = row.head, row.tail
            assert head is not None and tail is not None  # indexed rows have both ends
            a = self._end(head, tail, boxes)
            b = self._end(tail, head, boxes)
            if not a.visible and not b.visible:
                continue
            if not a.visible:
                a = _End(b.x + EDGE_STEP, a.y, a.top, False)
            if not b.visible:
                b = _End(a.x + EDGE_STEP, b.y, b.top, False)
            pending.append((row, a, b))
        selected = self._selected_relation
        pending.sort(key=lambda item: (item[0].relation.id != selected, abs(item[1].x - item[2].x)))
        return self._place(pending)

    def _place(self, pending: list[tuple[RelationRow, _End, _End]]) -> list[Arc]:
        """Give each arc a level on its line (labels never overlap) and its label box."""
        h = self._label_height
        taken: dict[int, list[tuple[float, float, int]]] = {}
        arcs: list[Arc] = []
        for row, a, b in pending:
            upper = a if a.visible and (not b.visible or a.y <= b.y) else b
            label = row.relation.label
            width = self._width(label)
            left, right = sorted((a.x, b.x))
            mid = (left + right) / 2
            left, right = min(left, mid - width / 2), max(right, mid + width / 2)
            line = taken.setdefault(round(upper.y), [])
            used = {level for lo, hi, level in line if lo < right + 2 and left < hi + 2}
            level = 0
            while level in used:
                level += 1
            fit = _levels_fit(upper.y - upper.top, h)
            compact = level >= fit
            if compact:
                level = fit - 1
            else:
                line.append((left, right, level))
            peak = upper.y - level_offset(level, h)
            if compact:
                label_rect = QRectF()
            elif a.visible and b.visible:
                label_rect = QRectF(mid - width / 2, peak - h / 2, width, h)
            else:
                edge = b if not b.visible else a
                y = EDGE_MARGIN if edge.y <= 0 else edge.y - h - EDGE_MARGIN
                label_rect = QRectF(edge.x + 8, y, width, h)
            arcs.append(
                Arc(
                    relation_id=int(row.relation.id),
                    label=label,
                    head=QPointF(a.x, a.y),
                    tail=QPointF(b.x, b.y),
                    peak=peak,
                    label_rect=label_rect,
                    head_visible=a.visible,
                    tail_visible=b.visible,
                    symmetric=label in self._symmetric,
                    level=level,
                    band_top=upper.top,
                    compact=compact,
                )
            )
        return arcs

    def _current_frame(self) -> _Frame:
        key = self._state()
        frame = self._frame
        if frame is None or frame.key != key:
            boxes = self._view.visible_span_boxes() if self._view.arc_levels else {}
            frame = self._build_frame(key, self.compute_arcs(boxes))
            frame.clear = self._band_rects(boxes)
            self._frame = frame
        return frame

    def _band_rects(self, visible: dict[int, tuple[LineBox, ...]]) -> list[QRectF]:
        """The band above every visible span (empty when no band is reserved).

        Qt paints a character's background over the whole line height, band included;
        clearing the band above spans keeps span colours on the text and arcs legible.
        """
        rects: list[QRectF] = []
        for boxes in visible.values():
            for box in boxes:
                bottom = self._view.above_text(box)
                if bottom > box.top:  # a pixel wider: no antialiased edge is left behind
                    width = box.right - box.left + 2
                    rects.append(QRectF(box.left - 1, box.top, width, bottom - box.top))
        return rects

    def _build_frame(self, key: tuple[object, ...], arcs: list[Arc]) -> _Frame:
        """The paths and label pixmaps that draw ``arcs``, one path per pen."""
        frame = _Frame(key, arcs)
        if not arcs:
            return frame
        paths = {colour.rgba(): QPainterPath() for colour in (ARC_PEN, ARC_COMPACT, ARC_SELECTED)}
        heads = {colour.rgba(): QPainterPath() for colour in (ARC_PEN, ARC_SELECTED)}
        for arc in arcs:
            chosen = arc.relation_id == self._selected_relation
            colour = ARC_SELECTED if chosen else ARC_COMPACT if arc.compact else ARC_PEN
            _trace(paths[colour.rgba()], arc)
            arrows = heads[(ARC_SELECTED if chosen else ARC_PEN).rgba()]
            if arc.partial:
                inside, edge = (arc.head, arc.tail) if arc.head_visible else (arc.tail, arc.head)
                _arrow(arrows, edge, down=edge.y() > inside.y())
            else:
                _arrow(arrows, arc.tail, down=True)
                if arc.symmetric:
                    _arrow(arrows, arc.head, down=True)
            if not arc.label_rect.isEmpty():
                pixmap = self._label_pixmap(arc.label, arc.label_rect, colour)
                frame.labels.append((arc.label_rect.topLeft(), pixmap))
        for colour, width in ((ARC_COMPACT, 1.0), (ARC_PEN, 1.0), (ARC_SELECTED, 2.0)):
            path = paths[colour.rgba()]
            if not path.isEmpty():
                frame.strokes.append((QPen(colour, width), path))
        for colour in (ARC_PEN, ARC_SELECTED):
            path = heads[colour.rgba()]
            if not path.isEmpty():
                frame.fills.append((QBrush(colour), path))
        return frame

    # ------------------------------------------------------------------ painting
    def paint(self, painter: QPainter) -> None:
        """Draw the arcs (called by the view after its own overlay)."""
        frame = self._current_frame()
        self.last_arcs = frame.arcs
        if frame.clear:
            base = self._view.viewport().palette().color(QPalette.ColorRole.Base)
            for rect in frame.clear:
                painter.fillRect(rect, base)
        if not frame.arcs and self._pending is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for pen, path in frame.strokes:
            painter.setPen(pen)
            painter.drawPath(path)
        for brush, path in frame.fills:
            painter.fillPath(path, brush)
        for point, pixmap in frame.labels:
            painter.drawPixmap(point, pixmap)
        if self._pending is not None:
            self._paint_pending(painter)
        painter.restore()

    def _label_pixmap(self, label: str, rect: QRectF, colour: QColor) -> QPixmap:
        """Labels are drawn once per type, colour and size, then blitted (no shaping)."""
        ratio = self._view.devicePixelRatioF()
        key = (label, colour.rgba(), round(rect.width() * 4), round(rect.height() * 4), ratio)
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
            painter.drawText(local, Qt.AlignmentFlag.AlignCenter, label)
            painter.end()
            if len(self._labels) > 256:
                self._labels.clear()
            self._labels[key] = pixmap
        return pixmap

    def _paint_pending(self, painter: QPainter) -> None:
        assert self._pending is not None
        head, tail = self._pending
        self._check_font()
        boxes = self._view.visible_span_boxes()
        a = self._end(head, tail or head, boxes)
        if not a.visible:
            return
        painter.setPen(QPen(ARC_SELECTED, 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for box in boxes.get(int(head.id), ()):
            painter.drawRect(
                QRectF(box.left - 2, box.top, box.right - box.left + 4, box.bottom - box.top)
            )
        if tail is None:
            return
        b = self._end(tail, head, boxes)
        if not b.visible:
            return
        peak = min(a.y, b.y) - level_offset(0, self._label_height)
        path = QPainterPath(QPointF(a.x, a.y))
        path.cubicTo(QPointF(a.x, peak), QPointF(b.x, peak), QPointF(b.x, b.y))
        painter.drawPath(path)
        arrow = QPainterPath()
        _arrow(arrow, QPointF(b.x, b.y), down=True)
        painter.fillPath(arrow, QBrush(ARC_SELECTED))


def _levels_fit(room: float, height: float) -> int:
    """How many label levels fit in a band ``room`` tall (at least one)."""
    levels = 0
    while level_offset(levels, height) + height / 2 <= room + 0.5:
        levels += 1
    return max(levels, 1)


def _trace(path: QPainterPath, arc: Arc) -> None:
    """Add an arc's curve (or, to an edge, its bracket) to ``path``."""
    if arc.partial:
        inside, edge = (arc.head, arc.tail) if arc.head_visible else (arc.tail, arc.head)
        path.moveTo(inside)
        path.lineTo(QPointF(inside.x(), arc.peak))
        path.lineTo(QPointF(edge.x(), arc.peak))
        path.lineTo(edge)
    else:
        path.moveTo(arc.head)
        path.cubicTo(
            QPointF(arc.head.x(), arc.peak),
            QPointF(arc.tail.x(), arc.peak),
            arc.tail,
        )


def _arrow(path: QPainterPath, tip: QPointF, *, down: bool) -> None:
    """Add a small triangle pointing down (or up) at ``tip`` to ``path``."""
    sign = -1 if down else 1
    path.addPolygon(
        QPolygonF(
            [
                tip,
                QPointF(tip.x() - 3.5, tip.y() + sign * 6),
                QPointF(tip.x() + 3.5, tip.y() + sign * 6),
                tip,
            ]
        )
    )
    path.closeSubpath()
