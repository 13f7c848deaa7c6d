"""Pairwise span agreement as F1 (Dice), the primary span metric (agreement.md 2.6).

Schemes (:class:`F1Scheme`):

* ``exact``: same offsets and label.
* ``overlap``: same label and overlapping, aligned one-to-one (see :mod:`.matching`).
* ``partial``: the overlap alignment, an exact match worth 1 and an overlap-only match 0.5.
* ``exact_unlabelled`` / ``overlap_unlabelled`` / ``partial_unlabelled``: the same with
  labels ignored (boundary agreement only).

Aggregation: for each annotator pair the counts are pooled over the documents the pair
shares (micro), then the mean and population SD of the pair scores are reported.
Per-document scores are for diagnosis only.  Per-label scores exist for the labelled
schemes; a label neither annotator of a pair used has an undefined score for that pair.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

from spanlab.core.agreement._common import (
    CompletedDocuments,
    SpanIndex,
    annotator_pairs,
    candidate_documents,
    documents_for,
    index_spans,
    resolve_annotators,
)
from spanlab.core.agreement.matching import MatchMode, match_indices
from spanlab.core.agreement.scores import PARTIAL_CREDIT, F1Score, PairMean, Tally, pair_mean
from spanlab.core.model import AnnotatorId, DocumentId, Span

UNIT = "spans"
AGGREGATION = (
    "counts pooled over the documents of each annotator pair (micro), then mean and "
    "population SD over pairs"
)


class F1Scheme(enum.StrEnum):
    """Which span pairs count as agreeing."""

    EXACT = "exact"
    OVERLAP = "overlap"
    PARTIAL = "partial"
    EXACT_UNLABELLED = "exact_unlabelled"
    OVERLAP_UNLABELLED = "overlap_unlabelled"
    PARTIAL_UNLABELLED = "partial_unlabelled"

    @property
    def labelled(self) -> bool:
        """Whether labels must agree."""
        return not self.value.endswith("_unlabelled")


LABELLED_SCHEMES = (F1Scheme.EXACT, F1Scheme.OVERLAP, F1Scheme.PARTIAL)
_PARTIAL_SCHEMES = frozenset({F1Scheme.PARTIAL, F1Scheme.PARTIAL_UNLABELLED})


@dataclass(frozen=True, slots=True)
class DocumentSpanF1:
    """Scores of one annotator pair on one document (diagnosis)."""

    document_id: DocumentId
    scores: Mapping[F1Scheme, F1Score]


@dataclass(frozen=True, slots=True)
class PairSpanF1:
    """Scores of one annotator pair, pooled over the documents they share."""

    annotator_a: AnnotatorId
    annotator_b: AnnotatorId
    documents: int
    overall: Mapping[F1Scheme, F1Score]
    per_label: Mapping[str, Mapping[F1Scheme, F1Score]]
    per_document: tuple[DocumentSpanF1, ...]


@dataclass(frozen=True, slots=True)
class SpanF1Report:
    """Pairwise span F1 for every annotator pair and its mean +- SD over pairs."""

    annotators: tuple[AnnotatorId, ...]
    documents_total: int
    documents_used: int
    pairs: tuple[PairSpanF1, ...]
    overall: Mapping[F1Scheme, PairMean]
    per_label: Mapping[str, Mapping[F1Scheme, PairMean]]
    reason: str | None
    unit: str = UNIT
    aggregation: str = AGGREGATION


def span_f1(
    spans: Iterable[Span],
    *,
    annotators: Sequence[AnnotatorId] | None = None,
    documents: Collection[DocumentId] | None = None,
    completed: CompletedDocuments | None = None,
    min_iou: float = 0.0,
) -> SpanF1Report:
    """Pairwise span F1 over all annotator pairs (see the module docstring).

    ``annotators``, ``documents`` and ``completed`` select the data as described in
    :mod:`spanlab.core.agreement._common`; ``min_iou`` is the minimum intersection over
    union for an overlap match (0 = any shared character).
    """
    span_list = list(spans)
    raters = resolve_annotators(span_list, annotators)
    candidates = candidate_documents(span_list, documents)
    index, _ = index_spans(span_list, raters, candidates)
    labels = sorted({span.label for group in index.values() for span in group})
    pairs: list[PairSpanF1] = []
    used: set[DocumentId] = set()
    for a, b in annotator_pairs(raters):
        shared = documents_for((a, b), candidates, completed)
        used.update(shared)
        pairs.append(_compare_pair(index, a, b, shared, labels, min_iou))
    overall = {
        scheme: pair_mean([pair.overall[scheme] for pair in pairs], UNIT) for scheme in F1Scheme
    }
    per_label = {
        label: MappingProxyType(
            {
                scheme: pair_mean([pair.per_label[label][scheme] for pair in pairs], UNIT)
                for scheme in LABELLED_SCHEMES
            }
        )
        for label in labels
    }
    return SpanF1Report(
        annotators=raters,
        documents_total=len(candidates),
        documents_used=len(used),
        pairs=tuple(pairs),
        overall=MappingProxyType(overall),
        per_label=MappingProxyType(per_label),
        reason=None if pairs else "fewer than two annotators: no pair to compare",
    )


def pair_span_f1(
    spans: Iterable[Span],
    annotator_a: AnnotatorId,
    annotator_b: AnnotatorId,
    *,
    documents: Collection[DocumentId] | None = None,
    completed: CompletedDocuments | None = None,
    min_iou: float = 0.0,
) -> PairSpanF1:
    """Span F1 of one annotator pair (a is the reference for precision and recall)."""
    span_list = list(spans)
    candidates = candidate_documents(
        [s for s in span_list if s.annotator_id in (annotator_a, annotator_b)], documents
    )
    index, _ = index_spans(span_list, (annotator_a, annotator_b), candidates)
    labels = sorted({span.label for group in index.values() for span in group})
    shared = documents_for((annotator_a, annotator_b), candidates, completed)
    return _compare_pair(index, annotator_a, annotator_b, shared, labels, min_iou)


def _score(tally: Tally, scheme: F1Scheme) -> F1Score:
    credit = PARTIAL_CREDIT if scheme in _PARTIAL_SCHEMES else Fraction(1)
    return tally.score(UNIT, partial_credit=credit)


def _compare_pair(
    index: SpanIndex,
    a: AnnotatorId,
    b: AnnotatorId,
    documents: Sequence[DocumentId],
    labels: Sequence[str],
    min_iou: float,
) -> PairSpanF1:
    overall = {scheme: Tally() for scheme in F1Scheme}
    per_label = {label: {scheme: Tally() for scheme in LABELLED_SCHEMES} for label in labels}
    per_document: list[DocumentSpanF1] = []
    for document in documents:
        tallies = _compare_document(
            index.get((a, document), []), index.get((b, document), []), per_label, min_iou
        )
        for scheme, tally in tallies.items():
            overall[scheme].add(tally)
        per_document.append(
            DocumentSpanF1(
                document_id=document,
                scores=MappingProxyType(
                    {scheme: _score(tally, scheme) for scheme, tally in tallies.items()}
                ),
            )
        )
    for label_tallies in per_label.values():
        for tally in label_tallies.values():
            tally.documents = len(documents)
    return PairSpanF1(
        annotator_a=a,
        annotator_b=b,
        documents=len(documents),
        overall=MappingProxyType(
            {scheme: _score(tally, scheme) for scheme, tally in overall.items()}
        ),
        per_label=MappingProxyType(
            {
                label: MappingProxyType(
                    {scheme: _score(tally, scheme) for scheme, tally in tallies.items()}
                )
                for label, tallies in per_label.items()
            }
        ),
        per_document=tuple(per_document),
    )


def _compare_document(
    spans_a: Sequence[Span],
    spans_b: Sequence[Span],
    per_label: dict[str, dict[F1Scheme, Tally]],
    min_iou: float,
) -> dict[F1Scheme, Tally]:
    """Counts of one document; per-label counts are added to ``per_label`` in place."""
    na, nb = len(spans_a), len(spans_b)
    tallies = {scheme: Tally(count_a=na, count_b=nb, documents=1) for scheme in F1Scheme}
    for span in spans_a:
        for tally in per_label[span.label].values():
            tally.count_a += 1
    for span in spans_b:
        for tally in per_label[span.label].values():
            tally.count_b += 1
    if not spans_a or not spans_b:
        return tallies

    exact = match_indices(spans_a, spans_b, mode=MatchMode.EXACT, labelled=True)
    tallies[F1Scheme.EXACT].exact = len(exact)
    for i, _ in exact:
        per_label[spans_a[i].label][F1Scheme.EXACT].exact += 1

    overlap = match_indices(
        spans_a, spans_b, mode=MatchMode.OVERLAP, labelled=True, min_iou=min_iou
    )
    for i, j in overlap:
        same = spans_a[i].start == spans_b[j].start and spans_a[i].end == spans_b[j].end
        label_tallies = per_label[spans_a[i].label]
        for scheme in (F1Scheme.OVERLAP, F1Scheme.PARTIAL):
            if same:
                tallies[scheme].exact += 1
                label_tallies[scheme].exact += 1
            else:
                tallies[scheme].partial += 1
                label_tallies[scheme].partial += 1

    tallies[F1Scheme.EXACT_UNLABELLED].exact = len(
        match_indices(spans_a, spans_b, mode=MatchMode.EXACT, labelled=False)
    )
    for i, j in match_indices(
        spans_a, spans_b, mode=MatchMode.OVERLAP, labelled=False, min_iou=min_iou
    ):
        same = spans_a[i].start == spans_b[j].start and spans_a[i].end == spans_b[j].end
        for scheme in (F1Scheme.OVERLAP_UNLABELLED, F1Scheme.PARTIAL_UNLABELLED):
            if same:
                tallies[scheme].exact += 1
            else:
                tallies[scheme].partial += 1
    return tallies
