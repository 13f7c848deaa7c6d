"""Project › Agreement and Project › Overview on the sample project (alice and bob)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from spanlab.core.agreement_report import compute_agreement, disagreements
from spanlab.core.model import DocumentStatus
from spanlab.core.stats import project_stats
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dashboard.agreement import AgreementDashboard
from spanlab.ui.dashboard.overview import ProjectOverview
from spanlab.ui.dashboard.side_by_side import SideBySideDialog


@pytest.fixture
def dashboard(qtbot: QtBot, sample_gui: SpanLabApp) -> AgreementDashboard:
    sample_gui.actions.action("project.agreement").trigger()
    found = sample_gui.window.findChild(AgreementDashboard)
    assert isinstance(found, AgreementDashboard)
    qtbot.waitUntil(lambda: found.report is not None, timeout=30000)
    return found


def test_matrix_matches_compute_agreement(
    dashboard: AgreementDashboard, sample_gui: SpanLabApp
) -> None:
    expected = compute_agreement(sample_gui.session.project)  # type: ignore[arg-type]
    assert expected.annotators == ("alice", "bob")
    key = dashboard.metric_key()
    value = expected.matrix(key)[0][1]
    assert value is not None
    assert dashboard.heatmap.value(0, 1) == pytest.approx(value)
    assert dashboard.heatmap.value(1, 0) == pytest.approx(value)
    assert "Documents used: 6 of 8" in dashboard.documents_used.text()
    assert dashboard.definition.text().startswith("Pairwise F1") or dashboard.definition.text()
    assert dashboard.labels.rowCount() == len(expected.per_label)
    assert dashboard.documents.rowCount() == len(expected.documents_by_disagreement)
    assert dashboard.confusion.rowCount() > 0


def test_metric_chooser_changes_the_matrix(
    dashboard: AgreementDashboard, sample_gui: SpanLabApp
) -> None:
    expected = compute_agreement(sample_gui.session.project)  # type: ignore[arg-type]
    first = dashboard.heatmap.value(0, 1)
    dashboard.set_metric("token_cohen_kappa")
    assert "kappa" in dashboard.definition.text().lower()
    assert dashboard.heatmap.value(0, 1) == pytest.approx(
        expected.matrix("token_cohen_kappa")[0][1]
    )
    assert dashboard.heatmap.value(0, 1) != first


def test_clicking_a_document_lists_disagreements_and_opens_side_by_side(
    qtbot: QtBot, dashboard: AgreementDashboard, sample_gui: SpanLabApp
) -> None:
    report = dashboard.report
    assert report is not None
    top = report.documents_by_disagreement[0]
    dashboard.documents.setCurrentCell(0, 0)
    expected = disagreements(
        sample_gui.session.project,  # type: ignore[arg-type]
        top.document_id,
        "alice",
        "bob",
    )
    assert expected
    assert dashboard.disagreement_list.count() == len(expected)
    side = dashboard.open_side_by_side()
    assert isinstance(side, SideBySideDialog)
    qtbot.addWidget(side)
    project = sample_gui.session.project
    assert project is not None
    ids = report.annotator_ids
    assert len(side.indexes[0]) == len(project.spans(top.document_id, ids["alice"]))
    assert len(side.indexes[1]) == len(project.spans(top.document_id, ids["bob"]))
    assert side.list.count() == len(expected)
    side.list.setCurrentRow(0)
    assert side.views[0].toPlainText() == side.views[1].toPlainText()


def test_clicking_a_matrix_cell_lists_the_pairs_disagreements(
    qtbot: QtBot, dashboard: AgreementDashboard
) -> None:
    rect = dashboard.heatmap.cell_rect(1, 0)
    qtbot.mouseClick(
        dashboard.heatmap,
        __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.MouseButton.LeftButton,
        pos=rect.center().toPoint(),
    )
    assert dashboard.pair == ("bob", "alice")
    assert dashboard.disagreement_list.count() > 0


def test_overview_shows_the_stats(qtbot: QtBot, sample_gui: SpanLabApp) -> None:
    sample_gui.actions.action("project.overview").trigger()
    overview = sample_gui.window.findChild(ProjectOverview)
    assert isinstance(overview, ProjectOverview)
    qtbot.waitUntil(lambda: overview.data is not None, timeout=30000)
    stats = project_stats(sample_gui.session.project)  # type: ignore[arg-type]
    assert overview.progress.categories == stats.annotators
    bob = overview.progress.values[stats.annotators.index("bob")]
    assert bob == (
        float(stats.statuses["bob"][DocumentStatus.DONE]),
        float(stats.statuses["bob"][DocumentStatus.IN_PROGRESS]),
        float(stats.statuses["bob"][DocumentStatus.NEW]),
    )
    assert bob[:2] == (6.0, 2.0)
    alice_total = sum(row[0] for row in overview.labels.values)
    assert alice_total == stats.span_total("alice")
    assert sum(sum(row) for row in overview.pace.values) == 14.0
    assert "8 documents" in overview.summary.text()
