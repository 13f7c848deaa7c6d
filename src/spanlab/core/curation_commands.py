"""Curation commands: accept into gold, reject, set curation states and roles.

Part of :mod:`spanlab.core.curation` (see its docstring for the rules). Every command
here is reversible like those of :mod:`spanlab.core.commands` and is one undo step.
They are built from the core commands (``AddSpan``, ``UpdateSpan``, ``AddRelation``,
the entity commands, ...), so the store's integrity checks apply unchanged. What a
command does is decided from the store when it is first applied (so a view that is a
moment old cannot make it do the wrong thing); redo replays exactly the same steps.

The gold annotator is created by the first command that needs it (creating that row is
not undone: an empty gold layer is the same as none).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update

from spanlab.core.changes import ChangeSet
from spanlab.core.commands import (
    AddRelation,
    AddSpan,
    RemoveRelation,
    RemoveSpans,
    SetStatus,
    UpdateRelation,
    UpdateSpan,
)
from spanlab.core.curation_view import (
    AttributeCandidate,
    CandidateKind,
    CurationError,
    CurationItem,
    CurationState,
    EntityCandidate,
    RelationCandidate,
    SpanCandidate,
    SpanKey,
    span_key,
)
from spanlab.core.entities import CreateEntity, DeleteEntity, RemoveMentions, RenameEntity
from spanlab.core.errors import IntegrityError
from spanlab.core.model import (
    GOLD_ANNOTATOR,
    Annotator,
    AnnotatorRole,
    DocumentStatus,
    Relation,
    Span,
    SpanId,
)
from spanlab.core.project import Command, Project
from spanlab.core.storage import repository as repo
from spanlab.core.storage.edit_store import EditStore

Plan = Iterator[Command]
"""Steps of a command: each yielded command is applied before the plan continues."""


class StepCommand:
    """A command made of core commands chosen at its first ``apply``, replayed on redo.

    Subclasses implement :meth:`plan`, a generator that yields commands; each is applied
    as soon as it is yielded, so later steps can use the ids earlier ones created.
    """

    _steps: list[Command] | None = None

    @property
    def text(self) -> str:
        """Menu text; subclasses override."""
        return "Curate"

    def plan(self, store: EditStore) -> Plan:
        """The steps of this command (see the class docstring)."""
        raise NotImplementedError

    def apply(self, store: EditStore) -> ChangeSet:
        if self._steps is not None:  # redo: the same steps, the same ids
            return ChangeSet.combine([step.apply(store) for step in self._steps])
        steps: list[Command] = []
        changes: list[ChangeSet] = []
        for step in self.plan(store):
            changes.append(step.apply(store))
            steps.append(step)
        self._steps = steps
        return ChangeSet.combine(changes)

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._steps is not None, "revert before apply"
        return ChangeSet.combine([step.revert(store) for step in reversed(self._steps)])

    @property
    def steps(self) -> tuple[Command, ...]:
        """The core commands of the last apply (empty before it, or when it changed nothing)."""
        return tuple(self._steps or ())


# --------------------------------------------------------------------------- gold helpers


def ensure_gold(store: EditStore) -> Annotator:
    """The gold annotator, created when missing."""
    return store.ensure_annotator(GOLD_ANNOTATOR)


def _gold_spans(store: EditStore, document_id: int, gold_id: int) -> list[Span]:
    return repo.list_spans(store.conn, document_id=document_id, annotator_id=gold_id)


def _gold_relations(store: EditStore, document_id: int, gold_id: int) -> list[Relation]:
    return repo.list_relations(store.conn, document_id=document_id, annotator_id=gold_id)


def _overlap(a: Span | SpanKey, b: Span | SpanKey) -> bool:
    return a.start < b.end and b.start < a.end


def _describe(span: Span | SpanKey, text: str) -> str:
    return f"{span.label} {text!r} [{span.start}, {span.end})"


def accept_span_steps(
    store: EditStore,
    source: Span,
    gold_id: int,
    *,
    replace: bool,
    reuse: bool,
) -> Generator[Command, None, SpanId]:
    """Steps that put ``source`` into gold; returns the gold span's id.

    * gold has the same span (offsets and label): with ``reuse`` it is used as it is;
      otherwise its attributes become the source's, and a span with the same
      attributes too is refused as a duplicate;
    * with ``replace``, one gold span that competes with the source (same offsets, or
      overlapping with the same label) is changed into it, keeping its relations and
      entity; two or more are refused (edit gold directly);
    * else the span is added.
    """
    gold_spans = _gold_spans(store, source.document_id, gold_id)
    key = span_key(source)
    same = [span for span in gold_spans if span_key(span) == key]
    if same:
        target = same[0]
        if reuse:
            return target.id
        if dict(target.attributes) == dict(source.attributes):
            raise IntegrityError(f"gold already has {_describe(source, source.text)}")
        yield UpdateSpan(target.id, attributes=dict(source.attributes))
        return target.id
    if replace:
        rivals = [
            span
            for span in gold_spans
            if _overlap(span, source)
            and ((span.start, span.end) == (source.start, source.end) or span.label == source.label)
        ]
        if len(rivals) > 1:
            listed = ", ".join(_describe(span, span.text) for span in rivals)
            raise IntegrityError(
                f"gold has {len(rivals)} spans competing with {_describe(source, source.text)} "
                f"({listed}); delete the ones you do not want, then accept again"
            )
        if rivals:
            rival = rivals[0]
            yield UpdateSpan(
                rival.id,
                label=source.label,
                start=source.start,
                end=source.end,
                attributes=dict(source.attributes),
            )
            return rival.id
    add = AddSpan(
        source.document_id,
        gold_id,
        source.label,
        source.start,
        source.end,
        dict(source.attributes),
    )
    yield add
    assert add.span_id is not None
    return add.span_id


def _not_gold(span_or_relation: Span | Relation, gold_id: int, what: str) -> None:
    if span_or_relation.annotator_id == gold_id:
        raise IntegrityError(f"that {what} is already in the gold layer")


# --------------------------------------------------------------------------- accept


@dataclass
class AcceptSpan(StepCommand):
    """Copy an annotator's span (with its attributes) into gold.

    See :func:`accept_span_steps` for duplicates and competing gold spans.
    """

    source_span_id: int
    replace: bool = True
    _label: str = field(default="span", repr=False, init=False)

    @property
    def text(self) -> str:
        return f"Accept {self._label}"

    def plan(self, store: EditStore) -> Plan:
        source = repo.get_span(store.conn, self.source_span_id)
        self._label = source.label
        gold = ensure_gold(store)
        _not_gold(source, gold.id, "span")
        yield from accept_span_steps(store, source, gold.id, replace=self.replace, reuse=False)


@dataclass
class AcceptRelation(StepCommand):
    """Copy an annotator's relation into gold, with its two ends when gold lacks them.

    The ends are accepted like :class:`AcceptSpan` does, except that a gold span equal
    to an end is used as it is. Gold already holding the relation (same ends, type and
    attributes) is refused; with other attributes, gold takes the source's. With
    ``replace``, one gold relation between the same two spans with another type or
    direction is replaced.
    """

    source_relation_id: int
    replace: bool = True
    _label: str = field(default="relation", repr=False, init=False)

    @property
    def text(self) -> str:
        return f"Accept {self._label}"

    def plan(self, store: EditStore) -> Plan:
        source = repo.get_relation(store.conn, self.source_relation_id)
        self._label = source.label
        gold = ensure_gold(store)
        _not_gold(source, gold.id, "relation")
        head = repo.get_span(store.conn, source.head_id)
        tail = repo.get_span(store.conn, source.tail_id)
        gold_head = yield from accept_span_steps(
            store, head, gold.id, replace=self.replace, reuse=True
        )
        gold_tail = yield from accept_span_steps(
            store, tail, gold.id, replace=self.replace, reuse=True
        )
        spec = store.schema.relation(source.label)
        symmetric = spec is not None and spec.symmetric
        ends = {gold_head, gold_tail}
        between = [
            r
            for r in _gold_relations(store, source.document_id, gold.id)
            if {r.head_id, r.tail_id} == ends
        ]
        same = [
            r
            for r in between
            if r.label == source.label
            and (symmetric or (r.head_id, r.tail_id) == (gold_head, gold_tail))
        ]
        if same:
            if dict(same[0].attributes) == dict(source.attributes):
                raise IntegrityError(
                    f"gold already has this {source.label} relation "
                    f"({head.text!r} -> {tail.text!r})"
                )
            yield UpdateRelation(same[0].id, attributes=dict(source.attributes))
            return
        if self.replace and len(between) == 1:
            yield RemoveRelation(between[0].id)
        elif self.replace and len(between) > 1:
            raise IntegrityError(
                f"gold links {head.text!r} and {tail.text!r} by {len(between)} relations "
                "already; delete the ones you do not want, then accept again"
            )
        yield AddRelation(gold_head, gold_tail, source.label, dict(source.attributes))


def _set_attribute(attributes: Mapping[str, Any], name: str, value: Any) -> dict[str, Any]:
    result = dict(attributes)
    if value is None:
        result.pop(name, None)
    else:
        result[name] = value
    return result


@dataclass
class AcceptAttribute(StepCommand):
    """Give a gold span's attribute a value (None removes it)."""

    gold_span_id: int
    name: str
    value: Any

    @property
    def text(self) -> str:
        return f"Set {self.name}"

    def plan(self, store: EditStore) -> Plan:
        span = repo.get_span(store.conn, self.gold_span_id)
        if span.annotator_id != ensure_gold(store).id:
            raise IntegrityError("attributes are accepted onto gold spans only")
        yield UpdateSpan(span.id, attributes=_set_attribute(span.attributes, self.name, self.value))


