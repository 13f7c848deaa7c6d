"""Deterministic sentence splitting over tokens, tuned for news text.

Rules, applied between two consecutive tokens:

* A line break in the gap always ends the sentence: news text has one paragraph per
  line, and headlines, bylines and datelines carry no final period.
* Otherwise a sentence ends after a terminator token made only of ``.``, ``!``, ``?``,
  ``…`` or ``‽`` (so ``...`` and ``?!`` too), optionally followed, without a space, by
  closing quotes or brackets, when whitespace follows and the next token starts with
  a digit, an opening quote or bracket, or a letter that is not lowercase (uppercase,
  or an uncased script such as Hangul, CJK, Arabic or Hebrew).
* The CJK full stops ``。``, ``！`` and ``？`` end a sentence whatever follows.
* Abbreviations (``Oct.``, ``S.``, ``Mr.``, ``U.S.``) are single tokens, so their
  period never ends a sentence, even at a real sentence end.

Sentence spans run from the first token's start to the last token's end, so they are
stripped of surrounding whitespace, never empty, ordered and non-overlapping.
"""

from __future__ import annotations

from typing import Final

from spanlab.core.text.tokenize import Token, tokenize

__all__ = ["sentence_spans", "sentence_tokens"]

_TERMINATOR_CHARS: Final = frozenset(".!?…‽")
_CJK_TERMINATORS: Final = frozenset("。！？")
_CLOSERS: Final = frozenset("\"'”’»›)]}」』）】")
_OPENERS: Final = frozenset("\"'“‘«‹([{¿¡「『（【")
_LINE_BREAKS: Final = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _is_terminator(tok: Token) -> bool:
    return _TERMINATOR_CHARS.issuperset(tok.text)


def _has_line_break(text: str, start: int, end: int) -> bool:
    return not _LINE_BREAKS.isdisjoint(text[start:end])


def _starts_sentence(tok: Token) -> bool:
    """Whether ``tok`` looks like the first token of a new sentence."""
    ch = tok.text[0]
    return ch.isdigit() or ch in _OPENERS or (ch.isalpha() and not ch.islower())


def sentence_tokens(text: str) -> list[list[Token]]:
    """The tokens of ``text`` grouped into sentences, in order."""
    tokens = tokenize(text)
    sentences: list[list[Token]] = []
    current: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if current and _has_line_break(text, current[-1].end, tok.start):
            sentences.append(current)
            current = []
        current.append(tok)
        i += 1
        if tok.text in _CJK_TERMINATORS:
            sentences.append(current)
            current = []
        elif _is_terminator(tok):
            # Take further terminators and closing quotes/brackets glued to it.
            while (
                i < n
                and tokens[i].start == current[-1].end
                and (_is_terminator(tokens[i]) or tokens[i].text in _CLOSERS)
            ):
                current.append(tokens[i])
                i += 1
            if i < n and tokens[i].start > current[-1].end and _starts_sentence(tokens[i]):
                sentences.append(current)
                current = []
    if current:
        sentences.append(current)
    return sentences


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans ``[start, end)`` of the sentences of ``text``, in order."""
    return [(sent[0].start, sent[-1].end) for sent in sentence_tokens(text)]
