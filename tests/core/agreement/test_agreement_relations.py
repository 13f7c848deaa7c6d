"""Relation agreement: direction, symmetric types, alignment modes and edge cases."""

from __future__ import annotations

import itertools

import pytest

from spanlab.core.agreement import RelationScheme, relation_f1
from spanlab.core.model import AnnotatorId, DocumentId, Relation, RelationId, Span, SpanId

A, B, C = AnnotatorId(1), AnnotatorId(2), AnnotatorId(3)
_ids = itertools.count(1)


def span(annotator: AnnotatorId, label: str, start: int, end: int, document: int = 1) -> Span:
    return Span(SpanId(next(_ids)), DocumentId(document), annotator, label, start, end, "")


def rel(label: str, head: Span, tail: Span) -> Relation:
    return Relation(
        RelationId(next(_ids)), head.document_id, head.annotator_id, label, head.id, tail.id
    )


def two_annotators() -> tuple[list[Span], Span, Span, Span, Span]:
    a1, a2 = span(A, "PER", 0, 5), span(A, "PER", 10, 15)
    b1, b2 = span(B, "PER", 0, 5), span(B, "PER", 10, 15)
    return [a1, a2, b1, b2], a1, a2, b1, b2


def overall(
    spans: list[Span], relations: list[Relation], symmetric: set[str] | None = None
) -> dict[RelationScheme, float | None]:
    report = relation_f1(spans, relations, symmetric_types=symmetric or set())
    return {scheme: score.value for scheme, score in report.pairs[0].overall.items()}


def test_same_relation_agrees() -> None:
    spans, a1, a2, b1, b2 = two_annotators()
    result = overall(spans, [rel("MET", a1, a2), rel("MET", b1, b2)])
    assert all(value == 1.0 for value in result.values())


def test_directed_reversed_relation_does_not_agree() -> None:
    spans, a1, a2, b1, b2 = two_annotators()
    result = overall(spans, [rel("MET", a1, a2), rel("MET", b2, b1)])
    assert result[RelationScheme.STRICT] == 0.0
    assert result[RelationScheme.LENIENT] == 0.0


def test_symmetric_reversed_relation_agrees() -> None:
    spans, a1, a2, b1, b2 = two_annotators()
    result = overall(spans, [rel("MET", a1, a2), rel("MET", b2, b1)], symmetric={"MET"})
    assert result[RelationScheme.STRICT] == 1.0
    assert result[RelationScheme.LENIENT] == 1.0


def test_symmetry_applies_only_to_listed_types() -> None:
    spans, a1, a2, b1, b2 = two_annotators()
    relations = [rel("MET", a1, a2), rel("MET", b2, b1), rel("KNOWS", a1, a2), rel("KNOWS", b2, b1)]
    report = relation_f1(spans, relations, symmetric_types={"MET"})
    per_type = report.pairs[0].per_type
    assert per_type["MET"][RelationScheme.STRICT].value == 1.0
    assert per_type["KNOWS"][RelationScheme.STRICT].value == 0.0
    assert report.pairs[0].overall[RelationScheme.STRICT].value == 0.5
    assert report.symmetric_types == frozenset({"MET"})


def test_type_disagreement() -> None:
    spans, a1, a2, b1, b2 = two_annotators()
    result = overall(spans, [rel("MET", a1, a2), rel("KNOWS", b1, b2)])
    assert result[RelationScheme.STRICT] == 0.0


def test_lenient_alignment_rescues_boundary_errors() -> None:
    a1, a2 = span(A, "PER", 0, 13), span(A, "PER", 20, 25)
    b1, b2 = span(B, "PER", 7, 13), span(B, "PER", 20, 25)
    result = overall([a1, a2, b1, b2], [rel("MET", a1, a2), rel("MET", b1, b2)])
    assert result[RelationScheme.STRICT] == 0.0
    assert result[RelationScheme.LENIENT] == 1.0
    # Strict given endpoints: a's relation has an unaligned end -> nothing left to compare.
    assert result[RelationScheme.STRICT_GIVEN_ENDPOINTS] is None
    assert result[RelationScheme.LENIENT_GIVEN_ENDPOINTS] == 1.0


