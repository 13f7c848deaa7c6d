"""Help › About: version, licence, Qt/PySide6/Python versions and where files live."""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

import spanlab
from spanlab.core.resources import real_path, resource
from spanlab.ui.settings import AppSettings

LICENCE = "MIT"
HOMEPAGE = "https://github.com/spanlab/spanlab"
ICON_PARTS = ("icons", "spanlab.svg")


def app_icon() -> QIcon:
    """The application icon (window, about dialog, task bar); empty if it is missing."""
    try:
        return QIcon(str(real_path(resource(*ICON_PARTS))))
    except (OSError, FileNotFoundError):
        return QIcon()


@dataclass(frozen=True)
class AboutInfo:
    """Everything the About dialog shows."""

    version: str
    licence: str
    python: str
    qt: str
    pyside: str
    settings_file: str
    log_dir: Path
    recent_projects: tuple[str, ...]


def about_info(settings: AppSettings, log_dir: Path) -> AboutInfo:
    """Collect the facts for the dialog."""
    return AboutInfo(
        version=spanlab.__version__,
        licence=LICENCE,
        python=sys.version.split()[0],
        qt=qVersion(),
        pyside=PySide6.__version__,
        settings_file=settings.file_name(),
        log_dir=log_dir,
        recent_projects=tuple(settings.recent_projects),
    )


class AboutDialog(QDialog):
    """The dialog; labels have object names so tests (and screen readers) can find them."""

    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        """Build the dialog for ``info``."""
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About SpanLab")
        icon = app_icon()
        self.setWindowIcon(icon)
        self.icon_label = QLabel(self)
        self.icon_label.setObjectName("aboutIcon")
        self.icon_label.setPixmap(icon.pixmap(64, 64))
        self.title = QLabel(f"<h2>SpanLab {html.escape(info.version)}</h2>", self)
        self.title.setObjectName("aboutTitle")
        self.versions = QLabel(
            "Label spans and relations in news articles. Every edit is saved the moment "
            f"you make it.<br>Licence: {html.escape(info.licence)}<br>"
            f"Python {html.escape(info.python)} · Qt {html.escape(info.qt)} · "
            f"PySide6 {html.escape(info.pyside)}",
            self,
        )
        self.versions.setObjectName("aboutVersions")
        self.versions.setWordWrap(True)
        recent = "".join(f"<li>{html.escape(p)}</li>" for p in info.recent_projects)
        self.paths = QLabel(
            f"<b>Settings:</b> {html.escape(info.settings_file)}<br>"
            f"<b>Logs and crash reports:</b> {html.escape(str(info.log_dir))}<br>"
            "<b>Recent projects:</b>" + (f"<ul>{recent}</ul>" if recent else " none yet"),
            self,
        )
        self.paths.setObjectName("aboutPaths")
        self.paths.setWordWrap(True)
        self.paths.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        header = QHBoxLayout()
        header.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.versions)
        layout.addWidget(self.paths)
        layout.addWidget(buttons)
        self.info = info

    def text(self) -> str:
        """Everything shown, as plain text (tests, copy to a bug report)."""
        return "\n".join(label.text() for label in (self.title, self.versions, self.paths))


def show_about(parent: QWidget | None, info: AboutInfo) -> AboutDialog:
    """Open the dialog without blocking (window-modal); return it."""
    dialog = AboutDialog(info, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
