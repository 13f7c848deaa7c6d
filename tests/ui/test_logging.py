"""Logs go to a rotating file in the (injected) log folder."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from ui_helpers import ScriptedPrompts

from spanlab.ui import paths
from spanlab.ui.app import create_app
from spanlab.ui.logging_setup import LOG_FILE_NAME, install_logging, uninstall_logging


@pytest.fixture(autouse=True)
def _no_handler_left() -> Iterator[None]:
    yield
    uninstall_logging()


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_install_logging_writes_to_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    path = install_logging(folder)
    logging.getLogger("spanlab.test").warning("something worth knowing")
    _flush()
    assert path == folder / LOG_FILE_NAME
    text = path.read_text(encoding="utf-8")
    assert "SpanLab" in text and "started" in text
    assert "WARNING  spanlab.test" in text and "something worth knowing" in text


def test_installing_again_replaces_the_handler(tmp_path: Path) -> None:
    install_logging(tmp_path / "a")
    install_logging(tmp_path / "b")
    logging.getLogger("spanlab.test").warning("only in b")
    _flush()
    assert "only in b" not in (tmp_path / "a" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "only in b" in (tmp_path / "b" / LOG_FILE_NAME).read_text(encoding="utf-8")
    uninstall_logging()
    assert not any(
        isinstance(h, logging.handlers.RotatingFileHandler) for h in logging.getLogger().handlers
    )


def test_the_log_rotates(tmp_path: Path) -> None:
    path = install_logging(tmp_path, max_bytes=2_000, backup_count=2)
    for i in range(200):
        logging.getLogger("spanlab.test").warning("line %d of a long session", i)
    _flush()
    assert path.stat().st_size <= 2_000
    assert (tmp_path / f"{LOG_FILE_NAME}.1").exists()
    assert not (tmp_path / f"{LOG_FILE_NAME}.3").exists()


def test_create_app_logs_to_the_injected_folder(
    qtbot: QtBot, ui_settings: QSettings, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    app = create_app([], settings=ui_settings, prompts=prompts, log_dir=tmp_path / "logs")
    qtbot.addWidget(app.window)
    _flush()
    assert app.log_dir == tmp_path / "logs"
    assert "started" in (tmp_path / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")


def test_the_platform_log_folder_is_per_application() -> None:
    folder = paths.log_dir()
    assert folder.name == "logs"
    assert "SpanLab" in folder.parts
