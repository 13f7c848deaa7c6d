"""One-to-one alignment of two annotators' spans, document by document.

Two modes (agreement.md section 2.6):

* ``EXACT``: a pair is compatible when both spans have the same start and end.
* ``OVERLAP``: a pair is compatible when the spans share at least one character
  (``max(start) < min(end)``) or have identical offsets (so zero-length spans can still
  match exactly), and their intersection over union is at least ``min_iou``.

With ``labelled=True`` a compatible pair must also have the same label; with
``labelled=False`` labels are ignored for compatibility.

Among all one-to-one matchings of compatible pairs we take one of **maximum cardinality**;
ties are broken by the largest total overlap (characters in common), then the most exact
(same offsets) pairs, then the most same-label pairs; remaining ties are resolved deterministically
(spans are processed in start, end, label, id order), so the same input always gives the
same alignment.

Spans are compared with set semantics: an exact duplicate (same document, offsets and
label) by the same annotator counts once (the lowest id is kept).
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spanlab.core.agreement._common import check_span, position_key
from spanlab.core.model import DocumentId, Span


class MatchMode(enum.StrEnum):
    """How two spans must relate to be aligned."""

    EXACT = "exact"
    OVERLAP = "overlap"


@dataclass(frozen=True, slots=True)
class SpanMatch:
    """An aligned pair: ``a`` from the first annotator, ``b`` from the second."""

    a: Span
    b: Span

    @property
    def overlap(self) -> int:
        """Characters the two spans share."""
        return max(0, min(self.a.end, self.b.end) - max(self.a.start, self.b.start))

    @property
    def union(self) -> int:
        """Characters covered by either span."""
        return (self.a.end - self.a.start) + (self.b.end - self.b.start) - self.overlap

    @property
    def iou(self) -> float:
        """Intersection over union (1.0 for identical spans, zero-length ones included)."""
        if self.exact:
            return 1.0
        union = self.union
        return self.overlap / union if union else 0.0

    @property
    def exact(self) -> bool:
        """Same start and end."""
        return self.a.start == self.b.start and self.a.end == self.b.end

    @property
    def same_label(self) -> bool:
        """Same label."""
        return self.a.label == self.b.label


@dataclass(frozen=True, slots=True)
class SpanAlignment:
    """Result of :func:`align_spans`: matched pairs plus what each side left unmatched."""

    mode: MatchMode
    labelled: bool
    matches: tuple[SpanMatch, ...]
    unmatched_a: tuple[Span, ...]
    unmatched_b: tuple[Span, ...]

    @property
    def exact_matches(self) -> int:
        """Matched pairs with identical offsets."""
        return sum(1 for match in self.matches if match.exact)

    @property
    def partial_matches(self) -> int:
        """Matched pairs that overlap without identical offsets."""
        return len(self.matches) - self.exact_matches


def align_spans(
    spans_a: Iterable[Span],
    spans_b: Iterable[Span],
    *,
    mode: MatchMode = MatchMode.OVERLAP,
    labelled: bool = True,
    min_iou: float = 0.0,
) -> SpanAlignment:
    """Align the spans of annotator a with those of annotator b, within each document.

    Spans are only ever paired with spans of the same document.  ``spans_a`` and
    ``spans_b`` are normally one annotator each; the annotator id is not checked.
    """
    by_document_a = _dedupe_by_document(spans_a)
    by_document_b = _dedupe_by_document(spans_b)
    matches: list[SpanMatch] = []
    unmatched_a: list[Span] = []
    unmatched_b: list[Span] = []
    for document in sorted(by_document_a.keys() | by_document_b.keys()):
        group_a = by_document_a.get(document, [])
        group_b = by_document_b.get(document, [])
        pairs = match_indices(group_a, group_b, mode=mode, labelled=labelled, min_iou=min_iou)
        used_a = {i for i, _ in pairs}
        used_b = {j for _, j in pairs}
        matches.extend(SpanMatch(group_a[i], group_b[j]) for i, j in pairs)
        unmatched_a.extend(span for i, span in enumerate(group_a) if i not in used_a)
        unmatched_b.extend(span for j, span in enumerate(group_b) if j not in used_b)
    return SpanAlignment(
        mode=mode,
        labelled=labelled,
        matches=tuple(matches),
        unmatched_a=tuple(unmatched_a),
        unmatched_b=tuple(unmatched_b),
    )


def _dedupe_by_document(spans: Iterable[Span]) -> dict[DocumentId, list[Span]]:
    kept: dict[tuple[DocumentId, int, int, str], Span] = {}
    for span in spans:
        check_span(span)
        key = (span.document_id, span.start, span.end, span.label)
        previous = kept.get(key)
        if previous is None or span.id < previous.id:
            kept[key] = span
    grouped: dict[DocumentId, list[Span]] = {}
    for span in kept.values():
        grouped.setdefault(span.document_id, []).append(span)
    for group in grouped.values():
        group.sort(key=position_key)
    return grouped


def match_indices(
    spans_a: Sequence[Span],
    spans_b: Sequence[Span],
    *,
    mode: MatchMode,
    labelled: bool,
    min_iou: float = 0.0,
) -> list[tuple[int, int]]:
    """Indices ``(i, j)`` of a maximum one-to-one matching of one document's spans.

    Inputs must be duplicate-free and sorted by (start, end, label, id); the output is
    sorted by ``i``.
    """
    if not spans_a or not spans_b:
        return []
    if mode is MatchMode.EXACT:
        return _exact_matching(spans_a, spans_b, labelled=labelled)
    edges = _overlap_edges(spans_a, spans_b, labelled=labelled, min_iou=min_iou)
    return _best_matching(spans_a, spans_b, edges)


def _exact_matching(
    spans_a: Sequence[Span], spans_b: Sequence[Span], *, labelled: bool
) -> list[tuple[int, int]]:
    if labelled:
        index_b = {(s.start, s.end, s.label): j for j, s in enumerate(spans_b)}
        pairs = []
        for i, span in enumerate(spans_a):
            j = index_b.get((span.start, span.end, span.label))
            if j is not None:
                pairs.append((i, j))
        return pairs
    positions_b = {(s.start, s.end): j for j, s in enumerate(spans_b)}
    if len(positions_b) == len(spans_b) and len({(s.start, s.end) for s in spans_a}) == len(
        spans_a
    ):
        # No stacked spans: at most one candidate on each side.
        return [
            (i, positions_b[(s.start, s.end)])
            for i, s in enumerate(spans_a)
            if (s.start, s.end) in positions_b
        ]
    # Label-blind: within each (start, end) group pair equal labels first, then the rest
    # in label order (both groups are already sorted by label).
    groups_b: dict[tuple[int, int], list[int]] = {}
    for j, span in enumerate(spans_b):
        groups_b.setdefault((span.start, span.end), []).append(j)
    groups_a: dict[tuple[int, int], list[int]] = {}
    for i, span in enumerate(spans_a):
        groups_a.setdefault((span.start, span.end), []).append(i)
    result: list[tuple[int, int]] = []
    for key, members_a in groups_a.items():
        members_b = groups_b.get(key)
        if not members_b:
            continue
        free_b = list(members_b)
        rest_a: list[int] = []
        for i in members_a:
            same = next((j for j in free_b if spans_b[j].label == spans_a[i].label), None)
            if same is None:
                rest_a.append(i)
            else:
                free_b.remove(same)
                result.append((i, same))
        result.extend(zip(rest_a, free_b, strict=False))
    result.sort()
    return result


def _overlap_edges(
    spans_a: Sequence[Span], spans_b: Sequence[Span], *, labelled: bool, min_iou: float
) -> list[tuple[int, int]]:
    """Compatible pairs (both inputs are sorted by start)."""
    edges: list[tuple[int, int]] = []
    starts_b = [span.start for span in spans_b]
    longest_b = max(span.end - span.start for span in spans_b)
    for i, span in enumerate(spans_a):
        start, end = span.start, span.end
        if end == start:
            # A zero-length span only matches a zero-length span at the same offset.
            j = bisect_left(starts_b, start)
            while j < len(spans_b) and starts_b[j] == start:
                other = spans_b[j]
                if other.end == start and (not labelled or other.label == span.label):
                    edges.append((i, j))
                j += 1
            continue
        # b can only overlap when b.start > start - longest_b and b.start < end.
        first = bisect_right(starts_b, start - longest_b)
        last = bisect_left(starts_b, end, lo=first)
        for j in range(first, last):
            other = spans_b[j]
            if other.end > start and other.end > other.start:
                if labelled and other.label != span.label:
                    continue
                edges.append((i, j))
    if min_iou > 0:
        edges = [(i, j) for i, j in edges if SpanMatch(spans_a[i], spans_b[j]).iou >= min_iou]
    return edges


def _best_matching(
    spans_a: Sequence[Span], spans_b: Sequence[Span], edges: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Maximum-cardinality matching with the tie-breaks of the module docstring."""
    if not edges:
        return []
    if len({i for i, _ in edges}) == len(edges) == len({j for _, j in edges}):
        return edges  # every span has at most one candidate
    # Split the compatibility graph into connected components (union-find).
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for i, j in edges:
        root_a, root_b = find((0, i)), find((1, j))
        if root_a != root_b:
            parent[root_b] = root_a
    components: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for i, j in edges:
        components.setdefault(find((0, i)), []).append((i, j))
    result: list[tuple[int, int]] = []
    for component in components.values():
        if len(component) == 1:
            result.append(component[0])
        else:
            result.extend(_solve_component(spans_a, spans_b, component))
    result.sort()
    return result


