"""Span alignment and pairwise span F1: hand-made cases, properties and edge cases."""

from __future__ import annotations

import itertools
import random
import statistics

import pytest

from spanlab.core.agreement import (
    F1Scheme,
    MatchMode,
    align_spans,
    pair_span_f1,
    span_f1,
)
from spanlab.core.model import AnnotatorId, DocumentId, Span, SpanId

A, B, C = AnnotatorId(1), AnnotatorId(2), AnnotatorId(3)
_ids = itertools.count(1)


def span(annotator: AnnotatorId, label: str, start: int, end: int, document: int = 1) -> Span:
    return Span(SpanId(next(_ids)), DocumentId(document), annotator, label, start, end, "")


def scores(spans: list[Span]) -> dict[F1Scheme, float | None]:
    pair = pair_span_f1(spans, A, B)
    return {scheme: score.value for scheme, score in pair.overall.items()}


# ------------------------------------------------------------- hand-made cases


def test_boundary_disagreement_counts_under_overlap_but_not_exact() -> None:
    result = scores([span(A, "PER", 0, 13), span(B, "PER", 7, 13)])
    assert result[F1Scheme.EXACT] == 0.0
    assert result[F1Scheme.OVERLAP] == 1.0
    assert result[F1Scheme.PARTIAL] == 0.5
    assert result[F1Scheme.EXACT_UNLABELLED] == 0.0
    assert result[F1Scheme.OVERLAP_UNLABELLED] == 1.0


def test_label_disagreement() -> None:
    result = scores([span(A, "PER", 0, 5), span(B, "ORG", 0, 5)])
    assert result[F1Scheme.EXACT] == 0.0
    assert result[F1Scheme.OVERLAP] == 0.0
    assert result[F1Scheme.EXACT_UNLABELLED] == 1.0
    assert result[F1Scheme.OVERLAP_UNLABELLED] == 1.0


def test_identical_annotations() -> None:
    spans = [span(a, label, s, e) for a in (A, B) for label, s, e in [("X", 0, 3), ("Y", 5, 9)]]
    assert all(value == 1.0 for value in scores(spans).values())


def test_disjoint_annotations_score_zero() -> None:
    result = scores([span(A, "X", 0, 3), span(B, "X", 5, 9)])
    assert all(value == 0.0 for value in result.values())


def test_touching_spans_do_not_overlap() -> None:
    result = scores([span(A, "X", 0, 3), span(B, "X", 3, 6)])
    assert result[F1Scheme.OVERLAP] == 0.0


def test_precision_and_recall_take_a_as_reference() -> None:
    pair = pair_span_f1([span(A, "X", 0, 3), span(A, "X", 5, 7), span(B, "X", 0, 3)], A, B).overall[
        F1Scheme.EXACT
    ]
    assert pair.precision == 1.0
    assert pair.recall == 0.5
    assert pair.value == pytest.approx(2 / 3)
    assert (pair.count_a, pair.count_b) == (2, 1)


def test_f1_is_symmetric() -> None:
    rng = random.Random(5)
    spans = [
        span(rng.choice((A, B)), rng.choice("XY"), s, s + rng.randint(1, 9))
        for s in rng.sample(range(200), 40)
    ]
    forward = pair_span_f1(spans, A, B).overall
    backward = pair_span_f1(spans, B, A).overall
    for scheme in F1Scheme:
        assert forward[scheme].value == pytest.approx(backward[scheme].value)
        assert forward[scheme].precision == pytest.approx(backward[scheme].recall)


def test_duplicates_count_once() -> None:
    result = pair_span_f1(
        [span(A, "X", 0, 3), span(A, "X", 0, 3), span(B, "X", 0, 3)], A, B
    ).overall[F1Scheme.EXACT]
    assert result.value == 1.0
    assert result.count_a == 1


