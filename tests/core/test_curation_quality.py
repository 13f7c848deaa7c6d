"""Per-annotator quality against gold, on a small case computed by hand."""

from __future__ import annotations

import csv
import io

import pytest

from spanlab.core.commands import AddRelation, AddSpan, SetStatus
from spanlab.core.curation import (
    CurationError,
    quality_against_gold,
    quality_to_csv,
    quality_to_json,
)
from spanlab.core.curation_quality import CSV_COLUMNS
from spanlab.core.model import GOLD_ANNOTATOR, DocumentId, DocumentStatus
from spanlab.core.project import Project

TEXT = "Kim Jae-won met Park Min-ji in Seoul with Lee Do-hyun of Japan."
#       0         1         2         3         4         5         6
#       0123456789012345678901234567890123456789012345678901234567890123


def span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


@pytest.fixture
def scored(project: Project) -> tuple[Project, DocumentId, DocumentId]:
    """Document 1 is curated; document 2 only in progress for gold.

    Gold on document 1: PERSON Kim Jae-won, PERSON Park Min-ji, COUNTRY Japan and
    MEETS(Kim, Park).
    alice: both persons exactly, plus an extra LOCATION Seoul; MEETS(Kim, Park).
    bob: Kim exactly, "Park" (overlapping Park Min-ji), no Japan; MEETS(Kim, Park).
    """
    gold = project.ensure_annotator(GOLD_ANNOTATOR)
    alice = project.ensure_annotator("alice")
    bob = project.ensure_annotator("bob")
    with project.edit() as store:
        doc, other = store.insert_documents(
            [
                {"title": "one", "text": TEXT, "sha256": "1"},
                {"title": "two", "text": TEXT, "sha256": "2"},
            ]
        )

        def add(document: int, who: int, label: str, needle: str) -> int:
            command = AddSpan(document, who, label, *span(needle))
            command.apply(store)
            assert command.span_id is not None
            return command.span_id

        for who, spans in (
            (gold.id, [("PERSON", "Kim Jae-won"), ("PERSON", "Park Min-ji"), ("COUNTRY", "Japan")]),
            (
                alice.id,
                [("PERSON", "Kim Jae-won"), ("PERSON", "Park Min-ji"), ("LOCATION", "Seoul")],
            ),
            (bob.id, [("PERSON", "Kim Jae-won"), ("PERSON", "Park")]),
        ):
            ids = [add(doc, who, label, needle) for label, needle in spans]
            AddRelation(ids[0], ids[1], "MEETS").apply(store)
            SetStatus(doc, who, DocumentStatus.DONE).apply(store)
        # document 2: gold in progress, everyone else done, one span each
        for who in (gold.id, alice.id, bob.id):
            add(other, who, "PERSON", "Lee Do-hyun")
            SetStatus(other, who, DocumentStatus.DONE).apply(store)
        SetStatus(other, gold.id, DocumentStatus.IN_PROGRESS).apply(store)
    return project, doc, other


def test_hand_computed_precision_recall_f1(scored: tuple[Project, DocumentId, DocumentId]) -> None:
    project, doc, _ = scored
    report = quality_against_gold(project)
    assert report.curated == (doc,)
    assert report.summary == "gold documents: 1 of 2 (curated)"
    alice, bob = report.annotators
    assert (alice.name, bob.name) == ("alice", "bob")
    assert alice.documents == bob.documents == (doc,)

    # alice: 2 of her 3 spans are gold's, 2 of gold's 3 are hers
    exact = alice.spans["exact"]
    assert (exact.precision, exact.recall, exact.value) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert (exact.credit, exact.count_a, exact.count_b) == (2, 3, 3)
    assert alice.spans["overlap"].value == pytest.approx(2 / 3)
    assert alice.per_label["PERSON"]["exact"].value == 1.0
    assert alice.per_label["LOCATION"]["exact"].precision == 0.0
    assert alice.per_label["LOCATION"]["exact"].recall is None  # gold has no LOCATION
    assert alice.per_label["COUNTRY"]["exact"].recall == 0.0
    assert alice.relations["strict"].value == 1.0

    # bob: exact 1 match of his 2 (P 1/2) and of gold's 3 (R 1/3), F1 = 2/5;
    # with overlap "Park" matches "Park Min-ji": P 2/2, R 2/3, F1 = 4/5
    exact = bob.spans["exact"]
    assert (exact.precision, exact.recall, exact.value) == pytest.approx((1 / 2, 1 / 3, 2 / 5))
    overlap = bob.spans["overlap"]
    assert (overlap.precision, overlap.recall, overlap.value) == pytest.approx((1.0, 2 / 3, 4 / 5))
    person = bob.per_label["PERSON"]["exact"]
    assert (person.precision, person.recall) == (0.5, 0.5)
    # his MEETS ends on "Park": no strict match, a lenient one
    assert bob.relations["strict"].value == 0.0
    assert bob.relations["lenient"].value == 1.0
    assert bob.per_type["MEETS"]["lenient"].recall == 1.0


def test_document_rules_and_selection(scored: tuple[Project, DocumentId, DocumentId]) -> None:
    project, doc, other = scored
    started = quality_against_gold(project, include_unfinished=True)
    assert started.curated == (doc, other)
    alice = started.annotators[0]
    assert alice.spans["exact"].credit == 3 and alice.spans["exact"].count_a == 4

    alice_id = project.annotator("alice")
    assert alice_id is not None
    project.execute(SetStatus(doc, alice_id.id, DocumentStatus.IN_PROGRESS))
    report = quality_against_gold(project, annotators=["alice"])
    (alice,) = report.annotators
    assert alice.documents == ()
    assert alice.spans["exact"].value is None
    assert alice.spans["exact"].reason == "no document to compare"

    only_persons = quality_against_gold(project, labels=["PERSON"], annotators=["bob"])
    (bob,) = only_persons.annotators
    assert (bob.spans["exact"].count_a, bob.spans["exact"].count_b) == (2, 2)
    assert quality_against_gold(project, documents=[other]).curated == ()

    for kwargs, message in [
        ({"annotators": ["carol"]}, r"unknown annotator\(s\): carol"),
        ({"annotators": [GOLD_ANNOTATOR]}, "is the reference"),
        ({"documents": [42]}, r"unknown document id\(s\): 42"),
        ({"labels": ["NOPE"]}, r"unknown label\(s\): NOPE"),
    ]:
        with pytest.raises(CurationError, match=message):
            quality_against_gold(project, **kwargs)  # type: ignore[arg-type]


def test_no_gold_layer(project: Project) -> None:
    with pytest.raises(CurationError, match="no gold layer yet"):
        quality_against_gold(project)


def test_json_and_csv(scored: tuple[Project, DocumentId, DocumentId]) -> None:
    project, doc, _ = scored
    report = quality_against_gold(project)
    data = quality_to_json(report)
    assert data["format"] == "spanlab-gold-quality" and data["reference"] == "gold"
    assert data["documents"]["gold"] == [doc]
    bob = data["annotators"][1]
    assert bob["spans"]["exact"] == {
        "precision": 0.5,
        "recall": pytest.approx(1 / 3),
        "f1": pytest.approx(0.4),
        "correct": 1.0,
        "gold": 3,
        "annotated": 2,
        "documents": 1,
        "reason": None,
    }
    rows = list(csv.DictReader(io.StringIO(quality_to_csv(report))))
    assert tuple(rows[0]) == CSV_COLUMNS
    first = rows[0]
    assert (first["annotator"], first["scope"], first["mode"]) == ("alice", "spans", "exact")
    assert {r["scope"] for r in rows} == {"spans", "label", "relations", "relation_type"}
