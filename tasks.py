#!/usr/bin/env python3
"""Task runner for SpanLab (standard library only, so it works on a fresh machine).

python3 tasks.py run     # set up .venv, build the sample project, open the app
python3 tasks.py test    # set up .venv with test tools, run the whole test suite
python3 tasks.py lint | typecheck | arch | golden | wheel
python3 tasks.py bundle  # standalone one-folder app in packaging/dist/spanlab/ (PyInstaller)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
SAMPLE = ROOT / "sample" / "sample.spanlab"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def ensure_venv(extras: str = "") -> None:
    """Create .venv and install SpanLab (editable) when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (tasks.py runs on whatever python3 is)
        raise SystemExit(f"SpanLab needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        say(f"creating {VENV}")
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception as exc:  # Debian/Ubuntu ship venv's pip separately
            raise SystemExit(
                f"cannot create a virtual environment ({exc}); on Debian/Ubuntu install "
                "the python3-venv package first"
            ) from exc
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".spanlab-installed{'-' + extras if extras else ''}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("installing SpanLab and its dependencies into .venv")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "--editable", target)
    stamp.write_text(digest)


def task_run(args: list[str]) -> None:
    ensure_venv()
    if not SAMPLE.exists():
        SAMPLE.parent.mkdir(exist_ok=True)
        say(f"building the sample project at {SAMPLE.relative_to(ROOT)}")
        run(BIN / "spanlab", "sample", SAMPLE)
    say("opening SpanLab")
    run(BIN / "spanlab", "gui", SAMPLE, *args)


def test_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def task_test(args: list[str]) -> None:
    ensure_venv("test")
    run(PYTHON, "-m", "pytest", *args, env=test_env())


def task_lint(args: list[str]) -> None:
    ensure_venv("test")
    run(BIN / "ruff", "check", "src", "tests", "benchmarks", "tasks.py")
    run(BIN / "ruff", "format", "--check", "src", "tests", "benchmarks", "tasks.py")


def task_typecheck(args: list[str]) -> None:
    ensure_venv("test")
    run(BIN / "mypy")


def task_arch(args: list[str]) -> None:
    ensure_venv("test")
    run(BIN / "lint-imports", "--no-cache")


def task_golden(args: list[str]) -> None:
    """Regenerate exports/golden/<format>/ from the bundled sample project."""
    ensure_venv("test")
    run(PYTHON, "-m", "spanlab.core.golden", ROOT / "exports" / "golden", *args)


def task_wheel(args: list[str]) -> None:
    ensure_venv("test")
    run(PYTHON, "-m", "build", "--wheel", "--no-isolation", "--outdir", ROOT / "dist")


PACKAGING = ROOT / "packaging"
BUNDLE = PACKAGING / "dist" / "spanlab"


def task_bundle(args: list[str]) -> None:
    """Build the standalone app with PyInstaller into packaging/dist/spanlab/."""
    ensure_venv()
    say("installing PyInstaller into .venv")
    run(PYTHON, "-m", "pip", "install", "--quiet", "pyinstaller>=6.10")
    say(f"building the bundle in {BUNDLE.relative_to(ROOT)}")
    run(
        PYTHON,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        PACKAGING / "dist",
        "--workpath",
        PACKAGING / "build",
        PACKAGING / "pyinstaller" / "spanlab.spec",
        *args,
    )
    exe = BUNDLE / ("spanlab.exe" if os.name == "nt" else "spanlab")
    say(f"built {exe.relative_to(ROOT)}; try it offscreen with:")
    print(f"    QT_QPA_PLATFORM=offscreen {exe} sample /tmp/x.spanlab")
    print(f"    QT_QPA_PLATFORM=offscreen {exe} gui /tmp/x.spanlab --smoke-test")


TASKS = {
    "run": task_run,
    "test": task_test,
    "lint": task_lint,
    "typecheck": task_typecheck,
    "arch": task_arch,
    "golden": task_golden,
    "wheel": task_wheel,
    "bundle": task_bundle,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        names = " | ".join(TASKS)
        raise SystemExit(f"usage: python3 tasks.py {{{names}}} [args...]")
    TASKS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
