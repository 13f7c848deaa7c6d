"""Database logins with row-level security: an annotator's login cannot touch others' work."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from spanlab.core.commands import AddRelation, AddSpan, RemoveSpans, SetStatus, UpdateSpan
from spanlab.core.errors import ProjectError, SpanLabError
from spanlab.core.model import AnnotatorRole, DocumentId, DocumentStatus
from spanlab.core.project import Project
from spanlab.core.team.access import (
    Person,
    add_person,
    create_login,
    drop_login,
    grant_access,
    login_name,
    people,
    set_login_password,
)
from spanlab.core.team.assignments import assign, assigned_documents
from spanlab.core.team.live import change_token

TEXT = "Kim Jong-un met Moon Jae-in and Xi Jinping in Seoul on Monday."


def _at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@dataclass
class Team:
    url: str
    doc: DocumentId
    alice: Person
    bob: Person
    carol: Person  # curator
    label_ids: dict[str, int]


def _as(url: str, login: str) -> str:
    """The project URL for a person's own login (the test server trusts local logins)."""
    return make_url(url).set(username=login).render_as_string(hide_password=False)


@pytest.fixture
def team(pg_url: str) -> Iterator[Team]:
    with Project.create(pg_url) as project:
        with project.edit() as store:
            [doc] = store.insert_documents([{"title": "T", "text": TEXT, "sha256": "h1"}])
        alice = create_login(project, "alice", AnnotatorRole.ANNOTATOR, "alice-pw-1")
        bob = create_login(project, "bob", AnnotatorRole.ANNOTATOR, "bob-pw-1")
        carol = create_login(project, "carol", AnnotatorRole.CURATOR, "carol-pw-1")
        project.execute(AddSpan(doc, bob.id, "PERSON", *_at("Kim Jong-un")))
        project.execute(AddSpan(doc, bob.id, "PERSON", *_at("Moon Jae-in")))
        with project.read() as conn:
            labels = dict(conn.execute(text("SELECT name, id FROM label_type")).all())
        yield Team(pg_url, doc, alice, bob, carol, labels)


def test_logins_are_named_after_people_and_store_no_plain_password(team: Team) -> None:
    assert team.alice.login == "spanlab_alice"
    assert login_name("Anna Müller-Lüdenscheidt") == "spanlab_anna_m_ller_l_denscheidt"
    assert login_name("管理者").startswith("spanlab_")
    with Project.open(team.url) as project, project.read() as conn:
        stored = conn.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = 'spanlab_alice'")
        ).scalar_one()
        assert stored.startswith("SCRAM-SHA-256$")
        assert "alice-pw-1" not in stored
        attrs = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'spanlab_alice'")
        ).one()
        assert tuple(attrs) == (False, False)
        assert [(p.name, p.role, p.login) for p in people(project)] == [
            ("alice", AnnotatorRole.ANNOTATOR, "spanlab_alice"),
            ("bob", AnnotatorRole.ANNOTATOR, "spanlab_bob"),
            ("carol", AnnotatorRole.CURATOR, "spanlab_carol"),
        ]


def test_annotator_login_cannot_change_others_annotations_even_with_direct_sql(
    team: Team,
) -> None:
    with Project.open(_as(team.url, "spanlab_alice")) as project:
        # Own edits work through the project and the ordinary commands.
        kim = AddSpan(team.doc, team.alice.id, "PERSON", *_at("Kim Jong-un"))
        moon = AddSpan(team.doc, team.alice.id, "PERSON", *_at("Moon Jae-in"))
        project.execute(kim)
        project.execute(moon)
        assert kim.span_id and moon.span_id
        project.execute(AddRelation(kim.span_id, moon.span_id, "MEETS"))
        project.execute(SetStatus(team.doc, team.alice.id, DocumentStatus.DONE))
        # Only her own layer is visible; everyone's progress is.
        assert {s.annotator_id for s in project.spans(team.doc)} == {team.alice.id}
        assert {s.annotator_id for s in project.statuses()} == {team.alice.id, team.bob.id}
        with project.engine.begin() as conn:
            changed = conn.execute(
                text("UPDATE span SET label_id = :label WHERE annotator_id = :bob"),
                {"label": team.label_ids["ROLE"], "bob": team.bob.id},
            )
            assert changed.rowcount == 0
            deleted = conn.execute(
                text("DELETE FROM span WHERE annotator_id = :bob"), {"bob": team.bob.id}
            )
            assert deleted.rowcount == 0
        with pytest.raises(DBAPIError, match="row-level security"), project.engine.begin() as c:
            c.execute(
                text(
                    'INSERT INTO span (document_id, annotator_id, label_id, start, "end", text, '
                    "attributes) VALUES (:d, :bob, :label, 0, 3, 'Kim', '{}')"
                ),
                {"d": team.doc, "bob": team.bob.id, "label": team.label_ids["PERSON"]},
            )
        with pytest.raises(DBAPIError, match="row-level security"), project.engine.begin() as c:
            c.execute(  # moving her own spans into bob's layer
                text("UPDATE span SET annotator_id = :bob WHERE annotator_id = :alice"),
                {"bob": team.bob.id, "alice": team.alice.id},
            )
        # ... and through the commands, with a clear message.
        with pytest.raises(ProjectError, match="only their own annotations"):
            project.execute(AddSpan(team.doc, team.bob.id, "PERSON", *_at("Xi Jinping")))
        with pytest.raises(ProjectError, match="only their own annotations"):
            project.execute(SetStatus(team.doc, team.bob.id, DocumentStatus.DONE))
        # No promotion to manager, no new documents, no schema changes.
        with project.engine.begin() as conn:
            promoted = conn.execute(
                text("UPDATE annotator SET role = 'manager' WHERE id = :me"),
                {"me": team.alice.id},
            )
            assert promoted.rowcount == 0
        with (
            pytest.raises(ProjectError, match="only their own annotations"),
            project.edit() as store,
        ):
            store.insert_documents([{"title": "X", "text": "New text.", "sha256": "h2"}])
        own = project.spans(team.doc)
        project.execute(RemoveSpans([s.id for s in own]))
        assert project.spans(team.doc) == []
    with Project.open(team.url) as owner:
        bob_spans = owner.spans(team.doc, team.bob.id)
        assert [(s.label, s.text) for s in bob_spans] == [
            ("PERSON", "Kim Jong-un"),
            ("PERSON", "Moon Jae-in"),
        ]
        assert owner.status(team.doc, team.alice.id).status is DocumentStatus.DONE
        assert owner.status(team.doc, team.bob.id).status is DocumentStatus.IN_PROGRESS
        assert owner.annotator("alice") is not None
        assert owner.document_count() == 1


