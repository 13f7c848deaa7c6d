"""File › Export: the dialog runs the same core export as the CLI, in the background."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from spanlab.core.exporting import export_project
from spanlab.core.formats.base import ExportReport
from spanlab.core.project import Project
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dialogs.export_dialog import ExportDialog, describe_export, format_summary


def _dialog(qtbot: QtBot, app: SpanLabApp, **kwargs: Any) -> ExportDialog:
    dialog = ExportDialog(app.session, app.window, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _run(qtbot: QtBot, dialog: ExportDialog) -> ExportReport:
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.report is not None
    return dialog.report


def test_menu_action_opens_the_dialog(qtbot: QtBot, sample_gui: SpanLabApp) -> None:
    sample_gui.actions.action("file.export").trigger()
    dialog = sample_gui.window.findChild(ExportDialog)
    assert isinstance(dialog, ExportDialog)
    assert dialog.isVisible()
    assert dialog.format.count() >= 2
    assert "exports" in dialog.out_dir.text()
    dialog.close()


def test_exports_jsonl_of_one_annotator(
    qtbot: QtBot, sample_gui: SpanLabApp, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, sample_gui)
    dialog.set_format("jsonl")
    dialog.set_out_dir(tmp_path / "out-jsonl")
    dialog.annotator.setCurrentText("alice")
    report = _run(qtbot, dialog)
    assert report.ok, report.failed
    assert (tmp_path / "out-jsonl" / "documents.jsonl").exists() or report.files
    assert all(path.exists() for path in report.files)
    assert report.documents == 8
    text = dialog.summary.toPlainText()
    assert "Exported 8 document(s)" in text
    assert f"{report.spans} span(s)" in text
    # the same function with the same choices gives the same figures (the CLI's path)
    with Project.open(sample_gui.session.project.url) as project:  # type: ignore[union-attr]
        direct = export_project(
            project,
            format="jsonl",
            out_dir=tmp_path / "direct",
            selection=dialog.selection(),
            options=dialog.options(),
        )
    assert (direct.documents, direct.spans, direct.relations) == (
        report.documents,
        report.spans,
        report.relations,
    )


def test_exports_conll_per_annotator_with_split(
    qtbot: QtBot, sample_gui: SpanLabApp, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, sample_gui)
    dialog.set_format("conll")
    assert dialog.scheme.isEnabled() and dialog.alignment.isEnabled()
    assert "Cannot carry" in dialog.format_info.text()
    dialog.set_out_dir(tmp_path / "out-conll")
    dialog.mode.setCurrentIndex(dialog.mode.findData("each"))
    dialog.all_documents.setCurrentIndex(1)  # all documents
    dialog.split.setChecked(True)
    dialog.seed.setValue(7)
    report = _run(qtbot, dialog)
    assert report.ok, report.failed
    assert report.files and all(path.exists() for path in report.files)
    assert (tmp_path / "out-conll" / "alice").is_dir()
    assert (tmp_path / "out-conll" / "bob").is_dir()
    text = dialog.summary.toPlainText()
    assert "span(s)" in text
    if report.left_out:
        reason, count = report.left_out.most_common(1)[0]
        assert f"{count} {reason}" in text


def test_non_empty_folder_is_refused_with_a_reason(
    qtbot: QtBot, sample_gui: SpanLabApp, tmp_path: Path
) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("x", encoding="utf-8")
    dialog = _dialog(qtbot, sample_gui)
    dialog.set_format("jsonl")
    dialog.set_out_dir(target)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: "failed" in dialog.summary.toPlainText(), timeout=20000)
    assert "not empty" in dialog.summary.toPlainText()
    assert dialog.export_button.isEnabled()


def test_cancel_writes_nothing(qtbot: QtBot, sample_gui: SpanLabApp, tmp_path: Path) -> None:
    started = threading.Event()

    def slow_export(project: Project, **kwargs: Any) -> ExportReport:
        started.set()
        cancel = kwargs["cancel"]
        deadline = time.monotonic() + 10
        while not cancel() and time.monotonic() < deadline:
            time.sleep(0.01)
        return export_project(project, **kwargs)

    dialog = _dialog(qtbot, sample_gui, runner=slow_export)
    dialog.set_format("jsonl")
    dialog.set_out_dir(tmp_path / "cancelled")
    dialog.export_button.click()
    assert dialog.cancel_button.isEnabled()
    qtbot.waitUntil(started.is_set, timeout=5000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.report is not None and dialog.report.cancelled
    assert "cancelled" in dialog.summary.toPlainText()
    assert not (tmp_path / "cancelled").exists() or not any((tmp_path / "cancelled").iterdir())


def test_every_format_has_a_description() -> None:
    description, missing = format_summary("conll")
    assert "CoNLL" in description
    assert "relations" in missing
    assert format_summary("jsonl")[1] == ""


def test_summary_lists_left_out_and_misaligned() -> None:
    report = ExportReport(format="conll", documents=2, spans=5)
    report.leave_out("relations (conll has no relations)", 3)
    report.misalign("'Seoul' [3, 8) in doc 1")
    text = describe_export(report)
    assert "3 relations (conll has no relations)" in text
    assert "1 span(s) did not align" in text
    assert "Seoul" in text
