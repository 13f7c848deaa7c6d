"""brat standoff: configuration, every line type written and read, awkward input."""

from __future__ import annotations

from pathlib import Path

import pytest

from spanlab.core.errors import InputError
from spanlab.core.formats.base import (
    AnnotationLayer,
    ExportDocument,
    ExportOptions,
    ExportReport,
)
from spanlab.core.formats.brat import EXPORTER, READER, annotation_conf, visual_conf
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
    frozen_map,
)
from spanlab.core.project import default_schema

TEXT = "Former envoy Baek Tae-jin met Takeda in Seoul 🇰🇷 on Friday;\nBaek smiled."
DOC = Document(DocumentId(3), "Talks", TEXT, "0" * 64)
A = AnnotatorId(1)


def span(
    ident: int,
    label: str,
    needle: str,
    occurrence: int = 1,
    entity: int | None = None,
    **attrs: object,
) -> Span:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(needle, start + 1)
    return Span(
        SpanId(ident),
        DOC.id,
        A,
        label,
        start,
        start + len(needle),
        needle,
        frozen_map(attrs),
        EntityId(entity) if entity else None,
    )


def export(layer: AnnotationLayer, tmp_path: Path) -> tuple[str, ExportReport]:
    report = ExportReport("brat")
    EXPORTER.write(
        [ExportDocument(DOC, (layer,))],
        tmp_path,
        schema=default_schema(),
        options=ExportOptions(),
        report=report,
    )
    return (tmp_path / "000003-talks.ann").read_text(encoding="utf-8"), report


def test_annotation_conf_declares_types_arguments_and_attributes() -> None:
    conf = annotation_conf(default_schema())
    assert "[entities]\nPERSON\nROLE\n" in conf
    assert "HOLDS_ROLE\tArg1:PERSON, Arg2:ROLE\n" in conf
    assert "REPRESENTS\tArg1:PERSON, Arg2:COUNTRY|ORGANIZATION\n" in conf
    assert "MEETS\tArg1:PERSON, Arg2:PERSON, <REL-TYPE>:symmetric\n" in conf
    assert "Coref\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive\n" in conf
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n" in conf
    assert conf.endswith("[attributes]\nformer\tArg:ROLE\n")
    assert "PERSON\tbgColor:#FFD6A5" in visual_conf(default_schema())


