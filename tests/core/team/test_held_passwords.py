"""A password that opened a server project is reused by the same process's other opens
(the GUI's background jobs open the project by URL), and forgotten when it closes."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from spanlab.core.project import Project
from spanlab.core.storage.engine import (
    create_engine,
    held_password,
    hold_password,
    release_password,
)

URL = "postgresql+psycopg://alice@db.example.org/newsroom"


def test_held_per_server_user_and_database_and_counted() -> None:
    assert held_password(URL) is None
    hold_password(URL, "pw")
    hold_password(URL.replace("alice", "alice:inurl"), "pw")
    try:
        assert held_password(URL) == "pw"
        assert held_password(URL.replace("alice", "bob")) is None
        assert held_password(URL.replace("newsroom", "other")) is None
        release_password(URL)
        assert held_password(URL) == "pw"  # one open project still holds it
    finally:
        release_password(URL)
    assert held_password(URL) is None
    hold_password("sqlite:///tmp/x.spanlab", "pw")
    assert held_password("sqlite:///tmp/x.spanlab") is None


def test_an_engine_without_password_connects_with_the_held_one() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # nothing listens there afterwards
    url = f"postgresql+psycopg://alice@127.0.0.1:{port}/newsroom"
    seen: list[Any] = []

    def capture(engine_url: str, **expected: Any) -> None:
        engine = create_engine(engine_url, **expected)

        @event.listens_for(engine, "do_connect")
        def _record(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
            seen.append(cparams.get("password"))

        with pytest.raises(OperationalError):
            engine.connect()
        assert "held-pw" not in repr(engine.url)
        engine.dispose()

    hold_password(url, "held-pw")
    try:
        capture(url)
        capture(url, password="explicit")
    finally:
        release_password(url)
    capture(url)
    assert seen == ["held-pw", "explicit", None]


def test_opening_with_a_password_holds_it_until_close(pg_url: str) -> None:
    Project.create(pg_url).close()
    project = Project.open(pg_url, password="typed-once")  # the test server trusts
    try:
        assert held_password(pg_url) == "typed-once"
        with Project.open(pg_url) as job:  # like a background job: no password given
            assert job.document_count() == 0
        assert held_password(pg_url) == "typed-once"
    finally:
        project.close()
    assert held_password(pg_url) is None
