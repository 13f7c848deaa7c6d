"""Settings survive upgrades: a version key and renames applied once, in order."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from spanlab.ui.settings import SETTINGS_VERSION, AppSettings, migrate_settings


def _store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_old_settings_get_the_current_version_and_keep_their_keys(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.setValue("annotator", "alice")
    store.setValue("recent_projects", '["/p/a.spanlab"]')
    assert migrate_settings(store) == 0
    assert int(store.value("settings_version")) == SETTINGS_VERSION
    settings = AppSettings(store)
    assert settings.annotator == "alice"
    assert settings.recent_projects == ["/p/a.spanlab"]
    assert migrate_settings(store) == SETTINGS_VERSION  # idempotent


def test_renames_move_values_without_overwriting(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.setValue("settings_version", 1)
    store.setValue("who", "bob")
    store.setValue("view/size", "12")
    store.setValue("view/font_size", "14")
    steps = {1: {}, 2: {"who": "annotator"}, 3: {"view/size": "view/font_size"}}
    assert migrate_settings(store, steps) == 1
    assert store.value("annotator") == "bob" and not store.contains("who")
    assert store.value("view/font_size") == "14" and not store.contains("view/size")
    assert int(store.value("settings_version")) == 3


def test_settings_from_a_newer_version_are_left_alone(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.setValue("settings_version", 99)
    store.setValue("who", "bob")
    assert migrate_settings(store, {1: {}, 2: {"who": "annotator"}}) == 99
    assert store.value("who") == "bob"
    assert int(store.value("settings_version")) == 99