def test_every_kind_of_annotation_line(tmp_path: Path) -> None:
    spans = (
        span(1, "ROLE", "envoy", former=True),
        span(2, "PERSON", "Baek Tae-jin", entity=9),
        span(3, "PERSON", "Takeda", comment="seen on TV"),
        span(4, "COUNTRY", "🇰🇷", iso_code="KR"),
        span(5, "DATE", "Friday;\nBaek", normalized="2023-10-06"),
        span(6, "PERSON", "Baek", 2, entity=9),
        span(7, "ROLE", "Former envoy", former=False),
    )
    relations = (
        Relation(RelationId(1), DOC.id, A, "HOLDS_ROLE", SpanId(2), SpanId(1)),
        Relation(
            RelationId(2),
            DOC.id,
            A,
            "HAPPENED_ON",
            SpanId(3),
            SpanId(5),
            frozen_map({"certainty": "approximate"}),
        ),
        Relation(RelationId(3), DOC.id, A, "MEETS", SpanId(3), SpanId(2)),
    )
    entities = (Entity(EntityId(9), DOC.id, A, "Baek Tae-jin (envoy)"),)
    ann, report = export(
        AnnotationLayer("alice", DocumentStatus.DONE, spans, relations, entities), tmp_path
    )
    lines = ann.splitlines()
    assert lines[:3] == [
        "T1\tROLE 0 12\tFormer envoy",
        "T2\tROLE 7 12\tenvoy",
        "T3\tPERSON 13 25\tBaek Tae-jin",
    ]
    assert "T6\tDATE 52 64\tFriday; Baek" in lines  # line break written as a space
    assert "R2\tMEETS Arg1:T3 Arg2:T4" in lines  # symmetric: lower number first
    assert "*\tCoref T3 T7" in lines
    assert "A1\tformer T2" in lines
    assert "N1\tReference T5 iso_code:KR\tKR" in lines
    assert "N2\tReference T6 normalized:2023-10-06\t2023-10-06" in lines
    assert "#1\tAnnotatorNotes T4\tcomment=seen on TV" in lines
    assert "#3\tAnnotatorNotes T3\tEntity: Baek Tae-jin (envoy)" in lines
    assert any(line.endswith("AnnotatorNotes R3\tcertainty=approximate") for line in lines)
    assert report.left_out == {
        "false boolean attribute values (brat's binary attributes only mark true)": 1
    }
    assert (tmp_path / "000003-talks.txt").read_text(encoding="utf-8") == TEXT

    [doc] = READER.read(tmp_path / "000003-talks.ann", options={})
    [layer] = doc.layers
    assert layer.annotator is None and not doc.problems
    by_key = {s.key: s for s in layer.spans}
    assert by_key["T2"].attributes == {"former": True}
    assert by_key["T4"].attributes == {"comment": "seen on TV"}
    assert by_key["T5"].attributes == {"iso_code": "KR"}
    assert by_key["T3"].entity_key == by_key["T7"].entity_key is not None
    assert [e.name for e in layer.entities] == ["Baek Tae-jin (envoy)"]
    assert [r.attributes for r in layer.relations if r.label == "HAPPENED_ON"] == [
        {"certainty": "approximate"}
    ]


def test_reader_takes_brat_s_own_variants(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "x.ann").write_text(
        "T1\tPERSON 13 25\tBaek Tae-jin\n"
        "T2\tPERSON 30 36\tTakeda\n"
        "T3\tPERSON 62 66\tBaek\n"
        "R1\tMEETS Anaphor:T1 Antecedent:T2\t\n"  # other role names, trailing tab
        "M1\tformer T1\n"
        "N1\tReference T1 Wikipedia:534366\tBaek\n"
        "#1\tAnnotatorNotes T2\tdouble-check\n"
        "*\tAlias T1 T3\n",
        encoding="utf-8",
    )
    assert READER.sniff(tmp_path / "x.txt", b"") and READER.sniff(tmp_path / "x.ann", b"")
    [doc] = READER.read(tmp_path / "x.txt", options={})
    [layer] = doc.layers
    spans = {s.key: s for s in layer.spans}
    assert spans["T1"].attributes == {"former": True, "Wikipedia": "534366"}
    assert spans["T2"].attributes == {"note": "double-check"}
    assert spans["T1"].entity_key == spans["T3"].entity_key
    assert [(r.head_key, r.tail_key) for r in layer.relations] == [("T1", "T2")]
    assert [e.name for e in layer.entities] == [None]  # named after its first mention later


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("T1\tPERSON 0 5;6 9\tFormer envoy", "discontinuous"),
        ("T1\tPERSON zero five\tx", "offsets must be 'START END'"),
        ("E1\tMeet:T1", "SpanLab has no events"),
        ("R1\tMEETS Arg1:T1", "expected 'TYPE Arg1:T1 Arg2:T2'"),
        ("A1\tformer T9", "refers to T9, which is not a span"),
        ("X1\tstrange", "unknown annotation id"),
        ("no tab here", "expected an id, a TAB"),
    ],
)
def test_reader_problems_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "x.ann").write_text(f"T5\tPERSON 13 25\tBaek Tae-jin\n{line}\n", encoding="utf-8")
    [doc] = READER.read(tmp_path / "x.ann", options={})
    [problem] = doc.problems
    assert message in problem.problem and problem.line == 2


def test_a_missing_text_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x.ann").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"no text file x\.txt"):
        list(READER.read(tmp_path / "x.ann", options={}))
