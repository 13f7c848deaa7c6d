"""Per-annotator quality against the curated gold layer: precision, recall and F1.

Part of :mod:`spanlab.core.curation`. Gold is the reference: for each annotator,
precision = correct / the annotator's spans and recall = correct / gold's spans, with
the span F1 of :mod:`spanlab.core.agreement` (``exact``: same offsets and label;
``overlap``: same label and overlapping, aligned one to one) and relation F1 (``strict``
and ``lenient`` end alignment). Duplicates count once, as in every agreement metric.

Which documents count for an annotator: those gold marked done (curated) that the
annotator marked done too. With ``include_unfinished``: those curation has started on
(gold in progress or done, or holding annotations) that the annotator started.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final

from spanlab import __version__
from spanlab.core.agreement import (
    F1Scheme,
    F1Score,
    RelationScheme,
    pair_span_f1,
    relation_f1,
)
from spanlab.core.curation_view import CurationError, symmetric_types
from spanlab.core.document_selection import select_documents
from spanlab.core.model import (
    GOLD_ANNOTATOR,
    Annotator,
    AnnotatorId,
    DocumentId,
    DocumentStatus,
    Relation,
    Span,
)
from spanlab.core.project import Project
from spanlab.core.storage import repository as repo

SPAN_MODES: Final = ("exact", "overlap")
RELATION_MODES: Final = ("strict", "lenient")
_SPAN_SCHEMES = {"exact": F1Scheme.EXACT, "overlap": F1Scheme.OVERLAP}
_RELATION_SCHEMES = {"strict": RelationScheme.STRICT, "lenient": RelationScheme.LENIENT}

JSON_FORMAT: Final = "spanlab-gold-quality"
JSON_VERSION: Final = 1
CSV_COLUMNS: Final = (
    "annotator",
    "scope",
    "name",
    "mode",
    "precision",
    "recall",
    "f1",
    "correct",
    "gold",
    "annotated",
    "documents",
    "reason",
)


@dataclass(frozen=True, slots=True)
class AnnotatorQuality:
    """One annotator against gold.

    Scores are :class:`~spanlab.core.agreement.F1Score` with gold as annotator a:
    ``count_a`` is gold's count, ``count_b`` the annotator's, ``credit`` the matches.
    ``spans`` and ``relations`` are keyed by mode (:data:`SPAN_MODES`,
    :data:`RELATION_MODES`); ``per_label`` and ``per_type`` by label or type, then mode.
    """

    name: str
    documents: tuple[DocumentId, ...]
    spans: Mapping[str, F1Score]
    per_label: Mapping[str, Mapping[str, F1Score]]
    relations: Mapping[str, F1Score]
    per_type: Mapping[str, Mapping[str, F1Score]]


@dataclass(frozen=True, slots=True)
class GoldQualityReport:
    """Every compared annotator against gold (see the module docstring)."""

    project: str
    created_at: datetime
    include_unfinished: bool
    candidates: int
    curated: tuple[DocumentId, ...]
    labels: tuple[str, ...] | None
    annotators: tuple[AnnotatorQuality, ...]

    @property
    def summary(self) -> str:
        """``gold documents: 6 of 8 (curated)``."""
        rule = "curation started" if self.include_unfinished else "curated"
        return f"gold documents: {len(self.curated)} of {self.candidates} ({rule})"


def quality_against_gold(
    project: Project,
    *,
    annotators: Sequence[str] | None = None,
    documents: Sequence[int] | None = None,
    labels: Sequence[str] | None = None,
    include_unfinished: bool = False,
) -> GoldQualityReport:
    """Precision, recall and F1 of each annotator against gold (module docstring).

    ``annotators`` by name (default: every non-gold annotator who has annotations or a
    started document); ``documents`` limits the candidates; ``labels`` keeps only
    spans with these labels (and relations between them). Raises
    :class:`CurationError` for unknown names, labels or documents and when the project
    has no gold layer.
    """
    with project.read() as conn:
        everyone = repo.list_annotators(conn)
        summaries = repo.list_documents(conn)
        statuses = repo.list_statuses(conn)
        label_counts = repo.label_counts(conn)
        gold = next((a for a in everyone if a.is_gold), None)
        if gold is None:
            raise CurationError(
                "the project has no gold layer yet; curate documents first (spanlab curate)"
            )
        people = _compared(everyone, annotators, statuses, label_counts)
        all_ids = [s.id for s in summaries]
        candidates = select_documents(all_ids, documents, error=CurationError)
        state = {(s.annotator_id, s.document_id): s.status for s in statuses}
        gold_docs = set(repo.span_counts(conn, annotator_id=gold.id))
        spans_by: dict[AnnotatorId, set[DocumentId]] = {
            a.id: set(repo.span_counts(conn, annotator_id=a.id)) for a in people
        }
        curated = [
            d
            for d in candidates
            if _counts(state.get((gold.id, d)), d in gold_docs, include_unfinished)
        ]
        used: dict[AnnotatorId, list[DocumentId]] = {
            a.id: [
                d
                for d in curated
                if _counts(state.get((a.id, d)), d in spans_by[a.id], include_unfinished)
            ]
            for a in people
        }
        wanted = {gold.id, *(a.id for a in people)}
        spans: list[Span] = []
        relations: list[Relation] = []
        for document in sorted({d for docs in used.values() for d in docs}):
            spans.extend(
                s for s in repo.list_spans(conn, document_id=document) if s.annotator_id in wanted
            )
            relations.extend(
                r
                for r in repo.list_relations(conn, document_id=document)
                if r.annotator_id in wanted
            )
    if labels is not None:
        known = set(project.schema().label_names) | {label for _, label, _ in label_counts}
        unknown = [label for label in labels if label not in known]
        if unknown:
            raise CurationError(
                f"unknown label(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        keep = set(labels)
        spans = [s for s in spans if s.label in keep]
        kept = {s.id for s in spans}
        relations = [r for r in relations if r.head_id in kept and r.tail_id in kept]
    symmetric = symmetric_types(project)
    results = tuple(
        _annotator_quality(gold, person, used[person.id], spans, relations, symmetric)
        for person in people
    )
    return GoldQualityReport(
        project=project.name,
        created_at=datetime.now(UTC),
        include_unfinished=include_unfinished,
        candidates=len(candidates),
        curated=tuple(curated),
        labels=None if labels is None else tuple(dict.fromkeys(labels)),
        annotators=results,
    )


def _compared(
    everyone: Sequence[Annotator],
    requested: Sequence[str] | None,
    statuses: Sequence[Any],
    label_counts: Sequence[tuple[str, str, int]],
) -> list[Annotator]:
    people = {a.name: a for a in everyone if not a.is_gold}
    if requested is None:
        active = {name for name, _, count in label_counts if count}
        started = {s.annotator_id for s in statuses if s.status is not DocumentStatus.NEW}
        return [a for a in people.values() if a.name in active or a.id in started]
    names = list(dict.fromkeys(requested))
    if GOLD_ANNOTATOR in names:
        raise CurationError(f"'{GOLD_ANNOTATOR}' is the reference; name the annotators to score")
    unknown = [name for name in names if name not in people]
    if unknown:
        known = ", ".join(sorted(people)) or "none"
        raise CurationError(f"unknown annotator(s): {', '.join(unknown)} (known: {known})")
    return [people[name] for name in names]


def _counts(status: DocumentStatus | None, has_spans: bool, include_unfinished: bool) -> bool:
    if status is DocumentStatus.DONE:
        return True
    return include_unfinished and (status is DocumentStatus.IN_PROGRESS or has_spans)


def _annotator_quality(
    gold: Annotator,
    person: Annotator,
    documents: Sequence[DocumentId],
    spans: Sequence[Span],
    relations: Sequence[Relation],
    symmetric: frozenset[str],
) -> AnnotatorQuality:
    pair_spans = [s for s in spans if s.annotator_id in (gold.id, person.id)]
    pair = pair_span_f1(pair_spans, gold.id, person.id, documents=documents)
    rel = relation_f1(
        pair_spans,
        [r for r in relations if r.annotator_id in (gold.id, person.id)],
        symmetric_types=symmetric,
        annotators=(gold.id, person.id),
        documents=documents,
    ).pairs[0]
    return AnnotatorQuality(
        name=person.name,
        documents=tuple(documents),
        spans=MappingProxyType({m: pair.overall[_SPAN_SCHEMES[m]] for m in SPAN_MODES}),
        per_label=MappingProxyType(
            {
                label: MappingProxyType({m: scores[_SPAN_SCHEMES[m]] for m in SPAN_MODES})
                for label, scores in pair.per_label.items()
            }
        ),
        relations=MappingProxyType({m: rel.overall[_RELATION_SCHEMES[m]] for m in RELATION_MODES}),
        per_type=MappingProxyType(
            {
                kind: MappingProxyType({m: scores[_RELATION_SCHEMES[m]] for m in RELATION_MODES})
                for kind, scores in rel.per_type.items()
            }
        ),
    )


# --------------------------------------------------------------------------- exports


def score_to_json(score: F1Score) -> dict[str, Any]:
    """One score as JSON data."""
    return {
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.value,
        "correct": score.credit,
        "gold": score.count_a,
        "annotated": score.count_b,
        "documents": score.documents,
        "reason": score.reason,
    }


def quality_to_json(report: GoldQualityReport) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "spanlab_version": __version__,
        "project": report.project,
        "created_at": report.created_at.isoformat(timespec="seconds"),
        "reference": GOLD_ANNOTATOR,
        "documents": {
            "rule": "curation_started" if report.include_unfinished else "curated",
            "candidates": report.candidates,
            "gold": list(report.curated),
            "summary": report.summary,
        },
        "labels": None if report.labels is None else list(report.labels),
        "annotators": [
            {
                "name": quality.name,
                "documents": list(quality.documents),
                "spans": {m: score_to_json(s) for m, s in quality.spans.items()},
                "per_label": {
                    label: {m: score_to_json(s) for m, s in scores.items()}
                    for label, scores in quality.per_label.items()
                },
                "relations": {m: score_to_json(s) for m, s in quality.relations.items()},
                "per_type": {
                    kind: {m: score_to_json(s) for m, s in scores.items()}
                    for kind, scores in quality.per_type.items()
                },
            }
            for quality in report.annotators
        ],
    }


def quality_to_csv(report: GoldQualityReport) -> str:
    """One row per annotator, scope (spans, label, relations, type) and mode."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def number(value: float | None) -> str:
        return "" if value is None else repr(value)

    for quality in report.annotators:
        rows: list[tuple[str, str, Mapping[str, F1Score]]] = [("spans", "", quality.spans)]
        rows.extend(("label", label, scores) for label, scores in quality.per_label.items())
        rows.append(("relations", "", quality.relations))
        rows.extend(("relation_type", kind, scores) for kind, scores in quality.per_type.items())
        for scope, name, scores in rows:
            for mode, score in scores.items():
                writer.writerow(
                    (
                        quality.name,
                        scope,
                        name,
                        mode,
                        number(score.precision),
                        number(score.recall),
                        number(score.value),
                        number(score.credit),
                        score.count_a,
                        score.count_b,
                        score.documents,
                        score.reason or "",
                    )
                )
    return buffer.getvalue()


__all__ = [
    "CSV_COLUMNS",
    "RELATION_MODES",
    "SPAN_MODES",
    "AnnotatorQuality",
    "GoldQualityReport",
    "quality_against_gold",
    "quality_to_csv",
    "quality_to_json",
    "score_to_json",
]
