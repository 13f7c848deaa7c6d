"""What every format module works with: plain records in, plain records out.

Format modules are pure: they never touch storage (an import-linter contract). Exports
receive ``ExportDocument``s streamed by ``spanlab.core.exporting``; readers yield
``ImportedDocument``s that ``spanlab.core.importing.annotated`` validates and stores.
Offsets here are always Python code points over the document text; a format that
counts something else (UTF-16 units, bytes, tokens) converts inside its own module.

How ``spanlab.core.exporting`` calls an exporter:

* ``write`` is called once per output group: one annotator folder (or the whole
  export) and one split. All documents of one call share the same ``split``
  (``None`` when the export is not split). A one-file format names its file
  ``output_name(split, default_stem, suffix)`` (``train.jsonl``, or e.g.
  ``documents.jsonl`` without a split); a per-document format puts its files in
  ``split_dir(out_dir, split)``. ``out_dir`` is a fresh staging folder: the files
  are moved into place only when the whole export succeeded.
* ``exporting`` counts the documents, spans and relations it streams to the
  exporter, and reports by itself what ``carries`` excludes (relations, span and
  relation attributes, entity groups). Exporters do not touch ``documents``,
  ``spans`` or ``relations`` and only report partial losses they alone can see
  (``leave_out``: e.g. overlapping spans a flat tag sequence cannot hold), spans
  that do not align (``misalign``) and anything else worth knowing (``notes``).
* A token-based exporter under ``Alignment.REFUSE`` may simply ``misalign`` and go
  on (or raise ``ExportRefusedError``): the export is then discarded and reported as
  refused, listing the examples.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from spanlab.core.errors import InputError, SpanLabError
from spanlab.core.model import Document, DocumentStatus, Entity, JsonMap, Relation, Span
from spanlab.core.schema import Schema

SPLITS: tuple[str, str, str] = ("train", "dev", "test")
"""Split names, in the order of ``--split`` ratios."""


def output_name(split: str | None, default_stem: str, suffix: str) -> str:
    """File name of a one-file format: ``train.jsonl`` in a split, else the default."""
    return f"{split or default_stem}{suffix}"


def split_dir(out_dir: Path, split: str | None) -> Path:
    """Folder of a per-document format: ``out_dir/train`` in a split, else ``out_dir``."""
    return out_dir / split if split else out_dir


class ExportRefusedError(SpanLabError):
    """An exporter stops the export (e.g. misaligned spans under ``Alignment.REFUSE``)."""


class Feature(enum.StrEnum):
    """What a format can carry; anything else is reported as left out."""

    SPANS = "spans"
    OVERLAPS = "overlapping spans"
    RELATIONS = "relations"
    SPAN_ATTRIBUTES = "span attributes"
    RELATION_ATTRIBUTES = "relation attributes"
    ENTITIES = "entity groups"
    METADATA = "document metadata"
    STATUS = "document status"
    ANNOTATORS = "several annotators in one file"


class Alignment(enum.StrEnum):
    """What token-based formats do with spans that do not fall on token boundaries."""

    CONTRACT = "contract"  # shrink to the tokens fully inside the span
    EXPAND = "expand"  # grow to every token the span touches
    REFUSE = "refuse"  # stop the export and list the misaligned spans


class Tokenizer(enum.StrEnum):
    """Which tokenizer token-based formats use."""

    SPANLAB = "spanlab"  # spanlab.core.text.tokenize: deterministic, always available
    SPACY = "spacy"  # spacy.blank("en") tokenizer (needs the spacy extra)


@dataclass(frozen=True, slots=True)
class AnnotationLayer:
    """One annotator's (or gold's) annotations on one document."""

    annotator: str
    status: DocumentStatus
    spans: tuple[Span, ...] = ()
    relations: tuple[Relation, ...] = ()
    entities: tuple[Entity, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportDocument:
    """A document with the layers selected for export and its split (train/dev/test)."""

    document: Document
    layers: tuple[AnnotationLayer, ...]
    split: str | None = None


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Format-facing options; selection (annotators, documents, split) happens upstream."""

    alignment: Alignment = Alignment.EXPAND
    tokenizer: Tokenizer = Tokenizer.SPANLAB
    one_file: bool = True  # False: one file per document where the format allows both
    scheme: str = "IOB2"  # token tagging: IOB1, IOB2, BIOES, BILOU
    include_negatives: bool = True  # TACRED: no_relation pairs
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class ExportReport:
    """What an export wrote, left out and could not align, for the user to read."""

    format: str
    files: list[Path] = field(default_factory=list)
    documents: int = 0
    spans: int = 0
    relations: int = 0
    left_out: Counter[str] = field(default_factory=Counter)  # reason -> count
    misaligned: int = 0
    misaligned_examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    out_dir: Path | None = None  # where the files went (set by ``export_project``)
    failed: str | None = None  # why nothing was written (refused, nothing selected)
    cancelled: bool = False  # the user cancelled: nothing was written

    @property
    def ok(self) -> bool:
        """Whether the export was written completely."""
        return self.failed is None and not self.cancelled

    def note(self, message: str) -> None:
        """Add a note once (exporters may hit the same situation per document)."""
        if message not in self.notes:
            self.notes.append(message)

    def leave_out(self, reason: str, count: int = 1) -> None:
        """Record that ``count`` items could not be written, and why."""
        if count:
            self.left_out[reason] += count

    def misalign(self, example: str, *, keep: int = 10) -> None:
        """Record a span that does not align with tokens (keeps a few examples)."""
        self.misaligned += 1
        if len(self.misaligned_examples) < keep:
            self.misaligned_examples.append(example)


