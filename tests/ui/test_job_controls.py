"""JobControls: the shared Run/Cancel/progress behaviour of the import and export dialogs."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from spanlab.core.errors import InputError
from spanlab.ui.app import SpanLabApp
from spanlab.ui.dialogs.export_dialog import ExportDialog
from spanlab.ui.jobs import JobContext
from spanlab.ui.widgets.job_controls import JobControls


def _controls(qtbot: QtBot) -> JobControls:
    owner = QWidget()
    qtbot.addWidget(owner)
    return JobControls(owner, run_text="&Go", name="test", describe_current=str.upper)


def test_running_job_shows_progress_and_cancel_then_returns_to_rest(qtbot: QtBot) -> None:
    controls = _controls(qtbot)
    release = threading.Event()
    seen = threading.Event()
    results: list[str] = []

    def work(context: JobContext) -> str:
        context.progress(1, 4, "b.txt")
        seen.set()
        release.wait(5)
        return "cancelled" if context.cancelled() else "done"

    controls.start(work, on_success=results.append, on_error=results.append)
    assert controls.running
    assert not controls.run_button.isEnabled() and controls.cancel_button.isEnabled()
    assert not controls.progress.isHidden()
    qtbot.waitUntil(lambda: controls.label.text() == "B.TXT", timeout=5000)
    assert (controls.progress.value(), controls.progress.maximum()) == (1, 4)
    controls.cancel_button.click()
    assert controls.label.text() == "Cancelling…"
    release.set()
    qtbot.waitUntil(lambda: results == ["cancelled"], timeout=5000)
    assert controls.run_button.isEnabled() and not controls.cancel_button.isEnabled()
    assert controls.progress.isHidden() and controls.label.text() == ""


def test_failure_reaches_the_caller_with_controls_at_rest(qtbot: QtBot) -> None:
    controls = _controls(qtbot)
    errors: list[str] = []

    def work(context: JobContext) -> None:
        raise InputError("broken.jsonl", "not JSON", line=3)

    controls.start(work, on_success=lambda _: None, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["broken.jsonl:3: not JSON"]
    assert controls.run_button.isEnabled() and not controls.running


def test_export_action_raises_the_open_dialog_instead_of_a_second(
    qtbot: QtBot, sample_gui: SpanLabApp
) -> None:
    sample_gui.actions.action("file.export").trigger()
    first = sample_gui.window.findChild(ExportDialog)
    sample_gui.actions.action("file.export").trigger()
    assert sample_gui.window.findChildren(ExportDialog) == [first]
    assert isinstance(first, ExportDialog)
    first.close()
    sample_gui.actions.action("file.export").trigger()
    qtbot.waitUntil(lambda: len(sample_gui.window.findChildren(ExportDialog)) == 1)
    reopened = sample_gui.window.findChildren(ExportDialog)[0]
    assert reopened is not first and reopened.isVisible()
    reopened.close()
