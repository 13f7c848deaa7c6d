"""Property tests over messy multilingual text for offsets, graphemes, tokens, sentences."""

from __future__ import annotations

from itertools import pairwise

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from spanlab.core.text import (
    GraphemeIndex,
    OffsetError,
    Utf8Offsets,
    Utf16Offsets,
    codepoint_to_utf8,
    grapheme_boundaries,
    is_separator,
    iter_tokens,
    sentence_spans,
    sentence_tokens,
    snap_to_graphemes,
    tokenize,
    utf8_to_codepoint,
    utf16_len,
)

# No example database: the tests must not write outside their own folder.
PROPERTY = settings(database=None, deadline=None, max_examples=200)

_WORDS = st.sampled_from(
    [
        *("Seoul", "Ho-jin", "COVID-19", "Oct.", "S.", "U.S.", "Mr.", "Yoon's", "Yoon’s"),
        *("don't", "2,000", "3.5", "14:39", "e-mail", "www.yna.co.kr", "kim@yna.co.kr"),
        *("Plan", "B.", "etc.", "said", "the", "N", "n", "'s", "n't", "http://x.org/a)"),
    ]
)
_PUNCT = st.sampled_from(
    [*".,;:!?\"'“”‘’«»()[]{}-—–…%$#*@/\\", "--", "...", "?!", "。", "「", "」"]
)
_SPACE = st.sampled_from(
    [" ", "  ", "\n", "\n\n", "\t", "\r\n", "\r", "\u00a0", "\u3000", "\u2028"]
)
_EMOJI = st.sampled_from(
    [
        *("😀", "\U0001f1f0\U0001f1f7", "\U0001f1eb\U0001f1f7", "\U0001f1f0", "👍🏽", "🏽"),
        *("\U0001f468\u200d\U0001f469\u200d\U0001f467", "1\ufe0f\u20e3", "#\ufe0f\u20e3"),
        *("🏳️‍🌈", "❤️", "\u200d😀", "©"),
    ]
)
_MARKS = st.sampled_from(["\u0301", "\u0308", "\u0323\u0302", "e\u0301", "\u20e3", "\ufe0f", "ः"])
_CJK = st.sampled_from(
    ["피터빈트", "서울에서", "東京タワー", "中国", "\u1100", "\u1161", "\u11a8", "한"]
)
_RTL = st.sampled_from(["مرحبا", "بالعالم", "שלום", "עולם", "\u0600", "\u200f", "क्ष", "\u0d4e"])
_ZERO_WIDTH = st.sampled_from(["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"])
_SURROGATES = st.sampled_from(["\ud800", "\udfff", "\ud83d\ude00"])  # lone, as Python allows
_PIECE = st.one_of(
    _WORDS,
    _PUNCT,
    _SPACE,
    _EMOJI,
    _MARKS,
    _CJK,
    _RTL,
    _ZERO_WIDTH,
    _SURROGATES,
    st.text(max_size=4),
    st.characters(),
)
TEXT = st.one_of(st.lists(_PIECE, max_size=40).map("".join), st.text())


def _utf16_ref(text: str, cp: int) -> int:
    # Lone surrogates (legal in Python strings) count as one unit, as documented.
    return len(text[:cp].encode("utf-16-le", "surrogatepass")) // 2


@PROPERTY
@given(TEXT)
def test_utf16_round_trip(text: str) -> None:
    offsets = Utf16Offsets(text)
    assert offsets.utf16_length == utf16_len(text) == _utf16_ref(text, len(text))
    cps = range(len(text) + 1)
    units = offsets.to_utf16_many(cps)
    assert units == [_utf16_ref(text, cp) for cp in cps]
    assert [offsets.to_codepoint(u) for u in units] == list(cps)
    valid = set(units)
    for u in range(offsets.utf16_length + 1):
        if u in valid:
            assert offsets.to_codepoint_clamped(u) == offsets.to_codepoint(u)
            continue
        try:
            offsets.to_codepoint(u)
        except OffsetError:
            pass
        else:
            raise AssertionError(f"UTF-16 offset {u} inside a pair was accepted")
        cp = offsets.to_codepoint_clamped(u)
        assert ord(text[cp]) > 0xFFFF
        assert offsets.to_utf16(cp) == u - 1


