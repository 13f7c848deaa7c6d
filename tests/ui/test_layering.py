"""Layering and size rules: core and CLI never load Qt; UI modules stay small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import spanlab

SOURCE = Path(spanlab.__file__).parent
MAX_MODULE_LINES = 800
MAX_MAIN_WINDOW_LINES = 400


def test_core_and_cli_do_not_import_pyside() -> None:
    modules = sorted(
        ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)
        for folder in ("core", "cli")
        for path in (SOURCE / folder).rglob("*.py")
        if path.name != "__init__.py" and "migrations" not in path.parts
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_ui_modules_stay_within_their_size_budgets() -> None:
    sizes = {
        str(path.relative_to(SOURCE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (SOURCE / "ui").rglob("*.py")
    }
    assert all(n <= MAX_MODULE_LINES for n in sizes.values()), sizes
    assert sizes["ui/main_window.py"] <= MAX_MAIN_WINDOW_LINES
