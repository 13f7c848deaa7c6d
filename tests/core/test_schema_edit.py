"""Label edits from the schema editor: renames keep spans, invalid edits are refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from spanlab.core.commands import AddSpan, UpdateSchema
from spanlab.core.errors import SchemaError
from spanlab.core.project import Project, default_schema
from spanlab.core.schema_edit import LabelEdit, apply_label_edits, edits_from_schema


def test_unchanged_edits_give_the_same_schema() -> None:
    schema = default_schema()
    new, renames = apply_label_edits(schema, edits_from_schema(schema))
    assert new == schema and renames == {}


def test_rename_follows_into_relations_and_keeps_spans(project: Project) -> None:
    schema = project.schema()
    with project.edit() as store:
        (doc,) = store.insert_documents([{"title": "t", "text": "Kim met Lee.", "sha256": "x"}])
    ann = project.ensure_annotator("alice")
    project.execute(AddSpan(doc, ann.id, "PERSON", 0, 3))
    edits = [
        replace(e, name="PER", colour="#ffeedd") if e.name == "PERSON" else e
        for e in edits_from_schema(schema)
    ]
    edits.append(LabelEdit(None, "PRODUCT", "#EEEEEE", "p", "A thing"))
    new, renames = apply_label_edits(schema, edits)
    assert renames == {"PERSON": "PER"}
    holds = new.relation("HOLDS_ROLE")
    assert holds is not None and holds.heads == ("PER",)
    label = new.label("PER")
    assert label is not None and label.colour == "#FFEEDD"
    project.execute(UpdateSchema(new, renames))
    assert [s.label for s in project.spans(doc)] == ["PER"]
    assert project.schema().label("PRODUCT") is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "2BAD"}, "may only use letters"),
        ({"colour": "red"}, "colour must look like"),
        ({"hotkey": "F1"}, "hotkey must be one digit"),
        ({"hotkey": "2"}, "hotkey '2' is used by"),
        ({"name": "ROLE"}, "appears twice"),
    ],
)
def test_invalid_edits_are_refused(change: dict[str, str], message: str) -> None:
    schema = default_schema()
    edits = edits_from_schema(schema)
    edits[0] = replace(edits[0], **change)
    with pytest.raises(SchemaError, match=message):
        apply_label_edits(schema, edits)


def test_removing_a_label_used_by_a_relation_is_refused() -> None:
    schema = default_schema()
    edits = [e for e in edits_from_schema(schema) if e.name != "ROLE"]
    with pytest.raises(SchemaError, match="used by relation type"):
        apply_label_edits(schema, edits)
    with pytest.raises(SchemaError, match="at least one label"):
        apply_label_edits(schema, [])
