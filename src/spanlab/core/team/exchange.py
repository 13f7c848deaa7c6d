"""Offline exchange: check out a local SQLite copy of an annotator's documents, merge it back.

**The package is the checked-out SQLite project file itself.** ``checkout`` writes an
ordinary SpanLab project (same schema, the chosen documents with the same text and
SHA-256, and the annotator's current work on them) plus a ``spanlab_package`` entry in
``project_info``: the annotator's name, where it came from (URL without password) and a
fingerprint of each document's layer at checkout time. The annotator opens it with
SpanLab anywhere, works, closes SpanLab and sends the file back; ``merge`` reads it.

``merge`` matches documents by SHA-256 and, per document in its own transaction,
replaces that annotator's layer in the project with the package's version through the
ordinary commands (so every integrity check applies):

- a document whose hash is not in the project, or whose text no longer matches its
  hash, is *refused*;
- a layer equal to the project's is *unchanged* (so merging twice changes nothing);
- a layer the annotator did not change offline is *unchanged* too (the project keeps
  whatever happened there meanwhile);
- when the project's layer changed since the checkout as well (someone else edited it
  for that annotator), the document is a *conflict* and is left alone unless
  ``overwrite=True``. The version the last merge put there (table ``layer_merge``)
  counts as known, so handing back the same checkout again after more work merges.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from spanlab.core.commands import AddRelation, AddSpan, RemoveSpans
from spanlab.core.entities import CreateEntity, DeleteEntity
from spanlab.core.errors import NotFoundError, SpanLabError
from spanlab.core.importing.canonical import text_sha256
from spanlab.core.model import (
    AnnotatorId,
    AnnotatorRole,
    DocumentId,
    DocumentStatus,
    Entity,
    Relation,
    Span,
    StatusRecord,
)
from spanlab.core.project import Project
from spanlab.core.schema import Schema
from spanlab.core.storage import repository as repo
from spanlab.core.storage.edit_store import EditStore
from spanlab.core.storage.engine import is_url, redact_url
from spanlab.core.team.assignments import assign, assigned_documents

PACKAGE_KEY = "spanlab_package"
PACKAGE_FORMAT = 1
PACKAGE_SUFFIX = ".spanlab"

Progress = Callable[[int, int, str], None]


# --------------------------------------------------------------------------- layers


@dataclass(frozen=True, slots=True)
class Layer:
    """One annotator's work on one document."""

    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    entities: tuple[Entity, ...]
    status: StatusRecord

    @property
    def empty(self) -> bool:
        """No annotations and no status."""
        return not self.spans and self.status.status is DocumentStatus.NEW


def read_layer(conn: Connection, document_id: int, annotator_id: int) -> Layer:
    """An annotator's spans, relations, entities and status on a document."""
    return Layer(
        spans=tuple(repo.list_spans(conn, document_id=document_id, annotator_id=annotator_id)),
        relations=tuple(
            repo.list_relations(conn, document_id=document_id, annotator_id=annotator_id)
        ),
        entities=tuple(
            repo.list_entities(conn, document_id=document_id, annotator_id=annotator_id)
        ),
        status=repo.get_status(conn, document_id, annotator_id),
    )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def layer_fingerprint(layer: Layer, schema: Schema) -> str:
    """A hash of a layer's content that ignores row ids (and the direction of symmetric
    relations), so the same work stored in two projects has the same fingerprint."""
    entity_names = {e.id: e.name for e in layer.entities}
    keyed = sorted(
        (
            (
                s.start,
                s.end,
                s.label,
                _canonical(dict(s.attributes)),
                entity_names.get(s.entity_id, "") if s.entity_id is not None else "",
            ),
            s.id,
        )
        for s in layer.spans
    )
    index = {span_id: number for number, (_, span_id) in enumerate(keyed)}
    relations = []
    for r in layer.relations:
        head, tail = index[r.head_id], index[r.tail_id]
        spec = schema.relation(r.label)
        if spec is not None and spec.symmetric and head > tail:
            head, tail = tail, head
        relations.append((head, tail, r.label, _canonical(dict(r.attributes))))
    entities = sorted(
        (
            e.name,
            sorted(index[s.id] for s in layer.spans if s.entity_id == e.id),
        )
        for e in layer.entities
    )
    content = {
        "spans": [list(key) for key, _ in keyed],
        "relations": sorted(relations),
        "entities": entities,
        "status": layer.status.status.value,
    }
    return hashlib.sha256(_canonical(content).encode("utf-8")).hexdigest()


