"""Text and offset logic for SpanLab, free of Qt and storage.

The one offset unit in SpanLab is the Python code point, half-open ``[start, end)``,
over an immutable document text. This package converts those offsets to and from
UTF-16 units and UTF-8 bytes, finds grapheme cluster boundaries, tokenizes and splits
sentences, all deterministically.
"""

from spanlab.core.text.graphemes import GraphemeIndex, grapheme_boundaries, snap_to_graphemes
from spanlab.core.text.offsets import (
    OffsetError,
    Utf8Offsets,
    Utf16Offsets,
    codepoint_to_utf8,
    utf8_to_codepoint,
    utf16_len,
)
from spanlab.core.text.sentences import sentence_spans, sentence_tokens
from spanlab.core.text.tokenize import (
    ABBREVIATIONS,
    SEPARATORS,
    Token,
    is_separator,
    iter_tokens,
    tokenize,
)

__all__ = [
    "ABBREVIATIONS",
    "SEPARATORS",
    "GraphemeIndex",
    "OffsetError",
    "Token",
    "Utf8Offsets",
    "Utf16Offsets",
    "codepoint_to_utf8",
    "grapheme_boundaries",
    "is_separator",
    "iter_tokens",
    "sentence_spans",
    "sentence_tokens",
    "snap_to_graphemes",
    "tokenize",
    "utf8_to_codepoint",
    "utf16_len",
]
