"""Passwords come from the keyring or a prompt and never end up in the project's URL."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from spanlab.core.errors import ProjectError
from spanlab.core.project import Project
from spanlab.core.team import credentials
from spanlab.core.team.credentials import (
    forget_password,
    keyring_key,
    keyring_password,
    open_project,
    resolve_password,
    save_password,
)

URL = "postgresql+psycopg://alice@db.example.org/newsroom"


@pytest.fixture
def keyring(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    store: dict[tuple[str, str], str] = {}
    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, key: store.get((service, key))  # type: ignore[attr-defined]
    fake.set_password = lambda service, key, pw: store.__setitem__((service, key), pw)  # type: ignore[attr-defined]
    fake.delete_password = lambda service, key: store.pop((service, key))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    return store


def test_keyring_entries_are_per_user_server_and_database(
    keyring: dict[tuple[str, str], str],
) -> None:
    assert keyring_key(URL) == "alice@db.example.org:5432/newsroom"
    assert keyring_key("postgresql+psycopg://alice:pw@db.example.org:6543/newsroom") == (
        "alice@db.example.org:6543/newsroom"
    )
    assert keyring_password(URL) is None
    assert save_password(URL, "pw1")
    assert keyring == {("spanlab", "alice@db.example.org:5432/newsroom"): "pw1"}
    assert keyring_password(URL) == "pw1"
    assert forget_password(URL) and keyring_password(URL) is None
    assert not forget_password(URL)


def test_without_keyring_nothing_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    assert keyring_password(URL) is None
    assert not save_password(URL, "pw")
    assert resolve_password(URL, prompt=lambda where: f"typed for {where}") == (
        "typed for alice@db.example.org:5432/newsroom"
    )


def test_password_order_url_then_keyring_then_prompt(
    keyring: dict[tuple[str, str], str],
) -> None:
    asked: list[str] = []

    def prompt(where: str) -> str:
        asked.append(where)
        return "typed"

    assert resolve_password(URL.replace("alice@", "alice:inurl@"), prompt=prompt) == "inurl"
    assert resolve_password(URL, prompt=prompt) == "typed" and len(asked) == 1
    save_password(URL, "saved")
    assert resolve_password(URL, prompt=prompt) == "saved" and len(asked) == 1
    assert resolve_password(URL, prompt=prompt, use_keyring=False) == "typed"
    assert resolve_password(URL) == "saved"


class _FakeServer:
    """Stands in for Project.open against a server that wants the password 'right'."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def open(self, location: str | Path, *, password: str | None = None) -> Any:
        self.calls.append((str(location), password))
        if password != "right":
            raise ProjectError(
                "db.example.org/newsroom: database error: connection failed: FATAL: password "
                'authentication failed for user "alice"'
            )
        return "opened"


def test_open_project_prompts_after_a_refused_login_and_can_remember(
    keyring: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = _FakeServer()
    monkeypatch.setattr(credentials.Project, "open", server.open)
    keyring[("spanlab", keyring_key(URL))] = "stale"
    result = open_project(URL, prompt=lambda where: "right", remember=True)
    assert result == "opened"
    assert server.calls == [(URL, "stale"), (URL, "right")]  # never a URL with a password
    assert keyring_password(URL) == "right"
    with pytest.raises(ProjectError, match="authentication failed"):
        open_project(URL.replace("alice", "bob"))  # no prompt: the error stands
    with pytest.raises(ProjectError, match="no password given"):
        open_project(URL.replace("alice", "bob"), prompt=lambda where: None)


def test_open_project_on_a_file_just_opens_it(tmp_path: Path) -> None:
    Project.create(tmp_path / "a.spanlab").close()
    with open_project(tmp_path / "a.spanlab", prompt=lambda where: pytest.fail("asked")) as p:
        assert p.path == tmp_path / "a.spanlab"


def test_open_project_on_a_server_keeps_the_password_out_of_the_url(
    pg_url: str, keyring: dict[tuple[str, str], str]
) -> None:
    Project.create(pg_url).close()
    save_password(pg_url, "from-the-keyring")
    with open_project(pg_url) as project:
        assert project.url == pg_url
        assert "from-the-keyring" not in repr(project.engine.url)