@PROPERTY
@given(TEXT)
def test_utf8_round_trip(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    offsets = Utf8Offsets(text)
    assert offsets.utf8_length == len(data)
    starts = [len(text[:cp].encode("utf-8", "surrogatepass")) for cp in range(len(text) + 1)]
    for cp, byte in enumerate(starts):
        assert offsets.to_utf8(cp) == codepoint_to_utf8(text, cp) == byte
        assert offsets.to_codepoint(byte) == utf8_to_codepoint(text, byte) == cp
    valid = set(starts)
    for byte in range(len(data) + 1):
        if byte in valid:
            continue
        assert data[byte] & 0xC0 == 0x80
        for convert in (offsets.to_codepoint, lambda b: utf8_to_codepoint(text, b)):
            try:
                convert(byte)
            except OffsetError:
                pass
            else:
                raise AssertionError(f"UTF-8 offset {byte} inside a character was accepted")
        containing = max(cp for cp, start in enumerate(starts) if start < byte)
        assert offsets.to_codepoint_clamped(byte) == containing


@PROPERTY
@given(TEXT)
def test_grapheme_boundaries_partition_into_clusters(text: str) -> None:
    bounds = grapheme_boundaries(text)
    assert bounds[0] == 0
    assert bounds[-1] == len(text)
    assert all(a < b for a, b in pairwise(bounds))
    for a, b in pairwise(bounds):
        assert regex.fullmatch(r"\X", text[a:b])


@PROPERTY
@given(TEXT, st.data())
def test_snap_contains_input_and_lies_on_boundaries(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new_start, new_end = snap_to_graphemes(text, start, end)
    bounds = grapheme_boundaries(text)
    assert new_start <= start <= end <= new_end
    # The smallest cluster-aligned range containing the input.
    assert new_start == max(b for b in bounds if b <= start)
    assert new_end == min(b for b in bounds if b >= end)


@PROPERTY
@given(TEXT)
def test_tokens_cover_all_non_separators(text: str) -> None:
    tokens = tokenize(text)
    assert list(iter_tokens(text)) == tokens
    assert tokenize(text) == tokens  # deterministic
    position = 0
    for tok in tokens:
        assert position <= tok.start < tok.end
        assert tok.text == text[tok.start : tok.end]
        assert not any(ch.isspace() or is_separator(ch) for ch in tok.text)
        gap = text[position : tok.start]
        assert all(is_separator(ch) for ch in gap)
        position = tok.end
    assert all(is_separator(ch) for ch in text[position:])
    covered = "".join(tok.text for tok in tokens)
    assert covered == "".join(ch for ch in text if not is_separator(ch))


@PROPERTY
@given(TEXT)
def test_tokens_never_split_grapheme_clusters(text: str) -> None:
    """Every token edge is a cluster boundary, unless the cluster contains a separator.

    (A space followed by a combining mark is one cluster, but the space belongs to no
    token and the mark must belong to one, so that cluster is necessarily cut.)
    """
    index = GraphemeIndex(text)
    for tok in tokenize(text):
        assert index.is_boundary(tok.start) or is_separator(text[tok.start - 1])
        assert index.is_boundary(tok.end) or is_separator(text[tok.end])


@PROPERTY
@given(TEXT)
def test_sentences_partition_tokens(text: str) -> None:
    spans = sentence_spans(text)
    groups = sentence_tokens(text)
    tokens = tokenize(text)
    assert [tok for group in groups for tok in group] == tokens
    assert spans == [(group[0].start, group[-1].end) for group in groups]
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not is_separator(text[start])
        assert not is_separator(text[end - 1])
        previous_end = end
    for tok in tokens:
        assert sum(1 for start, end in spans if start <= tok.start and tok.end <= end) == 1
