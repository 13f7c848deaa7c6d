"""SQLite connection settings that protect users' work."""

from __future__ import annotations

from spanlab.core.project import Project


def test_sqlite_runs_in_wal_with_foreign_keys_and_full_sync(project: Project) -> None:
    with project.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_spans_of_a_document_are_served_by_an_index(project: Project) -> None:
    with project.read() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT * FROM span WHERE document_id = 1 AND annotator_id = 1 "
            "ORDER BY start"
        ).fetchall()
    assert any("ix_span_document_annotator_start" in str(row) for row in plan)
