"""Assignments in the GUI: the lead's Assign dialog, the Team column, "Assigned to me"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts

from spanlab.core.model import DocumentSummary
from spanlab.core.project import Project
from spanlab.core.team.assignments import assign, assignments
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dialogs.assign_dialog import AssignDialog, AssignRequest
from spanlab.ui.models.document_list_model import DocumentListModel

POLL_MS = 50


@pytest.fixture
def prompts() -> ScriptedPrompts:
    """Overrides the GUI fixtures' prompts with ones that also answer the Assign dialog."""
    return ScriptedPrompts()


def _titles(app: SpanLabApp) -> list[str]:
    panel = app.window.document_panel
    return [str(panel.proxy.index(r, 0).data()) for r in range(panel.proxy.rowCount())]


def _team(app: SpanLabApp) -> dict[str, str]:
    model = app.window.document_panel.source
    return {
        model.summary(r).title: str(model.index(r, DocumentListModel.TEAM).data())
        for r in range(model.rowCount())
    }


def _ids(path: Path) -> dict[str, int]:
    with Project.open(path) as project:
        return {d.title: int(d.id) for d in project.documents()}


def test_the_dialog_collects_documents_people_and_the_mode(
    qtbot: QtBot, workspace_file: Path
) -> None:
    with Project.open(workspace_file) as project:
        docs: list[DocumentSummary] = project.documents()
    seoul, manila, geneva = (d.id for d in docs)
    dialog = AssignDialog(docs, ["alice", "bob"], {seoul: ("bob",)})
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.checked_documents() == (manila, geneva)  # the unassigned ones
    assert "bob" in dialog.documents.item(0).text()
    assert not ok.isEnabled() and "annotator" in dialog.problem.text()
    qtbot.keyClicks(dialog.new_person, "carol")
    qtbot.keyClick(dialog.new_person, Qt.Key.Key_Return)
    assert dialog.checked_people() == ("carol",)
    assert dialog.isVisible()  # Enter added carol; it did not close the dialog
    assert ok.isEnabled()
    assert dialog.request() == AssignRequest((manila, geneva), ("carol",))
    dialog.spread.setChecked(True)
    assert not ok.isEnabled() and "2 per document" in dialog.problem.text()
    dialog.set_people_checked(["alice", "bob", "carol"])
    qtbot.mouseClick(dialog.findChild(type(ok), "assignAllDocuments"), Qt.MouseButton.LeftButton)
    assert dialog.request() == AssignRequest((seoul, manila, geneva), ("alice", "bob", "carol"), 2)
    dialog.grab().save("/tmp/assign_dialog.png")


def test_the_lead_assigns_and_the_list_shows_who_and_filters(
    gui: SpanLabApp, prompts: ScriptedPrompts, workspace_file: Path
) -> None:
    ids = _ids(workspace_file)
    panel = gui.window.document_panel
    assert panel.assigned_filter.isHidden()  # nobody has assignments yet
    prompts.assign_answer = lambda docs, people, assigned: AssignRequest(
        (ids["Seoul talks resume"], ids["Geneva pledges"]), ("alice", "bob")
    )
    gui.actions.action("project.assign").trigger()
    assert prompts.errors == []
    project = gui.session.project
    assert project is not None
    stored = assignments(project)
    assert stored == {
        ids["Seoul talks resume"]: ("alice", "bob"),
        ids["Geneva pledges"]: ("alice", "bob"),
    }
    assert _team(gui)["Seoul talks resume"] == "alice, bob"
    assert _team(gui)["Manila forum opens"] == ""
    assert "Assigned 4" in gui.window.status.currentMessage()
    # alice now has assignments: the filter is offered and on.
    assert not panel.assigned_filter.isHidden() and panel.assigned_filter.isChecked()
    assert _titles(gui) == ["Seoul talks resume", "Geneva pledges"]
    panel.assigned_filter.click()
    assert len(_titles(gui)) == 3


def test_spreading_gives_each_document_n_annotators(
    gui: SpanLabApp, prompts: ScriptedPrompts, workspace_file: Path
) -> None:
    ids = _ids(workspace_file)
    prompts.assign_answer = lambda docs, people, assigned: AssignRequest(
        tuple(d.id for d in docs), ("bob", "carol"), per_document=1
    )
    gui.actions.action("project.assign").trigger()
    project = gui.session.project
    assert project is not None
    stored = assignments(project)
    assert set(stored) == set(ids.values())
    assert all(len(names) == 1 for names in stored.values())
    assert sorted(n for names in stored.values() for n in names).count("bob") in (1, 2)
    assert gui.window.document_panel.assigned_filter.isHidden()  # none for alice


@pytest.fixture
def alice_assigned(workspace_file: Path) -> Path:
    with Project.open(workspace_file) as project:
        manila = next(d.id for d in project.documents() if d.title == "Manila forum opens")
        assign(project, [manila], ["alice"])
    return workspace_file


def test_an_annotator_opens_the_project_on_their_assignments(
    alice_assigned: Path, gui: SpanLabApp, prompts: ScriptedPrompts
) -> None:
    panel = gui.window.document_panel
    assert panel.assigned_filter.isChecked()
    assert _titles(gui) == ["Manila forum opens"]
    model = panel.source
    row = model.row_of(_ids(alice_assigned)["Manila forum opens"])
    assert row is not None
    marker = model.index(row, DocumentListModel.TITLE).data(Qt.ItemDataRole.DecorationRole)
    assert marker is not None  # the "assigned to me" marker
    assert "including you" in str(
        model.index(row, DocumentListModel.TEAM).data(Qt.ItemDataRole.ToolTipRole)
    )
    prompts.annotator_answer = "bob"
    gui.actions.action("file.switch_annotator").trigger()
    assert panel.assigned_filter.isHidden() and not panel.assigned_filter.isChecked()
    assert len(_titles(gui)) == 3


def test_a_new_assignment_from_the_lead_appears_live(
    gui: SpanLabApp, qtbot: QtBot, workspace_file: Path
) -> None:
    assert gui.live is not None
    gui.live.set_interval(POLL_MS)
    panel = gui.window.document_panel
    with Project.open(workspace_file) as lead:
        geneva = next(d.id for d in lead.documents() if d.title == "Geneva pledges")
        assign(lead, [geneva], ["alice"])
    qtbot.waitUntil(lambda: panel.assigned_filter.isChecked(), timeout=5000)
    assert _titles(gui) == ["Geneva pledges"]
