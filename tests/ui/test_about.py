"""Help › About: version, licence, Qt/Python versions, settings file, log folder, recents."""

from __future__ import annotations

import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QSettings, qVersion
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts

import spanlab
from spanlab.ui.about import AboutDialog, about_info, app_icon
from spanlab.ui.app import create_app
from spanlab.ui.settings import AppSettings


def test_about_dialog_shows_version_licence_and_paths(qtbot: QtBot, tmp_path: Path) -> None:
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings = AppSettings(store)
    settings.add_recent_project("/data/older.spanlab")
    settings.add_recent_project("/data/news.spanlab")
    dialog = AboutDialog(about_info(settings, tmp_path / "logs"))
    qtbot.addWidget(dialog)
    text = dialog.text()
    assert f"SpanLab {spanlab.__version__}" in text
    assert "Licence: MIT" in text
    assert f"Qt {qVersion()}" in text and f"PySide6 {PySide6.__version__}" in text
    assert f"Python {sys.version.split()[0]}" in text
    assert str(tmp_path / "settings.ini") in text
    assert str(tmp_path / "logs") in text
    assert text.index("/data/news.spanlab") < text.index("/data/older.spanlab")
    assert not dialog.icon_label.pixmap().isNull()


def test_app_icon_loads() -> None:
    assert not app_icon().pixmap(32, 32).isNull()


def test_help_about_opens_the_dialog_with_the_app_paths(
    qtbot: QtBot, ui_settings: QSettings, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    app = create_app([], settings=ui_settings, prompts=prompts, log_dir=tmp_path / "logs")
    qtbot.addWidget(app.window)
    assert not app.window.windowIcon().isNull()
    app.actions.action("help.about").trigger()
    dialog = app.window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.info.settings_file == ui_settings.fileName()
    assert dialog.info.log_dir == tmp_path / "logs"
    assert dialog.info.licence == "MIT"
    dialog.close()
    assert app.crash_reporter is None  # injected settings: no hook unless asked