@dataclass
class AcceptRelationAttribute(StepCommand):
    """Give a gold relation's attribute a value (None removes it)."""

    gold_relation_id: int
    name: str
    value: Any

    @property
    def text(self) -> str:
        return f"Set {self.name}"

    def plan(self, store: EditStore) -> Plan:
        relation = repo.get_relation(store.conn, self.gold_relation_id)
        if relation.annotator_id != ensure_gold(store).id:
            raise IntegrityError("attributes are accepted onto gold relations only")
        attributes = _set_attribute(relation.attributes, self.name, self.value)
        yield UpdateRelation(relation.id, attributes=attributes)


@dataclass
class AcceptEntity(StepCommand):
    """Copy an annotator's entity group onto the matching gold spans.

    Mentions gold lacks are accepted first (a gold span equal to a mention is used as
    it is). Gold mentions that belong to other gold entities are taken out of them
    (an entity left empty is deleted) — refused without ``replace``. Gold already
    grouping exactly these mentions gets the source's name, or is refused as a
    duplicate when the name is the same too.
    """

    source_entity_id: int
    replace: bool = True

    @property
    def text(self) -> str:
        return "Accept entity"

    def plan(self, store: EditStore) -> Plan:
        entity = repo.get_entity(store.conn, self.source_entity_id)
        gold = ensure_gold(store)
        if entity.annotator_id == gold.id:
            raise IntegrityError("that entity is already in the gold layer")
        mention_ids = repo.entity_span_ids(store.conn, entity.id)
        if not mention_ids:
            raise IntegrityError(f"the entity {entity.name!r} has no mentions to accept")
        gold_ids: list[SpanId] = []
        for mention in repo.list_spans(store.conn, span_ids=mention_ids):
            gold_id = yield from accept_span_steps(
                store, mention, gold.id, replace=self.replace, reuse=True
            )
            if gold_id not in gold_ids:
                gold_ids.append(gold_id)
        current = repo.list_spans(store.conn, span_ids=gold_ids)
        groups = {span.entity_id for span in current}
        if len(groups) == 1 and None not in groups:
            (existing,) = groups
            assert existing is not None
            if set(repo.entity_span_ids(store.conn, existing)) == set(gold_ids):
                gold_entity = repo.get_entity(store.conn, existing)
                if " ".join(gold_entity.name.split()) == " ".join(entity.name.split()):
                    raise IntegrityError(f"gold already groups these mentions as {entity.name!r}")
                yield RenameEntity(existing, entity.name)
                return
        grouped = [span.id for span in current if span.entity_id is not None]
        if grouped:
            if not self.replace:
                raise IntegrityError(
                    "some of these mentions already belong to a gold entity; remove them "
                    "from it first"
                )
            yield RemoveMentions(grouped)
        yield CreateEntity(entity.document_id, gold.id, entity.name, gold_ids)


