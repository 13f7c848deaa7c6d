"""What the document view paints over the text: label tags, overlap bars, the selected span.

Only blocks in the viewport are visited, and geometry comes from each block's
``QTextLayout``, so the cost does not grow with the document.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from math import ceil
from typing import cast

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QPixmap,
    QTextBlock,
    QTextLayout,
    QTextLine,
)

from spanlab.core.model import Span
from spanlab.core.span_index import SpanIndex, assign_lanes
from spanlab.ui.views.label_style import LabelStyles
from spanlab.ui.views.text_coordinates import TextCoordinates

BAR_HEIGHT = 2.0
BAR_GAP = 1.0
SELECTED_PEN = QColor("#1B1B1B")
HIT_PEN = QColor("#E8590C")
_LONGEST_HIT = 10_000
"""Find matches longer than this may lose their outline on blocks after their start."""


@dataclass(frozen=True, slots=True)
class LineBox:
    """The part of one visual line covered by a span segment, in viewport coordinates."""

    left: float
    right: float
    top: float
    bottom: float
    baseline: float

    def moved(self, origin: QPointF) -> LineBox:
        """The box translated by ``origin`` (block-relative to viewport coordinates)."""
        x, y = origin.x(), origin.y()
        return LineBox(
            self.left + x, self.right + x, self.top + y, self.bottom + y, self.baseline + y
        )


@dataclass(frozen=True, slots=True)
class PlacedSpan:
    """Where one span sits in one block, relative to the block's origin."""

    span: Span
    boxes: tuple[LineBox, ...]
    lane: int
    overlapping: bool
    starts_here: bool


class GeometryCache:
    """Span geometry per block, kept until that block is laid out again.

    Computing line boxes asks Qt for x positions of every span edge; caching them
    makes a repaint (scrolling, a span added elsewhere) cost only the drawing.
    """

    def __init__(self) -> None:
        """An empty cache."""
        self._blocks: dict[int, list[PlacedSpan]] = {}

    def clear(self) -> None:
        """Forget everything (new text, fonts, formats or width)."""
        self._blocks.clear()

    def forget(self, number: int) -> None:
        """Forget one block (its formats or spans changed)."""
        self._blocks.pop(number, None)

    def placed(
        self, block: QTextBlock, coords: TextCoordinates, index: SpanIndex
    ) -> list[PlacedSpan]:
        """The spans of ``block`` with their boxes (computed on first use)."""
        number = block.blockNumber()
        found = self._blocks.get(number)
        if found is None:
            found = _place(block, coords, index)
            self._blocks[number] = found
        return found


def _place(block: QTextBlock, coords: TextCoordinates, index: SpanIndex) -> list[PlacedSpan]:
    position = block.position()
    cp0 = coords.to_cp(position)
    cp1 = coords.to_cp(position + block.length() - 1)
    spans = index.overlapping(cp0, cp1)
    if not spans:
        return []
    layout = block.layout()
    clustered = _clusters(spans)
    lanes = assign_lanes(spans) if clustered else {}
    origin = QPointF(0, 0)
    placed: list[PlacedSpan] = []
    for span in spans:
        a = coords.to_qt(max(span.start, cp0)) - position
        b = coords.to_qt(min(span.end, cp1)) - position
        boxes = segment_boxes(layout, origin, a, b)
        if boxes:
            placed.append(
                PlacedSpan(
                    span,
                    tuple(boxes),
                    lanes.get(span.id, 0),
                    span.id in clustered,
                    span.start >= cp0,
                )
            )
    return placed


