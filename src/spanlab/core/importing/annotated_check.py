"""Checking an annotated file before anything is written: every rule, every problem.

``Checker`` turns a file's ``ImportedDocument``s into write plans, or reports each
problem with its file and line (the rules are in ``spanlab.core.importing.annotated``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spanlab.core.formats.base import (
    ImportedDocument,
    ImportedLayer,
    ImportedRelation,
    ImportedSpan,
)
from spanlab.core.importing.annotated_offsets import OffsetUnits
from spanlab.core.importing.annotated_plans import (
    DocumentPlan,
    EntityPlan,
    FilePlan,
    LayerPlan,
    RelationPlan,
    SpanPlan,
)
from spanlab.core.importing.annotated_report import FileResult
from spanlab.core.importing.annotated_schema import SchemaAdditions, label_colour
from spanlab.core.importing.canonical import CanonicalTextError, text_sha256
from spanlab.core.importing.canonical_map import CanonicalMap, UnmappableText
from spanlab.core.model import AnnotatorId, DocumentId
from spanlab.core.project import Project
from spanlab.core.schema import NAME_RE, AttributeKind, LabelSpec, RelationSpec, Schema

__all__ = ["Checker", "FileContext"]


class Checker:
    """Turns ImportedDocuments into write plans, collecting every problem of a file.

    ``schema`` is the stored schema (plus what earlier files of this run added and
    committed); ``pending`` holds additions of files accepted but not yet written
    (all-or-nothing), so later files are checked against them.
    """

    def __init__(
        self, project: Project, *, annotator: str | None, add_labels: bool, replace: bool
    ) -> None:
        self.project = project
        self.annotator = annotator
        self.add_labels = add_labels
        self.replace = replace
        self.schema = project.schema()
        self.pending = SchemaAdditions()
        self.added_types: set[str] = set()  # relation types this run added (may widen)
        self.planned: dict[tuple[str, str], str] = {}  # (sha, annotator) -> file
        self.pending_documents: set[str] = set()
        self.refresh()

    def refresh(self) -> None:
        """Re-read what the project holds (after a file was written)."""
        self.known_documents = {s.sha256: (s.id, s.title) for s in self.project.documents()}
        self.annotator_ids = {a.name: a.id for a in self.project.annotators()}
        self._counts: dict[str, dict[DocumentId, int]] = {}

    def existing_spans(self, annotator: str, document: DocumentId) -> int:
        annotator_id = self.annotator_ids.get(annotator)
        if annotator_id is None:
            return 0
        if annotator not in self._counts:
            self._counts[annotator] = self.project.span_counts(AnnotatorId(annotator_id))
        return self._counts[annotator].get(document, 0)

    def remember(self, plan: FilePlan) -> None:
        """Check later files against ``plan`` (accepted, written or about to be)."""
        where = plan.result.path
        for document in plan.documents:
            self.pending_documents.add(document.sha256)
            for layer in document.layers:
                self.planned.setdefault((document.sha256, layer.annotator), where)

    # ---- one file
    def check_file(
        self, path: Path, documents: Sequence[ImportedDocument], result: FileResult
    ) -> tuple[FilePlan, SchemaAdditions]:
        """Plan a file; problems go to ``result``."""
        plan = FilePlan(result)
        additions = self.pending.copy()
        context = FileContext(path, result, additions, self.pending.apply_to(self.schema))
        for document in documents:
            result.documents += 1
            for problem in document.problems:
                result.problem(problem.problem, problem.line, problem.source)
            for note in document.notes:
                result.note(note)
            planned = self.check_document(context, document)
            if planned is not None:
                plan.documents.append(planned)
        return plan, additions

    def check_document(
        self, context: FileContext, document: ImportedDocument
    ) -> DocumentPlan | None:
        result = context.result
        line = document.line
        try:
            mapping = CanonicalMap(document.text)
        except (CanonicalTextError, UnmappableText) as exc:
            result.problem(f"the text cannot be imported: {exc}", line)
            return None
        text = mapping.canonical
        if not text.strip():
            result.problem("empty document (no text after removing whitespace)", line)
            return None
        if mapping.changes:
            where = context.path if line is None else f"{context.path}:{line}"
            result.note(
                f"{where}: the text was made canonical ({'; '.join(mapping.changes)}); "
                "the offsets were mapped onto it"
            )
        sha = text_sha256(text)
        if document.sha256 is not None and document.sha256 != sha:
            result.problem(
                "the sha256 in the file does not match the text (was the text edited?)", line
            )
            return None
        existing = self.known_documents.get(sha)
        title = (document.title or "").strip() or _title(text, context.path.stem)
        row = {
            "title": title,
            "text": text,
            "sha256": sha,
            "source": document.origin or str(context.path),
            "url": document.url,
            "published": document.published,
            "metadata": dict(document.metadata),
        }
        named = f"document '{title}'"
        if existing is not None:
            named = f"document '{existing[1]}' (id {existing[0]})"
        units = OffsetUnits(document, mapping, result)
        layers: list[LayerPlan] = []
        for layer in document.layers:
            planned = self.check_layer(context, document, layer, units, text, existing, named)
            if planned is None:
                continue
            key = (sha, planned.annotator)
            earlier = self.planned.get(key) or context.planned.get(key)
            if earlier is not None:
                result.problem(
                    f"{named} gets annotations by {planned.annotator} twice in this import "
                    f"(also {earlier}); import each annotator's work on a document once",
                    line,
                )
                continue
            context.planned[key] = str(context.path) if line is None else f"line {line}"
            layers.append(planned)
        if existing is not None or sha in self.pending_documents or sha in context.documents:
            result.matched += existing is not None
        else:
            result.created += 1
        context.documents.add(sha)
        return DocumentPlan(sha, row, layers)

    def check_layer(
        self,
        context: FileContext,
        document: ImportedDocument,
        layer: ImportedLayer,
        units: OffsetUnits,
        text: str,
        existing: tuple[DocumentId, str] | None,
        named: str,
    ) -> LayerPlan | None:
        result = context.result
        name = layer.annotator or self.annotator
        if name is None:
            result.problem(
                "the file does not say whose annotations these are; pass --annotator NAME"
            )
            return None
        if not name.strip() or name.strip() != name or len(name) > 200:
            result.problem(f"invalid annotator name {name!r}", document.line)
            return None
        checked = self.check_spans(context, layer.spans, units, text, name)
        if checked is None:
            return None
        spans, aliases = checked
        plan = LayerPlan(name, layer.status, spans)
        by_key = {s.key: s for s in spans}
        plan.relations = self.check_relations(context, layer.relations, by_key, aliases, units)
        plan.entities = _check_entities(layer, by_key, text, result)
        if existing is not None and not plan.empty:
            count = self.existing_spans(name, existing[0])
            if count and not self.replace:
                result.problem(
                    f"{name} already has {count} span(s) on {named}; use --replace to replace "
                    "them with the file's annotations",
                    document.line,
                )
                return None
            if count:
                plan.replace = True
                result.note(f"{name}'s {count} earlier span(s) on {named} are replaced")
        return plan

    def check_spans(
        self,
        context: FileContext,
        spans: Sequence[ImportedSpan],
        units: OffsetUnits,
        text: str,
        annotator: str,
    ) -> tuple[list[SpanPlan], dict[str, str]] | None:
        result = context.result
        plans: list[SpanPlan] = []
        aliases: dict[str, str] = {}
        keys: set[str] = set()
        by_identity: dict[tuple[str, int, int], SpanPlan] = {}
        missing: dict[str, list[int | None]] = {}
        for span in spans:
            if span.key in keys:
                result.problem(f"span id {span.key!r} is used twice", span.line)
                continue
            keys.add(span.key)
            offsets = units.offsets(span)
            if offsets is None:
                continue  # already reported
            start, end = offsets
            if start >= end:
                result.problem(
                    f"span {span.key} ({span.label}) is empty ([{span.start}, {span.end})); "
                    "SpanLab spans cover at least one character",
                    span.line,
                )
                continue
            spec = context.schema.label(span.label)
            if spec is None:
                missing.setdefault(span.label, []).append(span.line)
            attributes = _coerce(dict(span.attributes), spec)
            twin = by_identity.get((span.label, start, end))
            if twin is None:
                plan = SpanPlan(
                    span.key, span.label, start, end, attributes, span.entity_key, span.line
                )
                by_identity[(span.label, start, end)] = plan
                plans.append(plan)
                continue
            conflict = sorted(
                k
                for k in attributes
                if k in twin.attributes and twin.attributes[k] != attributes[k]
            )
            if conflict:
                result.problem(
                    f"span {span.key} repeats span {twin.key} ({span.label} "
                    f"{text[start:end]!r}) with different values for {', '.join(conflict)}",
                    span.line,
                )
                continue
            if span.entity_key and twin.entity_key and span.entity_key != twin.entity_key:
                result.problem(
                    f"span {span.key} repeats span {twin.key} ({span.label} "
                    f"{text[start:end]!r}) in a different entity group",
                    span.line,
                )
                continue
            twin.attributes.update(attributes)
            twin.entity_key = twin.entity_key or span.entity_key
            aliases[span.key] = twin.key
            result.note(
                f"{annotator}: span {span.key} repeats span {twin.key} ({span.label} "
                f"{text[start:end]!r}); merged into one"
            )
        accepted = True
        for label, lines in missing.items():
            accepted = self.add_label(context, label, lines) and accepted
        return (plans, aliases) if accepted else None

    def add_label(self, context: FileContext, name: str, lines: list[int | None]) -> bool:
        """Plan a missing label (``add_labels``) or report it."""
        if not self.add_labels:
            context.result.problem(
                f"label '{name}' is not in the project's schema ({_lines(lines)}); use "
                "--add-labels to add it, or rename it in the file",
                lines[0],
            )
            return False
        if not NAME_RE.match(name) or context.schema.relation(name) is not None:
            context.result.problem(
                f"label '{name}' cannot be added to the schema: a name uses letters, digits, "
                "'_' and '-', starts with a letter and is not also a relation type",
                lines[0],
            )
            return False
        context.additions.labels.setdefault(
            name,
            LabelSpec(
                name=name, colour=label_colour(name), description="Added by an annotation import."
            ),
        )
        return True

    def check_relations(
        self,
        context: FileContext,
        relations: Sequence[ImportedRelation],
        spans: Mapping[str, SpanPlan],
        aliases: Mapping[str, str],
        units: OffsetUnits,
    ) -> list[RelationPlan]:
        result = context.result
        plans: list[RelationPlan] = []
        seen: dict[tuple[str, str, str], RelationPlan] = {}
        for relation in relations:
            ends: list[SpanPlan | None] = []
            for role, raw_key in (("head", relation.head_key), ("tail", relation.tail_key)):
                key = aliases.get(raw_key, raw_key)
                span = spans.get(key)
                if span is None and not units.refused(key):
                    result.problem(
                        f"{relation.label} relation: its {role} {key!r} is not a span of this "
                        "annotator in this document",
                        relation.line,
                    )
                ends.append(span)
            head, tail = ends
            if head is None or tail is None:
                continue
            if head.key == tail.key:
                result.problem(
                    f"{relation.label} relation links span {head.key} to itself", relation.line
                )
                continue
            spec = context.schema.relation(relation.label)
            if not self.relation_fits(context, relation, spec, head, tail):
                continue
            first, second = head.key, tail.key
            if spec is not None and spec.symmetric and second < first:
                first, second = second, first
            attributes = _coerce(dict(relation.attributes), spec)
            twin = seen.get((relation.label, first, second))
            if twin is None:
                plan = RelationPlan(relation.label, head.key, tail.key, attributes)
                seen[(relation.label, first, second)] = plan
                plans.append(plan)
                continue
            if any(twin.attributes.get(k, v) != v for k, v in attributes.items()):
                result.problem(
                    f"{relation.label} relation {head.key} -> {tail.key} is given twice with "
                    "different attributes",
                    relation.line,
                )
                continue
            twin.attributes.update(attributes)
            result.note(
                f"{relation.label} relation {head.key} -> {tail.key} is given twice; merged"
            )
        return plans

    def relation_fits(
        self,
        context: FileContext,
        relation: ImportedRelation,
        spec: RelationSpec | None,
        head: SpanPlan,
        tail: SpanPlan,
    ) -> bool:
        """Whether the relation fits its type (planning a new or widened type if allowed)."""
        name = relation.label
        widenable = (
            name in self.added_types
            or name in context.new_types
            or (name in self.pending.heads and self.schema.relation(name) is None)
        )
        if spec is not None and not widenable:
            if spec.allows(head.label, tail.label):
                return True
            context.result.problem(
                f"{spec.describe_constraint()}, not {head.label} -> {tail.label} "
                f"(spans {head.key} -> {tail.key})",
                relation.line,
            )
            return False
        if spec is None:
            if not self.add_labels:
                context.result.problem(
                    f"relation type '{name}' is not in the project's schema; use --add-labels "
                    "to add it, or rename it in the file",
                    relation.line,
                )
                return False
            if not NAME_RE.match(name) or context.schema.label(name) is not None:
                context.result.problem(
                    f"relation type '{name}' cannot be added to the schema: a name uses "
                    "letters, digits, '_' and '-', starts with a letter and is not also a label",
                    relation.line,
                )
                return False
            context.new_types.add(name)
        context.additions.heads.setdefault(name, set()).add(head.label)
        context.additions.tails.setdefault(name, set()).add(tail.label)
        return True


@dataclass
class FileContext:
    """What checking one file needs besides the checker."""

    path: Path
    result: FileResult
    additions: SchemaAdditions
    schema: Schema  # stored schema with labels already planned by earlier files
    planned: dict[tuple[str, str], str] = field(default_factory=dict)
    documents: set[str] = field(default_factory=set)
    new_types: set[str] = field(default_factory=set)


def _check_entities(
    layer: ImportedLayer, spans: Mapping[str, SpanPlan], text: str, result: FileResult
) -> list[EntityPlan]:
    declared = {e.key: e for e in layer.entities}
    members: dict[str, list[str]] = {}
    for span in spans.values():
        if span.entity_key is not None:
            members.setdefault(span.entity_key, []).append(span.key)
    plans = []
    for key in [*declared, *(k for k in members if k not in declared)]:
        keys = sorted(members.get(key, []), key=lambda k: (spans[k].start, spans[k].end))
        entity = declared.get(key)
        name = entity.name if entity is not None else None
        if name is None:
            if not keys:
                result.problem(
                    f"entity {key!r} has no name and no mentions",
                    entity.line if entity is not None else None,
                )
                continue
            first = spans[keys[0]]
            name = text[first.start : first.end]
        plans.append(EntityPlan(key, name, keys))
    return plans


def _coerce(attributes: dict[str, Any], spec: LabelSpec | RelationSpec | None) -> dict[str, Any]:
    """Boolean attributes written as text ("true"/"false") become booleans."""
    if spec is None:
        return attributes
    for attribute in spec.attributes:
        value = attributes.get(attribute.name)
        if attribute.kind is AttributeKind.BOOLEAN and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in ("true", "false"):
                attributes[attribute.name] = lowered == "true"
    return attributes


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            return stripped if len(stripped) <= 200 else stripped[:199] + "…"
    return fallback


def _lines(lines: Sequence[int | None]) -> str:
    known = sorted({n for n in lines if n is not None})
    if not known:
        return f"{len(lines)} span(s)"
    shown = ", ".join(map(str, known[:5])) + (", ..." if len(known) > 5 else "")
    return f"line{'s' if len(known) > 1 else ''} {shown}"
