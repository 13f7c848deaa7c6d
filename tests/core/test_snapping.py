"""Selection snapping works per line yet agrees with tokenizing the whole text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from spanlab.core.snapping import TextSnapper
from spanlab.core.text import GraphemeIndex, tokenize

TEXT = "Baek Tae-jin met Japan's envoy in Seoul 🇰🇷 on Oct. 6.\nThe U.S. said 👍🏽 fine."

pieces = st.sampled_from(
    [
        "Seoul",
        "U.S.",
        "Ho-jin",
        "Japan's",
        " ",
        "  ",
        "\n",
        ",",
        ".",
        "🇰🇷",
        "👍🏽",
        "é",
        "e\u0301",
        "2,000",
        "—",
    ]
)
texts = st.lists(pieces, max_size=30).map("".join)


@given(texts)
def test_line_tokens_equal_whole_text_tokens(text: str) -> None:
    snapper = TextSnapper(text)
    expected = [(t.start, t.end) for t in tokenize(text)]
    seen: list[tuple[int, int]] = []
    position = 0
    while position <= len(text):
        start, end = snapper.line_bounds(position)
        seen.extend(snapper.tokens_of_line(start))
        position = end + 1
    assert seen == expected


@given(texts, st.integers(0, 200), st.integers(0, 200))
def test_snapped_selections_start_and_end_on_token_boundaries(text: str, a: int, b: int) -> None:
    a, b = min(a, len(text)), min(b, len(text))
    snapper = TextSnapper(text)
    tokens = tokenize(text)
    snapped = snapper.snap_to_tokens(a, b)
    if snapped is None:
        return
    start, end = snapped
    assert start in {t.start for t in tokens}
    assert end in {t.end for t in tokens}
    assert start < end


@given(texts, st.integers(0, 200), st.integers(0, 200))
def test_grapheme_snapping_matches_the_whole_text_index(text: str, a: int, b: int) -> None:
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    snapper = TextSnapper(text)
    index = GraphemeIndex(text)
    assert snapper.snap_to_graphemes(a, b) == (index.floor(a), index.ceil(b))


def test_snapping_examples() -> None:
    snapper = TextSnapper(TEXT)
    start = TEXT.index("Tae")
    assert snapper.snap_to_tokens(start + 1, start + 4) == (start, start + len("Tae-jin"))
    seoul = TEXT.index("Seoul")
    # A selection starting in the space before a word and ending after it trims the space.
    assert snapper.snap_to_tokens(seoul - 1, seoul + 5) == (seoul, seoul + 5)
    assert snapper.snap_to_tokens(seoul - 1, seoul) is None
    assert snapper.token_at(TEXT.index("U.S.") + 1) == (TEXT.index("U.S."), TEXT.index("U.S.") + 4)
    flag = TEXT.index("🇰🇷")
    assert snapper.snap_to_graphemes(flag + 1, flag + 1) == (flag, flag + 2)


def test_word_moves_go_to_token_ends_and_starts_across_lines() -> None:
    snapper = TextSnapper(TEXT)
    assert snapper.next_word_end(0) == 4
    assert snapper.next_word_end(4) == len("Baek Tae-jin")
    newline = TEXT.index("\n")
    assert snapper.next_word_end(newline - 1) == newline
    assert snapper.next_word_end(newline) == TEXT.index("The") + 3
    assert snapper.previous_word_start(TEXT.index("The")) == TEXT.index("6.") + 1
    assert snapper.previous_word_start(5) == 0
    assert snapper.previous_word_start(0) == 0
    assert snapper.next_word_end(len(TEXT)) == len(TEXT)
