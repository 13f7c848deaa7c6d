"""The curation window driven like a curator: keys and clicks on the sample project.

The sample project holds alice's and bob's work; document 3 has two label conflicts
("Geneva talks"), document 1 boundary conflicts. Every check reads the store (gold's
spans, relations, statuses) rather than the widgets' own state.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts, drag, key

from spanlab.core.commands import AddSpan
from spanlab.core.curation import (
    AttributeCandidate,
    CandidateStatus,
    CurationState,
    Decision,
    MergeStrategy,
    SpanCandidate,
    curation_state,
    curation_view,
    preview_merge,
    set_role,
)
from spanlab.core.entities import CreateEntity
from spanlab.core.exporting import DocumentChoice, ExportMode, ExportSelection, export_project
from spanlab.core.model import GOLD_ANNOTATOR, Span
from spanlab.core.project import Project
from spanlab.ui.app import SpanLabApp
from spanlab.ui.curation.candidate_tree import item_key
from spanlab.ui.curation.window import CurationWindow

LABEL_CONFLICTS = 3  # "Türkiye and Denmark co-host Geneva talks ..."
BOUNDARIES = 1


def project_of(app: SpanLabApp) -> Project:
    project = app.session.project
    assert project is not None
    return project


def gold_spans(app: SpanLabApp, document_id: int) -> list[Span]:
    project = project_of(app)
    gold = project.annotator(GOLD_ANNOTATOR)
    return [] if gold is None else project.spans(document_id, gold.id)


def gold_keys(app: SpanLabApp, document_id: int) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for s in gold_spans(app, document_id)}


def open_curation(qtbot: QtBot, app: SpanLabApp, document_id: int) -> CurationWindow:
    """Open the document in the workspace, then Project › Curate Document (Ctrl+Shift+C)."""
    app.documents.open(document_id)
    key(
        qtbot,
        app.window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    window = app.window.findChild(CurationWindow)
    assert isinstance(window, CurationWindow) and window.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tree.setFocus()
    return window


def select(window: CurationWindow, candidate: SpanCandidate) -> None:
    assert window.select(item_key(candidate))


def test_the_window_lists_every_candidate_coloured_by_status(
    qtbot: QtBot, sample_gui: SpanLabApp
) -> None:
    window = open_curation(qtbot, sample_gui, LABEL_CONFLICTS)
    view = curation_view(project_of(sample_gui), LABEL_CONFLICTS)
    assert window.document_id == LABEL_CONFLICTS
    assert set(window.tree.keys()) == {item_key(i) for i in view.items()}
    conflict = next(c for c in view.spans if c.status is CandidateStatus.CONFLICTING_LABEL)
    assert window.tree.row_text(item_key(conflict), 2) == "conflicting label"
    assert window.tree.row_text(item_key(conflict), 1) == ", ".join(conflict.holders)
    assert window.tree.row_text(item_key(conflict), 3) == "open"
    assert "not started" in window.header.text()
    assert window.state.currentData() == CurationState.NOT_STARTED.value
    # Selecting a candidate outlines it in the gold text and explains the conflict.
    select(window, conflict)
    assert "competes with" in window.details.text()
    # Its text is selected in the gold view (a label key would label it in gold).
    assert window.text.selection_range() == (conflict.start, conflict.end)
    assert window.text.cursor_position() in (conflict.start, conflict.end)


def test_accept_and_reject_with_keys_then_undo_and_redo(
    qtbot: QtBot, sample_gui: SpanLabApp
) -> None:
    window = open_curation(qtbot, sample_gui, LABEL_CONFLICTS)
    view = curation_view(project_of(sample_gui), LABEL_CONFLICTS)
    first, *_ = [c for c in view.spans if c.status is CandidateStatus.CONFLICTING_LABEL]
    rival = view.spans[first.conflicts[0]]
    select(window, first)
    key(qtbot, window.tree, Qt.Key.Key_A)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {tuple(first.key)}
    assert window.tree.row_text(item_key(first), 3) == "✓ in gold"
    assert window.tree.row_text(item_key(rival), 3) == "✗ rejected"
    assert curation_state(project_of(sample_gui), LABEL_CONFLICTS) is CurationState.IN_PROGRESS

    # Accepting the rival instead (Enter) replaces gold's version: one gold span.
    select(window, rival)
    key(qtbot, window.tree, Qt.Key.Key_Return)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {tuple(rival.key)}

    # X on an accepted candidate takes it out of gold.
    key(qtbot, window.tree, Qt.Key.Key_X)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == set()

    ctrl = Qt.KeyboardModifier.ControlModifier
    key(qtbot, window.tree, Qt.Key.Key_Z, ctrl)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {tuple(rival.key)}
    key(qtbot, window.tree, Qt.Key.Key_Z, ctrl)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {tuple(first.key)}
    key(qtbot, window.tree, Qt.Key.Key_Z, ctrl, times=1)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == set()
    assert window.tree.row_text(item_key(first), 3) == "open"
    key(qtbot, window.tree, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {tuple(first.key)}


def test_rejecting_an_open_candidate_keeps_gold_unchanged_and_moves_on(
    qtbot: QtBot, sample_gui: SpanLabApp
) -> None:
    window = open_curation(qtbot, sample_gui, LABEL_CONFLICTS)
    key(qtbot, window.tree, Qt.Key.Key_N)
    first = window.current_item()
    assert first is not None and first.unresolved
    key(qtbot, window.tree, Qt.Key.Key_X)
    assert gold_spans(sample_gui, LABEL_CONFLICTS) == []
    assert window.tree.row_text(item_key(first), 3) == "✗ passed"
    following = window.current_item()
    assert following is not None and following != first
    # Delete in the list rejects as well.
    key(qtbot, window.tree, Qt.Key.Key_Delete)
    assert window.tree.row_text(item_key(following), 3) == "✗ passed"
    assert gold_spans(sample_gui, LABEL_CONFLICTS) == []


def test_next_and_previous_open_candidate(qtbot: QtBot, sample_gui: SpanLabApp) -> None:
    window = open_curation(qtbot, sample_gui, BOUNDARIES)
    view = curation_view(project_of(sample_gui), BOUNDARIES)
    pending = view.unresolved()
    key(qtbot, window.tree, Qt.Key.Key_N)
    assert window.current_item() == pending[0]
    key(qtbot, window.tree, Qt.Key.Key_F8)
    assert window.current_item() == pending[1]
    key(qtbot, window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert window.current_item() == pending[0]
    key(qtbot, window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)  # wraps
    assert window.current_item() == pending[-1]
    # Accepting the first conflict decides its rival too: N skips both.
    conflict = next(c for c in view.spans if c.status is CandidateStatus.CONFLICTING_BOUNDARIES)
    select(window, conflict)
    key(qtbot, window.tree, Qt.Key.Key_A)
    after = curation_view(project_of(sample_gui), BOUNDARIES)
    decided = {item_key(i) for i in after.items() if not i.unresolved}
    assert item_key(conflict) in decided
    for _ in range(len(after.unresolved())):
        key(qtbot, window.tree, Qt.Key.Key_N)
        current = window.current_item()
        assert current is not None and item_key(current) not in decided


def test_edit_gold_directly_with_label_keys_and_delete(
    qtbot: QtBot, sample_gui: SpanLabApp
) -> None:
    window = open_curation(qtbot, sample_gui, LABEL_CONFLICTS)
    text = project_of(sample_gui).document(LABEL_CONFLICTS).text
    start = text.index("GENEVA")
    end = start + len("GENEVA")
    window.text.setFocus()
    drag(qtbot, window.text, start, end)
    assert window.text.selection_range() == (start, end)
    key(qtbot, window.text, Qt.Key.Key_6)  # LOCATION
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {(start, end, "LOCATION")}
    # The curator's own span is listed as gold-only and shown in the gold text.
    assert any(k[0] == "gold" for k in window.tree.keys())  # noqa: SIM118
    assert any(s.label == "LOCATION" for s in window.text.spans_at_cursor())
    key(qtbot, window.text, Qt.Key.Key_7)  # relabel the span at the cursor: EVENT
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {(start, end, "EVENT")}
    key(qtbot, window.text, Qt.Key.Key_Delete)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == set()
    ctrl = Qt.KeyboardModifier.ControlModifier
    key(qtbot, window.text, Qt.Key.Key_Z, ctrl)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {(start, end, "EVENT")}
    key(qtbot, window.text, Qt.Key.Key_Z, ctrl)
    key(qtbot, window.text, Qt.Key.Key_Z, ctrl)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == set()
    key(qtbot, window.text, Qt.Key.Key_Y, ctrl)
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == {(start, end, "LOCATION")}


def test_merge_preview_then_apply_as_one_undo_step(qtbot: QtBot, sample_gui: SpanLabApp) -> None:
    window = open_curation(qtbot, sample_gui, BOUNDARIES)
    project = project_of(sample_gui)
    key(qtbot, window.tree, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = window.merge_dialog
    assert dialog is not None and dialog.isVisible()
    expected = preview_merge(project, BOUNDARIES, MergeStrategy.unanimous())
    assert dialog.preview is not None and dialog.preview.merged == expected.merged
    sections = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    assert sections[0] is not None and sections[0].childCount() == expected.merged
    assert sections[1] is not None and sections[1].childCount() == len(expected.left)
    assert f"leaves {len(expected.left)} for you" in dialog.summary.text()
    assert gold_spans(sample_gui, BOUNDARIES) == []  # a preview changes nothing

    dialog.set_strategy(MergeStrategy.prefer("bob"))
    bob = preview_merge(project, BOUNDARIES, MergeStrategy.prefer("bob"))
    assert dialog.preview is not None and dialog.preview.merged == bob.merged
    dialog.set_strategy(MergeStrategy.majority(3))  # K stops at the two compared layers
    assert dialog.strategy() == MergeStrategy.majority(2)
    dialog.set_strategy(MergeStrategy.empty())
    assert dialog.preview is not None and dialog.preview.merged == 0
    dialog.set_strategy(MergeStrategy.unanimous())
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert gold_keys(sample_gui, BOUNDARIES) == {tuple(s.key) for s in expected.spans}
    gold = project.annotator(GOLD_ANNOTATOR)
    assert gold is not None
    assert len(project.relations(BOUNDARIES, gold.id)) == len(expected.relations)
    left_keys = {item_key(item.item) for item in expected.left}
    assert {item_key(i) for i in window.view.unresolved()} == left_keys  # type: ignore[union-attr]
    key(qtbot, window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold_spans(sample_gui, BOUNDARIES) == []
    assert curation_state(project, BOUNDARIES) is CurationState.NOT_STARTED


def test_mark_curated_and_filter_the_document_list(qtbot: QtBot, sample_gui: SpanLabApp) -> None:
    window = open_curation(qtbot, sample_gui, LABEL_CONFLICTS)
    panel = sample_gui.window.document_panel
    curated = panel.status_filter.findData(f"curation:{CurationState.CURATED.value}")
    not_started = panel.status_filter.findData(f"curation:{CurationState.NOT_STARTED.value}")
    assert curated >= 0 and not_started >= 0
    key(qtbot, window.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert curation_state(project_of(sample_gui), LABEL_CONFLICTS) is CurationState.CURATED
    assert "curated" in window.header.text()
    assert all(not item.unresolved for item in window.view.items())  # type: ignore[union-attr]
    panel.status_filter.setCurrentIndex(curated)
    assert panel.visible_document_ids() == [LABEL_CONFLICTS]
    panel.status_filter.setCurrentIndex(not_started)
    assert LABEL_CONFLICTS not in panel.visible_document_ids()
    assert len(panel.visible_document_ids()) == 7
    # Undo reopens it; the list follows.
    key(qtbot, window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert LABEL_CONFLICTS in panel.visible_document_ids()
    # The state chooser sets any state.
    window.state.setCurrentIndex(window.state.findData(CurationState.IN_PROGRESS.value))
    window.state.activated.emit(window.state.currentIndex())
    assert curation_state(project_of(sample_gui), LABEL_CONFLICTS) is CurationState.IN_PROGRESS
    # The workspace's own span counts ignore gold (alice's column is hers).
    row = panel.source.row_of(LABEL_CONFLICTS)
    assert row is not None
    alice = project_of(sample_gui).annotator("alice")
    assert alice is not None
    count = panel.source.index(row, panel.source.SPANS).data()
    assert count == len(project_of(sample_gui).spans(LABEL_CONFLICTS, alice.id))


def test_gold_export_holds_exactly_what_was_accepted(
    qtbot: QtBot, sample_gui: SpanLabApp, tmp_path: Path
) -> None:
    window = open_curation(qtbot, sample_gui, LABEL_CONFLICTS)
    view = curation_view(project_of(sample_gui), LABEL_CONFLICTS)
    agreed = [c for c in view.spans if c.status is CandidateStatus.ALL_AGREE][:3]
    for candidate in agreed:
        select(window, candidate)
        key(qtbot, window.tree, Qt.Key.Key_A)
    conflict = next(c for c in view.spans if c.status is CandidateStatus.CONFLICTING_LABEL)
    select(window, conflict)
    key(qtbot, window.tree, Qt.Key.Key_A)
    rejected = agreed[0]
    select(window, rejected)
    key(qtbot, window.tree, Qt.Key.Key_X)
    key(qtbot, window.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    accepted = {tuple(c.key) for c in [*agreed[1:], conflict]}
    assert gold_keys(sample_gui, LABEL_CONFLICTS) == accepted

    out = tmp_path / "gold"
    report = export_project(
        project_of(sample_gui),
        format="jsonl",
        out_dir=out,
        selection=ExportSelection(mode=ExportMode.GOLD, documents=DocumentChoice.DONE),
    )
    assert report.ok and report.documents == 1
    (path,) = sorted(out.rglob("*.jsonl"))
    (record,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    (layer,) = record["annotations"]
    assert layer["annotator"] == GOLD_ANNOTATOR
    exported = [(s["start"], s["end"], s["label"]) for s in layer["spans"]]
    assert sorted(exported) == sorted(accepted)


def test_attribute_and_entity_candidates_are_curated_too(
    qtbot: QtBot, sample_gui: SpanLabApp
) -> None:
    project = project_of(sample_gui)
    document_id = 2  # alice and bob give one relation's "certainty" different values
    view = curation_view(project, document_id)
    (attribute,) = view.attributes
    owner = view.relations[attribute.owner]
    # Both annotators group the same two PERSON mentions into one entity.
    persons = [c for c in view.spans if c.label == "PERSON" and c.votes == 2][:2]
    for name in ("alice", "bob"):
        person = project.annotator(name)
        assert person is not None
        mentions = [c.spans[name].id for c in persons]
        project.execute(CreateEntity(document_id, person.id, "Same person", mentions))

    window = open_curation(qtbot, sample_gui, document_id)
    assert window.view is not None
    (entity,) = window.view.entities
    assert window.tree.row_text(item_key(attribute), 2) == "values differ"
    assert window.select(item_key(attribute))
    key(qtbot, window.tree, Qt.Key.Key_A)  # refused: gold lacks the relation
    assert "accept the relation first" in window.status.currentMessage()
    assert window.select(item_key(owner))
    key(qtbot, window.tree, Qt.Key.Key_A)  # the relation comes with its two ends
    assert window.select(item_key(attribute))
    taken = window.current_item()  # the relation brought alice's (the first) value
    assert isinstance(taken, AttributeCandidate)
    assert taken.gold_value == attribute.values["alice"]
    assert window.tree.row_text(item_key(attribute), 3) == "✓ in gold"
    assert window.accept("bob")  # the list's context menu: "Accept bob's version"
    gold = project.annotator(GOLD_ANNOTATOR)
    assert gold is not None
    (relation,) = project.relations(document_id, gold.id)
    assert relation.label == owner.label
    assert relation.attributes[attribute.name] == attribute.values["bob"]

    assert window.select(item_key(entity))
    key(qtbot, window.tree, Qt.Key.Key_A)
    (gold_entity,) = project.entities(document_id, gold.id)
    assert gold_entity.name == "Same person"
    assert window.view.entities[0].decision is Decision.ACCEPTED
    members = {(s.start, s.end) for s in project.spans(document_id, gold.id) if s.entity_id}
    assert members == {(c.start, c.end) for c in persons}


def test_annotators_may_not_curate_once_roles_are_set(
    qtbot: QtBot, sample_gui: SpanLabApp, prompts: ScriptedPrompts
) -> None:
    project = project_of(sample_gui)
    set_role(project, "bob", "curator")
    sample_gui.documents.open(1)
    sample_gui.actions.action("project.curate").trigger()
    assert sample_gui.window.findChild(CurationWindow) is None
    ((title, message),) = prompts.errors
    assert title == "Curate document"
    assert "alice (annotator) may not curate" in message and "bob" in message
    set_role(project, "alice", "manager")
    sample_gui.actions.action("project.curate").trigger()
    window = sample_gui.window.findChild(CurationWindow)
    assert isinstance(window, CurationWindow) and window.isVisible()
    sample_gui.session.set_annotator("bob")  # a curator: the window stays
    assert window.isVisible()
    sample_gui.session.set_annotator("carol")  # a new annotator: it closes
    assert not window.isVisible()


def test_edits_made_in_the_workspace_show_up_and_clicks_work(
    qtbot: QtBot, sample_gui: SpanLabApp
) -> None:
    window = open_curation(qtbot, sample_gui, BOUNDARIES)
    before = len(window.tree.keys())
    project = project_of(sample_gui)
    alice = project.annotator("alice")
    assert alice is not None
    text = project.document(BOUNDARIES).text
    start = text.index("Friday")
    assert window.view is not None
    last = window.view.spans[-1]  # its index shifts when a span is added before it
    assert window.select(item_key(last))
    assert sample_gui.session.run(AddSpan(BOUNDARIES, alice.id, "EVENT", start, start + 6))
    current = window.current_item()
    assert isinstance(current, SpanCandidate) and current.key == last.key  # still selected
    assert item_key(current) != item_key(last)
    assert len(window.tree.keys()) == before + 1
    assert window.view is not None
    (candidate,) = [c for c in window.view.spans if c.key == (start, start + 6, "EVENT")]
    added = item_key(candidate)
    assert window.tree.row_text(added, 1) == "alice"
    # The toolbar buttons do what the keys do.
    toolbar = window.findChild(QToolBar, "curationToolbar")
    assert isinstance(toolbar, QToolBar)
    assert window.select(added)
    button = toolbar.widgetForAction(window.actions_by_id["accept"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert (start, start + 6, "EVENT") in gold_keys(sample_gui, BOUNDARIES)
    button = toolbar.widgetForAction(window.actions_by_id["reject"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert (start, start + 6, "EVENT") not in gold_keys(sample_gui, BOUNDARIES)


def test_next_and_previous_document(qtbot: QtBot, sample_gui: SpanLabApp) -> None:
    window = open_curation(qtbot, sample_gui, BOUNDARIES)
    alt = Qt.KeyboardModifier.AltModifier
    key(qtbot, window.tree, Qt.Key.Key_Down, alt)
    assert window.document_id == BOUNDARIES + 1
    assert window.windowTitle().endswith(project_of(sample_gui).document(2).title)
    view = curation_view(project_of(sample_gui), BOUNDARIES + 1)
    assert set(window.tree.keys()) == {item_key(i) for i in view.items()}
    key(qtbot, window.tree, Qt.Key.Key_Up, alt)
    key(qtbot, window.tree, Qt.Key.Key_Up, alt)  # no document before the first
    assert window.document_id == BOUNDARIES
    assert "No more documents" in window.status.currentMessage()
