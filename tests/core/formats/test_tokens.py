"""The shared token machinery: schemes, alignment, the flat subset, sentences."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import BILOU, IOB1, IOB2, IOBES, Entities
from token_corpus import LayerBuilder, make_document

from spanlab.core.errors import SpanLabError
from spanlab.core.formats.base import Alignment, ExportReport, Tokenizer
from spanlab.core.formats.tokens import (
    SCHEMES,
    TokenIndex,
    TokenSpan,
    align_layer,
    align_span,
    blank_english,
    decode_tags,
    detect_scheme,
    document_sentences,
    encode_tags,
    flat_subset,
    merge_sentences,
    normalise_scheme,
    tag_layer,
    tag_names,
)
from spanlab.core.model import Span
from spanlab.core.text import SEPARATORS, sentence_spans, sentence_tokens, tokenize

SEQEVAL = {"IOB1": IOB1, "IOB2": IOB2, "BIOES": IOBES, "BILOU": BILOU}

# Two adjacent PERSON chunks, then a single-token ORG and a three-token DATE.
ADJACENT = [
    TokenSpan(0, 2, "PER"),
    TokenSpan(2, 3, "PER"),
    TokenSpan(4, 5, "ORG"),
    TokenSpan(6, 9, "DATE"),
]
EXPECTED_TAGS = {
    "IOB1": ["I-PER", "I-PER", "B-PER", "O", "I-ORG", "O", "I-DATE", "I-DATE", "I-DATE"],
    "IOB2": ["B-PER", "I-PER", "B-PER", "O", "B-ORG", "O", "B-DATE", "I-DATE", "I-DATE"],
    "BIOES": ["B-PER", "E-PER", "S-PER", "O", "S-ORG", "O", "B-DATE", "I-DATE", "E-DATE"],
    "BILOU": ["B-PER", "L-PER", "U-PER", "O", "U-ORG", "O", "B-DATE", "I-DATE", "L-DATE"],
}


# ----------------------------------------------------------------------------- schemes


@pytest.mark.parametrize(
    ("given_name", "canonical"),
    [
        ("iob2", "IOB2"),
        ("BIO", "IOB2"),
        ("iob1", "IOB1"),
        ("IOBES", "BIOES"),
        ("bioes", "BIOES"),
        ("BILUO", "BILOU"),
        (" bilou ", "BILOU"),
    ],
)
def test_scheme_names_and_aliases(given_name: str, canonical: str) -> None:
    assert normalise_scheme(given_name) == canonical


def test_unknown_scheme_is_a_clear_error() -> None:
    with pytest.raises(SpanLabError, match=r"unknown tagging scheme 'IOE2'.*IOB1, IOB2"):
        normalise_scheme("IOE2")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_encode_gives_the_textbook_tags(scheme: str) -> None:
    assert encode_tags(9, ADJACENT, scheme) == EXPECTED_TAGS[scheme]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_decode_inverts_encode(scheme: str) -> None:
    assert decode_tags(EXPECTED_TAGS[scheme], scheme) == ADJACENT


@pytest.mark.parametrize("scheme", SCHEMES)
def test_seqeval_reads_our_tags_as_our_chunks(scheme: str) -> None:
    """seqeval's own (strict) parsers agree with the chunks we encoded."""
    entities = Entities([EXPECTED_TAGS[scheme]], SEQEVAL[scheme]).entities[0]
    got = [(e.start, e.end, e.tag) for e in entities]
    assert got == [(s.start, s.end, s.label) for s in ADJACENT]


def test_conll2003_iob1_example_from_the_shared_task() -> None:
    """formats.md 2.1: 'U.N. official Ekeus heads for Baghdad .'"""
    spans = [TokenSpan(0, 1, "ORG"), TokenSpan(2, 3, "PER"), TokenSpan(5, 6, "LOC")]
    tags = ["I-ORG", "O", "I-PER", "O", "O", "I-LOC", "O"]
    assert encode_tags(7, spans, "IOB1") == tags
    assert detect_scheme([tags]) == "IOB1"
    assert decode_tags(tags, "IOB1") == spans


