"""Other people's progress shows up without restarting, and nothing the user is doing moves."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts, show

from spanlab.core.commands import AddSpan, SetStatus
from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project
from spanlab.ui.app import SpanLabApp, create_app
from spanlab.ui.dashboard.overview import ProjectOverview
from spanlab.ui.models.document_list_model import DocumentListModel

POLL_MS = 50


def _team_cell(app: SpanLabApp, title: str) -> str:
    model = app.window.document_panel.source
    for row in range(model.rowCount()):
        if model.summary(row).title == title:
            return str(model.index(row, DocumentListModel.TEAM).data())
    raise AssertionError(f"no document {title!r}")


def _selected_title(app: SpanLabApp) -> str:
    table = app.window.document_panel.table
    return str(table.currentIndex().siblingAtColumn(0).data())


def _other_process_as_bob(path: Path, title: str) -> None:
    """What bob's SpanLab on another desktop does: label a span and mark a document done."""
    with Project.open(path) as other:
        bob = other.ensure_annotator("bob")
        [doc] = [d for d in other.documents() if d.title == title]
        other.execute(AddSpan(doc.id, bob.id, "LOCATION", 0, 6))
        other.execute(SetStatus(doc.id, bob.id, DocumentStatus.DONE))


def test_others_progress_appears_while_the_selection_and_open_document_stay(
    gui: SpanLabApp, qtbot: QtBot, workspace_file: Path
) -> None:
    live = gui.live
    assert live is not None and live.active
    live.set_interval(POLL_MS)
    panel = gui.window.document_panel
    panel.table.setCurrentIndex(panel.proxy.index(1, 0))  # alice opens "Manila forum opens"
    opened = gui.document.document_id
    assert _selected_title(gui) == "Manila forum opens"
    reloads: list[int] = []
    gui.document.document_changed.connect(lambda: reloads.append(1))
    assert _team_cell(gui, "Geneva pledges") == ""
    _other_process_as_bob(workspace_file, "Geneva pledges")
    qtbot.waitUntil(lambda: _team_cell(gui, "Geneva pledges") == "✓ bob", timeout=5000)
    assert _selected_title(gui) == "Manila forum opens"
    assert gui.document.document_id == opened and reloads == []
    tip = panel.source.index(2, DocumentListModel.TEAM).data(Qt.ItemDataRole.ToolTipRole)
    assert "Done by: bob" in str(tip)


def test_documents_imported_elsewhere_join_the_list(
    gui: SpanLabApp, qtbot: QtBot, workspace_file: Path
) -> None:
    assert gui.live is not None
    gui.live.set_interval(POLL_MS)
    before = gui.document.document_id
    with Project.open(workspace_file) as other, other.edit() as store:
        store.insert_documents([{"title": "Lima summit", "text": "Lima summit.", "sha256": "x"}])
    panel = gui.window.document_panel
    qtbot.waitUntil(lambda: panel.source.rowCount() == 4, timeout=5000)
    assert gui.document.document_id == before
    assert panel.source.row_of(int(before or 0)) is not None
    assert _selected_title(gui) == panel.source.summary(0).title


def test_own_edits_do_not_trigger_a_refresh(gui: SpanLabApp, qtbot: QtBot) -> None:
    live = gui.live
    assert live is not None and gui.session.annotator is not None
    live.timer.stop()  # poll by hand: deterministic
    doc = gui.document.document_id
    assert doc is not None
    gui.session.run(AddSpan(doc, gui.session.annotator.id, "LOCATION", 19, 24))
    with qtbot.assertNotEmitted(live.others_changed):
        live.poll()
    assert live.polls == 1


def test_the_overview_follows_and_polling_stops_with_the_project(
    gui: SpanLabApp, qtbot: QtBot, workspace_file: Path
) -> None:
    live = gui.live
    assert live is not None
    live.set_interval(POLL_MS)
    gui.actions.action("project.overview").trigger()
    overview = gui.window.findChild(ProjectOverview)
    assert isinstance(overview, ProjectOverview)
    qtbot.waitUntil(lambda: overview.data is not None, timeout=5000)
    assert "bob" not in overview.summary.text()
    _other_process_as_bob(workspace_file, "Seoul talks resume")
    qtbot.waitUntil(lambda: "bob: 1 done" in overview.summary.text(), timeout=5000)
    overview.close()
    gui.actions.action("file.close").trigger()
    assert not live.active
    polls = live.polls
    qtbot.wait(POLL_MS * 3)
    assert live.polls == polls


def test_a_server_project_refreshes_the_same_way(
    qtbot: QtBot, ui_settings: QSettings, prompts: ScriptedPrompts, pg_url: str
) -> None:
    with Project.create(pg_url) as lead, lead.edit() as store:
        store.insert_documents(
            [{"title": t, "text": f"{t} in Seoul.", "sha256": t} for t in ("One", "Two")]
        )
    app = create_app([], settings=ui_settings, prompts=prompts)
    qtbot.addWidget(app.window)
    show(qtbot, app)
    app.start(pg_url)
    try:
        assert app.session.project is not None and app.live is not None
        app.live.set_interval(POLL_MS)
        with Project.open(pg_url) as other:
            bob = other.ensure_annotator("bob")
            two = next(d.id for d in other.documents() if d.title == "Two")
            other.execute(SetStatus(two, bob.id, DocumentStatus.DONE))
        qtbot.waitUntil(lambda: _team_cell(app, "Two") == "✓ bob", timeout=5000)
        assert _selected_title(app) == "One"
    finally:
        app.session.close_project()


@pytest.fixture
def with_bob(workspace_file: Path) -> Path:
    """bob already works in the project (so his edits move only his own counter)."""
    with Project.open(workspace_file) as project:
        project.ensure_annotator("bob")
    return workspace_file


def test_only_the_team_column_is_reread_when_only_others_layers_moved(
    with_bob: Path, gui: SpanLabApp, qtbot: QtBot
) -> None:
    live = gui.live
    assert live is not None
    live.timer.stop()  # poll by hand: deterministic
    model = gui.window.document_panel.source
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    with Project.open(with_bob) as other:
        bob = other.annotator("bob")
        assert bob is not None
        manila = next(d.id for d in other.documents() if d.title == "Manila forum opens")
        other.execute(SetStatus(manila, bob.id, DocumentStatus.DONE))
        with qtbot.waitSignal(live.others_changed) as moved:
            live.poll()
        assert moved.args == [frozenset({f"annotator:{bob.id}"})]
        assert _team_cell(gui, "Manila forum opens") == "✓ bob"
        other.execute(SetStatus(manila, bob.id, DocumentStatus.IN_PROGRESS))
        live.poll()
        assert _team_cell(gui, "Manila forum opens") == ""
    assert resets == []
