"""Shared fixtures. Qt runs offscreen; projects live in temporary folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from spanlab.core.project import Project
from spanlab.core.samples import build_sample_project


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """An empty project with the bundled news schema."""
    with Project.create(tmp_path / "test.spanlab") as created:
        yield created


@pytest.fixture(scope="session")
def sample_project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample project, built once per test session (copy before editing)."""
    path = tmp_path_factory.mktemp("sample") / "sample.spanlab"
    build_sample_project(path).close()
    return path


@pytest.fixture
def sample_project(sample_project_file: Path, tmp_path: Path) -> Iterator[Project]:
    """A private, editable copy of the sample project."""
    import sqlite3

    target = tmp_path / "sample.spanlab"
    source = sqlite3.connect(sample_project_file)
    dest = sqlite3.connect(target)
    source.backup(dest)
    dest.close()
    source.close()
    with Project.open(target) as opened:
        yield opened
