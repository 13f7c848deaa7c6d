"""Unhandled exceptions write a report to the log folder and say where; work is saved."""

from __future__ import annotations

import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts

from spanlab.ui.app import create_app
from spanlab.ui.crash import CrashReporter, redact


def _boom() -> None:
    raise RuntimeError("the span table went away")


def _exc_info() -> tuple[type[BaseException], BaseException, object]:
    try:
        _boom()
    except RuntimeError:
        kind, value, tb = sys.exc_info()
        assert kind is not None and value is not None
        return kind, value, tb
    raise AssertionError("unreachable")


def test_excepthook_writes_a_report_and_notifies_with_its_path(tmp_path: Path) -> None:
    told: list[Path] = []
    reporter = CrashReporter(
        tmp_path / "logs",
        notify=told.append,
        project=lambda: "postgresql+psycopg://alice:s3cret@db.example/news?password=also",
        clock=lambda: datetime(2026, 11, 29, 12, 30, 5),
    )
    kind, value, tb = _exc_info()
    reporter.excepthook(kind, value, tb)  # type: ignore[arg-type]
    (report,) = (tmp_path / "logs").glob("crash-*.txt")
    assert report.name.startswith("crash-20261129-123005")
    assert told == [report]
    text = report.read_text(encoding="utf-8")
    assert "RuntimeError: the span table went away" in text and "_boom" in text
    assert "SpanLab: " in text and "Qt: " in text and "Platform: " in text
    assert "Project: postgresql+psycopg://alice:***@db.example/news?password=***" in text
    assert "s3cret" not in text and "also" not in text


def test_two_crashes_in_the_same_instant_get_two_reports(tmp_path: Path) -> None:
    reporter = CrashReporter(tmp_path, clock=lambda: datetime(2026, 1, 1))
    kind, value, tb = _exc_info()
    first = reporter.write_report(kind, value, tb)  # type: ignore[arg-type]
    second = reporter.write_report(kind, value, tb)  # type: ignore[arg-type]
    assert first is not None and second is not None and first != second


def test_the_hook_never_raises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the log folder should be")

    def notify(_path: Path) -> None:
        raise OSError("no display")

    def project() -> str:
        raise ValueError("session gone")

    kind, value, tb = _exc_info()
    CrashReporter(blocked, notify=notify).excepthook(kind, value, tb)  # type: ignore[arg-type]
    assert "the span table went away" in capsys.readouterr().err  # fell back to stderr
    working = CrashReporter(tmp_path / "logs", notify=notify, project=project)
    working.excepthook(kind, value, tb)  # type: ignore[arg-type]
    err = capsys.readouterr().err
    assert "could not show the crash message" in err
    (report,) = (tmp_path / "logs").glob("crash-*.txt")
    assert "Project: (unknown)" in report.read_text(encoding="utf-8")


def test_thread_crash_is_reported_and_notified_in_the_gui_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    told: list[tuple[Path, bool]] = []
    reporter = CrashReporter(
        tmp_path,
        notify=lambda p: told.append((p, threading.current_thread() is threading.main_thread())),
    )
    reporter.install()
    try:
        worker = threading.Thread(target=_boom, name="import-worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(told))
    finally:
        reporter.uninstall()
    (report, in_main_thread), *_ = told
    assert in_main_thread
    assert "Thread: import-worker" in report.read_text(encoding="utf-8")
    assert threading.excepthook is not reporter.thread_excepthook
    assert sys.excepthook is not reporter.excepthook


def test_redact_leaves_plain_paths_alone() -> None:
    assert redact("/home/alice/news.spanlab") == "/home/alice/news.spanlab"
    assert redact("postgresql://bob@db/news") == "postgresql://bob@db/news"


def test_app_crash_hook_tells_the_user_through_prompts(
    qtbot: QtBot, ui_settings: QSettings, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    app = create_app(
        [], settings=ui_settings, prompts=prompts, log_dir=tmp_path / "logs", crash_reports=True
    )
    qtbot.addWidget(app.window)
    assert app.crash_reporter is not None
    try:
        assert sys.excepthook == app.crash_reporter.excepthook
        kind, value, tb = _exc_info()
        sys.excepthook(kind, value, tb)  # type: ignore[arg-type]
    finally:
        app.crash_reporter.uninstall()
    (report,) = (tmp_path / "logs").glob("crash-*.txt")
    ((title, message),) = prompts.errors
    assert "unexpected error" in title
    assert str(report) in message and "Your work is saved" in message
