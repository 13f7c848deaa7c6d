"""File › Import Annotations: annotation files into the open project, in the background."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from spanlab.core.exporting import DocumentChoice, ExportSelection, export_project
from spanlab.core.project import Project
from spanlab.core.stats import project_stats
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dialogs.import_annotations_dialog import ImportAnnotationsDialog


def _export_sample(sample_file: Path, out: Path) -> list[Path]:
    with Project.open(sample_file) as project:
        report = export_project(
            project,
            format="jsonl",
            out_dir=out,
            selection=ExportSelection(documents=DocumentChoice.ALL),
        )
    assert report.ok, report.failed
    return report.files


def test_imports_a_jsonl_export_into_a_fresh_project(
    qtbot: QtBot, gui: SpanLabApp, sample_file: Path, tmp_path: Path
) -> None:
    files = _export_sample(sample_file, tmp_path / "export")
    before = gui.session.project.document_count()  # type: ignore[union-attr]
    changed: list[bool] = []
    gui.session.documents_changed.connect(lambda: changed.append(True))
    gui.actions.action("file.import_annotations").trigger()
    dialog = gui.window.findChild(ImportAnnotationsDialog)
    assert isinstance(dialog, ImportAnnotationsDialog) and dialog.isVisible()
    dialog.add_paths([str(f) for f in files])
    dialog.set_format("jsonl")
    assert not dialog.annotator_required()
    dialog.add_labels.setChecked(True)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    report = dialog.report
    assert report is not None
    assert report.imported_files, dialog.summary.toPlainText()
    assert "Imported 1 of 1 file(s)" in dialog.summary.toPlainText()
    assert changed
    with Project.open(sample_file) as source:
        expected = project_stats(source)
    stats = project_stats(gui.session.project)  # type: ignore[arg-type]
    assert stats.documents == before + expected.documents
    assert stats.span_total("bob") == expected.span_total("bob")
    dialog.close()


def test_annotator_is_required_for_formats_without_one(
    qtbot: QtBot, gui: SpanLabApp, tmp_path: Path
) -> None:
    dialog = ImportAnnotationsDialog(gui.session, gui.window)
    qtbot.addWidget(dialog)
    dialog.add_paths([str(tmp_path / "x.conll")])
    dialog.set_format("conll")
    assert dialog.annotator_required()
    dialog.import_button.click()
    assert "Enter the annotator" in dialog.summary.toPlainText()
    assert dialog.job is None


def test_bad_file_is_skipped_with_a_reason(qtbot: QtBot, gui: SpanLabApp, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"not": "spanlab"}\n', encoding="utf-8")
    dialog = ImportAnnotationsDialog(gui.session, gui.window)
    qtbot.addWidget(dialog)
    dialog.add_paths([str(bad)])
    dialog.set_format("jsonl")
    dialog.annotator.setText("carol")
    dialog.import_button.click()
    qtbot.waitUntil(
        lambda: dialog.report is not None or "failed" in dialog.summary.toPlainText(),
        timeout=20000,
    )
    text = dialog.summary.toPlainText()
    assert "Skipped" in text or "failed" in text
    assert "bad.jsonl" in text or "failed" in text
