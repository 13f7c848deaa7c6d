"""Queries over the tables, returning immutable domain records (no ORM rows escape)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, RowMapping, delete, func, insert, select

from spanlab.core.errors import NotFoundError
from spanlab.core.model import (
    Annotator,
    AnnotatorId,
    AnnotatorRole,
    Document,
    DocumentId,
    DocumentStatus,
    DocumentSummary,
    Entity,
    EntityId,
    Relation,
    RelationId,
    Span,
    SpanId,
    StatusRecord,
    frozen_map,
)
from spanlab.core.schema import (
    LabelSpec,
    RelationSpec,
    Schema,
    attribute_from_dict,
)
from spanlab.core.storage import span_reads
from spanlab.core.storage.tables import (
    AnnotatorRow,
    AssignmentRow,
    ChangeCounterRow,
    DocumentRow,
    DocumentStatusRow,
    EntityRow,
    LabelTypeRow,
    LayerMergeRow,
    ProjectInfoRow,
    RelationRow,
    RelationTypeRow,
    SpanRow,
)

DOC = DocumentRow.__table__  # type: ignore[attr-defined]
ANN = AnnotatorRow.__table__  # type: ignore[attr-defined]
LABEL = LabelTypeRow.__table__  # type: ignore[attr-defined]
RTYPE = RelationTypeRow.__table__  # type: ignore[attr-defined]
SPAN = SpanRow.__table__  # type: ignore[attr-defined]
REL = RelationRow.__table__  # type: ignore[attr-defined]
STATUS = DocumentStatusRow.__table__  # type: ignore[attr-defined]
ENTITY = EntityRow.__table__  # type: ignore[attr-defined]
INFO = ProjectInfoRow.__table__  # type: ignore[attr-defined]
ASSIGN = AssignmentRow.__table__  # type: ignore[attr-defined]
CHANGES = ChangeCounterRow.__table__  # type: ignore[attr-defined]
MERGES = LayerMergeRow.__table__  # type: ignore[attr-defined]

PROJECT_SCOPE = "project"
"""Change-counter scope of shared data: documents, schema, people, assignments."""


def annotator_scope(annotator_id: int) -> str:
    """Change-counter scope of one annotator's layer and statuses."""
    return f"annotator:{int(annotator_id)}"


T = TypeVar("T")

# Bound-parameter budget per statement: SQLite before 3.32 allows only 999.
CHUNK = 500


