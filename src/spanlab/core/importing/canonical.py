"""Canonical document text, computed once at import; offsets are only ever taken after it.

Rules (in this order):

1. lone surrogates (U+D800..U+DFFF, e.g. from JSON ``"\\ud800"``) are rejected: they
   cannot be stored as UTF-8;
2. U+FEFF is removed wherever it occurs (a byte order mark at the start, the deprecated
   zero-width no-break space elsewhere; U+2060 is the word joiner to use instead);
3. CRLF and lone CR become LF, and so do the Unicode line and paragraph separators
   U+2028/U+2029 (Qt would otherwise split blocks and shift positions);
4. NUL and the other C0/C1 control characters are removed, except LF and TAB;
5. the text is normalised to **NFC** (composed form: "é" is one code point), so the
   same visible text always has the same offsets and the same hash;
6. surrounding blank lines are trimmed: blank lines at the start, and all trailing
   whitespace at the end. Leading spaces of the first line are kept.

``canonicalize`` is idempotent. Once stored, a document's text never changes and its
SHA-256 (of the UTF-8 bytes) identifies it: importing the same text again is skipped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_CONTROL = re.compile(r"[\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]+")
# Fast checks on the UTF-8 bytes (C speed; a str regex scan costs ~20 ns a character):
# C0 controls and DEL are single bytes, C1 controls are C2 80..C2 9F, U+2028/U+2029 are
# E2 80 A8/A9 and U+FEFF is EF BB BF; none of these bytes occur inside other characters.
_C0_REMOVED = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\n)+")


class CanonicalTextError(ValueError):
    """The text cannot be made canonical (e.g. it holds a lone surrogate)."""


def canonicalize(text: str) -> str:
    """Return the canonical form of ``text`` (idempotent; see the module docstring)."""
    return canonical_form(text)[0]


def canonical_form(text: str) -> tuple[str, str]:
    """(canonical text, its SHA-256), computing the UTF-8 bytes only once when possible."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # only lone surrogates cannot be encoded
        raise CanonicalTextError(
            f"invalid character U+{ord(text[exc.start]):04X} (lone surrogate) "
            f"at character {exc.start}"
        ) from None
    reencode = False  # ``data`` follows ``text`` through the cheap steps, else re-encode
    if b"\r" in data:
        text = text.replace("\r\n", "\n")
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            text = text.replace("\r", "\n")
            data = data.replace(b"\r", b"\n")
    if b"\xe2\x80\xa8" in data or b"\xe2\x80\xa9" in data:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
        reencode = True
    if (
        len(data.translate(None, _C0_REMOVED)) != len(data)
        or b"\xef\xbb\xbf" in data
        or (b"\xc2" in data and _C1_BYTES.search(data) is not None)
    ):
        text = _CONTROL.sub("", text)
        reencode = True
    if not text.isascii():
        normalized = unicodedata.normalize("NFC", text)
        if normalized is not text:
            text = normalized
            reencode = True
    leading = _LEADING_BLANK_LINES.match(text)
    if leading is not None:  # spaces, tabs and newlines: one byte a character
        text = text[leading.end() :]
        data = data[leading.end() :]
    stripped = text.rstrip()
    if len(stripped) != len(text):
        removed = len(text) - len(stripped)
        if text[len(stripped) :].isascii():
            data = data[: len(data) - removed]
        else:
            reencode = True
        text = stripped
    if reencode:
        data = text.encode("utf-8")
    return text, hashlib.sha256(data).hexdigest()


def text_sha256(text: str) -> str:
    """SHA-256 of the canonical text's UTF-8 bytes, used to skip duplicate imports."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
