"""Label Studio JSON tasks with one annotation per annotator, plus the labeling config.

Writing: ``tasks.json`` (or ``train.json`` ... with a split; ``<document>.json`` per
document), a JSON array with one task per line::

    {"annotations": [{"completed_by": {"username": "alice"}, "ground_truth": false,
                      "id": 1, "result": [...], "was_cancelled": false}],
     "data": {"sha256": "...", "text": "...", "title": "..."}, "id": 12}

``result`` holds, per span, a ``labels`` region (``id`` "t3" = span number 3,
``from_name`` "label", ``to_name`` "text", ``value`` {start, end, text, labels}); per
span attribute, a per-region result with the region's id (``from_name``
"LABEL-attribute": ``choices`` for boolean and choice attributes, ``textarea`` for
the others); per relation, ``{"type": "relation", "from_id", "to_id", "direction":
"right" ("bi" for symmetric types), "labels": [TYPE]}``. The gold layer is the
annotation of user "gold" with ``ground_truth: true``. ``labeling_config.xml`` is the
matching ``<View>``: ``<Labels>`` with the label colours, ``<Text>``, ``<Relations>``
and the per-region attribute controls. Offsets are code points (current Label Studio
counts them so); relation attributes and entity groups cannot be expressed and are
reported as left out.

Reading accepts exported tasks (a JSON array, or one task object): annotations with
``completed_by`` as a user object (``username``, else ``email``), a name, or a
number (then ``--annotator`` names the user); ``labels`` regions of any control name;
per-region ``choices``/``textarea``/``number`` results as attributes; relations
(``direction`` "left" swaps the ends). ``value.text`` is checked against the text,
which is how the importer recognises files whose offsets count UTF-16 units (older
Label Studio versions). Cancelled annotations and predictions are skipped with a note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from spanlab.core.errors import InputError
from spanlab.core.formats.base import (
    AnnotationLayer,
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
    is_int,
    json_array_items,
    json_line,
    line_of,
    output_files,
    read_json_text,
)
from spanlab.core.model import GOLD_ANNOTATOR
from spanlab.core.schema import AttributeKind, AttributeSpec, Schema

LABELS = "label"
TEXT = "text"
CONFIG = "labeling_config.xml"
_Fail = Callable[..., InputError]
_ATTRIBUTE_TYPES = {"choices", "textarea", "number", "rating", "datetime", "taxonomy"}


def control_name(label: str, attribute: str) -> str:
    """Name of the per-region control of a label's attribute (attribute names have no ``-``)."""
    return f"{label}-{attribute}"


def labeling_config(schema: Schema) -> str:
    """Label Studio's labeling config XML for a schema."""
    lines = ["<View>", f'  <Labels name="{LABELS}" toName="{TEXT}">']
    for label in schema.labels:
        lines.append(
            f"    <Label value={quoteattr(label.name)} background={quoteattr(label.colour)}/>"
        )
    lines += ["  </Labels>", f'  <Text name="{TEXT}" value="$text"/>']
    if schema.relations:
        lines.append("  <Relations>")
        lines.extend(f"    <Relation value={quoteattr(r.name)}/>" for r in schema.relations)
        lines.append("  </Relations>")
    for label in schema.labels:
        for attribute in label.attributes:
            lines.extend(_control(label.name, attribute))
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def _control(label: str, attribute: AttributeSpec) -> list[str]:
    common = (
        f"name={quoteattr(control_name(label, attribute.name))} toName={quoteattr(TEXT)} "
        f'perRegion="true" visibleWhen="region-selected" whenLabelValue={quoteattr(label)}'
    )
    if attribute.kind in (AttributeKind.BOOLEAN, AttributeKind.CHOICE):
        values = ("true", "false") if attribute.kind is AttributeKind.BOOLEAN else attribute.choices
        return [
            f'  <Choices {common} choice="single" showInline="true">',
            *(f"    <Choice value={quoteattr(v)}/>" for v in values),
            "  </Choices>",
        ]
    return [f'  <TextArea {common} maxSubmissions="1" editable="true"/>']