def _solve_component(
    spans_a: Sequence[Span], spans_b: Sequence[Span], edges: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    rows = sorted({i for i, _ in edges})
    columns = sorted({j for _, j in edges})
    transpose = len(rows) > len(columns)
    size = min(len(rows), len(columns))
    base = size + 1
    secondary: dict[tuple[int, int], int] = {}
    for i, j in edges:
        match = SpanMatch(spans_a[i], spans_b[j])
        secondary[(i, j)] = (
            match.overlap * base * base + int(match.exact) * base + int(match.same_label)
        )
    # Any matching with one more pair must beat every matching with fewer pairs.
    primary = size * max(secondary.values()) + 1
    if transpose:
        weights = [
            [primary + secondary[(i, j)] if (i, j) in secondary else 0 for i in rows]
            for j in columns
        ]
    else:
        weights = [
            [primary + secondary[(i, j)] if (i, j) in secondary else 0 for j in columns]
            for i in rows
        ]
    assignment = _max_weight_assignment(weights)
    pairs: list[tuple[int, int]] = []
    for r, c in enumerate(assignment):
        if weights[r][c] == 0:
            continue
        if transpose:
            pairs.append((rows[c], columns[r]))
        else:
            pairs.append((rows[r], columns[c]))
    return pairs


def _max_weight_assignment(weights: list[list[int]]) -> list[int]:
    """Hungarian algorithm (shortest augmenting paths with potentials), rows <= columns.

    Returns, for each row, the column assigned to it so that the total weight is maximal.
    """
    n = len(weights)
    m = len(weights[0])
    infinity = 4 * (sum(sum(row) for row in weights) + 1)
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j] = row (1-based) assigned to column j, 0 if free
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        j0 = 0
        min_reduced = [infinity] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta = infinity
            j1 = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                reduced = -weights[i0 - 1][j - 1] - u[i0] - v[j]
                if reduced < min_reduced[j]:
                    min_reduced[j] = reduced
                    way[j] = j0
                if min_reduced[j] < delta:
                    delta = min_reduced[j]
                    j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    min_reduced[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    assignment = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            assignment[owner[j] - 1] = j - 1
    return assignment
