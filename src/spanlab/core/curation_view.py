"""What a curator sees on one document: candidates with a status and gold's decision.

Part of :mod:`spanlab.core.curation` (read that module's docstring for the rules); this
module holds the read side: which annotators count, how their annotations are grouped
into candidates, each candidate's status and whether gold has decided it.

The analysis is split in two so the merge preview can ask "what would be unresolved
after this merge": :func:`analyse` depends only on the annotators' layers, and
:func:`decide` combines it with a :class:`GoldState` (the real gold layer, or a
hypothetical one).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection

from spanlab.core.errors import SpanLabError
from spanlab.core.model import (
    GOLD_ANNOTATOR,
    Annotator,
    AnnotatorId,
    DocumentId,
    DocumentStatus,
    Entity,
    Relation,
    Span,
    SpanId,
)
from spanlab.core.project import Project
from spanlab.core.storage import repository as repo


class CurationError(SpanLabError):
    """A curation request names unknown annotators or documents, or cannot be done."""


class CurationState(enum.StrEnum):
    """Curation progress of a document: the gold layer's document status, renamed."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    CURATED = "curated"

    @classmethod
    def of(cls, status: DocumentStatus) -> CurationState:
        """The state of a gold document status."""
        return _STATE_OF[status]

    @property
    def status(self) -> DocumentStatus:
        """The gold document status that stores this state."""
        return _STATUS_OF[self]

    @property
    def display_name(self) -> str:
        """For lists and filters: "not started", "in progress", "curated"."""
        return self.value.replace("_", " ")


_STATE_OF = {
    DocumentStatus.NEW: CurationState.NOT_STARTED,
    DocumentStatus.IN_PROGRESS: CurationState.IN_PROGRESS,
    DocumentStatus.DONE: CurationState.CURATED,
}
_STATUS_OF = {state: status for status, state in _STATE_OF.items()}


class CandidateStatus(enum.StrEnum):
    """How the counted annotators agree on a candidate (the curation view's colours)."""

    ALL_AGREE = "all_agree"
    SOME_AGREE = "some_agree"
    ONLY_ONE = "only_one"
    CONFLICTING_LABEL = "conflicting_label"
    CONFLICTING_BOUNDARIES = "conflicting_boundaries"

    @property
    def is_conflict(self) -> bool:
        """Whether another candidate competes with this one."""
        return self in (CandidateStatus.CONFLICTING_LABEL, CandidateStatus.CONFLICTING_BOUNDARIES)

    @property
    def display_name(self) -> str:
        """For legends: "all agree", "conflicting label", ..."""
        return self.value.replace("_", " ")


class Decision(enum.StrEnum):
    """What the gold layer says about a candidate."""

    OPEN = "open"  # gold has not decided: the candidate waits for the curator
    ACCEPTED = "accepted"  # gold holds the candidate
    REJECTED = "rejected"  # gold holds something else in its place


class CandidateKind(enum.StrEnum):
    """What a candidate is about."""

    SPAN = "span"
    RELATION = "relation"
    ATTRIBUTE = "attribute"
    ENTITY = "entity"


class SpanKey(NamedTuple):
    """Where and what a span is, independent of who made it."""

    start: int
    end: int
    label: str


def span_key(span: Span) -> SpanKey:
    """The key of a span."""
    return SpanKey(span.start, span.end, span.label)


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class SpanCandidate:
    """Identical spans (same offsets and label) of one or more annotators.

    ``spans`` maps each holder (annotator name) to their span; ``conflicts`` are the
    indices of the span candidates competing with this one, ``group`` the smallest
    index of its connected group of conflicts (its own index when it has none).
    """

    index: int
    document_id: DocumentId
    key: SpanKey
    text: str
    spans: Mapping[str, Span]
    status: CandidateStatus
    conflicts: tuple[int, ...]
    group: int
    decision: Decision = Decision.OPEN
    unresolved: bool = True
    gold_span: Span | None = None

    kind = CandidateKind.SPAN

    @property
    def start(self) -> int:
        """First character."""
        return self.key.start

    @property
    def end(self) -> int:
        """End offset (exclusive)."""
        return self.key.end

    @property
    def label(self) -> str:
        """The label."""
        return self.key.label

    @property
    def position(self) -> int:
        """Where the curator jumps to."""
        return self.key.start

    @property
    def holders(self) -> tuple[str, ...]:
        """Annotators who made this span, by name."""
        return tuple(self.spans)

    @property
    def votes(self) -> int:
        """How many annotators made it."""
        return len(self.spans)


