"""Alembic migrations: upgrade keeps data, a backup is taken, newer projects are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from spanlab.core.errors import ProjectTooNewError
from spanlab.core.project import PROJECT_MARKER, Project
from spanlab.core.storage import tables  # noqa: F401  (registers the tables)
from spanlab.core.storage.engine import create_engine, project_url
from spanlab.core.storage.migrate import head_revision, known_revisions, upgrade


def _old_project(path: Path) -> None:
    """A project at revision 0001 with a document, two spans and a relation (raw SQL)."""
    engine = create_engine(project_url(path))
    upgrade(engine, target="0001")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO project_info(key, value) VALUES (:k, '1'), ('name', 'old')"),
            {"k": PROJECT_MARKER},
        )
        conn.execute(
            text(
                "INSERT INTO document(id, title, text, sha256, length, meta, imported_at, "
                "position) VALUES (1, 'T', 'Kim met Lee.', 'h', 12, '{}', "
                "'2026-01-01 00:00:00', 1)"
            )
        )
        conn.execute(text("INSERT INTO annotator(id, name, role) VALUES (1, 'ann', 'annotator')"))
        conn.execute(
            text(
                "INSERT INTO label_type(id, name, colour, description, attributes, position) "
                "VALUES (1, 'PERSON', '#FFD6A5', '', '[]', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO relation_type(id, name, heads, tails, symmetric, description, "
                "attributes, position) VALUES (1, 'MEETS', '[\"PERSON\"]', '[\"PERSON\"]', 1, "
                "'', '[]', 0)"
            )
        )
        conn.execute(
            text(
                'INSERT INTO span(id, document_id, annotator_id, label_id, start, "end", text, '
                "attributes) VALUES (1, 1, 1, 1, 0, 3, 'Kim', '{}'), "
                "(2, 1, 1, 1, 8, 11, 'Lee', '{\"note\": \"x\"}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO relation(id, document_id, annotator_id, type_id, head_id, tail_id, "
                "attributes) VALUES (1, 1, 1, 1, 1, 2, '{}')"
            )
        )
    engine.dispose()


def test_upgrade_from_previous_revision_keeps_data_and_takes_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.spanlab"
    _old_project(path)
    with Project.open(path) as project:
        assert project.migration.from_revision == "0001"
        assert project.migration.to_revision == head_revision()
        backup = project.migration.backup
        spans = project.spans(1)
        assert [(s.text, s.label, s.entity_id) for s in spans] == [
            ("Kim", "PERSON", None),
            ("Lee", "PERSON", None),
        ]
        assert spans[1].attributes == {"note": "x"}
        relations = project.relations(1)
        assert [(r.label, r.head_id, r.tail_id) for r in relations] == [("MEETS", 1, 2)]
        assert project.entities(1, 1) == []
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM span").fetchone() == (2,)
    with Project.open(path) as again:
        assert not again.migration.migrated
        assert again.migration.backup is None


def test_project_from_a_newer_spanlab_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "new.spanlab"
    Project.create(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(ProjectTooNewError, match="written by a newer SpanLab"):
        Project.open(path)
    assert path.read_bytes() == before


def test_migrated_schema_matches_the_table_definitions(tmp_path: Path) -> None:
    engine = create_engine(project_url(tmp_path / "fresh.spanlab"))
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_revisions_are_linear() -> None:
    assert known_revisions() == ["0001", "0002", "0003"]
