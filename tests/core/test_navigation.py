"""Document navigation: neighbours, next not done (wrapping), and positions."""

from __future__ import annotations

from spanlab.core.model import DocumentId, DocumentStatus
from spanlab.core.navigation import neighbour, next_unfinished, position_of

ORDER = [DocumentId(i) for i in (10, 11, 12, 13)]


def test_neighbour_stops_at_both_ends() -> None:
    assert neighbour(ORDER, DocumentId(10), step=1) == 11
    assert neighbour(ORDER, DocumentId(13), step=1) is None
    assert neighbour(ORDER, DocumentId(10), step=-1) is None
    assert neighbour(ORDER, None, step=1) == 10
    assert neighbour(ORDER, None, step=-1) == 13
    assert neighbour([], None, step=1) is None


def test_next_unfinished_skips_done_and_wraps() -> None:
    done = DocumentStatus.DONE
    statuses = {DocumentId(12): done, DocumentId(13): done}
    assert next_unfinished(ORDER, statuses, DocumentId(11)) == 10
    assert next_unfinished(ORDER, statuses, DocumentId(10)) == 11
    everything_done = dict.fromkeys(ORDER, done)
    assert next_unfinished(ORDER, everything_done, DocumentId(10)) is None
    assert next_unfinished(ORDER, {}, None) == 10


def test_position_is_one_based() -> None:
    assert position_of(ORDER, DocumentId(12)) == (3, 4)
    assert position_of(ORDER, None) == (0, 4)
