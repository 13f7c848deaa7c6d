"""Find and "label all occurrences": whole words, skips labelled places, one undo step."""

from __future__ import annotations

from spanlab.core.commands import AddSpan
from spanlab.core.model import DocumentId
from spanlab.core.occurrences import (
    find_in_text,
    find_matches,
    label_occurrences_command,
    occurrences_in_document,
    occurrences_in_project,
)
from spanlab.core.project import Project

DOC_A = "Seoul and Tokyo. Seoul's mayor met Seoulites in Seoul."
DOC_B = "Talks in Seoul ended. Nothing in Busan."
DOC_C = "No capital here."


def test_find_matches_whole_words_only() -> None:
    assert find_matches(DOC_A, "Seoul") == [(0, 5), (17, 22), (48, 53)]
    assert len(find_matches(DOC_A, "Seoul", whole_words=False)) == 4
    assert find_matches("a.b.a.b.", "a.b.") == [(0, 4), (4, 8)]
    assert find_matches("x", "") == []


def test_find_in_text_ignores_case_by_default() -> None:
    assert find_in_text("Seoul SEOUL seoul", "seoul") == [(0, 5), (6, 11), (12, 17)]
    assert find_in_text("Seoul SEOUL seoul", "seoul", case_sensitive=True) == [(12, 17)]
    assert find_in_text("a+b", "+") == [(1, 2)]


def test_occurrences_skip_positions_already_labelled_with_that_label(project: Project) -> None:
    with project.edit() as store:
        (doc,) = store.insert_documents([{"title": "A", "text": DOC_A, "sha256": "a"}])
    ann = project.ensure_annotator("alice")
    project.execute(AddSpan(doc, ann.id, "LOCATION", 0, 5))
    project.execute(AddSpan(doc, ann.id, "PERSON", 17, 22))
    found = occurrences_in_document(
        document_id=doc,
        title="A",
        text=DOC_A,
        needle="Seoul",
        label="LOCATION",
        existing=project.spans(doc, ann.id),
    )
    assert [(o.start, o.end) for o in found] == [(17, 22), (48, 53)]
    assert found[0].context.startswith("…Seoul and Tokyo. [Seoul]'s mayor")


def test_label_all_in_project_is_one_undo_step(project: Project) -> None:
    with project.edit() as store:
        docs = store.insert_documents(
            [
                {"title": "A", "text": DOC_A, "sha256": "a"},
                {"title": "B", "text": DOC_B, "sha256": "b"},
                {"title": "C", "text": DOC_C, "sha256": "c"},
            ]
        )
    alice = project.ensure_annotator("alice")
    bob = project.ensure_annotator("bob")
    project.execute(AddSpan(docs[0], alice.id, "LOCATION", 0, 5))
    project.execute(AddSpan(docs[1], bob.id, "LOCATION", 9, 14))  # another annotator's layer
    found = occurrences_in_project(project, annotator_id=alice.id, needle="Seoul", label="LOCATION")
    assert [(o.document_id, o.start) for o in found] == [
        (docs[0], 17),
        (docs[0], 48),
        (DocumentId(docs[1]), 9),
    ]
    command = label_occurrences_command(
        found, annotator_id=alice.id, label="LOCATION", needle="Seoul"
    )
    assert command.text == "Label 3 occurrences of 'Seoul' as LOCATION"
    change = project.execute(command)
    assert len(change.spans_added) == 3
    assert len(project.spans(docs[0], alice.id)) == 3
    assert len(project.spans(docs[1], alice.id)) == 1
    project.revert(command)
    assert len(project.spans(docs[0], alice.id)) == 1
    assert project.spans(docs[1], alice.id) == []
    assert project.status(docs[1], alice.id).status.value == "new"


def test_project_search_can_be_cancelled(project: Project) -> None:
    with project.edit() as store:
        store.insert_documents([{"title": "A", "text": DOC_A, "sha256": "a"}])
    alice = project.ensure_annotator("alice")
    found = occurrences_in_project(
        project, annotator_id=alice.id, needle="Seoul", label="LOCATION", cancel=lambda: True
    )
    assert found == []
