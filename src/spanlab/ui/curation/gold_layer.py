"""The gold spans of the curated document, kept in one :class:`SpanIndex` the view holds.

The article view keeps a reference to the index, so a refresh updates it in place and
reports only the spans that changed: the view repaints those lines instead of reloading
the whole text (which would also lose the scroll position).
"""

from __future__ import annotations

from collections.abc import Iterable

from spanlab.core.model import Span
from spanlab.core.span_index import SpanIndex


class GoldLayer:
    """Gold's spans on one document."""

    def __init__(self) -> None:
        """No spans yet."""
        self.index = SpanIndex()

    def reset(self, spans: Iterable[Span]) -> None:
        """Start over with ``spans`` (another document): a new index object."""
        self.index = SpanIndex(spans)

    def update(self, spans: Iterable[Span]) -> list[Span]:
        """Bring the index up to ``spans``; return the old and new versions that changed."""
        old = {s.id: s for s in self.index}
        new = {s.id: s for s in spans}
        changed: list[Span] = []
        for span_id, span in old.items():
            if span_id not in new:
                self.index.remove(span_id)
                changed.append(span)
        for span_id, span in new.items():
            before = old.get(span_id)
            if before == span:
                continue
            if before is not None:
                self.index.remove(span_id)
                changed.append(before)
            self.index.add(span)
            changed.append(span)
        return changed