@dataclass(frozen=True, slots=True)
class RelationCandidate:
    """Relations of the same type between the same span candidates.

    ``head`` and ``tail`` are span candidate indices (for a symmetric type the lower
    index is the head); ``head_key`` and ``tail_key`` say where they are.
    """

    index: int
    document_id: DocumentId
    label: str
    head: int
    tail: int
    head_key: SpanKey
    tail_key: SpanKey
    symmetric: bool
    relations: Mapping[str, Relation]
    status: CandidateStatus
    conflicts: tuple[int, ...]
    decision: Decision = Decision.OPEN
    unresolved: bool = True
    gold_relation: Relation | None = None

    kind = CandidateKind.RELATION

    @property
    def position(self) -> int:
        """The start of the earlier end."""
        return min(self.head_key.start, self.tail_key.start)

    @property
    def holders(self) -> tuple[str, ...]:
        """Annotators who made this relation, by name."""
        return tuple(self.relations)

    @property
    def votes(self) -> int:
        """How many annotators made it."""
        return len(self.relations)


@dataclass(frozen=True, slots=True)
class AttributeCandidate:
    """An attribute whose value differs between the holders of one span or relation.

    ``values`` maps every holder of the owner to its value (None: not set).
    ``gold_value`` is gold's value when gold holds the owner.
    """

    index: int
    document_id: DocumentId
    owner_kind: CandidateKind
    owner: int
    name: str
    values: Mapping[str, Any]
    position: int
    decision: Decision = Decision.OPEN
    unresolved: bool = False
    gold_owner_id: int | None = None
    gold_value: Any = None

    kind = CandidateKind.ATTRIBUTE

    @property
    def options(self) -> tuple[tuple[Any, tuple[str, ...]], ...]:
        """Distinct values with the annotators who gave them, most votes first."""
        grouped: list[tuple[Any, list[str]]] = []
        for name, value in self.values.items():
            for known, names in grouped:
                if _same_value(known, value):
                    names.append(name)
                    break
            else:
                grouped.append((value, [name]))
        grouped.sort(key=lambda item: -len(item[1]))
        return tuple((value, tuple(names)) for value, names in grouped)


@dataclass(frozen=True, slots=True)
class EntityCandidate:
    """Entity groups with exactly the same mentions (span candidate indices).

    ``member_keys`` say where the mentions are; ``entities`` maps each holder to their
    entity.
    """

    index: int
    document_id: DocumentId
    members: tuple[int, ...]
    member_keys: tuple[SpanKey, ...]
    position: int
    entities: Mapping[str, Entity]
    status: CandidateStatus
    conflicts: tuple[int, ...]
    decision: Decision = Decision.OPEN
    unresolved: bool = True
    gold_entity: Entity | None = None

    kind = CandidateKind.ENTITY

    @property
    def names(self) -> Mapping[str, str]:
        """Each holder's name for the entity."""
        return MappingProxyType({who: e.name for who, e in self.entities.items()})

    @property
    def holders(self) -> tuple[str, ...]:
        """Annotators who made this grouping, by name."""
        return tuple(self.entities)

    @property
    def votes(self) -> int:
        """How many annotators made it."""
        return len(self.entities)


CurationItem = SpanCandidate | RelationCandidate | AttributeCandidate | EntityCandidate
"""Anything the curator decides on."""

_C = TypeVar("_C", SpanCandidate, RelationCandidate, EntityCandidate)

KIND_ORDER: Mapping[CandidateKind, int] = {
    CandidateKind.SPAN: 0,
    CandidateKind.ENTITY: 1,
    CandidateKind.ATTRIBUTE: 2,
    CandidateKind.RELATION: 3,
}


