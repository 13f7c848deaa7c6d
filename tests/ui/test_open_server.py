"""File › Open Server Project: address fields, password prompt, clear errors, recent list."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_auth_proxy import PasswordProxy
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from ui_helpers import ScriptedPrompts, show

from spanlab.core.project import Project
from spanlab.ui.app import SpanLabApp, create_app
from spanlab.ui.dashboard.overview import ProjectOverview
from spanlab.ui.dialogs.open_server_dialog import OpenServerDialog, ServerLocation

PASSWORD = "s3cret-Pässword"


@pytest.fixture
def team_prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture
def empty_gui(
    qtbot: QtBot, ui_settings: QSettings, team_prompts: ScriptedPrompts, tmp_path: Path
) -> Iterator[SpanLabApp]:
    """The main window with no project, annotating as alice, logging to a temp folder."""
    app = create_app([], settings=ui_settings, prompts=team_prompts, log_dir=tmp_path / "logs")
    qtbot.addWidget(app.window)
    show(qtbot, app)
    app.start(None)
    yield app
    app.session.close_project()


@pytest.fixture
def server_project(pg_url: str) -> str:
    """A PostgreSQL project with two articles."""
    with Project.create(pg_url, name="newsroom") as project, project.edit() as store:
        store.insert_documents(
            [
                {"title": "Seoul talks", "text": "Kim met Moon in Seoul.", "sha256": "a"},
                {"title": "Geneva pledges", "text": "Donors met in Geneva.", "sha256": "b"},
            ]
        )
    return pg_url


@pytest.fixture
def gated(server_project: str) -> Iterator[tuple[PasswordProxy, str]]:
    """The project behind a server that wants PASSWORD."""
    with PasswordProxy(server_project, PASSWORD) as proxy:
        yield proxy, proxy.url_for(server_project)


def _open(app: SpanLabApp, prompts: ScriptedPrompts, url: str) -> None:
    prompts.server_answer = ServerLocation(url)
    app.actions.action("file.open_server").trigger()


def _everything_written(app: SpanLabApp, tmp_path: Path) -> str:
    app.settings.sync()
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in tmp_path.rglob("*")
        if p.is_file() and p.suffix in (".ini", ".log", ".txt")
    ]
    return "\n".join(texts)


def test_dialog_builds_the_url_from_fields_or_takes_a_whole_url(qtbot: QtBot) -> None:
    dialog = OpenServerDialog("postgresql+psycopg://bob@db.example.org:6543/newsroom")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Open)
    assert dialog.host.text() == "db.example.org" and dialog.port.value() == 6543
    assert dialog.url() == "postgresql+psycopg://bob@db.example.org:6543/newsroom"
    dialog.database.clear()
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.database, "team db")
    dialog.user.setText("anna@home")
    dialog.port.setValue(5432)
    assert ok.isEnabled()
    built = make_url(str(dialog.url()))
    assert (built.username, built.host, built.port, built.database) == (
        "anna@home",
        "db.example.org",
        None,
        "team db",
    )
    qtbot.keyClicks(dialog.url_edit, "postgresql://carol@10.0.0.5/news")
    assert dialog.url() == "postgresql+psycopg://carol@10.0.0.5/news"
    dialog.url_edit.setText("sqlite:///x.spanlab")
    assert not ok.isEnabled()
    assert not dialog.remember.isEnabled()  # no keyring installed in the test environment


def test_a_server_project_opens_after_the_password_prompt(
    empty_gui: SpanLabApp,
    team_prompts: ScriptedPrompts,
    gated: tuple[PasswordProxy, str],
    tmp_path: Path,
) -> None:
    proxy, url = gated
    team_prompts.passwords = [PASSWORD]
    _open(empty_gui, team_prompts, url)
    assert team_prompts.errors == []
    assert len(team_prompts.password_calls) == 1
    assert team_prompts.password_calls[0].endswith(
        f"127.0.0.1:{proxy.port}/{url.rsplit('/', 1)[1]}"
    )
    project = empty_gui.session.project
    assert project is not None and project.url == url
    panel = empty_gui.window.document_panel
    assert panel.source.rowCount() == 2
    assert "newsroom" in empty_gui.window.windowTitle()
    assert "accepted" in proxy.attempts
    assert empty_gui.settings.recent_projects[0] == url
    assert PASSWORD not in _everything_written(empty_gui, tmp_path)


def test_a_wrong_password_says_so_and_opens_nothing(
    empty_gui: SpanLabApp, team_prompts: ScriptedPrompts, gated: tuple[PasswordProxy, str]
) -> None:
    _, url = gated
    team_prompts.passwords = ["not-it"]
    _open(empty_gui, team_prompts, url)
    assert empty_gui.session.project is None
    [(title, message)] = team_prompts.errors
    assert title == "Cannot open the server project"
    assert "wrong user name or password" in message
    assert "not-it" not in message and "Traceback" not in message
    assert empty_gui.settings.recent_projects == []


def test_cancelling_the_password_prompt_opens_nothing(
    empty_gui: SpanLabApp, team_prompts: ScriptedPrompts, gated: tuple[PasswordProxy, str]
) -> None:
    _, url = gated
    team_prompts.passwords = [None]
    _open(empty_gui, team_prompts, url)
    assert empty_gui.session.project is None
    assert "No password was given" in team_prompts.errors[0][1]


def test_the_recent_list_reopens_it_asking_for_the_password_again(
    empty_gui: SpanLabApp,
    team_prompts: ScriptedPrompts,
    gated: tuple[PasswordProxy, str],
    tmp_path: Path,
) -> None:
    _, url = gated
    team_prompts.passwords = [PASSWORD]
    _open(empty_gui, team_prompts, url)
    empty_gui.actions.action("file.close").trigger()
    assert empty_gui.session.project is None
    [entry] = empty_gui.window.recent_menu.actions()
    assert entry.text() == url
    team_prompts.passwords = [PASSWORD]
    entry.trigger()
    assert empty_gui.session.project is not None
    assert len(team_prompts.password_calls) == 2  # no password store: asked again
    team_prompts.server_answer = None
    empty_gui.actions.action("file.open_server").trigger()
    assert team_prompts.server_calls[-1] == url  # the dialog starts from the last server
    assert PASSWORD not in _everything_written(empty_gui, tmp_path)


def test_an_unreachable_server_gets_a_plain_message(
    empty_gui: SpanLabApp, team_prompts: ScriptedPrompts
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again: nothing listens there
    _open(empty_gui, team_prompts, f"postgresql+psycopg://alice@127.0.0.1:{port}/newsroom")
    assert empty_gui.session.project is None
    [(_, message)] = team_prompts.errors
    assert message.startswith(f"Cannot reach the database server at 127.0.0.1:{port}")
    assert team_prompts.password_calls == []


def test_a_database_that_is_no_spanlab_project_is_named_as_such(
    empty_gui: SpanLabApp, team_prompts: ScriptedPrompts, pg_url: str
) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as conn:  # somebody else's database
        conn.execute(text("CREATE TABLE invoices (id integer PRIMARY KEY)"))
    engine.dispose()
    _open(empty_gui, team_prompts, pg_url)
    assert empty_gui.session.project is None
    [(_, message)] = team_prompts.errors
    assert "is not a SpanLab project" in message


def test_background_jobs_reach_the_server_without_asking_again(
    empty_gui: SpanLabApp,
    team_prompts: ScriptedPrompts,
    gated: tuple[PasswordProxy, str],
    qtbot: QtBot,
) -> None:
    _, url = gated
    team_prompts.passwords = [PASSWORD]
    _open(empty_gui, team_prompts, url)
    empty_gui.actions.action("project.overview").trigger()
    overview = empty_gui.window.findChild(ProjectOverview)
    assert isinstance(overview, ProjectOverview)
    qtbot.waitUntil(lambda: overview.data is not None, timeout=10000)
    assert overview.summary.text().startswith("2 documents.")
    assert len(team_prompts.password_calls) == 1
    overview.close()
