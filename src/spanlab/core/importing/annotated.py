"""Import annotated files (SpanLab JSONL, brat, doccano, Label Studio, ...) into a project.

``import_annotated`` reads each file with its format's reader (``formats.registry``),
checks **every** annotation before anything is written, and then writes the file in
**one transaction** through the core commands, so a file is imported whole or not at
all (with ``all_or_nothing``: the whole import is one transaction).

The rules, in the order they are applied to each document of a file:

* **Text.** The text is made canonical (``canonicalize``). When that changes it (CRLF,
  BOM, NFC, trimmed blank lines), offsets are mapped through the change
  (``CanonicalMap``); an offset that falls inside a CRLF pair or a composed character
  is reported. A document whose canonical text is already in the project (same
  SHA-256) receives the annotations; otherwise it is created. A file that states the
  hash of its text (SpanLab JSONL) must match it.
* **Offset units.** Offsets are read as code points first. Where the file stores the
  covered text (SpanLab JSONL, brat, Label Studio), every span's covered text must
  equal the document slice; if it does not for code points but does for UTF-16 code
  units or UTF-8 bytes, the offsets are converted and a note says so; otherwise each
  mismatching span is reported. Where the file does not store it (doccano), code
  points are used when every span lies inside the text on grapheme-cluster boundaries;
  if only the UTF-16 reading satisfies that (the doccano annotation screen counts
  UTF-16 units), the offsets are converted with a note. When both readings satisfy it,
  the one with fewer spans starting or ending in whitespace wins (code points on a
  tie, with a note when the readings differ). Otherwise the spans are reported.
* **Spans.** Zero-length spans are refused. Discontinuous spans are refused by the
  reader (brat ``0 5;16 23``), naming the line: SpanLab spans are continuous and
  splitting would invent annotations. Overlapping and nested spans are kept (SpanLab
  allows them). Duplicates (same layer, label and offsets) are merged into one with a
  note; their attributes are combined, and conflicting values are reported.
* **Schema.** Labels and relation types missing from the schema are reported, or with
  ``add_labels`` added through ``UpdateSchema`` (a generated colour; a new relation
  type allows exactly the head and tail labels it is used with). Relations must fit
  their type's argument constraints; boolean attributes written as ``"true"`` /
  ``"false"`` become booleans.
* **Relations.** A relation whose head or tail is not a span of the same layer, or
  that links a span to itself, is reported; duplicate relations are merged with a note.
* **Annotators.** A layer's annotator comes from the file, else from ``annotator``
  (brat and doccano files do not say whose annotations they are); neither is an
  error. If that annotator already has annotations on the document, the file is
  refused unless ``replace`` (then their spans, relations and entity groups on that
  document are deleted first, in the same transaction). The same document and
  annotator twice in one import is refused.

Every problem names the file and line. A file with any problem is skipped whole.
"""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from sqlalchemy import select

from spanlab.core.commands import (
    AddRelation,
    AddSpan,
    RemoveSpans,
    SetStatus,
    UpdateSchema,
)
from spanlab.core.entities import CreateEntity, DeleteEntity
from spanlab.core.errors import InputError, SpanLabError
from spanlab.core.formats import registry
from spanlab.core.formats.base import (
    ImportedDocument,
    ImportedLayer,
    ImportedRelation,
    ImportedSpan,
)
from spanlab.core.importing.canonical import CanonicalTextError, text_sha256
from spanlab.core.importing.canonical_map import CanonicalMap, UnmappableText
from spanlab.core.model import (
    GOLD_ANNOTATOR,
    AnnotatorId,
    AnnotatorRole,
    DocumentId,
    DocumentStatus,
)
from spanlab.core.project import Project
from spanlab.core.schema import NAME_RE, AttributeKind, LabelSpec, RelationSpec, Schema
from spanlab.core.storage import repository as repo
from spanlab.core.storage.edit_store import EditStore
from spanlab.core.text import GraphemeIndex, OffsetError, Utf8Offsets, Utf16Offsets

