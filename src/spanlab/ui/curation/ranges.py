"""Where a candidate is in the text: the ranges the curation view outlines."""

from __future__ import annotations

from collections.abc import Mapping

from spanlab.core.curation import (
    AttributeCandidate,
    CandidateKind,
    CurationItem,
    EntityCandidate,
    RelationCandidate,
    SpanCandidate,
)


def item_ranges(
    item: CurationItem, items: Mapping[tuple[str, int], CurationItem]
) -> list[tuple[int, int]]:
    """Code point ranges of a candidate: a span, a relation's two ends, an entity's
    mentions, or an attribute's span or relation (looked up in ``items`` by key)."""
    if isinstance(item, SpanCandidate):
        return [(item.start, item.end)]
    if isinstance(item, RelationCandidate):
        return sorted({(k.start, k.end) for k in (item.head_key, item.tail_key)})
    if isinstance(item, EntityCandidate):
        return sorted({(k.start, k.end) for k in item.member_keys})
    assert isinstance(item, AttributeCandidate)
    owner = items.get((item.owner_kind.value, item.owner))
    if owner is None or owner.kind is CandidateKind.ATTRIBUTE:
        return []
    return item_ranges(owner, items)
