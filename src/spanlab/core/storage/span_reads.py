"""Span reads built for speed: prebuilt statements, plain tuples, JSON decoded only if needed.

Opening a document lists thousands of spans and every edit reads one back. Building a
``select`` per call, mapping each row by column name and running ``json.loads('{}')``
for the (usually empty) attributes cost more than the query itself, so the statements
are built once, rows are unpacked as tuples and empty attributes share one read-only
mapping. The output is the same frozen :class:`~spanlab.core.model.Span` records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, cast

from sqlalchemy import Connection, Select, Text, bindparam, select, type_coerce

from spanlab.core.model import JsonMap, Span, frozen_map
from spanlab.core.storage.tables import LabelTypeRow, SpanRow

SPAN = SpanRow.__table__  # type: ignore[attr-defined]
LABEL = LabelTypeRow.__table__  # type: ignore[attr-defined]

EMPTY_ATTRIBUTES: JsonMap = MappingProxyType({})
"""Shared by every span without attributes (read-only, so sharing is safe)."""

_COLUMNS = (
    SPAN.c.id,
    SPAN.c.document_id,
    SPAN.c.annotator_id,
    LABEL.c.name,
    SPAN.c.start,
    SPAN.c.end,
    SPAN.c.text,
    # The raw JSON text on SQLite (decoded below, only when not empty); PostgreSQL's
    # driver hands back the decoded value either way.
    type_coerce(SPAN.c.attributes, Text),
    SPAN.c.entity_id,
)
_BASE = select(*_COLUMNS).join(LABEL, LABEL.c.id == SPAN.c.label_id)
_ORDER = (SPAN.c.document_id, SPAN.c.start, SPAN.c.end, SPAN.c.id)
_OF_LAYER = _BASE.where(
    SPAN.c.document_id == bindparam("document_id"),
    SPAN.c.annotator_id == bindparam("annotator_id"),
).order_by(*_ORDER)
_OF_DOCUMENT = _BASE.where(SPAN.c.document_id == bindparam("document_id")).order_by(*_ORDER)
_BY_ID = _BASE.where(SPAN.c.id == bindparam("span_id"))
_BY_IDS = _BASE.where(SPAN.c.id.in_(bindparam("span_ids", expanding=True)))


def attributes_of(raw: object) -> JsonMap:
    """Stored attributes as a read-only mapping (JSON text or an already decoded value)."""
    if raw is None or raw == "{}":
        return EMPTY_ATTRIBUTES
    value = json.loads(raw) if isinstance(raw, str | bytes) else raw
    return frozen_map(cast(Mapping[str, Any], value)) if value else EMPTY_ATTRIBUTES


def spans_from_rows(rows: Iterable[Sequence[Any]]) -> list[Span]:
    """Records from rows of :data:`_COLUMNS` (in that order)."""
    empty = EMPTY_ATTRIBUTES
    return [
        Span(
            span_id,
            document_id,
            annotator_id,
            label,
            start,
            end,
            text,
            empty if raw == "{}" else attributes_of(raw),
            entity_id,
        )
        for span_id, document_id, annotator_id, label, start, end, text, raw, entity_id in rows
    ]


def select_spans(
    conn: Connection,
    *,
    document_id: int | None = None,
    annotator_id: int | None = None,
    span_ids: Sequence[int] | None = None,
) -> list[Span]:
    """Spans filtered by document, annotator and/or ids, in (document, start, end, id) order.

    Rows are fetched in one go (``all()``): iterating a result fetches row by row.

    ``span_ids`` must be short enough for one statement (the caller chunks long lists).
    """
    params: dict[str, Any]
    if span_ids is not None:
        query: Select[Any] = _BY_IDS
        params = {"span_ids": [int(i) for i in span_ids]}
        if len(span_ids) == 1:
            query, params = _BY_ID, {"span_id": int(span_ids[0])}
        if document_id is not None:
            query = query.where(SPAN.c.document_id == document_id)
        if annotator_id is not None:
            query = query.where(SPAN.c.annotator_id == annotator_id)
        spans = spans_from_rows(conn.execute(query, params).all())
        return sorted(spans, key=lambda s: (s.document_id, s.start, s.end, s.id))
    if document_id is not None and annotator_id is not None:
        params = {"document_id": int(document_id), "annotator_id": int(annotator_id)}
        rows = conn.execute(_OF_LAYER, params).all()
    elif document_id is not None:
        rows = conn.execute(_OF_DOCUMENT, {"document_id": int(document_id)}).all()
    else:
        query = _BASE.order_by(*_ORDER)
        if annotator_id is not None:
            query = query.where(SPAN.c.annotator_id == annotator_id)
        rows = conn.execute(query).all()
    return spans_from_rows(rows)