ProgressCallback = Callable[[int, int, str], None]
"""Called as (files done, files total, current file)."""

CancelCallback = Callable[[], bool]
"""Returns True when the user wants to stop (checked between files)."""

IGNORED_NAMES = frozenset(
    {"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf", "labeling_config.xml"}
)
UNITS = ("codepoint", "utf16", "byte")
_UNIT_WORDS = {
    "codepoint": "characters (code points)",
    "utf16": "UTF-16 code units (as JavaScript tools count)",
    "byte": "UTF-8 bytes",
}


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something that stops a file from being imported, with its file and line."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass
class FileResult:
    """What happened to one input file."""

    path: str
    format: str | None
    documents: int = 0
    created: int = 0  # documents new to the project
    matched: int = 0  # documents already in the project (same text)
    spans: int = 0
    relations: int = 0
    entities: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: bool = False

    def problem(self, message: str, line: int | None = None, source: str | None = None) -> None:
        """Record a problem once (the file will be skipped)."""
        problem = ImportProblem(source or self.path, line, message)
        if problem not in self.problems:
            self.problems.append(problem)

    def note(self, message: str) -> None:
        """Record a note once."""
        if message not in self.notes:
            self.notes.append(message)


@dataclass
class AnnotatedImportReport:
    """Outcome of ``import_annotated``: per file, plus schema additions."""

    files: list[FileResult] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    relation_types_added: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files in folders that hold no annotations
    all_or_nothing: bool = False
    cancelled: bool = False

    @property
    def problems(self) -> list[ImportProblem]:
        """Every problem of every file."""
        return [p for f in self.files for p in f.problems]

    @property
    def notes(self) -> list[str]:
        """Every note of every file."""
        return [n for f in self.files for n in f.notes]

    @property
    def ok(self) -> bool:
        """Whether every file was imported."""
        return not self.cancelled and all(f.imported for f in self.files)

    @property
    def imported_files(self) -> list[FileResult]:
        """Files whose annotations are now in the project."""
        return [f for f in self.files if f.imported]

    def total(self, what: str) -> int:
        """Sum of a ``FileResult`` counter over the imported files."""
        return sum(int(getattr(f, what)) for f in self.imported_files)


# --------------------------------------------------------------------------- inputs


def detect_format(path: Path) -> str | None:
    """The annotated format of a file by extension and content, or None.

    Like ``registry.detect_reader``, but formats whose module is not installed (an
    optional extra) are skipped instead of failing.
    """
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    for name in registry.import_formats():
        try:
            reader = registry.reader(name)
        except ImportError:
            continue
        try:
            if reader.sniff(path, head):
                return name
        except (OSError, ValueError):
            continue
    return None


def find_inputs(
    paths: Sequence[Path], format: str | None = None
) -> tuple[list[tuple[Path, str]], list[ImportProblem], list[str]]:
    """Files to import with their format, problems with the paths, and ignored files.

    Folders are searched recursively (sorted; hidden files and brat ``*.conf`` are
    skipped). A brat document is named by its ``.ann`` file; its ``.txt`` is found
    next to it.
    """
    found: dict[Path, str] = {}
    problems: list[ImportProblem] = []
    ignored: list[str] = []
    for path in paths:
        if not path.exists():
            problems.append(ImportProblem(str(path), None, "no such file or folder"))
            continue
        if path.is_dir():
            for candidate in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = candidate.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if candidate.name in IGNORED_NAMES:
                    continue
                name = _format_of(candidate, format, in_folder=True)
                if name is None:
                    ignored.append(str(candidate))
                else:
                    found.setdefault(_brat_key(candidate, name), name)
            continue
        name = _format_of(path, format)
        if name is None:
            known = ", ".join(registry.import_formats())
            problems.append(
                ImportProblem(str(path), None, f"not an annotation file SpanLab can read ({known})")
            )
        else:
            found.setdefault(_brat_key(path, name), name)
    return list(found.items()), problems, ignored


