"""The change token: cheap to poll, changes with every committed edit, only then."""

from __future__ import annotations

from datetime import datetime

import pytest

from spanlab.core.commands import AddSpan, SetStatus
from spanlab.core.errors import IntegrityError
from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project
from spanlab.core.team.live import ChangeToken, change_token, last_change


def test_token_changes_with_committed_edits_only(any_project: Project) -> None:
    with any_project.edit() as store:
        [doc] = store.insert_documents([{"title": "T", "text": "Kim met Lee.", "sha256": "h"}])
    alice = any_project.ensure_annotator("alice")
    bob = any_project.ensure_annotator("bob")
    start = change_token(any_project)
    assert start.last_change is not None and isinstance(last_change(any_project), datetime)
    any_project.spans(doc)
    any_project.statuses()
    assert change_token(any_project) == start  # reading changes nothing

    any_project.execute(AddSpan(doc, alice.id, "PERSON", 0, 3))
    after_alice = change_token(any_project)
    assert after_alice != start
    assert after_alice.annotators_changed_since(start) == {alice.id}
    assert not after_alice.project_changed_since(start)
    assert after_alice.total > start.total

    with pytest.raises(IntegrityError):  # rolled back: no change announced
        any_project.execute(AddSpan(doc, bob.id, "PERSON", 0, 99))
    assert change_token(any_project) == after_alice

    # another session (another program) sees the change too
    with Project.open(any_project.url) as other:
        other.execute(SetStatus(doc, bob.id, DocumentStatus.DONE))
    newest = change_token(any_project)
    assert newest.annotators_changed_since(after_alice) == {bob.id}
    assert newest.last_change is not None and after_alice.last_change is not None
    assert newest.last_change >= after_alice.last_change

    with any_project.edit() as store:
        store.insert_documents([{"title": "U", "text": "Another.", "sha256": "h2"}])
    assert change_token(any_project).project_changed_since(newest)


def test_an_empty_token_compares_sensibly() -> None:
    empty = ChangeToken()
    some = ChangeToken((("annotator:3", 2), ("project", 1)))
    assert some.annotators_changed_since(empty) == {3}
    assert some.project_changed_since(empty)
    assert empty.scopes_changed_since(some) == {"annotator:3", "project"}
    assert empty.total == 0 and some.total == 3