def test_spacy_biluo_example() -> None:
    """spaCy's paired test vectors: 'Sebastian Thrun', 'Google', 'earlier this week'."""
    tags = ["B-PERSON", "L-PERSON", "O", "U-ORG", "O", "B-DATE", "I-DATE", "L-DATE"]
    spans = [TokenSpan(0, 2, "PERSON"), TokenSpan(3, 4, "ORG"), TokenSpan(5, 8, "DATE")]
    assert decode_tags(tags, "BILOU") == spans
    assert encode_tags(8, spans, "BILOU") == tags
    assert detect_scheme([tags]) == "BILOU"


def test_labels_may_contain_hyphens() -> None:
    tags = encode_tags(2, [TokenSpan(0, 2, "GPE-CITY")], "IOB2")
    assert tags == ["B-GPE-CITY", "I-GPE-CITY"]
    assert decode_tags(tags, "IOB2") == [TokenSpan(0, 2, "GPE-CITY")]


@pytest.mark.parametrize(
    ("sequences", "scheme"),
    [
        ([["B-PER", "I-PER", "O"]], "IOB2"),
        ([["O", "O"], []], "IOB2"),
        ([["B-PER", "O"], ["O", "I-LOC"]], "IOB1"),
        ([["I-PER", "B-PER"]], "IOB1"),
        ([["S-PER", "O"]], "BIOES"),
        ([["B-PER", "E-PER"]], "BIOES"),
        ([["U-PER"]], "BILOU"),
        ([["B-PER", "L-PER"]], "BILOU"),
    ],
)
def test_detect_scheme(sequences: list[list[str]], scheme: str) -> None:
    assert detect_scheme(sequences) == scheme


def test_detect_scheme_rejects_mixed_prefixes() -> None:
    with pytest.raises(ValueError, match="mix BIOES"):
        detect_scheme([["S-PER"], ["U-ORG"]])


def test_decode_is_lenient_about_sequences_but_strict_about_tags() -> None:
    # I- without B- starts a chunk (conlleval); a type change starts a new one.
    assert decode_tags(["O", "I-PER", "I-LOC"], "IOB2") == [
        TokenSpan(1, 2, "PER"),
        TokenSpan(2, 3, "LOC"),
    ]
    # BIOES: a B- that is never closed ends at the sentence end.
    assert decode_tags(["B-PER", "I-PER"], "BIOES") == [TokenSpan(0, 2, "PER")]
    with pytest.raises(ValueError, match="'E-PER' is not valid in IOB2"):
        decode_tags(["E-PER"], "IOB2")
    with pytest.raises(ValueError, match="'U-PER' is not valid in BIOES"):
        decode_tags(["U-PER"], "BIOES")
    with pytest.raises(ValueError, match="not a tag"):
        decode_tags(["PERSON"], "IOB2")
    with pytest.raises(ValueError, match="not a tag"):
        decode_tags(["B-"], "IOB2")


def test_encode_refuses_overlaps_and_bad_ranges() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        encode_tags(3, [TokenSpan(0, 2, "A"), TokenSpan(1, 3, "B")], "IOB2")
    with pytest.raises(ValueError, match="outside"):
        encode_tags(2, [TokenSpan(1, 3, "A")], "IOB2")


def test_tag_names_list_o_then_each_label_in_order() -> None:
    assert tag_names(["PER", "LOC"], "IOB2") == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    assert tag_names(["PER"], "BILOU") == ["O", "B-PER", "I-PER", "L-PER", "U-PER"]
    assert tag_names(["PER"], "iob1") == ["O", "I-PER", "B-PER"]


@st.composite
def flat_spans(draw: st.DrawFn) -> tuple[int, list[TokenSpan]]:
    n = draw(st.integers(0, 12))
    spans: list[TokenSpan] = []
    position = 0
    while position < n:
        position += draw(st.integers(0, 2))
        length = draw(st.integers(1, 3))
        if position + length > n:
            break
        spans.append(TokenSpan(position, position + length, draw(st.sampled_from("AB"))))
        position += length
    return n, spans