def test_curator_login_sees_and_corrects_every_layer(team: Team) -> None:
    with Project.open(_as(team.url, "spanlab_carol")) as project:
        assert {s.annotator_id for s in project.spans(team.doc)} == {team.bob.id}
        with pytest.raises(ProjectError):
            project.ensure_annotator("gold")  # only managers add people
        first = project.spans(team.doc, team.bob.id)[0]
        project.execute(UpdateSpan(first.id, label="ROLE"))
        assert project.span(first.id).label == "ROLE"


def test_annotator_sees_assignments_and_polls_changes(team: Team) -> None:
    with Project.open(team.url) as owner:
        assign(owner, [team.doc], ["alice"])
    with Project.open(_as(team.url, "spanlab_alice")) as project:
        assert [d.id for d in assigned_documents(project, "alice")] == [team.doc]
        before = change_token(project)
        with Project.open(_as(team.url, "spanlab_bob")) as other:
            other.execute(AddSpan(team.doc, team.bob.id, "LOCATION", *_at("Seoul")))
        after = change_token(project)
        assert after != before
        assert after.annotators_changed_since(before) == {team.bob.id}
        with pytest.raises(ProjectError):
            assign(project, [team.doc], ["bob"])  # only managers assign


def test_manager_login_manages_documents_schema_and_people(team: Team) -> None:
    with Project.open(team.url) as owner:
        manager = create_login(owner, "dana", AnnotatorRole.MANAGER)
    with Project.open(_as(team.url, manager.login or "")) as project:
        with project.edit() as store:
            store.insert_documents([{"title": "New", "text": "Another text.", "sha256": "h3"}])
        assert project.document_count() == 2
        add_person(project, "erin")
        assert project.annotator("erin") is not None
        assert {s.annotator_id for s in project.spans(team.doc)} == {team.bob.id}


def test_logins_can_be_updated_and_revoked(team: Team) -> None:
    with Project.open(team.url) as owner:
        again = create_login(owner, "alice", AnnotatorRole.CURATOR, "new-pw-2")
        assert again.login == "spanlab_alice" and again.role is AnnotatorRole.CURATOR
        set_login_password(owner, "alice", "third-pw-3")
        assert grant_access(owner) == ["spanlab_alice", "spanlab_bob", "spanlab_carol"]
        with pytest.raises(SpanLabError, match="already belongs to alice"):
            create_login(owner, "frank", login="spanlab_alice")
        with pytest.raises(SpanLabError, match="superuser"):
            create_login(owner, "root", login="postgres")
        assert drop_login(owner, "bob") is True
        assert owner.annotator("bob") is not None  # the work stays
        assert {p.name: p.login for p in people(owner)}["bob"] is None
    with pytest.raises(ProjectError):
        Project.open(_as(team.url, "spanlab_bob"))


def test_row_level_security_functions_refuse_sqlite_clearly(tmp_path: Path) -> None:
    with Project.create(tmp_path / "solo.spanlab") as project:
        with pytest.raises(SpanLabError, match="row-level security needs a PostgreSQL project"):
            create_login(project, "alice", AnnotatorRole.ANNOTATOR, "pw")
        with pytest.raises(SpanLabError, match="needs a PostgreSQL project"):
            grant_access(project)
        # people and roles work everywhere
        person = add_person(project, "alice", AnnotatorRole.CURATOR)
        assert person.role is AnnotatorRole.CURATOR and person.login is None
        assert add_person(project, "alice", AnnotatorRole.MANAGER).role is AnnotatorRole.MANAGER
        assert [(p.name, p.role) for p in people(project)] == [("alice", AnnotatorRole.MANAGER)]
