"""Span colours as per-block layout formats, fed from the span index, one block at a time.

Formats live in each block's layout, never in the document: the text stays canonical,
nothing enters Qt's undo stack and nothing leaks into ``toHtml``. Highlighting is lazy:
a block is formatted only once the view asks for it (because it is about to be
painted), so opening a 100,000-word article formats a screenful of paragraphs.

Formats are set with ``QTextLayout.setFormats`` rather than through a
``QSyntaxHighlighter``: the highlighter announces each re-formatted block to the layout
as a change twice the block's length, which ``QPlainTextDocumentLayout`` answers by
clearing the next block's layout too and repainting the whole viewport. Setting the
formats directly lets a span edit repaint only the paragraphs it touched.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from PySide6.QtGui import QTextBlock, QTextCharFormat, QTextDocument, QTextLayout

from spanlab.core.span_index import SpanIndex, assign_lanes
from spanlab.ui.views.label_style import LabelStyles
from spanlab.ui.views.text_coordinates import TextCoordinates

_SPACES = re.compile(r"[ \t\u00a0]")


class SpanHighlighter:
    """Paints each span's background in its label colour; inner spans over outer ones."""

    def __init__(self, document: QTextDocument) -> None:
        """Format blocks of ``document``; nothing to highlight yet."""
        self._document = document
        self._coords = TextCoordinates("")
        self._index = SpanIndex()
        self._styles = LabelStyles()
        self._spacer: QTextCharFormat | None = None
        self._done: set[int] = set()
        self._formatted: set[int] = set()

    def configure(
        self,
        *,
        coords: TextCoordinates,
        index: SpanIndex,
        styles: LabelStyles,
        spacer: QTextCharFormat | None,
    ) -> None:
        """Use new sources; every block is highlighted again when next needed."""
        if coords is not self._coords:  # new text: its blocks carry no formats yet
            self._formatted.clear()
        self._coords = coords
        self._index = index
        self._styles = styles
        self._spacer = spacer
        self.forget()

    def forget(self) -> None:
        """Mark every block as needing highlighting (cheap; work happens on demand)."""
        self._done.clear()

    def rehighlight(self) -> None:
        """Drop every block's formats (they are set again before it is next painted)."""
        document = self._document
        for number in sorted(self._formatted):
            block = document.findBlockByNumber(number)
            if block.isValid():
                layout = block.layout()
                if layout is not None:
                    layout.clearFormats()
        self._formatted.clear()
        self._done.clear()
        self._request_full_update()

    @property
    def highlighted_blocks(self) -> int:
        """How many blocks carry formats (for tests and benchmarks)."""
        return len(self._done)

    def is_highlighted(self, block: QTextBlock) -> bool:
        """Whether ``block`` carries up-to-date formats."""
        return block.blockNumber() in self._done

    def ensure(self, block: QTextBlock) -> bool:
        """Highlight ``block`` if it is not yet; return whether work was done.

        The block is laid out again when next measured or painted; callers do this
        before painting, so no repaint is requested here.
        """
        number = block.blockNumber()
        if number in self._done or not block.isValid():
            return False
        self._apply(block)
        return True

    def refresh(self, ranges: Iterable[tuple[int, int]]) -> set[int]:
        """Re-highlight already highlighted blocks overlapping code point ranges.

        Returns the numbers of every block the ranges touch (highlighted or not). The
        caller repaints those blocks; if a block changed height (its lines re-wrapped)
        the whole viewport is repainted, since every block below it moved.
        """
        document = self._document
        touched: set[int] = set()
        seen: set[int] = set()
        layout = document.documentLayout()
        moved = False
        for start, end in ranges:
            block = document.findBlock(self._coords.to_qt(start))
            last = document.findBlock(self._coords.to_qt(end)).blockNumber()
            while block.isValid() and block.blockNumber() <= last:
                number = block.blockNumber()
                touched.add(number)
                if number in self._done and number not in seen:
                    seen.add(number)
                    text_layout = block.layout()
                    laid_out = text_layout is not None and text_layout.lineCount() > 0
                    before = layout.blockBoundingRect(block).height() if laid_out else None
                    self._apply(block)
                    after = layout.blockBoundingRect(block).height()  # lays the block out
                    moved = moved or before is None or before != after
                block = block.next()
        if moved:
            self._request_full_update()
        return touched

    # ------------------------------------------------------------------ internals
    def _request_full_update(self) -> None:
        layout = self._document.documentLayout()
        if layout is not None:
            layout.update.emit()

    def _apply(self, block: QTextBlock) -> None:
        number = block.blockNumber()
        layout = block.layout()
        if layout is None:
            return
        self._done.add(number)
        self._formatted.add(number)
        layout.setFormats(self._ranges(block))

    def _ranges(self, block: QTextBlock) -> list[QTextLayout.FormatRange]:
        """Non-overlapping format ranges (block-relative UTF-16) for ``block``."""
        text = block.text()
        position = block.position()
        size = block.length() - 1
        cp0 = self._coords.to_cp(position)
        cp1 = cp0 + len(text)
        identity = len(text) == size
        to_qt = self._coords.to_qt

        def local(cp: int) -> int:
            return cp - cp0 if identity else to_qt(cp) - position

        spans = self._index.overlapping(cp0, cp1)
        lanes = assign_lanes(spans) if len(spans) > 1 else {}
        ordered = sorted(spans, key=lambda s: lanes.get(s.id, 0))
        styles = self._styles
        cells: list[QTextCharFormat | None] = [None] * size
        for span in ordered:  # inner lanes last, so they paint over outer spans
            a = local(max(span.start, cp0))
            b = local(min(span.end, cp1))
            cells[a:b] = [styles[span.label].format] * (b - a)
        spacer = self._spacer
        if spacer is not None:
            spaces = [m.start() for m in _SPACES.finditer(text)]
            cover: list[str | None] = [None] * len(spaces)
            for span in ordered:
                lo = bisect_left(spaces, span.start - cp0)
                hi = bisect_left(spaces, span.end - cp0)
                for j in range(lo, hi):
                    cover[j] = span.label
            for j, i in enumerate(spaces):
                label = cover[j]
                fmt = spacer if label is None else styles[label].spacer_format
                cells[i if identity else to_qt(cp0 + i) - position] = fmt
        return _runs(cells)


def _runs(cells: list[QTextCharFormat | None]) -> list[QTextLayout.FormatRange]:
    """Merge neighbouring cells holding the same format object into ranges."""
    ranges: list[QTextLayout.FormatRange] = []
    start = 0
    current: QTextCharFormat | None = None
    for i, fmt in enumerate(cells):
        if fmt is current:
            continue
        if current is not None:
            ranges.append(_range(start, i - start, current))
        start, current = i, fmt
    if current is not None:
        ranges.append(_range(start, len(cells) - start, current))
    return ranges


def _range(start: int, length: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    item = QTextLayout.FormatRange()
    item.start = start
    item.length = length
    item.format = fmt
    return item
