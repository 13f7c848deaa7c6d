"""doccano: per-annotator files, relation shape, both reader shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spanlab.core.errors import InputError
from spanlab.core.formats.base import (
    AnnotationLayer,
    ExportDocument,
    ExportOptions,
    ExportReport,
)
from spanlab.core.formats.doccano import EXPORTER, READER
from spanlab.core.model import (
    AnnotatorId,
    Document,
    DocumentId,
    DocumentStatus,
    Relation,
    RelationId,
    Span,
    SpanId,
)
from spanlab.core.project import default_schema

TEXT = "Google 🚀 was founded by Larry Page."
DOC = Document(DocumentId(4), "Founders", TEXT, "a" * 64)


def layer(name: str) -> AnnotationLayer:
    a = AnnotatorId(1 if name == "alice" else 2)
    org = TEXT.index("Google")
    person = TEXT.index("Larry Page")
    spans = (
        Span(SpanId(5), DOC.id, a, "PERSON", person, person + 10, "Larry Page"),
        Span(SpanId(6), DOC.id, a, "ORGANIZATION", org, org + 6, "Google"),
    )
    relations = (Relation(RelationId(1), DOC.id, a, "MEMBER_OF", SpanId(5), SpanId(6)),)
    return AnnotationLayer(name, DocumentStatus.DONE, spans, relations)


def write(tmp_path: Path, options: ExportOptions, split: str | None = None) -> ExportReport:
    report = ExportReport("doccano")
    EXPORTER.write(
        [ExportDocument(DOC, (layer("alice"), layer("bob")), split)],
        tmp_path,
        schema=default_schema(),
        options=options,
        report=report,
    )
    return report


def test_one_file_per_annotator_with_entities_and_relations(tmp_path: Path) -> None:
    report = write(tmp_path, ExportOptions())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alice.jsonl", "bob.jsonl"]
    record = json.loads((tmp_path / "alice.jsonl").read_text(encoding="utf-8"))
    assert record == {
        "id": 4,
        "text": TEXT,
        "title": "Founders",
        "sha256": "a" * 64,
        "entities": [
            {"id": 1, "label": "ORGANIZATION", "start_offset": 0, "end_offset": 6},
            {"id": 2, "label": "PERSON", "start_offset": 24, "end_offset": 34},
        ],
        "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "MEMBER_OF"}],
    }
    assert any("UTF-16" in note for note in report.notes)  # the rocket is outside the BMP


def test_split_and_per_document_layouts(tmp_path: Path) -> None:
    write(tmp_path / "split", ExportOptions(), "train")
    assert sorted(p.name for p in (tmp_path / "split" / "train").iterdir()) == [
        "alice.jsonl",
        "bob.jsonl",
    ]
    write(tmp_path / "docs", ExportOptions(one_file=False))
    assert (tmp_path / "docs" / "bob" / "000004-founders.jsonl").is_file()


def test_reader_reads_relations_and_label_triples(tmp_path: Path) -> None:
    write(tmp_path, ExportOptions())
    path = tmp_path / "alice.jsonl"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            json.dumps({"text": "EU rejects German call", "label": [[0, 2, "ORG"]]}) + "\n"
        )
    assert READER.sniff(path, path.read_bytes()[:64])
    first, second = READER.read(path, options={})
    [layer_one] = first.layers
    assert layer_one.annotator is None
    assert [(s.key, s.label, s.start, s.end, s.text) for s in layer_one.spans] == [
        ("1", "ORGANIZATION", 0, 6, None),
        ("2", "PERSON", 24, 34, None),
    ]
    assert [(r.head_key, r.tail_key, r.label) for r in layer_one.relations] == [
        ("2", "1", "MEMBER_OF")
    ]
    assert first.title == "Founders" and first.sha256 == "a" * 64
    assert [(s.label, s.start, s.end) for s in second.layers[0].spans] == [("ORG", 0, 2)]
    assert second.line == 2


def test_reader_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"text": "x y", "entities": [{"id": 1, "label": "A"}]})
        + "\n"
        + json.dumps({"text": 3})
        + "\n",
        encoding="utf-8",
    )
    documents = READER.read(path, options={})
    first = next(documents)
    assert first.problems[0].line == 1 and "start_offset" in first.problems[0].problem
    with pytest.raises(InputError, match="'text' must be a string") as info:
        next(documents)
    assert info.value.line == 2


def test_classification_jsonl_is_not_doccano_spans(tmp_path: Path) -> None:
    path = tmp_path / "cls.jsonl"
    path.write_text(json.dumps({"text": "good film", "label": "positive"}) + "\n", encoding="utf-8")
    assert not READER.sniff(path, path.read_bytes())
