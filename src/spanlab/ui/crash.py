"""Unhandled exceptions: write a crash report to the log folder and tell the user where.

Every edit is committed the moment it is made, so a crash loses nothing; the message
says so. :class:`CrashReporter` replaces ``sys.excepthook`` (exceptions in Qt slots and
the main thread) and ``threading.excepthook`` (worker threads). The hook itself never
raises: if writing the report or showing the message fails, it falls back to stderr.
"""

from __future__ import annotations

import contextlib
import logging
import platform
import re
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import QObject, Qt, Signal, Slot, qVersion

import spanlab

log = logging.getLogger("spanlab.crash")

Notify = Callable[[Path], None]
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]

_URL_PASSWORD = re.compile(r"(?P<head>://[^/:@\s]*:)[^@\s]*@")
_QUERY_SECRET = re.compile(r"(?P<head>[?&](?:password|passwd|pwd|sslpassword)=)[^&\s]*", re.I)


def redact(location: str) -> str:
    """``location`` with passwords in database URLs replaced by ``***``."""
    location = _URL_PASSWORD.sub(r"\g<head>***@", location)
    return _QUERY_SECRET.sub(r"\g<head>***", location)


def crash_message(report: Path) -> str:
    """What the user is told after a crash."""
    return (
        "SpanLab ran into an unexpected error.\n\n"
        "Your work is saved: every edit is stored the moment you make it.\n\n"
        f"A report was written to:\n{report}\n\n"
        "Please send it to the developers. If SpanLab misbehaves now, restart it."
    )


class _MainThreadRelay(QObject):
    """Carries a report path from any thread to the notification in the GUI thread.

    Create it in the GUI thread: the queued connection runs ``deliver`` there.
    """

    report_written = Signal(str)

    def __init__(self, deliver: Callable[[str], None]) -> None:
        """Call ``deliver`` in this object's thread for every emitted report."""
        super().__init__()
        self._deliver = deliver
        self.report_written.connect(self._on_report, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _on_report(self, report: str) -> None:
        self._deliver(report)


class CrashReporter:
    """Writes crash reports into ``folder`` and calls ``notify`` with each report's path."""

    def __init__(
        self,
        folder: Path,
        *,
        notify: Notify | None = None,
        project: Callable[[], str | None] = lambda: None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        """``project`` tells which project is open (redacted in the report)."""
        self.folder = folder
        self._notify = notify
        self._project = project
        self._clock = clock
        self._handling = False
        self._previous_hook: ExceptHook | None = None
        self._previous_thread_hook: Callable[[threading.ExceptHookArgs], object] | None = None
        self._relay = _MainThreadRelay(self._notify_in_gui_thread)

    # ------------------------------------------------------------------ hooks
    def install(self) -> None:
        """Become ``sys.excepthook`` and ``threading.excepthook``."""
        if self._previous_hook is None:
            self._previous_hook = sys.excepthook
            self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        """Put the hooks back as they were before :meth:`install`."""
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
        if self._previous_thread_hook is not None:
            threading.excepthook = self._previous_thread_hook
        self._previous_hook = self._previous_thread_hook = None

    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """``sys.excepthook``: report, then tell the user."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self._handle(exc_type, exc, tb, threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: the same for worker threads."""
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "unknown thread"
        self._handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    # ------------------------------------------------------------------ work
    def _handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        thread: str,
    ) -> None:
        if self._handling:  # an error while reporting an error: do not loop
            _to_stderr(exc_type, exc, tb)
            return
        self._handling = True
        try:
            report = self.write_report(exc_type, exc, tb, thread=thread)
            if report is None:
                _to_stderr(exc_type, exc, tb)
                return
            print(f"spanlab: unexpected error; report written to {report}", file=sys.stderr)
            if threading.current_thread() is threading.main_thread():
                self._notify_in_gui_thread(str(report))
            else:
                self._relay.report_written.emit(str(report))
        except BaseException:  # the hook must never raise
            _to_stderr(exc_type, exc, tb)
        finally:
            self._handling = False

    def _notify_in_gui_thread(self, report: str) -> None:
        if self._notify is None:
            return
        try:
            self._notify(Path(report))
        except BaseException:
            print(f"spanlab: could not show the crash message; see {report}", file=sys.stderr)

    def write_report(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        *,
        thread: str = "MainThread",
    ) -> Path | None:
        """Write one report; its path, or None when it could not be written."""
        try:
            now = self._clock()
            text = self.report_text(exc_type, exc, tb, thread=thread, when=now)
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = f"crash-{now:%Y%m%d-%H%M%S-%f}"
            path = self.folder / f"{stem}.txt"
            counter = 1
            while path.exists():
                path = self.folder / f"{stem}-{counter}.txt"
                counter += 1
            path.write_text(text, encoding="utf-8")
            log.error("unexpected error; report %s", path, exc_info=(exc_type, exc, tb))
            return path
        except BaseException:
            return None

    def report_text(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        *,
        thread: str,
        when: datetime,
    ) -> str:
        """The report: when, versions, platform, project (redacted), traceback."""
        try:
            project = self._project()
        except BaseException:
            project = "(unknown)"
        trace = "".join(traceback.format_exception(exc_type, exc, tb))
        lines = [
            "SpanLab crash report",
            f"Time: {when.isoformat(timespec='seconds')}",
            f"SpanLab: {spanlab.__version__}",
            f"Python: {sys.version.split()[0]} ({platform.python_implementation()})",
            f"Qt: {qVersion()}  PySide6: {PySide6.__version__}",
            f"Platform: {platform.platform()}",
            f"Frozen bundle: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
            f"Thread: {thread}",
            f"Project: {redact(project) if project else '(none open)'}",
            "",
            redact(trace),
        ]
        return "\n".join(lines)


def _to_stderr(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    with contextlib.suppress(BaseException):
        sys.__excepthook__(exc_type, exc, tb)
