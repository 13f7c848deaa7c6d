"""Canonical document text, computed once at import; offsets are only ever taken after it.

Rules (in this order): a leading BOM is removed; CRLF and lone CR become LF; the
Unicode line and paragraph separators become LF (Qt would otherwise split blocks);
NUL and other C0/C1 control characters except LF and TAB are removed; lone surrogates
are rejected; the text is normalised to NFC; surrounding blank lines are trimmed (and
trailing spaces at the very end).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


class CanonicalTextError(ValueError):
    """The text cannot be made canonical (e.g. it holds a lone surrogate)."""


def canonicalize(text: str) -> str:
    """Return the canonical form of ``text`` (idempotent)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise CanonicalTextError(
            f"invalid character U+{ord(surrogate.group()):04X} (lone surrogate) "
            f"at character {surrogate.start()}"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _LEADING_BLANK_LINES.sub("", text)
    return text.rstrip()


def text_sha256(text: str) -> str:
    """SHA-256 of the canonical text's UTF-8 bytes, used to skip duplicate imports."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
