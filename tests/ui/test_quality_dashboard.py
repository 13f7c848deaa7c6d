"""The agreement dashboard's "Quality against gold" tab on the sample project."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from spanlab.core.agreement_report import format_value
from spanlab.core.curation import (
    CurationState,
    MergeStrategy,
    SetCurationState,
    apply_merge,
    preview_merge,
    quality_against_gold,
)
from spanlab.core.project import Project
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dashboard.agreement import AgreementDashboard
from spanlab.ui.dashboard.quality import ALL_SPANS, NO_GOLD, NOT_CURATED, GoldQualityPanel


def project_of(app: SpanLabApp) -> Project:
    project = app.session.project
    assert project is not None
    return project


def quality_tab(qtbot: QtBot, app: SpanLabApp) -> GoldQualityPanel:
    app.actions.action("project.agreement").trigger()
    dashboard = app.window.findChild(AgreementDashboard)
    assert isinstance(dashboard, AgreementDashboard)
    dashboard.tabs.setCurrentWidget(dashboard.quality)
    wait(qtbot, dashboard.quality)
    qtbot.waitUntil(lambda: dashboard.report is not None, timeout=30000)
    return dashboard.quality


def wait(qtbot: QtBot, panel: GoldQualityPanel) -> None:
    qtbot.waitUntil(lambda: panel.job is not None and not panel.job.running, timeout=30000)


def curate(project: Project, documents: list[int]) -> None:
    """Start gold from what both agree on, take alice's version of the rest, mark curated."""
    for document_id in documents:
        project.execute(apply_merge(preview_merge(project, document_id, MergeStrategy.unanimous())))
        project.execute(
            apply_merge(preview_merge(project, document_id, MergeStrategy.prefer("alice")))
        )
        project.execute(SetCurationState(document_id, CurationState.CURATED))


def test_without_gold_the_tab_says_how_to_get_one(qtbot: QtBot, sample_gui: SpanLabApp) -> None:
    panel = quality_tab(qtbot, sample_gui)
    assert panel.report is None
    assert panel.note.text() == NO_GOLD
    assert panel.table.isHidden()


def test_gold_without_curated_documents_is_explained(qtbot: QtBot, sample_gui: SpanLabApp) -> None:
    project = project_of(sample_gui)
    project.execute(apply_merge(preview_merge(project, 1, MergeStrategy.unanimous())))
    panel = quality_tab(qtbot, sample_gui)
    assert panel.note.text() == NOT_CURATED
    assert panel.table.isHidden()
    panel.unfinished.setChecked(True)  # count documents being curated
    wait(qtbot, panel)
    assert panel.report is not None and panel.report.curated == (1,)
    assert panel.table.isVisible()


def test_scores_per_annotator_and_label_match_the_core(
    qtbot: QtBot, sample_gui: SpanLabApp
) -> None:
    project = project_of(sample_gui)
    curate(project, [1, 3, 5])
    expected = quality_against_gold(project)
    panel = quality_tab(qtbot, sample_gui)
    assert panel.table.isVisible()
    assert "gold documents: 3 of 8" in panel.note.text()
    for mode in ("exact", "overlap"):
        panel.mode.setCurrentIndex(panel.mode.findData(mode))
        for quality in expected.annotators:
            row = panel.row(quality.name, ALL_SPANS)
            assert row is not None
            score = quality.spans[mode]
            assert row["Precision"] == format_value(score.precision)
            assert row["Recall"] == format_value(score.recall)
            assert row["F1"] == format_value(score.value)
            assert row["Gold"] == str(score.count_a)
            assert row["Annotated"] == str(score.count_b)
            for label, scores in quality.per_label.items():
                cells = panel.row(quality.name, label)
                assert cells is not None
                assert cells["F1"] == format_value(scores[mode].value)
    # alice's version was preferred, so she matches gold exactly; bob does not.
    panel.mode.setCurrentIndex(panel.mode.findData("exact"))
    alice, bob = panel.row("alice", ALL_SPANS), panel.row("bob", ALL_SPANS)
    assert alice is not None and bob is not None
    assert alice["F1"] == "1.000"
    assert bob["F1"] != "1.000"
