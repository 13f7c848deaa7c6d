"""Reversible edit commands: the only way annotations, statuses and the schema change.

Each command's ``apply`` and ``revert`` run inside one transaction (see
``Project.execute``). Ids created by the first ``apply`` are reused on redo, so later
commands on an undo stack keep pointing at the right rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spanlab.core.changes import ChangeSet
from spanlab.core.errors import IntegrityError
from spanlab.core.model import (
    AnnotatorId,
    DocumentId,
    DocumentStatus,
    Relation,
    RelationId,
    Span,
    SpanId,
    StatusRecord,
)
from spanlab.core.project import Command
from spanlab.core.schema import Schema
from spanlab.core.storage.edit_store import EditStore


class _StatusTouch:
    """Moves a document from *new* to *in progress* on the first edit, and back on undo."""

    def __init__(self) -> None:
        self._before: StatusRecord | None = None

    def touch(self, store: EditStore, document_id: int, annotator_id: int) -> ChangeSet:
        from spanlab.core.storage.repository import get_status

        current = get_status(store.conn, document_id, annotator_id)
        if current.status is not DocumentStatus.NEW:
            self._before = None
            return ChangeSet()
        self._before = current
        store.set_status(document_id, annotator_id, DocumentStatus.IN_PROGRESS)
        return ChangeSet(statuses=frozenset({(DocumentId(document_id), AnnotatorId(annotator_id))}))

    def untouch(self, store: EditStore) -> ChangeSet:
        if self._before is None:
            return ChangeSet()
        store.restore_status(self._before)
        key = (self._before.document_id, self._before.annotator_id)
        self._before = None
        return ChangeSet(statuses=frozenset({key}))


@dataclass
class AddSpan:
    """Label ``[start, end)`` of a document for an annotator."""

    document_id: int
    annotator_id: int
    label: str
    start: int
    end: int
    attributes: Mapping[str, Any] = field(default_factory=dict)
    span_id: SpanId | None = None
    _status: _StatusTouch = field(default_factory=_StatusTouch, repr=False)

    @property
    def text(self) -> str:
        return f"Add {self.label}"

    def apply(self, store: EditStore) -> ChangeSet:
        span = store.insert_span(
            document_id=self.document_id,
            annotator_id=self.annotator_id,
            label=self.label,
            start=self.start,
            end=self.end,
            attributes=self.attributes,
            span_id=self.span_id,
        )
        self.span_id = span.id
        touched = self._status.touch(store, self.document_id, self.annotator_id)
        return touched.merge(
            ChangeSet(documents=frozenset({span.document_id}), spans_added=frozenset({span.id}))
        )

    def revert(self, store: EditStore) -> ChangeSet:
        assert self.span_id is not None, "revert before apply"
        span, relations = store.delete_span(self.span_id)
        if relations:  # only possible if another command was not undone first
            raise IntegrityError("cannot undo: the span is still used by relations")
        return self._status.untouch(store).merge(
            ChangeSet(documents=frozenset({span.document_id}), spans_removed=frozenset({span.id}))
        )


@dataclass
class RemoveSpans:
    """Delete spans together with the relations that use them."""

    span_ids: Sequence[int]
    _removed: list[Span] = field(default_factory=list, repr=False)
    _relations: list[Relation] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        count = len(self.span_ids)
        return "Delete span" if count == 1 else f"Delete {count} spans"

    def apply(self, store: EditStore) -> ChangeSet:
        self._removed, self._relations = [], []
        seen: set[int] = set()
        for span_id in self.span_ids:
            span, relations = store.delete_span(span_id)
            self._removed.append(span)
            self._relations.extend(r for r in relations if r.id not in seen)
            seen.update(r.id for r in relations)
        return ChangeSet(
            documents=frozenset(s.document_id for s in self._removed),
            spans_removed=frozenset(s.id for s in self._removed),
            relations_removed=frozenset(r.id for r in self._relations),
        )

    def revert(self, store: EditStore) -> ChangeSet:
        for span in self._removed:
            store.insert_span(
                document_id=span.document_id,
                annotator_id=span.annotator_id,
                label=span.label,
                start=span.start,
                end=span.end,
                attributes=span.attributes,
                span_id=span.id,
                entity_id=span.entity_id,
            )
        for rel in self._relations:
            store.insert_relation(
                head_id=rel.head_id,
                tail_id=rel.tail_id,
                label=rel.label,
                attributes=rel.attributes,
                relation_id=rel.id,
            )
        return ChangeSet(
            documents=frozenset(s.document_id for s in self._removed),
            spans_added=frozenset(s.id for s in self._removed),
            relations_added=frozenset(r.id for r in self._relations),
        )


@dataclass
class UpdateSpan:
    """Relabel, resize or re-attribute one span."""

    span_id: int
    label: str | None = None
    start: int | None = None
    end: int | None = None
    attributes: Mapping[str, Any] | None = None
    _before: Span | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        if self.label is not None:
            return f"Relabel as {self.label}"
        if self.start is not None or self.end is not None:
            return "Resize span"
        return "Edit attributes"

    def apply(self, store: EditStore) -> ChangeSet:
        before, after = store.update_span(
            self.span_id,
            label=self.label,
            start=self.start,
            end=self.end,
            attributes=self.attributes,
        )
        self._before = before
        return ChangeSet(
            documents=frozenset({after.document_id}), spans_updated=frozenset({after.id})
        )

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._before is not None, "revert before apply"
        b = self._before
        store.update_span(b.id, label=b.label, start=b.start, end=b.end, attributes=b.attributes)
        return ChangeSet(documents=frozenset({b.document_id}), spans_updated=frozenset({b.id}))


@dataclass
class AddRelation:
    """Link a head span to a tail span with a relation type."""

    head_id: int
    tail_id: int
    label: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    relation_id: RelationId | None = None
    _status: _StatusTouch = field(default_factory=_StatusTouch, repr=False)

    @property
    def text(self) -> str:
        return f"Add {self.label}"

    def apply(self, store: EditStore) -> ChangeSet:
        relation = store.insert_relation(
            head_id=self.head_id,
            tail_id=self.tail_id,
            label=self.label,
            attributes=self.attributes,
            relation_id=self.relation_id,
        )
        self.relation_id = relation.id
        touched = self._status.touch(store, relation.document_id, relation.annotator_id)
        return touched.merge(
            ChangeSet(
                documents=frozenset({relation.document_id}),
                relations_added=frozenset({relation.id}),
            )
        )

    def revert(self, store: EditStore) -> ChangeSet:
        assert self.relation_id is not None, "revert before apply"
        relation = store.delete_relation(self.relation_id)
        return self._status.untouch(store).merge(
            ChangeSet(
                documents=frozenset({relation.document_id}),
                relations_removed=frozenset({relation.id}),
            )
        )


@dataclass
class RemoveRelation:
    """Delete one relation."""

    relation_id: int
    _removed: Relation | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return "Delete relation"

    def apply(self, store: EditStore) -> ChangeSet:
        self._removed = store.delete_relation(self.relation_id)
        return ChangeSet(
            documents=frozenset({self._removed.document_id}),
            relations_removed=frozenset({self._removed.id}),
        )

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._removed is not None, "revert before apply"
        r = self._removed
        store.insert_relation(
            head_id=r.head_id,
            tail_id=r.tail_id,
            label=r.label,
            attributes=r.attributes,
            relation_id=r.id,
        )
        return ChangeSet(documents=frozenset({r.document_id}), relations_added=frozenset({r.id}))


@dataclass
class UpdateRelation:
    """Retype a relation or change its attributes."""

    relation_id: int
    label: str | None = None
    attributes: Mapping[str, Any] | None = None
    _before: Relation | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return f"Retype as {self.label}" if self.label else "Edit relation attributes"

    def apply(self, store: EditStore) -> ChangeSet:
        before, after = store.update_relation(
            self.relation_id, label=self.label, attributes=self.attributes
        )
        self._before = before
        return ChangeSet(
            documents=frozenset({after.document_id}), relations_updated=frozenset({after.id})
        )

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._before is not None, "revert before apply"
        b = self._before
        store.update_relation(b.id, label=b.label, attributes=b.attributes)
        return ChangeSet(documents=frozenset({b.document_id}), relations_updated=frozenset({b.id}))


@dataclass
class SetStatus:
    """Mark a document new, in progress or done for an annotator."""

    document_id: int
    annotator_id: int
    status: DocumentStatus
    _before: StatusRecord | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return {
            DocumentStatus.DONE: "Mark done",
            DocumentStatus.IN_PROGRESS: "Reopen",
            DocumentStatus.NEW: "Reset status",
        }[self.status]

    def apply(self, store: EditStore) -> ChangeSet:
        self._before, _ = store.set_status(self.document_id, self.annotator_id, self.status)
        return ChangeSet(
            statuses=frozenset({(DocumentId(self.document_id), AnnotatorId(self.annotator_id))})
        )

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._before is not None, "revert before apply"
        store.restore_status(self._before)
        return ChangeSet(
            statuses=frozenset({(DocumentId(self.document_id), AnnotatorId(self.annotator_id))})
        )


@dataclass
class UpdateSchema:
    """Replace the tag set; ``renames`` (old -> new) keep existing annotations attached."""

    schema: Schema
    renames: Mapping[str, str] = field(default_factory=dict)
    _before: Schema | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return "Change schema"

    def apply(self, store: EditStore) -> ChangeSet:
        self._before = store.schema
        store.replace_schema(self.schema, renames=self.renames)
        return ChangeSet(schema_changed=True)

    def revert(self, store: EditStore) -> ChangeSet:
        assert self._before is not None, "revert before apply"
        back = {new: old for old, new in self.renames.items()}
        store.replace_schema(self._before, renames=back)
        return ChangeSet(schema_changed=True)


@dataclass
class Batch:
    """Several commands as one undo step (e.g. "label all occurrences")."""

    label: str
    commands: Sequence[Command]

    @property
    def text(self) -> str:
        return self.label

    def apply(self, store: EditStore) -> ChangeSet:
        return ChangeSet.combine([command.apply(store) for command in self.commands])

    def revert(self, store: EditStore) -> ChangeSet:
        return ChangeSet.combine([command.revert(store) for command in reversed(self.commands)])
