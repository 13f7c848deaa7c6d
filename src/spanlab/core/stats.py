"""Project figures shared by ``spanlab stats`` and the GUI overview."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spanlab.core.model import DocumentStatus
from spanlab.core.project import Project
from spanlab.core.storage import repository as repo


@dataclass(frozen=True, slots=True)
class ProjectStats:
    """Counts of documents, spans, relations and statuses per annotator."""

    documents: int
    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    relation_types: tuple[str, ...]
    spans: Mapping[tuple[str, str], int]
    relations: Mapping[tuple[str, str], int]
    statuses: Mapping[str, Mapping[DocumentStatus, int]]

    def span_total(self, annotator: str) -> int:
        """All spans of one annotator."""
        return sum(n for (name, _), n in self.spans.items() if name == annotator)

    def relation_total(self, annotator: str) -> int:
        """All relations of one annotator."""
        return sum(n for (name, _), n in self.relations.items() if name == annotator)


def project_stats(project: Project) -> ProjectStats:
    """Compute the figures in one read transaction."""
    schema = project.schema()
    with project.read() as conn:
        documents = repo.document_count(conn)
        annotators = repo.list_annotators(conn)
        spans = {(a, label): n for a, label, n in repo.label_counts(conn)}
        relations = {(a, t): n for a, t, n in repo.relation_counts(conn)}
        records = repo.list_statuses(conn)
    names = {a.id: a.name for a in annotators}
    statuses: dict[str, dict[DocumentStatus, int]] = {
        a.name: dict.fromkeys(DocumentStatus, 0) for a in annotators
    }
    for record in records:
        statuses[names[record.annotator_id]][record.status] += 1
    for counts in statuses.values():
        counts[DocumentStatus.NEW] = (
            documents - counts[DocumentStatus.IN_PROGRESS] - counts[DocumentStatus.DONE]
        )
    extra_labels = sorted({label for _, label in spans} - set(schema.label_names))
    return ProjectStats(
        documents=documents,
        annotators=tuple(a.name for a in annotators),
        labels=schema.label_names + tuple(extra_labels),
        relation_types=tuple(r.name for r in schema.relations),
        spans=spans,
        relations=relations,
        statuses=statuses,
    )
