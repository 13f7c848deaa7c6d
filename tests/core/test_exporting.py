"""export_project: selection, layout, splits, atomic output, reports."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from spanlab.core import exporting
from spanlab.core.commands import AddSpan, SetStatus
from spanlab.core.exporting import (
    DocumentChoice,
    ExportError,
    ExportMode,
    ExportSelection,
    assign_splits,
    default_out_dir,
    export_project,
    parse_split,
)
from spanlab.core.formats.base import (
    Alignment,
    ExportDocument,
    ExportOptions,
    ExportRefusedError,
    ExportReport,
    Feature,
)
from spanlab.core.model import GOLD_ANNOTATOR, AnnotatorRole, DocumentStatus
from spanlab.core.project import Project
from spanlab.core.schema import Schema

ALL = ExportSelection(documents=DocumentChoice.ALL)


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def done_by(project: Project, name: str) -> set[int]:
    annotator = project.annotator(name)
    assert annotator is not None
    return {r.document_id for r in project.statuses(annotator.id) if r.status.value == "done"}


def test_by_default_only_documents_every_annotator_marked_done(
    sample_project: Project, tmp_path: Path
) -> None:
    report = export_project(sample_project, format="jsonl", out_dir=tmp_path / "out")
    assert report.ok
    expected = done_by(sample_project, "alice") & done_by(sample_project, "bob")
    rows = records(tmp_path / "out" / "documents.jsonl")
    assert report.documents == len(rows) == len(expected) < len(sample_project.documents())
    assert all([a["annotator"] for a in r["annotations"]] == ["alice", "bob"] for r in rows)
    assert report.spans == sum(len(a["spans"]) for r in rows for a in r["annotations"])
    assert report.relations == sum(len(a["relations"]) for r in rows for a in r["annotations"])


def test_one_annotator_all_their_done_documents(sample_project: Project, tmp_path: Path) -> None:
    selection = ExportSelection(annotators=("alice",))
    report = export_project(
        sample_project, format="jsonl", out_dir=tmp_path / "out", selection=selection
    )
    rows = records(tmp_path / "out" / "documents.jsonl")
    assert len(rows) == report.documents == len(done_by(sample_project, "alice"))
    assert {a["annotator"] for r in rows for a in r["annotations"]} == {"alice"}


def test_per_annotator_writes_one_folder_each(sample_project: Project, tmp_path: Path) -> None:
    selection = ExportSelection(mode=ExportMode.PER_ANNOTATOR, documents=DocumentChoice.ALL)
    report = export_project(
        sample_project, format="jsonl", out_dir=tmp_path / "out", selection=selection
    )
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in report.files) == [
        "alice/documents.jsonl",
        "bob/documents.jsonl",
    ]
    for name in ("alice", "bob"):
        rows = records(tmp_path / "out" / name / "documents.jsonl")
        assert len(rows) == 8
        assert {a["annotator"] for r in rows for a in r["annotations"]} == {name}
    assert report.documents == 8


def test_formats_with_one_annotator_per_file_get_a_folder_each(
    sample_project: Project, tmp_path: Path
) -> None:
    report = export_project(sample_project, format="brat", out_dir=tmp_path / "b", selection=ALL)
    assert {p.relative_to(tmp_path / "b").parts[0] for p in report.files} == {"alice", "bob"}
    assert any("one folder per annotator" in n for n in report.notes)


def add_gold(project: Project, *, done: bool) -> None:
    [first, *_] = project.documents()
    gold = project.ensure_annotator(GOLD_ANNOTATOR, AnnotatorRole.CURATOR)
    text = project.document(first.id).text
    start = text.index("Baek Tae-jin")
    project.execute(AddSpan(first.id, gold.id, "PERSON", start, start + len("Baek Tae-jin")))
    if done:
        project.execute(SetStatus(first.id, gold.id, DocumentStatus.DONE))


def test_gold_only(sample_project: Project, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no gold layer"):
        export_project(
            sample_project,
            format="jsonl",
            out_dir=tmp_path / "none",
            selection=ExportSelection(mode=ExportMode.GOLD),
        )
    add_gold(sample_project, done=False)
    report = export_project(
        sample_project,
        format="jsonl",
        out_dir=tmp_path / "g1",
        selection=ExportSelection(mode=ExportMode.GOLD),
    )
    assert report.failed is not None and "no document is curated" in report.failed
    assert not (tmp_path / "g1").exists()
    gold = sample_project.annotator(GOLD_ANNOTATOR)
    assert gold is not None
    sample_project.execute(
        SetStatus(sample_project.documents()[0].id, gold.id, DocumentStatus.DONE)
    )
    report = export_project(
        sample_project,
        format="jsonl",
        out_dir=tmp_path / "g2",
        selection=ExportSelection(mode=ExportMode.GOLD),
    )
    [row] = records(tmp_path / "g2" / "documents.jsonl")
    [layer] = row["annotations"]
    assert layer["annotator"] == "gold" and [s["text"] for s in layer["spans"]] == ["Baek Tae-jin"]
    default = export_project(sample_project, format="jsonl", out_dir=tmp_path / "d", selection=ALL)
    assert default.ok
    rows = records(tmp_path / "d" / "documents.jsonl")
    assert "gold" not in {a["annotator"] for r in rows for a in r["annotations"]}


def test_nothing_done_is_a_failure_with_the_reason(project: Project, tmp_path: Path) -> None:
    project.ensure_annotator("alice")
    report = export_project(project, format="jsonl", out_dir=tmp_path / "out")
    assert report.failed is not None
    assert "no document is marked done by alice; use --all-documents" in report.failed
    assert not (tmp_path / "out").exists()


def test_selection_errors(sample_project: Project, tmp_path: Path, project: Project) -> None:
    with pytest.raises(ExportError, match="no annotator called 'carol'"):
        export_project(
            sample_project,
            format="jsonl",
            out_dir=tmp_path / "x",
            selection=ExportSelection(annotators=("carol",)),
        )
    with pytest.raises(ExportError, match="no annotators yet"):
        export_project(project, format="jsonl", out_dir=tmp_path / "y")
    with pytest.raises(ExportError, match="no document with id 99"):
        export_project(
            sample_project,
            format="jsonl",
            out_dir=tmp_path / "z",
            selection=ExportSelection(document_ids=(1, 99)),
        )
    with pytest.raises(Exception, match="unknown export format 'csv'"):
        export_project(sample_project, format="csv", out_dir=tmp_path / "w")


def test_document_ids_restrict_the_export(sample_project: Project, tmp_path: Path) -> None:
    selection = ExportSelection(documents=DocumentChoice.ALL, document_ids=(2, 5))
    export_project(sample_project, format="jsonl", out_dir=tmp_path / "o", selection=selection)
    rows = records(tmp_path / "o" / "documents.jsonl")
    ids = {d.sha256: d.id for d in sample_project.documents()}
    assert [ids[r["sha256"]] for r in rows] == [2, 5]


def test_split_is_deterministic_and_follows_the_ratios(
    sample_project: Project, tmp_path: Path
) -> None:
    def split_files(out: Path, seed: int) -> dict[str, list[str]]:
        selection = ExportSelection(
            documents=DocumentChoice.ALL, split=(0.5, 0.25, 0.25), seed=seed
        )
        export_project(sample_project, format="jsonl", out_dir=out, selection=selection)
        return {p.stem: [r["sha256"] for r in records(p)] for p in sorted(out.glob("*.jsonl"))}

    first = split_files(tmp_path / "a", 7)
    again = split_files(tmp_path / "b", 7)
    other = split_files(tmp_path / "c", 8)
    assert first == again
    assert sorted(first) == ["dev", "test", "train"]
    assert [len(first[n]) for n in ("train", "dev", "test")] == [4, 2, 2]
    assert first != other
    assert sorted(h for names in first.values() for h in names) == sorted(
        d.sha256 for d in sample_project.documents()
    )


def test_split_of_per_document_formats_uses_folders(
    sample_project: Project, tmp_path: Path
) -> None:
    selection = ExportSelection(
        annotators=("alice",), documents=DocumentChoice.ALL, split=(0.5, 0.5, 0)
    )
    report = export_project(
        sample_project, format="brat", out_dir=tmp_path / "b", selection=selection
    )
    folders = {p.relative_to(tmp_path / "b").parts[0] for p in report.files}
    assert folders == {"train", "dev", "annotation.conf", "visual.conf"}
    assert any("test split(s) got no documents" in n for n in report.notes)


def test_assign_splits_and_parse_split() -> None:
    ids = list(range(1, 11))
    result = assign_splits(ids, (0.8, 0.1, 0.1), 1)
    assert sorted(result) == ids
    assert [list(result.values()).count(n) for n in ("train", "dev", "test")] == [8, 1, 1]
    assert assign_splits(ids, (8, 1, 1), 1) == result  # ratios are normalised
    assert [
        list(assign_splits(ids[:3], (1, 1, 1), 0).values()).count(n)
        for n in ("train", "dev", "test")
    ] == [1, 1, 1]
    assert parse_split("0.8, 0.1,0.1") == (0.8, 0.1, 0.1)
    with pytest.raises(ExportError, match="three ratios"):
        parse_split("0.8,0.2")
    with pytest.raises(ExportError, match="three numbers"):
        parse_split("a,b,c")
    with pytest.raises(ExportError, match="non-negative"):
        assign_splits(ids, (-1, 1, 1), 0)


def test_per_document_files(sample_project: Project, tmp_path: Path) -> None:
    report = export_project(
        sample_project,
        format="jsonl",
        out_dir=tmp_path / "o",
        selection=ALL,
        options=ExportOptions(one_file=False),
    )
    assert len(report.files) == 8
    assert all(len(records(p)) == 1 for p in report.files)


def test_a_non_empty_folder_needs_force(sample_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="is not empty; choose another folder or use --force"):
        export_project(sample_project, format="jsonl", out_dir=out, selection=ALL)
    report = export_project(sample_project, format="jsonl", out_dir=out, selection=ALL, force=True)
    assert report.ok and (out / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert f"1 other file(s) already in {out} were left as they were" in report.notes
    assert sorted(p.name for p in out.iterdir()) == ["documents.jsonl", "mine.txt"]
    assert not list(tmp_path.glob(".out.partial-*"))


def test_the_default_folder(sample_project: Project, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_out_dir("SpanLab sample", "brat") == Path("exports/spanlab-sample-brat")
    report = export_project(sample_project, format="jsonl", selection=ALL)
    assert report.out_dir == Path("exports/spanlab-sample-jsonl")
    assert (tmp_path / "exports" / "spanlab-sample-jsonl" / "documents.jsonl").is_file()


def test_progress_and_cancel_leave_nothing_behind(sample_project: Project, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    report = export_project(
        sample_project,
        format="brat",
        out_dir=tmp_path / "out",
        selection=ALL,
        progress=lambda done, total, current: seen.append((done, total)),
    )
    assert report.ok
    assert seen[0] == (0, 16) and seen[-1] == (16, 16)  # 8 documents x 2 annotator folders
    cancelled = export_project(
        sample_project,
        format="brat",
        out_dir=tmp_path / "cancelled",
        selection=ALL,
        cancel=lambda: True,
    )
    assert cancelled.cancelled and not cancelled.ok and cancelled.files == []
    assert not (tmp_path / "cancelled").exists()
    assert not list(tmp_path.glob(".cancelled.partial-*"))


def test_what_a_format_cannot_carry_is_counted(sample_project: Project, tmp_path: Path) -> None:
    report = export_project(sample_project, format="doccano", out_dir=tmp_path / "d", selection=ALL)
    attribute_values = sum(
        len(s.attributes) for d in sample_project.documents() for s in sample_project.spans(d.id)
    )
    relation_values = sum(
        len(r.attributes)
        for d in sample_project.documents()
        for r in sample_project.relations(d.id)
    )
    assert report.left_out["span attribute values (doccano has none)"] == attribute_values > 0
    assert report.left_out["relation attribute values (doccano has none)"] == relation_values > 0


class _Misaligning:
    name = "fake"
    description = "misaligns every span"
    carries = frozenset({Feature.SPANS})

    def __init__(self, *, raise_error: bool = False) -> None:
        self.raise_error = raise_error

    def write(
        self,
        documents: Iterable[ExportDocument],
        out_dir: Path,
        *,
        schema: Schema,
        options: ExportOptions,
        report: ExportReport,
    ) -> None:
        (out_dir / "data.txt").write_text("x", encoding="utf-8")
        for export in documents:
            for layer in export.layers:
                for span in layer.spans:
                    report.misalign(f"{span.text!r} in {export.document.title}")
            if self.raise_error:
                raise ExportRefusedError("stopped at the first misaligned span")


@pytest.mark.parametrize("raise_error", [False, True])
def test_refused_alignment_writes_nothing(
    sample_project: Project, tmp_path: Path, monkeypatch: Any, raise_error: bool
) -> None:
    monkeypatch.setattr(
        exporting.registry, "exporter", lambda name: _Misaligning(raise_error=raise_error)
    )
    report = export_project(
        sample_project,
        format="conll",
        out_dir=tmp_path / "out",
        selection=ALL,
        options=ExportOptions(alignment=Alignment.REFUSE),
    )
    assert report.failed is not None and not report.ok
    assert report.misaligned > 0 and report.misaligned_examples
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_force_replaces_the_folders_the_export_writes(
    sample_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "alice").mkdir(parents=True)
    (out / "alice" / "stale-document.ann").write_text("T1\tPERSON 0 1\tx\n", encoding="utf-8")
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    report = export_project(
        sample_project,
        format="jsonl",
        out_dir=out,
        selection=ExportSelection(mode=ExportMode.PER_ANNOTATOR, documents=DocumentChoice.ALL),
        force=True,
    )
    assert report.ok, report.failed
    assert not (out / "alice" / "stale-document.ann").exists()
    assert (out / "alice" / "documents.jsonl").is_file()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert "1 file(s) of an earlier export in the folders this export wrote were removed" in (
        report.notes
    )
    assert f"1 other file(s) already in {out} were left as they were" in report.notes