@dataclass(frozen=True, slots=True)
class CurationView:
    """One document as the curator sees it (see :func:`curation_view`).

    ``annotators`` are the layers compared (by name), ``excluded`` the annotators left
    out with the reason. Candidates are in text order; ``gold_only_spans`` are gold
    spans no compared annotator made (the curator's own edits).
    """

    document_id: DocumentId
    title: str
    state: CurationState
    annotators: tuple[str, ...]
    excluded: Mapping[str, str]
    gold_id: AnnotatorId | None
    spans: tuple[SpanCandidate, ...]
    relations: tuple[RelationCandidate, ...]
    attributes: tuple[AttributeCandidate, ...]
    entities: tuple[EntityCandidate, ...]
    gold_spans: tuple[Span, ...]
    gold_relations: tuple[Relation, ...]
    gold_entities: tuple[Entity, ...]
    gold_only_spans: tuple[Span, ...]

    @property
    def curated(self) -> bool:
        """Whether the document is marked curated (every candidate counts as resolved)."""
        return self.state is CurationState.CURATED

    def items(self) -> list[CurationItem]:
        """Every candidate in text order (spans before what builds on them)."""
        items: list[CurationItem] = [*self.spans, *self.relations, *self.attributes]
        items.extend(self.entities)
        items.sort(key=item_order)
        return items

    def unresolved(self) -> list[CurationItem]:
        """Candidates still waiting for the curator, in text order."""
        return [item for item in self.items() if item.unresolved]

    def status_counts(self) -> Mapping[CandidateStatus, int]:
        """Span candidates per status."""
        counts = dict.fromkeys(CandidateStatus, 0)
        for candidate in self.spans:
            counts[candidate.status] += 1
        return MappingProxyType(counts)

    def candidate_for_span(self, span_id: int) -> SpanCandidate | None:
        """The span candidate an annotator's span belongs to (for clicks in the view)."""
        for candidate in self.spans:
            if any(span.id == span_id for span in candidate.spans.values()):
                return candidate
        return None

    def candidate_for_relation(self, relation_id: int) -> RelationCandidate | None:
        """The relation candidate an annotator's relation belongs to."""
        for candidate in self.relations:
            if any(rel.id == relation_id for rel in candidate.relations.values()):
                return candidate
        return None


def item_order(item: CurationItem) -> tuple[int, int, int]:
    """Sort key of candidates in text order (stable while the annotators' layers are)."""
    return (item.position, KIND_ORDER[item.kind], item.index)


def next_unresolved(
    view: CurationView,
    after_offset: int = -1,
    *,
    after: CurationItem | None = None,
    wrap: bool = True,
    kinds: Iterable[CandidateKind] | None = None,
) -> CurationItem | None:
    """The next unresolved candidate in text order, or None when nothing is unresolved.

    It is the first one starting after ``after_offset``, or, given ``after`` (the
    candidate the curator is on, from this view or an earlier one of the same
    document), the first one following it — so candidates at the same offset are not
    skipped. With ``wrap`` the search continues from the top of the document.
    ``kinds`` limits the search (e.g. spans only).
    """
    wanted = set(kinds) if kinds is not None else set(CandidateKind)
    pending = [item for item in view.unresolved() if item.kind in wanted]
    for item in pending:
        if after is not None:
            if item_order(item) > item_order(after):
                return item
        elif item.position > after_offset:
            return item
    if wrap and pending:
        return pending[0]
    return None


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True, slots=True)
class Layer:
    """One annotator's annotations on one document."""

    annotator: Annotator
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    entities: tuple[Entity, ...]

    @property
    def empty(self) -> bool:
        """Whether the layer holds nothing."""
        return not (self.spans or self.relations or self.entities)


@dataclass(frozen=True, slots=True)
class DocumentData:
    """What the analysis of one document needs, read in one transaction."""

    document_id: DocumentId
    title: str
    layers: tuple[Layer, ...]
    excluded: Mapping[str, str]
    gold: Layer | None
    gold_status: DocumentStatus
    symmetric_types: frozenset[str]


def resolve_pool(conn: Connection, names: Sequence[str] | None) -> list[Annotator]:
    """The annotators to compare: ``names`` (checked), else every non-gold annotator."""
    everyone = repo.list_annotators(conn)
    people = [a for a in everyone if not a.is_gold]
    if names is None:
        return people
    by_name = {a.name: a for a in people}
    wanted = list(dict.fromkeys(names))
    if GOLD_ANNOTATOR in wanted:
        raise CurationError(
            f"'{GOLD_ANNOTATOR}' is the layer being curated; name the annotators to compare"
        )
    unknown = [name for name in wanted if name not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name)) or "none"
        raise CurationError(f"unknown annotator(s): {', '.join(unknown)} (known: {known})")
    if not wanted:
        raise CurationError("no annotator selected")
    return [by_name[name] for name in wanted]


def load_layer(conn: Connection, document_id: int, annotator: Annotator) -> Layer:
    """One annotator's layer on a document."""
    return Layer(
        annotator=annotator,
        spans=tuple(repo.list_spans(conn, document_id=document_id, annotator_id=annotator.id)),
        relations=tuple(
            repo.list_relations(conn, document_id=document_id, annotator_id=annotator.id)
        ),
        entities=tuple(
            repo.list_entities(conn, document_id=document_id, annotator_id=annotator.id)
        ),
    )


