"""PostgreSQL storage: same migrations as SQLite, session settings, passwords kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from spanlab.core.errors import ProjectError
from spanlab.core.project import Project
from spanlab.core.storage import tables  # noqa: F401  (registers the tables)
from spanlab.core.storage.engine import create_engine, project_url, redact_url
from spanlab.core.storage.migrate import _config, current_revision, head_revision, upgrade

SECRET = "Sup3r-s3cret-pa55"


def test_migrated_schema_matches_the_table_definitions_on_postgresql(pg_url: str) -> None:
    engine = create_engine(pg_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_migration_0003_goes_down_and_up_again(backend_location: str) -> None:
    engine = create_engine(project_url(backend_location))
    try:
        upgrade(engine)
        with engine.connect() as conn, conn.begin():
            command.downgrade(_config(conn), "0002")
        assert current_revision(engine) == "0002"
        upgrade(engine)
        assert current_revision(engine) == head_revision() == "0003"
    finally:
        engine.dispose()


def test_row_level_security_is_on_for_every_table_but_the_change_counters(pg_url: str) -> None:
    with Project.create(pg_url) as project, project.read() as conn:
        rows = dict(
            conn.execute(
                text(
                    "SELECT relname, relrowsecurity FROM pg_class "
                    "WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'"
                )
            ).all()
        )
    protected = {name for name, on in rows.items() if on}
    assert protected == set(SQLModel.metadata.tables) - {"change_counter"}


def test_sessions_give_up_waiting_for_locks_instead_of_hanging(pg_url: str) -> None:
    with Project.create(pg_url) as project, project.read() as conn:
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "10s"
        assert conn.exec_driver_sql("SHOW idle_in_transaction_session_timeout").scalar() == "5min"


def _with_password(url: str, password: str, **changes: object) -> str:
    return (
        make_url(url)
        .set(password=password, **changes)  # type: ignore[arg-type]
        .render_as_string(hide_password=False)
    )


def test_a_password_in_the_url_is_used_but_never_kept_or_shown(pg_url: str) -> None:
    with Project.create(_with_password(pg_url, SECRET)) as project:
        assert SECRET not in project.url
        assert SECRET not in str(project.engine.url)
        assert SECRET not in repr(project.engine)
        with project.read() as conn:
            stored = " ".join(str(v) for v in conn.execute(text("SELECT value FROM project_info")))
        assert SECRET not in stored
    with Project.open(pg_url, password=SECRET) as again:
        assert again.url == pg_url


@pytest.mark.parametrize(
    "changes",
    [
        {"database": "no_such_database_here"},
        {"port": 1},
        {"username": "nobody_at_all"},
    ],
    ids=["unknown database", "nothing listening", "unknown user"],
)
def test_error_messages_never_contain_the_password(pg_url: str, changes: dict[str, object]) -> None:
    url = _with_password(pg_url, SECRET, **changes)
    for attempt in (lambda: Project.open(url), lambda: Project.create(url)):
        with pytest.raises(ProjectError) as info:
            attempt()
        assert SECRET not in str(info.value)
        assert "***" in str(info.value) or make_url(url).host in str(info.value)


def test_error_messages_on_sqlite_paths_are_unchanged(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(tmp_path / "missing.spanlab")


def test_redact_url_hides_passwords_wherever_they_are() -> None:
    assert redact_url("postgresql+psycopg://ann:pw@db:5432/news") == (
        "postgresql+psycopg://ann:***@db:5432/news"
    )
    assert "pw" not in redact_url("postgresql+psycopg://ann@db/news?password=pw&sslmode=require")
    assert redact_url("postgresql+psycopg://ann@db/news") == "postgresql+psycopg://ann@db/news"
    assert redact_url("news.spanlab") == "news.spanlab"
    assert "s3c" not in redact_url("postgresql+psycopg://ann:s3c@db:notaport/news")
