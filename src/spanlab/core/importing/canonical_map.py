"""Map offsets of a raw text onto its canonical form (see ``canonical.canonicalize``).

Annotated files count offsets in the text as the file holds it: with CRLF line breaks,
a byte order mark, decomposed accents. SpanLab stores the canonical text, so every
offset goes through :class:`CanonicalMap`, which follows the same steps as
``canonicalize``:

1. CRLF, CR, U+2028 and U+2029 become LF; U+FEFF and control characters (except LF and
   TAB) are removed. A position between CR and LF has no image.
2. NFC: the text is cut before every ASCII character (ASCII never composes with what
   precedes it) and each piece is normalised alone. A position inside a sequence
   that NFC composes into one character has no image.
3. Blank lines at the start and whitespace at the end are trimmed; positions inside
   the trimmed parts have no image (except the end of the leading part).

``map`` returns ``None`` for positions without an image, and the importer reports the
span instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from spanlab.core.importing.canonical import canonicalize

_NEWLINE_OR_CONTROL = re.compile(r"[\r\u2028\u2029\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL = re.compile(r"[\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")
_OTHER_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SEGMENT = re.compile(r"[\x00-\x7f][^\x00-\x7f]*|[^\x00-\x7f]+")
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\n)+")


class UnmappableText(ValueError):  # noqa: N818 - a reason, not a failure of the caller
    """The canonical text differs from the raw text in a way offsets cannot follow."""


class CanonicalMap:
    """Offsets in ``raw`` -> offsets in ``canonicalize(raw)``."""

    def __init__(self, raw: str) -> None:
        """Prepare the map; raises ``UnmappableText`` (or ``CanonicalTextError``)."""
        self.canonical = canonicalize(raw)
        self.identity = raw == self.canonical
        self.changes: list[str] = []
        if self.identity:
            return
        self._raw_length = len(raw)
        self._step1: list[int] | None = None
        text = raw
        if _NEWLINE_OR_CONTROL.search(raw) is not None:
            text, self._step1 = _newlines_and_controls(raw)
            if "\r" in raw:
                self.changes.append("CR/CRLF line breaks became LF")
            if "\ufeff" in raw:
                self.changes.append("the byte order mark (U+FEFF) was removed")
            if "\u2028" in raw or "\u2029" in raw:
                self.changes.append("Unicode line/paragraph separators became LF")
            if _OTHER_CONTROL.search(raw) is not None:
                self.changes.append("control characters were removed")
        self._segments: list[tuple[int, int, str, str]] = []  # old start, new start, seg, nfc
        self._starts: list[int] = []
        nfc = unicodedata.normalize("NFC", text) if not text.isascii() else text
        if nfc != text:
            self.changes.append("the text was normalised to NFC (composed characters)")
            new_start = 0
            for match in _SEGMENT.finditer(text):
                segment = match.group()
                composed = unicodedata.normalize("NFC", segment)
                self._segments.append((match.start(), new_start, segment, composed))
                self._starts.append(match.start())
                new_start += len(composed)
        self._nfc_length = len(nfc)
        leading = _LEADING_BLANK_LINES.match(nfc)
        self._lead = leading.end() if leading is not None else 0
        self._length = len(self.canonical)
        if self._lead or len(nfc) - self._lead != self._length:
            self.changes.append("blank lines at the start or whitespace at the end were trimmed")
        if nfc[self._lead : self._lead + self._length] != self.canonical:
            raise UnmappableText("the canonical text cannot be lined up with the file's text")

    def map(self, offset: int) -> int | None:
        """The canonical offset of raw ``offset``, or None when it has no image."""
        if self.identity:
            return offset
        if not 0 <= offset <= self._raw_length:
            return None
        position: int | None = offset
        if self._step1 is not None:
            position = self._step1[offset]
            if position < 0:
                return None
        assert position is not None
        if self._segments:
            position = self._nfc(position)
            if position is None:
                return None
        if position < self._lead:
            return None
        position -= self._lead
        if position > self._length:
            return None
        return position

    def _nfc(self, position: int) -> int | None:
        index = bisect_right(self._starts, position) - 1
        if index < 0:
            return position
        old_start, new_start, segment, composed = self._segments[index]
        inside = position - old_start
        if inside == 0 or segment == composed:
            return new_start + min(inside, len(composed))
        if inside >= len(segment):
            return new_start + len(composed)
        head = unicodedata.normalize("NFC", segment[:inside])
        tail = unicodedata.normalize("NFC", segment[inside:])
        if head + tail != composed:
            return None
        return new_start + len(head)


def _newlines_and_controls(raw: str) -> tuple[str, list[int]]:
    """Step 1 of ``canonicalize`` with the old -> new boundary map (-1: no image)."""
    positions = [0] * (len(raw) + 1)
    out: list[str] = []
    written = 0
    index = 0
    length = len(raw)
    while index < length:
        positions[index] = written
        char = raw[index]
        if char == "\r" and index + 1 < length and raw[index + 1] == "\n":
            positions[index + 1] = -1
            out.append("\n")
            written += 1
            index += 2
            continue
        if char in "\r\u2028\u2029":
            out.append("\n")
            written += 1
        elif _CONTROL.match(char) is None:
            out.append(char)
            written += 1
        index += 1
    positions[length] = written
    return "".join(out), positions