# --------------------------------------------------------------------------- writing


def _annotation(
    number: int, layer: AnnotationLayer, schema: Schema, report: ExportReport
) -> dict[str, Any]:
    numbered = NumberedLayer.build(layer, schema)
    result: list[dict[str, Any]] = []
    for index, span in enumerate(numbered.spans, 1):
        region = f"t{index}"
        value = {"start": span.start, "end": span.end, "text": span.text}
        result.append(
            {
                "id": region,
                "from_name": LABELS,
                "to_name": TEXT,
                "type": "labels",
                "origin": "manual",
                "value": {**value, "labels": [span.label]},
            }
        )
        spec = schema.label(span.label)
        specs = {a.name: a for a in spec.attributes} if spec is not None else {}
        for name in sorted(span.attributes):
            attribute = specs.get(name)
            encoded = _attribute_result(span.attributes[name], attribute)
            if encoded is None:
                report.leave_out(
                    "span attribute values Label Studio cannot hold (not declared in the "
                    "schema, or not text)"
                )
                continue
            kind, payload = encoded
            result.append(
                {
                    "id": region,
                    "from_name": control_name(span.label, name),
                    "to_name": TEXT,
                    "type": kind,
                    "origin": "manual",
                    "value": {**value, **payload},
                }
            )
    for item in numbered.relations:
        relation = item.relation
        relation_spec = schema.relation(relation.label)
        symmetric = relation_spec is not None and relation_spec.symmetric
        result.append(
            {
                "type": "relation",
                "from_id": f"t{item.head}",
                "to_id": f"t{item.tail}",
                "direction": "bi" if symmetric else "right",
                "labels": [relation.label],
            }
        )
    return {
        "id": number,
        "completed_by": {"username": layer.annotator},
        "ground_truth": layer.annotator == GOLD_ANNOTATOR,
        "was_cancelled": False,
        "result": result,
    }


def _attribute_result(value: Any, spec: AttributeSpec | None) -> tuple[str, dict[str, Any]] | None:
    if spec is None:
        return None
    if spec.kind is AttributeKind.BOOLEAN and isinstance(value, bool):
        return "choices", {"choices": ["true" if value else "false"]}
    if not isinstance(value, str):
        return None
    if spec.kind is AttributeKind.CHOICE:
        return "choices", {"choices": [value]}
    return "textarea", {"text": [value]}


def task(export: ExportDocument, schema: Schema, report: ExportReport) -> dict[str, Any]:
    """One Label Studio task for a document and its layers."""
    doc = export.document
    layers = sorted(export.layers, key=lambda layer: layer.annotator)
    return {
        "id": int(doc.id),
        "data": {"text": doc.text, "title": doc.title, "sha256": doc.sha256},
        "annotations": [
            _annotation(number, layer, schema, report) for number, layer in enumerate(layers, 1)
        ],
        "predictions": [],
    }


class LabelStudioExporter:
    """Writes task arrays (one task per line) and ``labeling_config.xml``."""

    name = "labelstudio"
    description = "Label Studio JSON tasks (one annotation per annotator) and labeling config"
    carries = frozenset(
        {
            Feature.SPANS,
            Feature.OVERLAPS,
            Feature.RELATIONS,
            Feature.SPAN_ATTRIBUTES,
            Feature.ANNOTATORS,
        }
    )

    def write(
        self,
        documents: Iterable[ExportDocument],
        out_dir: Path,
        *,
        schema: Schema,
        options: ExportOptions,
        report: ExportReport,
    ) -> None:
        """Stream the tasks; the array brackets frame one task per line."""
        with output_files(out_dir) as files:
            files.write_text(CONFIG, labeling_config(schema))
            started: set[str] = set()
            for export in documents:
                line = json_line(task(export, schema, report))
                if options.one_file:
                    name = output_name(export.split, "tasks", ".json")
                    handle = files.get(name)
                    handle.write(("," if name in started else "[") + "\n" + line)
                    started.add(name)
                else:
                    folder = split_dir(Path(), export.split)
                    path = folder / f"{document_name(export.document)}.json"
                    files.write_text(path, f"[\n{line}\n]\n")
            for name in sorted(started):
                files.get(name).write("\n]\n")


