"""SpanLab JSONL: the lossless format, one JSON object per document per line.

Each line (keys sorted, UTF-8, no ASCII escaping)::

    {"annotations": [{"annotator": "alice", "status": "done",
                      "spans": [{"id": 1, "start": 0, "end": 11, "label": "COUNTRY",
                                 "text": "South Korea", "attributes": {"iso_code": "KR"},
                                 "entity": null}],
                      "relations": [{"id": 1, "head": 3, "tail": 2, "label": "HOLDS_ROLE",
                                     "attributes": {}}],
                      "entities": [{"id": 1, "name": "Baek Tae-jin"}]}],
     "metadata": {...}, "published": null, "sha256": "...", "source": "...",
     "text": "...", "title": "...", "url": null}

Offsets are code points into ``text`` (the canonical text, whose SHA-256 is
``sha256``). Span ids are per layer, in text order; relation ends and span ``entity``
refer to ids of the same layer; symmetric relations are written lower id first. The
gold standard is the layer of annotator ``gold`` (exported with ``--gold``, or by
naming ``gold`` among ``--annotator``). Layers are sorted by annotator name. Reading a
file back gives exactly the project content that was written (re-exporting it gives
the same bytes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from spanlab.core.errors import InputError
from spanlab.core.formats.base import (
    AnnotationLayer,
    ExportDocument,
    ExportOptions,
    ExportReport,
    Feature,
    ImportedDocument,
    ImportedEntity,
    ImportedLayer,
    ImportedRelation,
    ImportedSpan,
    output_name,
    split_dir,
)
from spanlab.core.formats.common import (
    NumberedLayer,
    document_name,
    first_json_line,
    is_int,
    json_line,
    json_lines,
    output_files,
)
from spanlab.core.model import DocumentStatus
from spanlab.core.schema import Schema

SUFFIXES = (".jsonl", ".ndjson", ".json")


def layer_record(layer: AnnotationLayer, schema: Schema) -> dict[str, Any]:
    """One annotator's layer as plain data."""
    numbered = NumberedLayer.build(layer, schema)
    return {
        "annotator": layer.annotator,
        "status": layer.status.value,
        "spans": [
            {
                "id": numbered.span_number[span.id],
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "text": span.text,
                "attributes": dict(span.attributes),
                "entity": (
                    numbered.entity_number.get(span.entity_id)
                    if span.entity_id is not None
                    else None
                ),
            }
            for span in numbered.spans
        ],
        "relations": [
            {
                "id": item.number,
                "head": item.head,
                "tail": item.tail,
                "label": item.relation.label,
                "attributes": dict(item.relation.attributes),
            }
            for item in numbered.relations
        ],
        "entities": [
            {"id": numbered.entity_number[entity.id], "name": entity.name}
            for entity in numbered.entities
        ],
    }


def document_record(export: ExportDocument, schema: Schema) -> dict[str, Any]:
    """A whole document with its layers, in the order of the annotators' names."""
    doc = export.document
    return {
        "text": doc.text,
        "title": doc.title,
        "source": doc.source,
        "url": doc.url,
        "published": doc.published,
        "metadata": dict(doc.metadata),
        "sha256": doc.sha256,
        "annotations": [
            layer_record(layer, schema)
            for layer in sorted(export.layers, key=lambda layer: layer.annotator)
        ],
    }


class SpanLabJsonlExporter:
    """Writes ``documents.jsonl`` (or ``train.jsonl`` ..., or one file per document)."""

    name = "jsonl"
    description = "SpanLab JSONL: lossless, every annotator, relations, entities, status"
    carries = frozenset(Feature)

    def write(
        self,
        documents: Iterable[ExportDocument],
        out_dir: Path,
        *,
        schema: Schema,
        options: ExportOptions,
        report: ExportReport,
    ) -> None:
        """Stream one line per document."""
        with output_files(out_dir) as files:
            for export in documents:
                line = json_line(document_record(export, schema)) + "\n"
                if options.one_file:
                    name = output_name(export.split, "documents", ".jsonl")
                    files.get(name).write(line)
                else:
                    folder = split_dir(Path(), export.split)
                    files.write_text(folder / f"{document_name(export.document)}.jsonl", line)


