"""run_job: results, errors and progress come back on the GUI thread; cancel is seen."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread
from pytestqt.qtbot import QtBot

from spanlab.core.errors import InputError
from spanlab.ui.jobs import JobContext, run_job


def test_success_and_progress_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    gui_thread = QThread.currentThread()
    seen: list[object] = []
    progress: list[tuple[int, int, str]] = []

    def work(context: JobContext) -> str:
        seen.append(threading.current_thread() is threading.main_thread())
        context.progress(1, 2, "a.txt")
        return "result"

    def done(result: str) -> None:
        seen.append((result, QThread.currentThread() is gui_thread))

    job = run_job(owner, work, on_success=done, on_error=seen.append)
    job.progress_changed.connect(lambda d, t, c: progress.append((d, t, c)))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert seen == [False, ("result", True)]
    assert progress == [(1, 2, "a.txt")]
    assert not job.running


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (InputError("a.txt", "invalid UTF-8"), "a.txt: invalid UTF-8"),
        (ZeroDivisionError("boom"), "internal error: ZeroDivisionError: boom"),
    ],
)
def test_errors_become_messages(qtbot: QtBot, error: Exception, message: str) -> None:
    owner = QObject()
    errors: list[str] = []

    def work(context: JobContext) -> None:
        raise error

    job = run_job(owner, work, on_success=lambda _r: None, on_error=errors.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert errors == [message]


def test_cancel_is_visible_to_the_job(qtbot: QtBot) -> None:
    owner = QObject()
    started = threading.Event()
    results: list[bool] = []

    def work(context: JobContext) -> bool:
        started.set()
        for _ in range(500):
            if context.cancelled():
                return True
            threading.Event().wait(0.01)
        return False

    job = run_job(owner, work, on_success=results.append, on_error=lambda _m: None)
    assert started.wait(5)
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert results == [True]
