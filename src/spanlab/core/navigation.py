"""Moving between documents: next, previous, next not done, and "12/340" positions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spanlab.core.model import DocumentId, DocumentStatus

__all__ = ["neighbour", "next_unfinished", "position_of"]


def neighbour(
    order: Sequence[DocumentId], current: DocumentId | None, *, step: int
) -> DocumentId | None:
    """The document ``step`` places from ``current`` in ``order`` (None past either end).

    Without a current document (or one not in ``order``) the first document is next and
    the last one is previous.
    """
    if not order:
        return None
    if current is None or current not in order:
        return order[0] if step > 0 else order[-1]
    index = order.index(current) + step
    return order[index] if 0 <= index < len(order) else None


def next_unfinished(
    order: Sequence[DocumentId],
    statuses: Mapping[DocumentId, DocumentStatus],
    current: DocumentId | None,
) -> DocumentId | None:
    """The first document after ``current`` (wrapping around) that is not done.

    Documents missing from ``statuses`` are new. Returns None when every other
    document is done.
    """
    if not order:
        return None
    start = order.index(current) + 1 if current in order else 0
    for offset in range(len(order)):
        candidate = order[(start + offset) % len(order)]
        if candidate == current:
            continue
        if statuses.get(candidate, DocumentStatus.NEW) is not DocumentStatus.DONE:
            return candidate
    return None


def position_of(order: Sequence[DocumentId], current: DocumentId | None) -> tuple[int, int]:
    """One-based position of ``current`` in ``order`` and the total (0 when absent)."""
    if current is None or current not in order:
        return 0, len(order)
    return order.index(current) + 1, len(order)