class Exporter(Protocol):
    """A format writer. ``write`` streams documents and returns the files it wrote."""

    name: str
    description: str
    carries: frozenset[Feature]

    def write(
        self,
        documents: Iterable[ExportDocument],
        out_dir: Path,
        *,
        schema: Schema,
        options: ExportOptions,
        report: ExportReport,
    ) -> None:
        """Write ``documents`` under ``out_dir`` and fill ``report``."""
        ...


@dataclass(frozen=True, slots=True)
class ImportedSpan:
    """A span as read from a file; ``key`` is the file's own id (e.g. brat ``T3``)."""

    key: str
    label: str
    start: int
    end: int
    text: str | None = None  # the covered text, where the format stores it
    attributes: JsonMap = field(default_factory=dict)
    line: int | None = None  # where in the file, for messages
    entity_key: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedRelation:
    """A relation between two spans of the same layer, by their keys."""

    label: str
    head_key: str
    tail_key: str
    attributes: JsonMap = field(default_factory=dict)
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ImportedEntity:
    """An entity group read from a file (``name`` None: named after its first mention)."""

    key: str
    name: str | None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ImportedLayer:
    """One annotator's annotations read from a file (annotator None: the user says whose)."""

    annotator: str | None
    spans: tuple[ImportedSpan, ...] = ()
    relations: tuple[ImportedRelation, ...] = ()
    entities: tuple[ImportedEntity, ...] = ()
    status: DocumentStatus | None = None


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """A document and its annotation layers, as a reader produced them."""

    source: str  # file (and line/record) for messages
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: JsonMap = field(default_factory=dict)
    layers: tuple[ImportedLayer, ...] = ()
    offset_unit: str = "codepoint"  # what the file claims: codepoint | utf16 | byte
    line: int | None = None  # where the record starts in the file, for messages
    origin: str | None = None  # the document's own source to store (default: the file)
    sha256: str | None = None  # the hash the file claims for the canonical text
    problems: tuple[InputError, ...] = ()  # annotations the reader could not take
    notes: tuple[str, ...] = ()  # things the user should know (nothing refused)


class Reader(Protocol):
    """A format reader for files with annotations (the "<->" formats)."""

    name: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether this file looks like this format (extension and first bytes)."""
        ...

    def read(self, path: Path, *, options: Mapping[str, Any]) -> Iterator[ImportedDocument]:
        """Documents in the file; raise ``InputError`` naming file and line on bad input.

        A problem with one annotation (a discontinuous brat span, a relation without a
        type) goes into ``ImportedDocument.problems`` instead, so the importer can list
        every problem of the file at once. Validation against the text and the schema
        (offsets, covered text, units, labels) is the importer's job, not the reader's.
        """
        ...
