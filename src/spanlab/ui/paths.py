"""The platform's folders for SpanLab's own files (logs, crash reports), via QStandardPaths.

Linux: ``~/.local/share/SpanLab/SpanLab/logs`` (``$XDG_DATA_HOME``); Windows:
``%LOCALAPPDATA%\\SpanLab\\SpanLab\\logs``; macOS: ``~/Library/Application Support/SpanLab/
SpanLab/logs``. Settings are not here: QSettings keeps them where the platform expects
(see :func:`spanlab.ui.app.create_app`). Nothing here creates a folder; callers do that
when they first write.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

ORGANIZATION = "SpanLab"
APPLICATION = "SpanLab"


def _ensure_names() -> None:
    """QStandardPaths builds app folders from these names; set them when still empty."""
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORGANIZATION)
    if not QCoreApplication.applicationName():
        QCoreApplication.setApplicationName(APPLICATION)


def data_dir() -> Path:
    """SpanLab's per-user, per-machine data folder."""
    _ensure_names()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    if not location:  # no home folder at all: fall back to the working folder
        return Path.cwd() / ".spanlab"
    return Path(location)


def log_dir() -> Path:
    """Where logs and crash reports go."""
    return data_dir() / "logs"
