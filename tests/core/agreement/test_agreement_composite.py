"""The composite fixture of agreement.md 4.8 and its second mini example."""

from __future__ import annotations

import re

import pytest

from spanlab.core.agreement import (
    NO_ANNOTATION,
    F1Scheme,
    RelationScheme,
    Tagging,
    cohen_kappa,
    pair_span_f1,
    relation_f1,
    span_confusion_matrix,
    span_f1,
    token_cohen_kappa,
    token_confusion_matrix,
    token_krippendorff_alpha,
    unitizing_alpha,
)
from spanlab.core.model import AnnotatorId, DocumentId, Relation, RelationId, Span, SpanId

TEXT = "Angela Merkel, chancellor of Germany, met Emmanuel Macron in Paris on Monday."
DOC = DocumentId(1)
A, B = AnnotatorId(1), AnnotatorId(2)


def span(sid: int, annotator: AnnotatorId, label: str, start: int, end: int) -> Span:
    return Span(SpanId(sid), DOC, annotator, label, start, end, TEXT[start:end])


SPANS_A = [
    span(1, A, "PER", 0, 13),
    span(2, A, "ROLE", 15, 25),
    span(3, A, "COUNTRY", 29, 36),
    span(4, A, "PER", 42, 57),
    span(5, A, "DATE", 70, 76),
]
SPANS_B = [
    span(11, B, "PER", 7, 13),
    span(12, B, "ROLE", 15, 25),
    span(13, B, "COUNTRY", 29, 36),
    span(14, B, "PER", 42, 57),
    span(15, B, "COUNTRY", 61, 66),
]
SPANS = SPANS_A + SPANS_B


def relation(rid: int, annotator: AnnotatorId, label: str, head: int, tail: int) -> Relation:
    return Relation(RelationId(rid), DOC, annotator, label, SpanId(head), SpanId(tail))


RELATIONS = [
    relation(1, A, "HAS_ROLE", 1, 2),
    relation(2, A, "ROLE_IN", 2, 3),
    relation(3, A, "MET", 1, 4),
    relation(4, B, "HAS_ROLE", 11, 12),
    relation(5, B, "ROLE_IN", 12, 13),
    relation(6, B, "MET", 14, 11),
]
TOKENS = {DOC: [m.span() for m in re.finditer(r"\w+|[^\w\s]", TEXT)]}


def test_fixture_texts() -> None:
    assert [s.text for s in SPANS_A] == [
        "Angela Merkel",
        "chancellor",
        "Germany",
        "Emmanuel Macron",
        "Monday",
    ]
    assert [s.text for s in SPANS_B] == [
        "Merkel",
        "chancellor",
        "Germany",
        "Emmanuel Macron",
        "Paris",
    ]
    assert len(TOKENS[DOC]) == 15


def test_span_f1() -> None:
    pair = pair_span_f1(SPANS, A, B)
    exact = pair.overall[F1Scheme.EXACT]
    assert exact.value == pytest.approx(0.6)
    assert exact.exact_matches == 3
    overlap = pair.overall[F1Scheme.OVERLAP]
    assert overlap.value == pytest.approx(0.8)
    assert overlap.exact_matches + overlap.partial_matches == 4
    partial = pair.overall[F1Scheme.PARTIAL]
    assert partial.precision == pytest.approx(0.7)
    assert partial.recall == pytest.approx(0.7)
    assert partial.credit == pytest.approx(3.5)
    assert exact.unit == "spans"
    assert exact.documents == 1


def test_span_f1_report_over_the_pair() -> None:
    report = span_f1(SPANS)
    assert report.annotators == (A, B)
    assert report.overall[F1Scheme.EXACT].value == pytest.approx(0.6)
    assert report.overall[F1Scheme.EXACT].sd is None  # one pair only
    assert report.overall[F1Scheme.EXACT].pairs == 1
    per_label = report.pairs[0].per_label
    assert per_label["PER"][F1Scheme.EXACT].value == pytest.approx(0.5)
    assert per_label["PER"][F1Scheme.OVERLAP].value == pytest.approx(1.0)
    assert per_label["DATE"][F1Scheme.OVERLAP].value == pytest.approx(0.0)
    assert per_label["DATE"][F1Scheme.OVERLAP].recall == pytest.approx(0.0)
    assert per_label["DATE"][F1Scheme.OVERLAP].precision is None  # b has no DATE
    assert per_label["COUNTRY"][F1Scheme.EXACT].value == pytest.approx(2 / 3)


def test_relation_f1() -> None:
    directed = relation_f1(SPANS, RELATIONS).pairs[0].overall
    assert directed[RelationScheme.STRICT].value == pytest.approx(0.3333, abs=1e-4)
    assert directed[RelationScheme.LENIENT].value == pytest.approx(0.6667, abs=1e-4)
    undirected = relation_f1(SPANS, RELATIONS, symmetric_types={"MET"}).pairs[0].overall
    assert undirected[RelationScheme.LENIENT].value == pytest.approx(1.0)
    assert undirected[RelationScheme.STRICT].value == pytest.approx(0.3333, abs=1e-4)
    # Given both ends agreed (strict): only ROLE_IN has both ends aligned on each side.
    assert directed[RelationScheme.STRICT_GIVEN_ENDPOINTS].value == pytest.approx(1.0)
    assert directed[RelationScheme.STRICT_GIVEN_ENDPOINTS].count_a == 1


