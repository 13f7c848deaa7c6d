"""The project's tag set: entity labels and relation types, read from and written to TOML.

The TOML layout (see ``resources/schemas/news.toml``)::

    name = "news"
    [[labels]]
    name = "PERSON"; colour = "#FFD6A5"; hotkey = "1"; description = "..."
    [[labels.attributes]]
    name = "normalized"; kind = "date"
    [[relations]]
    name = "HOLDS_ROLE"; heads = ["PERSON"]; tails = ["ROLE"]; symmetric = false
"""

from __future__ import annotations

import enum
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from spanlab.core.errors import SchemaError

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
ATTRIBUTE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
HOTKEY_RE = re.compile(r"^[1-9a-z]$")


class AttributeKind(enum.StrEnum):
    """What values an attribute takes; ``date`` and ``country`` are normalised values."""

    TEXT = "text"
    CHOICE = "choice"
    BOOLEAN = "boolean"
    DATE = "date"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """One attribute a span or relation of some type may carry."""

    name: str
    kind: AttributeKind = AttributeKind.TEXT
    description: str = ""
    choices: tuple[str, ...] = ()
    default: str | bool | None = None


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """An entity label."""

    name: str
    colour: str
    hotkey: str | None = None
    description: str = ""
    attributes: tuple[AttributeSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class RelationSpec:
    """A relation type with the labels its head and tail may have."""

    name: str
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    symmetric: bool = False
    description: str = ""
    attributes: tuple[AttributeSpec, ...] = ()

    def allows(self, head_label: str, tail_label: str) -> bool:
        """Whether a relation of this type may link spans with these labels."""
        if head_label in self.heads and tail_label in self.tails:
            return True
        return self.symmetric and tail_label in self.heads and head_label in self.tails

    def describe_constraint(self) -> str:
        """A readable rule such as ``HOLDS_ROLE needs PERSON -> ROLE``."""
        arrow = "<->" if self.symmetric else "->"
        return f"{self.name} needs {'|'.join(self.heads)} {arrow} {'|'.join(self.tails)}"


@dataclass(frozen=True, slots=True)
class Schema:
    """A complete tag set."""

    name: str = "untitled"
    description: str = ""
    labels: tuple[LabelSpec, ...] = ()
    relations: tuple[RelationSpec, ...] = ()
    version: int = 1
    _label_index: Mapping[str, LabelSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_label_index", {label.name: label for label in self.labels})

    def label(self, name: str) -> LabelSpec | None:
        """The label called ``name``, if declared."""
        return self._label_index.get(name)

    def relation(self, name: str) -> RelationSpec | None:
        """The relation type called ``name``, if declared."""
        return next((r for r in self.relations if r.name == name), None)

    def span_defaults(self, label: str) -> dict[str, str | bool]:
        """Attribute values a new ``label`` span starts with (the declared defaults)."""
        spec = self.label(label)
        return _defaults(spec.attributes) if spec is not None else {}

    def relation_defaults(self, relation_type: str) -> dict[str, str | bool]:
        """Attribute values a new relation of ``relation_type`` starts with."""
        spec = self.relation(relation_type)
        return _defaults(spec.attributes) if spec is not None else {}

    @property
    def label_names(self) -> tuple[str, ...]:
        """Label names in declaration order."""
        return tuple(label.name for label in self.labels)

    def relation_types_for(self, head_label: str, tail_label: str) -> tuple[RelationSpec, ...]:
        """Relation types whose argument constraints fit this pair of labels."""
        return tuple(r for r in self.relations if r.allows(head_label, tail_label))

    def with_labels(self, labels: Iterable[LabelSpec]) -> Schema:
        """A copy with a different label list."""
        return replace(self, labels=tuple(labels))


def _defaults(attributes: tuple[AttributeSpec, ...]) -> dict[str, str | bool]:
    return {a.name: a.default for a in attributes if a.default is not None}


def load_schema(path: str | Path) -> Schema:
    """Read and validate a schema TOML file; errors name the file and line."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise SchemaError(
            f"cannot read schema file ({exc.strerror or exc})", source=source
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"not UTF-8 text (byte {exc.start})", source=source) from exc
    return parse_schema(text, source=str(source))


def parse_schema(text: str, *, source: str = "schema") -> Schema:
    """Parse and validate schema TOML text."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SchemaError(f"invalid TOML: {problem}", source=source, line=line) from exc
    return _SchemaReader(text, source).read(raw)


def schema_to_toml(schema: Schema) -> str:
    """Serialise a schema to the TOML layout ``parse_schema`` reads."""
    doc: dict[str, Any] = {"name": schema.name, "version": schema.version}
    if schema.description:
        doc["description"] = schema.description
    doc["labels"] = [_label_to_dict(label) for label in schema.labels]
    doc["relations"] = [_relation_to_dict(rel) for rel in schema.relations]
    return tomli_w.dumps(doc)


def save_schema(schema: Schema, path: str | Path) -> None:
    """Write a schema as TOML."""
    Path(path).write_text(schema_to_toml(schema), encoding="utf-8")


def attribute_to_dict(spec: AttributeSpec) -> dict[str, Any]:
    """Plain-data form of an attribute spec (TOML and database JSON)."""
    out: dict[str, Any] = {"name": spec.name, "kind": spec.kind.value}
    if spec.description:
        out["description"] = spec.description
    if spec.choices:
        out["choices"] = list(spec.choices)
    if spec.default is not None:
        out["default"] = spec.default
    return out


def attribute_from_dict(data: Mapping[str, Any]) -> AttributeSpec:
    """Inverse of :func:`attribute_to_dict` for already validated data."""
    return AttributeSpec(
        name=str(data["name"]),
        kind=AttributeKind(data.get("kind", "text")),
        description=str(data.get("description", "")),
        choices=tuple(data.get("choices", ())),
        default=data.get("default"),
    )


def _label_to_dict(label: LabelSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": label.name, "colour": label.colour}
    if label.hotkey:
        out["hotkey"] = label.hotkey
    if label.description:
        out["description"] = label.description
    if label.attributes:
        out["attributes"] = [attribute_to_dict(a) for a in label.attributes]
    return out


def _relation_to_dict(rel: RelationSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": rel.name,
        "heads": list(rel.heads),
        "tails": list(rel.tails),
        "symmetric": rel.symmetric,
    }
    if rel.description:
        out["description"] = rel.description
    if rel.attributes:
        out["attributes"] = [attribute_to_dict(a) for a in rel.attributes]
    return out


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


class _SchemaReader:
    """Validates parsed TOML, pointing errors at the line where the offending value is."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def fail(self, message: str, *hints: str) -> SchemaError:
        return SchemaError(message, source=self.source, line=self.find_line(*hints))

    def find_line(self, *hints: str) -> int | None:
        """Line of the first hint found, searching after the previous hint's line."""
        line_no: int | None = None
        start = 0
        for hint in hints:
            for index in range(start, len(self.lines)):
                if hint in self.lines[index]:
                    line_no, start = index + 1, index + 1
                    break
        return line_no

    def read(self, raw: Mapping[str, Any]) -> Schema:
        known = {"name", "version", "description", "labels", "relations"}
        for key in raw:
            if key not in known:
                raise self.fail(f"unknown top-level key '{key}'", f"{key}")
        labels = tuple(self.read_label(item) for item in self.table_list(raw, "labels"))
        if not labels:
            raise self.fail("the schema declares no labels ([[labels]] tables)")
        self.check_unique([label.name for label in labels], "label", "[[labels]]")
        hotkeys = [label.hotkey for label in labels if label.hotkey]
        for key in {h for h in hotkeys if hotkeys.count(h) > 1}:
            raise self.fail(f"hotkey '{key}' is used by more than one label", f'hotkey = "{key}"')
        label_names = {label.name for label in labels}
        relations = tuple(
            self.read_relation(item, label_names) for item in self.table_list(raw, "relations")
        )
        self.check_unique([rel.name for rel in relations], "relation", "[[relations]]")
        clash = label_names & {rel.name for rel in relations}
        if clash:
            name = sorted(clash)[0]
            raise self.fail(f"'{name}' is both a label and a relation type", f'"{name}"')
        version = raw.get("version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.fail("'version' must be a positive integer", "version")
        return Schema(
            name=self.string(raw, "name", "untitled", context=""),
            description=self.string(raw, "description", "", context=""),
            labels=labels,
            relations=relations,
            version=version,
        )

    def table_list(self, raw: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"'{key}' must be an array of tables ([[{key}]])", key)
        return value

    def string(self, raw: Mapping[str, Any], key: str, default: str, *, context: str) -> str:
        value = raw.get(key, default)
        if not isinstance(value, str):
            raise self.fail(f"{context}'{key}' must be a string", *self.hints(raw), f"{key}")
        return value

    @staticmethod
    def hints(raw: Mapping[str, Any]) -> tuple[str, ...]:
        name = raw.get("name")
        return (f'"{name}"',) if isinstance(name, str) else ()

    def check_unique(self, names: Sequence[str], kind: str, table: str) -> None:
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise self.fail(f"{kind} '{name}' is declared twice", f'"{name}"', f'"{name}"')
            seen.add(name)

    def read_name(self, raw: Mapping[str, Any], table: str) -> str:
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(f"every [[{table}]] needs a non-empty string 'name'", f"[[{table}]]")
        if not NAME_RE.match(name):
            raise self.fail(
                f"{table[:-1]} name '{name}' may only use letters, digits, '_' and '-' "
                "and must start with a letter",
                f'"{name}"',
            )
        return name

    def read_label(self, raw: Mapping[str, Any]) -> LabelSpec:
        name = self.read_name(raw, "labels")
        self.reject_unknown(
            raw, {"name", "colour", "color", "hotkey", "description", "attributes"}, name
        )
        colour = raw.get("colour", raw.get("color"))
        if not isinstance(colour, str) or not COLOUR_RE.match(colour):
            raise self.fail(
                f"label {name}: 'colour' must be a hex colour like \"#FFD6A5\"", f'"{name}"', "colo"
            )
        hotkey = raw.get("hotkey")
        if hotkey is not None and (not isinstance(hotkey, str) or not HOTKEY_RE.match(hotkey)):
            raise self.fail(
                f"label {name}: 'hotkey' must be one digit 1-9 or one lowercase letter",
                f'"{name}"',
                "hotkey",
            )
        return LabelSpec(
            name=name,
            colour=colour.upper(),
            hotkey=hotkey,
            description=self.string(raw, "description", "", context=f"label {name}: "),
            attributes=self.read_attributes(raw, f"label {name}"),
        )

    def read_relation(self, raw: Mapping[str, Any], label_names: set[str]) -> RelationSpec:
        name = self.read_name(raw, "relations")
        allowed = {"name", "heads", "tails", "symmetric", "description", "attributes"}
        self.reject_unknown(raw, allowed, name)
        ends: dict[str, tuple[str, ...]] = {}
        for key in ("heads", "tails"):
            value = raw.get(key)
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) for v in value)
            ):
                raise self.fail(
                    f"relation {name}: '{key}' must be a non-empty list of label names",
                    f'"{name}"',
                    key,
                )
            for label in value:
                if label not in label_names:
                    raise self.fail(
                        f"relation {name}: {key[:-1]} label '{label}' is not declared",
                        f'"{name}"',
                        f'"{label}"',
                    )
            ends[key] = tuple(value)
        symmetric = raw.get("symmetric", False)
        if not isinstance(symmetric, bool):
            raise self.fail(f"relation {name}: 'symmetric' must be true or false", "symmetric")
        if symmetric and set(ends["heads"]) != set(ends["tails"]):
            raise self.fail(
                f"relation {name}: a symmetric relation needs the same heads and tails",
                f'"{name}"',
                "tails",
            )
        return RelationSpec(
            name=name,
            heads=ends["heads"],
            tails=ends["tails"],
            symmetric=symmetric,
            description=self.string(raw, "description", "", context=f"relation {name}: "),
            attributes=self.read_attributes(raw, f"relation {name}"),
        )

    def reject_unknown(self, raw: Mapping[str, Any], allowed: set[str], owner: str) -> None:
        for key in raw:
            if key not in allowed:
                raise self.fail(f"{owner}: unknown key '{key}'", f'"{owner}"', key)

    def read_attributes(self, raw: Mapping[str, Any], owner: str) -> tuple[AttributeSpec, ...]:
        items = raw.get("attributes", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise self.fail(f"{owner}: 'attributes' must be an array of tables", "attributes")
        specs = tuple(self.read_attribute(item, owner) for item in items)
        self.check_unique([s.name for s in specs], f"{owner}: attribute", "attributes")
        return specs

    def read_attribute(self, raw: Mapping[str, Any], owner: str) -> AttributeSpec:
        name = raw.get("name")
        if not isinstance(name, str) or not ATTRIBUTE_NAME_RE.match(name):
            raise self.fail(
                f"{owner}: attribute names must be snake_case strings (got {name!r})",
                "attributes",
            )
        self.reject_unknown(raw, {"name", "kind", "description", "choices", "default"}, name)
        kind_raw = raw.get("kind", "text")
        try:
            kind = AttributeKind(kind_raw)
        except ValueError:
            kinds = ", ".join(k.value for k in AttributeKind)
            raise self.fail(
                f"{owner}: attribute {name}: unknown kind {kind_raw!r} (use one of {kinds})",
                f'"{name}"',
                "kind",
            ) from None
        choices = raw.get("choices", [])
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise self.fail(f"{owner}: attribute {name}: 'choices' must be strings", "choices")
        if kind is AttributeKind.CHOICE and not choices:
            raise self.fail(f"{owner}: attribute {name}: a choice needs 'choices'", f'"{name}"')
        if kind is not AttributeKind.CHOICE and choices:
            raise self.fail(
                f"{owner}: attribute {name}: only kind 'choice' takes 'choices'", "choices"
            )
        default = raw.get("default")
        if default is not None and not isinstance(default, str | bool):
            raise self.fail(f"{owner}: attribute {name}: bad default", "default")
        if kind is AttributeKind.CHOICE and default is not None and default not in choices:
            raise self.fail(
                f"{owner}: attribute {name}: default is not one of the choices", "default"
            )
        return AttributeSpec(
            name=name,
            kind=kind,
            description=self.string(raw, "description", "", context=f"{owner}: attribute {name}: "),
            choices=tuple(choices),
            default=default,
        )
