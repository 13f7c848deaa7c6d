"""Schema TOML: the bundled news schema, round trips, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from spanlab.core.errors import SchemaError
from spanlab.core.project import default_schema
from spanlab.core.schema import AttributeKind, load_schema, parse_schema, schema_to_toml

MINIMAL = """\
name = "mini"

[[labels]]
name = "PERSON"
colour = "#ffd6a5"
hotkey = "1"

[[labels]]
name = "ROLE"
colour = "#FDFFB6"

[[relations]]
name = "HOLDS_ROLE"
heads = ["PERSON"]
tails = ["ROLE"]
"""


def test_news_schema_has_the_labels_and_relations_news_needs() -> None:
    schema = default_schema()
    assert {"PERSON", "ROLE", "COUNTRY", "DATE", "ORGANIZATION"} <= set(schema.label_names)
    holds = schema.relation("HOLDS_ROLE")
    assert holds is not None and holds.allows("PERSON", "ROLE")
    assert not holds.allows("ROLE", "PERSON")
    meets = schema.relation("MEETS")
    assert meets is not None and meets.symmetric
    represents = schema.relation("REPRESENTS")
    assert represents is not None
    assert represents.allows("PERSON", "COUNTRY") and represents.allows("PERSON", "ORGANIZATION")
    role_of = schema.relation("ROLE_OF")
    assert role_of is not None and role_of.allows("ROLE", "COUNTRY")
    date = schema.label("DATE")
    assert date is not None
    assert any(a.kind is AttributeKind.DATE for a in date.attributes)
    country = schema.label("COUNTRY")
    assert country is not None
    assert any(a.kind is AttributeKind.COUNTRY for a in country.attributes)


def test_toml_round_trip_keeps_everything() -> None:
    schema = default_schema()
    assert parse_schema(schema_to_toml(schema)) == schema


def test_colours_are_normalised_and_constraint_is_readable() -> None:
    schema = parse_schema(MINIMAL)
    assert schema.label("PERSON").colour == "#FFD6A5"  # type: ignore[union-attr]
    assert schema.relation("HOLDS_ROLE").describe_constraint() == "HOLDS_ROLE needs PERSON -> ROLE"  # type: ignore[union-attr]
    assert [r.name for r in schema.relation_types_for("PERSON", "ROLE")] == ["HOLDS_ROLE"]
    assert schema.relation_types_for("ROLE", "PERSON") == ()


@pytest.mark.parametrize(
    ("broken", "line", "problem"),
    [
        (
            MINIMAL.replace('tails = ["ROLE"]', 'tails = ["ROLES"]'),
            15,
            "tail label 'ROLES' is not declared",
        ),
        (
            MINIMAL.replace('colour = "#FDFFB6"', 'colour = "yellow"'),
            10,
            "'colour' must be a hex colour",
        ),
        (
            MINIMAL.replace('name = "ROLE"\n', 'name = "PERSON"\n', 1),
            9,
            "label 'PERSON' is declared twice",
        ),
        (MINIMAL.replace('hotkey = "1"', 'hotkey = "F1"'), 6, "'hotkey' must be one digit"),
        (MINIMAL.replace('heads = ["PERSON"]', "heads = [PERSON]"), 14, "invalid TOML"),
        (
            MINIMAL + '\n[[labels.attributes]]\nname = "x"\nkind = "colour"\n',
            19,
            "unknown kind 'colour'",
        ),
    ],
)
def test_broken_schema_names_file_line_and_problem(
    tmp_path: Path, broken: str, line: int, problem: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        load_schema(path)
    assert info.value.source == str(path)
    assert info.value.line == line
    assert problem in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_symmetric_relation_needs_same_heads_and_tails() -> None:
    text = MINIMAL.replace('tails = ["ROLE"]', 'tails = ["ROLE"]\nsymmetric = true')
    with pytest.raises(SchemaError, match="symmetric relation needs the same heads and tails"):
        parse_schema(text)


def test_missing_schema_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="cannot read schema file"):
        load_schema(tmp_path / "nope.toml")


def test_defaults_of_new_spans_and_relations_come_from_the_schema() -> None:
    schema = default_schema()
    assert schema.span_defaults("ROLE") == {"former": False}
    assert schema.span_defaults("PERSON") == {}
    assert schema.span_defaults("NO_SUCH_LABEL") == {}
    assert schema.relation_defaults("HAPPENED_ON") == {"certainty": "exact"}
    assert schema.relation_defaults("NO_SUCH_TYPE") == {}
