"""Write access inside one transaction; every write checks the project's invariants."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from spanlab.core.errors import IntegrityError, NotFoundError
from spanlab.core.model import (
    Annotator,
    AnnotatorId,
    AnnotatorRole,
    DocumentId,
    DocumentStatus,
    Entity,
    EntityId,
    Relation,
    RelationId,
    Span,
    SpanId,
    StatusRecord,
    frozen_map,
)
from spanlab.core.schema import Schema, attribute_to_dict
from spanlab.core.storage.repository import (
    ANN,
    CHANGES,
    DOC,
    ENTITY,
    LABEL,
    PROJECT_SCOPE,
    REL,
    RTYPE,
    SPAN,
    STATUS,
    annotator_scope,
    chunks,
    find_annotator,
    get_relation,
    get_span,
    get_status,
    list_relations,
    load_schema,
    now,
    set_project_info,
)

_BUMP_STATEMENTS: dict[str, Any] = {}


def _bump_statement(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT DO UPDATE version = version + 1`` for SQLite and PostgreSQL
    (built once: constructing it costs more than running it); None for other backends."""
    if dialect not in ("postgresql", "sqlite"):
        return None
    if dialect not in _BUMP_STATEMENTS:
        module: Any = postgresql if dialect == "postgresql" else sqlite
        _BUMP_STATEMENTS[dialect] = (
            module.insert(CHANGES)
            .values(scope=bindparam("scope"), version=1, updated_at=bindparam("stamp"))
            .on_conflict_do_update(
                index_elements=[CHANGES.c.scope],
                set_={"version": CHANGES.c.version + 1, "updated_at": bindparam("stamp")},
            )
        )
    return _BUMP_STATEMENTS[dialect]


class _Keep:
    """Marker for 'leave this field as it is' where None is a meaningful value."""


KEEP = _Keep()


INSERTED_SPANS_KEPT = 64
"""How many inserted spans a transaction hands back to its project (see ``Project``)."""