def test_zero_length_spans_match_exactly_only() -> None:
    result = scores([span(A, "X", 4, 4), span(B, "X", 4, 4), span(B, "X", 2, 6)])
    assert result[F1Scheme.EXACT] == pytest.approx(2 / 3)
    assert result[F1Scheme.OVERLAP] == pytest.approx(2 / 3)


def test_min_iou_threshold() -> None:
    spans = [span(A, "X", 0, 10), span(B, "X", 0, 4)]
    assert pair_span_f1(spans, A, B).overall[F1Scheme.OVERLAP].value == 1.0
    strict = pair_span_f1(spans, A, B, min_iou=0.5).overall[F1Scheme.OVERLAP]
    assert strict.value == 0.0


def test_spans_of_different_documents_never_match() -> None:
    result = scores([span(A, "X", 0, 3, document=1), span(B, "X", 0, 3, document=2)])
    assert result[F1Scheme.EXACT] == 0.0


# ------------------------------------------------------------------ alignment


def test_overlap_alignment_maximises_the_number_of_pairs() -> None:
    x1, x2 = span(A, "X", 0, 10), span(A, "X", 10, 20)
    y1, y2 = span(B, "X", 5, 15), span(B, "X", 0, 3)
    alignment = align_spans([x1, x2], [y1, y2])
    assert {(m.a.id, m.b.id) for m in alignment.matches} == {(x1.id, y2.id), (x2.id, y1.id)}
    assert not alignment.unmatched_a and not alignment.unmatched_b


def test_alignment_prefers_larger_overlap_then_exact() -> None:
    x = span(A, "X", 0, 10)
    small, large = span(B, "X", 0, 4), span(B, "X", 2, 10)
    alignment = align_spans([x], [small, large])
    assert [m.b.id for m in alignment.matches] == [large.id]
    assert [s.id for s in alignment.unmatched_b] == [small.id]
    exact, wider = span(B, "X", 0, 10), span(B, "X", 0, 12)
    alignment = align_spans([x], [wider, exact])
    assert [m.b.id for m in alignment.matches] == [exact.id]
    assert alignment.exact_matches == 1


def test_alignment_maximises_total_overlap() -> None:
    x1, x2 = span(A, "X", 0, 10), span(A, "X", 5, 15)
    y1, y2 = span(B, "X", 0, 6), span(B, "X", 4, 15)
    alignment = align_spans([x1, x2], [y1, y2])
    assert {(m.a.id, m.b.id) for m in alignment.matches} == {(x1.id, y1.id), (x2.id, y2.id)}


def test_label_blind_exact_prefers_same_label_for_stacked_spans() -> None:
    a_per, a_org = span(A, "PER", 0, 5), span(A, "ORG", 0, 5)
    b_per = span(B, "PER", 0, 5)
    alignment = align_spans([a_per, a_org], [b_per], mode=MatchMode.EXACT, labelled=False)
    assert [(m.a.id, m.b.id) for m in alignment.matches] == [(a_per.id, b_per.id)]


def test_match_properties() -> None:
    (match,) = align_spans([span(A, "X", 0, 10)], [span(B, "X", 5, 15)]).matches
    assert match.overlap == 5
    assert match.union == 15
    assert match.iou == pytest.approx(1 / 3)
    assert not match.exact
    assert match.same_label


def _brute_force(spans_a: list[Span], spans_b: list[Span], labelled: bool) -> tuple[int, int, int]:
    def compatible(x: Span, y: Span) -> bool:
        if labelled and x.label != y.label:
            return False
        return max(x.start, y.start) < min(x.end, y.end)

    best = (0, 0, 0)
    for size in range(min(len(spans_a), len(spans_b)), 0, -1):
        for chosen_a in itertools.combinations(range(len(spans_a)), size):
            for chosen_b in itertools.permutations(range(len(spans_b)), size):
                pairs = [(spans_a[i], spans_b[j]) for i, j in zip(chosen_a, chosen_b, strict=True)]
                if all(compatible(x, y) for x, y in pairs):
                    overlap = sum(min(x.end, y.end) - max(x.start, y.start) for x, y in pairs)
                    exact = sum(x.start == y.start and x.end == y.end for x, y in pairs)
                    best = max(best, (size, overlap, exact))
        if best[0]:
            return best
    return best


