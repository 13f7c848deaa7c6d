"""The token formats behind ``export_project``: the bundled sample project, split, read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from token_corpus import export, news_corpus

from spanlab.core.exporting import ExportSelection, export_project
from spanlab.core.formats import registry
from spanlab.core.project import Project

FORMATS = ("conll", "spacy", "hf", "tacred", "docred", "xmi")


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_project_exports_and_reads_back(
    sample_project: Project, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / fmt
    report = export_project(
        sample_project,
        format=fmt,
        out_dir=out,
        selection=ExportSelection(split=(0.6, 0.2, 0.2)),
    )
    assert report.ok, report.failed
    assert report.misaligned == 0, report.misaligned_examples
    assert report.files and all(path.is_file() for path in report.files)
    if fmt not in registry.import_formats():
        return
    reader = registry.reader(fmt)
    data = [p for p in report.files if registry.detect_reader(p) == fmt]
    assert data
    documents = [d for path in data for d in reader.read(path, options={})]
    spans = sum(len(layer.spans) for d in documents for layer in d.layers)
    relations = sum(len(layer.relations) for d in documents for layer in d.layers)
    overlaps = report.left_out.get("overlapping spans (CoNLL is flat)", 0)
    assert spans == report.spans - overlaps
    if fmt != "conll":
        assert relations == report.relations


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_input_same_bytes(tmp_path: Path, fmt: str) -> None:
    """Golden files are compared byte for byte: every file must come out identical."""
    exporter = registry.exporter(fmt)
    for name in ("a", "b"):
        export(exporter, news_corpus(), tmp_path / name, scheme="BIOES")
    first = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    second = sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert first == second and first
    for relative in first:
        assert (tmp_path / "a" / relative).read_bytes() == (tmp_path / "b" / relative).read_bytes()
