"""Helpers shared by the format modules: names, stable numbering, JSON lines, files.

Everything here is pure (records in, strings and files out). Exporters number spans,
relations and entity groups per layer with :class:`NumberedLayer`, so ids in the
files are stable (they follow the text, not database ids) and a round trip through a
fresh project writes the same bytes again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeGuard

from spanlab.core.errors import InputError
from spanlab.core.formats.base import AnnotationLayer
from spanlab.core.model import Document, Entity, EntityId, Relation, Span, SpanId
from spanlab.core.schema import Schema

_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def slugify(text: str, *, limit: int = 40, fallback: str = "document") -> str:
    """ASCII file-name fragment: ``"Türkiye & Denmark"`` -> ``"turkiye-denmark"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rstrip("-")
    return slug or fallback


def document_name(document: Document) -> str:
    """Stable, unique file name stem of a document: ``000012-seoul-talks-resume``."""
    return f"{document.id:06d}-{slugify(document.title)}"


def safe_folder_name(name: str) -> str:
    """An annotator name usable as a folder name (path separators and dots replaced)."""
    cleaned = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip(". ")
    return cleaned or "_"


def json_line(value: Any) -> str:
    """Deterministic one-line JSON (sorted keys, UTF-8 characters kept)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def is_int(value: object) -> TypeGuard[int]:
    """Whether a JSON value is an integer (booleans are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def has_astral(text: str) -> bool:
    """Whether the text has characters outside the BMP (emoji), which UTF-16 counts twice."""
    return _ASTRAL.search(text) is not None


def layer_for(layers: tuple[AnnotationLayer, ...], annotator: str) -> AnnotationLayer | None:
    """The layer of one annotator, if present."""
    return next((layer for layer in layers if layer.annotator == annotator), None)


def _attributes_key(attributes: Mapping[str, Any]) -> str:
    return json_line(dict(attributes)) if attributes else ""


@dataclass(frozen=True, slots=True)
class NumberedRelation:
    """A relation with the per-layer numbers of its ends (symmetric: lower number first)."""

    relation: Relation
    number: int
    head: int
    tail: int


@dataclass
class NumberedLayer:
    """Spans, relations and entities of one layer with stable 1-based numbers.

    Spans are numbered in text order (start, end, label, attributes); relations by
    (head, tail, type); entity groups by their first mention. A symmetric relation is
    written with its lower-numbered end as the head, so the direction never depends on
    database ids.
    """

    layer: AnnotationLayer
    spans: list[Span] = field(default_factory=list)
    span_number: dict[SpanId, int] = field(default_factory=dict)
    relations: list[NumberedRelation] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    entity_number: dict[EntityId, int] = field(default_factory=dict)

    @classmethod
    def build(cls, layer: AnnotationLayer, schema: Schema) -> NumberedLayer:
        """Number everything in ``layer``."""
        numbered = cls(layer)
        numbered.spans = sorted(
            layer.spans,
            key=lambda s: (s.start, s.end, s.label, _attributes_key(s.attributes), s.id),
        )
        numbered.span_number = {span.id: index for index, span in enumerate(numbered.spans, 1)}
        ordered: list[tuple[int, int, str, str, Relation]] = []
        for relation in layer.relations:
            head = numbered.span_number.get(relation.head_id)
            tail = numbered.span_number.get(relation.tail_id)
            if head is None or tail is None:
                continue  # cannot happen for records read from one project layer
            spec = schema.relation(relation.label)
            if spec is not None and spec.symmetric and head > tail:
                head, tail = tail, head
            ordered.append(
                (head, tail, relation.label, _attributes_key(relation.attributes), relation)
            )
        ordered.sort(key=lambda item: item[:4])
        numbered.relations = [
            NumberedRelation(item[4], index, item[0], item[1])
            for index, item in enumerate(ordered, 1)
        ]
        first_mention: dict[EntityId, int] = {}
        for span in numbered.spans:
            if span.entity_id is not None:
                first_mention.setdefault(span.entity_id, numbered.span_number[span.id])
        numbered.entities = sorted(
            layer.entities,
            key=lambda e: (first_mention.get(e.id, len(numbered.spans) + 1), e.name, e.id),
        )
        numbered.entity_number = {
            entity.id: index for index, entity in enumerate(numbered.entities, 1)
        }
        return numbered

    def span(self, number: int) -> Span:
        """The span with per-layer number ``number``."""
        return self.spans[number - 1]

    def members(self, entity: Entity) -> list[int]:
        """Numbers of the spans in an entity group, in text order."""
        return [self.span_number[s.id] for s in self.spans if s.entity_id == entity.id]


class OutputFiles:
    """Text files opened on first use under one folder, all UTF-8 with LF line ends."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._open: dict[Path, IO[str]] = {}

    def get(self, relative: str | Path) -> IO[str]:
        """The open file at ``root/relative`` (created with its folders on first use)."""
        path = self.root / relative
        handle = self._open.get(path)
        if handle is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = path.open("w", encoding="utf-8", newline="\n")
            self._open[path] = handle
        return handle

    def write_text(self, relative: str | Path, text: str) -> Path:
        """Write a whole small file at once."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return path

    def close(self) -> None:
        """Close every open file."""
        for handle in self._open.values():
            handle.close()
        self._open.clear()


@contextmanager
def output_files(root: Path) -> Iterator[OutputFiles]:
    """``OutputFiles`` that are closed however the export ends."""
    files = OutputFiles(root)
    try:
        yield files
    finally:
        files.close()


def one_line(text: str) -> str:
    """Text with line breaks and tabs as spaces, for line-based formats (brat ``.ann``)."""
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


# --------------------------------------------------------------------------- JSON input
MAX_SNIFF_LINE = 64 * 1024 * 1024


def first_json_line(path: Path) -> Any:
    """The first non-blank line of a file parsed as JSON, or None when it is not JSON."""
    try:
        with path.open("rb") as handle:
            for raw in handle:
                if len(raw) > MAX_SNIFF_LINE:
                    return None
                if raw.strip():
                    return json.loads(raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return None


def json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed value)`` for every non-blank line; bad lines raise."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from exc
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    path, f"not UTF-8 text (byte {exc.start} of the line)", line=number
                ) from exc
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise InputError(path, f"invalid JSON: {exc}", line=number) from exc
            yield number, value


