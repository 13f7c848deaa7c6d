"""Creating and opening projects, with clear errors for every broken case."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from spanlab.core.errors import ProjectError
from spanlab.core.project import Project
from spanlab.core.schema import parse_schema

SCHEMA = """
name = "tiny"
[[labels]]
name = "PERSON"
colour = "#FFD6A5"
"""


def test_create_then_open_keeps_schema_and_name(tmp_path: Path) -> None:
    path = tmp_path / "a.spanlab"
    Project.create(path, schema=parse_schema(SCHEMA), name="Alpha").close()
    with Project.open(path) as project:
        assert project.name == "Alpha"
        assert project.schema().label_names == ("PERSON",)
        assert project.path == path.resolve()


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "a.spanlab"
    path.write_text("precious", encoding="utf-8")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)
    assert path.read_text(encoding="utf-8") == "precious"


def test_create_in_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        Project.create(tmp_path / "nope" / "a.spanlab")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, I am a text file", "not a SQLite database"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "damaged"),
    ],
)
def test_open_rejects_files_that_are_not_projects(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "x.spanlab"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message):
        Project.open(path)
    assert path.read_bytes() == content


def test_open_rejects_a_sqlite_file_from_another_program(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes(x)")
    with pytest.raises(ProjectError, match="not a SpanLab project"):
        Project.open(path)


def test_open_missing_project_suggests_init(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="spanlab init"):
        Project.open(tmp_path / "missing.spanlab")


def test_corrupt_project_is_reported_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "c.spanlab"
    Project.create(path).close()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 97):  # scribble over every page after the first
        data[offset] = 0xA5
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_project_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.spanlab"
    Project.create(path).close()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(ProjectError, match=r"read-only|cannot open"), Project.open(path) as p:
            p.ensure_annotator("x")
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)


def test_locked_project_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spanlab.core.storage import engine as engine_module

    path = tmp_path / "l.spanlab"
    Project.create(path).close()
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    with Project.open(path) as project:
        blocker = sqlite3.connect(path, timeout=0.05)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(ProjectError, match="locked by another program"):
                project.ensure_annotator("someone")
        finally:
            blocker.rollback()
            blocker.close()
        assert project.annotator("someone") is None


def test_edits_on_a_document_just_read_are_checked_against_its_text(
    sample_project: Project,
) -> None:
    """The open document's text is kept for checking edits; the checks stay the same."""
    from spanlab.core.commands import AddSpan
    from spanlab.core.errors import IntegrityError

    [first, *_] = sample_project.documents()
    document = sample_project.document(first.id)
    annotator = sample_project.ensure_annotator("carol")
    length = len(document.text)
    with pytest.raises(IntegrityError, match=rf"0 <= start < end <= {length} is required"):
        sample_project.execute(AddSpan(document.id, annotator.id, "PERSON", length - 2, length + 1))
    start = document.text.index("Baek")
    command = AddSpan(document.id, annotator.id, "PERSON", start, start + 4)
    sample_project.execute(command)
    assert command.span_id is not None
    assert sample_project.span(command.span_id).text == "Baek"


def test_the_spans_an_edit_inserted_are_handed_back_as_stored(sample_project: Project) -> None:
    """The GUI shows a span it just added from these; they equal what a read returns."""
    from spanlab.core.commands import AddSpan, SetStatus
    from spanlab.core.model import DocumentStatus

    [first, *_] = sample_project.documents()
    document = sample_project.document(first.id)
    carol = sample_project.ensure_annotator("carol")
    start = document.text.index("Baek")
    add = AddSpan(document.id, carol.id, "ROLE", start, start + 4, {"former": True})
    sample_project.execute(add)
    assert add.span_id is not None
    assert sample_project.inserted_span(add.span_id) == sample_project.span(add.span_id)
    sample_project.execute(SetStatus(document.id, carol.id, DocumentStatus.DONE))
    assert sample_project.inserted_span(add.span_id) is None  # only the last edit's
