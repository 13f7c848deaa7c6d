"""Writing checked plans through the core commands, inside the caller's transaction.

Checks are done by then (``annotated_check``); a rule they missed raises
``SpanLabError`` from a command and the caller's transaction rolls everything back.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from spanlab.core.commands import AddRelation, AddSpan, RemoveSpans, SetStatus, UpdateSchema
from spanlab.core.entities import CreateEntity, DeleteEntity
from spanlab.core.importing.annotated_plans import DocumentPlan, FilePlan, LayerPlan
from spanlab.core.importing.annotated_report import FileResult
from spanlab.core.importing.annotated_schema import SchemaAdditions
from spanlab.core.model import GOLD_ANNOTATOR, AnnotatorRole, DocumentId, DocumentStatus
from spanlab.core.storage import repository as repo
from spanlab.core.storage.edit_store import EditStore

__all__ = ["write_plans"]


def write_plans(store: EditStore, plans: Sequence[FilePlan], additions: SchemaAdditions) -> None:
    """Write checked plans inside the caller's transaction, through the commands."""
    if not additions.empty:
        UpdateSchema(additions.apply_to(store.schema)).apply(store)
    created: dict[str, DocumentId] = {}
    for plan in plans:
        for document in plan.documents:
            doc_id = _document_id(store, document, created)
            for layer in document.layers:
                gold = layer.annotator == GOLD_ANNOTATOR
                role = AnnotatorRole.CURATOR if gold else AnnotatorRole.ANNOTATOR
                annotator = store.ensure_annotator(layer.annotator, role)
                if layer.replace:
                    _clear_layer(store, doc_id, annotator.id)
                _write_layer(store, doc_id, annotator.id, layer, plan.result)


def _document_id(
    store: EditStore, document: DocumentPlan, created: dict[str, DocumentId]
) -> DocumentId:
    if document.sha256 not in created:
        found = store.conn.execute(
            select(repo.DOC.c.id).where(repo.DOC.c.sha256 == document.sha256)
        ).scalar()
        if found is not None:
            created[document.sha256] = DocumentId(found)
        else:
            created[document.sha256] = store.insert_documents([document.row])[0]
    return created[document.sha256]


def _clear_layer(store: EditStore, doc_id: DocumentId, annotator_id: int) -> None:
    for entity in repo.list_entities(store.conn, document_id=doc_id, annotator_id=annotator_id):
        DeleteEntity(entity.id).apply(store)
    old = repo.list_spans(store.conn, document_id=doc_id, annotator_id=annotator_id)
    if old:
        RemoveSpans([s.id for s in old]).apply(store)


def _write_layer(
    store: EditStore, doc_id: DocumentId, annotator_id: int, layer: LayerPlan, result: FileResult
) -> None:
    ids: dict[str, int] = {}
    for span in layer.spans:
        command = AddSpan(doc_id, annotator_id, span.label, span.start, span.end, span.attributes)
        command.apply(store)
        assert command.span_id is not None
        ids[span.key] = command.span_id
    for relation in layer.relations:
        AddRelation(
            ids[relation.head], ids[relation.tail], relation.label, relation.attributes
        ).apply(store)
    for entity in layer.entities:
        members = [ids[key] for key in entity.members]
        CreateEntity(doc_id, annotator_id, entity.name, members).apply(store)
    if layer.status is not None and (not layer.empty or layer.status is not DocumentStatus.NEW):
        SetStatus(doc_id, annotator_id, layer.status).apply(store)
    result.spans += len(layer.spans)
    result.relations += len(layer.relations)
    result.entities += len(layer.entities)
