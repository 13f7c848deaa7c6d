"""Snap selections to tokens and grapheme clusters, and move by word, without scanning the text.

Tokenizing a 100,000-word article takes over a second, so nothing here tokenizes the
whole text: tokens never contain a separator and the tokenizer only looks one
character behind, so tokenizing one line (lines are separated by ``\\n``) gives exactly
the tokens the whole text would have there. Lines are tokenized on demand and cached.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from spanlab.core.text.graphemes import GraphemeIndex
from spanlab.core.text.tokenize import tokenize

__all__ = ["TextSnapper"]


class TextSnapper:
    """Token and grapheme boundaries of one document text, computed per line on demand."""

    def __init__(self, text: str) -> None:
        """Prepare for ``text``; nothing is scanned yet."""
        self._text = text
        self._line_tokens = lru_cache(maxsize=256)(self._tokenize_line)
        self._line_graphemes = lru_cache(maxsize=64)(self._graphemes_of_line)

    @property
    def text(self) -> str:
        """The document text."""
        return self._text

    # ------------------------------------------------------------------ lines
    def line_bounds(self, position: int) -> tuple[int, int]:
        """``[start, end)`` of the line holding ``position`` (``end`` excludes the newline)."""
        text = self._text
        position = min(max(position, 0), len(text))
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        return start, len(text) if end < 0 else end

    def _tokenize_line(self, start: int, end: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        tokens = tokenize(self._text[start:end])
        return (
            tuple(start + t.start for t in tokens),
            tuple(start + t.end for t in tokens),
        )

    def _graphemes_of_line(self, start: int, end: int) -> GraphemeIndex:
        return GraphemeIndex(self._text[start:end])

    def tokens_of_line(self, position: int) -> list[tuple[int, int]]:
        """Tokens ``(start, end)`` of the line holding ``position``."""
        starts, ends = self._line_tokens(*self.line_bounds(position))
        return list(zip(starts, ends, strict=True))

    # ------------------------------------------------------------------ graphemes
    def grapheme_floor(self, position: int) -> int:
        """Largest grapheme boundary ``<= position``."""
        line_start, line_end = self.line_bounds(position)
        index = self._line_graphemes(line_start, line_end)
        local = min(max(position, line_start), line_end) - line_start
        return line_start + index.floor(local)

    def grapheme_ceil(self, position: int) -> int:
        """Smallest grapheme boundary ``>= position``."""
        line_start, line_end = self.line_bounds(position)
        index = self._line_graphemes(line_start, line_end)
        local = min(max(position, line_start), line_end) - line_start
        return line_start + index.ceil(local)

    def snap_to_graphemes(self, start: int, end: int) -> tuple[int, int]:
        """Grow ``[start, end)`` so it never cuts a grapheme cluster (half an emoji)."""
        start, end = sorted((start, end))
        return self.grapheme_floor(start), self.grapheme_ceil(end)

    # ------------------------------------------------------------------ tokens
    def token_at(self, position: int) -> tuple[int, int] | None:
        """The token holding the character at ``position`` (for double-click), if any."""
        starts, ends = self._line_tokens(*self.line_bounds(position))
        i = bisect_right(starts, position) - 1
        if i >= 0 and position < ends[i]:
            return starts[i], ends[i]
        return None

    def snap_to_tokens(self, start: int, end: int) -> tuple[int, int] | None:
        """Grow a selection to whole tokens and trim surrounding whitespace.

        A start inside a token moves to the token's start, a start in whitespace to the
        next token; the end likewise moves to a token end. Returns None when the
        selection holds no token at all.
        """
        start, end = sorted((start, end))
        if start == end:
            return self.token_at(start)
        first = self._token_start_at_or_after(start)
        last = self._token_end_at_or_before(end)
        if first is None or last is None or first >= last:
            return None
        return first, last

    def _token_start_at_or_after(self, position: int) -> int | None:
        """Start of the token holding ``position``, else of the next token."""
        token = self.token_at(position)
        if token is not None:
            return token[0]
        return self.next_token_start(position)

    def _token_end_at_or_before(self, position: int) -> int | None:
        """End of the token holding the character before ``position``, else the previous."""
        if position > 0:
            token = self.token_at(position - 1)
            if token is not None:
                return token[1]
        return self.previous_token_end(position)

    def next_token_start(self, position: int) -> int | None:
        """Start of the first token starting at or after ``position``."""
        text_length = len(self._text)
        while position <= text_length:
            line_start, line_end = self.line_bounds(position)
            starts, _ = self._line_tokens(line_start, line_end)
            i = bisect_left(starts, position)
            if i < len(starts):
                return starts[i]
            position = line_end + 1
        return None

    def previous_token_end(self, position: int) -> int | None:
        """End of the last token ending at or before ``position``."""
        while position >= 0:
            line_start, line_end = self.line_bounds(position)
            _, ends = self._line_tokens(line_start, line_end)
            i = bisect_right(ends, position) - 1
            if i >= 0:
                return ends[i]
            position = line_start - 1
        return None

    def next_word_end(self, position: int) -> int:
        """Where Ctrl+Right goes: the end of the token holding or following ``position``."""
        text_length = len(self._text)
        while position < text_length:
            line_start, line_end = self.line_bounds(position)
            _, ends = self._line_tokens(line_start, line_end)
            i = bisect_right(ends, position)
            if i < len(ends):
                return ends[i]
            if line_end >= text_length:
                break
            position = line_end + 1
        return text_length

    def previous_word_start(self, position: int) -> int:
        """Where Ctrl+Left goes: the start of the token holding or preceding ``position``."""
        while position > 0:
            line_start, line_end = self.line_bounds(position)
            starts, _ = self._line_tokens(line_start, line_end)
            i = bisect_left(starts, position) - 1
            if i >= 0:
                return starts[i]
            if line_start == 0:
                break
            position = line_start - 1
        return 0
