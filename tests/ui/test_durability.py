"""Never lose work: a process killed right after an edit loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project

CORE_SCRIPT = """
import sys, time
from spanlab.core.commands import AddSpan, SetStatus, UpdateSpan
from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project

project = Project.open(sys.argv[1])
alice = project.ensure_annotator("alice")
doc = project.documents()[0]
text = project.document(doc.id).text
start = text.index("Baek Tae-jin")
add = AddSpan(doc.id, alice.id, "PERSON", start, start + len("Baek Tae-jin"))
project.execute(add)
project.execute(UpdateSpan(add.span_id, label="ROLE"))
seoul = text.index("Seoul on")
project.execute(AddSpan(doc.id, alice.id, "LOCATION", seoul, seoul + 5))
project.execute(SetStatus(doc.id, alice.id, DocumentStatus.DONE))
print("done", flush=True)
time.sleep(600)
"""

GUI_SCRIPT = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from spanlab.ui.app import create_app

settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
settings.setValue("annotator", "alice")
app = create_app([], settings=settings)
app.window.resize(1000, 700)
app.window.show()
app.window.activateWindow()
QTest.qWaitForWindowActive(app.window)
app.start(sys.argv[1])
view = app.window.document_view
view.setFocus()
QTest.keyClick(view, Qt.Key.Key_Down)
extend = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
QTest.keyClick(view, Qt.Key.Key_Right, extend)
QTest.keyClick(view, Qt.Key.Key_Right, extend)
QTest.keyClick(view, Qt.Key.Key_1)
QTest.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
print("done" if app.session.undo_stack.count() == 2 else "edits failed", flush=True)
app.qapp.exec()
"""


def run_and_kill(script: str, *args: str) -> None:
    """Run ``script``, wait for "done", then SIGKILL it (no cleanup code can run)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if line.strip() != "done":
            process.kill()
            _, err = process.communicate(timeout=30)
            pytest.fail(f"the editing process did not finish its edits: {line!r} {err[-2000:]}")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert process.returncode == -signal.SIGKILL


def test_edits_survive_sigkill_right_after_the_core_commits(workspace_file: Path) -> None:
    run_and_kill(CORE_SCRIPT, str(workspace_file))
    with Project.open(workspace_file) as project:
        alice = project.annotator("alice")
        assert alice is not None
        doc = project.documents()[0]
        spans = project.spans(doc.id, alice.id)
        assert [(s.label, s.text) for s in spans] == [
            ("ROLE", "Baek Tae-jin"),
            ("LOCATION", "Seoul"),
        ]
        assert project.status(doc.id, alice.id).status is DocumentStatus.DONE


def test_edits_made_in_the_window_survive_sigkill(workspace_file: Path, tmp_path: Path) -> None:
    run_and_kill(GUI_SCRIPT, str(workspace_file), str(tmp_path / "settings.ini"))
    with Project.open(workspace_file) as project:
        alice = project.annotator("alice")
        assert alice is not None
        doc = project.documents()[0]
        assert [(s.label, s.text) for s in project.spans(doc.id, alice.id)] == [
            ("PERSON", "Baek Tae-jin")
        ]
        assert project.status(doc.id, alice.id).status is DocumentStatus.DONE
