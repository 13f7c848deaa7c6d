"""What an edit changed, so views update only what they must."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spanlab.core.model import AnnotatorId, DocumentId, EntityId, RelationId, SpanId


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Ids touched by one command (apply or revert)."""

    documents: frozenset[DocumentId] = frozenset()
    spans_added: frozenset[SpanId] = frozenset()
    spans_removed: frozenset[SpanId] = frozenset()
    spans_updated: frozenset[SpanId] = frozenset()
    relations_added: frozenset[RelationId] = frozenset()
    relations_removed: frozenset[RelationId] = frozenset()
    relations_updated: frozenset[RelationId] = frozenset()
    entities_changed: frozenset[EntityId] = frozenset()
    statuses: frozenset[tuple[DocumentId, AnnotatorId]] = frozenset()
    schema_changed: bool = False
    documents_changed: bool = False

    @property
    def is_empty(self) -> bool:
        """Whether nothing changed."""
        return self == ChangeSet()

    def merge(self, other: ChangeSet) -> ChangeSet:
        """Union of two change sets (used by composite commands)."""
        return ChangeSet(
            documents=self.documents | other.documents,
            spans_added=self.spans_added | other.spans_added,
            spans_removed=self.spans_removed | other.spans_removed,
            spans_updated=self.spans_updated | other.spans_updated,
            relations_added=self.relations_added | other.relations_added,
            relations_removed=self.relations_removed | other.relations_removed,
            relations_updated=self.relations_updated | other.relations_updated,
            entities_changed=self.entities_changed | other.entities_changed,
            statuses=self.statuses | other.statuses,
            schema_changed=self.schema_changed or other.schema_changed,
            documents_changed=self.documents_changed or other.documents_changed,
        )

    @staticmethod
    def combine(changes: Iterable[ChangeSet]) -> ChangeSet:
        """Union of many change sets."""
        result = ChangeSet()
        for change in changes:
            result = result.merge(change)
        return result
