"""Unit tests for the news sentence splitter."""

from __future__ import annotations

from spanlab.core.text import sentence_spans, sentence_tokens, tokenize


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


NEWS = (
    "S. Korea, U.S. hold talks on N. Korea\n"
    "By Kim Soo-yeon\n"
    "SEOUL, Oct. 6 (Yonhap) -- First Vice Foreign Minister Chang Ho-jin met S. Korea's "
    'envoy on Oct. 6. They discussed the plan... "We agreed," Chang said. '
    'Mr. Kim added: "It was good." (END)\n'
)


def test_news_paragraph() -> None:
    assert sentences(NEWS) == [
        "S. Korea, U.S. hold talks on N. Korea",
        "By Kim Soo-yeon",
        "SEOUL, Oct. 6 (Yonhap) -- First Vice Foreign Minister Chang Ho-jin met S. Korea's "
        "envoy on Oct. 6.",
        "They discussed the plan...",
        '"We agreed," Chang said.',
        'Mr. Kim added: "It was good."',
        "(END)",
    ]


def test_newlines_always_split() -> None:
    text = "Headline without period\n\nFirst para, no period\nsecond line lower case"
    assert sentences(text) == [
        "Headline without period",
        "First para, no period",
        "second line lower case",
    ]


def test_no_split_before_lowercase_or_after_abbreviation() -> None:
    assert sentences("He said no. and left. Dr. Lee met Gen. Park on Jan. 3.") == [
        "He said no. and left.",
        "Dr. Lee met Gen. Park on Jan. 3.",
    ]


def test_split_before_digit_quote_and_bracket() -> None:
    assert sentences('It rose. 3 fell. "Why?" he asked! (Really.) ‘Yes.’ Done') == [
        "It rose.",
        "3 fell.",
        '"Why?" he asked!',
        "(Really.)",
        "‘Yes.’",
        "Done",
    ]


def test_uncased_scripts_and_cjk_stops() -> None:
    assert sentences("서울에서 회의가 열렸다. 장관은 말했다! 東京に行った。次に") == [
        "서울에서 회의가 열렸다.",
        "장관은 말했다!",
        "東京に行った。",
        "次に",
    ]


def test_question_exclamation_runs() -> None:
    assert sentences("Really?! Yes!!! No... Maybe…  Fine") == [
        "Really?!",
        "Yes!!!",
        "No...",
        "Maybe…",
        "Fine",
    ]


def test_spans_are_stripped() -> None:
    text = "  \n Hello world.   \n\n  "
    assert sentence_spans(text) == [(4, 16)]


def test_empty() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\u200b\n") == []
    assert sentence_tokens("") == []


def test_sentence_tokens_partition_tokens() -> None:
    groups = sentence_tokens(NEWS)
    assert [tok for group in groups for tok in group] == tokenize(NEWS)
    assert [(g[0].start, g[-1].end) for g in groups] == sentence_spans(NEWS)