def _format_of(path: Path, format: str | None, *, in_folder: bool = False) -> str | None:
    """The format of a file: detected, or the one given (checked by content in folders)."""
    if format is None:
        return detect_format(path)
    if format == "brat" or in_folder:
        return format if _sniffs(format, path) else None
    return format  # a file named explicitly: the user knows its format


def _sniffs(format: str, path: Path) -> bool:
    try:
        reader = registry.reader(format)
        with path.open("rb") as handle:
            return reader.sniff(path, handle.read(4096))
    except (ImportError, OSError, ValueError):
        return False


def _brat_key(path: Path, format: str) -> Path:
    if format == "brat" and path.suffix.lower() == ".txt":
        return path.with_suffix(".ann")
    return path


def has_annotated_files(path: Path) -> bool:
    """Whether a file or folder holds at least one annotation file SpanLab can read."""
    if path.is_dir():
        return any(
            p.is_file() and p.name not in IGNORED_NAMES and detect_format(p) is not None
            for p in sorted(path.rglob("*"))
        )
    return detect_format(path) is not None


# --------------------------------------------------------------------------- plans


@dataclass
class _SpanPlan:
    key: str
    label: str
    start: int
    end: int
    attributes: dict[str, Any]
    entity_key: str | None
    line: int | None


@dataclass
class _RelationPlan:
    label: str
    head: str
    tail: str
    attributes: dict[str, Any]


@dataclass
class _EntityPlan:
    key: str
    name: str
    members: list[str]


@dataclass
class _LayerPlan:
    annotator: str
    status: DocumentStatus | None
    spans: list[_SpanPlan] = field(default_factory=list)
    relations: list[_RelationPlan] = field(default_factory=list)
    entities: list[_EntityPlan] = field(default_factory=list)
    replace: bool = False

    @property
    def empty(self) -> bool:
        return not (self.spans or self.relations or self.entities)


@dataclass
class _DocumentPlan:
    sha256: str
    row: dict[str, Any]
    layers: list[_LayerPlan]


@dataclass
class _FilePlan:
    result: FileResult
    documents: list[_DocumentPlan] = field(default_factory=list)


@dataclass
class _SchemaAdditions:
    """Labels and relation types this import adds (``add_labels``)."""

    labels: dict[str, LabelSpec] = field(default_factory=dict)
    heads: dict[str, set[str]] = field(default_factory=dict)
    tails: dict[str, set[str]] = field(default_factory=dict)

    def copy(self) -> _SchemaAdditions:
        return _SchemaAdditions(
            dict(self.labels),
            {k: set(v) for k, v in self.heads.items()},
            {k: set(v) for k, v in self.tails.items()},
        )

    @property
    def empty(self) -> bool:
        return not self.labels and not self.heads

    def new_to(self, schema: Schema) -> _SchemaAdditions:
        """Only what ``schema`` does not have yet."""
        fresh = _SchemaAdditions()
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


# --------------------------------------------------------------------------- checking


