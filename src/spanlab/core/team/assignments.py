"""Which documents each annotator should work on: the lead's assignments.

``assign`` gives named annotators named documents; ``assign_round_robin`` makes every
document have N annotators, spreading the work evenly (documents that already have
some of the given annotators keep them, so running it again adds nothing).
``assigned_documents`` is an annotator's document list.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from spanlab.core.errors import NotFoundError, SpanLabError
from spanlab.core.model import Annotator, AnnotatorId, AnnotatorRole, DocumentId, DocumentSummary
from spanlab.core.project import Project
from spanlab.core.storage import repository as repo
from spanlab.core.storage.edit_store import EditStore
from spanlab.core.storage.repository import ASSIGN, DOC, now


@dataclass(frozen=True, slots=True)
class AssignmentReport:
    """What an assignment call did."""

    added: int
    already: int
    removed: int = 0
    per_annotator: tuple[tuple[str, int], ...] = ()
    """Assigned documents per annotator afterwards, for the named annotators."""


def assignments(project: Project) -> dict[DocumentId, tuple[str, ...]]:
    """Every document's assigned annotators (by name); unassigned documents are absent."""
    with project.read() as conn:
        return _assignments(conn)


def _assignments(conn: Connection) -> dict[DocumentId, tuple[str, ...]]:
    query = (
        select(ASSIGN.c.document_id, repo.ANN.c.name)
        .join(repo.ANN, repo.ANN.c.id == ASSIGN.c.annotator_id)
        .order_by(ASSIGN.c.document_id, repo.ANN.c.name)
    )
    result: dict[DocumentId, list[str]] = {}
    for document_id, name in conn.execute(query):
        result.setdefault(DocumentId(document_id), []).append(name)
    return {doc: tuple(names) for doc, names in result.items()}


def assigned_documents(project: Project, annotator: str | int) -> list[DocumentSummary]:
    """The documents assigned to an annotator (name or id), in project order."""
    with project.read() as conn:
        annotator_id = _annotator_id(conn, annotator)
        assigned = set(
            conn.execute(
                select(ASSIGN.c.document_id).where(ASSIGN.c.annotator_id == annotator_id)
            ).scalars()
        )
        return [d for d in repo.list_documents(conn) if d.id in assigned]


def assignment_counts(project: Project) -> dict[str, int]:
    """Number of assigned documents per annotator name (annotators without any: absent)."""
    counts: dict[str, int] = {}
    for names in assignments(project).values():
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def assign(
    project: Project, documents: Sequence[int], annotators: Sequence[str]
) -> AssignmentReport:
    """Assign every one of ``documents`` to every one of ``annotators``.

    Annotators that do not exist yet are added (role annotator); unknown documents are
    refused. Existing assignments are kept.
    """
    names = _names(annotators)
    with project.edit() as store:
        people = _ensure(store, names)
        doc_ids = _check_documents(store.conn, documents)
        existing = _existing(store.conn)
        wanted = [(d, p.id) for d in doc_ids for p in people]
        added = _insert(store, [pair for pair in wanted if pair not in existing])
        summary = _per_annotator(store.conn, people)
    return AssignmentReport(added=added, already=len(wanted) - added, per_annotator=summary)


def unassign(
    project: Project, documents: Sequence[int] | None, annotators: Sequence[str]
) -> AssignmentReport:
    """Remove assignments of ``annotators`` (on ``documents``, or on all with None)."""
    names = _names(annotators)
    with project.edit() as store:
        ids = [_annotator_id(store.conn, name) for name in names]
        condition = ASSIGN.c.annotator_id.in_(ids)
        if documents is not None:
            condition = condition & ASSIGN.c.document_id.in_(
                _check_documents(store.conn, documents)
            )
        removed = store.conn.execute(delete(ASSIGN).where(condition)).rowcount or 0
        if removed:
            store.mark_changed()
        people = [repo.find_annotator(store.conn, name) for name in names]
        summary = _per_annotator(store.conn, [p for p in people if p is not None])
    return AssignmentReport(added=0, already=0, removed=removed, per_annotator=summary)


