"""Krippendorff's alpha_U: published examples (agreement.md 4.5, 4.6) and edge cases."""

from __future__ import annotations

import pytest

from spanlab.core.agreement import (
    ContinuumUnit,
    unitizing_alpha,
    unitizing_alpha_continuum,
)
from spanlab.core.agreement.unitizing import _distance
from spanlab.core.model import AnnotatorId, DocumentId, Span, SpanId

A1, A2, A3 = AnnotatorId(1), AnnotatorId(2), AnnotatorId(3)
_ids = iter(range(1, 1_000_000))


def span(annotator: AnnotatorId, label: str, start: int, end: int, document: int = 1) -> Span:
    return Span(SpanId(next(_ids)), DocumentId(document), annotator, label, start, end, "")


def units(*spec: tuple[int, int, int, str]) -> list[ContinuumUnit]:
    """DKPro order: (offset, length, rater, category)."""
    return [ContinuumUnit(rater, offset, length, label) for offset, length, rater, label in spec]


def segment(begin: int, length: int, label: str | None) -> tuple[int, int, bool]:
    return (begin, begin + length, label is not None)


# ------------------------------------------------------------- distance (4.5)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ((0, 1, None), (0, 2, None), 0),
        ((1, 8, "A"), (0, 2, None), 0),
        ((1, 8, "A"), (2, 1, "A"), 37),
        ((1, 8, "A"), (4, 1, "A"), 25),
        ((1, 8, "A"), (6, 1, "A"), 29),
        ((1, 8, "A"), (3, 1, None), 0),
        ((1, 8, "A"), (7, 4, None), 0),
        ((5, 6, "X"), (4, 2, "X"), 26),
        ((5, 6, "X"), (5, 2, "X"), 16),
        ((5, 6, "X"), (6, 2, "X"), 10),
        ((5, 6, "X"), (7, 2, "X"), 8),
        ((5, 6, "X"), (6, 4, "X"), 2),
        ((5, 6, "X"), (5, 6, "X"), 0),
        ((225, 70, "c"), (220, 80, "c"), 50),
        ((370, 30, "c"), (355, 20, "c"), 850),
        ((400, 50, None), (400, 20, "c"), 400),
    ],
)
def test_distance_function(
    first: tuple[int, int, str | None], second: tuple[int, int, str | None], expected: int
) -> None:
    assert _distance(segment(*first), segment(*second)) == expected
    assert _distance(segment(*second), segment(*first)) == expected


def test_distance_sum_example() -> None:
    total = _distance(segment(2, 3, None), segment(2, 2, "X")) + _distance(
        segment(5, 6, "X"), segment(4, 7, None)
    )
    assert total == 40


# ------------------------------------------------------------ worked examples (4.6)


def test_krippendorff_2004_p254() -> None:
    result = unitizing_alpha_continuum(
        units(
            (225, 70, 0, "c"),
            (370, 30, 0, "c"),
            (180, 60, 0, "k"),
            (300, 50, 0, "k"),
            (220, 80, 1, "c"),
            (355, 20, 1, "c"),
            (400, 20, 1, "c"),
            (180, 60, 1, "k"),
            (300, 50, 1, "k"),
        ),
        begin=150,
        length=300,
        raters=[0, 1],
    )
    assert result.value == pytest.approx(0.8591, abs=0.0005)
    assert result.value == pytest.approx(0.858665, abs=1e-6)  # independent re-derivation
    c, k = result.per_label["c"], result.per_label["k"]
    assert c.observed_disagreement == pytest.approx(0.0144, abs=0.0001)
    assert c.expected_disagreement == pytest.approx(0.0532, abs=0.0001)
    assert c.value == pytest.approx(0.7286, abs=0.0001)
    assert k.observed_disagreement == pytest.approx(0.0, abs=0.0001)
    assert k.expected_disagreement == pytest.approx(0.0490, abs=0.0001)
    assert k.value == pytest.approx(1.0, abs=0.0001)
    # Overall is 1 - mean D_o / mean D_e, not the mean of the per-label values.
    assert result.value != pytest.approx((c.value + k.value) / 2, abs=1e-3)
    assert result.unit == "characters"
    assert result.units == 9
    assert result.raters == 2