class _Checker:
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
        self.pending = _SchemaAdditions()
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

    # ---- one file
    def check_file(
        self, path: Path, documents: Sequence[ImportedDocument], result: FileResult
    ) -> tuple[_FilePlan, _SchemaAdditions]:
        """Plan a file; problems go to ``result``."""
        plan = _FilePlan(result)
        additions = self.pending.copy()
        context = _FileContext(path, result, additions, self.pending.apply_to(self.schema))
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
        self, context: _FileContext, document: ImportedDocument
    ) -> _DocumentPlan | None:
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
        units = _Units(document, mapping, result)
        layers: list[_LayerPlan] = []
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
        return _DocumentPlan(sha, row, layers)

    def check_layer(
        self,
        context: _FileContext,
        document: ImportedDocument,
        layer: ImportedLayer,
        units: _Units,
        text: str,
        existing: tuple[DocumentId, str] | None,
        named: str,
    ) -> _LayerPlan | None:
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
        plan = _LayerPlan(name, layer.status, spans)
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
        context: _FileContext,
        spans: Sequence[ImportedSpan],
        units: _Units,
        text: str,
        annotator: str,
    ) -> tuple[list[_SpanPlan], dict[str, str]] | None:
        result = context.result
        plans: list[_SpanPlan] = []
        aliases: dict[str, str] = {}
        keys: set[str] = set()
        by_identity: dict[tuple[str, int, int], _SpanPlan] = {}
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
                plan = _SpanPlan(
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

    def add_label(self, context: _FileContext, name: str, lines: list[int | None]) -> bool:
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
        context: _FileContext,
        relations: Sequence[ImportedRelation],
        spans: Mapping[str, _SpanPlan],
        aliases: Mapping[str, str],
        units: _Units,
    ) -> list[_RelationPlan]:
        result = context.result
        plans: list[_RelationPlan] = []
        seen: dict[tuple[str, str, str], _RelationPlan] = {}
        for relation in relations:
            ends: list[_SpanPlan | None] = []
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
                plan = _RelationPlan(relation.label, head.key, tail.key, attributes)
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
        context: _FileContext,
        relation: ImportedRelation,
        spec: RelationSpec | None,
        head: _SpanPlan,
        tail: _SpanPlan,
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
class _FileContext:
    """What checking one file needs besides the checker."""

    path: Path
    result: FileResult
    additions: _SchemaAdditions
    schema: Schema  # stored schema with labels already planned by earlier files
    planned: dict[tuple[str, str], str] = field(default_factory=dict)
    documents: set[str] = field(default_factory=set)
    new_types: set[str] = field(default_factory=set)


def _check_entities(
    layer: ImportedLayer, spans: Mapping[str, _SpanPlan], text: str, result: FileResult
) -> list[_EntityPlan]:
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
        plans.append(_EntityPlan(key, name, keys))
    return plans


