"""All SQLModel table definitions. Private to ``spanlab.core.storage``.

Alembic migrations are the authority on the database schema; these classes must stay
equal to the migrated schema (checked by ``tests/core/storage/test_migrations.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Convention names make constraint names stable across SQLite and PostgreSQL, which
# Alembic needs for batch (copy-and-move) migrations on SQLite.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ProjectInfoRow(SQLModel, table=True):
    """Key/value facts about the project (name, creating version, schema name)."""

    __tablename__ = "project_info"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class DocumentRow(SQLModel, table=True):
    """An imported article; ``text`` never changes after insert."""

    __tablename__ = "document"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(max_length=64, unique=True)
    length: int
    source: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    published: str | None = Field(default=None, max_length=64)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    imported_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    position: int = Field(index=True)


class AnnotatorRow(SQLModel, table=True):
    """A person, or the reserved ``gold`` layer."""

    __tablename__ = "annotator"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    role: str = Field(max_length=16, default="annotator")
    # PostgreSQL login of this person (row-level security maps current_user to this row).
    db_login: str | None = Field(default=None, max_length=63, unique=True)


class LabelTypeRow(SQLModel, table=True):
    """An entity label of the project's schema; spans refer to it by id so renames are free."""

    __tablename__ = "label_type"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    colour: str = Field(max_length=9)
    hotkey: str | None = Field(default=None, max_length=16)
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    attributes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    position: int = 0


class RelationTypeRow(SQLModel, table=True):
    """A relation type with its allowed head and tail labels (by label name)."""

    __tablename__ = "relation_type"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    heads: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tails: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    symmetric: bool = False
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    attributes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    position: int = 0


class EntityRow(SQLModel, table=True):
    """A coreference group: several mentions (spans) of one real-world entity."""

    __tablename__ = "entity"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", index=True)
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    name: str = Field(sa_column=Column(Text, nullable=False))


class SpanRow(SQLModel, table=True):
    """A labelled code-point range ``[start, end)`` of a document by one annotator."""

    __tablename__ = "span"
    __table_args__ = (
        Index("ix_span_document_annotator_start", "document_id", "annotator_id", "start"),
    )
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    label_id: int = Field(foreign_key="label_type.id", ondelete="RESTRICT", index=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    entity_id: int | None = Field(
        default=None, foreign_key="entity.id", ondelete="SET NULL", index=True
    )


class RelationRow(SQLModel, table=True):
    """A typed link between two spans of the same document and annotator."""

    __tablename__ = "relation"
    __table_args__ = (Index("ix_relation_document_annotator", "document_id", "annotator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    type_id: int = Field(foreign_key="relation_type.id", ondelete="RESTRICT", index=True)
    head_id: int = Field(foreign_key="span.id", ondelete="CASCADE", index=True)
    tail_id: int = Field(foreign_key="span.id", ondelete="CASCADE", index=True)
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class DocumentStatusRow(SQLModel, table=True):
    """Progress of one annotator on one document (absent row = new)."""

    __tablename__ = "document_status"
    __table_args__ = (UniqueConstraint("document_id", "annotator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", index=True)
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE", index=True)
    status: str = Field(max_length=16)
    started_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AssignmentRow(SQLModel, table=True):
    """A document the lead assigned to an annotator (revision 0003)."""

    __tablename__ = "assignment"
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", primary_key=True)
    annotator_id: int = Field(
        foreign_key="annotator.id", ondelete="CASCADE", primary_key=True, index=True
    )
    assigned_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ChangeCounterRow(SQLModel, table=True):
    """Edit counters polled by clients to refresh (revision 0003).

    ``scope`` is ``project`` (documents, schema, people, assignments) or
    ``annotator:<id>`` (that annotator's layer and statuses); every write transaction
    bumps the scopes it touched, so other sessions can see that something changed.
    """

    __tablename__ = "change_counter"
    scope: str = Field(primary_key=True, max_length=64)
    version: int = Field(sa_column=Column(BigInteger, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class LayerMergeRow(SQLModel, table=True):
    """Fingerprint of the layer last merged from an offline package (revision 0003).

    Lets ``spanlab merge`` tell "changed in the project since the checkout" (a conflict)
    from "the version an earlier merge of the same checkout put there".
    """

    __tablename__ = "layer_merge"
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", primary_key=True)
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE", primary_key=True)
    fingerprint: str = Field(max_length=64)
    merged_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
