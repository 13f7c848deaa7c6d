"""Round trips: what our exporters write, our readers give back exactly.

The corpus has a document imported from a CRLF file, emoji before and inside spans
(🇰🇷, 👨‍👩‍👧), accents, overlapping and nested spans, three layers (alice, bob,
gold), relations (one symmetric, one with an attribute), span attributes of every
kind and entity groups.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spanlab.core.commands import AddRelation, AddSpan, SetStatus
from spanlab.core.entities import CreateEntity
from spanlab.core.exporting import (
    DocumentChoice,
    ExportMode,
    ExportSelection,
    export_project,
)
from spanlab.core.importing.annotated import import_annotated
from spanlab.core.importing.pipeline import import_paths
from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project

CRLF_TEXT = (
    "Seoul talks 🇰🇷\r\n\r\n"
    "First Vice Foreign Minister Baek Tae-jin met Japan's Haruki Takeda on Friday.\r\n"
    "The family 👨‍👩‍👧 of Kang Min-seo watched; Baek later called Takeda a partner.\r\n"
)
ACCENT_TEXT = (
    "Café talks in Genève\n\n"
    "Türkiye's ambassador Ayşe Demir, a former envoy 😀, met Denmark's Lars Holm "
    "at the United Nations on Oct. 6, 2023."
)

EVERYONE = ("alice", "bob", "gold")  # the default selection leaves the gold layer out

# (label, text, occurrence, attributes)
SpanSpec = tuple[str, str, int, dict[str, Any]]

LAYERS: dict[str, dict[str, dict[str, Any]]] = {
    "crlf": {
        "alice": {
            "status": DocumentStatus.DONE,
            "spans": [
                ("LOCATION", "Seoul", 1, {}),
                ("EVENT", "talks", 1, {}),
                ("COUNTRY", "🇰🇷", 1, {"iso_code": "KR"}),
                ("ROLE", "First Vice Foreign Minister", 1, {"former": True}),
                ("ROLE", "Foreign Minister", 1, {}),  # nested in the one above
                ("PERSON", "Baek Tae-jin", 1, {}),
                ("COUNTRY", "Japan", 1, {"iso_code": "JP"}),
                ("PERSON", "Haruki Takeda", 1, {}),
                ("DATE", "Friday", 1, {"normalized": "2023-10-06"}),
                ("PERSON", "Kang Min-seo", 1, {}),
                ("PERSON", "Baek", 2, {}),
                ("PERSON", "Takeda", 2, {}),
            ],
            "relations": [
                ("HOLDS_ROLE", 5, 3, {}),
                ("MEETS", 7, 5, {}),  # symmetric, given "backwards"
                ("HAPPENED_ON", 1, 8, {"certainty": "approximate"}),
            ],
            "entities": [("Baek Tae-jin", [5, 10]), ("Takeda Haruki", [7, 11])],
        },
        "bob": {
            "status": DocumentStatus.DONE,
            "spans": [
                ("ROLE", "Vice Foreign Minister", 1, {}),
                ("PERSON", "Baek Tae-jin", 1, {}),
                ("PERSON", "Baek Tae-jin met Japan's Haruki", 1, {}),  # crosses others
                ("PERSON", "Kang Min-seo", 1, {}),
                ("COUNTRY", "👨‍👩‍👧 of Kang", 1, {"iso_code": "XX"}),
            ],
            "relations": [("HOLDS_ROLE", 1, 0, {})],
            "entities": [],
        },
        "gold": {
            "status": DocumentStatus.IN_PROGRESS,
            "spans": [
                ("PERSON", "Baek Tae-jin", 1, {}),
                ("PERSON", "Haruki Takeda", 1, {}),
            ],
            "relations": [("MEETS", 0, 1, {})],
            "entities": [],
        },
    },
    "accent": {
        "alice": {
            "status": DocumentStatus.DONE,
            "spans": [
                ("LOCATION", "Genève", 1, {}),
                ("COUNTRY", "Türkiye", 1, {"iso_code": "TR"}),
                ("ROLE", "ambassador", 1, {}),
                ("PERSON", "Ayşe Demir", 1, {}),
                ("ROLE", "envoy", 1, {"former": True}),
                ("COUNTRY", "Denmark", 1, {"iso_code": "DK"}),
                ("PERSON", "Lars Holm", 1, {}),
                ("ORGANIZATION", "United Nations", 1, {}),
                ("DATE", "Oct. 6, 2023", 1, {"normalized": "2023-10-06"}),
            ],
            "relations": [
                ("HOLDS_ROLE", 3, 2, {}),
                ("ROLE_OF", 2, 1, {}),
                ("MEETS", 3, 6, {}),
            ],
            "entities": [],
        },
        "bob": {"status": DocumentStatus.IN_PROGRESS, "spans": [], "relations": []},
    },
}


def _find(text: str, needle: str, occurrence: int) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return position


def build_corpus(project: Project, folder: Path) -> None:
    """Import the two texts (one from a CRLF file) and annotate them."""
    crlf = folder / "crlf.txt"
    crlf.write_bytes(CRLF_TEXT.encode("utf-8"))
    accent = folder / "accent.txt"
    accent.write_text(ACCENT_TEXT, encoding="utf-8")
    report = import_paths(project, [crlf, accent])
    assert len(report.imported) == 2
    ids = {"crlf": report.imported[0], "accent": report.imported[1]}
    annotators = {n: project.ensure_annotator(n).id for n in ("alice", "bob", "gold")}
    with project.edit() as store:
        for doc_key, layers in LAYERS.items():
            doc_id = ids[doc_key]
            text = store.text_of(doc_id)
            for name, layer in layers.items():
                span_ids = []
                for label, needle, occurrence, attributes in layer["spans"]:
                    start = _find(text, needle, occurrence)
                    command = AddSpan(
                        doc_id, annotators[name], label, start, start + len(needle), attributes
                    )
                    command.apply(store)
                    span_ids.append(command.span_id)
                for label, head, tail, attributes in layer["relations"]:
                    AddRelation(span_ids[head], span_ids[tail], label, attributes).apply(store)
                for entity_name, members in layer.get("entities", []):
                    CreateEntity(
                        doc_id, annotators[name], entity_name, [span_ids[m] for m in members]
                    ).apply(store)
                SetStatus(doc_id, annotators[name], layer["status"]).apply(store)


@pytest.fixture
def corpus(project: Project, tmp_path: Path) -> Project:
    build_corpus(project, tmp_path)
    return project


def content(
    project: Project,
    *,
    attributes: bool = True,
    relation_attributes: bool = True,
    entities: bool = True,
    statuses: bool = False,
) -> dict[tuple[str, str], Any]:
    """Everything annotated, keyed by (document sha256, annotator), without database ids."""
    result: dict[tuple[str, str], Any] = {}
    for annotator in project.annotators():
        for summary in project.documents():
            spans = project.spans(summary.id, annotator.id)
            relations = project.relations(summary.id, annotator.id)
            status = project.status(summary.id, annotator.id).status
            if not spans and not relations and (not statuses or status is DocumentStatus.NEW):
                continue
            by_id = {s.id: (s.label, s.start, s.end, s.text) for s in spans}
            names = {e.id: e.name for e in project.entities(summary.id, annotator.id)}
            layer: dict[str, Any] = {
                "spans": sorted(
                    (
                        *by_id[s.id],
                        sorted(s.attributes.items()) if attributes else [],
                        names.get(s.entity_id) if entities and s.entity_id else None,
                    )
                    for s in spans
                ),
                "relations": sorted(
                    (
                        r.label,
                        _ends(r.label, by_id[r.head_id], by_id[r.tail_id]),
                        sorted(r.attributes.items()) if relation_attributes else [],
                    )
                    for r in relations
                ),
            }
            if statuses:
                layer["status"] = status
            result[(summary.sha256, annotator.name)] = layer
    return result


def _ends(label: str, head: Any, tail: Any) -> tuple[Any, Any]:
    """Relation ends; a symmetric relation (MEETS) has no direction."""
    if label == "MEETS" and tail < head:
        return tail, head
    return head, tail


def _export(project: Project, format: str, out: Path, **selection: Any) -> None:
    report = export_project(
        project,
        format=format,
        out_dir=out,
        selection=ExportSelection(documents=DocumentChoice.ALL, **selection),
    )
    assert report.ok, report.failed


def _fresh(tmp_path: Path, name: str) -> Project:
    return Project.create(tmp_path / f"{name}.spanlab")


def _imported(report: Any) -> None:
    assert report.ok, [str(p) for p in report.problems]


def test_the_corpus_has_what_the_round_trips_need(corpus: Project) -> None:
    texts = [corpus.document(s.id).text for s in corpus.documents()]
    assert "\r" not in texts[0] and "🇰🇷" in texts[0] and "👨‍👩‍👧" in texts[0]
    layers = content(corpus)
    assert len(layers) == 4  # alice on both, bob and gold on the first (bob: empty on 2)
    spans = [s for layer in layers.values() for s in layer["spans"]]
    assert any(s[0] == "COUNTRY" and s[3] == "🇰🇷" for s in spans)
    assert any(s[4] for s in spans) and any(s[5] for s in spans)


def test_jsonl_round_trip_is_byte_identical_and_gives_the_same_records(
    corpus: Project, tmp_path: Path
) -> None:
    _export(corpus, "jsonl", tmp_path / "first", annotators=EVERYONE)
    fresh = _fresh(tmp_path, "fresh")
    _imported(import_annotated(fresh, [tmp_path / "first" / "documents.jsonl"]))
    _export(fresh, "jsonl", tmp_path / "second", annotators=EVERYONE)
    first = (tmp_path / "first" / "documents.jsonl").read_bytes()
    assert first == (tmp_path / "second" / "documents.jsonl").read_bytes()
    assert content(fresh, statuses=True) == content(corpus, statuses=True)
    original = [corpus.document(s.id) for s in corpus.documents()]
    copied = [fresh.document(s.id) for s in fresh.documents()]
    for before, after in zip(original, copied, strict=True):
        assert (before.text, before.title, before.source, dict(before.metadata)) == (
            after.text,
            after.title,
            after.source,
            dict(after.metadata),
        )


def test_brat_round_trip_per_annotator_folder(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    _export(corpus, "brat", out, annotators=("alice", "bob"))
    _export(corpus, "brat", out / "gold", mode=ExportMode.GOLD)
    fresh = _fresh(tmp_path, "fresh")
    for name in ("alice", "bob", "gold"):
        _imported(import_annotated(fresh, [out / name], annotator=name))
    assert content(fresh) == content(corpus)


def test_brat_offsets_count_code_points_and_the_txt_is_the_canonical_text(
    corpus: Project, tmp_path: Path
) -> None:
    out = tmp_path / "brat"
    _export(corpus, "brat", out, annotators=("alice",))
    [ann] = [p for p in sorted(out.glob("*.ann")) if "seoul" in p.name]
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    assert "\r" not in text
    flag = next(line for line in ann.read_text(encoding="utf-8").splitlines() if "🇰🇷" in line)
    _, header, covered = flag.split("\t")
    _, start, end = header.split()
    assert text[int(start) : int(end)] == covered == "🇰🇷"


def test_doccano_round_trip_one_file_per_annotator(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "doccano"
    _export(corpus, "doccano", out, annotators=EVERYONE)
    assert sorted(p.name for p in out.iterdir()) == ["alice.jsonl", "bob.jsonl", "gold.jsonl"]
    fresh = _fresh(tmp_path, "fresh")
    for name in ("alice", "bob", "gold"):
        _imported(import_annotated(fresh, [out / f"{name}.jsonl"], annotator=name))
    expected = content(corpus, attributes=False, relation_attributes=False, entities=False)
    assert content(fresh, attributes=False, relation_attributes=False, entities=False) == expected


def test_labelstudio_round_trip_one_annotation_per_annotator(
    corpus: Project, tmp_path: Path
) -> None:
    out = tmp_path / "ls"
    _export(corpus, "labelstudio", out, annotators=EVERYONE)
    fresh = _fresh(tmp_path, "fresh")
    _imported(import_annotated(fresh, [out / "tasks.json"]))
    expected = content(corpus, relation_attributes=False, entities=False)
    assert content(fresh, relation_attributes=False, entities=False) == expected
    assert {a.name for a in fresh.annotators()} == {"alice", "bob", "gold"}


@pytest.mark.parametrize("format", ["jsonl", "brat", "doccano", "labelstudio"])
def test_a_second_export_of_the_same_project_is_identical(
    corpus: Project, tmp_path: Path, format: str
) -> None:
    _export(corpus, format, tmp_path / "a")
    _export(corpus, format, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*"))
    assert files_a == files_b
    for relative in files_a:
        if (tmp_path / "a" / relative).is_file():
            assert (tmp_path / "a" / relative).read_bytes() == (
                tmp_path / "b" / relative
            ).read_bytes()


def test_sample_project_jsonl_round_trip(sample_project: Project, tmp_path: Path) -> None:
    _export(sample_project, "jsonl", tmp_path / "first")
    fresh = _fresh(tmp_path, "fresh")
    _imported(import_annotated(fresh, [tmp_path / "first" / "documents.jsonl"]))
    _export(fresh, "jsonl", tmp_path / "second")
    first = (tmp_path / "first" / "documents.jsonl").read_bytes()
    assert first == (tmp_path / "second" / "documents.jsonl").read_bytes()
    assert content(fresh, statuses=True) == content(sample_project, statuses=True)
