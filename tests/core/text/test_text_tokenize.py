"""Unit tests for the rule-based tokenizer's documented decisions."""

from __future__ import annotations

import dataclasses

import pytest

from spanlab.core.text import ABBREVIATIONS, Token, is_separator, iter_tokens, tokenize

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
FLAG_KR = "\U0001f1f0\U0001f1f7"


def texts(text: str) -> list[str]:
    return [tok.text for tok in tokenize(text)]


def test_news_sentence_exactly() -> None:
    text = (
        "First Vice Foreign Minister Chang Ho-jin met S. Korea's envoy on Oct. 6, 2023 "
        f'at 14:39 over COVID-19 -- "seriously" {FAMILY} {FLAG_KR}.'
    )
    assert texts(text) == [
        *("First", "Vice", "Foreign", "Minister", "Chang", "Ho-jin", "met", "S.", "Korea"),
        *("'s", "envoy", "on", "Oct.", "6", ",", "2023", "at", "14:39", "over", "COVID-19"),
        *("--", '"', "seriously", '"', FAMILY, FLAG_KR, "."),
    ]


def test_offsets_slice_the_text() -> None:
    text = "  Mr. Yoon’s\tplan.\n"
    assert tokenize(text) == [
        Token(2, 5, "Mr."),
        Token(6, 10, "Yoon"),
        Token(10, 12, "’s"),
        Token(13, 17, "plan"),
        Token(17, 18, "."),
    ]


@pytest.mark.parametrize(
    "word",
    [
        *("Ho-jin", "Si-young", "COVID-19", "14:39", "Oct.", "Sept.", "Mr.", "Dr."),
        *("U.S.", "U.N.", "2,000", "3.5", "1,234.56", "e-mail", "O'Brien", "rock'n'roll"),
        *("Ph.D.", "e.g.", "i.e.", "a.m.", "Gen.", "Lt.", "Sen.", "Rep.", "Gov.", "Prof."),
        *("St.", "No.", "Inc.", "Ltd.", "Corp.", "Co.", "vs.", "etc.", "Calif.", "J."),
    ],
)
def test_kept_whole(word: str) -> None:
    assert texts(f"({word} x)") == ["(", word, "x", ")"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S. Korea", ["S.", "Korea"]),
        ("Yoon's", ["Yoon", "'s"]),
        ("Yoon’s", ["Yoon", "’s"]),
        ("U.S.'s", ["U.S.", "'s"]),
        ("Koreans' votes", ["Koreans", "'", "votes"]),
        ("don't", ["do", "n't"]),
        (
            "they're we've I'll he'd I'm",
            [*("they", "'re", "we", "'ve", "I", "'ll"), *("he", "'d", "I", "'m")],
        ),
        ("Seoul.", ["Seoul", "."]),
        ("in 2023.", ["in", "2023", "."]),
        ("Plan B.", ["Plan", "B."]),
        ("wait... what…", ["wait", "...", "what", "…"]),
        ("a--b", ["a", "--", "b"]),
        ("a—b – c", ["a", "—", "b", "–", "c"]),
        ("What?! No!!!", ["What", "?!", "No", "!!!"]),
        (
            "“Hi,” ‘he’ «ça» [x] (y) {z}",
            [*("“", "Hi", ",", "”", "‘", "he", "’", "«", "ça", "»"), *"[x](y){z}"],
        ),
        ("$3.5bn, 40%", ["$", "3.5bn", ",", "40", "%"]),
        ("U.S.-led", ["U.S.", "-", "led"]),
        ("pre- and post-war", ["pre", "-", "and", "post-war"]),
        ("Kim...", ["Kim", "..."]),
        ("x.Next", ["x", ".", "Next"]),
    ],
)
def test_splits(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    "cluster",
    [
        FAMILY,
        FLAG_KR,
        "\U0001f1eb\U0001f1f7",
        "👍🏽",
        "1\ufe0f\u20e3",
        "#\ufe0f\u20e3",
        "🏳️‍🌈",
        "❤️",
    ],
)
def test_emoji_cluster_is_one_token(cluster: str) -> None:
    assert texts(f"ok {cluster}, fine") == ["ok", cluster, ",", "fine"]
    assert texts(f"({cluster}{cluster})") == ["(", cluster, cluster, ")"]


def test_combining_marks_stay_with_base() -> None:
    assert texts("Cafe\u0301 ,\u0301 e\u0301.") == ["Cafe\u0301", ",\u0301", "e\u0301", "."]


def test_mark_after_space_is_its_own_token() -> None:
    assert texts("a \u0301b") == ["a", "\u0301b"]


def test_scripts_without_spaces() -> None:
    assert texts("피터빈트 서울에서, 東京タワー「中国」") == [
        *("피터빈트", "서울에서", ",", "東京タワー", "「", "中国", "」"),
    ]
    assert texts("مرحبا بالعالم. שלום, עולם") == ["مرحبا", "بالعالم", ".", "שלום", ",", "עולם"]


def test_zero_width_characters() -> None:
    assert texts("ab\u200bcd \ufeffef\u2060gh \u200b ") == ["ab", "cd", "ef", "gh"]
    assert texts("mi\u200cshavad a\u200db") == ["mi\u200cshavad", "a\u200db"]
    assert texts("x \u200d y") == ["x", "\u200d", "y"]
    for ch in "\u200b\ufeff\u2060 \t\n\u00a0\u3000":
        assert is_separator(ch)
    for ch in "\u200c\u200da.":
        assert not is_separator(ch)


def test_urls_and_emails() -> None:
    assert texts("see https://example.com/a?b=1. or www.yna.co.kr, kim@yna.co.kr!") == [
        *("see", "https://example.com/a?b=1", ".", "or", "www.yna.co.kr", ","),
        *("kim@yna.co.kr", "!"),
    ]


def test_empty_and_blank() -> None:
    assert tokenize("") == []
    assert tokenize(" \n\t\u200b ") == []


def test_iter_tokens_matches_tokenize() -> None:
    text = "Mr. Kim's 3.5% rise. 😀"
    assert list(iter_tokens(text)) == tokenize(text)


def test_token_is_frozen() -> None:
    tok = Token(0, 1, "a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        tok.start = 3  # type: ignore[misc]


def test_abbreviation_list() -> None:
    assert {"Gen.", "Lt.", "Sen.", "Rep.", "Gov.", "Prof.", "St.", "No."} <= ABBREVIATIONS
    months = {"Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."}
    assert months <= ABBREVIATIONS
    assert {"Inc.", "Ltd.", "Corp.", "Co.", "vs.", "etc.", "e.g.", "i.e."} <= ABBREVIATIONS
    assert all(a.endswith(".") for a in ABBREVIATIONS)
    # Listed abbreviations are always single tokens.
    for abbr in ABBREVIATIONS:
        assert texts(f"{abbr} x") == [abbr, "x"]


def test_lowercase_letter_period_is_not_an_abbreviation() -> None:
    assert texts("plan b. Then") == ["plan", "b", ".", "Then"]