# --------------------------------------------------------------------------- reject


@dataclass
class RejectCandidate(StepCommand):
    """Say no to a candidate: remove from gold what matches it exactly.

    * a span candidate: gold spans with the same offsets and label are deleted (with
      their relations);
    * a relation candidate: the matching gold relation is deleted;
    * an entity candidate: a gold entity with exactly these mentions is deleted (its
      mentions stay);
    * an attribute candidate: gold's value of the attribute is removed.

    When gold does not hold the candidate there is nothing to record: the command
    changes nothing (an empty change set; callers need not put it on an undo stack)
    and the curator simply moves on — see the resolution rule in
    :mod:`spanlab.core.curation`.
    """

    candidate: CurationItem

    @property
    def text(self) -> str:
        return f"Reject {self.candidate.kind.value}"

    def plan(self, store: EditStore) -> Plan:
        gold = ensure_gold(store)
        candidate = self.candidate
        document_id = candidate.document_id
        if isinstance(candidate, SpanCandidate):
            ids = [
                span.id
                for span in _gold_spans(store, document_id, gold.id)
                if span_key(span) == candidate.key
            ]
            if ids:
                yield RemoveSpans(ids)
        elif isinstance(candidate, RelationCandidate):
            relation = _matching_gold_relation(store, candidate, gold.id)
            if relation is not None:
                yield RemoveRelation(relation.id)
        elif isinstance(candidate, EntityCandidate):
            yield from _reject_entity(store, candidate, gold.id)
        else:
            yield from _reject_attribute(store, candidate, gold.id)


