"""Published worked examples (agreement.md section 4) and edge cases for the coefficients."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pytest

from spanlab.core.agreement import (
    COHEN_KAPPA,
    FLEISS_KAPPA,
    KRIPPENDORFF_ALPHA,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
)

Row = tuple[Hashable | None, ...]


def from_matrix(matrix: Sequence[Sequence[int]]) -> list[Row]:
    """Items of a rater-1 (rows) x rater-2 (columns) contingency table."""
    return [
        (r, c) for r, row in enumerate(matrix) for c, count in enumerate(row) for _ in range(count)
    ]


def from_pairs(pairs: Sequence[tuple[str, str, int]]) -> list[Row]:
    return [(first, second) for first, second, count in pairs for _ in range(count)]


def from_coders(*coders: str) -> list[Row]:
    """Items from one string per coder; '.' is missing; tokens are space separated."""
    columns = [coder.split() for coder in coders]
    return [
        tuple(None if value == "." else value for value in item)
        for item in zip(*columns, strict=True)
    ]


def from_units(block: str) -> list[Row]:
    """Items from '|'-separated units of space-separated values ('.' = missing)."""
    rows: list[Row] = []
    for line in block.strip().splitlines():
        for unit in line.split("|"):
            rows.append(tuple(None if v == "." else v for v in unit.split()))
    return rows


def from_counts(counts: Sequence[Sequence[int]]) -> list[Row]:
    """Subjects x categories counts -> one row of category labels per subject."""
    return [tuple(category for category, n in enumerate(row) for _ in range(n)) for row in counts]


# ---------------------------------------------------------------- Cohen's kappa (4.1)


def test_cohen_wikipedia_simple_example() -> None:
    result = cohen_kappa(from_matrix([[20, 5], [10, 15]]))
    assert result.coefficient == COHEN_KAPPA
    assert result.value == pytest.approx(0.4, abs=1e-12)
    assert result.observed_agreement == pytest.approx(0.70)
    assert result.expected_agreement == pytest.approx(0.50)
    assert result.items == 50
    assert result.unit == "items"


def test_cohen_1960_example_2() -> None:
    result = cohen_kappa(from_matrix([[88, 14, 18], [10, 40, 10], [2, 6, 12]]))
    assert result.value == pytest.approx(0.492, abs=0.001)
    assert result.value == pytest.approx(0.491525, abs=1e-6)
    assert result.observed_agreement == pytest.approx(0.70, abs=0.01)
    assert result.expected_agreement == pytest.approx(0.41, abs=0.01)


def test_cohen_1960_example_1() -> None:
    result = cohen_kappa(from_matrix([[25, 12, 3], [13, 2, 15], [12, 16, 2]]))
    assert result.observed_agreement == pytest.approx(0.29, abs=0.01)
    assert result.expected_agreement == pytest.approx(0.35, abs=0.01)


def test_artstein_poesio_example_1() -> None:
    items = from_pairs(
        [("STAT", "STAT", 20), ("IReq", "STAT", 20), ("STAT", "IReq", 10), ("IReq", "IReq", 50)]
    )
    result = cohen_kappa(items)
    assert result.value == pytest.approx(0.347826, abs=1e-6)
    assert result.observed_agreement == pytest.approx(0.7)
    assert result.expected_agreement == pytest.approx(0.54)


def test_artstein_poesio_example_2() -> None:
    items = from_pairs(
        [
            ("STAT", "STAT", 46),
            ("IReq", "STAT", 6),
            ("IReq", "IReq", 32),
            ("IReq", "Chck", 6),
            ("Chck", "Chck", 10),
        ]
    )
    kappa = cohen_kappa(items)
    assert kappa.value == pytest.approx(0.801325, abs=1e-6)
    assert kappa.observed_agreement == pytest.approx(0.88)
    assert kappa.expected_agreement == pytest.approx(0.396, abs=0.001)
    alpha = krippendorff_alpha_nominal(items)
    assert alpha.value == pytest.approx(0.800, abs=0.001)
    assert alpha.observed_agreement is not None and alpha.expected_agreement is not None
    assert 1 - alpha.observed_agreement == pytest.approx(0.120, abs=0.001)
    assert 1 - alpha.expected_agreement == pytest.approx(0.601, abs=0.001)


@pytest.mark.parametrize(
    ("matrix", "kappa"),
    [
        ([[12, 9, 9], [9, 14, 9], [9, 9, 20]], 0.185766),
        ([[12, 18, 18], [0, 14, 18], [0, 0, 20]], 0.258242),
    ],
)
def test_krippendorff_2004_p246_examples(matrix: list[list[int]], kappa: float) -> None:
    result = cohen_kappa(from_matrix(matrix))
    assert result.value == pytest.approx(kappa, abs=1e-6)
    assert result.observed_agreement == pytest.approx(0.460, abs=0.001)


def test_kappa_paradox() -> None:
    items = from_matrix([[80, 7], [8, 5]])
    kappa = cohen_kappa(items)
    assert kappa.value == pytest.approx(0.314442, abs=1e-6)
    assert kappa.observed_agreement == pytest.approx(0.85)
    alpha = krippendorff_alpha_nominal(items)
    assert alpha.value == pytest.approx(0.31771, abs=1e-5)
    # Fleiss' kappa with two raters is Scott's pi.
    assert fleiss_kappa(items).value == pytest.approx(0.31429, abs=1e-5)


def test_cohen_specific_agreement() -> None:
    result = cohen_kappa(from_matrix([[20, 5], [10, 15]]))
    # 2 n_cc / (n_c. + n_.c)
    assert result.specific_agreement[0] == pytest.approx(40 / (25 + 30))
    assert result.specific_agreement[1] == pytest.approx(30 / (25 + 20))


# ------------------------------------------------- Krippendorff 1995 digitised (4.4)

DIGITISED = {
    "A": (
        "0 0 1 1 1 1 1 1 1 1 0 0 0 0 1 1 1 1 1 1 0 0 0 0",
        "0 0 0 0 1 1 1 1 0 0 0 0 0 0 0 1 1 0 0 0 0 0 0 0",
    ),
    "B": (" ".join(["1"] * 18 + ["0"] * 6), " ".join(["1"] * 10 + ["0"] * 14)),
    "C": (
        "0 0 1 1 1 1 1 1 0 0 1 1 0 0 1 1 1 1 0 0 1 1 0 0",
        "1 1 0 0 1 1 1 1 0 0 1 1 1 1 0 0 1 1 0 0 1 1 0 0",
    ),
}


def test_digitised_example_a() -> None:
    items = from_coders(*DIGITISED["A"])
    assert cohen_kappa(items).value == pytest.approx(0.384615, abs=1e-6)
    assert krippendorff_alpha_nominal(items).value == pytest.approx(0.328571, abs=1e-6)
    assert fleiss_kappa(items).value == pytest.approx(0.314, abs=0.001)


def test_digitised_example_b_scores_like_a() -> None:
    items = from_coders(*DIGITISED["B"])
    assert cohen_kappa(items).value == pytest.approx(0.385, abs=0.001)
    assert fleiss_kappa(items).value == pytest.approx(0.314, abs=0.001)


def test_digitised_example_c() -> None:
    items = from_coders(*DIGITISED["C"])
    assert cohen_kappa(items).value == pytest.approx(0.314, abs=0.001)
    assert fleiss_kappa(items).value == pytest.approx(0.314, abs=0.001)


def test_digitised_example_d_is_undefined() -> None:
    items = [("1", "1")] * 24
    for result in (cohen_kappa(items), fleiss_kappa(items), krippendorff_alpha_nominal(items)):
        assert result.value is None
        assert result.reason
        assert result.items == 24


# ------------------------------------------------------------------ Fleiss (4.2)

FLEISS_1971 = """
4 4 4 4 4 4 | 2 2 2 5 5 5 | 2 3 3 3 3 5 | 5 5 5 5 5 5 | 2 2 2 4 4 4 | 1 1 3 3 3 3
3 3 3 3 5 5 | 1 1 3 3 3 4 | 1 1 4 4 4 4 | 5 5 5 5 5 5 | 1 4 4 4 4 4 | 1 2 4 4 4 4
2 2 2 3 3 3 | 1 4 4 4 4 4 | 2 2 4 4 4 5 | 3 3 3 3 3 5 | 1 1 1 4 5 5 | 1 1 1 1 1 2
2 2 4 4 4 4 | 1 3 3 5 5 5 | 5 5 5 5 5 5 | 2 4 4 4 4 4 | 2 2 4 5 5 5 | 1 1 4 4 4 4
1 4 4 4 4 5 | 2 2 2 2 2 4 | 1 1 1 1 5 5 | 2 2 4 4 4 4 | 1 3 3 3 3 3 | 5 5 5 5 5 5
"""


def test_fleiss_1971() -> None:
    items = from_units(FLEISS_1971)
    assert len(items) == 30
    result = fleiss_kappa(items)
    assert result.coefficient == FLEISS_KAPPA
    assert result.value == pytest.approx(0.430, abs=0.001)
    assert result.value == pytest.approx(0.430245, abs=1e-6)
    assert result.observed_agreement == pytest.approx(0.5556, abs=0.001)
    assert result.expected_agreement == pytest.approx(0.2201, abs=0.001)
    assert result.raters == 6
    assert result.items == 30
    published = {"1": 0.248, "2": 0.248, "3": 0.517, "4": 0.470, "5": 0.565}
    exact = {"1": 0.245, "2": 0.245, "3": 0.520, "4": 0.471, "5": 0.566}
    for category, value in published.items():
        kappa_j = result.category_kappa[category]
        assert kappa_j == pytest.approx(value, abs=0.005)
        assert kappa_j == pytest.approx(exact[category], abs=0.0005)


def test_fleiss_1971_per_subject_agreement() -> None:
    expected = [
        1.000, 0.400, 0.400, 1.000, 0.400, 0.467, 0.467, 0.267, 0.467, 1.000,
        0.667, 0.400, 0.400, 0.667, 0.267, 0.667, 0.267, 0.667, 0.467, 0.267,
        1.000, 0.667, 0.267, 0.467, 0.400, 0.667, 0.467, 0.467, 0.667, 1.000,
    ]  # fmt: skip
    for row, value in zip(from_units(FLEISS_1971), expected, strict=True):
        # Fleiss' P_i of one subject is the observed agreement of that subject alone.
        assert fleiss_kappa([row]).observed_agreement == pytest.approx(value, abs=0.001)


def test_fleiss_wikipedia_example() -> None:
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    result = fleiss_kappa(from_counts(counts))
    assert result.value == pytest.approx(0.20993, abs=1e-5)
    assert result.value == pytest.approx(0.210, abs=0.001)
    assert result.raters == 14


# --------------------------------------------------------- Krippendorff alpha (4.3)


def test_krippendorff_2004_p230_missing_data() -> None:
    items = from_coders(
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . .",
        ". 3 3 3 2 3 4 2 2 5 1 3",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    )
    result = krippendorff_alpha_nominal(items)
    assert result.coefficient == KRIPPENDORFF_ALPHA
    assert result.value == pytest.approx(0.743421, abs=1e-6)
    assert result.observed_agreement is not None and result.expected_agreement is not None
    assert 1 - result.observed_agreement == pytest.approx(0.200, abs=1e-12)
    assert 1 - result.expected_agreement == pytest.approx(152 / 195, abs=1e-12)
    assert result.items == 11  # unit 12 has a single value
    assert result.items_excluded == 1
    assert result.raters == 4
    # o_cc / n_c from the published coincidence matrix
    diagonal = {"1": 7, "2": 10, "3": 8, "4": 4, "5": 3}
    n_c = {"1": 9, "2": 13, "3": 10, "4": 5, "5": 3}
    for category in diagonal:
        assert result.specific_agreement[category] == pytest.approx(
            diagonal[category] / n_c[category]
        )


def test_krippendorff_2004_p224_binary() -> None:
    items = from_coders("1 1 0 0 0 0 0 0 0 0", "0 1 1 0 0 1 0 1 0 0")
    result = krippendorff_alpha_nominal(items)
    assert result.value == pytest.approx(0.095238, abs=1e-6)
    assert result.observed_agreement == pytest.approx(0.600, abs=1e-9)
    assert result.expected_agreement is not None
    assert 1 - result.expected_agreement == pytest.approx(0.442, abs=0.001)


def test_krippendorff_2004_p227() -> None:
    items = from_coders("a a b b b b b c c c c c", "a b b b b b c c c c c c")
    result = krippendorff_alpha_nominal(items)
    assert result.value == pytest.approx(0.734104, abs=1e-6)
    assert result.observed_agreement is not None and result.expected_agreement is not None
    assert 1 - result.observed_agreement == pytest.approx(0.1667, abs=0.0001)
    assert 1 - result.expected_agreement == pytest.approx(0.6268, abs=0.0001)


HAYES_KRIPPENDORFF_2007 = """
1 1 2 . 2 | 1 1 0 1 . | 2 3 3 3 . | . 0 0 . 0 | 0 0 0 . 0 | 0 0 0 . 0 | 1 0 2 . 1 | 1 . 2 0 .
2 2 2 . 2 | 2 1 1 1 . | . 1 0 0 . | 0 0 0 0 . | 1 2 2 2 . | 3 3 2 2 3 | 1 1 1 . 1 | 1 1 1 . 1
2 1 2 . 2 | 1 2 3 3 . | 1 1 0 1 . | 0 0 0 . 0 | 0 0 1 1 . | 0 0 . 0 0 | 2 3 3 3 . | 0 0 0 0 .
1 2 . 2 2 | 0 1 1 1 . | 0 0 0 1 0 | 1 2 1 2 . | 1 1 2 2 . | 1 1 2 . 2 | 1 1 0 . 0 | 2 1 2 1 .
2 2 . 2 2 | 3 2 2 2 . | 2 2 2 . 2 | 2 2 3 . 2 | 2 2 2 . 2 | 2 2 . 1 2 | 2 2 2 2 . | 1 1 1 . 1
"""


def test_hayes_krippendorff_2007_nominal() -> None:
    items = from_units(HAYES_KRIPPENDORFF_2007)
    assert len(items) == 40
    assert krippendorff_alpha_nominal(items).value == pytest.approx(0.476510, abs=1e-6)


def test_wikipedia_krippendorff_example() -> None:
    items = from_coders(
        ". . . . . 3 4 1 2 1 1 3 3 . 3",
        "1 . 2 1 3 3 4 3 . . . . . . .",
        ". . 2 1 3 4 4 . 2 1 1 3 3 . 4",
    )
    assert krippendorff_alpha_nominal(items).value == pytest.approx(0.691358, abs=1e-6)


# ------------------------------------------------------------------ edge cases


@pytest.mark.parametrize("function", [cohen_kappa, fleiss_kappa, krippendorff_alpha_nominal])
def test_empty_table_is_undefined(function: object) -> None:
    assert callable(function)
    result = function([])
    assert result.value is None
    assert result.reason
    assert result.items == 0


def test_single_category_is_undefined_not_one() -> None:
    items = [("PER", "PER", "PER")] * 10
    assert fleiss_kappa(items).value is None
    alpha = krippendorff_alpha_nominal(items)
    assert alpha.value is None
    assert alpha.observed_agreement == 1.0
    assert "one category" in (alpha.reason or "")
    kappa = cohen_kappa([("PER", "PER")] * 10)
    assert kappa.value is None
    assert kappa.observed_agreement == 1.0
    assert kappa.expected_agreement == 1.0


def test_identical_annotations_score_one() -> None:
    items = [(label, label, label) for label in "ABCABCAAB"]
    assert fleiss_kappa(items).value == pytest.approx(1.0)
    assert krippendorff_alpha_nominal(items).value == pytest.approx(1.0)
    assert cohen_kappa([row[:2] for row in items]).value == pytest.approx(1.0)


def test_disjoint_categories_give_negative_agreement() -> None:
    items = [("A", "B"), ("B", "A")] * 5
    assert cohen_kappa(items).value == pytest.approx(-1.0)
    alpha = krippendorff_alpha_nominal(items)
    assert alpha.value is not None and alpha.value < 0


def test_one_rater_is_undefined() -> None:
    items = [("A",), ("B",), ("A",)]
    fleiss = fleiss_kappa(items)
    assert fleiss.value is None
    assert fleiss.reason == "fewer than two raters"
    alpha = krippendorff_alpha_nominal(items)
    assert alpha.value is None
    assert alpha.items_excluded == 3


def test_missing_values() -> None:
    kappa = cohen_kappa([("A", "A"), ("A", None), (None, None), ("B", "B")])
    assert kappa.items == 2
    assert kappa.items_excluded == 2
    fleiss = fleiss_kappa([("A", "A", "B"), ("A", None, "A"), ("B", "B", "B")])
    assert fleiss.items == 2
    assert fleiss.items_excluded == 1
    alpha = krippendorff_alpha_nominal([("A", "A", None), (None, "B", None)])
    assert alpha.items == 1
    assert alpha.items_excluded == 1
    assert alpha.value is None  # D_e = 0


def test_wrong_shapes_are_rejected() -> None:
    with pytest.raises(ValueError, match="two raters"):
        cohen_kappa([("A", "B", "C")])
    with pytest.raises(ValueError, match="same raters"):
        fleiss_kappa([("A", "B"), ("A", "B", "C")])


def test_values_of_any_hashable_type() -> None:
    result = krippendorff_alpha_nominal([(1, 1), (2, 2), ("x", "x"), (None, 3), (2, 1)])
    assert result.categories == (1, 2, "x")
    assert result.items == 4