def test_dkpro_simple_example() -> None:
    result = unitizing_alpha_continuum(
        units((1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A")),
        begin=0,
        length=10,
        raters=[0, 1],
    )
    category = result.per_label["A"]
    assert category.observed_disagreement == pytest.approx(0.9100, abs=0.0001)
    assert category.expected_disagreement == pytest.approx(0.5351, abs=0.0001)
    assert category.value == pytest.approx(-0.7003, abs=0.0001)
    assert result.value == pytest.approx(-0.7003, abs=0.0001)


KRIPPENDORFF_1995 = {
    "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)]),
    "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]),
    "C": ([(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]),
    "D": (
        [(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)],
        [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)],
    ),
}


def _krippendorff_1995(stretch: int) -> dict[str, tuple[float, float, float | None]]:
    spec = [
        ContinuumUnit(rater, offset * stretch, length * stretch, label)
        for label, per_rater in KRIPPENDORFF_1995.items()
        for rater, rater_units in enumerate(per_rater)
        for offset, length in rater_units
    ]
    result = unitizing_alpha_continuum(spec, begin=0, length=24 * stretch, raters=[0, 1])
    return {
        label: (c.observed_disagreement, c.expected_disagreement, c.value)
        for label, c in result.per_label.items()
    }


def test_krippendorff_1995_observed_disagreement() -> None:
    values = _krippendorff_1995(1)
    expected = {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}
    for label, observed in expected.items():
        assert values[label][0] == pytest.approx(observed, abs=0.00001)


def test_krippendorff_1995_stretched() -> None:
    values = _krippendorff_1995(50_000)
    expected_de = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    expected_alpha = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for label in expected_de:
        _observed, expected, alpha = values[label]
        assert expected == pytest.approx(expected_de[label], abs=0.005)
        assert alpha == pytest.approx(expected_alpha[label], abs=0.02)


# ------------------------------------------------------------ edge cases (4.5)


def test_single_unit_of_one_rater_out_of_three() -> None:
    result = unitizing_alpha_continuum(units((0, 1, 0, "A")), begin=0, length=20, raters=[0, 1, 2])
    assert result.value == pytest.approx(0.0, abs=1e-12)
    assert result.reason is None


def test_empty_study_is_undefined() -> None:
    result = unitizing_alpha_continuum([], begin=0, length=20, raters=[0, 1, 2])
    assert result.value is None
    assert result.reason  # DKPro reports NaN


@pytest.mark.parametrize("labels", [("A", "B"), ("A", "A")])
def test_zero_length_units_only_are_undefined(labels: tuple[str, str]) -> None:
    # DKPro returns 0.0 here (dkpro-statistics#58, D_o = D_e = 0); zero-length units carry
    # no weight, so we report "undefined" rather than a misleading 0.0.
    result = unitizing_alpha_continuum(
        units((0, 0, 0, labels[0]), (0, 0, 1, labels[1])), begin=0, length=15, raters=[0, 1]
    )
    assert result.value is None
    assert result.reason and "positive length" in result.reason
    assert result.zero_length_ignored == 2


def test_zero_length_unit_does_not_spoil_agreement() -> None:
    result = unitizing_alpha_continuum(
        units((0, 0, 0, "A"), (2, 5, 0, "A"), (2, 5, 1, "A")), begin=0, length=15, raters=[0, 1]
    )
    assert result.per_label["A"].observed_disagreement == 0
    assert result.per_label["A"].expected_disagreement > 0
    assert result.value == 1.0
    assert result.zero_length_ignored == 1


def test_one_rater_is_undefined() -> None:
    result = unitizing_alpha_continuum(units((0, 3, 0, "A")), begin=0, length=10, raters=[0])
    assert result.value is None
    assert result.reason == "fewer than two raters"


def test_label_nobody_used_is_undefined_but_does_not_change_overall() -> None:
    spec = units((1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A"))
    plain = unitizing_alpha_continuum(spec, begin=0, length=10, raters=[0, 1])
    extended = unitizing_alpha_continuum(
        spec, begin=0, length=10, raters=[0, 1], labels=["A", "UNUSED"]
    )
    assert extended.per_label["UNUSED"].value is None
    assert extended.value == pytest.approx(plain.value)


def test_units_outside_the_continuum_or_of_unknown_raters_are_rejected() -> None:
    with pytest.raises(ValueError, match="outside"):
        unitizing_alpha_continuum(units((8, 5, 0, "A")), begin=0, length=10, raters=[0, 1])
    with pytest.raises(ValueError, match="no listed rater"):
        unitizing_alpha_continuum(units((0, 5, 9, "A")), begin=0, length=10, raters=[0, 1])


# ------------------------------------------------------------ from spans


def test_identical_annotations_score_one() -> None:
    spans = [
        span(a, label, s, e) for a in (A1, A2, A3) for label, s, e in [("X", 0, 5), ("Y", 8, 9)]
    ]
    result = unitizing_alpha(spans, {DocumentId(1): 20})
    assert result.value == pytest.approx(1.0)
    assert all(c.value == pytest.approx(1.0) for c in result.per_label.values())
    assert result.documents_used == 1


def test_disjoint_annotations_disagree() -> None:
    spans = [span(A1, "X", 0, 5), span(A2, "X", 10, 15)]
    result = unitizing_alpha(spans, {DocumentId(1): 20})
    assert result.value is not None and result.value < 0


def test_no_spans_is_undefined() -> None:
    result = unitizing_alpha([], {DocumentId(1): 20}, annotators=[A1, A2])
    assert result.value is None
    assert result.reason
    assert result.documents_used == 1


def test_documents_are_concatenated_in_id_order() -> None:
    spans = [
        span(A1, "X", 0, 3, document=2),
        span(A2, "X", 1, 3, document=2),
        span(A1, "X", 5, 9, document=1),
        span(A2, "X", 5, 9, document=1),
    ]
    result = unitizing_alpha(spans, {DocumentId(1): 10, DocumentId(2): 10})
    # The same study written as one continuum: document 1 first, then document 2 at 10.
    manual = unitizing_alpha_continuum(
        units((5, 4, 1, "X"), (5, 4, 2, "X"), (10, 3, 1, "X"), (11, 2, 2, "X")),
        begin=0,
        length=20,
        raters=[1, 2],
    )
    assert result.value == pytest.approx(manual.value)
    assert result.continuum_length == 20
    assert result.documents_used == 2
    assert result.per_document == {}


def test_per_document_values() -> None:
    spans = [
        span(A1, "X", 0, 3, document=1),
        span(A2, "X", 0, 3, document=1),
        span(A1, "X", 0, 3, document=2),
        span(A2, "X", 5, 8, document=2),
    ]
    result = unitizing_alpha(spans, {DocumentId(1): 10, DocumentId(2): 10}, per_document=True)
    assert result.per_document[DocumentId(1)].value == pytest.approx(1.0)
    second = result.per_document[DocumentId(2)].value
    assert second is not None and second < 0
    assert result.per_document[DocumentId(1)].documents_used == 1


def test_only_documents_finished_by_everyone() -> None:
    spans = [
        span(A1, "X", 0, 3, document=1),
        span(A2, "X", 0, 3, document=1),
        span(A1, "X", 0, 3, document=2),
    ]
    result = unitizing_alpha(
        spans,
        {DocumentId(1): 10, DocumentId(2): 10},
        completed={A1: {DocumentId(1), DocumentId(2)}, A2: {DocumentId(1)}},
    )
    assert result.documents_used == 1
    assert result.documents_total == 2
    assert result.value == pytest.approx(1.0)


def test_overlapping_units_of_one_rater_keep_the_longest() -> None:
    spans = [
        span(A1, "X", 0, 10),
        span(A1, "X", 2, 4),  # nested: dropped
        span(A1, "X", 8, 12),  # crossing: dropped
        span(A1, "X", 0, 10),  # duplicate: counts once
        span(A2, "X", 0, 10),
    ]
    result = unitizing_alpha(spans, {DocumentId(1): 20})
    assert result.overlapping_dropped == 2
    assert result.value == pytest.approx(1.0)


def test_span_beyond_document_is_rejected() -> None:
    with pytest.raises(ValueError, match="beyond the length"):
        unitizing_alpha([span(A1, "X", 5, 25), span(A2, "X", 0, 1)], {DocumentId(1): 20})


@pytest.mark.slow
def test_fast_on_a_large_study() -> None:
    # 4 annotators x 1,000 documents x 30 spans; the bound only catches a quadratic blow-up
    # (about 2 s here on a loaded 2-core machine).
    import random
    import time

    rng = random.Random(3)
    spans = []
    lengths = {}
    for document in range(1, 1001):
        lengths[DocumentId(document)] = 3000
        for annotator in (A1, A2, A3, AnnotatorId(4)):
            for k in range(30):
                start = k * 100 + rng.randint(0, 20)
                spans.append(
                    span(annotator, rng.choice("ABCD"), start, start + rng.randint(1, 60), document)
                )
    begin = time.perf_counter()
    result = unitizing_alpha(spans, lengths)
    elapsed = time.perf_counter() - begin
    assert result.value is not None
    assert result.units == len(spans)
    assert elapsed < 30