@pytest.mark.parametrize("seed", range(150))
def test_overlap_alignment_is_optimal(seed: int) -> None:
    rng = random.Random(seed)
    labelled = rng.random() < 0.5

    def random_spans(annotator: AnnotatorId) -> list[Span]:
        result = []
        for _ in range(rng.randint(0, 5)):
            start = rng.randint(0, 30)
            result.append(span(annotator, rng.choice("XY"), start, start + rng.randint(1, 12)))
        return result

    spans_a, spans_b = random_spans(A), random_spans(B)
    alignment = align_spans(spans_a, spans_b, labelled=labelled)
    found = (
        len(alignment.matches),
        sum(m.overlap for m in alignment.matches),
        alignment.exact_matches,
    )
    # De-duplicate like the library does before brute-forcing.
    unique_a = list({(s.start, s.end, s.label): s for s in spans_a}.values())
    unique_b = list({(s.start, s.end, s.label): s for s in spans_b}.values())
    assert found == _brute_force(unique_a, unique_b, labelled)
    used_a = [m.a.id for m in alignment.matches]
    used_b = [m.b.id for m in alignment.matches]
    assert len(set(used_a)) == len(used_a) and len(set(used_b)) == len(used_b)
    # Deterministic.
    again = align_spans(spans_a, spans_b, labelled=labelled)
    assert [(m.a.id, m.b.id) for m in again.matches] == [
        (m.a.id, m.b.id) for m in alignment.matches
    ]


# ------------------------------------------------------------- aggregation


def test_micro_pooling_over_documents() -> None:
    spans = [
        span(A, "X", 0, 3, document=1),
        span(B, "X", 0, 3, document=1),
        *[span(A, "X", 10 * k, 10 * k + 3, document=2) for k in range(3)],
    ]
    pair = pair_span_f1(spans, A, B)
    # Pooled: TP 1, |A| 4, |B| 1 -> 2/5; the per-document mean would be (1 + 0) / 2.
    assert pair.overall[F1Scheme.EXACT].value == pytest.approx(0.4)
    per_document = {d.document_id: d.scores[F1Scheme.EXACT].value for d in pair.per_document}
    assert per_document == {DocumentId(1): 1.0, DocumentId(2): 0.0}
    assert pair.documents == 2


def test_mean_and_population_sd_over_pairs() -> None:
    spans = [
        span(A, "X", 0, 3),
        span(A, "X", 5, 8),
        span(B, "X", 0, 3),
        span(B, "X", 5, 8),
        span(C, "X", 0, 3),
    ]
    report = span_f1(spans)
    values = [pair.overall[F1Scheme.EXACT].value for pair in report.pairs]
    assert values == [1.0, pytest.approx(2 / 3), pytest.approx(2 / 3)]
    summary = report.overall[F1Scheme.EXACT]
    assert summary.value == pytest.approx(statistics.mean([1.0, 2 / 3, 2 / 3]))
    assert summary.sd == pytest.approx(statistics.pstdev([1.0, 2 / 3, 2 / 3]))
    assert summary.pairs == 3
    assert [(p.annotator_a, p.annotator_b) for p in report.pairs] == [(A, B), (A, C), (B, C)]


def test_completed_documents_per_pair() -> None:
    spans = [
        span(A, "X", 0, 3, document=1),
        span(B, "X", 0, 3, document=1),
        span(A, "X", 0, 3, document=2),  # B never finished document 2
    ]
    completed = {A: {DocumentId(1), DocumentId(2)}, B: {DocumentId(1)}}
    report = span_f1(spans, completed=completed)
    assert report.pairs[0].overall[F1Scheme.EXACT].value == 1.0
    assert report.pairs[0].documents == 1
    assert report.documents_used == 1
    assert report.documents_total == 2
    without = span_f1(spans)
    assert without.pairs[0].overall[F1Scheme.EXACT].value == pytest.approx(2 / 3)


