"""The article view: read-only text, spans coloured by label, tags above them, fast selection.

A ``QPlainTextEdit`` shows the canonical text; a lazy :class:`SpanHighlighter` colours
spans from the span index and an overlay paints label tags, bars under overlapping
spans and the selected span. All positions leaving this module are code points;
Qt's UTF-16 positions are converted by :class:`TextCoordinates` only.

Mouse: a drag selects and snaps to whole tokens on release (hold Alt for character
precision; never half a grapheme cluster); a double-click selects a token; a click on
a span selects the innermost span there and clicking again cycles outwards; a click
on a tag selects that span. Keyboard: Ctrl+Left/Right move by token, with Shift they
extend the selection.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from spanlab.core.model import Span
from spanlab.core.snapping import TextSnapper
from spanlab.core.span_index import SpanIndex
from spanlab.ui.views.arc_band import band_height
from spanlab.ui.views.label_style import LabelStyles, spacer_format
from spanlab.ui.views.span_highlighter import SpanHighlighter
from spanlab.ui.views.span_overlay import (
    BAR_GAP,
    BAR_HEIGHT,
    GeometryCache,
    LineBox,
    OverlayContext,
    OverlayPainter,
    TagCache,
    line_extent,
)
from spanlab.ui.views.text_coordinates import TextCoordinates

NO_SPAN = -1
TAG_SCALE = 0.62
"""Tag font size relative to the text."""

_WORD_MOVES = {
    QKeySequence.StandardKey.MoveToNextWord: (1, False),
    QKeySequence.StandardKey.SelectNextWord: (1, True),
    QKeySequence.StandardKey.MoveToPreviousWord: (-1, False),
    QKeySequence.StandardKey.SelectPreviousWord: (-1, True),
}


class DocumentView(QPlainTextEdit):
    """Shows one document's text and spans; reports selections in code points.

    Signals:
        current_span_changed(int): the selected span's id, or ``NO_SPAN``.
    """

    current_span_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty, read-only view."""
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setUndoRedoEnabled(False)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._coords = TextCoordinates("")
        self._index = SpanIndex()
        self._snapper = TextSnapper("")
        self._base_styles = LabelStyles()
        self._styles = LabelStyles()
        self._spacer: QTextCharFormat | None = None
        self._show_tags = True
        self._arc_levels = 0
        self._text_ascent = 0.0
        self._tag_room = 0.0
        self._current = NO_SPAN
        self._last_click: list[int] = []
        self._hits: list[tuple[int, int]] = []
        self._tag_hits: dict[int, list[tuple[QRectF, int]]] = {}
        self._tags = TagCache()
        self._geometry = GeometryCache()
        self._tag_font = QFont(self.font())
        self._highlighter = SpanHighlighter(self.document())
        self._decorations: list[Callable[[QPainter], None]] = []
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self.selectionChanged.connect(self._on_selection_changed)
        self.set_text_size(11.0)

    # ------------------------------------------------------------------ content
    def load(self, text: str, index: SpanIndex, snapper: TextSnapper) -> None:
        """Show ``text`` with the spans of ``index`` (both kept by reference)."""
        self._coords = TextCoordinates(text)
        self._index = index
        self._snapper = snapper
        self._hits = []
        self._last_click = []
        self._tag_hits.clear()
        self._geometry.clear()
        self._set_current(NO_SPAN)
        self._configure_highlighter()
        self.setPlainText(text)

    def set_styles(self, styles: LabelStyles) -> None:
        """Use new label colours (the schema changed)."""
        self._base_styles = styles
        self._rebuild_formats()

    def set_show_tags(self, show: bool) -> None:
        """Paint label tags above spans (taller lines) or not (labels on hover only)."""
        self._show_tags = show
        self._rebuild_formats()

    @property
    def show_tags(self) -> bool:
        """Whether label tags are painted."""
        return self._show_tags

    def set_text_size(self, points: float) -> None:
        """Change the text size (zoom)."""
        font = QFont(self.font())
        font.setPointSizeF(points)
        self.setFont(font)
        self._tag_font = QFont(font)
        self._tag_font.setPointSizeF(points * TAG_SCALE)
        self._tag_font.setBold(True)
        self._rebuild_formats()

    def text_size(self) -> float:
        """The text size in points."""
        return self.font().pointSizeF()

    def set_arc_levels(self, levels: int) -> None:
        """Reserve room above every line for ``levels`` stacked relation arcs (0: none)."""
        if levels != self._arc_levels:
            self._arc_levels = levels
            self._rebuild_formats()

    @property
    def arc_levels(self) -> int:
        """How many stacked arcs the room above each line holds (0: no room reserved)."""
        return self._arc_levels

    def above_text(self, box: LineBox) -> float:
        """Y just above a line's text and its label tag: where the line's arc band ends."""
        return box.baseline - self._text_ascent - self._tag_room

    def _spacer_factor(self, band: float) -> float:
        """Spacer size (relative to the text) giving the tag room plus ``band`` above lines.

        A font's ascent does not grow exactly in proportion to its size, so the arc band
        is calibrated against the measured ascent (the tag room stays as it always was).
        """
        factor = 1 + self._tag_room / self._text_ascent
        if band <= 0:
            return factor

        def ascent(scale: float) -> float:
            big = QFont(self.font())
            big.setPointSizeF(self.font().pointSizeF() * scale)
            return QFontMetricsF(big).ascent()

        target = ascent(factor) + band
        factor += band / self._text_ascent
        for _ in range(2):
            factor *= target / ascent(factor)
        return factor

    def _rebuild_formats(self) -> None:
        self._text_ascent = QFontMetricsF(self.font()).ascent()
        self._tag_room = QFontMetricsF(self._tag_font).height() + 3 if self._show_tags else 0.0
        band = band_height(self.font(), self._arc_levels)
        if self._tag_room + band > 0:
            self._spacer = spacer_format(self.font(), self._spacer_factor(band))
        else:
            self._spacer = None
        self._styles = self._base_styles.with_spacer(self._spacer)
        self._tags.clear()
        self._tag_hits.clear()
        self._geometry.clear()
        self._configure_highlighter()
        self._highlighter.rehighlight()
        self.viewport().update()

    def _configure_highlighter(self) -> None:
        self._highlighter.configure(
            coords=self._coords, index=self._index, styles=self._styles, spacer=self._spacer
        )

    def refresh_spans(self, spans: list[Span]) -> None:
        """Repaint after ``spans`` (old and new versions) changed in the index."""
        ranges = [(s.start, s.end) for s in spans]
        for number in self._highlighter.refresh(ranges):
            self._geometry.forget(number)
        if self._current != NO_SPAN and self._current not in self._index:
            self._set_current(NO_SPAN)
        self._update_lines(ranges)

    def _update_lines(self, ranges: list[tuple[int, int]]) -> None:
        """Schedule a repaint of the visible lines holding code point ranges.

        Each range grows by the spans chained to it by overlaps (their lanes and bars
        may change), so a span edit repaints a line or two, not its whole paragraph.
        """
        to_qt, document = self._coords.to_qt, self.document()
        wanted: list[tuple[int, int, int, int, int]] = []
        for start, end in ranges:
            lo, hi = self._index.cluster(start, end)
            lanes = min(len(self._index.overlapping(lo, hi)), 8)
            low = document.findBlock(to_qt(lo)).blockNumber()
            wanted.append((low, document.findBlock(to_qt(hi)).blockNumber(), lo, hi, lanes))
        viewport = self.viewport()
        height, width = viewport.height(), viewport.width()
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        while wanted and block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            number = block.blockNumber()
            for low, high, lo, hi, lanes in wanted:
                if not low <= number <= high:
                    continue
                lines = line_extent(block, self._coords, lo, hi)
                top, bottom = (geometry.top(), geometry.bottom()) if lines is None else lines
                if lines is not None:
                    top, bottom = top + geometry.top(), bottom + geometry.top()
                below = 4 + lanes * (BAR_HEIGHT + BAR_GAP)  # overlap bars under the line
                viewport.update(QRect(0, int(top) - 2, width, int(bottom - top + below) + 3))
            block = block.next()

    def _update_ranges(self, ranges: list[tuple[int, int]]) -> None:
        """Schedule a repaint of the visible blocks holding code point ranges only."""
        viewport = self.viewport()
        document = self.document()
        wanted: list[tuple[int, int]] = [
            (
                document.findBlock(self._coords.to_qt(start)).blockNumber(),
                document.findBlock(self._coords.to_qt(end)).blockNumber(),
            )
            for start, end in ranges
        ]
        if not wanted:
            return
        height, width = viewport.height(), viewport.width()
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            number = block.blockNumber()
            if any(low <= number <= high for low, high in wanted):
                top = int(geometry.top()) - 2
                viewport.update(QRect(0, top, width, int(geometry.height()) + 6))
            block = block.next()

    @property
    def highlighter(self) -> SpanHighlighter:
        """The span highlighter (tests and benchmarks inspect it)."""
        return self._highlighter

    # ------------------------------------------------------------------ state
    def current_span(self) -> Span | None:
        """The selected span, if any."""
        return self._index.get(self._current) if self._current != NO_SPAN else None

    def selection_range(self) -> tuple[int, int] | None:
        """The selected text in code points, grown to whole grapheme clusters."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._coords.to_cp(cursor.selectionStart())
        end = self._coords.to_cp(cursor.selectionEnd())
        start, end = self._snapper.snap_to_graphemes(start, end)
        return (start, end) if start < end else None

    def cursor_position(self) -> int:
        """The text cursor in code points."""
        return self._coords.to_cp(self.textCursor().position())

    def cursor_rect_at(self, position: int) -> QRect:
        """Viewport rectangle of a text cursor placed before code point ``position``."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._coords.to_qt(position))
        return self.cursorRect(cursor)

    def spans_at_point(self, pos: QPoint) -> list[Span]:
        """Spans under a viewport point, innermost first."""
        cp = self._char_at(pos)
        return self._index.at(cp) if cp is not None else []

    def visible_range(self) -> tuple[int, int]:
        """Code points ``[start, end)`` of the blocks in the viewport."""
        block = self.firstVisibleBlock()
        start = block.position()
        end = self.cursorForPosition(self.viewport().rect().bottomRight()).block()
        stop = end.position() + end.length() - 1 if end.isValid() else start
        return self._coords.to_cp(start), self._coords.to_cp(max(start, stop))

    def visible_span_boxes(self) -> dict[int, tuple[LineBox, ...]]:
        """Viewport boxes of every span on the visible lines, by span id.

        Uses the same cached per-block geometry as the label overlay, so calling it on
        every paint costs little more than a walk over the visible blocks.
        """
        self._highlight_visible()
        found: dict[int, tuple[LineBox, ...]] = {}
        height = self.viewport().height()
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            if block.isVisible():
                origin = geometry.topLeft()
                for item in self._geometry.placed(block, self._coords, self._index):
                    boxes = tuple(box.moved(origin) for box in item.boxes)
                    key = int(item.span.id)
                    found[key] = found.get(key, ()) + boxes
            block = block.next()
        return found

    def add_decoration(self, paint: Callable[[QPainter], None]) -> None:
        """Call ``paint`` with the viewport painter after the overlay (e.g. relation arcs)."""
        self._decorations.append(paint)

    def spans_at_cursor(self) -> list[Span]:
        """Spans under (or ending right at) the cursor, innermost first."""
        return self._index.touching(self.cursor_position())

    # ------------------------------------------------------------------ selection
    def select_span(self, span_id: int) -> None:
        """Make a span current, put the cursor at its start and scroll it into view."""
        span = self._index.get(span_id)
        if span is None:
            return
        self._place_cursor(span.start)
        self._set_current(span.id)
        self.reveal(span.start, span.end)

    def select_range(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (code points) as text and scroll to it."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._coords.to_qt(start))
        cursor.setPosition(self._coords.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.reveal(start, end)

    def clear_selection(self) -> None:
        """Drop the text selection and the selected span; keep the cursor."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)
        self._set_current(NO_SPAN)

    def set_current_span(self, span_id: int) -> None:
        """Mark a span selected without moving the cursor (e.g. a span just added)."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            span = self._index.get(span_id)
            cursor.clearSelection()
            if span is not None:
                cursor.setPosition(self._coords.to_qt(span.end))
            self.setTextCursor(cursor)
        self._set_current(span_id)

    def reveal(self, start: int, end: int) -> None:
        """Scroll so that ``[start, end)`` is visible, centring it when it was not."""
        block = self.document().findBlock(self._coords.to_qt(start))
        self._highlighter.ensure(block)
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._coords.to_qt(start))
        rect = self.cursorRect(cursor)
        if not self.viewport().rect().contains(rect):
            saved = self.textCursor()
            self.setTextCursor(cursor)
            self.centerCursor()
            self.setTextCursor(saved)
        self.viewport().update()

    def set_search_hits(self, hits: list[tuple[int, int]]) -> None:
        """Outline find matches (only the visible ones are ever painted)."""
        self._hits = hits
        self.viewport().update()

    def _place_cursor(self, position: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._coords.to_qt(position))
        self.setTextCursor(cursor)

    def _select_cp(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._coords.to_qt(start))
        cursor.setPosition(self._coords.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def _set_current(self, span_id: int) -> None:
        if span_id == self._current:
            return
        changed = [s for s in (self.current_span(), self._index.get(span_id)) if s is not None]
        self._current = span_id
        self._update_ranges([(s.start, s.end) for s in changed])
        self.current_span_changed.emit(span_id)

    def _on_cursor_moved(self) -> None:
        span = self.current_span()
        if span is None:
            return
        position = self.cursor_position()
        if not span.start <= position <= span.end:
            self._set_current(NO_SPAN)

    def _on_selection_changed(self) -> None:
        if self.textCursor().hasSelection():
            self._set_current(NO_SPAN)

    # ------------------------------------------------------------------ mouse
    def _char_at(self, pos: QPoint) -> int | None:
        """Code point of the character under a viewport position (None outside text)."""
        cursor = self.cursorForPosition(pos)
        position = cursor.position()
        if pos.x() < self.cursorRect(cursor).left():
            position -= 1
        if not 0 <= position < self._coords.utf16_length:
            return None
        cp = self._coords.to_cp(position)
        text = self._snapper.text
        return cp if cp < len(text) and text[cp] != "\n" else None

    def _tag_at(self, pos: QPointF) -> int | None:
        block = self.cursorForPosition(pos.toPoint()).block()
        origin = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        for rect, span_id in self._tag_hits.get(block.blockNumber(), []):
            if rect.translated(origin).contains(pos):
                return span_id
        return None

    def mousePressEvent(self, e: QMouseEvent) -> None:
        """Clicking a tag selects its span; everything else is a normal text press."""
        if e.button() == Qt.MouseButton.LeftButton and not e.modifiers():
            tag = self._tag_at(e.position())
            if tag is not None:
                self.select_span(tag)
                self._last_click = []
                e.accept()
                return
        super().mousePressEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        """Snap a dragged selection, or select (and cycle through) spans on a click."""
        super().mouseReleaseEvent(e)
        if e.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            self._snap_selection(precise=bool(e.modifiers() & Qt.KeyboardModifier.AltModifier))
        else:
            self._click_select(e.position().toPoint())

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        """Select the token under the mouse (our tokenizer, not Qt's word rules)."""
        if e.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(e)
            return
        cp = self._char_at(e.position().toPoint())
        token = self._snapper.token_at(cp) if cp is not None else None
        if token is not None:
            self._select_cp(*token)
        e.accept()

    def _snap_selection(self, *, precise: bool) -> None:
        cursor = self.textCursor()
        start = self._coords.to_cp(cursor.selectionStart())
        end = self._coords.to_cp(cursor.selectionEnd())
        if precise:
            snapped: tuple[int, int] | None = self._snapper.snap_to_graphemes(start, end)
        else:
            snapped = self._snapper.snap_to_tokens(start, end)
        if snapped is None or snapped[0] >= snapped[1]:
            self.clear_selection()
            return
        if snapped != (start, end):
            self._select_cp(*snapped)

    def _click_select(self, pos: QPoint) -> None:
        cp = self._char_at(pos)
        spans = self._index.at(cp) if cp is not None else []
        if not spans:
            self._last_click = []
            self._set_current(NO_SPAN)
            return
        ids = [int(s.id) for s in spans]
        if self._current in ids and ids == self._last_click:
            chosen = ids[(ids.index(self._current) + 1) % len(ids)]
        else:
            chosen = ids[0]
        self._last_click = ids
        self._set_current(chosen)

    def viewportEvent(self, event: QEvent) -> bool:
        """Show the labels of the spans under the mouse as a tooltip."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cp = self._char_at(event.pos())
            spans = self._index.at(cp) if cp is not None else []
            if spans:
                lines = [f"{s.label}: {s.text}" for s in spans]
                QToolTip.showText(event.globalPos(), "\n".join(lines), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # ------------------------------------------------------------------ keyboard
    def keyPressEvent(self, e: QKeyEvent) -> None:
        """Ctrl+Left/Right move (and with Shift extend) by whole tokens."""
        for key, (direction, extend) in _WORD_MOVES.items():
            if e.matches(key):
                self._move_word(direction, extend=extend)
                e.accept()
                return
        super().keyPressEvent(e)

    def _move_word(self, direction: int, *, extend: bool) -> None:
        cursor = self.textCursor()
        position = self._coords.to_cp(cursor.position())
        if direction > 0:
            target = self._snapper.next_word_end(position)
        else:
            target = self._snapper.previous_word_start(position)
        mode = QTextCursor.MoveMode.KeepAnchor if extend else QTextCursor.MoveMode.MoveAnchor
        cursor.setPosition(self._coords.to_qt(target), mode)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # ------------------------------------------------------------------ painting
    def paintEvent(self, e: QPaintEvent) -> None:
        """Highlight the blocks about to be painted, paint the text, then the overlay."""
        self._highlight_visible()
        super().paintEvent(e)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        overlay = OverlayPainter(
            OverlayContext(
                coords=self._coords,
                index=self._index,
                styles=self._styles,
                font=self.font(),
                tag_font=self._tag_font,
                show_tags=self._show_tags,
                current=self._current,
                tags=self._tags,
                ratio=self.devicePixelRatioF(),
                hits=self._hits,
            )
        )
        region = e.rect()
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > region.bottom():
                break
            if block.isVisible() and geometry.bottom() >= region.top():
                placed = self._geometry.placed(block, self._coords, self._index)
                tags = overlay.paint_block(painter, block, geometry.topLeft(), placed)
                self._tag_hits[block.blockNumber()] = tags
            block = block.next()
        for decorate in self._decorations:
            decorate(painter)
        painter.end()

    def resizeEvent(self, e: QResizeEvent) -> None:
        """Lines re-wrap: forget where spans and tags were."""
        self._tag_hits.clear()
        self._geometry.clear()
        super().resizeEvent(e)

    def _highlight_visible(self) -> None:
        height = self.viewport().height()
        block = self.firstVisibleBlock()
        while block.isValid():
            if self._highlighter.ensure(block):
                self._geometry.forget(block.blockNumber())
            geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
            if geometry.bottom() >= height:
                break
            block = block.next()