class _Units:
    """Decides what unit a document's offsets count, converts them and maps them.

    See the module docstring for the rule; spans that fit no reading are reported here
    (``offsets`` then returns None for them).
    """

    def __init__(
        self, document: ImportedDocument, mapping: CanonicalMap, result: FileResult
    ) -> None:
        self.document = document
        self.raw = document.text
        self.mapping = mapping
        self.result = result
        self._u16: Utf16Offsets | None = None
        self._u8: Utf8Offsets | None = None
        self._graphemes: GraphemeIndex | None = None
        self._refused: set[str] = set()
        self._offsets: dict[int, tuple[int, int] | None] = {}
        spans = [s for layer in document.layers for s in layer.spans]
        self.unit = self._decide([s for s in spans if s.start != s.end])
        for span in spans:
            self._offsets[id(span)] = self._convert(span)

    def offsets(self, span: ImportedSpan) -> tuple[int, int] | None:
        """Canonical offsets of a span, or None when it was reported."""
        return self._offsets.get(id(span))

    def refused(self, key: str) -> bool:
        """Whether the span with this key was reported already."""
        return key in self._refused

    # ---- readings
    def _utf16(self) -> Utf16Offsets:
        if self._u16 is None:
            self._u16 = Utf16Offsets(self.raw)
        return self._u16

    def _utf8(self) -> Utf8Offsets:
        if self._u8 is None:
            self._u8 = Utf8Offsets(self.raw)
        return self._u8

    def _boundaries(self) -> GraphemeIndex:
        if self._graphemes is None:
            self._graphemes = GraphemeIndex(self.raw)
        return self._graphemes

    def _read(self, span: ImportedSpan, unit: str) -> tuple[int, int] | str:
        """Code-point offsets in the raw text under one reading, or why not."""
        start, end = span.start, span.end
        if not _is_int(start) or not _is_int(end):
            return "offsets must be integers"
        if start < 0 or end < 0:
            return f"negative offset in [{start}, {end})"
        if start > end:
            return f"starts at {start}, after its end {end}"
        try:
            if unit == "utf16":
                start, end = self._utf16().to_codepoint(start), self._utf16().to_codepoint(end)
            elif unit == "byte":
                start, end = self._utf8().to_codepoint(start), self._utf8().to_codepoint(end)
        except OffsetError as exc:
            return str(exc)
        if end > len(self.raw):
            return f"[{span.start}, {span.end}) ends after the text ({len(self.raw)} characters)"
        return start, end

    def _matches(self, span: ImportedSpan, unit: str) -> bool:
        """With covered text: whether this reading covers exactly that text."""
        offsets = self._read(span, unit)
        if isinstance(offsets, str):
            return False
        start, end = offsets
        return span.text is None or _same_text(self.raw[start:end], span.text)

    def _untidy(self, spans: list[ImportedSpan], unit: str) -> int | None:
        """Without covered text: None when some span cannot be read this way (outside the
        text, cutting a grapheme cluster, not mappable onto the canonical text), else how
        many spans start or end with whitespace (the tie-breaker)."""
        index = self._boundaries()
        untidy = 0
        for span in spans:
            offsets = self._read(span, unit)
            if isinstance(offsets, str):
                return None
            start, end = offsets
            if not (index.is_boundary(start) and index.is_boundary(end)):
                return None
            if self.mapping.map(start) is None or self.mapping.map(end) is None:
                return None
            covered = self.raw[start:end]
            untidy += covered != covered.strip()
        return untidy

    def _decide(self, spans: list[ImportedSpan]) -> str:
        declared = self.document.offset_unit if self.document.offset_unit in UNITS else "codepoint"
        if not spans:
            return declared
        if any(s.text is not None for s in spans):
            if all(self._matches(s, declared) for s in spans):
                return declared
            for unit in (u for u in UNITS if u != declared):
                if all(self._matches(s, unit) for s in spans):
                    self._converted(
                        unit, declared, "only then does every span cover the text the file gives"
                    )
                    return unit
            return declared
        other = "utf16" if declared != "utf16" else "codepoint"
        mine, theirs = self._untidy(spans, declared), self._untidy(spans, other)
        if mine is not None and (theirs is None or mine <= theirs):
            differs = any(self._read(s, other) != self._read(s, declared) for s in spans)
            if theirs is not None and differs:
                self.result.note(
                    f"{self.document.source}: offsets were read as {_UNIT_WORDS[declared]}; "
                    f"they would also fit as {_UNIT_WORDS[other]} (doccano's annotation "
                    "screen counts UTF-16 units): check the spans after emoji"
                )
            return declared
        if theirs is not None:
            reason = (
                "only then do all spans lie inside the text on character boundaries"
                if mine is None
                else "only then do no spans start or end with whitespace"
            )
            self._converted(other, declared, reason)
            return other
        return declared

    def _converted(self, unit: str, declared: str, reason: str) -> None:
        self.result.note(
            f"{self.document.source}: the offsets count {_UNIT_WORDS[unit]}, not "
            f"{_UNIT_WORDS[declared]} ({reason}); converted"
        )

    def _convert(self, span: ImportedSpan) -> tuple[int, int] | None:
        where = f"span {span.key} ({span.label})"
        offsets = self._read(span, self.unit)
        if isinstance(offsets, str):
            return self._refuse(span, f"{where}: {offsets}")
        start, end = offsets
        covered = self.raw[start:end]
        if span.text is not None and not _same_text(covered, span.text):
            return self._refuse(
                span,
                f"{where}: [{span.start}, {span.end}) covers {covered!r} in the text, but the "
                f"file says {span.text!r} (neither characters, UTF-16 units nor UTF-8 bytes "
                "make them match)",
            )
        if span.text is None and start != end:
            index = self._boundaries()
            if not (index.is_boundary(start) and index.is_boundary(end)):
                return self._refuse(
                    span,
                    f"{where}: [{span.start}, {span.end}) cuts a character in two (an emoji "
                    f"or accented letter near {covered!r}); neither characters nor UTF-16 "
                    "units fit",
                )
        mapped_start, mapped_end = self.mapping.map(start), self.mapping.map(end)
        if mapped_start is None or mapped_end is None:
            return self._refuse(
                span,
                f"{where}: [{span.start}, {span.end}) {covered!r} starts or ends inside text "
                "that is changed when the text is made canonical (a CRLF pair, a composed "
                "accent, trimmed blank lines)",
            )
        return mapped_start, mapped_end

    def _refuse(self, span: ImportedSpan, message: str) -> tuple[int, int] | None:
        """Report the span; its offsets are None."""
        self._refused.add(span.key)
        self.result.problem(message, span.line)
        return None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _same_text(covered: str, claimed: str) -> bool:
    """Covered text equality; line-based formats may store line breaks as spaces."""
    if covered == claimed:
        return True
    return _flat(covered) == _flat(claimed)


