"""Token-level tables and coefficients: coverage rules, BIO, documents, edge cases."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys

import pytest

from spanlab.core.agreement import (
    Tagging,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    token_cohen_kappa,
    token_fleiss_kappa,
    token_krippendorff_alpha,
    token_label_table,
)
from spanlab.core.model import AnnotatorId, DocumentId, Span, SpanId

A, B, C = AnnotatorId(1), AnnotatorId(2), AnnotatorId(3)
D1, D2 = DocumentId(1), DocumentId(2)
_ids = itertools.count(1)
# Ten tokens of 4 characters separated by one space: token k is [5k, 5k + 4).
TOKENS = [(5 * k, 5 * k + 4) for k in range(10)]


def span(annotator: AnnotatorId, label: str, start: int, end: int, document: int = 1) -> Span:
    return Span(SpanId(next(_ids)), DocumentId(document), annotator, label, start, end, "")


def column(spans: list[Span], tagging: Tagging = Tagging.TYPES) -> list[str | None]:
    table = token_label_table(spans, {D1: TOKENS}, annotators=[A], tagging=tagging)
    return [row[0] for row in table.rows]


def test_partial_coverage_counts() -> None:
    # [3, 6) touches token 0 ([0, 4)) and token 1 ([5, 9)).
    assert column([span(A, "X", 3, 6)])[:3] == ["X", "X", "O"]
    # [4, 5) is the space between tokens: no token covered.
    assert column([span(A, "X", 4, 5)])[:2] == ["O", "O"]


def test_longest_span_wins_and_conflicts_are_counted() -> None:
    spans = [span(A, "SHORT", 0, 4), span(A, "LONG", 0, 14)]
    table = token_label_table(spans, {D1: TOKENS}, annotators=[A])
    assert [row[0] for row in table.rows][:4] == ["LONG", "LONG", "LONG", "O"]
    assert table.conflicting_tokens == 1


def test_tie_goes_to_the_earlier_span() -> None:
    spans = [span(A, "LATER", 5, 14), span(A, "EARLIER", 0, 9)]
    assert column(spans)[:3] == ["EARLIER", "EARLIER", "LATER"]


def test_same_label_overlap_is_not_a_conflict() -> None:
    table = token_label_table(
        [span(A, "X", 0, 9), span(A, "X", 5, 14)], {D1: TOKENS}, annotators=[A]
    )
    assert table.conflicting_tokens == 0


def test_bio_tags() -> None:
    spans = [span(A, "X", 0, 9), span(A, "X", 10, 14), span(A, "Y", 20, 29)]
    assert column(spans, Tagging.BIO)[:6] == ["B-X", "I-X", "B-X", "O", "B-Y", "I-Y"]


def test_zero_length_spans_and_tokens_are_ignored() -> None:
    table = token_label_table([span(A, "X", 2, 2)], {D1: [(0, 4), (4, 4), (5, 9)]}, annotators=[A])
    assert table.rows == (("O",), ("O",))
    assert table.positions == ((D1, 0, 4), (D1, 5, 9))


def test_unsorted_tokens_are_sorted_and_overlapping_tokens_rejected() -> None:
    table = token_label_table([span(A, "X", 5, 9)], {D1: [(5, 9), (0, 4)]}, annotators=[A])
    assert table.rows == (("O",), ("X",))
    with pytest.raises(ValueError, match="overlaps"):
        token_label_table([], {D1: [(0, 4), (2, 6)]}, annotators=[A])


def test_outside_label_collision_is_rejected() -> None:
    with pytest.raises(ValueError, match="outside"):
        token_label_table([span(A, "O", 0, 4)], {D1: TOKENS})
    table = token_label_table([span(A, "O", 0, 4)], {D1: TOKENS}, outside_label="-")
    assert table.rows[0] == ("O",)


def test_cohen_uses_documents_both_finished() -> None:
    spans = [span(A, "X", 0, 4, document=1), span(B, "X", 0, 4, document=1)]
    spans += [span(A, "X", 0, 4, document=2)]
    tokens = {D1: TOKENS, D2: TOKENS}
    completed = {A: {D1, D2}, B: {D1}}
    result = token_cohen_kappa(spans, tokens, A, B, completed=completed)
    assert result.documents_used == 1
    assert result.documents_total == 2
    assert result.tokens == 10
    assert result.all_tokens.value == pytest.approx(1.0)
    assert result.labelled_tokens.value is None  # one category among labelled tokens


def test_alpha_treats_unfinished_documents_as_missing() -> None:
    spans = [span(a, "X", 0, 4, document=d) for a in (A, B, C) for d in (1, 2)]
    spans.append(span(C, "Y", 10, 14, document=2))
    tokens = {D1: TOKENS, D2: TOKENS}
    completed = {A: {D1, D2}, B: {D1, D2}, C: {D1}}
    alpha = token_krippendorff_alpha(spans, tokens, completed=completed)
    assert alpha.documents_used == 2
    table = token_label_table(
        spans, tokens, completed=completed, minimum_annotators=2, annotators=[A, B, C]
    )
    assert all(
        row[2] is None
        for (doc, _, _), row in zip(table.positions, table.rows, strict=True)
        if doc == D2
    )
    assert alpha.all_tokens.value == pytest.approx(1.0)
    fleiss = token_fleiss_kappa(spans, tokens, completed=completed)
    assert fleiss.documents_used == 1


def test_documents_finished_by_one_annotator_are_not_pairable() -> None:
    spans = [span(A, "X", 0, 4), span(B, "Y", 0, 4)]
    alpha = token_krippendorff_alpha(spans, {D1: TOKENS}, completed={A: {D1}})
    assert alpha.documents_used == 0
    assert alpha.all_tokens.value is None
    assert alpha.all_tokens.reason


def test_no_spans_is_undefined_not_one() -> None:
    result = token_cohen_kappa([], {D1: TOKENS}, A, B)
    assert result.all_tokens.value is None
    assert result.all_tokens.observed_agreement == 1.0
    assert result.labelled_tokens.value is None
    assert result.labelled_tokens.items == 0


def test_one_annotator_is_undefined() -> None:
    result = token_fleiss_kappa([span(A, "X", 0, 4)], {D1: TOKENS})
    assert result.all_tokens.value is None
    assert result.all_tokens.reason == "fewer than two raters"


def test_labelled_only_excludes_tokens_nobody_labelled() -> None:
    spans = [span(A, "X", 0, 4), span(B, "X", 0, 4), span(B, "Y", 10, 14)]
    result = token_cohen_kappa(spans, {D1: TOKENS}, A, B)
    assert result.all_tokens.items == 10
    assert result.labelled_tokens.items == 2
    assert result.labelled_tokens.observed_agreement == 0.5


@pytest.mark.parametrize("seed", range(20))
def test_token_coefficients_equal_the_generic_ones(seed: int) -> None:
    rng = random.Random(seed)
    tokens = {DocumentId(d): [(5 * k, 5 * k + 4) for k in range(30)] for d in (1, 2, 3)}
    spans = []
    for document in (1, 2, 3):
        for annotator in (A, B, C):
            for k in range(0, 30, 3):
                if rng.random() < 0.6:
                    start = 5 * k + rng.choice((0, 5))
                    spans.append(span(annotator, rng.choice("XYZ"), start, start + 9, document))
    table = token_label_table(spans, tokens, annotators=[A, B, C], tagging=Tagging.BIO)
    fleiss = token_fleiss_kappa(spans, tokens, tagging=Tagging.BIO)
    assert fleiss.all_tokens.value == fleiss_kappa(table.rows).value
    assert fleiss.labelled_tokens.value == fleiss_kappa(table.labelled_rows()).value
    alpha = token_krippendorff_alpha(spans, tokens, tagging=Tagging.BIO)
    assert alpha.all_tokens.value == krippendorff_alpha_nominal(table.rows).value
    kappa = token_cohen_kappa(spans, tokens, A, B, tagging=Tagging.BIO)
    assert kappa.all_tokens.value == cohen_kappa([row[:2] for row in table.rows]).value


def test_package_is_pure() -> None:
    code = (
        "import sys, spanlab.core.agreement\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'sqlalchemy', 'sqlmodel', 'PySide6', 'shiboken6', 'numpy'}"
        " or m.startswith('spanlab.core.storage')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
def test_fast_on_a_large_study() -> None:
    # 4 annotators x 1,000 documents x 30 spans; the bound only catches a quadratic blow-up
    # (about 2 s here on a loaded 2-core machine).
    import time

    rng = random.Random(2)
    tokens = {DocumentId(d): [(6 * k, 6 * k + 5) for k in range(500)] for d in range(1, 1001)}
    spans = []
    for document in range(1, 1001):
        for annotator in (A, B, C, AnnotatorId(4)):
            for k in range(30):
                start = k * 100 + rng.randint(0, 20)
                spans.append(
                    span(annotator, rng.choice("ABCD"), start, start + rng.randint(1, 60), document)
                )
    begin = time.perf_counter()
    alpha = token_krippendorff_alpha(spans, tokens)
    elapsed = time.perf_counter() - begin
    assert alpha.tokens == 500_000
    assert alpha.all_tokens.value is not None
    assert elapsed < 30