class EditStore:
    """Write access inside one transaction; every write checks the project's invariants.

    Commands receive an ``EditStore``; nothing else writes annotations.
    """

    def __init__(self, conn: Connection, *, known_texts: Mapping[int, str] | None = None) -> None:
        self.conn = conn
        self._known_texts: Mapping[int, str] = known_texts if known_texts is not None else {}
        self._label_ids: dict[str, int] | None = None
        self._schema: Schema | None = None
        self._type_ids: dict[str, int] | None = None
        self._texts: dict[int, str] = {}
        self.changed_scopes: set[str] = set()
        # The first spans this transaction inserted, as stored: the GUI shows a new
        # span from these instead of reading it back (bounded: imports add thousands).
        self.inserted_spans: dict[SpanId, Span] = {}

    # ---- change counters (other sessions poll them to refresh)
    def mark_changed(self, annotator_id: int | None = None) -> None:
        """Record that this transaction changed an annotator's layer or status, or (with
        None) shared data: documents, schema, people, assignments.

        Every write method below calls this; code that writes through ``conn`` directly
        must call it too, or other sessions will not notice the change.
        """
        self.changed_scopes.add(
            PROJECT_SCOPE if annotator_id is None else annotator_scope(annotator_id)
        )

    def publish_changes(self) -> None:
        """Bump the change counter of every scope marked so far (``Project.edit`` calls this
        last, just before commit, so the counter rows are locked only for an instant)."""
        if not self.changed_scopes:
            return
        stamp = now()
        statement = _bump_statement(self.conn.dialect.name)
        for scope in sorted(self.changed_scopes):  # one order everywhere: no deadlocks
            if statement is not None:
                self.conn.execute(statement, {"scope": scope, "stamp": stamp})
                continue
            bumped = self.conn.execute(
                update(CHANGES)
                .where(CHANGES.c.scope == scope)
                .values(version=CHANGES.c.version + 1, updated_at=stamp)
            )
            if not bumped.rowcount:
                self.conn.execute(insert(CHANGES).values(scope=scope, version=1, updated_at=stamp))
        self.changed_scopes.clear()

    # ---- cached lookups within the transaction
    @property
    def schema(self) -> Schema:
        """The tag set as of the start of this transaction (refreshed after changes)."""
        if self._schema is None:
            self._schema = load_schema(self.conn)
        return self._schema

    def label_id(self, name: str) -> int:
        """Id of a label, or a clear error naming the known labels."""
        if self._label_ids is None:
            self._label_ids = {n: i for n, i in self.conn.execute(select(LABEL.c.name, LABEL.c.id))}
        if name not in self._label_ids:
            known = ", ".join(sorted(self._label_ids)) or "none"
            raise IntegrityError(f"label '{name}' is not in the project's schema (labels: {known})")
        return self._label_ids[name]

    def relation_type_id(self, name: str) -> int:
        """Id of a relation type, or a clear error."""
        if self._type_ids is None:
            self._type_ids = {n: i for n, i in self.conn.execute(select(RTYPE.c.name, RTYPE.c.id))}
        if name not in self._type_ids:
            known = ", ".join(sorted(self._type_ids)) or "none"
            raise IntegrityError(
                f"relation type '{name}' is not in the project's schema (types: {known})"
            )
        return self._type_ids[name]

    def text_of(self, document_id: int) -> str:
        """Document text, cached for the transaction."""
        if document_id not in self._texts and document_id in self._known_texts:
            self._texts[document_id] = self._known_texts[document_id]
        if document_id not in self._texts:
            text = self.conn.execute(select(DOC.c.text).where(DOC.c.id == document_id)).scalar()
            if text is None:
                raise NotFoundError(f"document {document_id} does not exist")
            self._texts[document_id] = text
        return self._texts[document_id]

    def forget_schema(self) -> None:
        """Drop cached schema lookups after the schema changed."""
        self._label_ids = self._type_ids = None
        self._schema = None

    def require_annotator(self, annotator_id: int) -> None:
        """Fail clearly when the annotator does not exist."""
        if self.conn.execute(select(ANN.c.id).where(ANN.c.id == annotator_id)).first() is None:
            raise NotFoundError(f"annotator {annotator_id} does not exist")

    # ---- spans
    def check_span(self, document_id: int, start: int, end: int, text: str | None = None) -> str:
        """Validate offsets (and covered text when given); return the covered text."""
        if isinstance(start, bool) or isinstance(end, bool):
            raise IntegrityError("span offsets must be integers")
        length, covered = self._slice(document_id, start, end)
        if not (0 <= start < end <= length):
            raise IntegrityError(
                f"span [{start}, {end}) is outside document {document_id} "
                f"(0 <= start < end <= {length} is required)"
            )
        if text is not None and text != covered:
            raise IntegrityError(
                f"span [{start}, {end}) covers {covered!r} in document {document_id}, not {text!r}"
            )
        return covered

    def _slice(self, document_id: int, start: int, end: int) -> tuple[int, str]:
        """Document length and ``text[start:end]``, without loading a long text per edit.

        The project hands in the texts of the documents it read last (the open ones): a
        text never changes after import, so those need no query at all.

        SQLite's and PostgreSQL's ``length``/``substr`` count characters (code points),
        the same unit as Python slicing.
        """
        cached = self._texts.get(document_id) or self._known_texts.get(document_id)
        if cached is not None:
            return len(cached), cached[max(start, 0) : max(end, 0)]
        query = select(
            func.length(DOC.c.text),
            func.substr(DOC.c.text, max(start, 0) + 1, max(end - max(start, 0), 0)),
        ).where(DOC.c.id == document_id)
        row = self.conn.execute(query).first()
        if row is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return int(row[0]), str(row[1] or "")

    def insert_span(
        self,
        *,
        document_id: int,
        annotator_id: int,
        label: str,
        start: int,
        end: int,
        attributes: Mapping[str, Any] | None = None,
        span_id: int | None = None,
        entity_id: int | None = None,
        text: str | None = None,
    ) -> Span:
        """Insert a validated span (``span_id`` restores a previously deleted one)."""
        covered = self.check_span(document_id, start, end, text)
        self.require_annotator(annotator_id)
        values: dict[str, Any] = {
            "document_id": document_id,
            "annotator_id": annotator_id,
            "label_id": self.label_id(label),
            "start": start,
            "end": end,
            "text": covered,
            "attributes": dict(attributes or {}),
            "entity_id": entity_id,
        }
        if span_id is not None:
            values["id"] = span_id
        new_id = self.conn.execute(insert(SPAN).values(**values).returning(SPAN.c.id)).scalar_one()
        self.mark_changed(annotator_id)
        span = Span(
            id=SpanId(new_id),
            document_id=DocumentId(document_id),
            annotator_id=AnnotatorId(annotator_id),
            label=label,
            start=start,
            end=end,
            text=covered,
            attributes=frozen_map(attributes),
            entity_id=EntityId(entity_id) if entity_id is not None else None,
        )
        if len(self.inserted_spans) < INSERTED_SPANS_KEPT:
            self.inserted_spans[span.id] = span
        return span

    def delete_span(self, span_id: int) -> tuple[Span, list[Relation]]:
        """Delete a span and the relations that use it; return both for undo."""
        span = get_span(self.conn, span_id)
        relations = list_relations(self.conn, touching_spans=[span_id])
        if relations:
            self.conn.execute(delete(REL).where(REL.c.id.in_([r.id for r in relations])))
        self.conn.execute(delete(SPAN).where(SPAN.c.id == span_id))
        self.mark_changed(span.annotator_id)
        return span, relations

    def update_span(
        self,
        span_id: int,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        attributes: Mapping[str, Any] | None = None,
        entity_id: int | _Keep | None = KEEP,
    ) -> tuple[Span, Span]:
        """Change a span in place; return (before, after)."""
        before = get_span(self.conn, span_id)
        values: dict[str, Any] = {}
        new_label = before.label if label is None else label
        if label is not None and label != before.label:
            values["label_id"] = self.label_id(label)
            self._check_relations_fit(before, new_label)
        new_start = before.start if start is None else start
        new_end = before.end if end is None else end
        if (new_start, new_end) != (before.start, before.end):
            values.update(
                start=new_start,
                end=new_end,
                text=self.check_span(before.document_id, new_start, new_end),
            )
        if attributes is not None:
            values["attributes"] = dict(attributes)
        if not isinstance(entity_id, _Keep):
            values["entity_id"] = entity_id
        if values:
            self.conn.execute(update(SPAN).where(SPAN.c.id == span_id).values(**values))
            self.mark_changed(before.annotator_id)
        return before, get_span(self.conn, span_id)

    def _check_relations_fit(self, span: Span, new_label: str) -> None:
        schema = self.schema
        for rel in list_relations(self.conn, touching_spans=[span.id]):
            spec = schema.relation(rel.label)
            if spec is None:
                continue
            head_label = new_label if rel.head_id == span.id else None
            tail_label = new_label if rel.tail_id == span.id else None
            head = head_label or get_span(self.conn, rel.head_id).label
            tail = tail_label or get_span(self.conn, rel.tail_id).label
            if not spec.allows(head, tail):
                raise IntegrityError(
                    f"cannot relabel span {span.text!r} as {new_label}: it is part of a "
                    f"{rel.label} relation ({spec.describe_constraint()}); delete or retype "
                    "the relation first"
                )

    # ---- relations
    def check_relation(self, head_id: int, tail_id: int, type_name: str) -> tuple[Span, Span]:
        """Validate that two spans may be linked by this type; return the (head, tail)."""
        if head_id == tail_id:
            raise IntegrityError("a relation needs two different spans")
        head = get_span(self.conn, head_id)
        tail = get_span(self.conn, tail_id)
        if head.document_id != tail.document_id:
            raise IntegrityError("a relation's spans must belong to the same document")
        if head.annotator_id != tail.annotator_id:
            raise IntegrityError("a relation's spans must belong to the same annotator")
        self.relation_type_id(type_name)
        spec = self.schema.relation(type_name)
        assert spec is not None
        if not spec.allows(head.label, tail.label):
            raise IntegrityError(
                f"{spec.describe_constraint()}, not {head.label} -> {tail.label} "
                f"({head.text!r} -> {tail.text!r})"
            )
        return head, tail

    def insert_relation(
        self,
        *,
        head_id: int,
        tail_id: int,
        label: str,
        attributes: Mapping[str, Any] | None = None,
        relation_id: int | None = None,
    ) -> Relation:
        """Insert a validated relation; symmetric types are stored once, in id order."""
        head, tail = self.check_relation(head_id, tail_id, label)
        spec = self.schema.relation(label)
        assert spec is not None
        if spec.symmetric and head.id > tail.id:
            head, tail = tail, head
        type_id = self.relation_type_id(label)
        duplicate = self.conn.execute(
            select(REL.c.id).where(
                (REL.c.type_id == type_id) & (REL.c.head_id == head.id) & (REL.c.tail_id == tail.id)
            )
        ).first()
        if duplicate is not None:
            raise IntegrityError(f"{head.text!r} and {tail.text!r} are already linked by {label}")
        values: dict[str, Any] = {
            "document_id": head.document_id,
            "annotator_id": head.annotator_id,
            "type_id": type_id,
            "head_id": head.id,
            "tail_id": tail.id,
            "attributes": dict(attributes or {}),
        }
        if relation_id is not None:
            values["id"] = relation_id
        new_id = self.conn.execute(insert(REL).values(**values).returning(REL.c.id)).scalar_one()
        self.mark_changed(head.annotator_id)
        return Relation(
            id=RelationId(new_id),
            document_id=head.document_id,
            annotator_id=head.annotator_id,
            label=label,
            head_id=head.id,
            tail_id=tail.id,
            attributes=frozen_map(attributes),
        )

    def delete_relation(self, relation_id: int) -> Relation:
        """Delete a relation and return it for undo."""
        relation = get_relation(self.conn, relation_id)
        self.conn.execute(delete(REL).where(REL.c.id == relation_id))
        self.mark_changed(relation.annotator_id)
        return relation

    def update_relation(
        self,
        relation_id: int,
        *,
        label: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> tuple[Relation, Relation]:
        """Retype or re-attribute a relation; return (before, after)."""
        before = get_relation(self.conn, relation_id)
        values: dict[str, Any] = {}
        if label is not None and label != before.label:
            self.check_relation(before.head_id, before.tail_id, label)
            values["type_id"] = self.relation_type_id(label)
        if attributes is not None:
            values["attributes"] = dict(attributes)
        if values:
            self.conn.execute(update(REL).where(REL.c.id == relation_id).values(**values))
            self.mark_changed(before.annotator_id)
        return before, get_relation(self.conn, relation_id)

    # ---- statuses
    def set_status(
        self, document_id: int, annotator_id: int, status: DocumentStatus
    ) -> tuple[StatusRecord, StatusRecord]:
        """Move a document to a status for an annotator; return (before, after)."""
        self.text_of(document_id)
        self.require_annotator(annotator_id)
        before = get_status(self.conn, document_id, annotator_id)
        stamp = now()
        after = StatusRecord(
            document_id=DocumentId(document_id),
            annotator_id=AnnotatorId(annotator_id),
            status=status,
            started_at=before.started_at or (stamp if status is not DocumentStatus.NEW else None),
            finished_at=stamp if status is DocumentStatus.DONE else None,
            updated_at=stamp,
        )
        self.restore_status(after)
        return before, after

    def restore_status(self, record: StatusRecord) -> None:
        """Write a status record exactly (used by undo)."""
        where = (STATUS.c.document_id == record.document_id) & (
            STATUS.c.annotator_id == record.annotator_id
        )
        self.conn.execute(delete(STATUS).where(where))
        self.mark_changed(record.annotator_id)
        if record.updated_at is None and record.status is DocumentStatus.NEW:
            return
        self.conn.execute(
            insert(STATUS).values(
                document_id=record.document_id,
                annotator_id=record.annotator_id,
                status=record.status.value,
                started_at=record.started_at,
                finished_at=record.finished_at,
                updated_at=record.updated_at or now(),
            )
        )

    # ---- entities
    def insert_entity(
        self, *, document_id: int, annotator_id: int, name: str, entity_id: int | None = None
    ) -> Entity:
        """Create an entity group (``entity_id`` restores a deleted one)."""
        self.text_of(document_id)
        values: dict[str, Any] = {
            "document_id": document_id,
            "annotator_id": annotator_id,
            "name": name,
        }
        if entity_id is not None:
            values["id"] = entity_id
        new_id = self.conn.execute(
            insert(ENTITY).values(**values).returning(ENTITY.c.id)
        ).scalar_one()
        self.mark_changed(annotator_id)
        return Entity(EntityId(new_id), DocumentId(document_id), AnnotatorId(annotator_id), name)

    def rename_entity(self, entity_id: int, name: str) -> None:
        """Give an entity group a new canonical name."""
        owner = self.conn.execute(
            update(ENTITY)
            .where(ENTITY.c.id == entity_id)
            .values(name=name)
            .returning(ENTITY.c.annotator_id)
        ).scalar()
        if owner is not None:
            self.mark_changed(owner)

    def delete_entity(self, entity_id: int) -> Entity:
        """Delete an entity group (its spans become ungrouped)."""
        row = self.conn.execute(select(ENTITY).where(ENTITY.c.id == entity_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"entity {entity_id} does not exist")
        self.conn.execute(update(SPAN).where(SPAN.c.entity_id == entity_id).values(entity_id=None))
        self.conn.execute(delete(ENTITY).where(ENTITY.c.id == entity_id))
        self.mark_changed(row["annotator_id"])
        return Entity(
            EntityId(row["id"]),
            DocumentId(row["document_id"]),
            AnnotatorId(row["annotator_id"]),
            row["name"],
        )

    # ---- schema
    def replace_schema(self, schema: Schema, *, renames: Mapping[str, str] | None = None) -> None:
        """Make the stored tag set equal ``schema``, keeping ids (and so spans) across renames.

        ``renames`` maps old label or relation names to new ones. A label or relation type
        that is dropped while still in use is refused, as is a schema change that would
        make existing relations violate their argument constraints.
        """
        renames = dict(renames or {})
        self.mark_changed()
        self._sync_types(
            LABEL,
            [
                {
                    "name": s.name,
                    "colour": s.colour,
                    "hotkey": s.hotkey,
                    "description": s.description,
                    "attributes": [attribute_to_dict(a) for a in s.attributes],
                }
                for s in schema.labels
            ],
            renames,
            usage=(SPAN, SPAN.c.label_id, "label", "spans"),
        )
        self._sync_types(
            RTYPE,
            [
                {
                    "name": r.name,
                    "heads": list(r.heads),
                    "tails": list(r.tails),
                    "symmetric": r.symmetric,
                    "description": r.description,
                    "attributes": [attribute_to_dict(a) for a in r.attributes],
                }
                for r in schema.relations
            ],
            renames,
            usage=(REL, REL.c.type_id, "relation type", "relations"),
        )
        set_project_info(
            self.conn,
            {
                "schema_name": schema.name,
                "schema_description": schema.description,
                "schema_version": str(schema.version),
            },
        )
        self.forget_schema()
        self._check_all_relations()

    def _sync_types(
        self,
        table: Any,
        wanted: list[dict[str, Any]],
        renames: Mapping[str, str],
        *,
        usage: tuple[Any, Any, str, str],
    ) -> None:
        existing = {
            name: type_id for name, type_id in self.conn.execute(select(table.c.name, table.c.id))
        }
        by_new_name: dict[str, int] = {}
        for old, new in renames.items():
            if old in existing:
                by_new_name[new] = existing[old]
        for name, type_id in existing.items():
            if name not in renames:
                by_new_name.setdefault(name, type_id)
        wanted_names = {w["name"] for w in wanted}
        usage_table, usage_column, kind, things = usage
        # Free names first so renames that swap names cannot collide on the unique index.
        for type_id in by_new_name.values():
            self.conn.execute(
                # \x01, not \x00: PostgreSQL text cannot contain NUL.
                update(table).where(table.c.id == type_id).values(name=f"\x01{type_id}")
            )
        for name, type_id in list(by_new_name.items()):
            if name in wanted_names:
                continue
            used = self.conn.execute(
                select(func.count()).select_from(usage_table).where(usage_column == type_id)
            ).scalar_one()
            if used:
                old_name = next((o for o, i in existing.items() if i == type_id), name)
                raise IntegrityError(
                    f"{kind} '{old_name}' is used by {used} {things}; keep it in the schema, "
                    "rename it, or delete those annotations first"
                )
            self.conn.execute(delete(table).where(table.c.id == type_id))
            del by_new_name[name]
        for position, values in enumerate(wanted):
            type_id = by_new_name.get(values["name"])
            if type_id is None:
                self.conn.execute(insert(table).values(**values, position=position))
            else:
                self.conn.execute(
                    update(table).where(table.c.id == type_id).values(**values, position=position)
                )

    def _check_all_relations(self) -> None:
        schema = self.schema
        heads = SPAN.alias("h")
        tails = SPAN.alias("t")
        hl = LABEL.alias("hl")
        tl = LABEL.alias("tl")
        query = (
            select(RTYPE.c.name, hl.c.name, tl.c.name, func.count())
            .select_from(REL)
            .join(RTYPE, RTYPE.c.id == REL.c.type_id)
            .join(heads, heads.c.id == REL.c.head_id)
            .join(tails, tails.c.id == REL.c.tail_id)
            .join(hl, hl.c.id == heads.c.label_id)
            .join(tl, tl.c.id == tails.c.label_id)
            .group_by(RTYPE.c.name, hl.c.name, tl.c.name)
        )
        for type_name, head_label, tail_label, count in self.conn.execute(query):
            spec = schema.relation(type_name)
            if spec is not None and not spec.allows(head_label, tail_label):
                raise IntegrityError(
                    f"the new schema says {spec.describe_constraint()}, but {count} existing "
                    f"{type_name} relations link {head_label} -> {tail_label}"
                )

    # ---- documents
    def insert_documents(self, rows: Sequence[Mapping[str, Any]]) -> list[DocumentId]:
        """Bulk insert documents (one statement per chunk); return their new ids in order."""
        if not rows:
            return []
        start = self.conn.execute(select(func.coalesce(func.max(DOC.c.position), 0))).scalar_one()
        stamp = now()
        prepared = [
            {
                "title": row["title"],
                "text": row["text"],
                "sha256": row["sha256"],
                "length": len(row["text"]),
                "source": row.get("source"),
                "url": row.get("url"),
                "published": row.get("published"),
                "meta": dict(row.get("metadata") or {}),
                "imported_at": stamp,
                "position": start + index + 1,
            }
            for index, row in enumerate(rows)
        ]
        self.conn.execute(insert(DOC), prepared)
        self.mark_changed()
        hashes = [row["sha256"] for row in prepared]
        ids: dict[str, int] = {}
        for part in chunks(hashes):
            query = select(DOC.c.sha256, DOC.c.id).where(DOC.c.sha256.in_(part))
            ids.update({h: i for h, i in self.conn.execute(query)})
        return [DocumentId(ids[h]) for h in hashes]

    def ensure_annotator(
        self, name: str, role: AnnotatorRole = AnnotatorRole.ANNOTATOR
    ) -> Annotator:
        """The annotator called ``name``, created when missing."""
        found = find_annotator(self.conn, name)
        if found is not None:
            return found
        clean = name.strip()
        if not clean or clean != name or len(name) > 200:
            raise IntegrityError(f"invalid annotator name {name!r}")
        new_id = self.conn.execute(
            insert(ANN).values(name=name, role=role.value).returning(ANN.c.id)
        ).scalar_one()
        self.mark_changed()
        return Annotator(AnnotatorId(new_id), name, role)