def write_layer(store: EditStore, document_id: int, annotator_id: int, layer: Layer) -> None:
    """Add a layer (read from another project) to a document through the commands; the
    status and its timestamps are copied exactly."""
    ids: dict[int, int] = {}
    for span in sorted(layer.spans, key=lambda s: s.id):
        command = AddSpan(
            document_id, annotator_id, span.label, span.start, span.end, dict(span.attributes)
        )
        command.apply(store)
        assert command.span_id is not None
        ids[span.id] = command.span_id
    for entity in layer.entities:
        members = [ids[s.id] for s in layer.spans if s.entity_id == entity.id]
        CreateEntity(document_id, annotator_id, entity.name, members).apply(store)
    for relation in layer.relations:
        AddRelation(
            ids[relation.head_id], ids[relation.tail_id], relation.label, dict(relation.attributes)
        ).apply(store)
    status = layer.status
    store.restore_status(
        StatusRecord(
            document_id=DocumentId(document_id),
            annotator_id=AnnotatorId(annotator_id),
            status=status.status,
            started_at=status.started_at,
            finished_at=status.finished_at,
            updated_at=status.updated_at,
        )
    )


def clear_layer(store: EditStore, document_id: int, annotator_id: int) -> None:
    """Delete an annotator's entities, spans and relations on a document (commands)."""
    for entity in repo.list_entities(
        store.conn, document_id=document_id, annotator_id=annotator_id
    ):
        DeleteEntity(entity.id).apply(store)
    spans = repo.list_spans(store.conn, document_id=document_id, annotator_id=annotator_id)
    if spans:
        RemoveSpans([s.id for s in spans]).apply(store)


# --------------------------------------------------------------------------- checkout


@dataclass(frozen=True, slots=True)
class CheckoutReport:
    """What ``checkout`` wrote."""

    path: Path
    annotator: str
    documents: int
    spans: int
    relations: int


