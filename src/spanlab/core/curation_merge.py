"""Merge strategies: preview what a strategy would put into gold, then apply it.

Part of :mod:`spanlab.core.curation` (see its docstring for the rules).
:func:`preview_merge` reads a document and returns a :class:`MergePreview` without
changing anything; :func:`apply_merge` turns a preview into one reversible command.
:func:`curate_documents` does both for many documents (``spanlab curate``).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from spanlab.core.commands import AddRelation, AddSpan, Batch, RemoveSpans
from spanlab.core.curation_commands import Plan, StartCuration, StepCommand, ensure_gold
from spanlab.core.curation_view import (
    Analysis,
    AttributeCandidate,
    CandidateKind,
    CandidateStatus,
    CurationError,
    CurationItem,
    Decided,
    Decision,
    DocumentData,
    GoldState,
    SpanCandidate,
    SpanKey,
    analyse,
    decide,
    item_order,
    load_document,
    resolve_pool,
    span_key,
    symmetric_types,
)
from spanlab.core.document_selection import select_documents
from spanlab.core.entities import CreateEntity, DeleteEntity
from spanlab.core.errors import IntegrityError
from spanlab.core.model import DocumentId, DocumentStatus, Entity, Relation, Span, SpanId
from spanlab.core.project import Command, Project
from spanlab.core.storage import repository as repo
from spanlab.core.storage.edit_store import EditStore

ProgressCallback = Callable[[int, int, str], None]
"""``progress(done, total, current)``, as for imports and exports."""


# --------------------------------------------------------------------------- strategies


class StrategyKind(enum.StrEnum):
    """How a merge chooses what goes into gold."""

    UNANIMOUS = "unanimous"
    MAJORITY = "majority"
    PREFER = "prefer"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class MergeStrategy:
    """A merge strategy: ``unanimous``, ``majority:K``, ``prefer:NAME`` or ``empty``."""

    kind: StrategyKind
    k: int | None = None
    annotator: str | None = None

    def __post_init__(self) -> None:
        if self.kind is StrategyKind.MAJORITY:
            if self.k is None or isinstance(self.k, bool) or self.k < 1:
                raise CurationError(f"majority:K needs K of at least 1, got {self.k}")
        elif self.k is not None:
            raise CurationError(f"only majority takes K, not {self.kind.value}")
        if self.kind is StrategyKind.PREFER:
            if not self.annotator:
                raise CurationError("prefer:NAME needs an annotator name")
        elif self.annotator is not None:
            raise CurationError(f"only prefer takes an annotator, not {self.kind.value}")

    @classmethod
    def unanimous(cls) -> MergeStrategy:
        """Take what every compared annotator made."""
        return cls(StrategyKind.UNANIMOUS)

    @classmethod
    def majority(cls, k: int) -> MergeStrategy:
        """Take what at least ``k`` annotators made, unless a competitor has as many votes."""
        return cls(StrategyKind.MAJORITY, k=k)

    @classmethod
    def prefer(cls, name: str) -> MergeStrategy:
        """Take one annotator's layer."""
        return cls(StrategyKind.PREFER, annotator=name)

    @classmethod
    def empty(cls) -> MergeStrategy:
        """Take nothing: the curator starts from an empty gold layer."""
        return cls(StrategyKind.EMPTY)

    @classmethod
    def parse(cls, text: str) -> MergeStrategy:
        """``unanimous``, ``majority:K``, ``prefer:NAME`` or ``empty``; a clear error else."""
        name, sep, argument = text.strip().partition(":")
        kinds = "unanimous, majority:K, prefer:NAME, empty"
        try:
            kind = StrategyKind(name.lower())
        except ValueError:
            raise CurationError(f"unknown strategy {text!r} (strategies: {kinds})") from None
        if kind is StrategyKind.MAJORITY:
            try:
                k = int(argument)
            except ValueError:
                raise CurationError(
                    f"majority needs a number of annotators, e.g. majority:2 (got {text!r})"
                ) from None
            return cls.majority(k)
        if kind is StrategyKind.PREFER:
            if not argument.strip():
                raise CurationError(f"prefer needs an annotator, e.g. prefer:alice (got {text!r})")
            return cls.prefer(argument.strip())
        if sep:
            raise CurationError(f"{kind.value} takes no argument (got {text!r})")
        return cls(kind)

    def __str__(self) -> str:
        if self.kind is StrategyKind.MAJORITY:
            return f"majority:{self.k}"
        if self.kind is StrategyKind.PREFER:
            return f"prefer:{self.annotator}"
        return self.kind.value

    def check(self, annotators: Sequence[str]) -> None:
        """Refuse a strategy that cannot work with these annotators (by name)."""
        if self.kind is StrategyKind.MAJORITY:
            assert self.k is not None
            if self.k > len(annotators):
                raise CurationError(
                    f"majority:{self.k} needs at least {self.k} annotators; only "
                    f"{len(annotators)} are compared ({', '.join(annotators) or 'none'})"
                )
        if self.kind is StrategyKind.PREFER and self.annotator not in annotators:
            raise CurationError(
                f"prefer:{self.annotator}: {self.annotator} is not among the compared "
                f"annotators ({', '.join(annotators) or 'none'})"
            )


