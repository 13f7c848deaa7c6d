"""Desktop integration files, ``spanlab gui --smoke-test`` and (when built) the bundle."""

from __future__ import annotations

import configparser
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

import spanlab

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.github.spanlab.SpanLab"
BUNDLE = ROOT / "packaging" / "dist" / "spanlab"
BUNDLE_EXE = BUNDLE / ("spanlab.exe" if os.name == "nt" else "spanlab")
needs_bundle = pytest.mark.skipif(
    not BUNDLE_EXE.exists(),
    reason=f"no bundle at {BUNDLE_EXE.relative_to(ROOT)} (build it with `make bundle`; "
    "CI builds and smoke-tests it in .ci/run after the tests)",
)


def _isolated_env(tmp_path: Path) -> dict[str, str]:
    """Offscreen Qt; settings, data and logs in ``tmp_path``, never the user's folders."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    (tmp_path / "runtime").mkdir(mode=0o700, exist_ok=True)
    return env


def _copy(source: Path, target: Path) -> Path:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()
    return target


# ---------------------------------------------------------------------- desktop files
def test_desktop_entry_launches_spanlab_with_its_icon() -> None:
    path = LINUX / f"{APP_ID}.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "SpanLab"
    assert desktop["Exec"].split()[:2] == ["spanlab", "gui"]
    assert desktop["Icon"] == APP_ID
    categories = desktop["Categories"]
    assert categories.endswith(";") and "Qt" in categories.split(";")
    assert (LINUX / f"{APP_ID}.svg").read_bytes() == (
        ROOT / "resources" / "icons" / "spanlab.svg"
    ).read_bytes(), "packaging/linux icon differs from resources/icons/spanlab.svg"
    validate = shutil.which("desktop-file-validate")
    if validate:
        result = subprocess.run([validate, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_names_the_app_and_its_desktop_entry() -> None:
    path = LINUX / f"{APP_ID}.metainfo.xml"
    root = etree.parse(str(path)).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == f"{APP_ID}.desktop"
    assert (LINUX / launchable.text).exists()
    assert root.findtext("project_license") == "MIT"
    versions = [r.get("version") for r in root.iter("release")]
    assert spanlab.__version__ in versions, "add a <release> for the current version"


# ---------------------------------------------------------------------- smoke test
def test_gui_smoke_test_opens_the_sample_project(sample_project_file: Path, tmp_path: Path) -> None:
    project = _copy(sample_project_file, tmp_path / "sample.spanlab")
    code = "import sys; from spanlab.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "gui", str(project), "--smoke-test"],
        env=_isolated_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "documents: 8" in result.stdout.splitlines()
    assert not (tmp_path / "data").exists() and not (tmp_path / "config").exists()


def test_gui_smoke_test_fails_clearly_without_a_project(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spanlab", "gui", str(tmp_path / "missing.spanlab"), "--smoke-test"],
        env=_isolated_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "smoke test" in result.stderr


# ---------------------------------------------------------------------- the bundle
@needs_bundle
def test_bundle_holds_resources_migrations_and_qt_plugins() -> None:
    internal = BUNDLE / "_internal"
    assert (internal / "spanlab" / "resources" / "schemas" / "news.toml").exists()
    assert (internal / "spanlab" / "resources" / "icons" / "spanlab.svg").exists()
    migrations = internal / "spanlab" / "core" / "storage" / "migrations"
    assert (migrations / "env.py").exists() and (migrations / "script.py.mako").exists()
    assert sorted(p.name for p in (migrations / "versions").glob("0*.py"))
    plugins = next(internal.glob("PySide6/Qt/plugins"))
    assert any((plugins / "platforms").glob("*offscreen*"))
    if sys.platform.startswith("linux"):
        assert any((plugins / "platforms").glob("*xcb*"))
    assert any((plugins / "imageformats").glob("*svg*"))
    assert not list(internal.glob("PySide6/Qt/lib/libQt6WebEngineCore*"))


@needs_bundle
def test_bundle_creates_and_opens_the_sample_project(tmp_path: Path) -> None:
    env = _isolated_env(tmp_path)
    project = tmp_path / "x.spanlab"

    def bundle(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BUNDLE_EXE), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    version = bundle("--version")
    assert version.stdout.strip() == f"spanlab {spanlab.__version__}", version.stderr
    created = bundle("sample", str(project))
    assert created.returncode == 0, created.stderr
    smoke = bundle("gui", str(project), "--smoke-test")
    assert smoke.returncode == 0, smoke.stderr
    assert "documents: 8" in smoke.stdout.splitlines()