def _reject_attribute(store: EditStore, candidate: AttributeCandidate, gold_id: int) -> Plan:
    if candidate.gold_owner_id is None:
        return
    if candidate.owner_kind is CandidateKind.SPAN:
        span = repo.get_span(store.conn, candidate.gold_owner_id)
        if span.annotator_id == gold_id and candidate.name in span.attributes:
            yield UpdateSpan(
                span.id, attributes=_set_attribute(span.attributes, candidate.name, None)
            )
    else:
        relation = repo.get_relation(store.conn, candidate.gold_owner_id)
        if relation.annotator_id == gold_id and candidate.name in relation.attributes:
            attributes = _set_attribute(relation.attributes, candidate.name, None)
            yield UpdateRelation(relation.id, attributes=attributes)


def _matching_gold_relation(
    store: EditStore, candidate: RelationCandidate, gold_id: int
) -> Relation | None:
    spans = _gold_spans(store, candidate.document_id, gold_id)
    heads = {span.id for span in spans if span_key(span) == candidate.head_key}
    tails = {span.id for span in spans if span_key(span) == candidate.tail_key}
    for relation in _gold_relations(store, candidate.document_id, gold_id):
        if relation.label != candidate.label:
            continue
        forward = relation.head_id in heads and relation.tail_id in tails
        backward = relation.head_id in tails and relation.tail_id in heads
        if forward or (candidate.symmetric and backward):
            return relation
    return None


def _reject_entity(store: EditStore, candidate: EntityCandidate, gold_id: int) -> Plan:
    wanted = set(candidate.member_keys)
    members: dict[int, set[SpanKey]] = {}
    for span in _gold_spans(store, candidate.document_id, gold_id):
        if span.entity_id is not None:
            members.setdefault(span.entity_id, set()).add(span_key(span))
    for entity_id, keys in sorted(members.items()):
        if keys == wanted:
            yield DeleteEntity(entity_id)


# --------------------------------------------------------------------------- states, roles


@dataclass
class SetCurationState(StepCommand):
    """Mark a document not started, in progress or curated (the gold layer's status)."""

    document_id: int
    state: CurationState

    @property
    def text(self) -> str:
        return {
            CurationState.CURATED: "Mark curated",
            CurationState.IN_PROGRESS: "Reopen curation",
            CurationState.NOT_STARTED: "Reset curation state",
        }[self.state]

    def plan(self, store: EditStore) -> Plan:
        gold = ensure_gold(store)
        yield SetStatus(self.document_id, gold.id, self.state.status)


@dataclass
class StartCuration(StepCommand):
    """Move a document to *in progress* for gold if it is not started (or, with
    ``reopen``, curated); otherwise change nothing."""

    document_id: int
    reopen: bool = False

    @property
    def text(self) -> str:
        return "Start curation"

    def plan(self, store: EditStore) -> Plan:
        gold = ensure_gold(store)
        status = repo.get_status(store.conn, self.document_id, gold.id).status
        if status is DocumentStatus.NEW or (self.reopen and status is DocumentStatus.DONE):
            yield SetStatus(self.document_id, gold.id, DocumentStatus.IN_PROGRESS)