def load_document(
    conn: Connection,
    document_id: int,
    pool: Sequence[Annotator],
    *,
    include_unfinished: bool,
    symmetric_types: frozenset[str],
) -> DocumentData:
    """Layers of the pool that count on a document, plus the gold layer.

    An annotator counts when they marked the document done; with ``include_unfinished``
    also when they started it (in progress, or holding annotations there).
    """
    document = repo.get_document(conn, document_id)
    layers: list[Layer] = []
    excluded: dict[str, str] = {}
    for annotator in pool:
        status = repo.get_status(conn, document_id, annotator.id).status
        layer = load_layer(conn, document_id, annotator)
        started = status is DocumentStatus.IN_PROGRESS or not layer.empty
        if status is DocumentStatus.DONE or (include_unfinished and started):
            layers.append(layer)
        elif include_unfinished:
            excluded[annotator.name] = "has not started the document"
        else:
            excluded[annotator.name] = f"has not marked the document done ({status.value})"
    gold_annotator = repo.find_annotator(conn, GOLD_ANNOTATOR)
    gold = None
    gold_status = DocumentStatus.NEW
    if gold_annotator is not None:
        gold = load_layer(conn, document_id, gold_annotator)
        gold_status = repo.get_status(conn, document_id, gold_annotator.id).status
    return DocumentData(
        document_id=document.id,
        title=document.title,
        layers=tuple(layers),
        excluded=MappingProxyType(excluded),
        gold=gold,
        gold_status=gold_status,
        symmetric_types=symmetric_types,
    )


def symmetric_types(project: Project) -> frozenset[str]:
    """Relation types of the project's schema whose direction does not matter."""
    return frozenset(r.name for r in project.schema().relations if r.symmetric)


def curation_view(
    project: Project,
    document_id: int,
    *,
    annotators: Sequence[str] | None = None,
    include_unfinished: bool = False,
) -> CurationView:
    """The curation view of one document.

    ``annotators`` (names) limits the layers compared; by default every annotator
    except gold. Of those, a layer counts when its annotator marked the document done
    (``include_unfinished``: when they started it); the others are listed in
    ``excluded``. Raises :class:`CurationError` for unknown annotators and
    ``NotFoundError`` for an unknown document.
    """
    symmetric = symmetric_types(project)
    with project.read() as conn:
        pool = resolve_pool(conn, annotators)
        data = load_document(
            conn,
            document_id,
            pool,
            include_unfinished=include_unfinished,
            symmetric_types=symmetric,
        )
    return build_view(data)


def build_view(data: DocumentData) -> CurationView:
    """Analyse a document's layers and decide every candidate against its gold layer."""
    analysis = analyse(data)
    gold = GoldState.of(data.gold, analysis)
    curated = data.gold_status is DocumentStatus.DONE
    decided = decide(analysis, gold, curated=curated)
    gold_layer = data.gold
    known_keys = {candidate.key for candidate in analysis.spans}
    return CurationView(
        document_id=data.document_id,
        title=data.title,
        state=CurationState.of(data.gold_status),
        annotators=tuple(layer.annotator.name for layer in data.layers),
        excluded=data.excluded,
        gold_id=gold_layer.annotator.id if gold_layer is not None else None,
        spans=decided.spans,
        relations=decided.relations,
        attributes=decided.attributes,
        entities=decided.entities,
        gold_spans=gold_layer.spans if gold_layer else (),
        gold_relations=gold_layer.relations if gold_layer else (),
        gold_entities=gold_layer.entities if gold_layer else (),
        gold_only_spans=tuple(
            span
            for span in (gold_layer.spans if gold_layer else ())
            if span_key(span) not in known_keys
        ),
    )


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True, slots=True)
class Analysis:
    """Candidates of one document before gold is consulted (decisions all open)."""

    document_id: DocumentId
    annotators: tuple[str, ...]
    spans: tuple[SpanCandidate, ...]
    relations: tuple[RelationCandidate, ...]
    attributes: tuple[AttributeCandidate, ...]
    entities: tuple[EntityCandidate, ...]
    span_conflicts: Mapping[int, frozenset[int]]
    index_of_key: Mapping[SpanKey, int]
    symmetric_types: frozenset[str]


