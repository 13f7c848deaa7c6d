"""Chance-corrected agreement coefficients on generic item x rater tables (nominal data).

A table has one row per item and one column per rater; a cell holds the rater's category
(any hashable value) or ``None`` when the rater gave no value for that item.

* :func:`cohen_kappa` - two raters; items missing either value are left out.
* :func:`fleiss_kappa` - two or more raters, complete data; items with a missing value are
  left out (counted in ``items_excluded``).  Use Krippendorff's alpha when data are missing.
* :func:`krippendorff_alpha_nominal` - any number of raters, missing values allowed; only
  items with at least two values are pairable.

Arithmetic is exact (``fractions.Fraction``) and identical rows are counted once, so large
tables (hundreds of thousands of tokens) stay fast.  An undefined coefficient (no items,
a single category, expected agreement 1) has ``value=None`` and a ``reason``; it is never
reported as 1.0 or 0.0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from spanlab.core.agreement._common import category_order, ratio

Table = Sequence[Sequence[Hashable | None]]
"""Items x raters; ``None`` marks a missing value."""

COHEN_KAPPA: Final = "cohen_kappa"
FLEISS_KAPPA: Final = "fleiss_kappa"
KRIPPENDORFF_ALPHA: Final = "krippendorff_alpha_nominal"


def _no_values() -> Mapping[Hashable, float | None]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class AgreementCoefficient:
    """One chance-corrected coefficient with what it was computed from.

    ``observed_agreement`` and ``expected_agreement`` are p_o/p_e (Cohen), P-bar/P-bar_e
    (Fleiss) or 1 - D_o / 1 - D_e (Krippendorff), so that
    ``value == (observed - expected) / (1 - expected)`` for all three.
    ``specific_agreement`` is the positive specific agreement of each category,
    o_cc / n_c from the coincidence matrix (= 2 n_cc / (n_c. + n_.c) for two raters).
    ``category_kappa`` holds Fleiss' per-category kappa_j (empty for the other coefficients).
    """

    coefficient: str
    value: float | None
    reason: str | None
    unit: str
    observed_agreement: float | None
    expected_agreement: float | None
    items: int
    items_excluded: int
    raters: int
    categories: tuple[Hashable, ...] = ()
    specific_agreement: Mapping[Hashable, float | None] = field(default_factory=_no_values)
    category_kappa: Mapping[Hashable, float | None] = field(default_factory=_no_values)


def _undefined(
    coefficient: str, reason: str, unit: str, *, items: int, excluded: int, raters: int
) -> AgreementCoefficient:
    return AgreementCoefficient(
        coefficient=coefficient,
        value=None,
        reason=reason,
        unit=unit,
        observed_agreement=None,
        expected_agreement=None,
        items=items,
        items_excluded=excluded,
        raters=raters,
    )


def _row_patterns(table: Table) -> Counter[tuple[Hashable | None, ...]]:
    """Distinct rows with their multiplicity (tables repeat few distinct rows)."""
    return Counter(map(tuple, table))


def _chance_corrected(observed: Fraction, expected: Fraction) -> float:
    return float((observed - expected) / (1 - expected))


def cohen_kappa(table: Table, *, unit: str = "items") -> AgreementCoefficient:
    """Cohen's kappa for two raters (every row has exactly two cells).

    p_o = sum_c n_cc / N, p_e = sum_c (n_c. / N)(n_.c / N), kappa = (p_o - p_e) / (1 - p_e).
    Undefined (``None``) without items or when p_e = 1 (both raters used one same category).
    """
    patterns: Counter[tuple[Hashable, Hashable]] = Counter()
    excluded = 0
    for row, count in _row_patterns(table).items():
        if len(row) != 2:
            raise ValueError(f"Cohen's kappa needs exactly two raters per item, got {len(row)}")
        first, second = row
        if first is None or second is None:
            excluded += count
            continue
        patterns[(first, second)] += count
    total = sum(patterns.values())
    if total == 0:
        return _undefined(
            COHEN_KAPPA,
            "no item has a value from both raters",
            unit,
            items=0,
            excluded=excluded,
            raters=2,
        )
    rows: Counter[Hashable] = Counter()
    columns: Counter[Hashable] = Counter()
    diagonal: Counter[Hashable] = Counter()
    for (first, second), count in patterns.items():
        rows[first] += count
        columns[second] += count
        if first == second:
            diagonal[first] += count
    categories = category_order([*rows, *columns])
    observed = Fraction(sum(diagonal.values()), total)
    expected = Fraction(sum(rows[c] * columns[c] for c in rows), total * total)
    specific = MappingProxyType(
        {c: ratio(2 * diagonal[c], rows[c] + columns[c]) for c in categories}
    )
    value: float | None = None
    reason: str | None = None
    if expected == 1:
        reason = (
            "both raters used a single, same category: chance agreement is 1 and kappa is undefined"
        )
    else:
        value = _chance_corrected(observed, expected)
    return AgreementCoefficient(
        coefficient=COHEN_KAPPA,
        value=value,
        reason=reason,
        unit=unit,
        observed_agreement=float(observed),
        expected_agreement=float(expected),
        items=total,
        items_excluded=excluded,
        raters=2,
        categories=categories,
        specific_agreement=specific,
    )


def fleiss_kappa(table: Table, *, unit: str = "items") -> AgreementCoefficient:
    """Fleiss' kappa (multi-rater Scott's pi) for complete data.

    Every row must have the same number of cells m (the raters); rows with a ``None`` are
    left out and counted in ``items_excluded``.  Also returns kappa_j per category.
    Undefined with fewer than two raters, no complete item, or a single category.
    """
    patterns: Counter[tuple[Hashable | None, ...]] = Counter()
    width: int | None = None
    excluded = 0
    for row, count in _row_patterns(table).items():
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise ValueError(
                f"Fleiss' kappa needs the same raters for every item (rows of {width} and "
                f"{len(row)} cells)"
            )
        if None in row:
            excluded += count
            continue
        patterns[row] += count
    raters = width or 0
    subjects = sum(patterns.values())
    if raters < 2:
        return _undefined(
            FLEISS_KAPPA,
            "fewer than two raters",
            unit,
            items=subjects,
            excluded=excluded,
            raters=raters,
        )
    if subjects == 0:
        return _undefined(
            FLEISS_KAPPA,
            "no item has a value from every rater",
            unit,
            items=0,
            excluded=excluded,
            raters=raters,
        )
    agreeing_pairs = 0
    totals: Counter[Hashable] = Counter()
    disagreement: Counter[Hashable] = Counter()
    same_pairs: Counter[Hashable] = Counter()
    for pattern, count in patterns.items():
        for category, n in Counter(pattern).items():
            assert category is not None
            agreeing_pairs += count * n * (n - 1)
            totals[category] += count * n
            disagreement[category] += count * n * (raters - n)
            same_pairs[category] += count * n * (n - 1)
    ratings = subjects * raters
    pair_total = subjects * raters * (raters - 1)
    observed = Fraction(agreeing_pairs, pair_total)
    shares = {c: Fraction(totals[c], ratings) for c in totals}
    expected = sum((p * p for p in shares.values()), Fraction(0))
    categories = category_order(totals)
    category_kappa: dict[Hashable, float | None] = {}
    for category in categories:
        p = shares[category]
        spread = p * (1 - p)
        category_kappa[category] = (
            None
            if spread == 0
            else float(1 - Fraction(disagreement[category], pair_total) / spread)
        )
    specific = {c: ratio(same_pairs[c], (raters - 1) * totals[c]) for c in categories}
    value: float | None = None
    reason: str | None = None
    if expected == 1:
        reason = "every rating is in one category: chance agreement is 1 and kappa is undefined"
    else:
        value = _chance_corrected(observed, expected)
    return AgreementCoefficient(
        coefficient=FLEISS_KAPPA,
        value=value,
        reason=reason,
        unit=unit,
        observed_agreement=float(observed),
        expected_agreement=float(expected),
        items=subjects,
        items_excluded=excluded,
        raters=raters,
        categories=categories,
        specific_agreement=MappingProxyType(specific),
        category_kappa=MappingProxyType(category_kappa),
    )


def krippendorff_alpha_nominal(table: Table, *, unit: str = "items") -> AgreementCoefficient:
    """Krippendorff's alpha with the nominal metric; ``None`` cells are missing values.

    Items with fewer than two values are not pairable and are left out.  With the
    coincidence matrix o_ck and n_c = sum_k o_ck, n = sum_c n_c:
    D_o = (1/n) sum_{c != k} o_ck, D_e = (n^2 - sum_c n_c^2) / (n (n - 1)),
    alpha = 1 - D_o / D_e.  Undefined when nothing is pairable or D_e = 0 (one category).
    ``observed_agreement`` is 1 - D_o and ``expected_agreement`` is 1 - D_e.
    """
    patterns: Counter[tuple[Hashable, ...]] = Counter()
    raters = 0
    for row, count in _row_patterns(table).items():
        raters = max(raters, len(row))
        patterns[tuple(value for value in row if value is not None)] += count
    excluded = 0
    items = 0
    disagreeing_by_size: Counter[int] = Counter()
    same_by_size: dict[Hashable, Counter[int]] = {}
    totals: Counter[Hashable] = Counter()
    for values, count in patterns.items():
        size = len(values)
        if size < 2:
            excluded += count
            continue
        items += count
        counts = Counter(values)
        disagreeing_by_size[size] += count * (size * size - sum(n * n for n in counts.values()))
        for category, n in counts.items():
            totals[category] += count * n
            same_by_size.setdefault(category, Counter())[size] += count * n * (n - 1)
    pairable = sum(totals.values())
    if pairable == 0:
        return _undefined(
            KRIPPENDORFF_ALPHA,
            "no pairable item (an item needs values from at least two raters)",
            unit,
            items=0,
            excluded=excluded,
            raters=raters,
        )
    observed_disagreement = (
        sum(
            (Fraction(pairs, size - 1) for size, pairs in disagreeing_by_size.items()),
            Fraction(0),
        )
        / pairable
    )
    expected_disagreement = Fraction(
        pairable * pairable - sum(n * n for n in totals.values()),
        pairable * (pairable - 1),
    )
    categories = category_order(totals)
    specific: dict[Hashable, float | None] = {}
    for category in categories:
        coincidences = sum(
            (Fraction(pairs, size - 1) for size, pairs in same_by_size[category].items()),
            Fraction(0),
        )
        specific[category] = ratio(coincidences, totals[category])
    value: float | None = None
    reason: str | None = None
    if expected_disagreement == 0:
        reason = (
            "every pairable value is in one category: expected disagreement is 0 and alpha "
            "is undefined"
        )
    else:
        value = float(1 - observed_disagreement / expected_disagreement)
    return AgreementCoefficient(
        coefficient=KRIPPENDORFF_ALPHA,
        value=value,
        reason=reason,
        unit=unit,
        observed_agreement=float(1 - observed_disagreement),
        expected_agreement=float(1 - expected_disagreement),
        items=items,
        items_excluded=excluded,
        raters=raters,
        categories=categories,
        specific_agreement=MappingProxyType(specific),
    )
