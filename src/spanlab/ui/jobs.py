"""The one way to run long work off the GUI thread: ``run_job`` on the global ``QThreadPool``.

A job is a plain function taking a :class:`JobContext`; it must open its own
``Project`` (database connections are not shared across threads) and return an
immutable result. Progress, success and failure arrive on the GUI thread through
queued signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from spanlab.core.errors import SpanLabError

log = logging.getLogger(__name__)

T = TypeVar("T")


class JobContext:
    """What a running job may use: report progress and ask whether it was cancelled."""

    def __init__(self, signals: _JobSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, current: str) -> None:
        """Report progress (safe from the worker thread)."""
        self._signals.progress_changed.emit(done, total, current)

    def cancelled(self) -> bool:
        """Whether the user asked the job to stop."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop at its next check."""
        self._cancel.set()


class _JobSignals(QObject):
    """Signals:
    progress_changed(int, int, str): done, total, current item.
    succeeded(object): the job's result.
    failed(str): a message for the user.
    """

    progress_changed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[JobContext], Any], context: JobContext, signals: _JobSignals):
        super().__init__()
        self._fn = fn
        self._context = context
        self._signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn(self._context)
        except SpanLabError as exc:
            self._signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: report it instead of losing the thread silently
            log.exception("background job failed")
            self._signals.failed.emit(f"internal error: {type(exc).__name__}: {exc}")
        else:
            self._signals.succeeded.emit(result)


class Job(QObject, Generic[T]):
    """A handle on a started job: cancel it or watch its signals.

    The callbacks run on the GUI thread, because the job lives there and the worker's
    signals reach its slots through queued connections.

    Signals:
        progress_changed(int, int, str): done, total, current item.
        finished(): after the success or error callback ran.
    """

    progress_changed = Signal(int, int, str)
    finished = Signal()

    def __init__(
        self,
        parent: QObject,
        on_success: Callable[[T], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._on_success = on_success
        self._on_error = on_error
        self.signals = _JobSignals()
        self.context = JobContext(self.signals)
        self.running = True
        self.signals.progress_changed.connect(self._relay_progress)
        self.signals.succeeded.connect(self._succeeded)
        self.signals.failed.connect(self._failed)

    def cancel(self) -> None:
        """Ask the job to stop."""
        self.context.cancel()

    @Slot(int, int, str)
    def _relay_progress(self, done: int, total: int, current: str) -> None:
        self.progress_changed.emit(done, total, current)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self.running = False
        try:
            self._on_success(result)  # type: ignore[arg-type]
        finally:
            self.finished.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.running = False
        try:
            self._on_error(message)
        finally:
            self.finished.emit()


def run_job(
    parent: QObject,
    fn: Callable[[JobContext], T],
    *,
    on_success: Callable[[T], None],
    on_error: Callable[[str], None],
    pool: QThreadPool | None = None,
) -> Job[T]:
    """Run ``fn(context)`` on a worker thread; the callbacks run on the GUI thread.

    ``parent`` keeps the job (and so its callbacks) alive until it finishes.
    """
    job: Job[T] = Job(parent, on_success, on_error)
    (pool or QThreadPool.globalInstance()).start(_Runnable(fn, job.context, job.signals))
    return job
