"""Deterministic rule-based tokenizer for news text.

Tokens are what double-click selection and span snapping work on, so the rules favour
keeping names, dates and numbers whole. Decisions:

* Separators (never inside a token): every character with ``str.isspace()`` plus the
  invisible U+200B ZERO WIDTH SPACE, U+FEFF BOM / ZERO WIDTH NO-BREAK SPACE and U+2060
  WORD JOINER, which in scraped news are copy-paste or encoding artefacts rather than
  parts of words. U+200C ZWNJ and U+200D ZWJ are word-internal joiners (Persian,
  Indic scripts, emoji sequences) and stay inside tokens.
* Every other code point belongs to exactly one token; tokens are ordered and do not
  overlap, so tokens plus separator gaps cover the text exactly.
* A token never cuts a grapheme cluster, except where the cluster itself contains a
  separator (e.g. a space followed by a combining mark): emoji ZWJ sequences, flags,
  skin tones and keycaps are single tokens and combining marks stay with their base.
* Words are runs of letters, marks, digits, ``_``, soft hyphens and ZWNJ/ZWJ of any
  script, so a Hangul, CJK, Thai, Arabic or Hebrew run without spaces is one token.
  Inside a word, hyphens (``Ho-jin``, ``COVID-19``, ``e-mail``) and apostrophes
  (``O'Brien``) join parts, and ``.``/``,``/``:`` join digits (``3.5``, ``2,000``,
  ``14:39``).
* Clitics are split Penn-style: ``Yoon's`` -> ``Yoon`` + ``'s`` (also ``'re``, ``'ve``,
  ``'ll``, ``'d``, ``'m`` and ``n't``, with ``'`` or ``’``).
* A period stays on the word only for abbreviations: the ``ABBREVIATIONS`` list,
  dotted initialisms (``U.S.``, ``e.g.``) and a single capital letter (``S.`` in
  ``S. Korea``, ``J.``). Otherwise it is its own token (``Seoul.`` -> ``Seoul`` ``.``).
* ``...`` and ``…`` runs, ``--`` runs, each run of ``—``/``–``, and runs of ``!``/``?``
  are one token; every other punctuation or symbol character (quotes, brackets,
  commas, currency signs) is a token of its own.
* ``http(s)://`` and ``www.`` URLs and e-mail addresses are single tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import regex

from spanlab.core.text.graphemes import GraphemeIndex

__all__ = ["ABBREVIATIONS", "SEPARATORS", "Token", "is_separator", "iter_tokens", "tokenize"]

SEPARATORS: Final[frozenset[str]] = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
    "\u200b\ufeff\u2060"
)
"""Characters that are never part of a token: ``str.isspace()`` plus U+200B/U+FEFF/U+2060."""

ABBREVIATIONS: Final[frozenset[str]] = frozenset(
    {
        # Titles and ranks.
        *("Mr.", "Mrs.", "Ms.", "Messrs.", "Dr.", "Prof.", "Rev.", "Hon.", "Jr.", "Sr."),
        *("Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Cmdr.", "Adm.", "Sgt.", "Cpl.", "Pvt."),
        *("Gov.", "Sen.", "Rep.", "Pres.", "Amb.", "Supt.", "Insp.", "Det."),
        # Months.
        *("Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept."),
        *("Oct.", "Nov.", "Dec."),
        # Countries and organisations (dotted initialisms are also matched generically).
        *("U.S.", "U.K.", "U.N.", "E.U.", "U.S.A.", "Ph.D."),
        # US states in AP style (those that are also common words are left out).
        *("Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Fla.", "Ga.", "Ill."),
        *("Kan.", "Ky.", "Md.", "Mich.", "Minn.", "Neb.", "Nev.", "Okla.", "Ore."),
        *("Pa.", "Tenn.", "Tex.", "Va.", "Vt.", "Wash.", "Wis."),
        # Places and addresses.
        *("St.", "Mt.", "Ft.", "Ave.", "Blvd.", "Rd."),
        # Companies and institutions.
        *("Inc.", "Ltd.", "Corp.", "Co.", "Cos.", "Bros.", "Plc.", "Dept.", "Univ.", "Assn."),
        # References and Latin.
        *("No.", "Nos.", "Vol.", "Fig.", "pp.", "vs.", "etc.", "e.g.", "i.e.", "cf.", "al."),
        *("approx.", "a.m.", "p.m."),
    }
)
"""Words whose final period belongs to them (and so never ends a sentence).