def read_json_text(path: Path) -> str:
    """A whole JSON file as text (UTF-8, BOM allowed)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "not UTF-8 text", line=line) from exc


def line_of(text: str, index: int) -> int:
    """1-based line number of a character index."""
    return text.count("\n", 0, index) + 1


def json_array_items(path: Path, text: str) -> Iterator[tuple[int, int, int, Any]]:
    """``(line, start, end, value)`` for each element of a top-level JSON array.

    A top-level object counts as a one-element array. Positions let messages name the
    line where each element starts.
    """
    decoder = json.JSONDecoder()
    index = _skip_space(text, 0)
    if index < len(text) and text[index] == "{":
        try:
            value, end = decoder.raw_decode(text, index)
        except ValueError as exc:
            raise InputError(path, f"invalid JSON: {exc}", line=line_of(text, index)) from exc
        _expect_end(path, text, end)
        yield line_of(text, index), index, end, value
        return
    if index >= len(text) or text[index] != "[":
        raise InputError(path, "expected a JSON array of tasks", line=line_of(text, index))
    index = _skip_space(text, index + 1)
    if index < len(text) and text[index] == "]":
        _expect_end(path, text, index + 1)
        return
    while True:
        try:
            value, end = decoder.raw_decode(text, index)
        except ValueError as exc:
            raise InputError(path, f"invalid JSON: {exc}", line=line_of(text, index)) from exc
        yield line_of(text, index), index, end, value
        index = _skip_space(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip_space(text, index + 1)
            continue
        if index < len(text) and text[index] == "]":
            _expect_end(path, text, index + 1)
            return
        raise InputError(path, "invalid JSON: expected ',' or ']'", line=line_of(text, index))


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _expect_end(path: Path, text: str, index: int) -> None:
    index = _skip_space(text, index)
    if index < len(text):
        raise InputError(path, "invalid JSON: extra data after the end", line=line_of(text, index))