class SpanLabJsonlReader:
    """Reads SpanLab JSONL back into documents and layers."""

    name = "jsonl"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A ``.jsonl``/``.json`` file whose first record has ``text`` and ``annotations``."""
        if path.suffix.lower() not in SUFFIXES or not head.lstrip().startswith(b"{"):
            return False
        first = first_json_line(path)
        return (
            isinstance(first, dict)
            and isinstance(first.get("text"), str)
            and isinstance(first.get("annotations"), list)
        )

    def read(self, path: Path, *, options: Mapping[str, Any]) -> Iterator[ImportedDocument]:
        """One document per line; structural errors name the line."""
        for number, record in json_lines(path):
            yield _document(path, number, record)


def _document(path: Path, line: int, record: Any) -> ImportedDocument:
    def fail(message: str) -> InputError:
        return InputError(path, message, line=line)

    if not isinstance(record, dict):
        raise fail("expected a JSON object per line")
    text = record.get("text")
    if not isinstance(text, str):
        raise fail("'text' must be a string")
    optional: dict[str, str | None] = {}
    for key in ("title", "source", "url", "published", "sha256"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(f"'{key}' must be a string or null")
        optional[key] = value
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise fail("'metadata' must be an object")
    annotations = record.get("annotations")
    if not isinstance(annotations, list):
        raise fail("'annotations' must be a list of layers")
    problems: list[InputError] = []
    layers = tuple(_layer(item, fail, problems, line) for item in annotations)
    return ImportedDocument(
        source=f"{path}:{line}",
        text=text,
        title=optional["title"],
        url=optional["url"],
        published=optional["published"],
        metadata=metadata,
        layers=layers,
        line=line,
        origin=optional["source"],
        sha256=optional["sha256"],
        problems=tuple(problems),
    )


def _layer(item: Any, fail: Any, problems: list[InputError], line: int) -> ImportedLayer:
    if not isinstance(item, dict):
        raise fail("every entry of 'annotations' must be an object")
    annotator = item.get("annotator")
    if not isinstance(annotator, str) or not annotator.strip():
        raise fail("every layer needs an 'annotator' name")
    status_raw = item.get("status", DocumentStatus.NEW.value)
    try:
        status = DocumentStatus(status_raw)
    except ValueError:
        known = ", ".join(s.value for s in DocumentStatus)
        raise fail(f"{annotator}: unknown status {status_raw!r} (use one of {known})") from None
    spans = []
    for raw in _list(item, "spans", fail, annotator):
        spans.append(_span(raw, fail, annotator, line))
    relations = []
    for raw in _list(item, "relations", fail, annotator):
        relations.append(_relation(raw, fail, annotator, line))
    entities = []
    for raw in _list(item, "entities", fail, annotator):
        if not isinstance(raw, dict) or "id" not in raw:
            raise fail(f"{annotator}: every entity needs an 'id'")
        name = raw.get("name")
        if name is not None and not isinstance(name, str):
            raise fail(f"{annotator}: entity {raw['id']}: 'name' must be a string")
        entities.append(ImportedEntity(str(raw["id"]), name, line))
    return ImportedLayer(
        annotator=annotator,
        spans=tuple(spans),
        relations=tuple(relations),
        entities=tuple(entities),
        status=status,
    )


def _list(item: Mapping[str, Any], key: str, fail: Any, annotator: str) -> list[Any]:
    value = item.get(key, [])
    if not isinstance(value, list):
        raise fail(f"{annotator}: '{key}' must be a list")
    return value


def _span(raw: Any, fail: Any, annotator: str, line: int) -> ImportedSpan:
    if not isinstance(raw, dict):
        raise fail(f"{annotator}: every span must be an object")
    key = raw.get("id")
    where = f"{annotator}: span {key}"
    if key is None:
        raise fail(f"{annotator}: every span needs an 'id'")
    start, end = raw.get("start"), raw.get("end")
    if not is_int(start) or not is_int(end):
        raise fail(f"{where}: 'start' and 'end' must be integers")
    label = raw.get("label")
    if not isinstance(label, str) or not label:
        raise fail(f"{where}: 'label' must be a non-empty string")
    text = raw.get("text")
    if text is not None and not isinstance(text, str):
        raise fail(f"{where}: 'text' must be a string")
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise fail(f"{where}: 'attributes' must be an object")
    entity = raw.get("entity")
    return ImportedSpan(
        key=str(key),
        label=label,
        start=start,
        end=end,
        text=text,
        attributes=attributes,
        line=line,
        entity_key=None if entity is None else str(entity),
    )


def _relation(raw: Any, fail: Any, annotator: str, line: int) -> ImportedRelation:
    if not isinstance(raw, dict):
        raise fail(f"{annotator}: every relation must be an object")
    label = raw.get("label")
    if not isinstance(label, str) or not label:
        raise fail(f"{annotator}: relation {raw.get('id')}: 'label' must be a non-empty string")
    head, tail = raw.get("head"), raw.get("tail")
    if head is None or tail is None:
        raise fail(f"{annotator}: relation {raw.get('id')}: needs 'head' and 'tail'")
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise fail(f"{annotator}: relation {raw.get('id')}: 'attributes' must be an object")
    return ImportedRelation(
        label=label, head_key=str(head), tail_key=str(tail), attributes=attributes, line=line
    )


EXPORTER = SpanLabJsonlExporter()
READER = SpanLabJsonlReader()
