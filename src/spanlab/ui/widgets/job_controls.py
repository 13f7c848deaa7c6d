"""Progress bar, status line and Run/Cancel buttons for a dialog that runs one job at a time.

The import and export dialogs behave alike: Run starts a background job (``run_job``),
the bar shows progress, Cancel asks the job to stop, and both buttons return to rest
when it ends, whatever the outcome. Keeping that here means they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from spanlab.ui.jobs import Job, JobContext, run_job

T = TypeVar("T")


class JobControls(QObject):
    """Widgets and state for one background job at a time (owned by ``parent``)."""

    def __init__(
        self,
        parent: QWidget,
        *,
        run_text: str,
        name: str,
        describe_current: Callable[[str], str] = str,
    ) -> None:
        super().__init__(parent)
        self._owner = parent
        self._describe_current = describe_current
        self.progress = QProgressBar(parent)
        self.progress.setObjectName(f"{name}Progress")
        self.progress.setVisible(False)
        self.label = QLabel(parent)
        self.run_button = QPushButton(run_text, parent)
        self.run_button.setObjectName(f"{name}Run")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", parent)
        self.cancel_button.setObjectName(f"{name}Cancel")
        self.cancel_button.setEnabled(False)
        self.job: Job[Any] | None = None
        self.cancel_button.clicked.connect(self.cancel)

    @property
    def running(self) -> bool:
        """Whether a job is under way."""
        return self.job is not None and self.job.running

    def button_row(self, *trailing: QWidget) -> QHBoxLayout:
        """Status line, Run, Cancel, then ``trailing`` buttons (e.g. Close)."""
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        for widget in trailing:
            row.addWidget(widget)
        return row

    def start(
        self,
        fn: Callable[[JobContext], T],
        *,
        on_success: Callable[[T], None],
        on_error: Callable[[str], None],
    ) -> None:
        """Run ``fn`` in the background; the callbacks run after the controls are at rest."""

        def succeeded(result: T) -> None:
            self._idle()
            on_success(result)

        def failed(message: str) -> None:
            self._idle()
            on_error(message)

        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = run_job(self._owner, fn, on_success=succeeded, on_error=failed)
        self.job.progress_changed.connect(self._on_progress)

    def cancel(self) -> None:
        """Ask a running job to stop at its next check."""
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.label.setText("Cancelling…")

    def _on_progress(self, done: int, total: int, current: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.label.setText(self._describe_current(current) if current else "")

    def _idle(self) -> None:
        self.progress.setVisible(False)
        self.label.setText("")
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
