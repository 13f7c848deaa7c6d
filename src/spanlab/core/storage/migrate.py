"""Alembic migrations run in-process on open, with a backup of SQLite files first."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from spanlab.core.errors import ProjectError, ProjectTooNewError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """What happened to the database schema on open."""

    from_revision: str | None
    to_revision: str
    backup: Path | None = None

    @property
    def migrated(self) -> bool:
        """Whether any migration ran."""
        return self.from_revision != self.to_revision


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    # An absolute location keeps frozen (PyInstaller) builds working.
    config.set_main_option("script_location", str(MIGRATIONS_DIR.resolve()))
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    """The shipped migration scripts."""
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest schema revision this SpanLab knows."""
    head = script_directory().get_current_head()
    assert head is not None
    return head


def known_revisions() -> list[str]:
    """All revisions, oldest first."""
    return [rev.revision for rev in reversed(list(script_directory().walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    """The revision stored in the database (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def has_tables(engine: Engine) -> bool:
    """Whether the database holds any table at all."""
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def upgrade(
    engine: Engine, *, target: str = "head", sqlite_file: Path | None = None
) -> MigrationReport:
    """Bring the database to ``target``, refusing databases from a newer SpanLab.

    A SQLite file that already holds data is copied (backup API) before any migration.
    """
    before = current_revision(engine)
    known = known_revisions()
    if before is not None and before not in known:
        raise ProjectTooNewError(
            f"this project was written by a newer SpanLab (database revision {before}); "
            "install a newer SpanLab to open it"
        )
    if before is None and has_tables(engine):
        raise ProjectError("this database has tables but is not a SpanLab project")
    wanted = head_revision() if target == "head" else target
    if before == wanted:
        return MigrationReport(before, wanted)
    backup = backup_sqlite(sqlite_file, before) if (sqlite_file and before is not None) else None
    with engine.connect() as conn:
        is_sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.driver_connection
        if is_sqlite:
            # Batch migrations rebuild tables; with foreign keys on, dropping a table would
            # cascade-delete child rows. SQLite ignores this pragma inside a transaction.
            raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                command.upgrade(_config(conn), wanted)
                if is_sqlite:
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise ProjectError(
                            f"migration to {wanted} left {len(problems)} broken references; "
                            "nothing was changed"
                        )
        finally:
            if is_sqlite:
                raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return MigrationReport(before, wanted, backup)


def backup_sqlite(path: Path, revision: str | None) -> Path:
    """Copy a SQLite project with the online backup API (safe with WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.backup-r{revision}-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.backup-r{revision}-{stamp}-{counter}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target
