"""Fixtures for the import tests: the files in tests/data/import and small helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from spanlab.core.project import Project

DATA = Path(__file__).resolve().parents[2] / "data" / "import"

Snapshot = Callable[[Project], list[tuple[int, str, str, str | None]]]


@pytest.fixture
def data_dir() -> Path:
    """tests/data/import (byte-exact fixtures written for SpanLab)."""
    return DATA


def _snapshot(project: Project) -> list[tuple[int, str, str, str | None]]:
    documents = [project.document(d.id) for d in project.documents()]
    return [(d.id, d.title, d.sha256, d.source) for d in documents]


@pytest.fixture
def snapshot() -> Snapshot:
    """What a failed or cancelled import must leave unchanged: ids, titles, hashes."""
    return _snapshot
