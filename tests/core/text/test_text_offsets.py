"""Unit tests for code point <-> UTF-16 / UTF-8 offset conversion."""

from __future__ import annotations

import random
from itertools import accumulate

import pytest

from spanlab.core.text import (
    OffsetError,
    Utf8Offsets,
    Utf16Offsets,
    codepoint_to_utf8,
    utf8_to_codepoint,
    utf16_len,
)

# "Café́" is "Caf" + U+00E9 + U+0301 (a precomposed é with an extra combining acute).
MIXED = (
    "Macron \U0001f1eb\U0001f1f7 met Olaf Scholz \U0001f600, Caf\u00e9\u0301 owner "
    "\U0001f468\u200d\U0001f469\u200d\U0001f467 in Berlin."
)


def test_berlin_offsets_in_every_unit() -> None:
    cp = MIXED.index("Berlin")
    assert cp == 50
    assert Utf16Offsets(MIXED).to_utf16(cp) == 56
    assert Utf8Offsets(MIXED).to_utf8(cp) == 74
    assert codepoint_to_utf8(MIXED, cp) == 74
    assert utf8_to_codepoint(MIXED, 74) == 50
    assert Utf16Offsets(MIXED).to_codepoint(56) == 50


def test_lengths() -> None:
    offsets = Utf16Offsets(MIXED)
    assert offsets.codepoint_length == len(MIXED)
    assert offsets.utf16_length == utf16_len(MIXED) == len(MIXED) + 6
    assert Utf8Offsets(MIXED).utf8_length == len(MIXED.encode("utf-8")) == len(MIXED) + 24
    assert utf16_len("") == 0
    assert utf16_len("a😀") == 3


def test_inside_surrogate_pair_raises_with_clear_message() -> None:
    offsets = Utf16Offsets("a😀b")
    assert [offsets.to_codepoint(u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]
    with pytest.raises(OffsetError, match="inside the character at code point 1"):
        offsets.to_codepoint(2)


def test_clamped_snaps_down_and_clamps() -> None:
    offsets = Utf16Offsets("a😀b")
    assert offsets.to_codepoint_clamped(2) == 1
    assert offsets.to_codepoint_clamped(-5) == 0
    assert offsets.to_codepoint_clamped(99) == 3


@pytest.mark.parametrize("u16", [-1, 5])
def test_utf16_out_of_range(u16: int) -> None:
    with pytest.raises(OffsetError, match="outside"):
        Utf16Offsets("a😀b").to_codepoint(u16)


@pytest.mark.parametrize("cp", [-1, 4])
def test_codepoint_out_of_range(cp: int) -> None:
    with pytest.raises(OffsetError, match="outside"):
        Utf16Offsets("a😀b").to_utf16(cp)
    with pytest.raises(OffsetError, match="outside"):
        Utf8Offsets("a😀b").to_utf8(cp)
    with pytest.raises(OffsetError, match="outside"):
        codepoint_to_utf8("a😀b", cp)


def test_offset_error_is_value_error() -> None:
    assert issubclass(OffsetError, ValueError)


def test_many() -> None:
    offsets = Utf16Offsets("😀a😀")
    assert offsets.to_utf16_many([0, 1, 2, 3]) == [0, 2, 3, 5]
    assert offsets.to_utf16_many(iter([3, 0])) == [5, 0]
    assert offsets.to_codepoint_many([0, 2, 3, 5]) == [0, 1, 2, 3]
    assert Utf8Offsets("é😀").to_utf8_many(range(3)) == [0, 2, 6]


def test_no_astral_is_identity() -> None:
    text = "서울 Café"
    offsets = Utf16Offsets(text)
    assert offsets.to_utf16_many(range(len(text) + 1)) == list(range(len(text) + 1))


def test_utf8_inside_multibyte_raises() -> None:
    text = "é😀"  # bytes: c3 a9 | f0 9f 98 80
    with pytest.raises(OffsetError, match="inside"):
        utf8_to_codepoint(text, 1)
    with pytest.raises(OffsetError, match="inside"):
        Utf8Offsets(text).to_codepoint(4)
    with pytest.raises(OffsetError, match="outside"):
        utf8_to_codepoint(text, 7)
    assert Utf8Offsets(text).to_codepoint_clamped(4) == 1
    assert Utf8Offsets(text).to_codepoint_clamped(100) == 2
    assert [Utf8Offsets(text).to_codepoint(b) for b in (0, 2, 6)] == [0, 1, 2]


def test_lone_surrogate_counts_as_one_utf16_unit() -> None:
    text = "a\ud800b"
    assert Utf16Offsets(text).to_utf16(3) == 3 == utf16_len(text)
    assert codepoint_to_utf8(text, 2) == 4


def test_big_text_with_emoji() -> None:
    """700k code points: build once, convert 5,000 offsets, compare with a prefix sum."""
    rng = random.Random(20240611)
    chunk = "SEOUL, Oct. 6 (Yonhap) -- Chang Ho-jin met S. Korea's envoy. "
    emoji = ["😀", "🇰🇷", "👨‍👩‍👧", "👍🏽", "é"]
    parts: list[str] = []
    size = 0
    while size < 700_000:
        piece = chunk + rng.choice(emoji) + " "
        parts.append(piece)
        size += len(piece)
    text = "".join(parts)[:700_000]
    assert len(text) == 700_000

    widths = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    prefix = [0, *accumulate(widths)]
    offsets = Utf16Offsets(text)
    assert offsets.utf16_length == prefix[-1] == utf16_len(text)

    cps = [rng.randrange(len(text) + 1) for _ in range(5_000)]
    units = offsets.to_utf16_many(cps)
    assert units == [prefix[cp] for cp in cps]
    assert offsets.to_codepoint_many(units) == cps
    assert offsets.to_utf16(len(text)) == prefix[-1]
