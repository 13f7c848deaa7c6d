"""Grapheme cluster boundaries, so spans never cut a user-perceived character.

A flag, a ZWJ family emoji or a letter with combining accents is several code points
but one character on screen; a span edge inside it would render as garbage and could
not be selected with the mouse. Boundaries follow the Unicode extended grapheme
cluster rules as implemented by the ``regex`` module's ``\\X``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Final

import regex

from spanlab.core.text.offsets import OffsetError

__all__ = ["GraphemeIndex", "grapheme_boundaries", "snap_to_graphemes"]

_CLUSTER: Final = regex.compile(r"\X")


def grapheme_boundaries(text: str) -> list[int]:
    """Sorted code-point offsets between grapheme clusters, including 0 and ``len(text)``."""
    clusters: list[str] = _CLUSTER.findall(text)
    return [0, *accumulate(map(len, clusters))]


class GraphemeIndex:
    """Grapheme boundaries of one text, computed once and queried with ``bisect``.

    Build one per document: computing boundaries scans the whole text, every query
    afterwards is ``O(log n)``.
    """

    __slots__ = ("_bounds", "_length")

    def __init__(self, text: str) -> None:
        """Scan ``text`` for its cluster boundaries."""
        self._bounds: tuple[int, ...] = tuple(grapheme_boundaries(text))
        self._length = len(text)

    @property
    def boundaries(self) -> tuple[int, ...]:
        """All boundaries, sorted, including 0 and the text length."""
        return self._bounds

    def _check(self, cp: int) -> None:
        if not 0 <= cp <= self._length:
            raise OffsetError(f"code point offset {cp} outside text of length {self._length}")

    def is_boundary(self, cp: int) -> bool:
        """Whether a span may start or end at ``cp``."""
        self._check(cp)
        i = bisect_left(self._bounds, cp)
        return self._bounds[i] == cp

    def floor(self, cp: int) -> int:
        """Largest boundary ``<= cp``: where a span start inside a cluster moves to."""
        self._check(cp)
        return self._bounds[bisect_right(self._bounds, cp) - 1]

    def ceil(self, cp: int) -> int:
        """Smallest boundary ``>= cp``: where a span end inside a cluster moves to."""
        self._check(cp)
        return self._bounds[bisect_left(self._bounds, cp)]

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Grow ``[start, end)`` to the smallest cluster-aligned range containing it.

        Raises:
            OffsetError: the range is reversed or outside the text.
        """
        if start > end:
            raise OffsetError(f"span start {start} is after its end {end}")
        return self.floor(start), self.ceil(end)


def snap_to_graphemes(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` so no grapheme cluster is cut (start moves down, end up).

    Scans the whole text; use ``GraphemeIndex`` when snapping many spans.

    Raises:
        OffsetError: the range is reversed or outside the text.
    """
    return GraphemeIndex(text).snap(start, end)