Case-sensitive. Dotted initialisms and a single capital letter plus period are
abbreviations too without being listed.
"""

_SEP_SET = (
    r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
)
_WORD_SET = r"\p{L}\p{M}\p{N}_\u00ad\u200c\u200d"
_WORD = f"[{_WORD_SET}]"
_APOS = "['’]"
_CLITIC = rf"(?:{_APOS}(?i:s|re|ve|ll|d|m)|[nN]{_APOS}[tT])(?!{_WORD})"
# A word part: word characters, stopping before the "n" of a trailing "n't".
_PART = rf"(?:[[{_WORD_SET}]--[nN]]|[nN](?!{_APOS}[tT](?!{_WORD})))+"
_JOINER = rf"(?:[\-\u2010\u2011]|(?!{_CLITIC}){_APOS}|(?<=\p{{Nd}})[.,:\u066b\u066c](?=\p{{Nd}}))"
_ABBR_END = rf"(?![{_WORD_SET}.])"
_URL_CHAR = rf"[^{_SEP_SET}<>\"“”«»]"
_URL_LAST = rf"[^{_SEP_SET}<>\"“”«».,;:!?'’()\[\]{{}}]"
_EMAIL_CHAR = r"[\p{L}\p{N}._%+\-]"

_INITIALISM: Final = regex.compile(r"(?:\p{L}\.){2,}")
# A single capital letter, possibly with combining accents ("S.", "É.").
_SINGLE_CAPITAL: Final = regex.compile(r"\p{Lu}\p{M}*\.")
# Listed abbreviations with inner periods that are not plain initialisms ("Ph.D.").
_DOTTED = "|".join(
    regex.escape(a)
    for a in sorted(ABBREVIATIONS, key=lambda a: (-len(a), a))
    if "." in a[:-1] and not _INITIALISM.fullmatch(a)
)

# Alternatives in priority order: at each position the first one that matches wins.
_URL = rf"(?i:https?://|www\.){_URL_CHAR}*{_URL_LAST}"
_EMAIL = rf"{_EMAIL_CHAR}+@[\p{{L}}\p{{N}}\-]+(?:\.[\p{{L}}\p{{N}}\-]+)+"
_ALTERNATIVES = (
    _URL,
    *([rf"(?:{_DOTTED}){_ABBR_END}"] if _DOTTED else []),  # never an empty alternative
    rf"(?=\p{{L}}\.\p{{L}}\.)(?:\p{{L}}\.){{2,}}{_ABBR_END}",
    # Keycaps start with a digit, so they must be tried before words.
    r"[#*0-9]\ufe0f?\u20e3",
    # A word, with a following period captured for the abbreviation check.
    rf"{_PART}(?:{_JOINER}{_PART})*(?P<dot>\.{_ABBR_END})?",
    rf"(?<=[{_WORD_SET}.]){_CLITIC}",
    r"(?=[\p{Extended_Pictographic}\p{Regional_Indicator}])\X",
    r"\.{2,}|…+",
    r"-{2,}|—+|–+|―+",
    r"[!?]+",
    rf"[^{_SEP_SET}]",
)


def _compile(alternatives: tuple[str, ...]) -> Any:
    return regex.compile("|".join(f"(?:{a})" for a in alternatives), regex.VERSION1)


_TOKEN: Final = _compile(_ALTERNATIVES)
# E-mail addresses cost a scan of every word, so only texts with an "@" pay for it.
_TOKEN_WITH_EMAIL: Final = _compile((_EMAIL, *_ALTERNATIVES))

# Pairs of adjacent characters that a grapheme cluster may join (a superset of the
# Unicode no-break rules GB3-GB13); between any other pair there is always a boundary.
_MAY_JOIN: Final = regex.compile(
    r".[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]"
    r"|[\p{GCB=Prepend}\p{GCB=Extend}\p{GCB=ZWJ}]."
    r"|[\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]{2}"
    r"|\p{GCB=Regional_Indicator}{2}"
    r"|\r\n",
    regex.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: code-point span ``[start, end)`` and its text."""

    start: int
    end: int
    text: str


def is_separator(ch: str) -> bool:
    """Whether ``ch`` separates tokens (whitespace or U+200B/U+FEFF/U+2060)."""
    return ch in SEPARATORS


def _is_abbreviation(word: str) -> bool:
    """Whether ``word`` (ending in ".") keeps its period: listed or a single capital."""
    return word in ABBREVIATIONS or _SINGLE_CAPITAL.fullmatch(word) is not None


def _raw_spans(text: str) -> Iterator[tuple[int, int]]:
    """Token spans by the rules alone; they may still cut a grapheme cluster."""
    pattern = _TOKEN_WITH_EMAIL if "@" in text else _TOKEN
    for match in pattern.finditer(text):
        start, end = match.span()
        if (
            text[end - 1] == "."
            and match.lastgroup == "dot"
            and not _is_abbreviation(text[start:end])
        ):
            yield start, end - 1
            yield end - 1, end
        else:
            yield start, end


def _surely_boundary(text: str, i: int) -> bool:
    """Cheap check that ``0 < i < len(text)`` is a grapheme boundary (``False``: unknown)."""
    # Everything below U+0300 is Grapheme_Cluster_Break Other, Control, CR or LF.
    if text[i] < "\u0300" and text[i - 1] < "\u0300" and text[i - 1] != "\r":
        return True
    return _MAY_JOIN.match(text, i - 1, i + 1) is None


def iter_tokens(text: str) -> Iterator[Token]:
    """Yield the tokens of ``text`` in order (see the module docstring for the rules)."""
    graphemes: GraphemeIndex | None = None
    pending_start = pending_end = -1
    for start, end in _raw_spans(text):
        if pending_end == start and not _surely_boundary(text, start):
            if graphemes is None:
                graphemes = GraphemeIndex(text)
            if not graphemes.is_boundary(start):
                # The rules split a grapheme cluster (e.g. a comma with a combining
                # accent): keep the cluster whole by merging the two pieces.
                pending_end = end
                continue
        if pending_end >= 0:
            yield Token(pending_start, pending_end, text[pending_start:pending_end])
        pending_start, pending_end = start, end
    if pending_end >= 0:
        yield Token(pending_start, pending_end, text[pending_start:pending_end])


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, in order."""
    return list(iter_tokens(text))