class TagCache:
    """Label tags rendered once per label, state and size, then blitted on every paint.

    Drawing text means shaping it; a view full of tags would shape dozens of strings per
    paint. The cache is cleared when fonts or colours change.
    """

    def __init__(self) -> None:
        """An empty cache."""
        self._pixmaps: dict[tuple[str, bool, int, float], QPixmap] = {}

    def clear(self) -> None:
        """Forget every rendered tag."""
        self._pixmaps.clear()

    def tag(
        self,
        label: str,
        *,
        selected: bool,
        height: float,
        context: OverlayContext,
        metrics: QFontMetricsF,
        ratio: float,
    ) -> QPixmap:
        """The pixmap of one tag (device-independent size: text width + 6 by ``height``)."""
        key = (label, selected, round(height * 4), ratio)
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            return pixmap
        style = context.styles[label]
        width = metrics.horizontalAdvance(label) + 6
        pixmap = QPixmap(ceil(width * ratio), ceil(height * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(0.5, 0.5, width - 1, height - 1)
        painter.setPen(QPen(SELECTED_PEN if selected else style.bar, 0.8))
        painter.setBrush(SELECTED_PEN if selected else style.tag)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setFont(context.tag_font)
        painter.setPen(QColor("#FFFFFF") if selected else style.tag_text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
        self._pixmaps[key] = pixmap
        return pixmap


@dataclass(slots=True)
class OverlayContext:
    """Everything the overlay needs for one paint."""

    coords: TextCoordinates
    index: SpanIndex
    styles: LabelStyles
    font: QFont
    tag_font: QFont
    show_tags: bool
    current: int
    tags: TagCache
    ratio: float = 1.0
    hits: list[tuple[int, int]] = field(default_factory=list)


def _line_x(line: QTextLine, position: int) -> float:
    """X of a cursor position on a line (PySide returns ``(x, position)``)."""
    result = line.cursorToX(position)
    value = result[0] if isinstance(result, tuple) else result
    return float(cast(float, value))


def segment_boxes(layout: QTextLayout, origin: QPointF, start: int, end: int) -> list[LineBox]:
    """Boxes of block-relative UTF-16 range ``[start, end)`` on each line it touches."""
    boxes: list[LineBox] = []
    first = layout.lineForTextPosition(start)
    if not first.isValid():
        return boxes
    for i in range(first.lineNumber(), layout.lineCount()):
        line = layout.lineAt(i)
        line_start = line.textStart()
        if line_start >= end:
            break
        lo = max(start, line_start)
        hi = min(end, line_start + line.textLength())
        if lo >= hi:
            continue
        left, right = sorted((_line_x(line, lo), _line_x(line, hi)))
        top = origin.y() + line.y()
        boxes.append(
            LineBox(
                left=origin.x() + left,
                right=origin.x() + right,
                top=top,
                bottom=top + line.height(),
                baseline=top + line.ascent(),
            )
        )
    return boxes


def line_extent(
    block: QTextBlock, coords: TextCoordinates, start: int, end: int
) -> tuple[float, float] | None:
    """Top and bottom (block-relative) of the lines of ``block`` holding code points
    ``[start, end)``; None when the block is not laid out or the range misses it.
    """
    layout = block.layout()
    if layout is None or layout.lineCount() == 0:
        return None
    position = block.position()
    length = block.length() - 1
    a = max(coords.to_qt(start) - position, 0)
    b = min(coords.to_qt(end) - position, length)
    if a > b or (a == b and length > 0):
        return None
    first = layout.lineForTextPosition(a)
    last = layout.lineForTextPosition(max(a, b - 1))
    if not first.isValid() or not last.isValid():
        return None
    return first.y(), last.y() + last.height()


def _clusters(spans: list[Span]) -> set[int]:
    """Ids of spans that overlap at least one other span (spans are in text order)."""
    overlapping: set[int] = set()
    cluster: list[Span] = []
    cluster_end = -1
    for span in spans:
        if span.start >= cluster_end:
            if len(cluster) > 1:
                overlapping.update(s.id for s in cluster)
            cluster = []
        cluster.append(span)
        cluster_end = max(cluster_end, span.end)
    if len(cluster) > 1:
        overlapping.update(s.id for s in cluster)
    return overlapping


class OverlayPainter:
    """Paints one viewport's tags, bars, selected-span outline and find hits."""

    def __init__(self, context: OverlayContext) -> None:
        """Prepare fonts and metrics for one paint."""
        self.context = context
        metrics = QFontMetricsF(context.font)
        self.ascent = metrics.ascent()
        self.descent = metrics.descent()
        self.tag_metrics = QFontMetricsF(context.tag_font)
        self._tag_right: dict[float, float] = {}

    def paint_block(
        self, painter: QPainter, block: QTextBlock, origin: QPointF, placed: list[PlacedSpan]
    ) -> list[tuple[QRectF, int]]:
        """Paint the overlay of one visible block whose layout's origin is ``origin``.

        Returns the tags painted, as rectangles relative to ``origin`` with span ids.
        """
        ctx = self.context
        tags: list[tuple[QRectF, int]] = []
        for item in placed:
            span = item.span
            boxes = [box.moved(origin) for box in item.boxes]
            if item.overlapping:
                self._bars(painter, span, boxes, item.lane)
            if span.id == ctx.current:
                self._outline(painter, boxes)
            if ctx.show_tags and item.starts_here:
                rect = self._tag(painter, span, boxes[0], selected=span.id == ctx.current)
                if rect is not None:
                    tags.append((rect.translated(-origin), int(span.id)))
        if ctx.hits:
            position = block.position()
            cp0 = ctx.coords.to_cp(position)
            cp1 = ctx.coords.to_cp(position + block.length() - 1)
            lo = bisect_left(ctx.hits, (cp0 - _LONGEST_HIT,))
            for start, end in ctx.hits[lo:]:
                if start >= cp1:
                    break
                if end <= cp0:
                    continue
                a = ctx.coords.to_qt(max(start, cp0)) - position
                b = ctx.coords.to_qt(min(end, cp1)) - position
                self._hit(painter, segment_boxes(block.layout(), origin, a, b))
        return tags

    def _glyph_rect(self, box: LineBox) -> QRectF:
        top = box.baseline - self.ascent
        return QRectF(box.left, top, box.right - box.left, self.ascent + self.descent)

    def _bars(self, painter: QPainter, span: Span, boxes: list[LineBox], lane: int) -> None:
        colour = self.context.styles[span.label].bar
        for box in boxes:
            y = box.baseline + self.descent + BAR_GAP + lane * (BAR_HEIGHT + BAR_GAP)
            painter.fillRect(QRectF(box.left, y, box.right - box.left, BAR_HEIGHT), colour)

    def _outline(self, painter: QPainter, boxes: list[LineBox]) -> None:
        pen = QPen(SELECTED_PEN, 2.0)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for box in boxes:
            painter.drawRect(self._glyph_rect(box).adjusted(-1.5, -1.0, 1.5, 1.0))

    def _hit(self, painter: QPainter, boxes: list[LineBox]) -> None:
        painter.setPen(QPen(HIT_PEN, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for box in boxes:
            painter.drawRoundedRect(self._glyph_rect(box).adjusted(-1, 0, 1, 0), 2, 2)

    def _tag(self, painter: QPainter, span: Span, box: LineBox, *, selected: bool) -> QRectF | None:
        area = box.baseline - self.ascent - box.top
        height = min(self.tag_metrics.height() + 2, area - 1)
        if height < 6:
            return None
        pixmap = self.context.tags.tag(
            span.label,
            selected=selected,
            height=height,
            context=self.context,
            metrics=self.tag_metrics,
            ratio=self.context.ratio,
        )
        size = pixmap.deviceIndependentSize()
        left = max(box.left, self._tag_right.get(box.top, -1e9) + 2)
        rect = QRectF(left, box.baseline - self.ascent - height - 0.5, size.width(), height)
        self._tag_right[box.top] = rect.right()
        painter.drawPixmap(rect.topLeft(), pixmap)
        return rect
