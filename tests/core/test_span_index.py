"""The span index behind the document view: overlap queries, lanes and text order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from spanlab.core.model import AnnotatorId, DocumentId, Span, SpanId
from spanlab.core.span_index import SpanIndex, assign_lanes, text_order_key


def span(span_id: int, start: int, end: int, label: str = "PERSON") -> Span:
    return Span(
        SpanId(span_id), DocumentId(1), AnnotatorId(1), label, start, end, "x" * (end - start)
    )


ranges = st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda t: (t[0], t[0] + t[1]))


@st.composite
def span_lists(draw: st.DrawFn) -> list[Span]:
    items = draw(st.lists(ranges, max_size=25))
    return [span(i + 1, s, e) for i, (s, e) in enumerate(items)]


@given(span_lists(), st.integers(0, 80), st.integers(1, 20))
def test_overlapping_matches_brute_force(spans: list[Span], start: int, width: int) -> None:
    index = SpanIndex(spans)
    end = start + width
    expected = sorted((s for s in spans if s.start < end and s.end > start), key=text_order_key)
    assert index.overlapping(start, end) == expected


@given(span_lists(), st.lists(st.integers(1, 25), max_size=10))
def test_incremental_updates_equal_a_fresh_index(spans: list[Span], removals: list[int]) -> None:
    index = SpanIndex()
    for item in spans:
        index.add(item)
    kept = list(spans)
    for span_id in removals:
        removed = index.remove(span_id)
        assert (removed is not None) == any(s.id == span_id for s in kept)
        kept = [s for s in kept if s.id != span_id]
    fresh = SpanIndex(kept)
    assert list(index) == list(fresh)
    for position in range(0, 80, 7):
        assert index.overlapping(position, position + 9) == fresh.overlapping(
            position, position + 9
        )


@given(span_lists())
def test_lanes_never_put_overlapping_spans_together(spans: list[Span]) -> None:
    lanes = assign_lanes(spans)
    for a in spans:
        for b in spans:
            if a.id != b.id and a.start < b.end and b.start < a.end:
                assert lanes[a.id] != lanes[b.id]


@given(span_lists())
def test_walking_following_visits_every_span_once_in_text_order(spans: list[Span]) -> None:
    index = SpanIndex(spans)
    seen: list[Span] = []
    current = index.following(position=0)
    while current is not None:
        seen.append(current)
        current = index.following(span=current)
    assert seen == sorted(spans, key=text_order_key)
    back: list[Span] = []
    current = index.last()
    while current is not None:
        back.append(current)
        current = index.preceding(span=current)
    assert back == seen[::-1]


def test_nested_spans_innermost_first_and_touching_after_end() -> None:
    outer, inner, same = (
        span(1, 0, 20, "ROLE"),
        span(2, 5, 10, "COUNTRY"),
        span(3, 5, 10, "LOCATION"),
    )
    index = SpanIndex([outer, inner, same])
    assert [s.id for s in index.at(6)] == [2, 3, 1]
    assert [s.id for s in index.at(1)] == [1]
    assert index.at(20) == []
    assert [s.id for s in index.touching(20)] == [1]
    assert {s.id for s in index.exact(5, 10)} == {2, 3}
    assert index.position(1) == 0 and index.at_row(0) is outer
    assert index.following(position=3) == inner
    assert index.preceding(position=5) == outer


def test_max_length_shrinks_after_removing_the_longest_span() -> None:
    index = SpanIndex([span(1, 0, 50), span(2, 60, 62)])
    index.remove(1)
    assert index.overlapping(61, 62) == [span(2, 60, 62)]
    assert index.overlapping(0, 59) == []
    assert 2 in index and 1 not in index and len(index) == 1
