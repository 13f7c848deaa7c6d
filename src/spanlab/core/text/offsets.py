"""Conversions between SpanLab code-point offsets and UTF-16 / UTF-8 code units.

SpanLab stores every offset as a Python code point, half-open ``[start, end)``.
Qt widgets, browsers and JSON exports from JavaScript tools count UTF-16 code units,
and some command-line tools count UTF-8 bytes, so offsets crossing that border go
through this module and nowhere else.

Lone surrogates (possible in Python strings decoded with ``surrogateescape``) count as
one UTF-16 unit and three UTF-8 bytes, matching the ``surrogatepass`` codecs.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from typing import ClassVar, Final

__all__ = [
    "OffsetError",
    "Utf8Offsets",
    "Utf16Offsets",
    "codepoint_to_utf8",
    "utf8_to_codepoint",
    "utf16_len",
]

_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")
_NON_ASCII: Final = re.compile("[^\x00-\x7f]")


class OffsetError(ValueError):
    """An offset is out of range or points inside an encoded character."""


def utf16_len(s: str) -> int:
    """Length of ``s`` in UTF-16 code units, i.e. what Qt and JavaScript call its length."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _utf8_width(ch: str) -> int:
    """Bytes needed for one code point in UTF-8 (lone surrogates take three)."""
    cp = ord(ch)
    if cp < 0x80:
        return 1
    if cp < 0x800:
        return 2
    if cp < 0x10000:
        return 3
    return 4


class _UnitIndex:
    """Code point <-> code unit mapping for an encoding where most characters are 1 unit.

    Only the characters wider than one unit are recorded (sorted), so building is
    cheap for mostly-narrow texts and every lookup is one ``bisect``.
    """

    __slots__ = ("_cps", "_extra", "_length", "_starts", "_unit_length")

    _UNIT: ClassVar[str] = "code unit"

    def __init__(self, length: int, wide: Iterable[tuple[int, int]]) -> None:
        """Build from the text length and ``(code point, width in units)`` of wide chars."""
        cps: list[int] = []
        extra = [0]
        starts: list[int] = []
        total = 0
        for cp, width in wide:
            cps.append(cp)
            starts.append(cp + total)
            total += width - 1
            extra.append(total)
        self._cps = cps
        self._extra = extra
        self._starts = starts
        self._length = length
        self._unit_length = length + total

    @property
    def codepoint_length(self) -> int:
        """Length of the text in code points."""
        return self._length

    def _to_units(self, cp: int) -> int:
        if not 0 <= cp <= self._length:
            raise OffsetError(f"code point offset {cp} outside text of length {self._length}")
        return cp + self._extra[bisect_left(self._cps, cp)]

    def _to_codepoint(self, unit: int, *, clamp: bool) -> int:
        if not 0 <= unit <= self._unit_length:
            if not clamp:
                raise OffsetError(
                    f"{self._UNIT} offset {unit} outside text of {self._unit_length} units"
                )
            unit = min(max(unit, 0), self._unit_length)
        k = bisect_left(self._starts, unit)  # wide chars starting strictly before `unit`
        if k and unit < self._cps[k - 1] + self._extra[k] + 1:
            if not clamp:
                raise OffsetError(
                    f"{self._UNIT} offset {unit} falls inside the character at code point "
                    f"{self._cps[k - 1]}, which spans {self._UNIT} offsets "
                    f"[{self._starts[k - 1]}, {self._cps[k - 1] + self._extra[k] + 1})"
                )
            return self._cps[k - 1]
        return unit - self._extra[k]


