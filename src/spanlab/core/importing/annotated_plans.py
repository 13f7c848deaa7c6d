"""Write plans: what a checked file will add, in plain records keyed as in the file.

The checks (``annotated_check``) build them; the writer (``annotated_write``) turns
them into core commands. Keys are the file's own span/entity ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spanlab.core.importing.annotated_report import FileResult
from spanlab.core.model import DocumentStatus

__all__ = ["DocumentPlan", "EntityPlan", "FilePlan", "LayerPlan", "RelationPlan", "SpanPlan"]


@dataclass
class SpanPlan:
    """A span in canonical code points; mutable because duplicates merge into it."""

    key: str
    label: str
    start: int
    end: int
    attributes: dict[str, Any]
    entity_key: str | None
    line: int | None


@dataclass
class RelationPlan:
    """A relation between two ``SpanPlan`` keys."""

    label: str
    head: str
    tail: str
    attributes: dict[str, Any]


@dataclass
class EntityPlan:
    """An entity group: its name and member ``SpanPlan`` keys, in text order."""

    key: str
    name: str
    members: list[str]


@dataclass
class LayerPlan:
    """One annotator's annotations on a document; ``replace`` clears theirs first."""

    annotator: str
    status: DocumentStatus | None
    spans: list[SpanPlan] = field(default_factory=list)
    relations: list[RelationPlan] = field(default_factory=list)
    entities: list[EntityPlan] = field(default_factory=list)
    replace: bool = False

    @property
    def empty(self) -> bool:
        """Whether the layer adds nothing (a status alone may still be set)."""
        return not (self.spans or self.relations or self.entities)


@dataclass
class DocumentPlan:
    """A document (matched by its text's hash, or created from ``row``) and its layers."""

    sha256: str
    row: dict[str, Any]
    layers: list[LayerPlan]


@dataclass
class FilePlan:
    """Everything one accepted file writes; counts go to ``result``."""

    result: FileResult
    documents: list[DocumentPlan] = field(default_factory=list)