def test_span_label_must_agree_for_alignment() -> None:
    a1, a2 = span(A, "PER", 0, 5), span(A, "PER", 10, 15)
    b1, b2 = span(B, "ORG", 0, 5), span(B, "PER", 10, 15)
    result = overall([a1, a2, b1, b2], [rel("MET", a1, a2), rel("MET", b1, b2)])
    assert result[RelationScheme.LENIENT] == 0.0


def test_given_endpoints_separates_relation_errors_from_span_errors() -> None:
    a1, a2, a3 = span(A, "PER", 0, 5), span(A, "PER", 10, 15), span(A, "PER", 20, 25)
    b1, b2 = span(B, "PER", 0, 5), span(B, "PER", 10, 15)
    relations = [rel("MET", a1, a2), rel("MET", a1, a3), rel("MET", b1, b2)]
    report = relation_f1([a1, a2, a3, b1, b2], relations)
    scores = report.pairs[0].overall
    assert scores[RelationScheme.STRICT].value == pytest.approx(2 / 3)
    given = scores[RelationScheme.STRICT_GIVEN_ENDPOINTS]
    assert given.value == 1.0
    assert (given.count_a, given.count_b) == (1, 1)
    assert scores[RelationScheme.STRICT].unit == "relations"


def test_duplicate_relations_and_duplicate_spans_count_once() -> None:
    spans, a1, a2, b1, b2 = two_annotators()
    a1_copy = Span(SpanId(next(_ids)), a1.document_id, A, a1.label, a1.start, a1.end, "")
    relations = [rel("MET", a1, a2), rel("MET", a1_copy, a2), rel("MET", b1, b2)]
    report = relation_f1([*spans, a1_copy], relations)
    score = report.pairs[0].overall[RelationScheme.STRICT]
    assert score.value == 1.0
    assert score.count_a == 1


def test_dangling_relation_is_skipped() -> None:
    spans, a1, _a2, b1, b2 = two_annotators()
    dangling = Relation(RelationId(999), DocumentId(1), A, "MET", a1.id, SpanId(123456))
    cross = rel("MET", a1, b2)  # ends of another annotator
    report = relation_f1(spans, [dangling, cross, rel("MET", b1, b2)])
    assert report.relations_skipped == 2
    assert report.pairs[0].overall[RelationScheme.STRICT].value == 0.0


def test_no_relations_is_undefined() -> None:
    spans, *_ = two_annotators()
    report = relation_f1(spans, [])
    score = report.pairs[0].overall[RelationScheme.STRICT]
    assert score.value is None
    assert score.reason
    assert report.overall[RelationScheme.STRICT].value is None


def test_one_annotator_has_no_pair() -> None:
    a1, a2 = span(A, "PER", 0, 5), span(A, "PER", 10, 15)
    report = relation_f1([a1, a2], [rel("MET", a1, a2)])
    assert report.pairs == ()
    assert report.reason


def test_three_annotators_mean() -> None:
    spans, a1, a2, b1, b2 = two_annotators()
    c1, c2 = span(C, "PER", 0, 5), span(C, "PER", 10, 15)
    relations = [rel("MET", a1, a2), rel("MET", b1, b2), rel("MET", c2, c1)]
    report = relation_f1([*spans, c1, c2], relations)
    summary = report.overall[RelationScheme.STRICT]
    assert summary.value == pytest.approx(1 / 3)
    assert summary.pairs == 3
    assert summary.sd == pytest.approx((2 / 9) ** 0.5)


def test_completed_documents() -> None:
    spans, a1, a2, b1, b2 = two_annotators()
    other_a1, other_a2 = span(A, "PER", 0, 5, document=2), span(A, "PER", 6, 9, document=2)
    relations = [rel("MET", a1, a2), rel("MET", b1, b2), rel("MET", other_a1, other_a2)]
    report = relation_f1(
        [*spans, other_a1, other_a2],
        relations,
        completed={A: {DocumentId(1), DocumentId(2)}, B: {DocumentId(1)}},
    )
    assert report.pairs[0].overall[RelationScheme.STRICT].value == 1.0
    assert report.documents_used == 1