@settings(max_examples=200, deadline=None)
@given(flat_spans(), st.sampled_from(SCHEMES))
def test_every_flat_span_set_survives_every_scheme(
    case: tuple[int, list[TokenSpan]], scheme: str
) -> None:
    n, spans = case
    tags = encode_tags(n, spans, scheme)
    assert decode_tags(tags, scheme) == spans
    entities = Entities([tags], SEQEVAL[scheme]).entities[0]
    assert [(e.start, e.end, e.tag) for e in entities] == [(s.start, s.end, s.label) for s in spans]
    if scheme in ("IOB1", "IOB2"):
        # conlleval-style reading (seqeval's default get_entities, end inclusive)
        assert get_entities(tags) == [(s.label, s.start, s.end - 1) for s in spans]


# ------------------------------------------------------------------------ flat subset


def test_flat_subset_longest_first_then_earliest_then_label() -> None:
    spans = [
        TokenSpan(0, 1, "D"),
        TokenSpan(1, 3, "B"),
        TokenSpan(0, 2, "A"),
        TokenSpan(3, 4, "C"),
        TokenSpan(5, 7, "Z"),
        TokenSpan(5, 7, "Y"),
    ]
    kept, dropped = flat_subset(spans)
    assert kept == [TokenSpan(0, 2, "A"), TokenSpan(3, 4, "C"), TokenSpan(5, 7, "Y")]
    assert dropped == [TokenSpan(0, 1, "D"), TokenSpan(1, 3, "B"), TokenSpan(5, 7, "Z")]


def test_flat_subset_prefers_the_longest_span_over_many_short_ones() -> None:
    spans = [TokenSpan(0, 1, "A"), TokenSpan(1, 2, "A"), TokenSpan(0, 3, "B")]
    assert flat_subset(spans) == ([TokenSpan(0, 3, "B")], spans[:2])


def test_flat_subset_keeps_input_order_for_exact_ties() -> None:
    first, second = TokenSpan(0, 1, "A"), TokenSpan(0, 1, "A")
    kept, dropped = flat_subset([first, second])
    assert kept[0] is first and dropped[0] is second


# -------------------------------------------------------------------------- alignment

ALIGN_TEXT = "Jane Smith paid $3.99 in Seoul.\n"


def _index() -> TokenIndex:
    return TokenIndex(ALIGN_TEXT, tokenize(ALIGN_TEXT))


def _span(start: int, end: int, label: str = "PERSON") -> Span:
    layer = LayerBuilder(make_document(90, "align", ALIGN_TEXT), "gold")
    return layer.at(label, start, end)


def test_token_index_ranges() -> None:
    index = _index()
    texts = [t.text for t in index.tokens]
    assert texts == ["Jane", "Smith", "paid", "$", "3.99", "in", "Seoul", "."]
    assert index.expand(1, 4) == (0, 1)  # "ane" touches "Jane"
    assert index.contract(1, 4) == (1, 1)  # and holds no whole token
    assert index.expand(0, 10) == index.contract(0, 10) == (0, 2)
    assert index.covered(0, 2) == "Jane Smith"


@pytest.mark.parametrize("alignment", list(Alignment))
def test_aligned_spans_pass_unchanged_whatever_the_mode(alignment: Alignment) -> None:
    report = ExportReport("t")
    # Whitespace at the edges is not a misalignment: the same tokens are covered.
    for start, end in ((0, 10), (0, 11), (4, 10), (16, 21)):
        span = _span(start, end)
        assert align_span(_index(), span, alignment, report) is not None
    assert report.misaligned == 0
    assert not report.left_out


def test_expand_grows_to_the_touched_tokens() -> None:
    report = ExportReport("t")
    found = align_span(_index(), _span(1, 4), Alignment.EXPAND, report, where="doc 1: ")
    assert found == (0, 1)
    assert report.misaligned == 1
    assert report.misaligned_examples == ["doc 1: PERSON 'ane' [1, 4): expanded to 'Jane'"]
    assert not report.left_out


def test_contract_shrinks_or_leaves_out() -> None:
    report = ExportReport("t")
    # "Smith paid $3" cuts "3.99": contract keeps "Smith paid $".
    found = align_span(_index(), _span(5, 18), Alignment.CONTRACT, report)
    assert found == (1, 4)
    assert "contracted to 'Smith paid $'" in report.misaligned_examples[0]
    assert align_span(_index(), _span(1, 4), Alignment.CONTRACT, report) is None
    assert report.misaligned == 2
    assert report.left_out == {"spans inside a single token (contract leaves no token)": 1}


