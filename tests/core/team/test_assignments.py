"""The lead assigns documents; an annotator's list shows their assignments."""

from __future__ import annotations

from pathlib import Path

import pytest

from spanlab.core.errors import NotFoundError, SpanLabError
from spanlab.core.model import DocumentId
from spanlab.core.project import Project
from spanlab.core.team.assignments import (
    assign,
    assign_round_robin,
    assigned_documents,
    assignment_counts,
    assignments,
    unassign,
)
from spanlab.core.team.live import change_token


def _documents(project: Project, count: int) -> list[DocumentId]:
    first = project.document_count()
    numbers = range(first, first + count)
    with project.edit() as store:
        return store.insert_documents(
            [{"title": f"D{i}", "text": f"Text number {i}.", "sha256": f"h{i}"} for i in numbers]
        )


def test_named_annotators_get_named_documents(any_project: Project) -> None:
    docs = _documents(any_project, 4)
    report = assign(any_project, [docs[0], docs[2]], ["alice", "bob"])
    assert (report.added, report.already) == (4, 0)
    assert dict(report.per_annotator) == {"alice": 2, "bob": 2}
    again = assign(any_project, [docs[2], docs[3]], ["alice"])
    assert (again.added, again.already) == (1, 1)
    assert [d.id for d in assigned_documents(any_project, "alice")] == [docs[0], docs[2], docs[3]]
    assert [d.title for d in assigned_documents(any_project, "bob")] == ["D0", "D2"]
    assert assignments(any_project) == {
        docs[0]: ("alice", "bob"),
        docs[2]: ("alice", "bob"),
        docs[3]: ("alice",),
    }
    assert any_project.annotator("bob") is not None  # created on first assignment
    removed = unassign(any_project, [docs[0]], ["bob"])
    assert removed.removed == 1
    assert assignment_counts(any_project) == {"alice": 3, "bob": 1}
    assert unassign(any_project, None, ["alice"]).removed == 3


def test_n_annotators_per_document_spread_evenly_and_idempotently(any_project: Project) -> None:
    docs = _documents(any_project, 10)
    names = ["ann", "ben", "cat"]
    report = assign_round_robin(any_project, per_document=2, annotators=names, seed=7)
    assert report.added == 20
    table = assignments(any_project)
    assert set(table) == set(docs)
    assert all(len(set(who)) == 2 for who in table.values())
    counts = assignment_counts(any_project)
    assert sum(counts.values()) == 20 and max(counts.values()) - min(counts.values()) <= 1
    again = assign_round_robin(any_project, per_document=2, annotators=names, seed=7)
    assert (again.added, again.already) == (0, 20)
    # a new document gets its two annotators; nobody else is touched
    [new] = _documents(any_project, 1)
    later = assign_round_robin(any_project, per_document=2, annotators=names, seed=7)
    assert (later.added, later.already) == (2, 20)
    assert len(assignments(any_project)[new]) == 2
    assert {k: v for k, v in assignments(any_project).items() if k != new} == table


def test_round_robin_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    results = []
    for attempt in range(2):
        with Project.create(tmp_path / f"p{attempt}.spanlab") as project:
            _documents(project, 6)
            assign_round_robin(project, per_document=1, annotators=["a", "b", "c"], seed=3)
            results.append(assignments(project))
    assert results[0] == results[1]


def test_bad_requests_are_refused(any_project: Project) -> None:
    docs = _documents(any_project, 2)
    with pytest.raises(SpanLabError, match="between 1 and the number of annotators"):
        assign_round_robin(any_project, per_document=3, annotators=["a", "b"])
    with pytest.raises(NotFoundError, match="no such document"):
        assign(any_project, [docs[0], 999], ["a"])
    assert assignments(any_project) == {}
    with pytest.raises(SpanLabError, match="at least one annotator"):
        assign(any_project, docs, [])
    with pytest.raises(NotFoundError, match="no annotator called 'zed'"):
        assigned_documents(any_project, "zed")


def test_assigning_bumps_the_change_token(any_project: Project) -> None:
    docs = _documents(any_project, 1)
    before = change_token(any_project)
    assign(any_project, docs, ["alice"])
    after = change_token(any_project)
    assert after.project_changed_since(before)
    assert after.total > before.total
