"""The bundled sample project: our own sample articles with two annotators' work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spanlab.core.commands import AddRelation, AddSpan, SetStatus
from spanlab.core.errors import SpanLabError
from spanlab.core.importing.pipeline import import_paths
from spanlab.core.model import Annotator, DocumentStatus
from spanlab.core.project import Project
from spanlab.core.resources import real_path, resource, resource_text, sample_article_names
from spanlab.core.storage.edit_store import EditStore


def build_sample_project(location: str | Path) -> Project:
    """Create a project at ``location`` from the sample articles and annotations."""
    project = Project.create(location, name="SpanLab sample")
    try:
        paths = [real_path(resource("samples", name)) for name in sample_article_names()]
        report = import_paths(project, paths)
        if report.failures:
            raise SpanLabError(f"sample import failed: {report.failures[0].reason}")
        annotate_samples(project, json.loads(resource_text("samples", "annotations.json")))
    except BaseException:
        project.close()
        raise
    return project


def annotate_samples(project: Project, data: dict[str, Any]) -> None:
    """Apply ``annotations.json`` (spans located by text and occurrence) through commands."""
    by_source = {Path(d.source or "").name: d.id for d in project.documents()}
    annotators = {name: project.ensure_annotator(name) for name in data["annotators"]}
    with project.edit() as store:  # one transaction; still applied through commands
        for file_name, layers in data["documents"].items():
            _annotate_document(store, by_source[file_name], file_name, layers, annotators)


def _annotate_document(
    store: EditStore,
    document_id: int,
    file_name: str,
    layers: dict[str, Any],
    annotators: dict[str, Annotator],
) -> None:
    text = store.text_of(document_id)
    for annotator_name, layer in layers.items():
        annotator = annotators[annotator_name]
        span_ids: list[int] = []
        for item in layer["spans"]:
            start = _find(text, item["text"], item.get("occurrence", 1), file_name)
            command = AddSpan(
                document_id,
                annotator.id,
                item["label"],
                start,
                start + len(item["text"]),
                item.get("attributes", {}),
            )
            command.apply(store)
            assert command.span_id is not None
            span_ids.append(command.span_id)
        for rel in layer.get("relations", []):
            AddRelation(
                span_ids[rel["head"]],
                span_ids[rel["tail"]],
                rel["type"],
                rel.get("attributes", {}),
            ).apply(store)
        status = DocumentStatus(layer.get("status", "in_progress"))
        SetStatus(document_id, annotator.id, status).apply(store)


def _find(text: str, needle: str, occurrence: int, source: str) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.find(needle, position + 1)
        if position < 0:
            raise SpanLabError(f"{source}: {needle!r} occurs fewer than {occurrence} times")
    return position
