"""Entity groups: create, add, remove, rename and delete, each undone and redone exactly."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from spanlab.core.commands import AddSpan, RemoveSpans
from spanlab.core.entities import (
    AddMentions,
    CreateEntity,
    DeleteEntity,
    RemoveMentions,
    RenameEntity,
    entity_mentions,
    suggest_entity_name,
)
from spanlab.core.errors import IntegrityError, NotFoundError
from spanlab.core.model import Annotator, DocumentId, EntityId, SpanId
from spanlab.core.project import Command, Project

TEXT = (
    "First Vice Foreign Minister Baek Tae-jin met Chang Ho-jin in Seoul on Friday. "
    "Baek said the talks went well. Chang agreed, and Baek thanked Chang."
)


@dataclass
class World:
    project: Project
    doc: DocumentId
    other_doc: DocumentId
    ann: Annotator
    other: Annotator

    def span(
        self,
        label: str,
        needle: str,
        occurrence: int = 1,
        *,
        doc: DocumentId | None = None,
        annotator: Annotator | None = None,
    ) -> SpanId:
        """Label the ``occurrence``-th ``needle`` (in ``doc``, for ``annotator``)."""
        start = -1
        for _ in range(occurrence):
            start = TEXT.index(needle, start + 1)
        command = AddSpan(
            doc or self.doc, (annotator or self.ann).id, label, start, start + len(needle)
        )
        self.project.execute(command)
        assert command.span_id is not None
        return command.span_id


@pytest.fixture
def world(project: Project) -> World:
    with project.edit() as store:
        doc, other_doc = store.insert_documents(
            [
                {"title": "a", "text": TEXT, "sha256": "a"},
                {"title": "b", "text": TEXT, "sha256": "b"},
            ]
        )
    return World(
        project, doc, other_doc, project.ensure_annotator("ann"), project.ensure_annotator("bob")
    )


def snapshot(w: World) -> tuple[object, ...]:
    """Everything an entity command may touch, compared exactly."""
    return (
        tuple(w.project.spans(w.doc)),
        tuple(w.project.spans(w.other_doc)),
        tuple(w.project.entities(w.doc, w.ann.id)),
        tuple(w.project.entities(w.doc, w.other.id)),
        tuple(w.project.relations(w.doc)),
        tuple((s.document_id, s.annotator_id, s.status) for s in w.project.statuses()),
    )


def check_undo_redo(w: World, command: Command) -> tuple[object, ...]:
    """Execute, undo, redo: the store before/after must match exactly each time."""
    before = snapshot(w)
    w.project.execute(command)
    after = snapshot(w)
    assert after != before
    w.project.revert(command)
    assert snapshot(w) == before
    w.project.execute(command)
    assert snapshot(w) == after
    return after


def entity_of(w: World, span_id: SpanId) -> EntityId | None:
    return w.project.span(span_id).entity_id


# --------------------------------------------------------------------------- create


def test_create_groups_mentions_and_undo_redo_keep_the_id(world: World) -> None:
    baek = world.span("PERSON", "Baek Tae-jin")
    baek2 = world.span("PERSON", "Baek", 2)
    command = CreateEntity(world.doc, world.ann.id, "Baek Tae-jin", [baek, baek2])
    before = snapshot(world)
    change = world.project.execute(command)
    assert command.entity_id is not None
    entity_id = command.entity_id
    (entity,) = world.project.entities(world.doc, world.ann.id)
    assert (entity.id, entity.name, entity.document_id) == (entity_id, "Baek Tae-jin", world.doc)
    assert entity_of(world, baek) == entity_of(world, baek2) == entity_id
    assert change.entities_changed == {entity_id}
    assert change.spans_updated == {baek, baek2}
    after = snapshot(world)

    undone = world.project.revert(command)
    assert undone.entities_changed == {entity_id}
    assert undone.spans_updated == {baek, baek2}
    assert snapshot(world) == before
    assert world.project.entities(world.doc, world.ann.id) == []

    world.project.execute(command)
    assert command.entity_id == entity_id
    assert snapshot(world) == after


def test_create_without_a_name_takes_the_longest_person_mention(world: World) -> None:
    short = world.span("PERSON", "Baek", 2)
    full = world.span("PERSON", "Baek Tae-jin")
    command = CreateEntity(world.doc, world.ann.id, None, [short, full])
    check_undo_redo(world, command)
    (entity,) = world.project.entities(world.doc, world.ann.id)
    assert entity.name == "Baek Tae-jin"
    blank = CreateEntity(world.doc, world.ann.id, "  ", [world.span("PERSON", "Chang", 2)])
    world.project.execute(blank)
    assert world.project.entities(world.doc, world.ann.id)[-1].name == "Chang"


def test_create_collapses_whitespace_in_the_name(world: World) -> None:
    command = CreateEntity(
        world.doc, world.ann.id, "  Chang   Ho-jin ", [world.span("PERSON", "Chang")]
    )
    world.project.execute(command)
    assert world.project.entities(world.doc, world.ann.id)[0].name == "Chang Ho-jin"


@pytest.mark.parametrize(
    "case", ["other_document", "other_annotator", "grouped", "empty", "missing"]
)
def test_create_refuses_bad_mentions_and_changes_nothing(world: World, case: str) -> None:
    baek = world.span("PERSON", "Baek Tae-jin")
    chang = world.span("PERSON", "Chang")
    world.project.execute(CreateEntity(world.doc, world.ann.id, "Chang Ho-jin", [chang]))
    spans: list[int] = [baek]
    error: type[Exception] = IntegrityError
    message = ""
    if case == "other_document":
        spans.append(world.span("PERSON", "Chang", doc=world.other_doc))
        message = "document"
    elif case == "other_annotator":
        spans.append(world.span("PERSON", "Chang", annotator=world.other))
        message = "layer"
    elif case == "grouped":
        spans.append(chang)
        message = "already a mention of the entity 'Chang Ho-jin'"
    elif case == "empty":
        spans = []
        message = "at least one mention"
    else:
        spans.append(99999)
        error, message = NotFoundError, "99999"
    before = snapshot(world)
    with pytest.raises(error, match=message):
        world.project.execute(CreateEntity(world.doc, world.ann.id, "Baek", spans))
    assert snapshot(world) == before


# --------------------------------------------------------------------------- add


def test_add_mentions_undo_redo(world: World) -> None:
    chang = world.span("PERSON", "Chang Ho-jin")
    chang2 = world.span("PERSON", "Chang", 2)
    chang3 = world.span("PERSON", "Chang", 3)
    create = CreateEntity(world.doc, world.ann.id, "Chang Ho-jin", [chang])
    world.project.execute(create)
    assert create.entity_id is not None
    command = AddMentions(create.entity_id, [chang2, chang3, chang])  # chang is already in
    check_undo_redo(world, command)
    assert {entity_of(world, s) for s in (chang, chang2, chang3)} == {create.entity_id}
    world.project.revert(command)
    assert entity_of(world, chang) == create.entity_id
    assert entity_of(world, chang2) is None
    change = world.project.execute(command)
    assert change.spans_updated == {chang2, chang3}
    assert change.entities_changed == {create.entity_id}


def test_add_mentions_already_there_is_a_no_op(world: World) -> None:
    chang = world.span("PERSON", "Chang Ho-jin")
    create = CreateEntity(world.doc, world.ann.id, "Chang", [chang])
    world.project.execute(create)
    assert create.entity_id is not None
    command = AddMentions(create.entity_id, [chang])
    before = snapshot(world)
    assert world.project.execute(command).is_empty
    assert world.project.revert(command).is_empty
    assert snapshot(world) == before


def test_add_mentions_refuses_other_layers_and_grouped_spans(world: World) -> None:
    baek = world.span("PERSON", "Baek Tae-jin")
    chang = world.span("PERSON", "Chang Ho-jin")
    first = CreateEntity(world.doc, world.ann.id, "Baek", [baek])
    second = CreateEntity(world.doc, world.ann.id, "Chang", [chang])
    world.project.execute(first)
    world.project.execute(second)
    assert first.entity_id is not None
    foreign = world.span("PERSON", "Chang", 2, annotator=world.other)
    before = snapshot(world)
    with pytest.raises(IntegrityError, match="layer"):
        world.project.execute(AddMentions(first.entity_id, [foreign]))
    with pytest.raises(IntegrityError, match="already a mention of the entity 'Chang'"):
        world.project.execute(AddMentions(first.entity_id, [chang]))
    with pytest.raises(NotFoundError, match="entity 424242"):
        world.project.execute(AddMentions(424242, [baek]))
    assert snapshot(world) == before


# --------------------------------------------------------------------------- remove


def test_remove_some_mentions_keeps_the_entity(world: World) -> None:
    chang = world.span("PERSON", "Chang Ho-jin")
    chang2 = world.span("PERSON", "Chang", 2)
    create = CreateEntity(world.doc, world.ann.id, "Chang Ho-jin", [chang, chang2])
    world.project.execute(create)
    command = RemoveMentions([chang2])
    check_undo_redo(world, command)
    (entity,) = world.project.entities(world.doc, world.ann.id)
    assert entity.id == create.entity_id
    assert entity_of(world, chang2) is None
    assert entity_of(world, chang) == create.entity_id


def test_removing_the_last_mentions_deletes_the_entity_and_undo_restores_it(
    world: World,
) -> None:
    baek = world.span("PERSON", "Baek Tae-jin")
    baek2 = world.span("PERSON", "Baek", 2)
    chang = world.span("PERSON", "Chang Ho-jin")
    unrelated = world.span("LOCATION", "Seoul")
    create_baek = CreateEntity(world.doc, world.ann.id, "Baek Tae-jin", [baek, baek2])
    create_chang = CreateEntity(world.doc, world.ann.id, "Chang Ho-jin", [chang])
    world.project.execute(create_baek)
    world.project.execute(create_chang)
    command = RemoveMentions([baek, baek2, chang, unrelated, baek])
    before = snapshot(world)
    change = world.project.execute(command)
    assert world.project.entities(world.doc, world.ann.id) == []
    assert change.entities_changed == {create_baek.entity_id, create_chang.entity_id}
    assert change.spans_updated == {baek, baek2, chang}
    after = snapshot(world)
    world.project.revert(command)
    assert snapshot(world) == before
    names = [(e.id, e.name) for e in world.project.entities(world.doc, world.ann.id)]
    assert names == [
        (create_baek.entity_id, "Baek Tae-jin"),
        (create_chang.entity_id, "Chang Ho-jin"),
    ]
    world.project.execute(command)
    assert snapshot(world) == after


def test_remove_ungrouped_spans_is_a_no_op(world: World) -> None:
    span = world.span("PERSON", "Chang")
    command = RemoveMentions([span])
    before = snapshot(world)
    assert world.project.execute(command).is_empty
    assert world.project.revert(command).is_empty
    assert snapshot(world) == before


# --------------------------------------------------------------------------- rename


def test_rename_undo_redo(world: World) -> None:
    create = CreateEntity(world.doc, world.ann.id, "Chang", [world.span("PERSON", "Chang")])
    world.project.execute(create)
    assert create.entity_id is not None
    command = RenameEntity(create.entity_id, " Chang  Ho-jin ")
    check_undo_redo(world, command)
    (entity,) = world.project.entities(world.doc, world.ann.id)
    assert entity.name == "Chang Ho-jin"
    world.project.revert(command)
    assert world.project.entities(world.doc, world.ann.id)[0].name == "Chang"
    change = world.project.execute(command)
    assert change.entities_changed == {create.entity_id}
    assert change.spans_updated == frozenset()


def test_rename_refuses_blank_names_and_unknown_entities(world: World) -> None:
    create = CreateEntity(world.doc, world.ann.id, "Chang", [world.span("PERSON", "Chang")])
    world.project.execute(create)
    assert create.entity_id is not None
    before = snapshot(world)
    with pytest.raises(IntegrityError, match="blank"):
        world.project.execute(RenameEntity(create.entity_id, "  "))
    with pytest.raises(NotFoundError):
        world.project.execute(RenameEntity(424242, "X"))
    assert snapshot(world) == before


# --------------------------------------------------------------------------- delete


def test_delete_ungroups_and_undo_restores_id_and_mentions(world: World) -> None:
    chang = world.span("PERSON", "Chang Ho-jin")
    chang2 = world.span("PERSON", "Chang", 2)
    create = CreateEntity(world.doc, world.ann.id, "Chang Ho-jin", [chang, chang2])
    world.project.execute(create)
    assert create.entity_id is not None
    command = DeleteEntity(create.entity_id)
    before = snapshot(world)
    change = world.project.execute(command)
    assert world.project.entities(world.doc, world.ann.id) == []
    assert entity_of(world, chang) is None and entity_of(world, chang2) is None
    assert len(world.project.spans(world.doc, world.ann.id)) == 2  # mentions stay as spans
    assert change.entities_changed == {create.entity_id}
    assert change.spans_updated == {chang, chang2}
    after = snapshot(world)
    world.project.revert(command)
    assert snapshot(world) == before
    world.project.execute(command)
    assert snapshot(world) == after


def test_delete_unknown_entity(world: World) -> None:
    with pytest.raises(NotFoundError):
        world.project.execute(DeleteEntity(424242))


# --------------------------------------------------------------------------- undo stack


def test_a_whole_session_undoes_and_redoes_in_order(world: World) -> None:
    baek = world.span("PERSON", "Baek Tae-jin")
    baek2 = world.span("PERSON", "Baek", 2)
    baek3 = world.span("PERSON", "Baek", 3)
    chang = world.span("PERSON", "Chang Ho-jin")
    create = CreateEntity(world.doc, world.ann.id, None, [baek2])
    world.project.execute(create)
    assert create.entity_id is not None
    entity_id = create.entity_id
    later: list[Command] = [
        AddMentions(entity_id, [baek, baek3]),
        RenameEntity(entity_id, "Baek (vice minister)"),
        CreateEntity(world.doc, world.ann.id, "Chang Ho-jin", [chang]),
        RemoveMentions([baek3]),
        DeleteEntity(entity_id),
    ]
    states = [snapshot(world)]
    for command in later:
        world.project.execute(command)
        states.append(snapshot(world))
    for command, state in zip(reversed(later), reversed(states[:-1]), strict=True):
        world.project.revert(command)
        assert snapshot(world) == state
    for command, state in zip(later, states[1:], strict=True):
        world.project.execute(command)
        assert snapshot(world) == state


def test_removing_spans_keeps_their_entity_and_undo_relinks(world: World) -> None:
    chang = world.span("PERSON", "Chang Ho-jin")
    create = CreateEntity(world.doc, world.ann.id, "Chang Ho-jin", [chang])
    world.project.execute(create)
    removal = RemoveSpans([chang])
    before = snapshot(world)
    world.project.execute(removal)
    ((entity, mentions),) = entity_mentions(world.project, world.doc, world.ann.id)
    assert (entity.id, mentions) == (create.entity_id, [])
    world.project.revert(removal)
    assert snapshot(world) == before


# --------------------------------------------------------------------------- panel


def test_entity_mentions_lists_entities_by_first_mention(world: World) -> None:
    baek = world.span("PERSON", "Baek Tae-jin")
    chang = world.span("PERSON", "Chang Ho-jin")
    chang2 = world.span("PERSON", "Chang", 2)
    baek2 = world.span("PERSON", "Baek", 2)
    world.span("LOCATION", "Seoul")
    world.project.execute(CreateEntity(world.doc, world.ann.id, "Chang Ho-jin", [chang2, chang]))
    world.project.execute(CreateEntity(world.doc, world.ann.id, "Baek Tae-jin", [baek2, baek]))
    world.project.execute(
        CreateEntity(
            world.doc,
            world.other.id,
            "Other layer",
            [world.span("PERSON", "Chang", annotator=world.other)],
        )
    )
    listed = entity_mentions(world.project, world.doc, world.ann.id)
    assert [(e.name, [s.id for s in spans]) for e, spans in listed] == [
        ("Baek Tae-jin", [baek, baek2]),
        ("Chang Ho-jin", [chang, chang2]),
    ]
    assert [e.name for e, _ in entity_mentions(world.project, world.doc, world.other.id)] == [
        "Other layer"
    ]
    assert entity_mentions(world.project, world.other_doc, world.ann.id) == []


def test_suggest_entity_name(world: World) -> None:
    spans = {
        text: world.project.span(world.span(label, text, occurrence))
        for label, text, occurrence in [
            ("PERSON", "Baek", 2),
            ("PERSON", "Baek Tae-jin", 1),
            ("ROLE", "First Vice Foreign Minister", 1),
            ("EVENT", "talks", 1),
        ]
    }
    assert suggest_entity_name([spans["Baek"], spans["Baek Tae-jin"]]) == "Baek Tae-jin"
    # A PERSON mention wins over a longer mention of another label.
    assert suggest_entity_name([spans["First Vice Foreign Minister"], spans["Baek"]]) == "Baek"
    # Without names, the longest capitalised mention; lowercase ones only as a last resort.
    assert (
        suggest_entity_name([spans["talks"], spans["First Vice Foreign Minister"]])
        == "First Vice Foreign Minister"
    )
    assert suggest_entity_name([spans["talks"]]) == "talks"
    assert suggest_entity_name([]) == ""
