"""Span colours as QSyntaxHighlighter formats, fed from the span index, one block at a time.

Formats live in each block's layout, never in the document: the text stays canonical,
nothing enters Qt's undo stack and nothing leaks into ``toHtml``. Highlighting is lazy:
a block is formatted only once the view asks for it (because it is about to be
painted), so opening a 100,000-word article formats a screenful of paragraphs.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from PySide6.QtGui import QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextDocument

from spanlab.core.span_index import SpanIndex, assign_lanes
from spanlab.ui.views.label_style import LabelStyles
from spanlab.ui.views.text_coordinates import TextCoordinates

_SPACES = re.compile(r"[ \t\u00a0]")


class SpanHighlighter(QSyntaxHighlighter):
    """Paints each span's background in its label colour; inner spans over outer ones."""

    def __init__(self, document: QTextDocument) -> None:
        """Attach to ``document`` with nothing to highlight yet."""
        super().__init__(document)
        self._coords = TextCoordinates("")
        self._index = SpanIndex()
        self._styles = LabelStyles()
        self._spacer: QTextCharFormat | None = None
        self._done: set[int] = set()

    def configure(
        self,
        *,
        coords: TextCoordinates,
        index: SpanIndex,
        styles: LabelStyles,
        spacer: QTextCharFormat | None,
    ) -> None:
        """Use new sources; every block is highlighted again when next needed."""
        self._coords = coords
        self._index = index
        self._styles = styles
        self._spacer = spacer
        self.forget()

    def forget(self) -> None:
        """Mark every block as needing highlighting (cheap; work happens on demand)."""
        self._done.clear()

    @property
    def highlighted_blocks(self) -> int:
        """How many blocks carry formats (for tests and benchmarks)."""
        return len(self._done)

    def is_highlighted(self, block: QTextBlock) -> bool:
        """Whether ``block`` carries up-to-date formats."""
        return block.blockNumber() in self._done

    def ensure(self, block: QTextBlock) -> bool:
        """Highlight ``block`` if it is not yet; return whether work was done."""
        number = block.blockNumber()
        if number in self._done:
            return False
        self._done.add(number)
        self.rehighlightBlock(block)
        return True

    def refresh(self, ranges: Iterable[tuple[int, int]]) -> set[int]:
        """Re-highlight already highlighted blocks overlapping code point ranges.

        Returns the numbers of every block the ranges touch (highlighted or not).
        """
        document = self.document()
        touched: set[int] = set()
        if document is None:
            return touched
        seen: set[int] = set()
        for start, end in ranges:
            block = document.findBlock(self._coords.to_qt(start))
            last = document.findBlock(self._coords.to_qt(end)).blockNumber()
            while block.isValid() and block.blockNumber() <= last:
                number = block.blockNumber()
                touched.add(number)
                if number in self._done and number not in seen:
                    seen.add(number)
                    self.rehighlightBlock(block)
                block = block.next()
        return touched

    def highlightBlock(self, text: str) -> None:
        """Qt callback: set span formats on the current block (only if requested)."""
        block = self.currentBlock()
        if block.blockNumber() not in self._done:
            return
        position = block.position()
        cp0 = self._coords.to_cp(position)
        cp1 = cp0 + len(text)
        identity = len(text) == block.length() - 1
        to_qt = self._coords.to_qt

        def local(cp: int) -> int:
            return cp - cp0 if identity else to_qt(cp) - position

        spans = self._index.overlapping(cp0, cp1)
        lanes = assign_lanes(spans) if len(spans) > 1 else {}
        ordered = sorted(spans, key=lambda s: lanes.get(s.id, 0))
        styles = self._styles
        set_format = self.setFormat
        for span in ordered:
            a = local(max(span.start, cp0))
            b = local(min(span.end, cp1))
            set_format(a, b - a, styles[span.label].format)
        spacer = self._spacer
        if spacer is None:
            return
        spaces = [m.start() for m in _SPACES.finditer(text)]
        if not spaces:
            return
        cover: list[str | None] = [None] * len(spaces)
        for span in ordered:
            lo = bisect_left(spaces, span.start - cp0)
            hi = bisect_left(spaces, span.end - cp0)
            for j in range(lo, hi):
                cover[j] = span.label
        for j, i in enumerate(spaces):
            label = cover[j]
            fmt = spacer if label is None else styles[label].spacer_format
            set_format(i if identity else to_qt(cp0 + i) - position, 1, fmt)