# --------------------------------------------------------------------------- reading


class LabelStudioReader:
    """Reads exported Label Studio tasks."""

    name = "labelstudio"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A ``.json`` file holding tasks with ``data`` and ``annotations``."""
        if path.suffix.lower() != ".json":
            return False
        stripped = head.lstrip()
        if stripped.startswith(b"\xef\xbb\xbf"):
            stripped = stripped[3:].lstrip()
        if not stripped.startswith((b"[", b"{")):
            return False
        try:
            text = read_json_text(path)
            for _line, _start, _end, value in json_array_items(path, text):
                return (
                    isinstance(value, dict)
                    and isinstance(value.get("data"), dict)
                    and ("annotations" in value or "completions" in value)
                )
        except InputError:
            return False
        return False

    def read(self, path: Path, *, options: Mapping[str, Any]) -> Iterator[ImportedDocument]:
        """One document per task."""
        text = read_json_text(path)
        for line, start, end, value in json_array_items(path, text):
            yield _document(path, line, text[start:end], value)


def _document(path: Path, line: int, raw: str, task_value: Any) -> ImportedDocument:
    def fail(message: str, at: int = line) -> InputError:
        return InputError(path, message, line=at)

    def line_at(needle: str, nth: int = 1) -> int:
        index = -1
        for _ in range(nth):
            index = raw.find(needle, index + 1)
            if index < 0:
                return line
        return line + line_of(raw, index) - 1

    if not isinstance(task_value, dict):
        raise fail("every task must be a JSON object")
    data = task_value.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise fail("the task has no data.text (SpanLab reads text tasks)")
    annotations = task_value.get("annotations", task_value.get("completions", []))
    if not isinstance(annotations, list):
        raise fail("'annotations' must be a list")
    problems: list[InputError] = []
    notes: list[str] = []
    layers = []
    for number, annotation in enumerate(annotations, 1):
        if not isinstance(annotation, dict):
            raise fail("every annotation must be an object")
        if annotation.get("was_cancelled"):
            notes.append(
                f"{path}:{line}: annotation {annotation.get('id', number)} was cancelled; skipped"
            )
            continue
        layers.append(_layer(annotation, number, problems, fail, line_at))
    if task_value.get("predictions"):
        notes.append(f"{path}:{line}: {len(task_value['predictions'])} prediction(s) skipped")
    title = data.get("title")
    sha256 = data.get("sha256")
    metadata = {k: v for k, v in data.items() if k not in ("text", "title", "sha256") and _plain(v)}
    metadata["format"] = "labelstudio"
    return ImportedDocument(
        source=f"{path}:{line}",
        text=data["text"],
        title=title if isinstance(title, str) else None,
        metadata=metadata,
        layers=tuple(layers),
        line=line,
        sha256=sha256 if isinstance(sha256, str) else None,
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _annotator(annotation: Mapping[str, Any]) -> str | None:
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        for key in ("username", "email"):
            value = user.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None
    if isinstance(user, str) and user.strip():
        return user.strip()
    if annotation.get("ground_truth") is True and user is None:
        return GOLD_ANNOTATOR
    return None  # a user id number: the importer's --annotator says who it is


def _layer(
    annotation: Mapping[str, Any],
    number: int,
    problems: list[InputError],
    fail: _Fail,
    line_at: Callable[..., int],
) -> ImportedLayer:
    results = annotation.get("result", [])
    if not isinstance(results, list):
        raise fail(f"annotation {annotation.get('id', number)}: 'result' must be a list")
    regions: dict[str, dict[str, Any]] = {}
    per_region: list[tuple[str, str, Any]] = []
    relations: list[ImportedRelation] = []
    seen_relations = 0
    for item in results:
        if not isinstance(item, dict):
            raise fail("every result must be an object")
        kind = item.get("type")
        if kind == "relation":
            seen_relations += 1
            relation_line = line_at('"relation"', seen_relations)
            relation = _relation(item, problems, fail, relation_line)
            if relation is not None:
                relations.append(relation)
            continue
        region = str(item.get("id", ""))
        value = item.get("value")
        at = line_at(f'"{region}"') if region else None
        if kind == "labels":
            labels = value.get("labels") if isinstance(value, dict) else None
            if (
                not isinstance(labels, list)
                or not labels
                or not all(isinstance(x, str) for x in labels)
            ):
                problems.append(fail(f"region {region}: 'labels' must name at least one label", at))
                continue
            assert isinstance(value, dict)
            start, end = value.get("start"), value.get("end")
            if not is_int(start) or not is_int(end):
                problems.append(fail(f"region {region}: start and end must be offsets", at))
                continue
            covered = value.get("text")
            regions[region] = {
                "start": start,
                "end": end,
                "text": covered if isinstance(covered, str) else None,
                "labels": labels,
                "line": at,
            }
        elif kind in _ATTRIBUTE_TYPES and isinstance(value, dict):
            per_region.append((region, str(item.get("from_name", kind)), _attribute_value(value)))
    attributes: dict[str, dict[str, Any]] = {}
    for region, name, value in per_region:
        info = regions.get(region)
        if info is None:
            problems.append(
                fail(
                    f"per-region result {name!r} refers to region {region!r}, which has no label",
                    line_at(f'"{region}"'),
                )
            )
            continue
        attribute = name
        for label in info["labels"]:
            if name.startswith(f"{label}-"):
                attribute = name[len(label) + 1 :]
        attributes.setdefault(region, {})[attribute] = value
    spans: list[ImportedSpan] = []
    for region, info in regions.items():
        for index, label in enumerate(info["labels"]):
            # a region with several labels becomes several spans; relations use the first
            spans.append(
                ImportedSpan(
                    key=region if index == 0 else f"{region}#{index + 1}",
                    label=label,
                    start=info["start"],
                    end=info["end"],
                    text=info["text"],
                    attributes=dict(attributes.get(region, {})),
                    line=info["line"],
                )
            )
    return ImportedLayer(
        annotator=_annotator(annotation), spans=tuple(spans), relations=tuple(relations)
    )


def _attribute_value(value: Mapping[str, Any]) -> Any:
    for key in ("choices", "text", "taxonomy"):
        found = value.get(key)
        if isinstance(found, list):
            if len(found) == 1:
                return found[0]
            return list(found)
        if found is not None:
            return found
    for key in ("number", "rating", "datetime"):
        if key in value:
            return value[key]
    return None


def _relation(
    item: Mapping[str, Any], problems: list[InputError], fail: _Fail, at: int
) -> ImportedRelation | None:
    head, tail = item.get("from_id"), item.get("to_id")
    labels = item.get("labels") or []
    if head is None or tail is None:
        problems.append(fail("a relation needs from_id and to_id", at))
        return None
    if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
        problems.append(
            fail(
                f"relation {head} -> {tail}: SpanLab needs exactly one relation type in 'labels' "
                f"(got {labels!r})",
                at,
            )
        )
        return None
    if item.get("direction") == "left":
        head, tail = tail, head
    return ImportedRelation(label=labels[0], head_key=str(head), tail_key=str(tail), line=at)


EXPORTER = LabelStudioExporter()
READER = LabelStudioReader()