def now() -> datetime:
    """Current time in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Stored timestamps as aware UTC (SQLite hands them back naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def chunks(ids: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    """Split id lists so IN (...) never exceeds the parameter limit."""
    for index in range(0, len(ids), size):
        yield ids[index : index + size]


# --------------------------------------------------------------------------- mapping


SPAN_COLUMNS = (
    SPAN.c.id,
    SPAN.c.document_id,
    SPAN.c.annotator_id,
    LABEL.c.name.label("label"),
    SPAN.c.start,
    SPAN.c.end,
    SPAN.c.text,
    SPAN.c.attributes,
    SPAN.c.entity_id,
)
RELATION_COLUMNS = (
    REL.c.id,
    REL.c.document_id,
    REL.c.annotator_id,
    RTYPE.c.name.label("label"),
    REL.c.head_id,
    REL.c.tail_id,
    REL.c.attributes,
)


def span_from_row(row: RowMapping) -> Span:
    """Map a joined span row to a record."""
    return Span(
        id=SpanId(row["id"]),
        document_id=DocumentId(row["document_id"]),
        annotator_id=AnnotatorId(row["annotator_id"]),
        label=row["label"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        attributes=frozen_map(row["attributes"]),
        entity_id=EntityId(row["entity_id"]) if row["entity_id"] is not None else None,
    )


def relation_from_row(row: RowMapping) -> Relation:
    """Map a joined relation row to a record."""
    return Relation(
        id=RelationId(row["id"]),
        document_id=DocumentId(row["document_id"]),
        annotator_id=AnnotatorId(row["annotator_id"]),
        label=row["label"],
        head_id=SpanId(row["head_id"]),
        tail_id=SpanId(row["tail_id"]),
        attributes=frozen_map(row["attributes"]),
    )


def document_from_row(row: RowMapping) -> Document:
    """Map a document row to a record."""
    return Document(
        id=DocumentId(row["id"]),
        title=row["title"],
        text=row["text"],
        sha256=row["sha256"],
        source=row["source"],
        url=row["url"],
        published=row["published"],
        metadata=frozen_map(row["meta"]),
        imported_at=as_utc(row["imported_at"]),
    )


def status_from_row(row: RowMapping) -> StatusRecord:
    """Map a status row to a record."""
    return StatusRecord(
        document_id=DocumentId(row["document_id"]),
        annotator_id=AnnotatorId(row["annotator_id"]),
        status=DocumentStatus(row["status"]),
        started_at=as_utc(row["started_at"]),
        finished_at=as_utc(row["finished_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


# --------------------------------------------------------------------------- reads


def project_info(conn: Connection) -> dict[str, str]:
    """All project facts."""
    return {row.key: row.value for row in conn.execute(select(INFO.c.key, INFO.c.value))}


def set_project_info(conn: Connection, values: Mapping[str, str]) -> None:
    """Insert or replace project facts."""
    for key, value in values.items():
        conn.execute(delete(INFO).where(INFO.c.key == key))
        conn.execute(insert(INFO).values(key=key, value=value))


def document_count(conn: Connection) -> int:
    """Number of documents."""
    return int(conn.execute(select(func.count()).select_from(DOC)).scalar_one())


def list_documents(conn: Connection) -> list[DocumentSummary]:
    """Documents in project order, without their text."""
    query = select(
        DOC.c.id, DOC.c.title, DOC.c.length, DOC.c.sha256, DOC.c.source, DOC.c.published
    ).order_by(DOC.c.position, DOC.c.id)
    return [
        DocumentSummary(
            id=DocumentId(r.id),
            title=r.title,
            length=r.length,
            sha256=r.sha256,
            source=r.source,
            published=r.published,
        )
        for r in conn.execute(query)
    ]


def get_document(conn: Connection, document_id: int) -> Document:
    """One document with its text."""
    row = conn.execute(select(DOC).where(DOC.c.id == document_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"document {document_id} does not exist")
    return document_from_row(row)


def existing_hashes(conn: Connection, hashes: Sequence[str]) -> set[str]:
    """Which of these text hashes are already in the project."""
    found: set[str] = set()
    for part in chunks(list(hashes)):
        found.update(conn.execute(select(DOC.c.sha256).where(DOC.c.sha256.in_(part))).scalars())
    return found


def list_annotators(conn: Connection) -> list[Annotator]:
    """All annotators (gold included), by name."""
    rows = conn.execute(select(ANN).order_by(ANN.c.name)).mappings()
    return [Annotator(AnnotatorId(r["id"]), r["name"], AnnotatorRole(r["role"])) for r in rows]


def find_annotator(conn: Connection, name: str) -> Annotator | None:
    """The annotator called ``name``, if any."""
    r = conn.execute(select(ANN).where(ANN.c.name == name)).mappings().first()
    return (
        None if r is None else Annotator(AnnotatorId(r["id"]), r["name"], AnnotatorRole(r["role"]))
    )


def list_spans(
    conn: Connection,
    *,
    document_id: int | None = None,
    annotator_id: int | None = None,
    span_ids: Sequence[int] | None = None,
) -> list[Span]:
    """Spans in text order, filtered by document, annotator or ids.

    Reads go through :mod:`spanlab.core.storage.span_reads` (prebuilt statements, tuples,
    JSON decoded only when not empty): opening a document lists thousands of spans.
    """
    if span_ids is None:
        return span_reads.select_spans(conn, document_id=document_id, annotator_id=annotator_id)
    result: list[Span] = []
    for part in chunks(list(span_ids)):
        result.extend(
            span_reads.select_spans(
                conn, document_id=document_id, annotator_id=annotator_id, span_ids=part
            )
        )
    return sorted(result, key=lambda s: (s.document_id, s.start, s.end, s.id))


def get_span(conn: Connection, span_id: int) -> Span:
    """One span."""
    found = span_reads.select_spans(conn, span_ids=[span_id])
    if not found:
        raise NotFoundError(f"span {span_id} does not exist")
    return found[0]


def list_relations(
    conn: Connection,
    *,
    document_id: int | None = None,
    annotator_id: int | None = None,
    relation_ids: Sequence[int] | None = None,
    touching_spans: Sequence[int] | None = None,
) -> list[Relation]:
    """Relations, filtered by document, annotator, ids or the spans they link."""
    query = select(*RELATION_COLUMNS).join(RTYPE, RTYPE.c.id == REL.c.type_id)
    if document_id is not None:
        query = query.where(REL.c.document_id == document_id)
    if annotator_id is not None:
        query = query.where(REL.c.annotator_id == annotator_id)
    if relation_ids is not None:
        query = query.where(REL.c.id.in_(list(relation_ids)))
    if touching_spans is not None:
        ids = list(touching_spans)
        query = query.where(REL.c.head_id.in_(ids) | REL.c.tail_id.in_(ids))
    return [relation_from_row(r) for r in conn.execute(query.order_by(REL.c.id)).mappings()]


def get_relation(conn: Connection, relation_id: int) -> Relation:
    """One relation."""
    found = list_relations(conn, relation_ids=[relation_id])
    if not found:
        raise NotFoundError(f"relation {relation_id} does not exist")
    return found[0]


def get_status(conn: Connection, document_id: int, annotator_id: int) -> StatusRecord:
    """Status of a document for an annotator (``new`` when never touched)."""
    row = (
        conn.execute(
            select(STATUS).where(
                (STATUS.c.document_id == document_id) & (STATUS.c.annotator_id == annotator_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return StatusRecord(DocumentId(document_id), AnnotatorId(annotator_id), DocumentStatus.NEW)
    return status_from_row(row)


def list_statuses(conn: Connection, *, annotator_id: int | None = None) -> list[StatusRecord]:
    """All stored statuses (absent pairs are ``new``)."""
    query = select(STATUS)
    if annotator_id is not None:
        query = query.where(STATUS.c.annotator_id == annotator_id)
    return [status_from_row(r) for r in conn.execute(query).mappings()]


def span_counts(conn: Connection, *, annotator_id: int) -> dict[DocumentId, int]:
    """Number of spans per document for one annotator."""
    query = (
        select(SPAN.c.document_id, func.count())
        .where(SPAN.c.annotator_id == annotator_id)
        .group_by(SPAN.c.document_id)
    )
    return {DocumentId(doc): int(count) for doc, count in conn.execute(query)}


def label_counts(conn: Connection) -> list[tuple[str, str, int]]:
    """(annotator name, label name, span count) for every pair that has spans."""
    query = (
        select(ANN.c.name, LABEL.c.name, func.count())
        .select_from(SPAN.join(ANN, ANN.c.id == SPAN.c.annotator_id))
        .join(LABEL, LABEL.c.id == SPAN.c.label_id)
        .group_by(ANN.c.name, LABEL.c.name)
    )
    return [(a, label, int(n)) for a, label, n in conn.execute(query)]


def relation_counts(conn: Connection) -> list[tuple[str, str, int]]:
    """(annotator name, relation type, count) for every pair that has relations."""
    query = (
        select(ANN.c.name, RTYPE.c.name, func.count())
        .select_from(REL.join(ANN, ANN.c.id == REL.c.annotator_id))
        .join(RTYPE, RTYPE.c.id == REL.c.type_id)
        .group_by(ANN.c.name, RTYPE.c.name)
    )
    return [(a, t, int(n)) for a, t, n in conn.execute(query)]


def load_schema(conn: Connection) -> Schema:
    """The project's tag set."""
    info = project_info(conn)
    labels = tuple(
        LabelSpec(
            name=r["name"],
            colour=r["colour"],
            hotkey=r["hotkey"],
            description=r["description"],
            attributes=tuple(attribute_from_dict(a) for a in r["attributes"]),
        )
        for r in conn.execute(select(LABEL).order_by(LABEL.c.position, LABEL.c.id)).mappings()
    )
    relations = tuple(
        RelationSpec(
            name=r["name"],
            heads=tuple(r["heads"]),
            tails=tuple(r["tails"]),
            symmetric=bool(r["symmetric"]),
            description=r["description"],
            attributes=tuple(attribute_from_dict(a) for a in r["attributes"]),
        )
        for r in conn.execute(select(RTYPE).order_by(RTYPE.c.position, RTYPE.c.id)).mappings()
    )
    return Schema(
        name=info.get("schema_name", "untitled"),
        description=info.get("schema_description", ""),
        labels=labels,
        relations=relations,
        version=int(info.get("schema_version", "1")),
    )


