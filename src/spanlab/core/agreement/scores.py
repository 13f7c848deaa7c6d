"""Pairwise F1 (Dice) scores and their mean over annotator pairs.

F1 between annotators a and b is symmetric: ``F1 = 2 credit / (count_a + count_b)``.
Precision and recall take a as the reference: ``P = credit / count_b``,
``R = credit / count_a``.  ``credit`` is the number of matched pairs, except under partial
credit where an overlap-only match counts 0.5 (agreement.md section 2.6).

F1 is not chance-corrected, so these results carry no expected agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from spanlab.core.agreement._common import mean_and_sd, ratio

PARTIAL_CREDIT = Fraction(1, 2)
"""Credit of an overlap-only match under partial credit (GATE "average", SemEval partial)."""


@dataclass(frozen=True, slots=True)
class F1Score:
    """F1, precision and recall of one annotator pair (or one document, label, type)."""

    value: float | None
    reason: str | None
    unit: str
    precision: float | None
    recall: float | None
    credit: float
    exact_matches: int
    partial_matches: int
    count_a: int
    count_b: int
    documents: int


@dataclass(frozen=True, slots=True)
class PairMean:
    """Mean and population standard deviation of a score over annotator pairs.

    Pairs whose score is undefined are left out (``pairs_undefined``); ``sd`` is None with
    fewer than two defined pairs.
    """

    value: float | None
    sd: float | None
    reason: str | None
    unit: str
    pairs: int
    pairs_undefined: int


@dataclass(slots=True)
class Tally:
    """Mutable counts pooled over documents before they become an :class:`F1Score`."""

    exact: int = 0
    partial: int = 0
    count_a: int = 0
    count_b: int = 0
    documents: int = 0

    def add(self, other: Tally) -> None:
        """Pool ``other`` into this tally."""
        self.exact += other.exact
        self.partial += other.partial
        self.count_a += other.count_a
        self.count_b += other.count_b
        self.documents += other.documents

    def score(self, unit: str, *, partial_credit: Fraction = Fraction(1)) -> F1Score:
        """The F1 of these counts; an overlap-only match is worth ``partial_credit``."""
        # Integer arithmetic: scaled = credit * scale (credit may be a half-integer).
        scale = partial_credit.denominator
        scaled = self.exact * scale + partial_credit.numerator * self.partial
        total = self.count_a + self.count_b
        reason = None
        if self.documents == 0:
            reason = "no document to compare"
        elif total == 0:
            reason = f"neither annotator has any {unit}"
        return F1Score(
            value=ratio(2 * scaled, total * scale),
            reason=reason,
            unit=unit,
            precision=ratio(scaled, self.count_b * scale),
            recall=ratio(scaled, self.count_a * scale),
            credit=scaled / scale,
            exact_matches=self.exact,
            partial_matches=self.partial,
            count_a=self.count_a,
            count_b=self.count_b,
            documents=self.documents,
        )


def pair_mean(scores: Sequence[F1Score], unit: str) -> PairMean:
    """Mean +- population SD of the defined scores."""
    values = [score.value for score in scores if score.value is not None]
    mean, sd = mean_and_sd(values)
    reason = None
    if not scores:
        reason = "fewer than two annotators: no pair to compare"
    elif not values:
        reason = f"no pair has any {unit} to compare"
    return PairMean(
        value=mean,
        sd=sd,
        reason=reason,
        unit=unit,
        pairs=len(values),
        pairs_undefined=len(scores) - len(values),
    )
