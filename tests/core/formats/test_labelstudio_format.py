"""Label Studio: labeling config, task shape, reading real-world variants."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from spanlab.core.formats.base import (
    AnnotationLayer,
    ExportDocument,
    ExportOptions,
    ExportReport,
)
from spanlab.core.formats.labelstudio import EXPORTER, READER, labeling_config
from spanlab.core.model import (
    AnnotatorId,
    Document,
    DocumentId,
    DocumentStatus,
    Relation,
    RelationId,
    Span,
    SpanId,
    frozen_map,
)
from spanlab.core.project import default_schema

TEXT = "Baek Tae-jin, former envoy, met Haruki Takeda in 🇰🇷."
DOC = Document(DocumentId(2), "Talks", TEXT, "b" * 64)


def make_span(ident: int, a: int, label: str, needle: str, **attrs: Any) -> Span:
    start = TEXT.index(needle)
    return Span(
        SpanId(ident),
        DOC.id,
        AnnotatorId(a),
        label,
        start,
        start + len(needle),
        needle,
        frozen_map(attrs),
    )


def layers() -> tuple[AnnotationLayer, ...]:
    alice = AnnotationLayer(
        "alice",
        DocumentStatus.DONE,
        (
            make_span(1, 1, "PERSON", "Haruki Takeda"),
            make_span(2, 1, "PERSON", "Baek Tae-jin"),
            make_span(3, 1, "ROLE", "envoy", former=True),
            make_span(4, 1, "COUNTRY", "🇰🇷", iso_code="KR", note="unlisted"),
        ),
        (
            Relation(RelationId(1), DOC.id, AnnotatorId(1), "MEETS", SpanId(1), SpanId(2)),
            Relation(RelationId(2), DOC.id, AnnotatorId(1), "HOLDS_ROLE", SpanId(2), SpanId(3)),
        ),
    )
    gold = AnnotationLayer(
        "gold", DocumentStatus.DONE, (make_span(9, 3, "PERSON", "Baek Tae-jin"),)
    )
    return (gold, alice)


def export(tmp_path: Path) -> tuple[list[dict[str, Any]], ExportReport]:
    report = ExportReport("labelstudio")
    EXPORTER.write(
        [ExportDocument(DOC, layers()), ExportDocument(DOC, layers())],
        tmp_path,
        schema=default_schema(),
        options=ExportOptions(),
        report=report,
    )
    return json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8")), report


def test_labeling_config_is_xml_with_labels_relations_and_attribute_controls() -> None:
    root = ET.fromstring(labeling_config(default_schema()))
    labels = root.find("Labels")
    assert labels is not None and labels.get("name") == "label"
    assert (labels[0].get("value"), labels[0].get("background")) == ("PERSON", "#FFD6A5")
    relations = root.find("Relations")
    assert relations is not None and "HOLDS_ROLE" in [r.get("value") for r in relations]
    text = root.find("Text")
    assert text is not None and text.get("value") == "$text"
    former = root.find("Choices[@name='ROLE-former']")
    assert former is not None and former.get("whenLabelValue") == "ROLE"
    assert root.find("TextArea[@name='COUNTRY-iso_code']") is not None


def test_tasks_have_one_annotation_per_annotator(tmp_path: Path) -> None:
    tasks, report = export(tmp_path)
    assert len(tasks) == 2
    [alice, gold] = tasks[0]["annotations"]
    assert alice["completed_by"] == {"username": "alice"} and not alice["ground_truth"]
    assert gold["completed_by"] == {"username": "gold"} and gold["ground_truth"]
    regions = [r for r in alice["result"] if r["type"] == "labels"]
    assert regions[0] == {
        "id": "t1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": 0, "end": 12, "text": "Baek Tae-jin", "labels": ["PERSON"]},
    }
    relations = [r for r in alice["result"] if r["type"] == "relation"]
    assert {(r["from_id"], r["to_id"], r["direction"], r["labels"][0]) for r in relations} == {
        ("t1", "t3", "bi", "MEETS"),
        ("t1", "t2", "right", "HOLDS_ROLE"),
    }
    former = next(r for r in alice["result"] if r["from_name"] == "ROLE-former")
    assert former["id"] == "t2" and former["value"]["choices"] == ["true"]
    assert sum(report.left_out.values()) == 2  # the undeclared "note", twice
    assert (tmp_path / "labeling_config.xml").is_file()


def test_reader_gives_back_what_was_written(tmp_path: Path) -> None:
    export(tmp_path)
    assert READER.sniff(tmp_path / "tasks.json", b"[\n{")
    first, _second = READER.read(tmp_path / "tasks.json", options={})
    assert first.line == 2 and first.title == "Talks"
    alice = next(layer for layer in first.layers if layer.annotator == "alice")
    spans = {s.key: s for s in alice.spans}
    assert spans["t2"].attributes == {"former": "true"}  # the importer makes it a boolean
    assert spans["t4"].attributes == {"iso_code": "KR"}
    assert spans["t4"].text == "🇰🇷"
    assert {(r.head_key, r.tail_key, r.label) for r in alice.relations} == {
        ("t1", "t3", "MEETS"),
        ("t1", "t2", "HOLDS_ROLE"),
    }


def test_reader_takes_label_studio_s_variants(tmp_path: Path) -> None:
    task = {
        "id": 5,
        "data": {"text": "Anna met Ben.", "source": "feed"},
        "annotations": [
            {
                "completed_by": {"id": 1, "email": "anna@example.org"},
                "result": [
                    {
                        "id": "a",
                        "from_name": "ner",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 0, "end": 4, "labels": ["PERSON", "ROLE"]},
                    },
                    {
                        "id": "b",
                        "from_name": "ner",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 9, "end": 12, "text": "Ben", "labels": ["PERSON"]},
                    },
                    {
                        "type": "relation",
                        "from_id": "b",
                        "to_id": "a",
                        "direction": "left",
                        "labels": ["MEETS"],
                    },
                ],
            },
            {"completed_by": 7, "was_cancelled": True, "result": []},
            {"completed_by": 8, "result": []},
        ],
        "predictions": [{"result": []}],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(task), encoding="utf-8")  # one task, not an array
    [doc] = READER.read(path, options={})
    anna, anonymous = doc.layers
    assert anna.annotator == "anna@example.org" and anonymous.annotator is None
    assert [(s.key, s.label, s.text) for s in anna.spans] == [
        ("a", "PERSON", None),
        ("a#2", "ROLE", None),
        ("b", "PERSON", "Ben"),
    ]
    assert [(r.head_key, r.tail_key) for r in anna.relations] == [("a", "b")]  # "left"
    assert doc.metadata == {"source": "feed", "format": "labelstudio"}
    assert any("cancelled" in n for n in doc.notes) and any("prediction" in n for n in doc.notes)