@dataclass
class SetRole:
    """Give a person a role (annotator, curator, manager)."""

    annotator_id: int
    role: AnnotatorRole
    _before: AnnotatorRole | None = field(default=None, repr=False, init=False)

    @property
    def text(self) -> str:
        return f"Make {self.role.value}"

    def apply(self, store: EditStore) -> ChangeSet:
        store.require_annotator(self.annotator_id)
        row = (
            store.conn.execute(repo.ANN.select().where(repo.ANN.c.id == self.annotator_id))
            .mappings()
            .one()
        )
        if row["name"] == GOLD_ANNOTATOR:
            raise IntegrityError(
                f"'{GOLD_ANNOTATOR}' is the curated layer, not a person; it has no role"
            )
        self._before = AnnotatorRole(row["role"])
        self._write(store, self.role)
        return ChangeSet()

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._before is not None, "revert before apply"
        self._write(store, self._before)
        return ChangeSet()

    def _write(self, store: EditStore, role: AnnotatorRole) -> None:
        store.conn.execute(
            update(repo.ANN).where(repo.ANN.c.id == self.annotator_id).values(role=role.value)
        )


def parse_role(value: str | AnnotatorRole) -> AnnotatorRole:
    """A role from its name, or a clear error."""
    if isinstance(value, AnnotatorRole):
        return value
    try:
        return AnnotatorRole(value.strip().lower())
    except ValueError:
        known = ", ".join(role.value for role in AnnotatorRole)
        raise CurationError(f"unknown role {value!r} (roles: {known})") from None


def set_role(project: Project, name: str, role: str | AnnotatorRole) -> Annotator:
    """Give the person ``name`` a role, adding them to the project when missing.

    Returns the updated annotator. The gold layer has no role.
    """
    wanted = parse_role(role)
    if name == GOLD_ANNOTATOR:
        raise CurationError(
            f"'{GOLD_ANNOTATOR}' is the curated layer, not a person; it has no role"
        )
    annotator = project.ensure_annotator(name, wanted)
    if annotator.role is not wanted:
        project.execute(SetRole(annotator.id, wanted))
    found = project.annotator(name)
    assert found is not None
    return found


def curators(project: Project) -> list[Annotator]:
    """People with the curator role, by name."""
    return [a for a in project.annotators() if a.role is AnnotatorRole.CURATOR and not a.is_gold]


# --------------------------------------------------------------------------- conveniences


def accept_candidate(item: CurationItem, annotator: str | None = None) -> Command:
    """The command accepting ``item`` into gold, taking ``annotator``'s version.

    Without ``annotator`` the first holder's version is used (for an attribute, the
    value most annotators gave). Raises :class:`CurationError` when ``annotator`` does
    not hold the candidate.
    """
    if isinstance(item, SpanCandidate):
        return AcceptSpan(_pick(item.spans, annotator, item.kind).id)
    if isinstance(item, RelationCandidate):
        return AcceptRelation(_pick(item.relations, annotator, item.kind).id)
    if isinstance(item, EntityCandidate):
        return AcceptEntity(_pick(item.entities, annotator, item.kind).id)
    if item.gold_owner_id is None:
        raise CurationError(
            f"accept the {item.owner_kind.value} first: gold does not hold it, so its "
            f"attribute {item.name!r} cannot be set"
        )
    value = item.options[0][0] if annotator is None else _pick(item.values, annotator, item.kind)
    if item.owner_kind is CandidateKind.SPAN:
        return AcceptAttribute(item.gold_owner_id, item.name, value)
    return AcceptRelationAttribute(item.gold_owner_id, item.name, value)


def reject_candidate(item: CurationItem) -> Command:
    """The command rejecting ``item`` (see :class:`RejectCandidate`)."""
    return RejectCandidate(item)


def _pick(by_name: Mapping[str, Any], annotator: str | None, kind: CandidateKind) -> Any:
    if annotator is None:
        return next(iter(by_name.values()))
    if annotator not in by_name:
        holders = ", ".join(by_name) or "nobody"
        raise CurationError(f"{annotator} does not have this {kind.value} (made by {holders})")
    return by_name[annotator]


__all__ = [
    "AcceptAttribute",
    "AcceptEntity",
    "AcceptRelation",
    "AcceptRelationAttribute",
    "AcceptSpan",
    "RejectCandidate",
    "SetCurationState",
    "SetRole",
    "StartCuration",
    "StepCommand",
    "accept_candidate",
    "accept_span_steps",
    "curators",
    "ensure_gold",
    "parse_role",
    "reject_candidate",
    "set_role",
]