def test_annotator_without_spans_still_counts() -> None:
    report = span_f1([span(A, "X", 0, 3)], annotators=[A, B])
    score = report.pairs[0].overall[F1Scheme.EXACT]
    assert score.value == 0.0
    assert score.precision is None
    assert score.recall == 0.0


def test_per_label_means() -> None:
    spans = [
        span(A, "X", 0, 3),
        span(B, "X", 0, 3),
        span(A, "Y", 5, 8),
        span(B, "Y", 6, 8),
        span(C, "X", 0, 3),
    ]
    report = span_f1(spans)
    assert report.per_label["X"][F1Scheme.EXACT].value == 1.0
    y = report.per_label["Y"][F1Scheme.EXACT]
    assert y.value == 0.0  # A-B 0.0, A-C 0.0, B-C 0.0
    assert report.per_label["Y"][F1Scheme.OVERLAP].value == pytest.approx(1 / 3)
    assert report.pairs[0].per_label["Y"][F1Scheme.PARTIAL].value == 0.5


# ------------------------------------------------------------------ edge cases


def test_no_spans_is_undefined_not_one() -> None:
    report = span_f1([], annotators=[A, B])
    score = report.pairs[0].overall[F1Scheme.EXACT]
    assert score.value is None
    assert score.reason
    assert report.overall[F1Scheme.EXACT].value is None
    assert report.overall[F1Scheme.EXACT].reason
    assert report.overall[F1Scheme.EXACT].pairs_undefined == 1


def test_empty_document_set_is_undefined() -> None:
    report = span_f1([], annotators=[A, B], documents=[DocumentId(1)])
    score = report.pairs[0].overall[F1Scheme.OVERLAP]
    assert score.value is None
    assert score.documents == 1


def test_one_annotator_has_no_pair() -> None:
    report = span_f1([span(A, "X", 0, 3)])
    assert report.pairs == ()
    assert report.reason
    assert report.overall[F1Scheme.EXACT].value is None
    assert report.overall[F1Scheme.EXACT].reason


def test_label_absent_from_a_pair_is_undefined_for_that_pair() -> None:
    spans = [span(A, "X", 0, 3), span(B, "X", 0, 3), span(C, "Y", 0, 3), span(C, "X", 0, 3)]
    report = span_f1(spans)
    assert report.pairs[0].per_label["Y"][F1Scheme.EXACT].value is None
    summary = report.per_label["Y"][F1Scheme.EXACT]
    assert summary.pairs == 2
    assert summary.pairs_undefined == 1


def test_invalid_offsets_are_rejected() -> None:
    with pytest.raises(ValueError, match="invalid offsets"):
        span_f1([span(A, "X", 5, 3), span(B, "X", 0, 1)])


@pytest.mark.slow
def test_fast_on_a_large_study() -> None:
    # 4 annotators x 1,000 documents x 30 spans; the bound only catches a quadratic blow-up
    # (about 2 s here on a loaded 2-core machine).
    import time

    rng = random.Random(11)
    spans = []
    for document in range(1, 1001):
        for annotator in (A, B, C, AnnotatorId(4)):
            for k in range(30):
                start = k * 100 + rng.randint(0, 20)
                spans.append(
                    span(annotator, rng.choice("ABCD"), start, start + rng.randint(1, 60), document)
                )
    begin = time.perf_counter()
    report = span_f1(spans)
    elapsed = time.perf_counter() - begin
    assert len(report.pairs) == 6
    assert all(len(pair.per_document) == 1000 for pair in report.pairs)
    assert elapsed < 30
