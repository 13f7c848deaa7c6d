"""GUI fixtures: the whole application on a temporary project, settings in a temp INI file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts, show

from spanlab.core.project import Project
from spanlab.ui.app import SpanLabApp, create_app

ARTICLES = {
    "Seoul talks resume": (
        "Seoul talks resume\n"
        "Baek Tae-jin met Haruki Takeda in Seoul on Friday. 🇰🇷 The Seoul talks ended early.\n"
        "Kang Min-seo said Seoul would host the next round."
    ),
    "Manila forum opens": "Manila forum opens\nOfficials from Seoul and Manila met at the forum.",
    "Geneva pledges": "Geneva pledges\nDonors pledged new funds in Geneva on Monday.",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Ignore the messages Qt's offscreen platform prints about what it cannot do.

    WORKAROUND: the offscreen QPA plugin does not implement ``propagateSizeHints`` (asked
    whenever a window with a layout is shown), ``raise`` (tooltips) nor keyboard and
    mouse grabs (popups such as the relation type chooser), and reports each with
    ``qWarning``.
    """
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(
                pytest.mark.qt_log_ignore(
                    r"This plugin does not support "
                    r"((propagateSizeHints|raise)\(\)|grabbing the (keyboard|mouse))"
                )
            )


@pytest.fixture(autouse=True)
def _background_jobs_finish() -> Iterator[None]:
    """Let a test's background jobs end before its widgets and temp folders go away.

    A job still running after its dialog was deleted would emit into freed objects
    and write into a deleted folder, crashing a later test instead of this one.
    """
    yield
    assert QThreadPool.globalInstance().waitForDone(60_000), "a background job never ended"


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """Settings in a temporary INI file, annotator alice already chosen."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("annotator", "alice")
    return settings


@pytest.fixture
def prompts() -> ScriptedPrompts:
    """Dialogs answered by script."""
    return ScriptedPrompts()


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    """A project with three short articles and no annotations yet."""
    path = tmp_path / "work.spanlab"
    with Project.create(path) as project, project.edit() as store:
        store.insert_documents(
            [{"title": t, "text": text, "sha256": t} for t, text in ARTICLES.items()]
        )
    return path


@pytest.fixture
def sample_file(sample_project_file: Path, tmp_path: Path) -> Path:
    """A private copy of the bundled sample project."""
    target = tmp_path / "sample.spanlab"
    source = sqlite3.connect(sample_project_file)
    dest = sqlite3.connect(target)
    source.backup(dest)
    dest.close()
    source.close()
    return target


def _start(qtbot: QtBot, settings: QSettings, prompts: ScriptedPrompts, path: Path) -> SpanLabApp:
    app = create_app([], settings=settings, prompts=prompts)
    qtbot.addWidget(app.window)
    app.window.resize(1280, 800)
    show(qtbot, app)
    app.start(str(path))
    app.window.document_view.setFocus()
    return app


@pytest.fixture
def gui(
    qtbot: QtBot, ui_settings: QSettings, prompts: ScriptedPrompts, workspace_file: Path
) -> Iterator[SpanLabApp]:
    """The main window on the workspace project, annotating as alice."""
    app = _start(qtbot, ui_settings, prompts, workspace_file)
    yield app
    app.session.close_project()


@pytest.fixture
def sample_gui(
    qtbot: QtBot, ui_settings: QSettings, prompts: ScriptedPrompts, sample_file: Path
) -> Iterator[SpanLabApp]:
    """The main window on a copy of the sample project, annotating as alice."""
    app = _start(qtbot, ui_settings, prompts, sample_file)
    yield app
    app.session.close_project()