def analyse(data: DocumentData) -> Analysis:
    """Group the counted layers into candidates with statuses (see the module rules)."""
    n = len(data.layers)
    document_id = data.document_id
    # ---- spans: exact clusters (one span per annotator and key, the lowest id)
    held: dict[SpanKey, dict[str, Span]] = {}
    key_of_span: dict[tuple[str, SpanId], SpanKey] = {}
    for layer in data.layers:
        name = layer.annotator.name
        for span in sorted(layer.spans, key=lambda s: s.id):
            key = span_key(span)
            key_of_span[(name, span.id)] = key
            held.setdefault(key, {}).setdefault(name, span)
    keys = sorted(held)
    index_of_key = {key: i for i, key in enumerate(keys)}
    holders = [frozenset(held[key]) for key in keys]
    conflicts: dict[int, set[int]] = {i: set() for i in range(len(keys))}
    for i, key in enumerate(keys):
        j = i + 1
        while j < len(keys) and keys[j].start < key.end:
            other = keys[j]
            if other.end > key.start and _incomparable(holders[i], holders[j]):
                conflicts[i].add(j)
                conflicts[j].add(i)
            j += 1
    groups = _components(len(keys), conflicts)
    span_candidates: list[SpanCandidate] = []
    for i, key in enumerate(keys):
        rivals = conflicts[i]
        if any((keys[j].start, keys[j].end) == (key.start, key.end) for j in rivals):
            status = CandidateStatus.CONFLICTING_LABEL
        elif rivals:
            status = CandidateStatus.CONFLICTING_BOUNDARIES
        else:
            status = _count_status(len(holders[i]), n)
        spans = _ordered(held[key], data.layers)
        span_candidates.append(
            SpanCandidate(
                index=i,
                document_id=document_id,
                key=key,
                text=next(iter(spans.values())).text,
                spans=spans,
                status=status,
                conflicts=tuple(sorted(rivals)),
                group=groups[i],
            )
        )
    unit_of: dict[tuple[str, SpanId], int] = {
        owner: index_of_key[key] for owner, key in key_of_span.items()
    }

    relation_candidates = _relation_candidates(data, unit_of, keys, conflicts)
    entity_candidates = _entity_candidates(data, unit_of, keys)
    attributes = _attribute_candidates(document_id, span_candidates, relation_candidates)
    return Analysis(
        document_id=document_id,
        annotators=tuple(layer.annotator.name for layer in data.layers),
        spans=tuple(span_candidates),
        relations=tuple(relation_candidates),
        attributes=tuple(attributes),
        entities=tuple(entity_candidates),
        span_conflicts=MappingProxyType({i: frozenset(c) for i, c in conflicts.items()}),
        index_of_key=MappingProxyType(index_of_key),
        symmetric_types=data.symmetric_types,
    )


def _incomparable(a: frozenset[str], b: frozenset[str]) -> bool:
    """Someone made a but not b, and someone else b but not a: the two compete."""
    return not (a <= b or b <= a)


def _count_status(votes: int, n: int) -> CandidateStatus:
    if votes >= n:
        return CandidateStatus.ALL_AGREE
    if votes >= 2:
        return CandidateStatus.SOME_AGREE
    return CandidateStatus.ONLY_ONE


def _ordered(by_name: Mapping[str, Any], layers: Sequence[Layer]) -> Mapping[str, Any]:
    """``by_name`` in the order of the layers (so holders list in a stable order)."""
    return MappingProxyType(
        {
            layer.annotator.name: by_name[layer.annotator.name]
            for layer in layers
            if layer.annotator.name in by_name
        }
    )


def _components(size: int, edges: Mapping[int, Iterable[int]]) -> list[int]:
    """For each node, the smallest node of its connected component."""
    group = list(range(size))
    for start in range(size):
        if group[start] != start:
            continue
        stack = [start]
        while stack:
            node = stack.pop()
            for other in edges.get(node, ()):
                if other > start and group[other] == other:
                    group[other] = start
                    stack.append(other)
    return group


_RelKey = tuple[str, int, int]


def _relation_key(label: str, head: int, tail: int, symmetric: frozenset[str]) -> _RelKey:
    if label in symmetric and tail < head:
        head, tail = tail, head
    return (label, head, tail)


