"""Relation agreement: F1 over (head, tail, type) after aligning spans (agreement.md 2.7).

For each annotator pair (a, b) and shared document, b's spans are aligned onto a's one to
one (labels must agree): by exact offsets (``strict``) or by the overlap matching of
:mod:`.matching` (``lenient``).  A relation of b is rewritten with the aligned spans of a;
an end without a counterpart stays b's own span and so cannot match anything of a.  Then
``TP = |R_a & R_b'|`` and ``F1 = 2 TP / (|R_a| + |R_b|)``.

Types listed in ``symmetric_types`` compare their ends as an unordered pair; every other
type is directed.  The ``*_given_endpoints`` schemes keep only relations whose two ends
are aligned (on each side), separating relation errors from span errors.

Relations are sets: a duplicate (same ends after de-duplicating spans, same type) counts
once.  A relation whose head or tail is not among the given spans of its document and
annotator is skipped and counted in ``relations_skipped``.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
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
from spanlab.core.agreement.scores import F1Score, PairMean, Tally, pair_mean
from spanlab.core.model import AnnotatorId, DocumentId, Relation, Span, SpanId

UNIT = "relations"

_Endpoint = tuple[int, int]  # (0, span id of a) or (1, span id of b)
_Key = tuple[str, _Endpoint, _Endpoint]


class RelationScheme(enum.StrEnum):
    """How relation ends are aligned and which relations are compared."""

    STRICT = "strict"
    LENIENT = "lenient"
    STRICT_GIVEN_ENDPOINTS = "strict_given_endpoints"
    LENIENT_GIVEN_ENDPOINTS = "lenient_given_endpoints"


@dataclass(frozen=True, slots=True)
class PairRelationF1:
    """Relation F1 of one annotator pair, pooled over the documents they share."""

    annotator_a: AnnotatorId
    annotator_b: AnnotatorId
    documents: int
    overall: Mapping[RelationScheme, F1Score]
    per_type: Mapping[str, Mapping[RelationScheme, F1Score]]


@dataclass(frozen=True, slots=True)
class RelationF1Report:
    """Relation F1 of every annotator pair and its mean +- SD over pairs."""

    annotators: tuple[AnnotatorId, ...]
    symmetric_types: frozenset[str]
    documents_total: int
    documents_used: int
    relations_skipped: int
    pairs: tuple[PairRelationF1, ...]
    overall: Mapping[RelationScheme, PairMean]
    per_type: Mapping[str, Mapping[RelationScheme, PairMean]]
    reason: str | None
    unit: str = UNIT


def relation_f1(
    spans: Iterable[Span],
    relations: Iterable[Relation],
    *,
    symmetric_types: Collection[str] = frozenset(),
    annotators: Sequence[AnnotatorId] | None = None,
    documents: Collection[DocumentId] | None = None,
    completed: CompletedDocuments | None = None,
) -> RelationF1Report:
    """Pairwise relation F1 over all annotator pairs (see the module docstring)."""
    span_list = list(spans)
    relation_list = list(relations)
    raters = resolve_annotators([*span_list], annotators)
    candidates = candidate_documents(span_list, documents)
    index, canonical = index_spans(span_list, raters, candidates)
    symmetric = frozenset(symmetric_types)
    by_group, skipped = _group_relations(relation_list, canonical, raters, candidates)
    types = sorted({relation.label for group in by_group.values() for relation, _, _ in group})
    pairs: list[PairRelationF1] = []
    used: set[DocumentId] = set()
    for a, b in annotator_pairs(raters):
        shared = documents_for((a, b), candidates, completed)
        used.update(shared)
        pairs.append(_compare_pair(index, by_group, a, b, shared, types, symmetric))
    overall = {
        scheme: pair_mean([pair.overall[scheme] for pair in pairs], UNIT)
        for scheme in RelationScheme
    }
    per_type = {
        kind: MappingProxyType(
            {
                scheme: pair_mean([pair.per_type[kind][scheme] for pair in pairs], UNIT)
                for scheme in RelationScheme
            }
        )
        for kind in types
    }
    return RelationF1Report(
        annotators=raters,
        symmetric_types=symmetric,
        documents_total=len(candidates),
        documents_used=len(used),
        relations_skipped=skipped,
        pairs=tuple(pairs),
        overall=MappingProxyType(overall),
        per_type=MappingProxyType(per_type),
        reason=None if pairs else "fewer than two annotators: no pair to compare",
    )


_Resolved = tuple[Relation, Span, Span]


def _group_relations(
    relations: Iterable[Relation],
    canonical: Mapping[SpanId, Span],
    raters: Collection[AnnotatorId],
    documents: Collection[DocumentId],
) -> tuple[dict[tuple[AnnotatorId, DocumentId], list[_Resolved]], int]:
    wanted_raters = set(raters)
    wanted_documents = set(documents)
    grouped: dict[tuple[AnnotatorId, DocumentId], list[_Resolved]] = {}
    skipped = 0
    for relation in relations:
        if (
            relation.annotator_id not in wanted_raters
            or relation.document_id not in wanted_documents
        ):
            continue
        head = canonical.get(relation.head_id)
        tail = canonical.get(relation.tail_id)
        if (
            head is None
            or tail is None
            or any(
                end.document_id != relation.document_id or end.annotator_id != relation.annotator_id
                for end in (head, tail)
            )
        ):
            skipped += 1
            continue
        grouped.setdefault((relation.annotator_id, relation.document_id), []).append(
            (relation, head, tail)
        )
    return grouped, skipped


def _key(label: str, head: _Endpoint, tail: _Endpoint, symmetric: frozenset[str]) -> _Key:
    if label in symmetric and tail < head:
        head, tail = tail, head
    return (label, head, tail)


def _compare_pair(
    index: SpanIndex,
    relations: Mapping[tuple[AnnotatorId, DocumentId], list[_Resolved]],
    a: AnnotatorId,
    b: AnnotatorId,
    documents: Sequence[DocumentId],
    types: Sequence[str],
    symmetric: frozenset[str],
) -> PairRelationF1:
    overall = {scheme: Tally(documents=len(documents)) for scheme in RelationScheme}
    per_type = {
        kind: {scheme: Tally(documents=len(documents)) for scheme in RelationScheme}
        for kind in types
    }
    for document in documents:
        spans_a = index.get((a, document), [])
        spans_b = index.get((b, document), [])
        relations_a = relations.get((a, document), [])
        relations_b = relations.get((b, document), [])
        if not relations_a and not relations_b:
            continue
        for mode, scheme, given in (
            (MatchMode.EXACT, RelationScheme.STRICT, RelationScheme.STRICT_GIVEN_ENDPOINTS),
            (MatchMode.OVERLAP, RelationScheme.LENIENT, RelationScheme.LENIENT_GIVEN_ENDPOINTS),
        ):
            aligned = match_indices(spans_a, spans_b, mode=mode, labelled=True)
            b_to_a = {spans_b[j].id: spans_a[i].id for i, j in aligned}
            aligned_a = set(b_to_a.values())
            keys_a: dict[_Key, bool] = {}
            for relation, head, tail in relations_a:
                key = _key(relation.label, (0, head.id), (0, tail.id), symmetric)
                keys_a[key] = head.id in aligned_a and tail.id in aligned_a
            keys_b: dict[_Key, bool] = {}
            for relation, head, tail in relations_b:
                mapped_head = (0, b_to_a[head.id]) if head.id in b_to_a else (1, head.id)
                mapped_tail = (0, b_to_a[tail.id]) if tail.id in b_to_a else (1, tail.id)
                key = _key(relation.label, mapped_head, mapped_tail, symmetric)
                keys_b[key] = mapped_head[0] == 0 and mapped_tail[0] == 0
            for key, both_aligned in keys_a.items():
                hit = key in keys_b
                for target, only_aligned in ((scheme, False), (given, True)):
                    if only_aligned and not both_aligned:
                        continue
                    for tally in (overall[target], per_type[key[0]][target]):
                        tally.count_a += 1
                        tally.exact += int(hit)
            for key, both_aligned in keys_b.items():
                for target, only_aligned in ((scheme, False), (given, True)):
                    if only_aligned and not both_aligned:
                        continue
                    for tally in (overall[target], per_type[key[0]][target]):
                        tally.count_b += 1
    return PairRelationF1(
        annotator_a=a,
        annotator_b=b,
        documents=len(documents),
        overall=MappingProxyType({scheme: tally.score(UNIT) for scheme, tally in overall.items()}),
        per_type=MappingProxyType(
            {
                kind: MappingProxyType(
                    {scheme: tally.score(UNIT) for scheme, tally in tallies.items()}
                )
                for kind, tallies in per_type.items()
            }
        ),
    )
