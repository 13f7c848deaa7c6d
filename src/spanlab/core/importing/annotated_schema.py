"""Labels and relation types an annotated import adds to the schema (``add_labels``).

Kept apart from the checks so the same additions can be planned per file, carried
across files (all-or-nothing) and applied once, inside the writing transaction.
"""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from spanlab.core.schema import LabelSpec, RelationSpec, Schema

__all__ = ["SchemaAdditions", "label_colour"]


@dataclass
class SchemaAdditions:
    """Labels and relation types this import adds (``add_labels``)."""

    labels: dict[str, LabelSpec] = field(default_factory=dict)
    heads: dict[str, set[str]] = field(default_factory=dict)
    tails: dict[str, set[str]] = field(default_factory=dict)

    def copy(self) -> SchemaAdditions:
        return SchemaAdditions(
            dict(self.labels),
            {k: set(v) for k, v in self.heads.items()},
            {k: set(v) for k, v in self.tails.items()},
        )

    @property
    def empty(self) -> bool:
        return not self.labels and not self.heads

    def new_to(self, schema: Schema) -> SchemaAdditions:
        """Only what ``schema`` does not have yet."""
        fresh = SchemaAdditions()
        for name, spec in self.labels.items():
            if schema.label(name) is None:
                fresh.labels[name] = spec
        for name, heads in self.heads.items():
            known = schema.relation(name)
            tails = self.tails[name]
            if known is None or not (heads <= set(known.heads) and tails <= set(known.tails)):
                fresh.heads[name] = set(heads)
                fresh.tails[name] = set(tails)
        return fresh

    def apply_to(self, schema: Schema) -> Schema:
        labels = list(schema.labels)
        labels.extend(spec for name, spec in self.labels.items() if schema.label(name) is None)
        relations = []
        for spec in schema.relations:
            if spec.name in self.heads:
                spec = RelationSpec(
                    name=spec.name,
                    heads=_merge(spec.heads, self.heads[spec.name]),
                    tails=_merge(spec.tails, self.tails[spec.name]),
                    symmetric=spec.symmetric,
                    description=spec.description,
                    attributes=spec.attributes,
                )
            relations.append(spec)
        known = {r.name for r in schema.relations}
        for name in self.heads:
            if name not in known:
                relations.append(
                    RelationSpec(
                        name=name,
                        heads=tuple(sorted(self.heads[name])),
                        tails=tuple(sorted(self.tails[name])),
                        description="Added by an annotation import.",
                    )
                )
        return Schema(
            name=schema.name,
            description=schema.description,
            labels=tuple(labels),
            relations=tuple(relations),
            version=schema.version,
        )


def _merge(existing: tuple[str, ...], extra: Iterable[str]) -> tuple[str, ...]:
    return existing + tuple(sorted(set(extra) - set(existing)))


def label_colour(name: str) -> str:
    """A light, stable colour for a label added by an import (from its name's hash)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    hue = digest[0] / 255
    red, green, blue = colorsys.hls_to_rgb(hue, 0.82, 0.75)
    return f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"