# --------------------------------------------------------------------------- preview records


class LeftReason(enum.StrEnum):
    """Why a merge left a candidate for a person."""

    CONFLICTING_LABEL = "conflicting_label"
    CONFLICTING_BOUNDARIES = "conflicting_boundaries"
    TOO_FEW = "too_few"  # not enough annotators made it
    NOT_PREFERRED = "not_preferred"  # not in the preferred annotator's layer
    START_EMPTY = "start_empty"
    END_NOT_MERGED = "end_not_merged"  # a relation whose end is not in gold
    MENTION_NOT_MERGED = "mention_not_merged"  # an entity whose mention is not in gold
    VALUES_DIFFER = "values_differ"  # an attribute
    NAMES_DIFFER = "names_differ"  # an entity's name

    @property
    def display_name(self) -> str:
        """For summaries: "conflicting label", "too few", ..."""
        return self.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class LeftItem:
    """A candidate a merge leaves for a person, with the reason."""

    item: CurationItem
    reason: LeftReason
    detail: str
    what: str

    @property
    def kind(self) -> CandidateKind:
        """Span, relation, attribute or entity."""
        return self.item.kind

    @property
    def position(self) -> int:
        """Where it is in the text."""
        return self.item.position


@dataclass(frozen=True, slots=True)
class PlannedSpan:
    """A span a merge adds to gold."""

    candidate: int
    key: SpanKey
    text: str
    attributes: Mapping[str, Any]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedRelation:
    """A relation a merge adds to gold (ends by position and label)."""

    candidate: int
    label: str
    head: SpanKey
    tail: SpanKey
    attributes: Mapping[str, Any]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedEntity:
    """An entity group a merge adds to gold (mentions by position and label)."""

    candidate: int
    name: str
    members: tuple[SpanKey, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergePreview:
    """What a strategy would do to one document's gold layer; nothing is changed yet.

    ``skipped`` says why nothing can be merged (then :func:`apply_merge` refuses).
    ``removed_*`` are the existing gold annotations a ``replace`` merge deletes first.
    ``left`` is everything still unresolved after the merge; ``overruled`` counts the
    candidates the merge resolves by taking a competitor.
    """

    document_id: DocumentId
    title: str
    strategy: MergeStrategy
    annotators: tuple[str, ...]
    excluded: Mapping[str, str]
    replace: bool
    gold_status: DocumentStatus
    spans: tuple[PlannedSpan, ...] = ()
    relations: tuple[PlannedRelation, ...] = ()
    entities: tuple[PlannedEntity, ...] = ()
    attributes_taken: int = 0
    left: tuple[LeftItem, ...] = ()
    overruled: int = 0
    skipped: str | None = None
    removed_spans: tuple[Span, ...] = ()
    removed_relations: tuple[Relation, ...] = ()
    removed_entities: tuple[Entity, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def merged(self) -> int:
        """Spans, relations and entities the merge adds."""
        return len(self.spans) + len(self.relations) + len(self.entities)

    def left_by_reason(self) -> Mapping[LeftReason, int]:
        """How many items are left for each reason (reasons with none left out)."""
        counts = Counter(item.reason for item in self.left)
        return MappingProxyType({reason: counts[reason] for reason in LeftReason if counts[reason]})


# --------------------------------------------------------------------------- preview


def preview_merge(
    project: Project,
    document_id: int,
    strategy: MergeStrategy,
    *,
    annotators: Sequence[str] | None = None,
    include_unfinished: bool = False,
    replace: bool = False,
) -> MergePreview:
    """What ``strategy`` would add to the gold layer of one document (a preview only).

    Without ``replace`` the merge adds to the gold layer as it is: what gold already
    holds or has decided against is left alone. With ``replace`` the preview starts
    from an empty gold layer and lists the existing gold annotations it would delete.
    """
    symmetric = symmetric_types(project)
    with project.read() as conn:
        pool = resolve_pool(conn, annotators)
        strategy.check([a.name for a in pool])
        data = load_document(
            conn,
            document_id,
            pool,
            include_unfinished=include_unfinished,
            symmetric_types=symmetric,
        )
    return plan_merge(data, strategy, replace=replace)


def plan_merge(data: DocumentData, strategy: MergeStrategy, *, replace: bool) -> MergePreview:
    """The merge preview of already loaded document data (see :func:`preview_merge`)."""
    analysis = analyse(data)
    gold_layer = None if replace else data.gold
    gold = GoldState.of(gold_layer, analysis)
    current = decide(analysis, gold)
    names = analysis.annotators
    removed: dict[str, Any] = {}
    if replace and data.gold is not None:
        removed = {
            "removed_spans": data.gold.spans,
            "removed_relations": data.gold.relations,
            "removed_entities": data.gold.entities,
        }
    base = MergePreview(
        document_id=data.document_id,
        title=data.title,
        strategy=strategy,
        annotators=names,
        excluded=data.excluded,
        replace=replace,
        gold_status=data.gold_status,
        **removed,
    )
    skipped = _skip_reason(strategy, names, data.excluded)
    if skipped is not None:
        return _replace(base, skipped=skipped)
    chooser = _Chooser(strategy, len(names))

    taken = 0
    planned_spans: list[PlannedSpan] = []
    span_sources: dict[int, tuple[str, ...]] = {}
    left_attributes: list[tuple[CandidateKind, int]] = []
    for candidate in current.spans:
        if candidate.decision is not Decision.OPEN:
            continue
        rivals = [current.spans[j] for j in candidate.conflicts]
        sources = chooser.sources(candidate.spans, rivals)
        if not sources:
            continue
        attributes, count, disputed = _agreed_attributes(
            [candidate.spans[s].attributes for s in sources]
        )
        taken += count
        if disputed:
            left_attributes.append((CandidateKind.SPAN, candidate.index))
        span_sources[candidate.index] = sources
        planned_spans.append(
            PlannedSpan(candidate.index, candidate.key, candidate.text, attributes, sources)
        )

    in_gold = {
        c.index for c in current.spans if c.decision is Decision.ACCEPTED
    } | span_sources.keys()
    planned_relations: list[PlannedRelation] = []
    blocked: set[tuple[CandidateKind, int]] = set()
    for relation in current.relations:
        if relation.decision is not Decision.OPEN:
            continue
        relation_rivals = [current.relations[j] for j in relation.conflicts]
        sources = chooser.sources(relation.relations, relation_rivals)
        if not sources:
            continue
        if relation.head not in in_gold or relation.tail not in in_gold:
            blocked.add((CandidateKind.RELATION, relation.index))
            continue
        attributes, count, disputed = _agreed_attributes(
            [relation.relations[s].attributes for s in sources]
        )
        taken += count
        if disputed:
            left_attributes.append((CandidateKind.RELATION, relation.index))
        planned_relations.append(
            PlannedRelation(
                relation.index,
                relation.label,
                relation.head_key,
                relation.tail_key,
                attributes,
                sources,
            )
        )

    planned_entities: list[PlannedEntity] = []
    for entity in current.entities:
        if entity.decision is not Decision.OPEN:
            continue
        entity_rivals = [current.entities[j] for j in entity.conflicts]
        sources = chooser.sources(entity.entities, entity_rivals)
        if not sources:
            continue
        if any(member not in in_gold for member in entity.members):
            blocked.add((CandidateKind.ENTITY, entity.index))
            continue
        chosen = {" ".join(entity.entities[s].name.split()) for s in sources}
        if len(chosen) > 1:
            blocked.add((CandidateKind.ENTITY, entity.index))
            continue
        planned_entities.append(
            PlannedEntity(entity.index, chosen.pop(), entity.member_keys, sources)
        )

    after = decide(
        analysis, _after_state(gold, planned_spans, planned_relations, planned_entities, analysis)
    )
    left = _left_items(after, strategy, len(names), blocked)
    overruled = sum(
        1
        for before, later in _pairs(current, after)
        if before.decision is Decision.OPEN and later.decision is Decision.REJECTED
    )
    notes: list[str] = []
    if len(names) == 1 and strategy.kind is not StrategyKind.PREFER:
        notes.append(f"only {names[0]}'s layer counts on this document")
    return _replace(
        base,
        spans=tuple(planned_spans),
        relations=tuple(planned_relations),
        entities=tuple(planned_entities),
        attributes_taken=taken,
        left=tuple(left),
        overruled=overruled,
        notes=tuple(notes),
    )


def _replace(preview: MergePreview, **changes: Any) -> MergePreview:
    return replace(preview, **changes)


def _skip_reason(
    strategy: MergeStrategy, names: Sequence[str], excluded: Mapping[str, str]
) -> str | None:
    if strategy.kind is StrategyKind.EMPTY:
        return None
    if strategy.kind is StrategyKind.PREFER:
        if strategy.annotator in names:
            return None
        why = excluded.get(strategy.annotator or "", "has no layer here")
        return f"{strategy.annotator} {why}"
    needed = 2
    if strategy.kind is StrategyKind.MAJORITY:
        assert strategy.k is not None
        needed = max(2, strategy.k)
    if len(names) >= needed:
        return None
    counted = f"only {', '.join(names)} does" if len(names) == 1 else "none does"
    if strategy.kind is StrategyKind.UNANIMOUS:
        return f"agreement needs two annotators whose layer counts here; {counted}"
    return f"{strategy} needs {needed} annotators whose layer counts here; " + (
        f"only {', '.join(names)} do" if len(names) > 1 else counted
    )


class _Chooser:
    """Which holders' version a strategy takes for a candidate (empty: none)."""

    def __init__(self, strategy: MergeStrategy, n: int) -> None:
        self.strategy = strategy
        self.n = n

    def sources(self, held: Mapping[str, Any], rivals: Sequence[Any]) -> tuple[str, ...]:
        votes = len(held)
        kind = self.strategy.kind
        if kind is StrategyKind.UNANIMOUS:
            return tuple(held) if votes >= self.n else ()
        if kind is StrategyKind.MAJORITY:
            assert self.strategy.k is not None
            if votes >= self.strategy.k and all(rival.votes < votes for rival in rivals):
                return tuple(held)
            return ()
        preferred = self.strategy.annotator
        if kind is StrategyKind.PREFER and preferred is not None and preferred in held:
            return (preferred,)
        return ()


def _agreed_attributes(
    versions: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, Any], int, bool]:
    """Attribute values every version agrees on (a missing value disagrees with any
    other), how many were taken, and whether some were disputed."""
    names = sorted({name for attributes in versions for name in attributes})
    agreed: dict[str, Any] = {}
    disputed = False
    for name in names:
        values = [attributes.get(name) for attributes in versions]
        first = values[0]
        if all(type(v) is type(first) and v == first for v in values):
            agreed[name] = first
        else:
            disputed = True
    return agreed, len(agreed), disputed


def _after_state(
    gold: GoldState,
    spans: Sequence[PlannedSpan],
    relations: Sequence[PlannedRelation],
    entities: Sequence[PlannedEntity],
    analysis: Analysis,
) -> GoldState:
    gold_spans: dict[SpanKey, Span | None] = dict(gold.spans)
    attributes = dict(gold.attributes)
    for span in spans:
        gold_spans[span.key] = None
        attributes[(CandidateKind.SPAN, span.candidate)] = span.attributes
    gold_relations: dict[tuple[str, int, int], Relation | None] = dict(gold.relations)
    for relation in relations:
        candidate = analysis.relations[relation.candidate]
        gold_relations[(candidate.label, candidate.head, candidate.tail)] = None
        attributes[(CandidateKind.RELATION, relation.candidate)] = relation.attributes
    gold_entities = list(gold.entities)
    for entity in entities:
        members = frozenset(analysis.entities[entity.candidate].members)
        gold_entities.append((members, None))
    return GoldState(
        spans=gold_spans,
        relations=gold_relations,
        entities=tuple(gold_entities),
        attributes=attributes,
    )


def _pairs(before: Decided, after: Decided) -> Iterable[tuple[Any, Any]]:
    yield from zip(before.spans, after.spans, strict=True)
    yield from zip(before.relations, after.relations, strict=True)
    yield from zip(before.entities, after.entities, strict=True)


def _who(names: Iterable[str]) -> str:
    return ", ".join(names)


def _span_what(candidate: SpanCandidate) -> str:
    return f"{candidate.label} {candidate.text!r}"


def _left_items(
    after: Decided,
    strategy: MergeStrategy,
    n: int,
    blocked: set[tuple[CandidateKind, int]],
) -> list[LeftItem]:
    spans = after.spans
    left: list[LeftItem] = []

    def too_few(votes: int, holders: Sequence[str]) -> tuple[LeftReason, str]:
        if strategy.kind is StrategyKind.EMPTY:
            return LeftReason.START_EMPTY, "the merge starts empty"
        if strategy.kind is StrategyKind.PREFER:
            return (
                LeftReason.NOT_PREFERRED,
                f"not in {strategy.annotator}'s layer (made by {_who(holders)})",
            )
        if votes == 1:
            return LeftReason.TOO_FEW, f"only {holders[0]}"
        return LeftReason.TOO_FEW, f"{votes} of {n}: {_who(holders)}"

    for candidate in after.spans:
        if candidate.decision is not Decision.OPEN:
            continue
        rivals = [spans[j] for j in candidate.conflicts]
        if candidate.status is CandidateStatus.CONFLICTING_LABEL and strategy.kind is not (
            StrategyKind.EMPTY
        ):
            options = [candidate, *(r for r in rivals if r.key[:2] == candidate.key[:2])]
            detail = "labels differ: " + " / ".join(
                f"{c.label} ({_who(c.holders)})" for c in options
            )
            reason = LeftReason.CONFLICTING_LABEL
        elif candidate.status is CandidateStatus.CONFLICTING_BOUNDARIES and strategy.kind is not (
            StrategyKind.EMPTY
        ):
            options = [candidate, *rivals]
            detail = "boundaries differ: " + " / ".join(
                f"{c.text!r} ({_who(c.holders)})" for c in options
            )
            reason = LeftReason.CONFLICTING_BOUNDARIES
        else:
            reason, detail = too_few(candidate.votes, candidate.holders)
        left.append(LeftItem(candidate, reason, detail, _span_what(candidate)))

    for relation in after.relations:
        if relation.decision is not Decision.OPEN:
            continue
        what = f"{relation.label} {spans[relation.head].text!r} -> {spans[relation.tail].text!r}"
        if (CandidateKind.RELATION, relation.index) in blocked:
            missing = [
                spans[end].text
                for end in (relation.head, relation.tail)
                if spans[end].decision is not Decision.ACCEPTED
            ]
            detail = "its end " + " and ".join(repr(m) for m in missing) + " is not in gold"
            left.append(LeftItem(relation, LeftReason.END_NOT_MERGED, detail, what))
            continue
        relation_rivals = [after.relations[j] for j in relation.conflicts]
        if relation.status is CandidateStatus.CONFLICTING_LABEL and strategy.kind is not (
            StrategyKind.EMPTY
        ):
            same_ends = [
                r for r in relation_rivals if {r.head, r.tail} == {relation.head, relation.tail}
            ]
            detail = "types or directions differ: " + " / ".join(
                f"{r.label} {spans[r.head].text!r} -> {spans[r.tail].text!r} ({_who(r.holders)})"
                for r in [relation, *same_ends]
            )
            left.append(LeftItem(relation, LeftReason.CONFLICTING_LABEL, detail, what))
        elif relation.status is CandidateStatus.CONFLICTING_BOUNDARIES and strategy.kind is not (
            StrategyKind.EMPTY
        ):
            detail = "its ends differ: " + " / ".join(
                f"{spans[r.head].text!r} -> {spans[r.tail].text!r} ({_who(r.holders)})"
                for r in [relation, *relation_rivals]
            )
            left.append(LeftItem(relation, LeftReason.CONFLICTING_BOUNDARIES, detail, what))
        else:
            reason, detail = too_few(relation.votes, relation.holders)
            left.append(LeftItem(relation, reason, detail, what))

    for entity in after.entities:
        if entity.decision is not Decision.OPEN:
            continue
        names = sorted(set(entity.names.values()))
        what = f"entity {names[0]!r} ({len(entity.members)} mentions)"
        if (CandidateKind.ENTITY, entity.index) in blocked:
            missing = [
                spans[i].text for i in entity.members if spans[i].decision is not Decision.ACCEPTED
            ]
            if missing:
                detail = "mention(s) not in gold: " + ", ".join(repr(m) for m in missing)
                left.append(LeftItem(entity, LeftReason.MENTION_NOT_MERGED, detail, what))
            else:
                detail = "names differ: " + " / ".join(
                    f"{name!r} ({who})" for who, name in entity.names.items()
                )
                left.append(LeftItem(entity, LeftReason.NAMES_DIFFER, detail, what))
            continue
        if entity.status is CandidateStatus.CONFLICTING_BOUNDARIES and strategy.kind is not (
            StrategyKind.EMPTY
        ):
            entity_rivals = [after.entities[j] for j in entity.conflicts]
            detail = "mentions differ: " + " / ".join(
                f"{len(e.members)} mentions ({_who(e.holders)})" for e in [entity, *entity_rivals]
            )
            left.append(LeftItem(entity, LeftReason.CONFLICTING_BOUNDARIES, detail, what))
        elif entity.status is CandidateStatus.CONFLICTING_LABEL and strategy.kind is not (
            StrategyKind.EMPTY
        ):
            detail = "names differ: " + " / ".join(
                f"{name!r} ({who})" for who, name in entity.names.items()
            )
            left.append(LeftItem(entity, LeftReason.NAMES_DIFFER, detail, what))
        else:
            reason, detail = too_few(entity.votes, entity.holders)
            left.append(LeftItem(entity, reason, detail, what))

    for attribute in after.attributes:
        if attribute.decision is not Decision.OPEN or not _owner_in_gold(attribute, after):
            continue
        detail = "values differ: " + ", ".join(
            f"{_value(value)} ({_who(who)})" for value, who in attribute.options
        )
        owner = (
            _span_what(spans[attribute.owner])
            if attribute.owner_kind is CandidateKind.SPAN
            else after.relations[attribute.owner].label
        )
        left.append(
            LeftItem(attribute, LeftReason.VALUES_DIFFER, detail, f"{owner}: {attribute.name}")
        )
    left.sort(key=lambda left_item: item_order(left_item.item))
    return left


def _owner_in_gold(attribute: AttributeCandidate, decided: Decided) -> bool:
    if attribute.owner_kind is CandidateKind.SPAN:
        return decided.spans[attribute.owner].decision is Decision.ACCEPTED
    return decided.relations[attribute.owner].decision is Decision.ACCEPTED


def _value(value: Any) -> str:
    return "no value" if value is None else repr(value)


# --------------------------------------------------------------------------- apply


def apply_merge(preview: MergePreview) -> Command:
    """The command that carries out a preview: one undo step.

    Gold's document status moves from *not started* to *in progress* (with ``replace``
    also from *curated*); a merge never marks a document curated. Raises
    :class:`CurationError` for a skipped preview; applying a preview after gold
    changed in a way that clashes with it fails with an ``IntegrityError`` (preview
    again).
    """
    if preview.skipped is not None:
        raise CurationError(f"nothing to merge: {preview.skipped}")
    commands: list[Command] = [StartCuration(preview.document_id, reopen=preview.replace)]
    if preview.replace:
        commands.append(
            ClearGold(
                preview.document_id,
                frozenset(span.id for span in preview.removed_spans),
                frozenset(entity.id for entity in preview.removed_entities),
            )
        )
    commands.append(AddPlanned(preview))
    return Batch(f"Merge ({preview.strategy}) into gold", commands)


@dataclass
class ClearGold(StepCommand):
    """Delete a document's gold annotations (those a preview saw; else refuse)."""

    document_id: int
    span_ids: frozenset[SpanId]
    entity_ids: frozenset[int]

    @property
    def text(self) -> str:
        return "Clear gold"

    def plan(self, store: EditStore) -> Plan:
        gold = ensure_gold(store)
        spans = repo.list_spans(store.conn, document_id=self.document_id, annotator_id=gold.id)
        entities = repo.list_entities(
            store.conn, document_id=self.document_id, annotator_id=gold.id
        )
        if {s.id for s in spans} != self.span_ids or {e.id for e in entities} != self.entity_ids:
            raise IntegrityError("the gold layer changed since the preview; preview again")
        for entity in entities:
            yield DeleteEntity(entity.id)
        if spans:
            yield RemoveSpans([span.id for span in spans])


@dataclass
class AddPlanned(StepCommand):
    """Add a preview's spans, relations and entities to gold."""

    preview: MergePreview

    @property
    def text(self) -> str:
        return "Add merged annotations"

    def plan(self, store: EditStore) -> Plan:
        preview = self.preview
        gold = ensure_gold(store)
        existing = repo.list_spans(
            store.conn, document_id=preview.document_id, annotator_id=gold.id
        )
        ids: dict[SpanKey, SpanId] = {}
        for span in sorted(existing, key=lambda s: s.id):
            ids.setdefault(span_key(span), span.id)
        for planned in preview.spans:
            if planned.key in ids:
                raise IntegrityError(
                    f"gold already has {planned.key.label} {planned.text!r}: the gold layer "
                    "changed since the preview; preview again"
                )
            add = AddSpan(
                preview.document_id,
                gold.id,
                planned.key.label,
                planned.key.start,
                planned.key.end,
                dict(planned.attributes),
            )
            yield add
            assert add.span_id is not None
            ids[planned.key] = add.span_id
        for relation in preview.relations:
            head, tail = ids.get(relation.head), ids.get(relation.tail)
            if head is None or tail is None:
                raise IntegrityError("the gold layer changed since the preview; preview again")
            yield AddRelation(head, tail, relation.label, dict(relation.attributes))
        for entity in preview.entities:
            members = [ids.get(key) for key in entity.members]
            if any(member is None for member in members):
                raise IntegrityError("the gold layer changed since the preview; preview again")
            yield CreateEntity(
                preview.document_id,
                gold.id,
                entity.name,
                [member for member in members if member is not None],
            )


# --------------------------------------------------------------------------- bulk


@dataclass(frozen=True, slots=True)
class DocumentCuration:
    """What ``curate_documents`` did (or would do) on one document."""

    document_id: DocumentId
    title: str
    preview: MergePreview | None
    skipped: str | None
    applied: bool

    @property
    def left(self) -> tuple[LeftItem, ...]:
        """What is left for a person."""
        return () if self.preview is None or self.skipped else self.preview.left


@dataclass(frozen=True, slots=True)
class CurationReport:
    """Result of :func:`curate_documents`, document by document."""

    strategy: MergeStrategy
    annotators: tuple[str, ...]
    include_unfinished: bool
    replace: bool
    dry_run: bool
    documents: tuple[DocumentCuration, ...]

    def _merged(self, attribute: str) -> int:
        return sum(
            len(getattr(d.preview, attribute))
            for d in self.documents
            if d.preview is not None and d.skipped is None
        )

    @property
    def spans(self) -> int:
        """Spans merged into gold."""
        return self._merged("spans")

    @property
    def relations(self) -> int:
        """Relations merged into gold."""
        return self._merged("relations")

    @property
    def entities(self) -> int:
        """Entity groups merged into gold."""
        return self._merged("entities")

    @property
    def left(self) -> int:
        """Items left for a person."""
        return sum(len(d.left) for d in self.documents)

    @property
    def curated(self) -> int:
        """Documents merged (or that would be, in a dry run)."""
        return sum(1 for d in self.documents if d.skipped is None)

    @property
    def skipped(self) -> int:
        """Documents skipped."""
        return sum(1 for d in self.documents if d.skipped is not None)


def curate_documents(
    project: Project,
    *,
    strategy: MergeStrategy,
    documents: Sequence[int] | None = None,
    annotators: Sequence[str] | None = None,
    include_unfinished: bool = False,
    replace: bool = False,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> CurationReport:
    """Apply a merge strategy to many documents, each in its own transaction.

    A document whose gold layer already holds annotations, or that is curated, is
    skipped with a note unless ``replace`` (its gold annotations are then deleted
    first and the merge starts from empty). ``dry_run`` previews only. Raises
    :class:`CurationError` for unknown annotators or documents and for a strategy
    the compared annotators cannot satisfy.
    """
    symmetric = symmetric_types(project)
    with project.read() as conn:
        pool = resolve_pool(conn, annotators)
        names = tuple(a.name for a in pool)
        summaries = repo.list_documents(conn)
    strategy.check(names)
    titles = {s.id: s.title for s in summaries}
    wanted = select_documents(
        [s.id for s in summaries], documents, error=CurationError, request_order=True
    )
    results: list[DocumentCuration] = []
    for done, document_id in enumerate(wanted):
        title = titles[document_id]
        if progress is not None:
            progress(done, len(wanted), title)
        with project.read() as conn:
            data = load_document(
                conn,
                document_id,
                pool,
                include_unfinished=include_unfinished,
                symmetric_types=symmetric,
            )
        busy = _gold_busy(data)
        if busy is not None and not replace:
            results.append(DocumentCuration(document_id, title, None, busy, applied=False))
            continue
        preview = plan_merge(data, strategy, replace=replace and busy is not None)
        if preview.skipped is not None:
            results.append(
                DocumentCuration(document_id, title, preview, preview.skipped, applied=False)
            )
            continue
        if not dry_run:
            project.execute(apply_merge(preview))
        results.append(DocumentCuration(document_id, title, preview, None, applied=not dry_run))
    if progress is not None:
        progress(len(wanted), len(wanted), "")
    return CurationReport(
        strategy=strategy,
        annotators=names,
        include_unfinished=include_unfinished,
        replace=replace,
        dry_run=dry_run,
        documents=tuple(results),
    )


def _gold_busy(data: DocumentData) -> str | None:
    """Why a bulk merge leaves this document alone (None: it may merge)."""
    if data.gold_status is DocumentStatus.DONE:
        return "already curated (use replace to start over)"
    gold = data.gold
    if gold is None or gold.empty:
        return None
    parts = []
    if gold.spans:
        parts.append(f"{len(gold.spans)} span(s)")
    if gold.relations:
        parts.append(f"{len(gold.relations)} relation(s)")
    if gold.entities:
        parts.append(f"{len(gold.entities)} entity group(s)")
    return f"gold already has {', '.join(parts)} (use replace to start over)"


__all__ = [
    "AddPlanned",
    "ClearGold",
    "CurationReport",
    "DocumentCuration",
    "LeftItem",
    "LeftReason",
    "MergePreview",
    "MergeStrategy",
    "PlannedEntity",
    "PlannedRelation",
    "PlannedSpan",
    "ProgressCallback",
    "StrategyKind",
    "apply_merge",
    "curate_documents",
    "plan_merge",
    "preview_merge",
]
