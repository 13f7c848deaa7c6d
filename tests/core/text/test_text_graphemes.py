"""Unit tests for grapheme cluster boundaries and snapping."""

from __future__ import annotations

import pytest

from spanlab.core.text import GraphemeIndex, OffsetError, grapheme_boundaries, snap_to_graphemes

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 5 code points
FLAG_KR = "\U0001f1f0\U0001f1f7"


def test_boundaries_of_mixed_text() -> None:
    text = "Cafe\u0301 " + FAMILY + FLAG_KR + "👍🏽1\ufe0f\u20e3"
    #       C a f e+´  sp family   flag     thumb  keycap
    assert grapheme_boundaries(text) == [0, 1, 2, 3, 5, 6, 11, 13, 15, 18]


def test_empty_text() -> None:
    assert grapheme_boundaries("") == [0]
    index = GraphemeIndex("")
    assert index.floor(0) == index.ceil(0) == 0
    assert snap_to_graphemes("", 0, 0) == (0, 0)


def test_hangul_jamo_and_crlf_are_single_clusters() -> None:
    assert grapheme_boundaries("\u1100\u1161\u11a8a\r\nb") == [0, 3, 4, 6, 7]


def test_snap_expands_outwards() -> None:
    text = "go " + FAMILY + " now"
    assert snap_to_graphemes(text, 4, 6) == (3, 8)
    assert snap_to_graphemes(text, 0, 2) == (0, 2)
    assert snap_to_graphemes(text, 5, 5) == (3, 8)
    assert snap_to_graphemes(text, 8, 8) == (8, 8)


def test_index_floor_ceil_is_boundary() -> None:
    index = GraphemeIndex("a" + FLAG_KR + "e\u0301")
    assert index.boundaries == (0, 1, 3, 5)
    assert [index.floor(i) for i in range(6)] == [0, 1, 1, 3, 3, 5]
    assert [index.ceil(i) for i in range(6)] == [0, 1, 3, 3, 5, 5]
    assert [index.is_boundary(i) for i in range(6)] == [True, True, False, True, False, True]
    assert index.snap(2, 4) == (1, 5)


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (0, 9), (3, 2)])
def test_snap_rejects_bad_ranges(start: int, end: int) -> None:
    with pytest.raises(OffsetError):
        snap_to_graphemes("abc", start, end)


def test_floor_rejects_out_of_range() -> None:
    with pytest.raises(OffsetError, match="outside"):
        GraphemeIndex("abc").floor(4)
