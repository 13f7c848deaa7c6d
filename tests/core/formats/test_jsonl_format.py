"""SpanLab JSONL: record shape, stable numbering, reader errors with line numbers."""

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
from spanlab.core.formats.spanlab_jsonl import EXPORTER, READER, document_record
from spanlab.core.model import (
    AnnotatorId,
    Document,
    DocumentId,
    DocumentStatus,
    Entity,
    EntityId,
    Relation,
    RelationId,
    Span,
    SpanId,
)
from spanlab.core.project import default_schema

TEXT = "Baek Tae-jin met Haruki Takeda 🇰🇷 in Seoul."
DOC = Document(DocumentId(7), "Seoul talks", TEXT, "f" * 64, source="a.txt")
A = AnnotatorId(1)


def span(ident: int, label: str, needle: str, entity: int | None = None) -> Span:
    start = TEXT.index(needle)
    return Span(
        SpanId(ident),
        DOC.id,
        A,
        label,
        start,
        start + len(needle),
        needle,
        entity_id=EntityId(entity) if entity else None,
    )


def layer() -> AnnotationLayer:
    # database ids deliberately out of text order
    spans = (
        span(30, "LOCATION", "Seoul"),
        span(10, "PERSON", "Haruki Takeda", entity=5),
        span(20, "PERSON", "Baek Tae-jin", entity=4),
        span(40, "COUNTRY", "🇰🇷"),
    )
    relations = (
        Relation(RelationId(1), DOC.id, A, "MEETS", SpanId(10), SpanId(20)),
        Relation(RelationId(2), DOC.id, A, "MEETS", SpanId(20), SpanId(30)),
    )
    entities = (Entity(EntityId(4), DOC.id, A, "Baek"), Entity(EntityId(5), DOC.id, A, "Takeda"))
    return AnnotationLayer("alice", DocumentStatus.DONE, spans, relations, entities)


def test_record_numbers_everything_in_text_order() -> None:
    record = document_record(ExportDocument(DOC, (layer(),)), default_schema())
    [annotations] = record["annotations"]
    assert [s["text"] for s in annotations["spans"]] == [
        "Baek Tae-jin",
        "Haruki Takeda",
        "🇰🇷",
        "Seoul",
    ]
    assert [s["id"] for s in annotations["spans"]] == [1, 2, 3, 4]
    assert [s["entity"] for s in annotations["spans"]] == [1, 2, None, None]
    assert annotations["entities"] == [{"id": 1, "name": "Baek"}, {"id": 2, "name": "Takeda"}]
    # MEETS is symmetric: written lower number first, whatever the stored direction
    assert [(r["head"], r["tail"]) for r in annotations["relations"]] == [(1, 2), (1, 4)]
    assert set(record) == {
        "text",
        "title",
        "source",
        "url",
        "published",
        "metadata",
        "sha256",
        "annotations",
    }


def test_lines_have_sorted_keys_and_keep_unicode(tmp_path: Path) -> None:
    EXPORTER.write(
        [ExportDocument(DOC, (layer(),))],
        tmp_path,
        schema=default_schema(),
        options=ExportOptions(),
        report=ExportReport("jsonl"),
    )
    line = (tmp_path / "documents.jsonl").read_text(encoding="utf-8")
    assert line.startswith('{"annotations": [{"annotator": "alice"')
    assert "🇰🇷" in line and line.endswith("}\n") and line.count("\n") == 1
    assert READER.sniff(tmp_path / "documents.jsonl", line.encode()[:100])


def write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


def test_reader_gives_back_layers_with_keys(tmp_path: Path) -> None:
    record = document_record(ExportDocument(DOC, (layer(),)), default_schema())
    [doc] = READER.read(write(tmp_path, record), options={})
    [read] = doc.layers
    assert doc.origin == "a.txt" and doc.sha256 == "f" * 64 and doc.line == 1
    assert read.annotator == "alice" and read.status is DocumentStatus.DONE
    assert [(s.key, s.text, s.entity_key) for s in read.spans][:2] == [
        ("1", "Baek Tae-jin", "1"),
        ("2", "Haruki Takeda", "2"),
    ]
    assert [(r.head_key, r.tail_key) for r in read.relations] == [("1", "2"), ("1", "4")]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("[1, 2]", "expected a JSON object"),
        ({"annotations": []}, "'text' must be a string"),
        ({"text": "x", "annotations": {}}, "'annotations' must be a list"),
        ({"text": "x", "annotations": [{"status": "done"}]}, "needs an 'annotator'"),
        ({"text": "x", "annotations": [{"annotator": "a", "status": "ok"}]}, "unknown status"),
        (
            {"text": "x", "annotations": [{"annotator": "a", "spans": [{"id": 1, "start": "0"}]}]},
            "'start' and 'end' must be integers",
        ),
    ],
)
def test_reader_errors_name_the_line(tmp_path: Path, record: object, message: str) -> None:
    path = write(tmp_path, {"text": "fine", "annotations": []}, record)
    with pytest.raises(InputError, match=message) as info:
        list(READER.read(path, options={}))
    assert info.value.line == 2 and str(info.value).startswith(f"{path}:2:")


def test_article_jsonl_is_not_taken_for_annotations(tmp_path: Path) -> None:
    path = write(tmp_path, {"text": "An article", "title": "t"})
    assert not READER.sniff(path, path.read_bytes())
