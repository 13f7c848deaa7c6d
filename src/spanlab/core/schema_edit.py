"""Edit a schema's labels (add, rename, recolour, rebind hotkeys, remove) with renames tracked.

The schema editor dialog collects :class:`LabelEdit` rows; :func:`apply_label_edits`
validates them and returns the new schema plus the ``renames`` that
``UpdateSchema`` needs to keep existing spans attached to renamed labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spanlab.core.errors import SchemaError
from spanlab.core.schema import COLOUR_RE, HOTKEY_RE, NAME_RE, LabelSpec, Schema

__all__ = ["LabelEdit", "apply_label_edits", "edits_from_schema"]


@dataclass(frozen=True, slots=True)
class LabelEdit:
    """One row of the editor; ``original`` is the label's name before editing (None: new)."""

    original: str | None
    name: str
    colour: str
    hotkey: str | None = None
    description: str = ""


def edits_from_schema(schema: Schema) -> list[LabelEdit]:
    """The editor's starting rows."""
    return [
        LabelEdit(label.name, label.name, label.colour, label.hotkey, label.description)
        for label in schema.labels
    ]


def _fail(message: str) -> SchemaError:
    return SchemaError(message, source="schema editor")


def apply_label_edits(schema: Schema, edits: Sequence[LabelEdit]) -> tuple[Schema, dict[str, str]]:
    """The schema with ``edits`` as its labels, and the renames (old name -> new name).

    Relation types follow renamed labels. Attributes of kept labels are preserved.

    Raises:
        SchemaError: a name, colour or hotkey is invalid or used twice, no label is
            left, or a removed label is still an argument of a relation type.
    """
    if not edits:
        raise _fail("the schema needs at least one label")
    names: set[str] = set()
    hotkeys: dict[str, str] = {}
    renames: dict[str, str] = {}
    labels: list[LabelSpec] = []
    for edit in edits:
        name = edit.name.strip()
        if not NAME_RE.match(name):
            raise _fail(
                f"label name {name!r} may only use letters, digits, '_' and '-' "
                "and must start with a letter"
            )
        if name in names:
            raise _fail(f"label '{name}' appears twice")
        names.add(name)
        colour = edit.colour.strip().upper()
        if not COLOUR_RE.match(colour):
            raise _fail(f"label {name}: colour must look like #FFD6A5, not {edit.colour!r}")
        hotkey = (edit.hotkey or "").strip().lower() or None
        if hotkey is not None:
            if not HOTKEY_RE.match(hotkey):
                raise _fail(f"label {name}: the hotkey must be one digit 1-9 or one letter")
            if hotkey in hotkeys:
                raise _fail(f"hotkey '{hotkey}' is used by {hotkeys[hotkey]} and {name}")
            hotkeys[hotkey] = name
        before = schema.label(edit.original) if edit.original else None
        base = before or LabelSpec(name=name, colour=colour)
        labels.append(
            replace(base, name=name, colour=colour, hotkey=hotkey, description=edit.description)
        )
        if edit.original and edit.original != name:
            renames[edit.original] = name
    kept = {e.original for e in edits if e.original}
    removed = {label.name for label in schema.labels} - kept
    relations = []
    for relation in schema.relations:
        heads = tuple(renames.get(h, h) for h in relation.heads)
        tails = tuple(renames.get(t, t) for t in relation.tails)
        used = (set(relation.heads) | set(relation.tails)) & removed
        if used:
            raise _fail(
                f"label {sorted(used)[0]} is used by relation type {relation.name}; "
                "keep it or change that relation type first"
            )
        relations.append(replace(relation, heads=heads, tails=tails))
    clash = names & {r.name for r in relations}
    if clash:
        raise _fail(f"'{sorted(clash)[0]}' is already a relation type")
    return replace(schema, labels=tuple(labels), relations=tuple(relations)), renames
