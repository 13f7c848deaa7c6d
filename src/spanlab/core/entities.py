"""Entity groups (coreference): reversible commands and what the entity panel shows.

An entity groups mentions (spans) of one real-world thing in one document and one
annotator's layer under a canonical name: "Chang Ho-jin", "Chang" and, if the schema
has a label for pronouns, "he". A span belongs to at most one entity.

The commands follow :mod:`spanlab.core.commands`: ``apply`` and ``revert`` are exact
inverses, ids created by the first ``apply`` are reused on redo, and each returns a
:class:`~spanlab.core.changes.ChangeSet` with ``entities_changed`` and ``spans_updated``.

Decisions:

* A span that already belongs to another entity is refused by :class:`CreateEntity` and
  :class:`AddMentions` (remove it from that entity first), so no command silently moves
  mentions between entities. Spans already in the target entity are left as they are.
* :class:`RemoveMentions` deletes an entity when its last mention is removed, since an
  entity without mentions is invisible in the text and useless in exports; undo brings it
  back with the same id and name. (Deleting the spans themselves with ``RemoveSpans``
  keeps the entity, which :func:`entity_mentions` then lists with no mentions.)
* :class:`DeleteEntity` ungroups the mentions and keeps the spans.
* A blank or missing name on :class:`CreateEntity` takes :func:`suggest_entity_name`;
  :class:`RenameEntity` refuses a blank name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spanlab.core.changes import ChangeSet
from spanlab.core.errors import IntegrityError
from spanlab.core.model import (
    DocumentId,
    Entity,
    EntityId,
    Span,
    SpanId,
)
from spanlab.core.project import Project
from spanlab.core.storage.edit_store import EditStore
from spanlab.core.storage.repository import entity_span_ids as mention_ids
from spanlab.core.storage.repository import get_entity, get_span

__all__ = [
    "NAME_LABELS",
    "AddMentions",
    "CreateEntity",
    "DeleteEntity",
    "RemoveMentions",
    "RenameEntity",
    "entity_mentions",
    "get_entity",
    "mention_ids",
    "suggest_entity_name",
]

NAME_LABELS = ("PERSON",)
"""Labels whose mentions are preferred as an entity's canonical name."""


# --------------------------------------------------------------------------- reads


def entity_mentions(
    project: Project, document_id: int, annotator_id: int
) -> list[tuple[Entity, list[Span]]]:
    """Entities of one document and layer with their mentions, for the entity panel.

    Entities come in the order of their first mention in the text (entities without
    mentions last, by id); mentions in text order.
    """
    entities = project.entities(document_id, annotator_id)
    grouped: dict[EntityId, list[Span]] = {entity.id: [] for entity in entities}
    for span in project.spans(document_id, annotator_id):
        if span.entity_id is not None and span.entity_id in grouped:
            grouped[span.entity_id].append(span)
    pairs = [(entity, grouped[entity.id]) for entity in entities]
    pairs.sort(key=lambda pair: (not pair[1], pair[1][0].start if pair[1] else 0, pair[0].id))
    return pairs


def suggest_entity_name(spans: Iterable[Span]) -> str:
    """A canonical name for a group of mentions ("" when there are none).

    The longest mention labelled as a name (:data:`NAME_LABELS`, e.g. "Baek Tae-jin"
    over "Baek"); without one, the longest mention with a capital letter (not a pronoun
    or "the minister"); else the longest mention. Ties go to the earliest mention.
    """
    mentions = [span for span in spans if span.text.strip()]
    named = [span for span in mentions if span.label in NAME_LABELS]
    capitalised = [span for span in mentions if any(ch.isupper() for ch in span.text)]
    pool = named or capitalised or mentions
    if not pool:
        return ""
    best = max(pool, key=lambda span: (len(" ".join(span.text.split())), -span.start))
    return " ".join(best.text.split())


# --------------------------------------------------------------------------- helpers