class Utf16Offsets(_UnitIndex):
    """Maps code-point offsets of one text to UTF-16 code units and back.

    Build once per document text; lookups are ``O(log n)`` in the number of astral
    characters (emoji and the like), which are the only ones taking two units.
    """

    __slots__ = ()

    _UNIT = "UTF-16"

    def __init__(self, text: str) -> None:
        """Index the astral characters of ``text``."""
        super().__init__(len(text), ((m.start(), 2) for m in _ASTRAL.finditer(text)))

    @property
    def utf16_length(self) -> int:
        """Length of the text in UTF-16 code units."""
        return self._unit_length

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code-point offset ``cp`` (``0 <= cp <= len(text)``).

        Raises:
            OffsetError: ``cp`` is out of range.
        """
        return self._to_units(cp)

    def to_utf16_many(self, cps: Iterable[int]) -> list[int]:
        """``to_utf16`` for many offsets, e.g. all span ends of a document."""
        return [self._to_units(cp) for cp in cps]

    def to_codepoint(self, u16: int) -> int:
        """Code-point offset of UTF-16 offset ``u16``.

        Raises:
            OffsetError: ``u16`` is out of range or between the two halves of a
                surrogate pair, so it names no code-point position.
        """
        return self._to_codepoint(u16, clamp=False)

    def to_codepoint_clamped(self, u16: int) -> int:
        """Like ``to_codepoint`` but never raises, for cursor positions coming from the UI.

        Out-of-range offsets are clamped to the text and an offset inside a surrogate
        pair snaps down to the start of that character.
        """
        return self._to_codepoint(u16, clamp=True)

    def to_codepoint_many(self, u16s: Iterable[int]) -> list[int]:
        """``to_codepoint`` for many offsets; raises on the first invalid one."""
        return [self._to_codepoint(u, clamp=False) for u in u16s]


class Utf8Offsets(_UnitIndex):
    """Maps code-point offsets of one text to UTF-8 byte offsets and back.

    Used to recognise files whose offsets count bytes; build once per text when
    converting many offsets (the module functions rescan the text on every call).
    """

    __slots__ = ()

    _UNIT = "UTF-8 byte"

    def __init__(self, text: str) -> None:
        """Index the non-ASCII characters of ``text``."""
        wide = ((m.start(), _utf8_width(m.group())) for m in _NON_ASCII.finditer(text))
        super().__init__(len(text), wide)

    @property
    def utf8_length(self) -> int:
        """Length of the text in UTF-8 bytes."""
        return self._unit_length

    def to_utf8(self, cp: int) -> int:
        """UTF-8 byte offset of code-point offset ``cp``.

        Raises:
            OffsetError: ``cp`` is out of range.
        """
        return self._to_units(cp)

    def to_utf8_many(self, cps: Iterable[int]) -> list[int]:
        """``to_utf8`` for many offsets."""
        return [self._to_units(cp) for cp in cps]

    def to_codepoint(self, byte_offset: int) -> int:
        """Code-point offset of a UTF-8 byte offset.

        Raises:
            OffsetError: the offset is out of range or inside a multi-byte character.
        """
        return self._to_codepoint(byte_offset, clamp=False)

    def to_codepoint_clamped(self, byte_offset: int) -> int:
        """Like ``to_codepoint`` but clamps and snaps down instead of raising."""
        return self._to_codepoint(byte_offset, clamp=True)


def codepoint_to_utf8(text: str, cp: int) -> int:
    """UTF-8 byte offset of code-point offset ``cp`` in ``text`` (one-off; ``O(cp)``).

    Raises:
        OffsetError: ``cp`` is out of range.
    """
    if not 0 <= cp <= len(text):
        raise OffsetError(f"code point offset {cp} outside text of length {len(text)}")
    return len(text[:cp].encode("utf-8", "surrogatepass"))


def utf8_to_codepoint(text: str, byte_offset: int) -> int:
    """Code-point offset of UTF-8 ``byte_offset`` in ``text`` (one-off; ``O(len(text))``).

    Raises:
        OffsetError: the offset is out of range or inside a multi-byte character.
    """
    data = text.encode("utf-8", "surrogatepass")
    if not 0 <= byte_offset <= len(data):
        raise OffsetError(f"UTF-8 byte offset {byte_offset} outside text of {len(data)} bytes")
    if byte_offset < len(data) and data[byte_offset] & 0xC0 == 0x80:
        raise OffsetError(f"UTF-8 byte offset {byte_offset} falls inside a multi-byte character")
    return len(data[:byte_offset].decode("utf-8", "surrogatepass"))