def _relation_candidates(
    data: DocumentData,
    unit_of: Mapping[tuple[str, SpanId], int],
    keys: Sequence[SpanKey],
    span_conflicts: Mapping[int, set[int]],
) -> list[RelationCandidate]:
    held: dict[_RelKey, dict[str, Relation]] = {}
    for layer in data.layers:
        name = layer.annotator.name
        for relation in sorted(layer.relations, key=lambda r: r.id):
            head = unit_of.get((name, relation.head_id))
            tail = unit_of.get((name, relation.tail_id))
            if head is None or tail is None:  # an end outside the layer: not possible in a store
                continue
            key = _relation_key(relation.label, head, tail, data.symmetric_types)
            held.setdefault(key, {}).setdefault(name, relation)
    rel_keys = sorted(
        held, key=lambda k: (min(keys[k[1]].start, keys[k[2]].start), k[1], k[2], k[0])
    )
    holders = [frozenset(held[k]) for k in rel_keys]
    by_end: dict[int, list[int]] = {}
    for i, (_, head, tail) in enumerate(rel_keys):
        by_end.setdefault(head, []).append(i)
        if tail != head:
            by_end.setdefault(tail, []).append(i)
    n = len(data.layers)
    result: list[RelationCandidate] = []
    for i, (label, head, tail) in enumerate(rel_keys):
        near: set[int] = set()
        for end in (head, tail):
            for unit in (end, *span_conflicts.get(end, ())):
                near.update(by_end.get(unit, ()))
        label_rivals: list[int] = []
        end_rivals: list[int] = []
        for j in sorted(near - {i}):
            if not _incomparable(holders[i], holders[j]):
                continue
            other_label, other_head, other_tail = rel_keys[j]
            if {other_head, other_tail} == {head, tail}:
                label_rivals.append(j)  # same ends: another type or direction
            elif other_label == label and _ends_compete(
                (head, tail),
                (other_head, other_tail),
                span_conflicts,
                symmetric=label in data.symmetric_types,
            ):
                end_rivals.append(j)
        if label_rivals:
            status = CandidateStatus.CONFLICTING_LABEL
        elif end_rivals:
            status = CandidateStatus.CONFLICTING_BOUNDARIES
        else:
            status = _count_status(len(holders[i]), n)
        result.append(
            RelationCandidate(
                index=i,
                document_id=data.document_id,
                label=label,
                head=head,
                tail=tail,
                head_key=keys[head],
                tail_key=keys[tail],
                symmetric=label in data.symmetric_types,
                relations=_ordered(held[rel_keys[i]], data.layers),
                status=status,
                conflicts=tuple(sorted({*label_rivals, *end_rivals})),
            )
        )
    return result


def _ends_compete(
    ends: tuple[int, int],
    other: tuple[int, int],
    span_conflicts: Mapping[int, set[int]],
    *,
    symmetric: bool,
) -> bool:
    """Each end equal to or competing with the other's, and not both equal."""
    orientations = [other, (other[1], other[0])] if symmetric else [other]
    for head, tail in orientations:
        pairs = ((ends[0], head), (ends[1], tail))
        if all(a == b or b in span_conflicts.get(a, ()) for a, b in pairs) and any(
            a != b for a, b in pairs
        ):
            return True
    return False


def _entity_candidates(
    data: DocumentData,
    unit_of: Mapping[tuple[str, SpanId], int],
    keys: Sequence[SpanKey],
) -> list[EntityCandidate]:
    held: dict[tuple[int, ...], dict[str, Entity]] = {}
    for layer in data.layers:
        name = layer.annotator.name
        members: dict[int, set[int]] = {}
        for span in layer.spans:
            if span.entity_id is not None:
                members.setdefault(span.entity_id, set()).add(unit_of[(name, span.id)])
        for entity in sorted(layer.entities, key=lambda e: e.id):
            units = tuple(sorted(members.get(entity.id, ())))
            if units:  # an entity without mentions is invisible: nothing to curate
                held.setdefault(units, {}).setdefault(name, entity)
    member_keys = sorted(held, key=lambda m: (keys[m[0]].start, m))
    holders = [frozenset(held[m]) for m in member_keys]
    by_member: dict[int, list[int]] = {}
    for i, members_i in enumerate(member_keys):
        for unit in members_i:
            by_member.setdefault(unit, []).append(i)
    n = len(data.layers)
    result: list[EntityCandidate] = []
    for i, members_i in enumerate(member_keys):
        rivals = sorted(
            {
                j
                for unit in members_i
                for j in by_member[unit]
                if j != i and _incomparable(holders[i], holders[j])
            }
        )
        entities = _ordered(held[members_i], data.layers)
        names = {" ".join(e.name.split()) for e in entities.values()}
        if rivals:
            status = CandidateStatus.CONFLICTING_BOUNDARIES
        elif len(names) > 1:
            status = CandidateStatus.CONFLICTING_LABEL
        else:
            status = _count_status(len(holders[i]), n)
        result.append(
            EntityCandidate(
                index=i,
                document_id=data.document_id,
                members=members_i,
                member_keys=tuple(keys[i] for i in members_i),
                position=keys[members_i[0]].start,
                entities=entities,
                status=status,
                conflicts=tuple(rivals),
            )
        )
    return result


def _same_value(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)


