"""doccano JSONL for sequence labelling with relations, one file per annotator.

Writing follows doccano's relation-extraction export and its "individual" project
mode, where every member's work is a separate ``<username>.jsonl``::

    {"entities": [{"end_offset": 6, "id": 1, "label": "ORG", "start_offset": 0}],
     "id": 12, "relations": [{"from_id": 1, "id": 1, "to_id": 2, "type": "foundedBy"}],
     "sha256": "...", "text": "...", "title": "..."}

One line per document; ``id`` is the SpanLab document id; entity and relation ids are
numbered per document in text order. ``title`` and ``sha256`` are extra columns,
which doccano keeps as metadata. Offsets are code points (Python ``str`` indices),
like doccano's own exports of text typed without emoji; doccano's annotation screen
counts UTF-16 units, so a note warns when exported texts contain characters outside
the BMP. doccano cannot hold attributes, entity groups or statuses (reported as left
out by the exporter framework). With a split: ``train/<username>.jsonl``...; one file
per document: ``<username>/<document>.jsonl``.

Reading accepts that shape and the sequence-labelling shape
``{"text": ..., "label": [[start, end, "LABEL"], ...]}`` (also ``labels``). doccano
stores no covered text, so the unit of the offsets is decided by the importer's
grapheme heuristic (see ``spanlab.core.importing.annotated``). The files do not say
whose annotations they are: ``--annotator`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from spanlab.core.errors import InputError
from spanlab.core.formats.base import (
    ExportDocument,
    ExportOptions,
    ExportReport,
    Feature,
    ImportedDocument,
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
    has_astral,
    is_int,
    json_line,
    json_lines,
    output_files,
    safe_folder_name,
)
from spanlab.core.schema import Schema

SUFFIXES = (".jsonl", ".json", ".ndjson")
_KNOWN_KEYS = frozenset({"id", "text", "entities", "relations", "label", "labels"})


class DoccanoExporter:
    """Writes ``<annotator>.jsonl`` files (doccano's individual-mode layout)."""

    name = "doccano"
    description = "doccano relation JSONL, one file per annotator"
    # one folder holds every annotator (one file each), as doccano's own export does
    carries = frozenset({Feature.SPANS, Feature.OVERLAPS, Feature.RELATIONS, Feature.ANNOTATORS})

    def write(
        self,
        documents: Iterable[ExportDocument],
        out_dir: Path,
        *,
        schema: Schema,
        options: ExportOptions,
        report: ExportReport,
    ) -> None:
        """One line per document and annotator."""
        astral = 0
        with output_files(out_dir) as files:
            for export in documents:
                if has_astral(export.document.text):
                    astral += 1
                for layer in export.layers:
                    record = _record(export, NumberedLayer.build(layer, schema))
                    user = safe_folder_name(layer.annotator)
                    if options.one_file:
                        folder = split_dir(Path(), export.split)
                        name = folder / output_name(None, user, ".jsonl")
                        files.get(name).write(json_line(record) + "\n")
                    else:
                        folder = split_dir(Path(user), export.split)
                        stem = document_name(export.document)
                        files.write_text(folder / f"{stem}.jsonl", json_line(record) + "\n")
        if astral:
            report.note(
                f"{astral} document(s) contain emoji or other characters outside the BMP: "
                "offsets are code points (as Python counts); doccano's annotation screen "
                "counts UTF-16 units and would show spans after those characters shifted"
            )


def _record(export: ExportDocument, numbered: NumberedLayer) -> dict[str, Any]:
    doc = export.document
    return {
        "id": int(doc.id),
        "text": doc.text,
        "title": doc.title,
        "sha256": doc.sha256,
        "entities": [
            {
                "id": numbered.span_number[span.id],
                "label": span.label,
                "start_offset": span.start,
                "end_offset": span.end,
            }
            for span in numbered.spans
        ],
        "relations": [
            {
                "id": item.number,
                "from_id": item.head,
                "to_id": item.tail,
                "type": item.relation.label,
            }
            for item in numbered.relations
        ],
    }


class DoccanoReader:
    """Reads doccano JSONL (relation or sequence-labelling shape)."""

    name = "doccano"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A JSON Lines file whose first record has ``text`` and doccano's span keys."""
        if path.suffix.lower() not in SUFFIXES or not head.lstrip().startswith(b"{"):
            return False
        first = first_json_line(path)
        if not isinstance(first, dict) or not isinstance(first.get("text"), str):
            return False
        entities = first.get("entities")
        if isinstance(entities, list) and all(
            isinstance(e, dict) and "start_offset" in e for e in entities
        ):
            return True
        labels = first.get("label", first.get("labels"))
        return isinstance(labels, list) and all(
            isinstance(item, list) and len(item) == 3 for item in labels
        )

    def read(self, path: Path, *, options: Mapping[str, Any]) -> Iterator[ImportedDocument]:
        """One document per line."""
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
    problems: list[InputError] = []
    spans: list[ImportedSpan] = []
    entities = record.get("entities")
    if entities is not None:
        if not isinstance(entities, list):
            raise fail("'entities' must be a list")
        for index, item in enumerate(entities):
            if not isinstance(item, dict):
                raise fail("every entity must be an object")
            key = item.get("id", f"#{index}")
            start, end, label = item.get("start_offset"), item.get("end_offset"), item.get("label")
            if not is_int(start) or not is_int(end) or not isinstance(label, str) or not label:
                problems.append(
                    fail(f"entity {key}: needs integer start_offset/end_offset and a label")
                )
                continue
            spans.append(ImportedSpan(key=str(key), label=label, start=start, end=end, line=line))
    labels = record.get("label", record.get("labels"))
    if labels is not None and not isinstance(labels, str):
        if not isinstance(labels, list):
            raise fail("'label' must be a list of [start, end, label]")
        for index, item in enumerate(labels):
            if (
                not isinstance(item, list)
                or len(item) != 3
                or not is_int(item[0])
                or not is_int(item[1])
                or not isinstance(item[2], str)
            ):
                problems.append(fail(f'label #{index + 1}: expected [start, end, "LABEL"]'))
                continue
            spans.append(
                ImportedSpan(
                    key=f"label-{index + 1}", label=item[2], start=item[0], end=item[1], line=line
                )
            )
    relations: list[ImportedRelation] = []
    raw_relations = record.get("relations") or []
    if not isinstance(raw_relations, list):
        raise fail("'relations' must be a list")
    for item in raw_relations:
        if not isinstance(item, dict):
            raise fail("every relation must be an object")
        head, tail = item.get("from_id"), item.get("to_id")
        label = item.get("type", item.get("label"))
        if head is None or tail is None or not isinstance(label, str) or not label:
            problems.append(fail(f"relation {item.get('id')}: needs from_id, to_id and a type"))
            continue
        relations.append(
            ImportedRelation(label=label, head_key=str(head), tail_key=str(tail), line=line)
        )
    title = record.get("title")
    metadata = {k: v for k, v in record.items() if k not in _KNOWN_KEYS and k != "title"}
    sha256 = metadata.pop("sha256", None)
    if isinstance(labels, str):  # a text-classification label, not spans
        metadata["label"] = labels
    metadata["format"] = "doccano"
    return ImportedDocument(
        source=f"{path}:{line}",
        text=text,
        title=title if isinstance(title, str) else None,
        metadata=metadata,
        layers=(ImportedLayer(annotator=None, spans=tuple(spans), relations=tuple(relations)),),
        line=line,
        sha256=sha256 if isinstance(sha256, str) else None,
        problems=tuple(problems),
    )


EXPORTER = DoccanoExporter()
READER = DoccanoReader()
