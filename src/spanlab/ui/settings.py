"""Typed access to the user's settings over an injected ``QSettings``.

Nothing else reads or writes ``QSettings``; tests pass one in INI format in a temporary
folder so the real user settings are never touched. Values that are not plain strings
are stored as JSON, which reads back the same in every ``QSettings`` format.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT_PROJECTS = 8

# Bump when a key is renamed or its value changes shape, and add a step to MIGRATIONS.
SETTINGS_VERSION = 1
# version reached -> renames (old key -> new key) applied to get there from the one before
MIGRATIONS: dict[int, dict[str, str]] = {1: {}}


def migrate_settings(store: QSettings, migrations: dict[int, dict[str, str]] | None = None) -> int:
    """Bring ``store`` up to the newest settings version; return the version it was at.

    Settings written by an older SpanLab keep working after an upgrade: each step moves
    values from renamed keys to their new names (never overwriting a value already
    there). Settings from a newer SpanLab are left alone.
    """
    steps = MIGRATIONS if migrations is None else migrations
    latest = max(steps, default=0)
    raw = store.value("settings_version")
    try:
        found = int(str(raw)) if raw is not None else 0
    except ValueError:
        found = 0
    for version in sorted(v for v in steps if found < v <= latest):
        for old, new in steps[version].items():
            if store.contains(old):
                if not store.contains(new):
                    store.setValue(new, store.value(old))
                store.remove(old)
    if found < latest:
        store.setValue("settings_version", latest)
    return found


def project_key(url: str) -> str:
    """A settings-safe key for a project URL (slashes would start groups)."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


class AppSettings:
    """The user's preferences and per-project positions."""

    def __init__(self, store: QSettings) -> None:
        """Wrap ``store`` (the composition root decides where it lives)."""
        self._store = store

    # ------------------------------------------------------------------ helpers
    def _json(self, key: str, default: Any) -> Any:
        raw = self._store.value(key)
        if raw is None:
            return default
        try:
            return json.loads(str(raw))
        except ValueError:
            return default

    def _set_json(self, key: str, value: Any) -> None:
        self._store.setValue(key, json.dumps(value))

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()

    def file_name(self) -> str:
        """Where the settings are stored (a file, or a registry path on Windows)."""
        return self._store.fileName()

    # ------------------------------------------------------------------ annotator
    @property
    def annotator(self) -> str | None:
        """Who is annotating (None until the first start asked)."""
        value = self._store.value("annotator")
        return str(value) if value else None

    @annotator.setter
    def annotator(self, name: str | None) -> None:
        if name:
            self._store.setValue("annotator", name)
        else:
            self._store.remove("annotator")

    # ------------------------------------------------------------------ projects
    @property
    def recent_projects(self) -> list[str]:
        """Recently opened project paths, newest first."""
        value = self._json("recent_projects", [])
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent_project(self, path: str) -> None:
        """Put ``path`` first in the recent list."""
        items = [path, *(p for p in self.recent_projects if p != path)]
        self._set_json("recent_projects", items[:MAX_RECENT_PROJECTS])

    def remove_recent_project(self, path: str) -> None:
        """Forget a project (e.g. it no longer exists)."""
        self._set_json("recent_projects", [p for p in self.recent_projects if p != path])

    def last_document(self, url: str, annotator: str) -> int | None:
        """The document ``annotator`` had open in a project."""
        value = self._json(f"positions/{project_key(url)}", {})
        if isinstance(value, dict) and isinstance(value.get(annotator), int):
            return int(value[annotator])
        return None

    def set_last_document(self, url: str, annotator: str, document_id: int) -> None:
        """Remember where ``annotator`` is in a project."""
        key = f"positions/{project_key(url)}"
        value = self._json(key, {})
        positions = value if isinstance(value, dict) else {}
        positions[annotator] = int(document_id)
        self._set_json(key, positions)

    # ------------------------------------------------------------------ shortcuts
    def shortcut_overrides(self) -> dict[str, list[str]]:
        """Remapped shortcuts by action id (portable key sequence text)."""
        value = self._json("shortcuts", {})
        if not isinstance(value, dict):
            return {}
        return {str(k): [str(s) for s in v] for k, v in value.items() if isinstance(v, list)}

    def set_shortcut_overrides(self, overrides: dict[str, list[str]]) -> None:
        """Replace all remapped shortcuts."""
        self._set_json("shortcuts", overrides)

    # ------------------------------------------------------------------ view
    @property
    def show_tags(self) -> bool:
        """Whether label names are painted above spans."""
        return bool(self._json("view/show_tags", True))

    @show_tags.setter
    def show_tags(self, value: bool) -> None:
        self._set_json("view/show_tags", bool(value))

    @property
    def arc_mode(self) -> str:
        """Which relation arcs are drawn: "all", "selected" (the selected span's) or "none"."""
        value = self._json("view/arcs", "all")
        return value if value in ("all", "selected", "none") else "all"

    @arc_mode.setter
    def arc_mode(self, mode: str) -> None:
        self._set_json("view/arcs", str(mode))

    @property
    def font_size(self) -> float:
        """Point size of the article text."""
        value = self._json("view/font_size", 11.0)
        return float(value) if isinstance(value, int | float) else 11.0

    @font_size.setter
    def font_size(self, value: float) -> None:
        self._set_json("view/font_size", float(value))

    @property
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """Saved geometry and dock layout of the main window."""
        geometry = self._store.value("window/geometry")
        state = self._store.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the main window layout."""
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)

    @property
    def last_import_folder(self) -> str:
        """Where the import dialog last looked."""
        value = self._store.value("import/folder")
        return str(value) if value else ""

    @last_import_folder.setter
    def last_import_folder(self, folder: str) -> None:
        self._store.setValue("import/folder", folder)