def _attribute_candidates(
    document_id: DocumentId,
    spans: Sequence[SpanCandidate],
    relations: Sequence[RelationCandidate],
) -> list[AttributeCandidate]:
    owners: list[tuple[CandidateKind, int, int, Mapping[str, Mapping[str, Any]]]] = []
    for span_candidate in spans:
        owners.append(
            (
                CandidateKind.SPAN,
                span_candidate.index,
                span_candidate.position,
                {who: s.attributes for who, s in span_candidate.spans.items()},
            )
        )
    for relation_candidate in relations:
        owners.append(
            (
                CandidateKind.RELATION,
                relation_candidate.index,
                relation_candidate.position,
                {who: r.attributes for who, r in relation_candidate.relations.items()},
            )
        )
    result: list[AttributeCandidate] = []
    for owner_kind, owner, position, by_holder in owners:
        if len(by_holder) < 2:
            continue
        names = sorted({name for attributes in by_holder.values() for name in attributes})
        for name in names:
            values = {who: attributes.get(name) for who, attributes in by_holder.items()}
            first = next(iter(values.values()))
            if all(_same_value(first, value) for value in values.values()):
                continue
            result.append(
                AttributeCandidate(
                    index=len(result),
                    document_id=document_id,
                    owner_kind=owner_kind,
                    owner=owner,
                    name=name,
                    values=MappingProxyType(values),
                    position=position,
                )
            )
    return result


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True, slots=True)
class GoldState:
    """The gold layer of a document as the decisions need it (real or hypothetical).

    Spans are keyed by :class:`SpanKey`; ``spans`` maps a key to the gold span when one
    exists (None for a span a merge would add). Relation keys and entity members use
    span candidate indices, and negative numbers for gold spans no annotator made.
    """

    spans: Mapping[SpanKey, Span | None] = field(default_factory=dict)
    relations: Mapping[_RelKey, Relation | None] = field(default_factory=dict)
    entities: tuple[tuple[frozenset[int], Entity | None], ...] = ()
    attributes: Mapping[tuple[CandidateKind, int], Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, gold: Layer | None, analysis: Analysis) -> GoldState:
        """The state of a real gold layer."""
        if gold is None:
            return cls()
        spans: dict[SpanKey, Span | None] = {}
        unit: dict[SpanId, int] = {}
        extra = 0
        for span in sorted(gold.spans, key=lambda s: s.id):
            key = span_key(span)
            spans.setdefault(key, span)
            index = analysis.index_of_key.get(key)
            if index is None:
                extra += 1
                index = -extra
            unit[span.id] = index
        relations: dict[_RelKey, Relation | None] = {}
        attributes: dict[tuple[CandidateKind, int], Mapping[str, Any]] = {}
        for key, maybe_span in spans.items():
            index = analysis.index_of_key.get(key)
            if index is not None and maybe_span is not None:
                attributes[(CandidateKind.SPAN, index)] = maybe_span.attributes
        rel_index = {(r.label, r.head, r.tail): r.index for r in analysis.relations}
        for relation in sorted(gold.relations, key=lambda r: r.id):
            head, tail = unit.get(relation.head_id), unit.get(relation.tail_id)
            if head is None or tail is None:
                continue
            rel_key = _relation_key(relation.label, head, tail, analysis.symmetric_types)
            relations.setdefault(rel_key, relation)
            if rel_key in rel_index:
                attributes.setdefault(
                    (CandidateKind.RELATION, rel_index[rel_key]), relation.attributes
                )
        members: dict[int, set[int]] = {}
        for span in gold.spans:
            if span.entity_id is not None:
                members.setdefault(span.entity_id, set()).add(unit[span.id])
        entities = tuple(
            (frozenset(members.get(entity.id, ())), entity)
            for entity in gold.entities
            if members.get(entity.id)
        )
        return cls(
            spans=MappingProxyType(spans),
            relations=MappingProxyType(relations),
            entities=entities,
            attributes=MappingProxyType(attributes),
        )


@dataclass(frozen=True, slots=True)
class Decided:
    """The candidates of an analysis with their decisions filled in."""

    spans: tuple[SpanCandidate, ...]
    relations: tuple[RelationCandidate, ...]
    attributes: tuple[AttributeCandidate, ...]
    entities: tuple[EntityCandidate, ...]


