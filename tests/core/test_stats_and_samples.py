"""The bundled sample project and the figures ``spanlab stats`` shows."""

from __future__ import annotations

import json

from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project
from spanlab.core.resources import resource_text, sample_article_names
from spanlab.core.stats import project_stats


def _expected() -> dict[str, object]:
    return json.loads(resource_text("samples", "annotations.json"))  # type: ignore[no-any-return]


def test_sample_project_holds_every_article_and_annotation(sample_project: Project) -> None:
    data = _expected()
    documents = data["documents"]  # type: ignore[index]
    stats = project_stats(sample_project)
    assert stats.documents == len(sample_article_names()) == len(documents)
    for name in ("alice", "bob"):
        spans = sum(len(doc[name]["spans"]) for doc in documents.values())
        relations = sum(len(doc[name]["relations"]) for doc in documents.values())
        done = sum(doc[name]["status"] == "done" for doc in documents.values())
        assert stats.span_total(name) == spans
        assert stats.relation_total(name) == relations
        assert stats.statuses[name][DocumentStatus.DONE] == done
        assert sum(stats.statuses[name].values()) == stats.documents


def test_sample_spans_cover_exactly_their_text(sample_project: Project) -> None:
    for summary in sample_project.documents():
        document = sample_project.document(summary.id)
        for span in sample_project.spans(summary.id):
            assert document.text[span.start : span.end] == span.text


def test_stats_counts_per_label_and_annotator(project: Project) -> None:
    from spanlab.core.commands import AddSpan

    with project.edit() as store:
        (doc,) = store.insert_documents(
            [{"title": "t", "text": "Kim met Lee in Seoul.", "sha256": "a"}]
        )
    ann = project.ensure_annotator("ann")
    for start, end, label in [(0, 3, "PERSON"), (8, 11, "PERSON"), (15, 20, "LOCATION")]:
        project.execute(AddSpan(doc, ann.id, label, start, end))
    stats = project_stats(project)
    assert stats.spans[("ann", "PERSON")] == 2
    assert stats.spans[("ann", "LOCATION")] == 1
    assert stats.statuses["ann"][DocumentStatus.IN_PROGRESS] == 1
