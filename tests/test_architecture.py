"""Layering: the core and the CLI never load Qt; contracts also run through import-linter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "spanlab"


def test_core_and_cli_import_without_pyside6() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import spanlab.core, spanlab.cli\n"
        "for pkg in (spanlab.core,):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' not in info.name:\n"
        "            importlib.import_module(info.name)\n"
        "from spanlab.cli.main import build_parser\n"
        "build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "bad += sorted(m for m in sys.modules if m.startswith('spanlab.ui'))\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_only_the_ui_package_mentions_pyside6() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if "ui" in path.relative_to(SRC).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(str(path))
    assert offenders == []


def test_orm_tables_are_private_to_storage() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("core/storage/"):
            continue
        if "storage.tables" in path.read_text(encoding="utf-8"):
            offenders.append(relative)
    assert offenders == []


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=SRC.parents[1],
    )
    assert result.returncode == 0, result.stdout + result.stderr