def decide(analysis: Analysis, gold: GoldState, *, curated: bool = False) -> Decided:
    """Decide every candidate against ``gold`` (see the rules of :mod:`.curation`)."""
    gold_only = [key for key in gold.spans if key not in analysis.index_of_key]
    span_decisions: list[Decision] = []
    for candidate in analysis.spans:
        key = candidate.key
        if key in gold.spans:
            decision = Decision.ACCEPTED
        elif any(analysis.spans[j].key in gold.spans for j in candidate.conflicts) or any(
            other.start < key.end and key.start < other.end for other in gold_only
        ):
            decision = Decision.REJECTED
        else:
            decision = Decision.OPEN
        span_decisions.append(decision)
    spans = tuple(
        _with(
            candidate,
            decision,
            curated,
            gold_span=gold.spans.get(candidate.key) if decision is Decision.ACCEPTED else None,
        )
        for candidate, decision in zip(analysis.spans, span_decisions, strict=True)
    )

    relation_decisions: list[Decision] = []
    gold_end_pairs: dict[frozenset[int], set[_RelKey]] = {}
    for rel_key in gold.relations:
        gold_end_pairs.setdefault(frozenset(rel_key[1:]), set()).add(rel_key)
    for relation in analysis.relations:
        own = (relation.label, relation.head, relation.tail)
        if own in gold.relations:
            decision = Decision.ACCEPTED
        elif (
            any(
                (other.label, other.head, other.tail) in gold.relations
                for other in (analysis.relations[j] for j in relation.conflicts)
            )
            or gold_end_pairs.get(frozenset((relation.head, relation.tail)), set()) - {own}
            or Decision.REJECTED in (span_decisions[relation.head], span_decisions[relation.tail])
        ):
            decision = Decision.REJECTED
        else:
            decision = Decision.OPEN
        relation_decisions.append(decision)
    relations = tuple(
        _with(
            candidate,
            decision,
            curated,
            gold_relation=(
                gold.relations.get((candidate.label, candidate.head, candidate.tail))
                if decision is Decision.ACCEPTED
                else None
            ),
        )
        for candidate, decision in zip(analysis.relations, relation_decisions, strict=True)
    )

    entity_candidates: list[EntityCandidate] = []
    for entity in analysis.entities:
        members = frozenset(entity.members)
        same = next((e for m, e in gold.entities if m == members), None)
        if any(m == members for m, _ in gold.entities):
            decision = Decision.ACCEPTED
        elif any(m & members for m, _ in gold.entities) or any(
            span_decisions[i] is Decision.REJECTED for i in entity.members
        ):
            decision = Decision.REJECTED
        else:
            decision = Decision.OPEN
        entity_candidates.append(_with(entity, decision, curated, gold_entity=same))

    attributes: list[AttributeCandidate] = []
    for attribute in analysis.attributes:
        owner_decision = (
            span_decisions[attribute.owner]
            if attribute.owner_kind is CandidateKind.SPAN
            else relation_decisions[attribute.owner]
        )
        gold_attributes = gold.attributes.get((attribute.owner_kind, attribute.owner))
        owner_gold = (
            spans[attribute.owner].gold_span
            if attribute.owner_kind is CandidateKind.SPAN
            else relations[attribute.owner].gold_relation
        )
        if owner_decision is not Decision.ACCEPTED:
            attributes.append(
                _replace_attribute(
                    attribute, owner_decision, unresolved=False, owner_id=None, value=None
                )
            )
            continue
        value = None if gold_attributes is None else gold_attributes.get(attribute.name)
        decision = Decision.OPEN if value is None else Decision.ACCEPTED
        attributes.append(
            _replace_attribute(
                attribute,
                decision,
                unresolved=decision is Decision.OPEN and not curated,
                owner_id=owner_gold.id if owner_gold is not None else None,
                value=value,
            )
        )
    return Decided(
        spans=spans,
        relations=relations,
        attributes=tuple(attributes),
        entities=tuple(entity_candidates),
    )


def _with(candidate: _C, decision: Decision, curated: bool, **extra: Any) -> _C:
    return replace(
        candidate,
        decision=decision,
        unresolved=decision is Decision.OPEN and not curated,
        **extra,
    )


def _replace_attribute(
    attribute: AttributeCandidate,
    decision: Decision,
    *,
    unresolved: bool,
    owner_id: int | None,
    value: Any,
) -> AttributeCandidate:
    return replace(
        attribute,
        decision=decision,
        unresolved=unresolved,
        gold_owner_id=owner_id,
        gold_value=value,
    )


# --------------------------------------------------------------------------- states


def curation_states(project: Project) -> dict[DocumentId, CurationState]:
    """The curation state of every document (for the document list and its filter)."""
    with project.read() as conn:
        documents = [summary.id for summary in repo.list_documents(conn)]
        gold = repo.find_annotator(conn, GOLD_ANNOTATOR)
        statuses = (
            {}
            if gold is None
            else {s.document_id: s.status for s in repo.list_statuses(conn, annotator_id=gold.id)}
        )
    return {
        document: CurationState.of(statuses.get(document, DocumentStatus.NEW))
        for document in documents
    }


def curation_state(project: Project, document_id: int) -> CurationState:
    """The curation state of one document."""
    gold = project.annotator(GOLD_ANNOTATOR)
    if gold is None:
        project.document(document_id)  # NotFoundError for an unknown document
        return CurationState.NOT_STARTED
    return CurationState.of(project.status(document_id, gold.id).status)