def list_entities(conn: Connection, *, document_id: int, annotator_id: int) -> list[Entity]:
    """Entity groups of one document and annotator."""
    query = select(ENTITY).where(
        (ENTITY.c.document_id == document_id) & (ENTITY.c.annotator_id == annotator_id)
    )
    return [
        Entity(
            EntityId(r["id"]),
            DocumentId(r["document_id"]),
            AnnotatorId(r["annotator_id"]),
            r["name"],
        )
        for r in conn.execute(query.order_by(ENTITY.c.id)).mappings()
    ]


def get_entity(conn: Connection, entity_id: int) -> Entity:
    """One entity, or NotFoundError."""
    row = conn.execute(select(ENTITY).where(ENTITY.c.id == entity_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"entity {entity_id} does not exist")
    return Entity(
        EntityId(row["id"]),
        DocumentId(row["document_id"]),
        AnnotatorId(row["annotator_id"]),
        row["name"],
    )


def entity_span_ids(conn: Connection, entity_id: int) -> list[SpanId]:
    """Ids of an entity's mentions in text order."""
    query = select(SPAN.c.id).where(SPAN.c.entity_id == entity_id).order_by(SPAN.c.start, SPAN.c.id)
    return [SpanId(span_id) for span_id in conn.execute(query).scalars()]


def change_counters(conn: Connection) -> list[tuple[str, int, datetime | None]]:
    """(scope, version, updated_at) of every change counter, by scope (a tiny table)."""
    query = select(CHANGES.c.scope, CHANGES.c.version, CHANGES.c.updated_at).order_by(
        CHANGES.c.scope
    )
    return [(scope, int(version), as_utc(at)) for scope, version, at in conn.execute(query)]
