"""Krippendorff's unitizing alpha (alpha_U; Krippendorff 1995, 2004), agreement.md 2.5.

A continuum ``[B, B + L)`` of character positions is segmented by each of R raters, for
each category c, into units of c and gaps (everything else).  With delta^2 between
intersecting segments g (rater i) and h (rater j):

* both units and overlapping: ``(b_g - b_h)^2 + (e_g - e_h)^2``;
* a unit inside a gap of the other rater: the unit's length squared;
* otherwise 0,

``D_o(c) = 2 / (R (R - 1) L^2) * sum_{i<j} sum_{g, h intersecting} delta^2(g, h)`` and
``D_e(c)`` is agreement.md's expected disagreement over all units and gaps of c.
``alpha_U(c) = 1 - D_o(c) / D_e(c)`` and the overall
``alpha_U = 1 - mean_c D_o(c) / mean_c D_e(c)`` (not the mean of the per-category values).

Decisions where agreement.md leaves a choice:

* **Continuum**: :func:`unitizing_alpha` concatenates the used documents in ascending id
  order into one continuum (units never cross a document boundary; a gap at the end of one
  document joins the gap at the start of the next).  ``per_document=True`` also computes
  one alpha_U per document (each document its own continuum) for diagnosis.
* **Documents**: every rater must segment the whole continuum, so only documents every
  annotator finished are used.
* **Zero-length units** carry no weight and are ignored (``zero_length_ignored``); a study
  whose units are all zero-length is therefore undefined (``None``), not DKPro's 0.0.
* **Overlapping units of one category by one rater** (not allowed by alpha_U): the longest
  is kept (ties: the earlier start) and units overlapping an already kept one are dropped
  (``overlapping_dropped``).  Exact duplicates count once.
* **Undefined values**: fewer than two raters, an empty continuum, no units, or
  ``D_e = 0`` give ``value=None`` with a reason.  When ``D_o = D_e > 0`` the value is 0.0.

Arithmetic is exact (integers and fractions); the expected disagreement uses sorted gap
lengths with prefix sums, so 4 raters x 1,000 documents x 30 spans takes well under a second.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import accumulate
from types import MappingProxyType
from typing import NamedTuple

from spanlab.core.agreement._common import (
    CompletedDocuments,
    check_span,
    documents_for,
    resolve_annotators,
)
from spanlab.core.model import AnnotatorId, DocumentId, Span

UNIT = "characters"


class ContinuumUnit(NamedTuple):
    """A unit on a continuum: ``[begin, begin + length)`` coded ``label`` by ``rater``."""

    rater: Hashable
    begin: int
    length: int
    label: str


@dataclass(frozen=True, slots=True)
class UnitizingCategory:
    """alpha_U of one category (label)."""

    label: str
    value: float | None
    reason: str | None
    observed_disagreement: float
    expected_disagreement: float
    units: int


@dataclass(frozen=True, slots=True)
class UnitizingAlpha:
    """Overall alpha_U with its per-label breakdown.

    ``observed_disagreement`` / ``expected_disagreement`` are the means over labels of
    D_o(c) and D_e(c) (alpha_U's disagreements are not bounded by 1, so no "agreement"
    counterpart is given).
    """

    value: float | None
    reason: str | None
    unit: str
    observed_disagreement: float | None
    expected_disagreement: float | None
    per_label: Mapping[str, UnitizingCategory]
    raters: int
    continuum_length: int
    units: int
    documents_used: int
    documents_total: int
    zero_length_ignored: int
    overlapping_dropped: int
    per_document: Mapping[DocumentId, UnitizingAlpha] = field(
        default_factory=lambda: MappingProxyType({})
    )


def unitizing_alpha(
    spans: Iterable[Span],
    document_lengths: Mapping[DocumentId, int],
    *,
    annotators: Sequence[AnnotatorId] | None = None,
    completed: CompletedDocuments | None = None,
    labels: Collection[str] | None = None,
    per_document: bool = False,
) -> UnitizingAlpha:
    """alpha_U over the documents of ``document_lengths`` (lengths in code points).

    Spans of other documents or annotators are ignored.  ``labels`` restricts (or extends)
    the categories evaluated; by default every label used.  A span beyond its document's
    length raises ``ValueError``.
    """
    span_list = list(spans)
    raters = resolve_annotators(span_list, annotators)
    used = documents_for(raters, sorted(document_lengths), completed)
    offsets: dict[DocumentId, int] = {}
    position = 0
    for document in used:
        length = document_lengths[document]
        if length < 0:
            raise ValueError(f"document {document} has a negative length {length}")
        offsets[document] = position
        position += length
    wanted = set(raters)
    units: list[ContinuumUnit] = []
    by_document: dict[DocumentId, list[ContinuumUnit]] = {document: [] for document in used}
    for span in span_list:
        if span.annotator_id not in wanted or span.document_id not in offsets:
            continue
        check_span(span)
        if span.end > document_lengths[span.document_id]:
            raise ValueError(
                f"span {span.id} ends at {span.end}, beyond the length "
                f"{document_lengths[span.document_id]} of document {span.document_id}"
            )
        units.append(
            ContinuumUnit(
                span.annotator_id,
                offsets[span.document_id] + span.start,
                span.end - span.start,
                span.label,
            )
        )
        if per_document:
            by_document[span.document_id].append(
                ContinuumUnit(span.annotator_id, span.start, span.end - span.start, span.label)
            )
    result = unitizing_alpha_continuum(
        units, begin=0, length=position, raters=raters, labels=labels
    )
    details: dict[DocumentId, UnitizingAlpha] = {}
    if per_document:
        for document in used:
            details[document] = _with_documents(
                unitizing_alpha_continuum(
                    by_document[document],
                    begin=0,
                    length=document_lengths[document],
                    raters=raters,
                    labels=labels,
                ),
                used=1,
                total=1,
            )
    return _with_documents(
        result, used=len(used), total=len(document_lengths), per_document=details
    )


def _with_documents(
    result: UnitizingAlpha,
    *,
    used: int,
    total: int,
    per_document: Mapping[DocumentId, UnitizingAlpha] | None = None,
) -> UnitizingAlpha:
    return UnitizingAlpha(
        value=result.value,
        reason=result.reason,
        unit=result.unit,
        observed_disagreement=result.observed_disagreement,
        expected_disagreement=result.expected_disagreement,
        per_label=result.per_label,
        raters=result.raters,
        continuum_length=result.continuum_length,
        units=result.units,
        documents_used=used,
        documents_total=total,
        zero_length_ignored=result.zero_length_ignored,
        overlapping_dropped=result.overlapping_dropped,
        per_document=MappingProxyType(dict(per_document or {})),
    )


def unitizing_alpha_continuum(
    units: Iterable[ContinuumUnit],
    *,
    begin: int,
    length: int,
    raters: Sequence[Hashable],
    labels: Collection[str] | None = None,
) -> UnitizingAlpha:
    """alpha_U of one continuum ``[begin, begin + length)`` (DKPro's unitizing study).

    ``raters`` lists every rater, including raters without units; units of other raters
    raise ``ValueError``, as do units outside the continuum.
    """
    rater_index = {rater: k for k, rater in enumerate(dict.fromkeys(raters))}
    count = len(rater_index)
    end = begin + length
    zero_length = 0
    grouped: dict[str, list[set[tuple[int, int]]]] = {}
    for unit in units:
        if unit.rater not in rater_index:
            raise ValueError(f"unit {unit} belongs to no listed rater")
        if unit.length < 0 or unit.begin < begin or unit.begin + unit.length > end:
            raise ValueError(f"unit {unit} lies outside the continuum [{begin}, {end})")
        if unit.length == 0:
            zero_length += 1
            continue
        per_rater = grouped.setdefault(unit.label, [set() for _ in range(count)])
        per_rater[rater_index[unit.rater]].add((unit.begin, unit.begin + unit.length))
    categories = sorted(grouped if labels is None else set(labels))
    dropped = 0
    segmented: dict[str, list[list[tuple[int, int]]]] = {}
    for label in categories:
        cleaned: list[list[tuple[int, int]]] = []
        for rater_units in grouped.get(label, [set() for _ in range(count)]):
            kept, lost = _non_overlapping(rater_units)
            dropped += lost
            cleaned.append(kept)
        segmented[label] = cleaned
    total_units = sum(len(kept) for per_rater in segmented.values() for kept in per_rater)

    def undefined(reason: str) -> UnitizingAlpha:
        return UnitizingAlpha(
            value=None,
            reason=reason,
            unit=UNIT,
            observed_disagreement=None,
            expected_disagreement=None,
            per_label=MappingProxyType({}),
            raters=count,
            continuum_length=length,
            units=total_units,
            documents_used=0,
            documents_total=0,
            zero_length_ignored=zero_length,
            overlapping_dropped=dropped,
        )

    if count < 2:
        return undefined("fewer than two raters")
    if length <= 0:
        return undefined("the continuum is empty")
    if total_units == 0:
        return undefined("no unit of positive length: expected disagreement is 0")

    per_label: dict[str, UnitizingCategory] = {}
    observed_sum = Fraction(0)
    expected_sum = Fraction(0)
    for label in categories:
        segments = segmented[label]
        observed = _observed(segments, begin, length)
        expected = _expected(segments, begin, length)
        observed_sum += observed
        expected_sum += expected
        n_units = sum(len(kept) for kept in segments)
        value: float | None
        if expected == 0:
            value = None
            reason: str | None = "no unit of this label: expected disagreement is 0"
        else:
            value = float(1 - observed / expected)
            reason = None
        per_label[label] = UnitizingCategory(
            label=label,
            value=value,
            reason=reason,
            observed_disagreement=float(observed),
            expected_disagreement=float(expected),
            units=n_units,
        )
    if expected_sum == 0:
        return undefined("no unit of the evaluated labels: expected disagreement is 0")
    categories_count = len(categories)
    return UnitizingAlpha(
        value=float(1 - observed_sum / expected_sum),
        reason=None,
        unit=UNIT,
        observed_disagreement=float(observed_sum / categories_count),
        expected_disagreement=float(expected_sum / categories_count),
        per_label=MappingProxyType(per_label),
        raters=count,
        continuum_length=length,
        units=total_units,
        documents_used=0,
        documents_total=0,
        zero_length_ignored=zero_length,
        overlapping_dropped=dropped,
    )


def _non_overlapping(units: set[tuple[int, int]]) -> tuple[list[tuple[int, int]], int]:
    """Keep the longest units first, drop those overlapping a kept one; sorted output."""
    if not units:
        return [], 0
    ordered = sorted(units)
    if all(ordered[k][1] <= ordered[k + 1][0] for k in range(len(ordered) - 1)):
        return ordered, 0
    kept: list[tuple[int, int]] = []
    starts: list[int] = []
    for start, stop in sorted(units, key=lambda u: (u[0] - u[1], u[0])):
        k = bisect_left(starts, start)
        clash = (k > 0 and kept[k - 1][1] > start) or (k < len(kept) and kept[k][0] < stop)
        if not clash:
            kept.insert(k, (start, stop))
            starts.insert(k, start)
    return kept, len(units) - len(kept)


def _segments(
    units: Sequence[tuple[int, int]], begin: int, length: int
) -> list[tuple[int, int, bool]]:
    """The rater's segmentation of the continuum: (start, end, is_unit), gaps included."""
    segments: list[tuple[int, int, bool]] = []
    position = begin
    for start, stop in units:
        if start > position:
            segments.append((position, start, False))
        segments.append((start, stop, True))
        position = stop
    if position < begin + length:
        segments.append((position, begin + length, False))
    return segments


def _distance(first: tuple[int, int, bool], second: tuple[int, int, bool]) -> int:
    """delta^2 of two intersecting segments (agreement.md 2.5)."""
    b1, e1, unit1 = first
    b2, e2, unit2 = second
    if unit1 and unit2:
        return (b1 - b2) ** 2 + (e1 - e2) ** 2
    if unit1 and not unit2 and b2 <= b1 and e1 <= e2:
        return (e1 - b1) ** 2
    if unit2 and not unit1 and b1 <= b2 and e2 <= e1:
        return (e2 - b2) ** 2
    return 0


def _observed(per_rater: Sequence[Sequence[tuple[int, int]]], begin: int, length: int) -> Fraction:
    segmentations = [_segments(units, begin, length) for units in per_rater]
    raters = len(segmentations)
    total = 0
    for i in range(raters):
        for j in range(i + 1, raters):
            first, second = segmentations[i], segmentations[j]
            p = q = 0
            while p < len(first) and q < len(second):
                total += _distance(first[p], second[q])
                end_first, end_second = first[p][1], second[q][1]
                if end_first <= end_second:
                    p += 1
                if end_second <= end_first:
                    q += 1
    return Fraction(2 * total, raters * (raters - 1) * length * length)


def _expected(per_rater: Sequence[Sequence[tuple[int, int]]], begin: int, length: int) -> Fraction:
    lengths = [stop - start for units in per_rater for start, stop in units]
    if not lengths:
        return Fraction(0)
    gaps = sorted(
        stop - start
        for units in per_rater
        for start, stop, is_unit in _segments(units, begin, length)
        if not is_unit
    )
    # suffix[k] = sum of gaps[k:], so the gaps at least l long are gaps[bisect_left(l):].
    suffix = [*accumulate(reversed(gaps), initial=0)][::-1]
    n_units = len(lengths)
    numerator = 0
    for size in lengths:
        # (N_c - 1)(2 l^3 - 3 l^2 + l) / 3 is an integer: l (l - 1)(2 l - 1) is divisible by 6.
        numerator += (n_units - 1) * size * (size - 1) * (2 * size - 1) // 3
        k = bisect_left(gaps, size)
        longer = len(gaps) - k
        numerator += size * size * (suffix[k] - longer * (size - 1))
    raters = len(per_rater)
    denominator = raters * length * (raters * length - 1) - sum(
        size * (size - 1) for size in lengths
    )
    return Fraction(2 * numerator, length * denominator)
