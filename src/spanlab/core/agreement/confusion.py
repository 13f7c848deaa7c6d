"""Label confusion between two annotators over aligned spans (agreement.md 2.8).

Spans are aligned one-to-one by overlap with labels ignored (see :mod:`.matching`), so a
pair with different labels shows up as a confusion.  A span of a left unaligned counts in
the ``(label, NO_ANNOTATION)`` cell, one of b in ``(NO_ANNOTATION, label)``; the
``(NO_ANNOTATION, NO_ANNOTATION)`` cell is undefined for spans and always 0.  Each cell keeps
its instances, so a view can list them for adjudication.

The token-level matrix (:func:`spanlab.core.agreement.token_level.token_confusion_matrix`)
has the same shape with the outside tag ``"O"`` in place of ``NO_ANNOTATION``; there the
``("O", "O")`` cell is defined.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from spanlab.core.agreement._common import (
    CompletedDocuments,
    candidate_documents,
    documents_for,
    index_spans,
)
from spanlab.core.agreement.matching import MatchMode, match_indices
from spanlab.core.model import AnnotatorId, DocumentId, Span

NO_ANNOTATION: Final = "∅"
"""Row/column of spans the other annotator has nothing aligned with."""

SpanPair = tuple[Span | None, Span | None]
"""One instance of a cell: (span of a or None, span of b or None)."""

_NO_INSTANCES: Mapping[tuple[str, str], tuple[SpanPair, ...]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ConfusionMatrix:
    """Counts of (label of a, label of b); rows are a, columns are b.

    ``labels`` lists the real labels (sorted); ``rows`` and ``columns`` are ``labels``
    followed by ``empty`` (``NO_ANNOTATION`` for spans, ``"O"`` for tokens), so the matrix
    is square and its diagonal is agreement.
    """

    annotator_a: AnnotatorId
    annotator_b: AnnotatorId
    unit: str
    empty: str
    labels: tuple[str, ...]
    counts: Mapping[tuple[str, str], int]
    instances: Mapping[tuple[str, str], tuple[SpanPair, ...]]
    documents: int

    @property
    def rows(self) -> tuple[str, ...]:
        """Row headers (labels of a, then the empty label)."""
        return (*self.labels, self.empty)

    @property
    def columns(self) -> tuple[str, ...]:
        """Column headers (labels of b, then the empty label)."""
        return (*self.labels, self.empty)

    @property
    def total(self) -> int:
        """Sum of all cells."""
        return sum(self.counts.values())

    def count(self, row: str, column: str) -> int:
        """One cell (0 when empty)."""
        return self.counts.get((row, column), 0)

    def table(
        self, rows: Sequence[str] | None = None, columns: Sequence[str] | None = None
    ) -> tuple[tuple[int, ...], ...]:
        """The matrix as nested tuples, in the given (or the default) header order."""
        row_order = self.rows if rows is None else rows
        column_order = self.columns if columns is None else columns
        return tuple(tuple(self.count(r, c) for c in column_order) for r in row_order)


def span_confusion_matrix(
    spans: Iterable[Span],
    annotator_a: AnnotatorId,
    annotator_b: AnnotatorId,
    *,
    documents: Collection[DocumentId] | None = None,
    completed: CompletedDocuments | None = None,
) -> ConfusionMatrix:
    """Confusion matrix of two annotators over label-blind overlap-aligned spans."""
    pair = (annotator_a, annotator_b)
    span_list = [span for span in spans if span.annotator_id in pair]
    candidates = candidate_documents(span_list, documents)
    shared = documents_for(pair, candidates, completed)
    index, _ = index_spans(span_list, pair, shared)
    cells: dict[tuple[str, str], list[SpanPair]] = {}
    for document in shared:
        group_a = index.get((annotator_a, document), [])
        group_b = index.get((annotator_b, document), [])
        matches = match_indices(group_a, group_b, mode=MatchMode.OVERLAP, labelled=False)
        used_a = {i for i, _ in matches}
        used_b = {j for _, j in matches}
        for i, j in matches:
            cells.setdefault((group_a[i].label, group_b[j].label), []).append(
                (group_a[i], group_b[j])
            )
        for i, span in enumerate(group_a):
            if i not in used_a:
                cells.setdefault((span.label, NO_ANNOTATION), []).append((span, None))
        for j, span in enumerate(group_b):
            if j not in used_b:
                cells.setdefault((NO_ANNOTATION, span.label), []).append((None, span))
    labels = tuple(sorted({span.label for group in index.values() for span in group}))
    return ConfusionMatrix(
        annotator_a=annotator_a,
        annotator_b=annotator_b,
        unit="aligned span pairs",
        empty=NO_ANNOTATION,
        labels=labels,
        counts=MappingProxyType({cell: len(items) for cell, items in cells.items()}),
        instances=MappingProxyType({cell: tuple(items) for cell, items in cells.items()}),
        documents=len(shared),
    )


def empty_instances() -> Mapping[tuple[str, str], tuple[SpanPair, ...]]:
    """An empty instance map (for matrices whose cells have no span instances)."""
    return _NO_INSTANCES
