"""Cross-checks against reference implementations on seeded random tables (to 1e-9).

Oracles (test-only dependencies): scikit-learn ``cohen_kappa_score``, statsmodels
``fleiss_kappa`` + ``aggregate_raters`` and the ``krippendorff`` package with
``level_of_measurement="nominal"`` (its default is *interval*).
"""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from spanlab.core.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha_nominal

CASES = 300
TOLERANCE = 1e-9


def _skewed_choice(rng: random.Random, categories: int) -> int:
    # Skewed category frequencies (like 'O' tokens) make the tests less uniform.
    weights = [1.0 / (k + 1) ** rng.uniform(0, 2) for k in range(categories)]
    return rng.choices(range(categories), weights=weights)[0]


def _agreeing_rater(rng: random.Random, truth: int, categories: int, accuracy: float) -> int:
    return truth if rng.random() < accuracy else _skewed_choice(rng, categories)


@pytest.mark.parametrize("seed", range(CASES))
def test_cohen_kappa_matches_sklearn(seed: int) -> None:
    rng = random.Random(seed)
    categories = rng.randint(2, 6)
    items = rng.randint(1, 120)
    accuracy = rng.random()
    first = [_skewed_choice(rng, categories) for _ in range(items)]
    second = [_agreeing_rater(rng, truth, categories, accuracy) for truth in first]
    ours = cohen_kappa(list(zip(first, second, strict=True)))
    if len(set(first) | set(second)) == 1:
        assert ours.value is None
        return
    expected = cohen_kappa_score(first, second)
    assert ours.value is not None
    assert ours.value == pytest.approx(float(expected), abs=TOLERANCE)


@pytest.mark.parametrize("seed", range(CASES))
def test_fleiss_kappa_matches_statsmodels(seed: int) -> None:
    rng = random.Random(10_000 + seed)
    categories = rng.randint(2, 6)
    raters = rng.randint(2, 7)
    subjects = rng.randint(1, 80)
    accuracy = rng.random()
    data = []
    for _ in range(subjects):
        truth = _skewed_choice(rng, categories)
        data.append([_agreeing_rater(rng, truth, categories, accuracy) for _ in range(raters)])
    ours = fleiss_kappa(data)
    if len({value for row in data for value in row}) == 1:
        assert ours.value is None
        return
    counts, _ = aggregate_raters(np.array(data))
    expected = sm_fleiss_kappa(counts, method="fleiss")
    assert ours.value is not None
    assert ours.value == pytest.approx(float(expected), abs=TOLERANCE)


@pytest.mark.parametrize("seed", range(CASES))
def test_krippendorff_alpha_matches_krippendorff_package(seed: int) -> None:
    rng = random.Random(20_000 + seed)
    categories = rng.randint(2, 6)
    raters = rng.randint(2, 6)
    units = rng.randint(2, 60)
    accuracy = rng.random()
    missing = rng.uniform(0, 0.6)
    table: list[list[int | None]] = []
    for _ in range(units):
        truth = _skewed_choice(rng, categories)
        table.append(
            [
                None
                if rng.random() < missing
                else _agreeing_rater(rng, truth, categories, accuracy)
                for _ in range(raters)
            ]
        )
    ours = krippendorff_alpha_nominal(table)
    pairable = [[v for v in row if v is not None] for row in table]
    pairable = [values for values in pairable if len(values) >= 2]
    if len({v for values in pairable for v in values}) < 2:
        assert ours.value is None
        return
    reliability = np.array(
        [[np.nan if row[r] is None else row[r] for row in table] for r in range(raters)],
        dtype=float,
    )
    expected = krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal")
    assert ours.value is not None
    assert ours.value == pytest.approx(float(expected), abs=TOLERANCE)


def test_two_raters_alpha_is_small_sample_corrected_scott_pi() -> None:
    # On complete two-rater data with n = 2N values: alpha = 1 - (1 - pi)(n - 1) / n,
    # where Fleiss' kappa with two raters is Scott's pi.
    rng = random.Random(7)
    data = [(rng.randint(0, 3), rng.randint(0, 3)) for _ in range(200)]
    pi = fleiss_kappa(data)
    alpha = krippendorff_alpha_nominal(data)
    assert pi.value is not None and alpha.value is not None
    n = 2 * len(data)
    assert alpha.value == pytest.approx(1 - (1 - pi.value) * (n - 1) / n, abs=TOLERANCE)
    assert pi.observed_agreement == pytest.approx(alpha.observed_agreement, abs=TOLERANCE)
