"""An in-memory index of one document's spans for views: overlap queries, lanes, text order.

Offsets are code points, half-open ``[start, end)``. Text order is ``(start, -end, id)``:
an outer span comes before the spans nested in it, so walking the order visits every
span, overlapping or nested, exactly once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from spanlab.core.model import Span, SpanId

__all__ = ["SpanIndex", "assign_lanes", "text_order_key"]

_Key = tuple[int, int, int]


def text_order_key(span: Span) -> _Key:
    """Sort key of a span in text order: by start, longer first, then by id."""
    return (span.start, -span.end, span.id)


def assign_lanes(spans: Iterable[Span]) -> dict[SpanId, int]:
    """Give overlapping spans different lanes (0 = outermost), greedily in text order.

    Two spans share a lane only if they do not overlap, so drawing one line per lane
    shows nested and crossing spans side by side.
    """
    lane_ends: list[int] = []
    lanes: dict[SpanId, int] = {}
    for span in sorted(spans, key=text_order_key):
        for lane, end in enumerate(lane_ends):
            if end <= span.start:
                lane_ends[lane] = span.end
                lanes[span.id] = lane
                break
        else:
            lanes[span.id] = len(lane_ends)
            lane_ends.append(span.end)
    return lanes


class SpanIndex:
    """Spans of one document and annotator, kept in text order for fast lookups.

    Updates are ``O(n)`` list inserts (fast for thousands of spans); queries are
    ``O(log n + k)`` thanks to the longest span length bounding how far back an
    overlapping span can start.
    """

    __slots__ = ("_by_id", "_keys", "_lengths", "_max_length")

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        """Index ``spans`` (any order)."""
        self._by_id: dict[SpanId, Span] = {}
        self._lengths: Counter[int] = Counter()
        self._max_length = 0
        by_id = self._by_id
        for span in spans:
            by_id[span.id] = span
        self._lengths.update(s.end - s.start for s in by_id.values())
        # The key inlined: opening a document indexes thousands of spans.
        self._keys: list[_Key] = sorted([(s.start, -s.end, s.id) for s in by_id.values()])
        self._max_length = max(self._lengths, default=0)

    # ------------------------------------------------------------------ content
    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._by_id

    def __iter__(self) -> Iterator[Span]:
        return (self._by_id[SpanId(key[2])] for key in self._keys)

    def get(self, span_id: int) -> Span | None:
        """The span with this id, if indexed."""
        return self._by_id.get(SpanId(span_id))

    def position(self, span_id: int) -> int:
        """Row of a span in text order.

        Raises:
            KeyError: the span is not indexed.
        """
        span = self._by_id[SpanId(span_id)]
        return bisect_left(self._keys, text_order_key(span))

    def at_row(self, row: int) -> Span:
        """The span at a row in text order."""
        return self._by_id[SpanId(self._keys[row][2])]

    # ------------------------------------------------------------------ updates
    def add(self, span: Span) -> int:
        """Index a new span (replacing one with the same id); return its row."""
        if span.id in self._by_id:
            self.remove(span.id)
        self._by_id[span.id] = span
        key = text_order_key(span)
        insort(self._keys, key)
        length = span.end - span.start
        self._lengths[length] += 1
        self._max_length = max(self._max_length, length)
        return bisect_left(self._keys, key)

    def remove(self, span_id: int) -> Span | None:
        """Drop a span; return it (None if it was not indexed)."""
        span = self._by_id.pop(SpanId(span_id), None)
        if span is None:
            return None
        row = bisect_left(self._keys, text_order_key(span))
        del self._keys[row]
        length = span.end - span.start
        self._lengths[length] -= 1
        if not self._lengths[length]:
            del self._lengths[length]
            if length == self._max_length:
                self._max_length = max(self._lengths, default=0)
        return span

    # ------------------------------------------------------------------ queries
    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans sharing at least one code point with ``[start, end)``, in text order."""
        if start >= end or not self._keys:
            return []
        lo = bisect_left(self._keys, (start - self._max_length + 1,))
        hi = bisect_left(self._keys, (end,))
        by_id = self._by_id
        return [by_id[SpanId(key[2])] for key in self._keys[lo:hi] if -key[1] > start]

    def cluster(self, start: int, end: int) -> tuple[int, int]:
        """The extent of ``[start, end)`` grown by every span overlapping it, transitively.

        Lanes and overlap bars of spans depend only on the spans chained to them by
        overlaps, so after an edit in ``[start, end)`` nothing outside this extent looks
        different.
        """
        lo, hi = start, end
        while True:
            found = self.overlapping(lo, hi) if lo < hi else []
            new_lo = min([lo, *(s.start for s in found)])
            new_hi = max([hi, *(s.end for s in found)])
            if (new_lo, new_hi) == (lo, hi):
                return lo, hi
            lo, hi = new_lo, new_hi

    def at(self, position: int) -> list[Span]:
        """Spans containing the character at ``position``, innermost (shortest) first."""
        found = self.overlapping(position, position + 1)
        return sorted(found, key=lambda s: (s.end - s.start, -s.start, s.id))

    def touching(self, position: int) -> list[Span]:
        """Spans containing ``position`` or ending right at it (a cursor after a span).

        Spans containing the character come first, innermost first.
        """
        inside = self.at(position)
        if inside:
            return inside
        ending = [s for s in self.overlapping(position - 1, position) if s.end == position]
        return sorted(ending, key=lambda s: (s.end - s.start, s.id))

    def exact(self, start: int, end: int) -> list[Span]:
        """Spans with exactly these offsets."""
        lo = bisect_left(self._keys, (start, -end))
        hi = bisect_right(self._keys, (start, -end, 2**63))
        return [self._by_id[SpanId(key[2])] for key in self._keys[lo:hi]]

    def following(self, *, span: Span | None = None, position: int = 0) -> Span | None:
        """The next span in text order after ``span`` (or starting at/after ``position``)."""
        if span is not None:
            row = bisect_right(self._keys, text_order_key(span))
        else:
            row = bisect_left(self._keys, (position,))
        return self.at_row(row) if row < len(self._keys) else None

    def preceding(self, *, span: Span | None = None, position: int = 0) -> Span | None:
        """The previous span in text order before ``span`` (or starting before ``position``)."""
        if span is not None:
            row = bisect_left(self._keys, text_order_key(span))
        else:
            row = bisect_left(self._keys, (position,))
        return self.at_row(row - 1) if row > 0 else None

    def first(self) -> Span | None:
        """The first span in text order."""
        return self.at_row(0) if self._keys else None

    def last(self) -> Span | None:
        """The last span in text order."""
        return self.at_row(len(self._keys) - 1) if self._keys else None

    def spans(self) -> Sequence[Span]:
        """All spans in text order."""
        return list(self)

    def keys(self) -> list[tuple[int, int, int]]:
        """The :func:`text_order_key` of every span, in text order (a copy)."""
        return list(self._keys)
