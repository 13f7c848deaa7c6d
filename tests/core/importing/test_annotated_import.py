"""Importing annotation files: every check, with small broken files in tests/data/formats.

Each bad file must be refused whole, with a message naming the file and the line, and
leave the project exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from spanlab.core.errors import SpanLabError
from spanlab.core.importing.annotated import (
    AnnotatedImportReport,
    detect_format,
    find_inputs,
    import_annotated,
    label_colour,
)
from spanlab.core.importing.canonical_map import CanonicalMap
from spanlab.core.project import Project

DATA = Path(__file__).resolve().parents[2] / "data" / "formats"
TEXT = "Baek Tae-jin met Haruki Takeda in Seoul 🇰🇷 on Friday."


def snapshot(project: Project) -> Any:
    """Everything an import could change."""
    documents = project.documents()
    return (
        [(d.sha256, d.title) for d in documents],
        [
            (s.document_id, s.annotator_id, s.label, s.start, s.end, dict(s.attributes))
            for d in documents
            for s in project.spans(d.id)
        ],
        [(r.label, r.head_id, r.tail_id) for d in documents for r in project.relations(d.id)],
        project.schema(),
        [a.name for a in project.annotators()],
    )


def imported(project: Project, *names: str, **options: Any) -> AnnotatedImportReport:
    """Import sample files (names in tests/data/formats); every one must go in."""
    report = import_annotated(project, [DATA / name for name in names], **options)
    assert report.ok, report.problems
    return report


def refused(
    project: Project, name: str, *needles: str, line: int | None = None, **options: Any
) -> AnnotatedImportReport:
    """Import a broken sample file; it must be refused with the messages and change nothing."""
    path = DATA / name
    before = snapshot(project)
    report = import_annotated(project, [path], **options)
    assert not report.ok
    messages = [str(p) for p in report.problems]
    assert messages, "no problem was reported"
    target = path / "doc.ann" if path.is_dir() else path
    wanted = f"{target}:{line}:" if line is not None else str(target)
    assert any(m.startswith(wanted) for m in messages), messages
    for needle in needles:
        assert any(needle in m for m in messages), (needle, messages)
    assert snapshot(project) == before
    return report


def spans_of(project: Project, annotator: str) -> list[tuple[str, str]]:
    found = project.annotator(annotator)
    assert found is not None
    return [(s.label, s.text) for d in project.documents() for s in project.spans(d.id, found.id)]


# --------------------------------------------------------------------------- the good case


def test_a_good_brat_document_is_imported_with_relation_and_attribute(project: Project) -> None:
    report = imported(project, "brat-good", annotator="alice")
    [result] = report.files
    assert (result.created, result.spans, result.relations) == (1, 3, 1)
    [doc] = project.documents()
    assert project.document(doc.id).text == TEXT  # trailing newline trimmed
    alice = project.annotator("alice")
    assert alice is not None
    spans = project.spans(doc.id, alice.id)
    assert [(s.label, s.text) for s in spans][-1] == ("COUNTRY", "🇰🇷")
    assert spans[0].attributes == {"former": True}


def test_brat_needs_to_be_told_whose_annotations_these_are(project: Project) -> None:
    refused(project, "brat-good", "pass --annotator NAME")


# --------------------------------------------------------------------------- offsets


def test_offsets_outside_the_text_are_refused(project: Project) -> None:
    refused(project, "brat-outside", "ends after the text", line=4, annotator="a")


def test_covered_text_that_matches_no_unit_is_refused(project: Project) -> None:
    refused(
        project,
        "brat-text-mismatch",
        "covers 'Seoul' in the text, but the file says 'Tokyo'",
        line=4,
        annotator="a",
    )


def test_utf16_offsets_are_recognised_by_the_covered_text_and_converted(
    project: Project,
) -> None:
    report = imported(project, "labelstudio-utf16.json")
    assert any("UTF-16 code units" in n for n in report.files[0].notes)
    assert sorted(spans_of(project, "dana@example.org")) == [
        ("COUNTRY", "🇰🇷"),
        ("DATE", "Friday"),
        ("PERSON", "Baek Tae-jin"),
    ]


def test_byte_offsets_are_recognised_and_converted(project: Project) -> None:
    report = imported(project, "jsonl-bytes.jsonl")
    assert any("UTF-8 bytes" in n for n in report.files[0].notes)
    assert sorted(spans_of(project, "carol")) == [("DATE", "Friday"), ("LOCATION", "Seoul")]


def test_label_studio_text_that_does_not_match_is_refused(project: Project) -> None:
    refused(
        project,
        "labelstudio-mismatch.json",
        "the file says 'Sunday'",
        line=15,
    )


def test_doccano_code_points_are_kept_when_they_fit(project: Project) -> None:
    imported(project, "doccano-codepoints.jsonl", annotator="erin")
    assert sorted(spans_of(project, "erin")) == [("DATE", "Friday"), ("LOCATION", "Seoul")]


def test_doccano_utf16_offsets_are_detected_with_the_grapheme_heuristic(
    project: Project,
) -> None:
    report = imported(project, "doccano-utf16.jsonl", annotator="erin")
    assert any("UTF-16 code units" in n and "character boundaries" in n for n in report.notes)
    assert sorted(spans_of(project, "erin")) == [
        ("COUNTRY", "🇰🇷"),
        ("DATE", "Friday"),
        ("LOCATION", "Seoul"),
    ]


def test_doccano_offsets_that_fit_no_unit_are_refused(project: Project) -> None:
    refused(
        project,
        "doccano-cut-emoji.jsonl",
        "cuts a character in two",
        "ends after the text",
        line=1,
        annotator="erin",
    )


def test_doccano_label_triples_are_read(project: Project) -> None:
    imported(project, "doccano-label-shape.jsonl", annotator="erin")
    assert sorted(spans_of(project, "erin")) == [("LOCATION", "Seoul"), ("PERSON", "Baek Tae-jin")]


# --------------------------------------------------------------------------- canonical text


def test_offsets_of_a_crlf_text_are_mapped_onto_the_canonical_text(project: Project) -> None:
    report = imported(project, "brat-crlf", annotator="a")
    assert any("CR/CRLF line breaks became LF" in n for n in report.files[0].notes)
    [doc] = project.documents()
    assert "\r" not in project.document(doc.id).text
    assert sorted(spans_of(project, "a")) == [
        ("DATE", "Friday"),
        ("PERSON", "Baek Tae-jin"),
        ("PERSON", "Haruki Takeda"),
    ]


def test_a_span_ending_inside_a_crlf_pair_is_refused(project: Project) -> None:
    refused(project, "brat-crlf-split", "inside text that is changed", line=2, annotator="a")


def test_the_canonical_map_follows_every_canonicalisation_step() -> None:
    raw = "\ufeff\r\n\r\nCafe\u0301\r\nSeoul 🇰🇷\x07 end\r\n  \r\n"
    mapping = CanonicalMap(raw)
    text = mapping.canonical
    assert text == "Café\nSeoul 🇰🇷 end"
    for word in ("Cafe\u0301", "Seoul", "🇰🇷", "end"):
        start = raw.index(word)
        new_start, new_end = mapping.map(start), mapping.map(start + len(word))
        assert new_start is not None and new_end is not None
        assert text[new_start:new_end] == {"Cafe\u0301": "Café"}.get(word, word)
    assert mapping.map(raw.index("Cafe") + 4) is None  # between e and the combining accent
    assert mapping.map(raw.index("\r\nSeoul") + 1) is None  # between CR and LF
    assert mapping.map(1) is None  # inside the trimmed blank lines


# --------------------------------------------------------------------------- spans


def test_discontinuous_brat_spans_are_refused_naming_the_line(project: Project) -> None:
    refused(project, "brat-discontinuous", "is discontinuous", line=4, annotator="a")


def test_zero_length_spans_are_refused(project: Project) -> None:
    refused(project, "brat-zero-length", "is empty", line=4, annotator="a")


def test_duplicate_spans_are_merged_with_a_note(project: Project) -> None:
    report = imported(project, "brat-duplicate", annotator="a")
    assert any("repeats span T1" in n for n in report.files[0].notes)
    assert sorted(spans_of(project, "a")) == [
        ("PERSON", "Baek Tae-jin"),
        ("PERSON", "Haruki Takeda"),
    ]
    [doc] = project.documents()
    assert len(project.relations(doc.id)) == 1  # R2 duplicated R1 through the merged span


def test_duplicate_spans_with_different_attributes_are_refused(project: Project) -> None:
    refused(project, "jsonl-duplicate-conflict.jsonl", "different values for former", line=1)


def test_overlapping_spans_are_kept(project: Project) -> None:
    imported(project, "brat-overlap", annotator="a")
    assert len(spans_of(project, "a")) == 4


def test_brat_events_are_refused(project: Project) -> None:
    refused(project, "brat-event", "SpanLab has no events", line=5, annotator="a")


# --------------------------------------------------------------------------- schema


def test_missing_labels_and_relation_types_are_refused_by_default(project: Project) -> None:
    refused(
        project,
        "brat-missing-label",
        "label 'CITY' is not in the project's schema (lines 4, 5); use --add-labels",
        line=4,
        annotator="a",
    )


def test_add_labels_extends_the_schema_with_what_is_used(project: Project) -> None:
    report = imported(project, "brat-missing-label", annotator="a", add_labels=True)
    assert report.labels_added == ["CITY"]
    assert report.relation_types_added == ["LOCATED_AT"]
    schema = project.schema()
    city = schema.label("CITY")
    assert city is not None and city.colour == label_colour("CITY")
    located = schema.relation("LOCATED_AT")
    assert located is not None and (located.heads, located.tails) == (("PERSON",), ("CITY",))


def test_relations_that_break_the_type_constraints_are_refused(project: Project) -> None:
    refused(
        project,
        "brat-constraint",
        "HOLDS_ROLE needs PERSON -> ROLE, not PERSON -> LOCATION",
        line=5,
        annotator="a",
    )


# --------------------------------------------------------------------------- relations


def test_relations_pointing_at_missing_spans_are_reported(project: Project) -> None:
    refused(project, "brat-missing-span", "its tail 'T9' is not a span", line=4, annotator="a")


def test_doccano_relation_to_a_missing_entity_is_reported(project: Project) -> None:
    refused(
        project,
        "doccano-missing-span.jsonl",
        "its tail '7' is not a span",
        line=1,
        annotator="a",
    )


def test_label_studio_relation_without_a_type_is_reported(project: Project) -> None:
    refused(
        project,
        "labelstudio-untyped-relation.json",
        "needs exactly one relation type",
        line=43,
    )


# --------------------------------------------------------------------------- files


def test_a_broken_json_line_names_the_line(project: Project) -> None:
    refused(project, "jsonl-broken-line.jsonl", "invalid JSON", line=2)


def test_a_hash_that_does_not_match_the_text_is_refused(project: Project) -> None:
    refused(project, "jsonl-sha-mismatch.jsonl", "sha256", line=1)


def test_the_same_document_and_annotator_twice_is_refused(project: Project) -> None:
    refused(project, "jsonl-same-layer-twice.jsonl", "twice in this import", line=2)


def test_a_bad_file_is_skipped_whole_and_the_others_are_imported(project: Project) -> None:
    report = import_annotated(project, [DATA / "brat-good", DATA / "brat-outside"], annotator="a")
    assert [f.imported for f in report.files] == [True, False]
    assert len(spans_of(project, "a")) == 3


def test_all_or_nothing_imports_nothing_when_one_file_is_bad(project: Project) -> None:
    before = snapshot(project)
    report = import_annotated(
        project,
        [DATA / "brat-good", DATA / "brat-outside"],
        annotator="a",
        all_or_nothing=True,
    )
    assert not report.ok and not report.imported_files
    assert snapshot(project) == before


def test_all_or_nothing_imports_everything_in_one_go(project: Project) -> None:
    report = imported(
        project,
        "brat-missing-label",
        "labelstudio-utf16.json",
        "jsonl-bytes.jsonl",
        annotator="a",
        all_or_nothing=True,
        add_labels=True,
    )
    assert report.labels_added == ["CITY"]
    assert len(project.documents()) == 1  # the same text, annotated by three people
    assert [f.created for f in report.files] == [1, 0, 0]
    assert len(spans_of(project, "a")) == 4
    assert len(spans_of(project, "dana@example.org")) == 3
    assert len(spans_of(project, "carol")) == 2


def test_existing_annotations_refuse_the_file_unless_replace(
    project: Project, tmp_path: Path
) -> None:
    imported(project, "brat-good", annotator="a")
    refused(project, "brat-overlap", "a already has 3 span(s)", annotator="a")
    report = imported(project, "brat-overlap", annotator="a", replace=True)
    assert any("are replaced" in n for n in report.files[0].notes)
    assert len(spans_of(project, "a")) == 4
    other = imported(project, "brat-overlap", annotator="b")
    assert other.files[0].matched == 1


def test_unknown_paths_and_files_are_reported(project: Project, tmp_path: Path) -> None:
    plain = tmp_path / "article.txt"
    plain.write_text("Just an article.", encoding="utf-8")
    report = import_annotated(project, [tmp_path / "missing.ann", plain])
    messages = [str(p) for p in report.problems]
    assert any("no such file or folder" in m for m in messages)
    assert any("not an annotation file" in m for m in messages)


def test_folders_are_searched_and_other_files_listed_as_ignored(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(DATA / "brat-good", folder / "brat")
    (folder / "notes.md").write_text("hello", encoding="utf-8")
    (folder / "brat" / "annotation.conf").write_text("[entities]\n", encoding="utf-8")
    inputs, problems, ignored = find_inputs([folder])
    assert [(p.name, f) for p, f in inputs] == [("doc.ann", "brat")]
    assert problems == [] and ignored == [str(folder / "notes.md")]


def test_detection_by_content(tmp_path: Path) -> None:
    assert detect_format(DATA / "jsonl-bytes.jsonl") == "jsonl"
    assert detect_format(DATA / "doccano-utf16.jsonl") == "doccano"
    assert detect_format(DATA / "doccano-label-shape.jsonl") == "doccano"
    assert detect_format(DATA / "labelstudio-utf16.json") == "labelstudio"
    assert detect_format(DATA / "brat-good" / "doc.ann") == "brat"
    assert detect_format(DATA / "brat-good" / "doc.txt") == "brat"
    articles = tmp_path / "articles.jsonl"
    articles.write_text('{"text": "An article", "title": "x"}\n', encoding="utf-8")
    assert detect_format(articles) is None


def test_progress_and_cancel(project: Project) -> None:
    seen: list[tuple[int, int]] = []
    report = import_annotated(
        project,
        [DATA / "brat-good", DATA / "brat-overlap"],
        annotator="a",
        progress=lambda done, total, current: seen.append((done, total)),
        cancel=lambda: len(seen) >= 1,
    )
    assert report.cancelled and not report.ok
    assert len(report.imported_files) == 1
    assert seen == [(0, 2), (2, 2)]


def test_an_invalid_annotator_name_is_an_error(project: Project) -> None:
    with pytest.raises(SpanLabError, match="invalid annotator name"):
        import_annotated(project, [DATA / "brat-good"], annotator=" x")
