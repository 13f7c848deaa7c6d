"""Database engines for SQLite project files and PostgreSQL servers, configured once here."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_WRITE_WAIT_S = 60.0
"""How long an edit waits for other writers of the same SQLite file before failing."""

# PostgreSQL session settings: an edit waiting for another's row lock gives up after
# LOCK_TIMEOUT_MS with an error instead of hanging, and a session left idle inside a
# transaction (which SpanLab never does on purpose) is cut off so it cannot hold locks.
PG_LOCK_TIMEOUT_MS = 10_000
PG_IDLE_IN_TRANSACTION_TIMEOUT_MS = 300_000
PG_CONNECT_TIMEOUT_S = 10
"""A server that never answers fails after this long instead of freezing the app."""

WRITE_OPTION = "spanlab_write"
"""Execution option set by ``Project.edit``: SQLite starts the transaction with
``BEGIN IMMEDIATE`` so concurrent writers wait for each other (busy_timeout) instead of
failing with "database is locked" when a read is upgraded to a write."""

_PASSWORD_IN_QUERY = re.compile(r"(?i)([?&](?:password|passwd|pwd)=)[^&#]*")
_PASSWORD_IN_NETLOC = re.compile(r"(://[^/?#@:]*:)[^/?#@]*@")


def is_url(location: str) -> bool:
    """Whether ``location`` is a database URL rather than a file path."""
    return "://" in location


def project_url(location: str | Path) -> str:
    """Turn a project file path or a database URL into a SQLAlchemy URL."""
    text = str(location)
    if is_url(text):
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory and server databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def redact_url(url: str | Path) -> str:
    """``url`` with any password replaced by ``***``: the only form fit for messages and logs."""
    text = str(url)
    if not is_url(text):
        return text
    text = _PASSWORD_IN_QUERY.sub(r"\1***", text)
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError):
        return _PASSWORD_IN_NETLOC.sub(r"\1***@", text)
    if parsed.password is None:
        return _PASSWORD_IN_NETLOC.sub(r"\1***@", text)
    return parsed.render_as_string(hide_password=True)


def split_password(url: str) -> tuple[str, str | None]:
    """Split a database URL into the URL without its password and the password (if any)."""
    if not is_url(url):
        return url, None
    parsed = make_url(url)
    password = parsed.password
    query_password = parsed.query.get("password")
    if isinstance(query_password, str) and password is None:
        password = query_password
    if password is None:
        return url, None
    cleaned = parsed._replace(password=None)  # URL.set() cannot clear a field
    if "password" in parsed.query:
        cleaned = cleaned.difference_update_query(["password"])
    return cleaned.render_as_string(hide_password=False), str(password)


# Passwords that opened a server project in this process, so that the application's
# background jobs (which open their own connection by URL) need not ask again. Memory
# only, counted per open project, dropped when the last one closes.
_OPEN_PASSWORDS: dict[str, tuple[str, int]] = {}


def _server_key(url: str) -> str | None:
    parsed = make_url(split_password(url)[0])
    if parsed.get_backend_name() == "sqlite":
        return None
    host = parsed.host or "localhost"
    return f"{parsed.username or ''}@{host}:{parsed.port or ''}/{parsed.database or ''}"


def hold_password(url: str, password: str) -> None:
    """Keep ``password`` for later connections to ``url`` in this process (until
    :func:`release_password` was called as often)."""
    key = _server_key(url)
    if key is None or not password:
        return
    _, count = _OPEN_PASSWORDS.get(key, (password, 0))
    _OPEN_PASSWORDS[key] = (password, count + 1)


def release_password(url: str) -> None:
    """Undo one :func:`hold_password`; the password is forgotten after the last."""
    key = _server_key(url)
    if key is None or key not in _OPEN_PASSWORDS:
        return
    password, count = _OPEN_PASSWORDS[key]
    if count <= 1:
        del _OPEN_PASSWORDS[key]
    else:
        _OPEN_PASSWORDS[key] = (password, count - 1)


def held_password(url: str) -> str | None:
    """The password an open project of this process connected to ``url`` with."""
    key = _server_key(url)
    found = _OPEN_PASSWORDS.get(key) if key is not None else None
    return found[0] if found is not None else None


def create_engine(url: str, *, password: str | None = None) -> Engine:
    """An engine with SpanLab's connection settings for the URL's backend.

    ``password`` is handed to the driver separately, so it never becomes part of the
    engine's URL (which ends up in messages). Without one, a password held by an open
    project of this process for the same server, user and database is used.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, in_memory=sqlite_path(url) is None)
    if password is None:
        password = held_password(url)
    connect_args: dict[str, Any] = {}
    if password is not None:
        connect_args["password"] = password
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    if parsed.get_backend_name() == "postgresql" and "options" not in parsed.query:
        connect_args["options"] = (
            f"-c lock_timeout={PG_LOCK_TIMEOUT_MS} "
            f"-c idle_in_transaction_session_timeout={PG_IDLE_IN_TRANSACTION_TIMEOUT_MS}"
        )
    return sa_create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: str, *, in_memory: bool) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
        kwargs["connect_args"]["check_same_thread"] = False
    engine = sa_create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Take transaction control away from pysqlite (it does not BEGIN before DDL on
        # Python < 3.12), so migrations are atomic; BEGIN is emitted in _on_begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed edit survives power loss (measured at ~0.3 ms a commit).
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front (waiting up to busy_timeout); a deferred
        # transaction that reads and then writes would fail at once with SQLITE_BUSY when
        # another connection committed in between (WAL snapshot).
        if not connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN")
            return
        # SQLite's busy handler is not fair: a writer that sleeps between polls can lose
        # the lock again and again to others that commit and begin at once. Keep asking
        # for SQLITE_WRITE_WAIT_S in all before giving up with "locked".
        raw = connection.connection.dbapi_connection
        deadline = time.monotonic() + SQLITE_WRITE_WAIT_S
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    break
                continue
            return
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the last try raises SQLAlchemy's error

    return engine