def test_token_kappa_and_alpha() -> None:
    kappa = token_cohen_kappa(SPANS, TOKENS, A, B)
    assert kappa.tokens == 15
    assert kappa.all_tokens.value == pytest.approx(0.673913, abs=1e-6)
    assert kappa.labelled_tokens.value == pytest.approx(0.489362, abs=1e-6)
    assert kappa.all_tokens.unit == "tokens"
    assert kappa.labelled_tokens.unit == "tokens (excluding tokens nobody labelled)"
    assert kappa.labelled_tokens.items == 8
    alpha = token_krippendorff_alpha(SPANS, TOKENS)
    assert alpha.all_tokens.value == pytest.approx(0.682482, abs=1e-6)


def test_token_confusion_matrix() -> None:
    matrix = token_confusion_matrix(SPANS, TOKENS, A, B)
    order = ["O", "PER", "ROLE", "COUNTRY", "DATE"]
    assert matrix.table(order, order) == (
        (7, 0, 0, 1, 0),
        (1, 3, 0, 0, 0),
        (0, 0, 1, 0, 0),
        (0, 0, 0, 1, 0),
        (1, 0, 0, 0, 0),
    )
    assert matrix.total == 15
    assert matrix.empty == "O"


def test_span_confusion_matrix() -> None:
    matrix = span_confusion_matrix(SPANS, A, B)
    assert matrix.count("PER", "PER") == 2
    assert matrix.count("ROLE", "ROLE") == 1
    assert matrix.count("COUNTRY", "COUNTRY") == 1
    assert matrix.count("DATE", NO_ANNOTATION) == 1
    assert matrix.count(NO_ANNOTATION, "COUNTRY") == 1
    assert matrix.count(NO_ANNOTATION, NO_ANNOTATION) == 0
    assert matrix.total == 6
    ((only_a, none),) = matrix.instances[("DATE", NO_ANNOTATION)]
    assert only_a is not None and only_a.text == "Monday"
    assert none is None


def test_unitizing_alpha() -> None:
    result = unitizing_alpha(SPANS, {DOC: len(TEXT)})
    assert result.continuum_length == 77
    assert result.value == pytest.approx(0.808280, abs=1e-6)
    expected = {"COUNTRY": 0.7282, "DATE": -0.1154, "PER": 0.8434, "ROLE": 1.0}
    for label, value in expected.items():
        assert result.per_label[label].value == pytest.approx(value, abs=1e-4)


# ------------------------------------------------------------ second mini example

MINI = "Angela Merkel visited Paris on Monday , said Reuters"
MINI_A = ["B-PER", "I-PER", "O", "B-LOC", "O", "B-DATE", "O", "O", "B-ORG"]
MINI_B = ["O", "B-PER", "O", "B-LOC", "O", "B-DATE", "O", "O", "O"]


def _spans_from_bio(tags: list[str], annotator: AnnotatorId, first_id: int) -> list[Span]:
    tokens = [m.span() for m in re.finditer(r"\S+", MINI)]
    spans: list[Span] = []
    current: tuple[str, int, int] | None = None
    for (start, end), tag in [*zip(tokens, tags, strict=True), ((0, 0), "O")]:
        if current and not tag.startswith("I-"):
            label, s, e = current
            spans.append(
                Span(SpanId(first_id + len(spans)), DOC, annotator, label, s, e, MINI[s:e])
            )
            current = None
        if tag.startswith("B-"):
            current = (tag[2:], start, end)
        elif tag.startswith("I-") and current:
            current = (current[0], current[1], end)
    return spans


MINI_SPANS = _spans_from_bio(MINI_A, A, 1) + _spans_from_bio(MINI_B, B, 100)
MINI_TOKENS = {DOC: [m.span() for m in re.finditer(r"\S+", MINI)]}


def test_mini_example_token_kappa() -> None:
    bio = token_cohen_kappa(MINI_SPANS, MINI_TOKENS, A, B, tagging=Tagging.BIO)
    assert bio.all_tokens.value == pytest.approx(0.5, abs=1e-4)
    # agreement.md's 0.3182 "over labelled tokens" is with BIO tags (5 tokens: p_o 0.4,
    # p_e 0.12); with types the same 5 tokens give (0.6 - 0.16) / 0.84.
    assert bio.labelled_tokens.value == pytest.approx(0.3182, abs=1e-4)
    assert bio.labelled_tokens.items == 5
    types = token_cohen_kappa(MINI_SPANS, MINI_TOKENS, A, B)
    assert types.all_tokens.value == pytest.approx(0.6604, abs=1e-4)
    assert types.labelled_tokens.value == pytest.approx(0.44 / 0.84)
    # Direct from the tag lists, as a check on the span -> token conversion.
    assert cohen_kappa(list(zip(MINI_A, MINI_B, strict=True))).value == pytest.approx(0.5)


def test_mini_example_span_scores() -> None:
    pair = pair_span_f1(MINI_SPANS, A, B)
    strict = pair.overall[F1Scheme.EXACT]  # seqeval strict
    assert strict.precision == pytest.approx(0.667, abs=1e-3)
    assert strict.recall == pytest.approx(0.5)
    assert strict.value == pytest.approx(0.5714, abs=1e-4)
    partial = pair.overall[F1Scheme.PARTIAL_UNLABELLED]  # nervaluate partial
    assert partial.precision == pytest.approx(0.8333, abs=1e-4)
    assert partial.recall == pytest.approx(0.625)
    assert partial.value == pytest.approx(0.7143, abs=1e-4)
    ent_type = pair.overall[F1Scheme.OVERLAP]  # nervaluate ent_type
    assert ent_type.value == pytest.approx(0.8571, abs=1e-4)
