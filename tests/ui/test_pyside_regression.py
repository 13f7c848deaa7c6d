"""PySide6 6.12.0 over-decrements None on CPython 3.11 and aborts; make sure we never run it."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from PySide6 import __version__ as pyside_version
from PySide6.QtGui import QTextCursor, QTextDocument

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_dependency_pin_excludes_the_broken_release() -> None:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    pins = [Requirement(r) for r in data["project"]["dependencies"]]
    pyside = next(r for r in pins if r.name.lower() == "pyside6")
    assert "6.12.0" not in pyside.specifier
    assert "6.11.3" in pyside.specifier


def test_installed_pyside_does_not_leak_references_to_none() -> None:
    assert pyside_version != "6.12.0"
    document = QTextDocument("Macron 🇫🇷 met Olaf Scholz in Berlin. " * 20)
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for position in range(3000):  # the broken release aborts after a few thousand calls
        cursor.setPosition(position % 500)
    after = sys.getrefcount(None)
    assert abs(after - before) < 100
