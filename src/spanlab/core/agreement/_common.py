"""Shared plumbing: which annotators and documents a metric uses, and span set semantics.

Scope rules used by every metric of the package:

* ``annotators`` (optional) fixes the raters and their order; by default it is the sorted
  set of annotator ids found in the spans.  An annotator listed there who labelled nothing
  still counts (as someone who labelled nothing).
* ``documents`` (optional) fixes the candidate documents; by default every document that
  has a span.  Metrics that need per-document data (token boundaries, lengths) take their
  candidate documents from that mapping instead.
* ``completed`` (optional) maps each annotator to the documents they finished.  A pairwise
  metric uses the documents finished by both annotators of the pair; a metric that needs
  complete data uses the documents finished by every annotator; Krippendorff's alpha
  treats an unfinished document as missing data for that annotator.
* Set semantics: an exact duplicate (same document, start, end and label) by the same
  annotator counts once; the span with the lowest id is kept.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction

from spanlab.core.model import AnnotatorId, DocumentId, Span, SpanId

CompletedDocuments = Mapping[AnnotatorId, Collection[DocumentId]]
"""Documents each annotator finished (see the module docstring of ``_common``)."""

SpanIndex = dict[tuple[AnnotatorId, DocumentId], list[Span]]


def check_span(span: Span) -> None:
    """Reject offsets that no document can have."""
    if span.start < 0 or span.end < span.start:
        raise ValueError(
            f"span {span.id} has invalid offsets [{span.start}, {span.end}) "
            "(need 0 <= start <= end)"
        )


def resolve_annotators(
    spans: Iterable[Span], annotators: Sequence[AnnotatorId] | None
) -> tuple[AnnotatorId, ...]:
    """The raters: ``annotators`` without repeats, else the sorted ids found in ``spans``."""
    if annotators is not None:
        return tuple(dict.fromkeys(annotators))
    return tuple(sorted({span.annotator_id for span in spans}))


def candidate_documents(
    spans: Iterable[Span], documents: Collection[DocumentId] | None
) -> tuple[DocumentId, ...]:
    """Sorted candidate documents: ``documents`` if given, else every document with a span."""
    if documents is not None:
        return tuple(sorted(set(documents)))
    return tuple(sorted({span.document_id for span in spans}))


def documents_for(
    annotators: Iterable[AnnotatorId],
    candidates: Sequence[DocumentId],
    completed: CompletedDocuments | None,
) -> tuple[DocumentId, ...]:
    """Candidates finished by every one of ``annotators`` (all candidates without ``completed``)."""
    if completed is None:
        return tuple(candidates)
    allowed: set[DocumentId] | None = None
    for annotator in annotators:
        done = set(completed.get(annotator, ()))
        allowed = done if allowed is None else allowed & done
    if allowed is None:
        return tuple(candidates)
    return tuple(doc for doc in candidates if doc in allowed)


def index_spans(
    spans: Iterable[Span],
    annotators: Collection[AnnotatorId],
    documents: Collection[DocumentId],
) -> tuple[SpanIndex, dict[SpanId, Span]]:
    """Spans per (annotator, document) with duplicates removed, sorted by position.

    Returns the index and a map from every span id (duplicates included) to the span
    kept for it, so relation ends that point at a dropped duplicate still resolve.
    """
    wanted_annotators = set(annotators)
    wanted_documents = set(documents)
    kept: dict[tuple[AnnotatorId, DocumentId, int, int, str], Span] = {}
    dropped: list[tuple[Span, tuple[AnnotatorId, DocumentId, int, int, str]]] = []
    for span in spans:
        if span.annotator_id not in wanted_annotators or span.document_id not in wanted_documents:
            continue
        check_span(span)
        key = (span.annotator_id, span.document_id, span.start, span.end, span.label)
        previous = kept.get(key)
        if previous is None:
            kept[key] = span
        elif span.id < previous.id:
            kept[key] = span
            dropped.append((previous, key))
        else:
            dropped.append((span, key))
    index: SpanIndex = {}
    canonical: dict[SpanId, Span] = {}
    for key, span in kept.items():
        index.setdefault((key[0], key[1]), []).append(span)
        canonical[span.id] = span
    for span, key in dropped:
        canonical[span.id] = kept[key]
    for group in index.values():
        group.sort(key=position_key)
    return index, canonical


def position_key(span: Span) -> tuple[int, int, str, int]:
    """Deterministic order of spans: start, end, label, id."""
    return (span.start, span.end, span.label, span.id)


def annotator_pairs(
    annotators: Sequence[AnnotatorId],
) -> list[tuple[AnnotatorId, AnnotatorId]]:
    """Unordered pairs in the given order: (a0, a1), (a0, a2), ..., (a1, a2), ..."""
    return [
        (annotators[i], annotators[j])
        for i in range(len(annotators))
        for j in range(i + 1, len(annotators))
    ]


def ratio(numerator: Fraction | int, denominator: Fraction | int) -> float | None:
    """``numerator / denominator`` as a float, or None when the denominator is zero."""
    if denominator == 0:
        return None
    if isinstance(numerator, int) and isinstance(denominator, int):
        return numerator / denominator  # int true division is correctly rounded
    return float(Fraction(numerator) / Fraction(denominator))


def mean_and_sd(values: Sequence[float]) -> tuple[float | None, float | None]:
    """Mean and population standard deviation; SD is None with fewer than two values."""
    if not values:
        return None, None
    mean = math.fsum(values) / len(values)
    if len(values) < 2:
        return mean, None
    return mean, statistics.pstdev(values, mu=mean)


def category_order(categories: Iterable[Hashable]) -> tuple[Hashable, ...]:
    """A deterministic order for category values of any hashable type."""
    return tuple(sorted(set(categories), key=lambda c: (type(c).__name__, str(c))))
