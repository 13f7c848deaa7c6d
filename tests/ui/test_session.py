"""The session and the undo adapter: commits, signals, refused commands never pushed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spanlab.core.changes import ChangeSet
from spanlab.core.commands import AddSpan, SetStatus
from spanlab.core.errors import ProjectError, SpanLabError
from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project
from spanlab.ui.session import ProjectSession


@pytest.fixture
def session(qtbot: QtBot, workspace_file: Path) -> ProjectSession:
    session = ProjectSession()
    session.set_annotator("alice")
    session.open_project(workspace_file)
    return session


def first_document(session: ProjectSession) -> int:
    assert session.project is not None
    return int(session.project.documents()[0].id)


def test_run_commits_publishes_and_undoes(session: ProjectSession, qtbot: QtBot) -> None:
    doc = first_document(session)
    assert session.annotator is not None and session.project is not None
    seen: list[tuple[int, ChangeSet]] = []
    session.annotations_changed.connect(lambda d, c: seen.append((d, c)))
    with qtbot.waitSignal(session.statuses_changed):
        assert session.run(AddSpan(doc, session.annotator.id, "PERSON", 19, 23))
    assert [d for d, _ in seen] == [doc]
    # Committed: another connection sees the span at once.
    with Project.open(session.project.url) as other:
        assert [s.text for s in other.spans(doc)] == ["Baek"]
    assert session.undo_stack.undoText() == "Add PERSON"
    with qtbot.waitSignal(session.change_applied) as blocker:
        session.undo_stack.undo()
    assert blocker.args is not None and blocker.args[1] is True  # replayed by undo
    assert session.project.spans(doc) == []
    session.undo_stack.redo()
    assert len(session.project.spans(doc)) == 1


def test_refused_command_is_reported_and_not_pushed(session: ProjectSession, qtbot: QtBot) -> None:
    doc = first_document(session)
    assert session.annotator is not None
    with qtbot.waitSignal(session.error_occurred) as blocker:
        assert not session.run(AddSpan(doc, session.annotator.id, "NOPE", 0, 4))
    assert blocker.args is not None and "NOPE" in blocker.args[0]
    assert session.undo_stack.count() == 0
    assert session.saved  # an integrity error is not a storage failure


def test_storage_failure_marks_unsaved(
    session: ProjectSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = first_document(session)
    assert session.project is not None and session.annotator is not None

    def locked(command: object) -> ChangeSet:
        raise ProjectError("work.spanlab: the project is locked by another program; try again")

    monkeypatch.setattr(session.project, "execute", locked)
    states: list[tuple[bool, str]] = []
    session.save_state_changed.connect(lambda ok, message: states.append((ok, message)))
    assert not session.run(SetStatus(doc, session.annotator.id, DocumentStatus.DONE))
    assert states and states[-1][0] is False and "locked" in states[-1][1]
    assert session.undo_stack.count() == 0


def test_failed_undo_drops_the_step(
    session: ProjectSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = first_document(session)
    assert session.project is not None and session.annotator is not None
    assert session.run(AddSpan(doc, session.annotator.id, "PERSON", 19, 23))

    def broken(command: object) -> ChangeSet:
        raise ProjectError("disk full")

    monkeypatch.setattr(session.project, "revert", broken)
    errors: list[str] = []
    session.error_occurred.connect(errors.append)
    session.undo_stack.undo()
    assert errors == ["disk full"]
    assert session.undo_stack.count() == 0


def test_annotator_names_and_reserved_gold(session: ProjectSession) -> None:
    with pytest.raises(SpanLabError, match="reserved"):
        session.set_annotator("gold")
    with pytest.raises(SpanLabError, match="empty"):
        session.set_annotator("  ")
    session.set_annotator("bob")
    assert session.annotator_names() == ["alice", "bob"]
    session.close_project()
    assert session.project is None and not session.ready
    assert not session.run(SetStatus(1, 1, DocumentStatus.DONE))


def test_read_only_file_is_refused_with_a_clear_message(
    workspace_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == workspace_file else real_access(p, mode)
    )
    session = ProjectSession()
    with pytest.raises(ProjectError, match="read-only"):
        session.open_project(workspace_file)
