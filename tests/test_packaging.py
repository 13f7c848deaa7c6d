"""An installed wheel works outside the checkout, resources and migrations included."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import spanlab

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("spanlab-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Dependencies come from the test environment's site-packages, added as a plain path
    # entry: its .pth files (the editable install of the checkout) are not processed.
    site_packages = next(p for p in env_dir.glob("lib/python*/site-packages") if p.is_dir())
    (site_packages / "zz_deps.pth").write_text(site.getsitepackages()[0] + "\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def spanlab_cli(*args: str) -> str:
        result = subprocess.run(
            [str(env_dir / "bin" / "spanlab"), *args],
            cwd=outside,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert spanlab_cli("--version").strip() == f"spanlab {spanlab.__version__}"
    where = subprocess.run(
        [str(python), "-c", "import spanlab.core.resources as r; print(r.resource_root())"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert str(site_packages) in where and str(ROOT) not in where
    spanlab_cli("init", "fresh.spanlab")  # default schema and migrations from the wheel
    assert "news" in spanlab_cli("schema", "fresh.spanlab")
    assert "Documents: 8" in spanlab_cli("sample", "sample.spanlab")