def _check_mentions(
    store: EditStore,
    span_ids: Sequence[int],
    *,
    document_id: int,
    annotator_id: int,
    entity: Entity | None,
) -> list[Span]:
    """The spans to group, validated; spans already in ``entity`` are left out."""
    spans: list[Span] = []
    seen: set[int] = set()
    for span_id in span_ids:
        if span_id in seen:
            continue
        seen.add(span_id)
        span = get_span(store.conn, span_id)
        if span.document_id != document_id:
            raise IntegrityError(
                f"span {span.id} ({span.text!r}) is in document {span.document_id}, not in "
                f"document {document_id}: an entity's mentions must share one document"
            )
        if span.annotator_id != annotator_id:
            raise IntegrityError(
                f"span {span.id} ({span.text!r}) is in annotator {span.annotator_id}'s layer, "
                f"not annotator {annotator_id}'s: an entity's mentions must share one layer"
            )
        if span.entity_id is not None:
            if entity is not None and span.entity_id == entity.id:
                continue
            other = get_entity(store.conn, span.entity_id)
            raise IntegrityError(
                f"{span.text!r} is already a mention of the entity {other.name!r}; "
                "remove it from that entity first"
            )
        spans.append(span)
    return spans


def _clean_name(name: str) -> str:
    return " ".join(name.split())


def _rename(store: EditStore, entity_id: int, name: str) -> None:
    store.rename_entity(entity_id, name)


def _group(store: EditStore, span_ids: Iterable[int], entity_id: int | None) -> None:
    for span_id in span_ids:
        store.update_span(span_id, entity_id=entity_id)


# --------------------------------------------------------------------------- commands


@dataclass
class CreateEntity:
    """Group spans of one document and layer as mentions of a new entity."""

    document_id: int
    annotator_id: int
    name: str | None
    span_ids: Sequence[int]
    entity_id: EntityId | None = None
    _name: str | None = field(default=None, repr=False)
    _grouped: list[SpanId] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return f"Group {len(self.span_ids)} mentions as an entity"

    def apply(self, store: EditStore) -> ChangeSet:
        store.text_of(self.document_id)
        store.require_annotator(self.annotator_id)
        if not self.span_ids:
            raise IntegrityError("an entity needs at least one mention")
        spans = _check_mentions(
            store,
            self.span_ids,
            document_id=self.document_id,
            annotator_id=self.annotator_id,
            entity=None,
        )
        if self._name is None:  # decided once, so redo recreates exactly the same entity
            self._name = _clean_name(self.name or "") or suggest_entity_name(spans)
        entity = store.insert_entity(
            document_id=self.document_id,
            annotator_id=self.annotator_id,
            name=self._name,
            entity_id=self.entity_id,
        )
        self.entity_id = entity.id
        self._grouped = [span.id for span in spans]
        _group(store, self._grouped, entity.id)
        return ChangeSet(
            documents=frozenset({entity.document_id}),
            entities_changed=frozenset({entity.id}),
            spans_updated=frozenset(self._grouped),
        )

    def revert(self, store: EditStore) -> ChangeSet:
        assert self.entity_id is not None, "revert before apply"
        _group(store, self._grouped, None)
        entity = store.delete_entity(self.entity_id)
        return ChangeSet(
            documents=frozenset({entity.document_id}),
            entities_changed=frozenset({entity.id}),
            spans_updated=frozenset(self._grouped),
        )


@dataclass
class AddMentions:
    """Add spans to an existing entity (spans already in it are left as they are)."""

    entity_id: int
    span_ids: Sequence[int]
    _added: list[SpanId] = field(default_factory=list, repr=False)
    _document_id: DocumentId | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        count = len(self.span_ids)
        return "Add mention" if count == 1 else f"Add {count} mentions"

    def apply(self, store: EditStore) -> ChangeSet:
        entity = get_entity(store.conn, self.entity_id)
        spans = _check_mentions(
            store,
            self.span_ids,
            document_id=entity.document_id,
            annotator_id=entity.annotator_id,
            entity=entity,
        )
        self._added = [span.id for span in spans]
        self._document_id = entity.document_id
        if not self._added:
            return ChangeSet()
        _group(store, self._added, entity.id)
        return self._changes()

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._document_id is not None, "revert before apply"
        if not self._added:
            return ChangeSet()
        _group(store, self._added, None)
        return self._changes()

    def _changes(self) -> ChangeSet:
        assert self._document_id is not None
        return ChangeSet(
            documents=frozenset({self._document_id}),
            entities_changed=frozenset({EntityId(self.entity_id)}),
            spans_updated=frozenset(self._added),
        )