def checkout(
    project: Project,
    *,
    annotator: str,
    out_path: str | Path,
    documents: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> CheckoutReport:
    """Write a SQLite project with ``documents`` (default: the annotator's assignments)
    and the annotator's current work on them, for working offline."""
    target = Path(out_path)
    if is_url(str(out_path)):
        raise SpanLabError("a checkout is a local SQLite file; give a file name, not a URL")
    if target.exists():
        raise SpanLabError(f"{target}: a file already exists there; choose another name")
    person = project.annotator(annotator)
    if person is None:
        raise NotFoundError(f"there is no annotator called {annotator!r}")
    if documents is None:
        doc_ids = [d.id for d in assigned_documents(project, person.id)]
        if not doc_ids:
            raise SpanLabError(
                f"no documents are assigned to {annotator}; assign some first "
                "(spanlab assign) or name them"
            )
    else:
        doc_ids = list(dict.fromkeys(DocumentId(int(d)) for d in documents))
    schema = project.schema()
    with project.read() as conn:
        rows: list[dict[str, Any]] = []
        layers: list[Layer] = []
        for number, doc_id in enumerate(doc_ids, 1):
            document = repo.get_document(conn, doc_id)
            rows.append(
                {
                    "title": document.title,
                    "text": document.text,
                    "sha256": document.sha256,
                    "source": document.source,
                    "url": document.url,
                    "published": document.published,
                    "metadata": dict(document.metadata),
                }
            )
            layers.append(read_layer(conn, doc_id, person.id))
            if progress is not None:
                progress(number, len(doc_ids), document.title)
    meta = {
        "format": PACKAGE_FORMAT,
        "annotator": person.name,
        "role": person.role.value,
        "source": redact_url(project.url),
        "source_name": project.name,
        "checked_out_at": repo.now().isoformat(timespec="seconds"),
        "base": {
            row["sha256"]: layer_fingerprint(layer, schema)
            for row, layer in zip(rows, layers, strict=True)
        },
    }
    package = Project.create(target, schema=schema, name=f"{project.name} ({person.name}, offline)")
    try:
        with package.edit() as store:
            new_ids = store.insert_documents(rows)
            local = store.ensure_annotator(person.name, person.role)
            for doc_id, layer in zip(new_ids, layers, strict=True):
                write_layer(store, doc_id, local.id, layer)
            repo.set_project_info(store.conn, {PACKAGE_KEY: _canonical(meta)})
        assign(package, new_ids, [person.name])
    except BaseException:
        package.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        raise
    package.close()
    return CheckoutReport(
        path=target,
        annotator=person.name,
        documents=len(doc_ids),
        spans=sum(len(layer.spans) for layer in layers),
        relations=sum(len(layer.relations) for layer in layers),
    )


# --------------------------------------------------------------------------- merge


class MergeOutcome(enum.StrEnum):
    """What happened to one document of a package."""

    MERGED = "merged"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class MergedDocument:
    """One document of a package and what ``merge`` did with it."""

    sha256: str
    title: str
    outcome: MergeOutcome
    spans: int = 0
    relations: int = 0
    reason: str = ""
    document_id: DocumentId | None = None


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What ``merge`` did, per document."""

    package: Path
    annotator: str
    documents: tuple[MergedDocument, ...] = field(default_factory=tuple)

    def count(self, outcome: MergeOutcome) -> int:
        """Documents with this outcome."""
        return sum(1 for d in self.documents if d.outcome is outcome)

    @property
    def merged(self) -> int:
        """Documents whose layer was replaced."""
        return self.count(MergeOutcome.MERGED)

    @property
    def unchanged(self) -> int:
        """Documents left as they were because there was nothing new."""
        return self.count(MergeOutcome.UNCHANGED)

    @property
    def conflicts(self) -> int:
        """Documents changed both offline and in the project (left alone)."""
        return self.count(MergeOutcome.CONFLICT)

    @property
    def refused(self) -> int:
        """Documents not in the project, with altered text, or failing a check."""
        return self.count(MergeOutcome.REFUSED)

    @property
    def ok(self) -> bool:
        """Nothing refused and no conflict."""
        return not self.refused and not self.conflicts


def package_info(package: Project) -> dict[str, Any]:
    """The ``spanlab_package`` entry of a checked-out project (or a clear error)."""
    with package.read() as conn:
        raw = repo.project_info(conn).get(PACKAGE_KEY)
    if raw is None:
        raise SpanLabError(
            f"{package.path or package.url}: not a package made by 'spanlab checkout'"
        )
    try:
        info = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SpanLabError(f"{package.path}: the package description is damaged") from exc
    if not isinstance(info, dict) or not isinstance(info.get("annotator"), str):
        raise SpanLabError(f"{package.path}: the package description is damaged")
    if int(info.get("format", 0)) > PACKAGE_FORMAT:
        raise SpanLabError(f"{package.path}: made by a newer SpanLab; update SpanLab to merge it")
    return info


def merge(
    project: Project,
    package_path: str | Path,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge a package made by ``checkout`` into ``project`` (see the module docstring)."""
    path = Path(package_path)
    if is_url(str(package_path)) or not path.is_file():
        raise SpanLabError(f"{package_path}: no such package file")
    with Project.open(path) as package:
        info = package_info(package)
        name: str = info["annotator"]
        base: dict[str, str] = dict(info.get("base") or {})
        local = package.annotator(name)
        if local is None:
            raise SpanLabError(f"{path}: the package has no layer of {name}")
        with package.read() as conn:
            documents = repo.list_documents(conn)
            items = [(summary, read_layer(conn, summary.id, local.id)) for summary in documents]
            texts = {s.id: repo.get_document(conn, s.id).text for s in documents}
        role = AnnotatorRole(info.get("role", AnnotatorRole.ANNOTATOR.value))
    target = project.annotator(name) or project.ensure_annotator(name, role)
    schema = project.schema()
    results: list[MergedDocument] = []
    for number, (summary, layer) in enumerate(items, 1):
        if progress is not None:
            progress(number, len(items), summary.title)
        if text_sha256(texts[summary.id]) != summary.sha256:
            results.append(
                MergedDocument(
                    summary.sha256,
                    summary.title,
                    MergeOutcome.REFUSED,
                    reason="the text in the package does not match its SHA-256 (edited?)",
                )
            )
            continue
        results.append(
            _merge_document(
                project,
                summary.sha256,
                summary.title,
                layer,
                target.id,
                schema,
                base=base.get(summary.sha256),
                overwrite=overwrite,
            )
        )
    return MergeReport(package=path, annotator=name, documents=tuple(results))


def _merge_document(
    project: Project,
    sha256: str,
    title: str,
    layer: Layer,
    annotator_id: AnnotatorId,
    schema: Schema,
    *,
    base: str | None,
    overwrite: bool,
) -> MergedDocument:
    incoming = layer_fingerprint(layer, schema)

    def result(
        outcome: MergeOutcome, reason: str = "", doc: DocumentId | None = None
    ) -> MergedDocument:
        done = outcome is MergeOutcome.MERGED
        return MergedDocument(
            sha256,
            title,
            outcome,
            spans=len(layer.spans) if done else 0,
            relations=len(layer.relations) if done else 0,
            reason=reason,
            document_id=doc,
        )

    try:
        with project.edit() as store:
            found = store.conn.execute(
                select(repo.DOC.c.id).where(repo.DOC.c.sha256 == sha256)
            ).scalar()
            if found is None:
                return result(
                    MergeOutcome.REFUSED,
                    "no document with this text (SHA-256) in the project",
                )
            doc_id = DocumentId(found)
            current = layer_fingerprint(read_layer(store.conn, doc_id, annotator_id), schema)
            if current == incoming:
                return result(MergeOutcome.UNCHANGED, "already the same", doc_id)
            if base is not None and incoming == base:
                return result(
                    MergeOutcome.UNCHANGED,
                    "not changed offline; the project's version kept",
                    doc_id,
                )
            merged_before = store.conn.execute(
                select(repo.MERGES.c.fingerprint).where(
                    (repo.MERGES.c.document_id == doc_id)
                    & (repo.MERGES.c.annotator_id == annotator_id)
                )
            ).scalar()
            if base is not None and current not in (base, merged_before) and not overwrite:
                return result(
                    MergeOutcome.CONFLICT,
                    "changed in the project since the checkout as well; merge with "
                    "overwrite to replace it with the package's version",
                    doc_id,
                )
            clear_layer(store, doc_id, annotator_id)
            write_layer(store, doc_id, annotator_id, layer)
            where = (repo.MERGES.c.document_id == doc_id) & (
                repo.MERGES.c.annotator_id == annotator_id
            )
            store.conn.execute(delete(repo.MERGES).where(where))
            store.conn.execute(
                insert(repo.MERGES).values(
                    document_id=doc_id,
                    annotator_id=annotator_id,
                    fingerprint=incoming,
                    merged_at=repo.now(),
                )
            )
    except SpanLabError as exc:
        return result(MergeOutcome.REFUSED, str(exc))
    return result(MergeOutcome.MERGED, doc=doc_id)


__all__ = [
    "PACKAGE_KEY",
    "CheckoutReport",
    "Layer",
    "MergeOutcome",
    "MergeReport",
    "MergedDocument",
    "checkout",
    "clear_layer",
    "layer_fingerprint",
    "merge",
    "package_info",
    "read_layer",
    "write_layer",
]