def assign_round_robin(
    project: Project,
    *,
    per_document: int,
    annotators: Sequence[str],
    seed: int = 0,
    documents: Sequence[int] | None = None,
) -> AssignmentReport:
    """Make each document (all, or ``documents``) assigned to ``per_document`` of
    ``annotators``, giving each new assignment to whoever has the fewest so far.

    Deterministic for a seed; ties are broken by a shuffle of the annotators. Documents
    that already have enough of these annotators are left alone, so calling it again
    changes nothing.
    """
    names = _names(annotators)
    if not 1 <= per_document <= len(names):
        raise SpanLabError(
            f"--per-document must be between 1 and the number of annotators ({len(names)}), "
            f"not {per_document}"
        )
    with project.edit() as store:
        people = _ensure(store, names)
        if documents is None:
            doc_ids = [d.id for d in repo.list_documents(store.conn)]
        else:
            doc_ids = _check_documents(store.conn, documents)
        existing = _existing(store.conn)
        mine = {p.id for p in people}
        by_document: dict[DocumentId, set[AnnotatorId]] = {}
        load = dict.fromkeys(mine, 0)
        for d, a in existing:
            if a in mine:
                by_document.setdefault(d, set()).add(a)
                load[a] += 1
        order = [p.id for p in people]
        random.Random(seed).shuffle(order)
        rank = {annotator_id: index for index, annotator_id in enumerate(order)}
        new: list[tuple[DocumentId, AnnotatorId]] = []
        already = 0
        for doc in doc_ids:
            have = by_document.get(doc, set())
            already += min(len(have), per_document)
            need = per_document - len(have)
            if need <= 0:
                continue
            candidates = sorted(
                (a for a in order if a not in have), key=lambda a: (load[a], rank[a])
            )
            for annotator_id in candidates[:need]:
                new.append((doc, annotator_id))
                load[annotator_id] += 1
        added = _insert(store, new)
        summary = _per_annotator(store.conn, people)
    return AssignmentReport(added=added, already=already, per_annotator=summary)


# --------------------------------------------------------------------------- helpers


def _names(annotators: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(annotators))
    if not names:
        raise SpanLabError("name at least one annotator")
    return names


def _annotator_id(conn: Connection, annotator: str | int) -> AnnotatorId:
    if isinstance(annotator, int):
        return AnnotatorId(annotator)
    found = repo.find_annotator(conn, annotator)
    if found is None:
        raise NotFoundError(f"there is no annotator called {annotator!r}")
    return found.id


def _ensure(store: EditStore, names: Sequence[str]) -> list[Annotator]:
    return [store.ensure_annotator(name, AnnotatorRole.ANNOTATOR) for name in names]


def _check_documents(conn: Connection, documents: Sequence[int]) -> list[DocumentId]:
    wanted = list(dict.fromkeys(int(d) for d in documents))
    found: set[int] = set()
    for part in repo.chunks(wanted):
        found.update(conn.execute(select(DOC.c.id).where(DOC.c.id.in_(part))).scalars())
    missing = [d for d in wanted if d not in found]
    if missing:
        listed = ", ".join(str(d) for d in missing[:10])
        raise NotFoundError(f"no such document(s): {listed}")
    return [DocumentId(d) for d in wanted]


def _existing(conn: Connection) -> set[tuple[DocumentId, AnnotatorId]]:
    rows = conn.execute(select(ASSIGN.c.document_id, ASSIGN.c.annotator_id))
    return {(DocumentId(d), AnnotatorId(a)) for d, a in rows}


def _insert(store: EditStore, pairs: Sequence[tuple[DocumentId, AnnotatorId]]) -> int:
    if not pairs:
        return 0
    stamp = now()
    rows = [{"document_id": d, "annotator_id": a, "assigned_at": stamp} for d, a in pairs]
    for part in repo.chunks(rows):
        store.conn.execute(insert(ASSIGN), list(part))
    store.mark_changed()
    return len(pairs)


def _per_annotator(conn: Connection, people: Sequence[Annotator]) -> tuple[tuple[str, int], ...]:
    counts: dict[int, int] = {}
    for _, annotator_id in _existing(conn):
        counts[annotator_id] = counts.get(annotator_id, 0) + 1
    return tuple((p.name, counts.get(p.id, 0)) for p in people)


__all__ = [
    "AssignmentReport",
    "assign",
    "assign_round_robin",
    "assigned_documents",
    "assignment_counts",
    "assignments",
    "unassign",
]