@dataclass
class RemoveMentions:
    """Take spans out of their entities; an entity left without mentions is deleted."""

    span_ids: Sequence[int]
    _removed: list[tuple[SpanId, EntityId]] = field(default_factory=list, repr=False)
    _deleted: list[Entity] = field(default_factory=list, repr=False)
    _touched: list[Entity] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        count = len(self.span_ids)
        return "Remove mention from entity" if count == 1 else f"Remove {count} mentions"

    def apply(self, store: EditStore) -> ChangeSet:
        self._removed, self._deleted, self._touched = [], [], []
        touched: dict[EntityId, Entity] = {}
        seen: set[int] = set()
        for span_id in self.span_ids:
            if span_id in seen:
                continue
            seen.add(span_id)
            span = get_span(store.conn, span_id)
            if span.entity_id is None:
                continue
            if span.entity_id not in touched:
                touched[span.entity_id] = get_entity(store.conn, span.entity_id)
            self._removed.append((span.id, span.entity_id))
        self._touched = list(touched.values())
        _group(store, [span_id for span_id, _ in self._removed], None)
        for entity in self._touched:
            if not mention_ids(store.conn, entity.id):
                self._deleted.append(store.delete_entity(entity.id))
        return self._changes()

    def revert(self, store: EditStore) -> ChangeSet:
        for entity in self._deleted:
            store.insert_entity(
                document_id=entity.document_id,
                annotator_id=entity.annotator_id,
                name=entity.name,
                entity_id=entity.id,
            )
        for span_id, entity_id in self._removed:
            store.update_span(span_id, entity_id=entity_id)
        return self._changes()

    def _changes(self) -> ChangeSet:
        if not self._removed:
            return ChangeSet()
        return ChangeSet(
            documents=frozenset(entity.document_id for entity in self._touched),
            entities_changed=frozenset(entity.id for entity in self._touched),
            spans_updated=frozenset(span_id for span_id, _ in self._removed),
        )


@dataclass
class RenameEntity:
    """Give an entity a new canonical name."""

    entity_id: int
    name: str
    _before: Entity | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return f"Rename entity to {_clean_name(self.name)}"

    def apply(self, store: EditStore) -> ChangeSet:
        name = _clean_name(self.name)
        if not name:
            raise IntegrityError("an entity's name cannot be blank")
        self._before = get_entity(store.conn, self.entity_id)
        _rename(store, self.entity_id, name)
        return self._changes()

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._before is not None, "revert before apply"
        _rename(store, self._before.id, self._before.name)
        return self._changes()

    def _changes(self) -> ChangeSet:
        assert self._before is not None
        return ChangeSet(
            documents=frozenset({self._before.document_id}),
            entities_changed=frozenset({self._before.id}),
        )


@dataclass
class DeleteEntity:
    """Delete an entity; its mentions stay as ordinary, ungrouped spans."""

    entity_id: int
    _entity: Entity | None = field(default=None, repr=False)
    _mentions: list[SpanId] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return "Delete entity"

    def apply(self, store: EditStore) -> ChangeSet:
        self._entity = get_entity(store.conn, self.entity_id)
        self._mentions = mention_ids(store.conn, self.entity_id)
        store.delete_entity(self.entity_id)
        return self._changes()

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._entity is not None, "revert before apply"
        e = self._entity
        store.insert_entity(
            document_id=e.document_id, annotator_id=e.annotator_id, name=e.name, entity_id=e.id
        )
        _group(store, self._mentions, e.id)
        return self._changes()

    def _changes(self) -> ChangeSet:
        assert self._entity is not None
        return ChangeSet(
            documents=frozenset({self._entity.document_id}),
            entities_changed=frozenset({self._entity.id}),
            spans_updated=frozenset(self._mentions),
        )
