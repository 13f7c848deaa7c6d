"""Attribute agreement on matched spans and the span confusion matrix."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import pytest

from spanlab.core.agreement import (
    NO_ANNOTATION,
    MatchMode,
    attribute_agreement,
    krippendorff_alpha_nominal,
    span_confusion_matrix,
)
from spanlab.core.model import AnnotatorId, DocumentId, Span, SpanId, frozen_map

A, B, C = AnnotatorId(1), AnnotatorId(2), AnnotatorId(3)
_ids = itertools.count(1)


def span(
    annotator: AnnotatorId,
    label: str,
    start: int,
    end: int,
    attributes: Mapping[str, Any] | None = None,
    document: int = 1,
) -> Span:
    return Span(
        SpanId(next(_ids)),
        DocumentId(document),
        annotator,
        label,
        start,
        end,
        "",
        frozen_map(attributes),
    )


# ------------------------------------------------------------------ attributes


def test_attribute_agreement_on_matched_spans() -> None:
    spans = [
        span(A, "PER", 0, 5, {"gender": "f", "role": "x"}),
        span(B, "PER", 0, 5, {"gender": "f"}),
        span(A, "PER", 10, 15, {"gender": "m"}),
        span(B, "PER", 11, 15, {"gender": "f"}),  # overlap match
        span(A, "PER", 20, 25, {"gender": "m"}),
        span(B, "PER", 20, 25, {"gender": "m"}),
        span(A, "ORG", 30, 35, {"gender": "n"}),
        span(B, "LOC", 30, 35, {"gender": "n"}),  # different label: not matched
    ]
    report = attribute_agreement(spans)
    gender = report.attributes["gender"]
    assert gender.pairs == 3
    assert gender.observed_agreement == pytest.approx(2 / 3)
    expected = krippendorff_alpha_nominal([("f", "f"), ("m", "f"), ("m", "m")])
    assert gender.value == pytest.approx(expected.value)
    assert gender.unit == "matched span pairs"
    role = report.attributes["role"]
    assert role.pairs == 0
    assert role.pairs_one_sided == 1
    assert role.value is None
    assert role.reason
    assert report.matched_pairs == 3


def test_exact_mode_uses_exact_matches_only() -> None:
    spans = [
        span(A, "PER", 0, 5, {"g": "f"}),
        span(B, "PER", 1, 5, {"g": "m"}),
        span(A, "PER", 10, 15, {"g": "m"}),
        span(B, "PER", 10, 15, {"g": "m"}),
    ]
    report = attribute_agreement(spans, mode=MatchMode.EXACT)
    assert report.attributes["g"].pairs == 1
    assert report.attributes["g"].observed_agreement == 1.0
    assert report.attributes["g"].value is None  # a single category: undefined


def test_values_compare_by_json_form() -> None:
    spans = [
        span(A, "X", 0, 5, {"flag": True, "tags": ["a", "b"]}),
        span(B, "X", 0, 5, {"flag": 1, "tags": ["a", "b"]}),
    ]
    report = attribute_agreement(spans)
    assert report.attributes["flag"].observed_agreement == 0.0
    assert report.attributes["tags"].observed_agreement == 1.0


def test_attribute_names_filter_and_unused_names() -> None:
    spans = [span(A, "X", 0, 5, {"a": 1, "b": 2}), span(B, "X", 0, 5, {"a": 1, "b": 3})]
    report = attribute_agreement(spans, names={"a", "zzz"})
    assert set(report.attributes) == {"a", "zzz"}
    assert report.attributes["zzz"].value is None


def test_attribute_pairs_pooled_over_annotator_pairs() -> None:
    spans = [
        span(A, "X", 0, 5, {"g": "f"}),
        span(B, "X", 0, 5, {"g": "f"}),
        span(C, "X", 0, 5, {"g": "m"}),
    ]
    report = attribute_agreement(spans)
    assert report.attributes["g"].pairs == 3
    assert report.attributes["g"].observed_agreement == pytest.approx(1 / 3)


def test_attribute_edge_cases() -> None:
    alone = attribute_agreement([span(A, "X", 0, 5, {"g": "f"})])
    assert alone.reason
    assert alone.attributes == {}
    unmatched = attribute_agreement([span(A, "X", 0, 5, {"g": "f"}), span(B, "X", 6, 9)])
    assert unmatched.matched_pairs == 0
    assert unmatched.reason == "no matched span pairs"


# ------------------------------------------------------------------- confusion


def test_confusion_matrix_counts_label_confusions_and_missing_spans() -> None:
    spans = [
        span(A, "PER", 0, 5),
        span(B, "ORG", 0, 6),  # confusion PER -> ORG
        span(A, "PER", 10, 15),
        span(B, "PER", 10, 15),
        span(A, "LOC", 20, 25),  # only a
        span(B, "LOC", 30, 35),  # only b
    ]
    matrix = span_confusion_matrix(spans, A, B)
    assert matrix.labels == ("LOC", "ORG", "PER")
    assert matrix.rows == ("LOC", "ORG", "PER", NO_ANNOTATION)
    assert matrix.table() == (
        (0, 0, 0, 1),
        (0, 0, 0, 0),
        (0, 1, 1, 0),
        (1, 0, 0, 0),
    )
    assert matrix.unit == "aligned span pairs"
    ((first, second),) = matrix.instances[("PER", "ORG")]
    assert first is not None and second is not None
    assert (first.label, second.label) == ("PER", "ORG")
    assert matrix.documents == 1


def test_confusion_matrix_edge_cases() -> None:
    empty = span_confusion_matrix([], A, B)
    assert empty.total == 0
    assert empty.table() == ((0,),)
    identical = span_confusion_matrix([span(A, "X", 0, 3), span(B, "X", 0, 3)], A, B)
    assert identical.table() == ((1, 0), (0, 0))


def test_confusion_matrix_respects_completed_documents() -> None:
    spans = [span(A, "X", 0, 3, document=1), span(A, "X", 0, 3, document=2)]
    matrix = span_confusion_matrix(
        spans, A, B, completed={A: {DocumentId(1), DocumentId(2)}, B: {DocumentId(2)}}
    )
    assert matrix.count("X", NO_ANNOTATION) == 1
    assert matrix.documents == 1