def test_refuse_leaves_out_and_lists_every_misaligned_span() -> None:
    report = ExportReport("t")
    for start, end in ((1, 4), (5, 18)):
        assert align_span(_index(), _span(start, end), Alignment.REFUSE, report) is None
    assert report.misaligned == 2
    assert report.left_out == {"spans not on token boundaries (alignment: refuse)": 2}
    assert all("refused" in example for example in report.misaligned_examples)


def test_whitespace_only_span_covers_no_token() -> None:
    report = ExportReport("t")
    assert align_span(_index(), _span(4, 5), Alignment.EXPAND, report) is None
    assert report.left_out == {"spans covering no token (only whitespace)": 1}


def test_examples_are_capped_but_counts_are_not() -> None:
    report = ExportReport("t")
    for _ in range(15):
        align_span(_index(), _span(1, 4), Alignment.REFUSE, report)
    assert report.misaligned == 15
    assert len(report.misaligned_examples) == 10


# -------------------------------------------------------------------------- sentences


def test_merge_sentences_joins_only_crossed_boundaries() -> None:
    text = "Kim met Lee. They left. Park stayed."
    sentences = sentence_tokens(text)
    assert len(sentences) == 3
    crossing = (text.index("Lee"), text.index("They") + 4)
    merged = merge_sentences(sentences, [crossing, (0, 3)])
    assert [" ".join(t.text for t in s) for s in merged] == [
        "Kim met Lee . They left .",
        "Park stayed .",
    ]
    assert merge_sentences(sentences, []) == sentences


def test_tag_layer_keeps_a_span_across_a_sentence_boundary_whole() -> None:
    document = make_document(91, "t", "Talks in Seoul.\nBusan hosted the rest.")
    layer = LayerBuilder(document, "gold")
    layer.span("LOCATION", "Seoul.\nBusan")
    report = ExportReport("t")
    sentences = sentence_tokens(document.text)
    tagged = tag_layer(
        document.text,
        sentences,
        layer.build(),
        alignment=Alignment.EXPAND,
        scheme="IOB2",
        report=report,
        format_name="T",
    )
    assert len(tagged) == 1
    assert tagged[0].tags == ["O", "O", "B-LOCATION", "I-LOCATION", "I-LOCATION"] + ["O"] * 4


def test_align_layer_gives_sentence_relative_positions() -> None:
    document = make_document(92, "t", "Kim met Lee.\nPark Ji-won left Seoul.")
    layer = LayerBuilder(document, "gold")
    layer.span("PERSON", "Park Ji-won")
    layer.span("PERSON", "Kim")
    merged, aligned = align_layer(
        document.text,
        sentence_tokens(document.text),
        layer.build(),
        alignment=Alignment.EXPAND,
        report=ExportReport("t"),
    )
    assert [(a.span.text, a.sentence, a.sentence_start, a.sentence_end) for a in aligned] == [
        ("Kim", 0, 0, 1),
        ("Park Ji-won", 1, 0, 2),
    ]
    assert [t.text for t in merged[1][:2]] == ["Park", "Ji-won"]


def test_spacy_tokens_never_contain_separators_and_follow_our_sentences() -> None:
    text = "Seoul\u00a0Forum opened.\u200bKim Ho-jin met 👨‍👩‍👧 in S. Korea.\nDone 🇰🇷!"
    sentences = document_sentences(text, Tokenizer.SPACY)
    tokens = [t for s in sentences for t in s]
    assert tokens and all(not SEPARATORS.intersection(t.text) for t in tokens)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert len(sentences) == len(sentence_spans(text))
    assert document_sentences(text, Tokenizer.SPANLAB) == sentence_tokens(text)


def test_missing_spacy_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    blank_english.cache_clear()
    monkeypatch.setitem(sys.modules, "spacy", None)
    try:
        with pytest.raises(SpanLabError, match=r"install spanlab\[spacy\]"):
            document_sentences("Kim met Lee.", Tokenizer.SPACY)
    finally:
        blank_english.cache_clear()
