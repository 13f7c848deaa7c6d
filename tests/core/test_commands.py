"""Reversible commands and the integrity rules every edit must obey."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spanlab.core.commands import (
    AddRelation,
    AddSpan,
    Batch,
    RemoveRelation,
    RemoveSpans,
    SetStatus,
    UpdateRelation,
    UpdateSchema,
    UpdateSpan,
)
from spanlab.core.errors import IntegrityError, NotFoundError
from spanlab.core.model import Annotator, DocumentId, DocumentStatus
from spanlab.core.project import Project, default_schema

TEXT = "First Vice Foreign Minister Kim Ji-ho met Japan's envoy Sato 🤝 in Seoul on Friday."


@dataclass
class World:
    project: Project
    doc: DocumentId
    ann: Annotator
    other: Annotator


@pytest.fixture
def world(project: Project) -> World:
    with project.edit() as store:
        (doc,) = store.insert_documents([{"title": "t", "text": TEXT, "sha256": "t"}])
    return World(project, doc, project.ensure_annotator("ann"), project.ensure_annotator("other"))


def snapshot(project: Project, doc: int) -> tuple[object, ...]:
    return (
        tuple(project.spans(doc)),
        tuple(project.relations(doc)),
        tuple((s.document_id, s.annotator_id, s.status) for s in project.statuses()),
    )


def add(w: World, label: str, needle: str, annotator: Annotator | None = None) -> int:
    start = TEXT.index(needle)
    command = AddSpan(w.doc, (annotator or w.ann).id, label, start, start + len(needle))
    w.project.execute(command)
    assert command.span_id is not None
    return command.span_id


def test_add_span_stores_covered_text_and_marks_in_progress(world: World) -> None:
    span_id = add(world, "PERSON", "Kim Ji-ho")
    (span,) = world.project.spans(world.doc)
    assert (span.id, span.text, span.label) == (span_id, "Kim Ji-ho", "PERSON")
    assert world.project.status(world.doc, world.ann.id).status is DocumentStatus.IN_PROGRESS
    assert world.project.status(world.doc, world.other.id).status is DocumentStatus.NEW


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 3, "outside document"),
        (5, 5, "outside document"),
        (7, 3, "outside document"),
        (0, len(TEXT) + 1, "outside document"),
    ],
)
def test_invalid_offsets_are_refused_and_nothing_changes(
    world: World, start: int, end: int, message: str
) -> None:
    before = snapshot(world.project, world.doc)
    with pytest.raises(IntegrityError, match=message):
        world.project.execute(AddSpan(world.doc, world.ann.id, "PERSON", start, end))
    assert snapshot(world.project, world.doc) == before


def test_covered_text_must_equal_the_document_slice(world: World) -> None:
    with world.project.edit() as store:
        store.insert_span(
            document_id=world.doc,
            annotator_id=world.ann.id,
            label="PERSON",
            start=28,
            end=37,
            text="Kim Ji-ho",
        )
    before = snapshot(world.project, world.doc)
    with pytest.raises(IntegrityError, match="covers 'Kim Ji-ho'"), world.project.edit() as store:
        store.insert_span(
            document_id=world.doc,
            annotator_id=world.ann.id,
            label="PERSON",
            start=28,
            end=37,
            text="Kim Jiho",
        )
    assert snapshot(world.project, world.doc) == before


def test_unknown_label_is_refused_with_the_known_ones(world: World) -> None:
    with pytest.raises(IntegrityError, match="label 'PERSN' is not in the project's schema"):
        world.project.execute(AddSpan(world.doc, world.ann.id, "PERSN", 0, 5))
    assert world.project.spans(world.doc) == []


def test_relation_argument_types_follow_the_schema(world: World) -> None:
    person = add(world, "PERSON", "Kim Ji-ho")
    role = add(world, "ROLE", "First Vice Foreign Minister")
    before = snapshot(world.project, world.doc)
    with pytest.raises(IntegrityError, match="HOLDS_ROLE needs PERSON -> ROLE, not ROLE -> PERSON"):
        world.project.execute(AddRelation(role, person, "HOLDS_ROLE"))
    assert snapshot(world.project, world.doc) == before
    world.project.execute(AddRelation(person, role, "HOLDS_ROLE"))
    assert [r.label for r in world.project.relations(world.doc)] == ["HOLDS_ROLE"]


def test_relation_ends_must_share_document_and_annotator(world: World) -> None:
    mine = add(world, "PERSON", "Kim Ji-ho")
    theirs = add(world, "PERSON", "Sato", world.other)
    with pytest.raises(IntegrityError, match="same annotator"):
        world.project.execute(AddRelation(mine, theirs, "MEETS"))
    with world.project.edit() as store:
        (doc2,) = store.insert_documents([{"title": "u", "text": "Sato again", "sha256": "u"}])
    elsewhere = AddSpan(doc2, world.ann.id, "PERSON", 0, 4)
    world.project.execute(elsewhere)
    assert elsewhere.span_id is not None
    with pytest.raises(IntegrityError, match="same document"):
        world.project.execute(AddRelation(mine, elsewhere.span_id, "MEETS"))
    assert world.project.relations(world.doc) == []


def test_symmetric_relations_are_stored_once(world: World) -> None:
    kim = add(world, "PERSON", "Kim Ji-ho")
    sato = add(world, "PERSON", "Sato")
    world.project.execute(AddRelation(sato, kim, "MEETS"))
    (relation,) = world.project.relations(world.doc)
    assert (relation.head_id, relation.tail_id) == (min(kim, sato), max(kim, sato))
    with pytest.raises(IntegrityError, match="already linked"):
        world.project.execute(AddRelation(kim, sato, "MEETS"))


def test_relabel_that_breaks_a_relation_is_refused(world: World) -> None:
    person = add(world, "PERSON", "Kim Ji-ho")
    role = add(world, "ROLE", "First Vice Foreign Minister")
    world.project.execute(AddRelation(person, role, "HOLDS_ROLE"))
    with pytest.raises(IntegrityError, match="cannot relabel span 'Kim Ji-ho' as COUNTRY"):
        world.project.execute(UpdateSpan(person, label="COUNTRY"))
    assert world.project.span(person).label == "PERSON"


def test_remove_span_takes_its_relations_and_undo_restores_both(world: World) -> None:
    person = add(world, "PERSON", "Kim Ji-ho")
    role = add(world, "ROLE", "First Vice Foreign Minister")
    world.project.execute(AddRelation(person, role, "HOLDS_ROLE"))
    before = snapshot(world.project, world.doc)
    remove = RemoveSpans([person])
    change = world.project.execute(remove)
    assert change.spans_removed == {person} and len(change.relations_removed) == 1
    assert world.project.relations(world.doc) == []
    world.project.revert(remove)
    assert snapshot(world.project, world.doc) == before


def test_every_command_reverts_exactly(world: World) -> None:
    person = add(world, "PERSON", "Kim Ji-ho")
    role = add(world, "ROLE", "First Vice Foreign Minister")
    link = AddRelation(person, role, "HOLDS_ROLE")
    world.project.execute(link)
    assert link.relation_id is not None
    commands = [
        UpdateSpan(person, attributes={"note": "lead"}),
        UpdateSpan(
            role, start=TEXT.index("Vice"), end=TEXT.index("Vice") + len("Vice Foreign Minister")
        ),
        UpdateRelation(link.relation_id, attributes={"certainty": "exact"}),
        SetStatus(world.doc, world.ann.id, DocumentStatus.DONE),
        RemoveRelation(link.relation_id),
        Batch("Label all", [AddSpan(world.doc, world.ann.id, "COUNTRY", 48, 53)]),
    ]
    for command in commands:
        before = snapshot(world.project, world.doc)
        world.project.execute(command)
        assert snapshot(world.project, world.doc) != before
        world.project.revert(command)
        assert snapshot(world.project, world.doc) == before
        world.project.execute(command)  # redo works and keeps ids stable
        world.project.revert(command)
        assert snapshot(world.project, world.doc) == before


def test_redo_reuses_ids_so_later_commands_stay_valid(world: World) -> None:
    first = AddSpan(world.doc, world.ann.id, "PERSON", 28, 37)
    second = AddSpan(world.doc, world.ann.id, "PERSON", 56, 60)
    world.project.execute(first)
    world.project.execute(second)
    assert first.span_id is not None and second.span_id is not None
    link = AddRelation(first.span_id, second.span_id, "MEETS")
    world.project.execute(link)
    for command in (link, second, first):
        world.project.revert(command)
    for command in (first, second, link):
        world.project.execute(command)
    (relation,) = world.project.relations(world.doc)
    assert {relation.head_id, relation.tail_id} == {first.span_id, second.span_id}


def test_missing_rows_give_not_found(world: World) -> None:
    with pytest.raises(NotFoundError, match="span 999 does not exist"):
        world.project.execute(RemoveSpans([999]))
    with pytest.raises(NotFoundError, match="document 42 does not exist"):
        world.project.execute(AddSpan(42, world.ann.id, "PERSON", 0, 1))


def test_schema_rename_keeps_spans_and_undo_restores_the_name(world: World) -> None:
    add(world, "PERSON", "Kim Ji-ho")
    schema = default_schema()
    renamed = schema.with_labels(
        [
            label if label.name != "PERSON" else type(label)(**{**_fields(label), "name": "HUMAN"})
            for label in schema.labels
        ]
    )
    renamed = type(renamed)(
        name=renamed.name,
        labels=renamed.labels,
        relations=tuple(
            type(r)(**{**_fields(r), "heads": _swap(r.heads), "tails": _swap(r.tails)})
            for r in renamed.relations
        ),
    )
    command = UpdateSchema(renamed, {"PERSON": "HUMAN"})
    world.project.execute(command)
    assert [s.label for s in world.project.spans(world.doc)] == ["HUMAN"]
    world.project.revert(command)
    assert [s.label for s in world.project.spans(world.doc)] == ["PERSON"]
    assert world.project.schema() == default_schema()


def test_dropping_a_label_in_use_is_refused(world: World) -> None:
    add(world, "PERSON", "Kim Ji-ho")
    schema = default_schema()
    smaller = type(schema)(
        name=schema.name,
        labels=tuple(label for label in schema.labels if label.name != "DATE"),
        relations=tuple(r for r in schema.relations if "DATE" not in r.heads + r.tails),
    )
    world.project.execute(UpdateSchema(smaller))  # DATE unused: fine
    no_person = type(schema)(
        name=schema.name,
        labels=tuple(label for label in smaller.labels if label.name != "PERSON"),
        relations=(),
    )
    with pytest.raises(IntegrityError, match="label 'PERSON' is used by 1 spans"):
        world.project.execute(UpdateSchema(no_person))
    assert "PERSON" in world.project.schema().label_names


def _fields(obj: object) -> dict[str, object]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}  # type: ignore[attr-defined]


def _swap(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("HUMAN" if n == "PERSON" else n for n in names)


OFFSETS = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 12))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(OFFSETS, min_size=1, max_size=6))
def test_any_sequence_of_adds_undoes_to_the_start(
    world: World, edits: list[tuple[int, int]]
) -> None:
    before = snapshot(world.project, world.doc)
    done = []
    for start, length in edits:
        end = min(len(TEXT), start + length)
        command = AddSpan(world.doc, world.ann.id, "EVENT", start, end)
        world.project.execute(command)
        done.append(command)
    for span in world.project.spans(world.doc, world.ann.id):
        assert span.text == TEXT[span.start : span.end]
    for command in reversed(done):
        world.project.revert(command)
    assert snapshot(world.project, world.doc) == before
