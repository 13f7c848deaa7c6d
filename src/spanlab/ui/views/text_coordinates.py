"""The one helper converting between SpanLab code points and Qt's UTF-16 positions.

Only the document view (its highlighter and overlay included) uses it; everything
else in SpanLab speaks code points.
"""

from __future__ import annotations

from collections.abc import Iterable

from spanlab.core.text.offsets import Utf16Offsets


class TextCoordinates:
    """Code point <-> UTF-16 conversions for one document text.

    Texts without astral characters (the common case) convert by identity.
    """

    __slots__ = ("_identity", "_length", "_offsets")

    def __init__(self, text: str) -> None:
        """Index the astral characters of ``text`` (one scan)."""
        self._offsets = Utf16Offsets(text)
        self._length = len(text)
        self._identity = self._offsets.utf16_length == self._length

    @property
    def identity(self) -> bool:
        """Whether code points and UTF-16 positions coincide for this text."""
        return self._identity

    @property
    def utf16_length(self) -> int:
        """Length of the text in UTF-16 units."""
        return self._offsets.utf16_length

    def to_qt(self, cp: int) -> int:
        """UTF-16 position of code point offset ``cp`` (clamped to the text)."""
        cp = min(max(cp, 0), self._length)
        return cp if self._identity else self._offsets.to_utf16(cp)

    def to_qt_many(self, cps: Iterable[int]) -> list[int]:
        """``to_qt`` for many offsets."""
        return [self.to_qt(cp) for cp in cps]

    def to_cp(self, position: int) -> int:
        """Code point offset of a Qt position (clamped; inside a surrogate pair snaps down)."""
        if self._identity:
            return min(max(position, 0), self._length)
        return self._offsets.to_codepoint_clamped(position)