def _flat(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


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


# --------------------------------------------------------------------------- writing


def _write(store: EditStore, plans: Sequence[_FilePlan], additions: _SchemaAdditions) -> None:
    """Write checked plans inside the caller's transaction, through the commands."""
    if not additions.empty:
        UpdateSchema(additions.apply_to(store.schema)).apply(store)
    created: dict[str, DocumentId] = {}
    for plan in plans:
        for document in plan.documents:
            doc_id = _document_id(store, document, created)
            for layer in document.layers:
                gold = layer.annotator == GOLD_ANNOTATOR
                role = AnnotatorRole.CURATOR if gold else AnnotatorRole.ANNOTATOR
                annotator = store.ensure_annotator(layer.annotator, role)
                if layer.replace:
                    _clear_layer(store, doc_id, annotator.id)
                _write_layer(store, doc_id, annotator.id, layer, plan.result)


def _document_id(
    store: EditStore, document: _DocumentPlan, created: dict[str, DocumentId]
) -> DocumentId:
    if document.sha256 not in created:
        found = store.conn.execute(
            select(repo.DOC.c.id).where(repo.DOC.c.sha256 == document.sha256)
        ).scalar()
        if found is not None:
            created[document.sha256] = DocumentId(found)
        else:
            created[document.sha256] = store.insert_documents([document.row])[0]
    return created[document.sha256]


def _clear_layer(store: EditStore, doc_id: DocumentId, annotator_id: int) -> None:
    for entity in repo.list_entities(store.conn, document_id=doc_id, annotator_id=annotator_id):
        DeleteEntity(entity.id).apply(store)
    old = repo.list_spans(store.conn, document_id=doc_id, annotator_id=annotator_id)
    if old:
        RemoveSpans([s.id for s in old]).apply(store)


def _write_layer(
    store: EditStore, doc_id: DocumentId, annotator_id: int, layer: _LayerPlan, result: FileResult
) -> None:
    ids: dict[str, int] = {}
    for span in layer.spans:
        command = AddSpan(doc_id, annotator_id, span.label, span.start, span.end, span.attributes)
        command.apply(store)
        assert command.span_id is not None
        ids[span.key] = command.span_id
    for relation in layer.relations:
        AddRelation(
            ids[relation.head], ids[relation.tail], relation.label, relation.attributes
        ).apply(store)
    for entity in layer.entities:
        members = [ids[key] for key in entity.members]
        CreateEntity(doc_id, annotator_id, entity.name, members).apply(store)
    if layer.status is not None and (not layer.empty or layer.status is not DocumentStatus.NEW):
        SetStatus(doc_id, annotator_id, layer.status).apply(store)
    result.spans += len(layer.spans)
    result.relations += len(layer.relations)
    result.entities += len(layer.entities)


# --------------------------------------------------------------------------- entry point


def import_annotated(
    project: Project,
    paths: Sequence[Path],
    *,
    format: str | None = None,
    annotator: str | None = None,
    add_labels: bool = False,
    all_or_nothing: bool = False,
    replace: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> AnnotatedImportReport:
    """Import annotation files into ``project``; see the module docstring for the rules.

    ``format`` None detects each file's format; ``annotator`` says whose annotations
    they are where the files do not; ``add_labels`` adds missing labels and relation
    types to the schema instead of refusing the file; ``replace`` replaces an
    annotator's earlier annotations on a document instead of refusing the file;
    ``all_or_nothing`` imports nothing if any file has a problem. ``progress`` is
    called as (files done, files total, current file); ``cancel`` is checked between
    files (files already imported stay, unless ``all_or_nothing``).
    """
    if format is not None and format not in registry.import_formats():
        registry.reader(format)  # raises the error listing the known formats
    if annotator is not None and (
        not annotator.strip() or annotator.strip() != annotator or len(annotator) > 200
    ):
        raise SpanLabError(f"invalid annotator name {annotator!r}")
    report = AnnotatedImportReport(all_or_nothing=all_or_nothing)
    inputs, path_problems, report.ignored = find_inputs([Path(p) for p in paths], format)
    for problem in path_problems:
        failed = FileResult(problem.source, None)
        failed.problems.append(problem)
        report.files.append(failed)
    checker = _Checker(project, annotator=annotator, add_labels=add_labels, replace=replace)
    accepted: list[tuple[_FilePlan, _SchemaAdditions]] = []
    for index, (path, name) in enumerate(inputs):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        if progress is not None:
            progress(index, len(inputs), str(path))
        result = FileResult(str(path), name)
        report.files.append(result)
        documents = _read_file(path, name, annotator, result)
        if result.problems:
            continue
        plan, additions = checker.check_file(path, documents, result)
        if result.problems:
            continue
        if all_or_nothing:
            checker.pending = additions
            _remember(checker, plan)
            accepted.append((plan, additions))
            continue
        _store(project, checker, [plan], additions, report)
    if progress is not None:
        progress(len(inputs), len(inputs), "")
    if all_or_nothing and accepted and not report.cancelled and not report.problems:
        _store(project, checker, [plan for plan, _ in accepted], checker.pending, report)
    return report


def _read_file(
    path: Path, name: str, annotator: str | None, result: FileResult
) -> list[ImportedDocument]:
    try:
        reader = registry.reader(name)
    except ImportError as exc:
        result.problem(f"the {name} format is not available here: {exc}")
        return []
    try:
        return list(reader.read(path, options={"annotator": annotator}))
    except InputError as exc:
        result.problem(exc.problem, exc.line, exc.source)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        result.problem(f"cannot read the file: {exc}")
    return []


def _store(
    project: Project,
    checker: _Checker,
    plans: list[_FilePlan],
    additions: _SchemaAdditions,
    report: AnnotatedImportReport,
) -> None:
    """Write plans in one transaction; on an unexpected refusal nothing of them lands."""
    fresh = additions.new_to(checker.schema)
    try:
        with project.edit() as store:
            _write(store, plans, fresh)
    except SpanLabError as exc:  # a rule the checks missed: rolled back, reported
        for plan in plans:
            plan.result.spans = plan.result.relations = plan.result.entities = 0
        plans[0].result.problem(f"not imported: {exc}")
        checker.pending = _SchemaAdditions()
        return
    finally:
        project.forget_schema()
    for name in fresh.labels:
        report.labels_added.append(name)
    for name in fresh.heads:
        if checker.schema.relation(name) is None:
            report.relation_types_added.append(name)
            checker.added_types.add(name)
    checker.schema = project.schema()
    checker.pending = _SchemaAdditions()
    for plan in plans:
        plan.result.imported = True
        _remember(checker, plan)
    checker.refresh()


def _remember(checker: _Checker, plan: _FilePlan) -> None:
    where = plan.result.path
    for document in plan.documents:
        checker.pending_documents.add(document.sha256)
        for layer in document.layers:
            checker.planned.setdefault((document.sha256, layer.annotator), where)


__all__ = [
    "AnnotatedImportReport",
    "CancelCallback",
    "FileResult",
    "ImportProblem",
    "ProgressCallback",
    "detect_format",
    "find_inputs",
    "has_annotated_files",
    "import_annotated",
    "label_colour",
]
