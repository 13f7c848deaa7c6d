"""Immutable domain records shared by storage, commands, formats, agreement and the UI.

Offsets are Python code points, half-open ``[start, end)``, over a document text that
never changes after import.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, NewType

DocumentId = NewType("DocumentId", int)
AnnotatorId = NewType("AnnotatorId", int)
SpanId = NewType("SpanId", int)
RelationId = NewType("RelationId", int)
EntityId = NewType("EntityId", int)

JsonMap = Mapping[str, Any]

GOLD_ANNOTATOR = "gold"
"""Name of the reserved annotator whose layer is the curated gold standard."""


def frozen_map(data: Mapping[str, Any] | None = None) -> JsonMap:
    """A read-only copy of ``data`` so records stay immutable."""
    return MappingProxyType(dict(data or {}))


class DocumentStatus(enum.StrEnum):
    """Progress of one annotator on one document."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class AnnotatorRole(enum.StrEnum):
    """What a person may do in a project."""

    ANNOTATOR = "annotator"
    CURATOR = "curator"
    MANAGER = "manager"


@dataclass(frozen=True, slots=True)
class Document:
    """An imported article; ``text`` is canonical and immutable."""

    id: DocumentId
    title: str
    text: str
    sha256: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: JsonMap = field(default_factory=frozen_map)
    imported_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What a document list needs, without the text."""

    id: DocumentId
    title: str
    length: int
    sha256: str
    source: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class Annotator:
    """A person (or the reserved gold layer) owning a set of annotations."""

    id: AnnotatorId
    name: str
    role: AnnotatorRole = AnnotatorRole.ANNOTATOR

    @property
    def is_gold(self) -> bool:
        """Whether this is the curated gold layer."""
        return self.name == GOLD_ANNOTATOR


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled stretch of one document by one annotator."""

    id: SpanId
    document_id: DocumentId
    annotator_id: AnnotatorId
    label: str
    start: int
    end: int
    text: str
    attributes: JsonMap = field(default_factory=frozen_map)
    entity_id: EntityId | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link from a head span to a tail span of the same document and annotator."""

    id: RelationId
    document_id: DocumentId
    annotator_id: AnnotatorId
    label: str
    head_id: SpanId
    tail_id: SpanId
    attributes: JsonMap = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class Entity:
    """A group of coreferent span mentions with a canonical name."""

    id: EntityId
    document_id: DocumentId
    annotator_id: AnnotatorId
    name: str


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """Status of one (document, annotator) pair with its timestamps."""

    document_id: DocumentId
    annotator_id: AnnotatorId
    status: DocumentStatus
    started_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None
