"""Inter-annotator agreement report for a project: selection, loading, metrics, exports.

This module connects a :class:`~spanlab.core.project.Project` to the pure metrics of
:mod:`spanlab.core.agreement`.  :func:`compute_agreement` resolves a request (annotator
names, labels, document ids), decides which documents count, loads the spans, relations
and texts of those documents one document at a time, tokenizes them with
:func:`spanlab.core.text.tokenize` for the token-level metrics and returns a frozen
:class:`AgreementReport` keyed by annotator *names*.  The CLI (table, JSON, CSV, HTML) and
the GUI dashboard are both built on that report.

Decisions (see also ``docs/agreement-json.md`` and the shared ``agreement.md``):

* **Which documents count.** By default a document counts when *every* compared
  annotator marked it done; every metric, pairwise ones included, then uses that same
  document set, so a report states a single "documents used: x of y".  With
  ``include_unfinished`` a document counts when every compared annotator has at least
  started it (status in progress or done, or holding annotations there); a document an
  annotator never opened never counts, since they gave no opinion on it.  ``y`` is the
  number of candidate documents (the requested ones, else all documents of the project).
* **Annotators.** By default every non-gold annotator who has a span, a relation or a
  started document, by name.  The gold layer can be compared when named explicitly.
* **Labels.** A label restriction drops spans of other labels *before* any metric runs
  (so tokens they covered count as outside ``"O"``) and drops relations whose head or tail
  was dropped.
* **Token metrics** build one token x annotator table (types, longest span wins, see
  :mod:`spanlab.core.agreement.token_level`) and compute Cohen's kappa per pair, Fleiss'
  kappa and Krippendorff's alpha from it; each is reported over all tokens and over the
  tokens at least one annotator (of the pair, for Cohen) labelled.  With more than two
  annotators the overall Cohen's kappa is the mean over pairs.
* **Disagreements** of a pair on a document (:func:`disagreements`): first spans equal in
  offsets and label are set aside as agreements, then the rest is aligned one to one by
  overlap with equal labels (a *boundary* disagreement), then by overlap with labels
  ignored (a *label* disagreement; the boundaries may differ too), and what is left is
  missing on the other side.  The per-document list is sorted by overlap F1 (mean over
  pairs, lowest first; documents nobody labelled last), then by the number of
  disagreements.
* Undefined values are ``None`` with a reason, never a misleading 0 or 1.
"""

from __future__ import annotations

import csv
import enum
import io
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import chain, repeat
from types import MappingProxyType
from typing import Any, Final

from spanlab import __version__
from spanlab.core.agreement import (
    NO_ANNOTATION,
    OUTSIDE,
    UNIT_ALL_TOKENS,
    UNIT_LABELLED_TOKENS,
    AgreementCoefficient,
    AttributeReport,
    F1Scheme,
    F1Score,
    MatchMode,
    PairMean,
    RelationF1Report,
    RelationScheme,
    SpanF1Report,
    SpanPair,
    Table,
    TokenTable,
    UnitizingAlpha,
    UnitizingCategory,
    align_spans,
    attribute_agreement,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    relation_f1,
    span_confusion_matrix,
    span_f1,
    token_label_table,
    unitizing_alpha,
)
from spanlab.core.document_selection import select_documents
from spanlab.core.errors import SpanLabError
from spanlab.core.model import (
    Annotator,
    AnnotatorId,
    DocumentId,
    DocumentStatus,
    Relation,
    Span,
    StatusRecord,
)
from spanlab.core.project import Project
from spanlab.core.schema import RelationSpec
from spanlab.core.stats import ProjectStats
from spanlab.core.storage import repository as repo
from spanlab.core.text import tokenize

ProgressCallback = Callable[[int, int, str], None]
"""``progress(done, total, current)``, the same shape as the import progress."""

JSON_FORMAT: Final = "spanlab-agreement"
JSON_VERSION: Final = 1


class AgreementSelectionError(SpanLabError):
    """The request names annotators, labels or documents the project does not have."""


# --------------------------------------------------------------------------- metric catalogue


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """What a metric key means: display name, one-line definition and unit."""

    key: str
    name: str
    definition: str
    unit: str


_SPAN_POOLING = "counts pooled over the documents used for each pair, then the mean over pairs"

_CATALOGUE: tuple[MetricInfo, ...] = (
    MetricInfo(
        "span_f1_exact",
        "Span F1 (exact)",
        "Pairwise F1 (Dice) of spans with the same start, end and label; " + _SPAN_POOLING,
        "spans",
    ),
    MetricInfo(
        "span_f1_overlap",
        "Span F1 (overlap)",
        "Pairwise F1 of spans with the same label sharing at least one character, aligned "
        "one to one; " + _SPAN_POOLING,
        "spans",
    ),
    MetricInfo(
        "span_f1_partial",
        "Span F1 (partial credit)",
        "Like overlap F1, but a match with different boundaries counts 0.5; " + _SPAN_POOLING,
        "spans",
    ),
    MetricInfo(
        "span_f1_exact_unlabelled",
        "Boundary F1 (exact, labels ignored)",
        "Pairwise F1 of spans with the same start and end whatever their labels; " + _SPAN_POOLING,
        "spans",
    ),
    MetricInfo(
        "span_f1_overlap_unlabelled",
        "Boundary F1 (overlap, labels ignored)",
        "Pairwise F1 of overlapping spans whatever their labels, aligned one to one; "
        + _SPAN_POOLING,
        "spans",
    ),
    MetricInfo(
        "relation_f1_strict",
        "Relation F1 (strict)",
        "Pairwise F1 of (head, tail, type) after aligning the ends by exact offsets and label; "
        "symmetric types ignore direction; " + _SPAN_POOLING,
        "relations",
    ),
    MetricInfo(
        "relation_f1_lenient",
        "Relation F1 (lenient)",
        "Pairwise F1 of (head, tail, type) after aligning the ends by overlap and label; "
        + _SPAN_POOLING,
        "relations",
    ),
    MetricInfo(
        "relation_f1_strict_given_endpoints",
        "Relation F1 (strict, given endpoints)",
        "Strict relation F1 over the relations whose two ends both annotators agree on",
        "relations",
    ),
    MetricInfo(
        "relation_f1_lenient_given_endpoints",
        "Relation F1 (lenient, given endpoints)",
        "Lenient relation F1 over the relations whose two ends both annotators agree on",
        "relations",
    ),
    MetricInfo(
        "token_cohen_kappa",
        "Token Cohen's κ",
        'Cohen\'s kappa over the label of every token ("O" when no span covers it); '
        "mean over pairs when more than two annotators",
        UNIT_ALL_TOKENS,
    ),
    MetricInfo(
        "token_cohen_kappa_labelled",
        "Token Cohen's κ (labelled tokens)",
        "Cohen's kappa over the tokens at least one annotator of the pair labelled; "
        "mean over pairs when more than two annotators",
        UNIT_LABELLED_TOKENS,
    ),
    MetricInfo(
        "token_fleiss_kappa",
        "Token Fleiss' κ",
        "Fleiss' kappa (multi-rater Scott's pi) over the label of every token",
        UNIT_ALL_TOKENS,
    ),
    MetricInfo(
        "token_fleiss_kappa_labelled",
        "Token Fleiss' κ (labelled tokens)",
        "Fleiss' kappa over the tokens at least one annotator labelled",
        UNIT_LABELLED_TOKENS,
    ),
    MetricInfo(
        "token_krippendorff_alpha",
        "Token Krippendorff's α",
        "Krippendorff's alpha (nominal) over the label of every token",
        UNIT_ALL_TOKENS,
    ),
    MetricInfo(
        "token_krippendorff_alpha_labelled",
        "Token Krippendorff's α (labelled tokens)",
        "Krippendorff's alpha (nominal) over the tokens at least one annotator labelled",
        UNIT_LABELLED_TOKENS,
    ),
    MetricInfo(
        "unitizing_alpha",
        "Unitizing α_U",
        "Krippendorff's unitizing alpha over the characters of the documents used (one "
        "continuum); per label that label's units against gaps, overall 1 - mean D_o / "
        "mean D_e over labels",
        "characters",
    ),
    MetricInfo(
        "token_category_kappa",
        "Token Fleiss' κ_j",
        "Fleiss' per-category kappa of the label over all tokens",
        UNIT_ALL_TOKENS,
    ),
    MetricInfo(
        "token_specific_agreement",
        "Token specific agreement",
        "Positive specific agreement of the label over all tokens: agreeing pairs of "
        "values with this label / all pairs of values with it",
        UNIT_ALL_TOKENS,
    ),
    MetricInfo(
        "attribute_alpha",
        "Attribute α",
        "Krippendorff's alpha (nominal) of the attribute's values over overlap-matched "
        "span pairs (same label) where both spans have the attribute; pairs of all "
        "annotator pairs pooled",
        "matched span pairs",
    ),
    MetricInfo(
        "disagreements",
        "Disagreements",
        "Boundary, label and missing-span disagreements, summed over annotator pairs",
        "disagreements",
    ),
)

METRIC_INFO: Mapping[str, MetricInfo] = MappingProxyType({m.key: m for m in _CATALOGUE})
"""Every metric key of a report with its name, definition and unit."""

OVERALL_METRICS: Final = (
    "span_f1_exact",
    "span_f1_overlap",
    "span_f1_partial",
    "span_f1_exact_unlabelled",
    "span_f1_overlap_unlabelled",
    "relation_f1_strict",
    "relation_f1_lenient",
    "relation_f1_strict_given_endpoints",
    "relation_f1_lenient_given_endpoints",
    "token_cohen_kappa",
    "token_cohen_kappa_labelled",
    "token_fleiss_kappa",
    "token_fleiss_kappa_labelled",
    "token_krippendorff_alpha",
    "token_krippendorff_alpha_labelled",
    "unitizing_alpha",
)
PAIR_METRICS: Final = (
    "span_f1_exact",
    "span_f1_overlap",
    "span_f1_partial",
    "relation_f1_strict",
    "relation_f1_lenient",
    "token_cohen_kappa",
    "token_cohen_kappa_labelled",
)
MATRIX_METRICS: Final = ("span_f1_exact", "span_f1_overlap", "token_cohen_kappa")
"""Pair metrics shown as annotator x annotator matrices (heatmaps)."""
LABEL_METRICS: Final = (
    "span_f1_exact",
    "span_f1_overlap",
    "span_f1_partial",
    "unitizing_alpha",
    "token_category_kappa",
    "token_specific_agreement",
)
RELATION_TYPE_METRICS: Final = ("relation_f1_strict", "relation_f1_lenient")

_SPAN_SCHEMES: Mapping[str, F1Scheme] = MappingProxyType(
    {
        "span_f1_exact": F1Scheme.EXACT,
        "span_f1_overlap": F1Scheme.OVERLAP,
        "span_f1_partial": F1Scheme.PARTIAL,
        "span_f1_exact_unlabelled": F1Scheme.EXACT_UNLABELLED,
        "span_f1_overlap_unlabelled": F1Scheme.OVERLAP_UNLABELLED,
    }
)
_RELATION_SCHEMES: Mapping[str, RelationScheme] = MappingProxyType(
    {
        "relation_f1_strict": RelationScheme.STRICT,
        "relation_f1_lenient": RelationScheme.LENIENT,
        "relation_f1_strict_given_endpoints": RelationScheme.STRICT_GIVEN_ENDPOINTS,
        "relation_f1_lenient_given_endpoints": RelationScheme.LENIENT_GIVEN_ENDPOINTS,
    }
)


# --------------------------------------------------------------------------- report records


@dataclass(frozen=True, slots=True)
class Metric:
    """One number of the report with everything needed to read it.

    ``value`` is None when undefined (``reason`` says why).  ``sd`` and ``pairs`` are set
    for means over annotator pairs.  ``items`` is how many units (of ``unit``) the value
    was computed from.  Chance-corrected coefficients give observed and expected
    *agreement*; unitizing alpha gives observed and expected *disagreement* instead.
    """

    key: str
    name: str
    definition: str
    unit: str
    value: float | None
    documents_used: int
    reason: str | None = None
    sd: float | None = None
    pairs: int | None = None
    items: int | None = None
    observed_agreement: float | None = None
    expected_agreement: float | None = None
    observed_disagreement: float | None = None
    expected_disagreement: float | None = None


class DocumentRule(enum.StrEnum):
    """Which documents a report uses."""

    DONE_BY_ALL = "done_by_all"
    STARTED_BY_ALL = "started_by_all"

    @property
    def description(self) -> str:
        """A phrase for "documents used: x of y (...)"."""
        if self is DocumentRule.DONE_BY_ALL:
            return "marked done by every compared annotator"
        return "started (in progress or done) by every compared annotator"


@dataclass(frozen=True, slots=True)
class DocumentSelection:
    """Documents used out of the candidates (the requested ones, else all)."""

    rule: DocumentRule
    used_ids: tuple[DocumentId, ...]
    candidates: int
    project_documents: int

    @property
    def used(self) -> int:
        """Number of documents used."""
        return len(self.used_ids)

    @property
    def summary(self) -> str:
        """``documents used: 6 of 8 (marked done by every compared annotator)``."""
        return f"documents used: {self.used} of {self.candidates} ({self.rule.description})"


@dataclass(frozen=True, slots=True)
class AgreementRequest:
    """What to compare; ``None`` means the default (see the module docstring).

    ``confusion_pair`` names the two annotators of the confusion matrix (default: the first
    pair).
    """

    annotators: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    documents: tuple[int, ...] | None = None
    include_unfinished: bool = False
    confusion_pair: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """The pair metrics (:data:`PAIR_METRICS`) of annotators ``a`` and ``b``."""

    a: str
    b: str
    metrics: Mapping[str, Metric]


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    """Per-label metrics (:data:`LABEL_METRICS`) and each annotator's span count."""

    label: str
    spans: Mapping[str, int]
    metrics: Mapping[str, Metric]


@dataclass(frozen=True, slots=True)
class RelationTypeAgreement:
    """Per-type relation F1 (:data:`RELATION_TYPE_METRICS`) and relation counts."""

    type: str
    symmetric: bool
    relations: Mapping[str, int]
    metrics: Mapping[str, Metric]


@dataclass(frozen=True, slots=True)
class AttributeResult:
    """Agreement on one span attribute (``metric`` has the key ``attribute_alpha``)."""

    name: str
    metric: Metric
    pairs_one_sided: int


@dataclass(frozen=True, slots=True)
class ConfusionTable:
    """Label confusion of two annotators over label-blind overlap-aligned spans.

    Rows are labels of ``a`` then ``empty`` (no aligned span), columns the same for ``b``;
    ``instances`` holds the span pairs of each non-empty cell for adjudication.
    """

    a: str
    b: str
    unit: str
    empty: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    instances: Mapping[tuple[str, str], tuple[SpanPair, ...]]
    documents_used: int

    @property
    def total(self) -> int:
        """Sum of all cells."""
        return sum(sum(row) for row in self.counts)


class DisagreementKind(enum.StrEnum):
    """How two annotators disagree on a span."""

    BOUNDARY = "boundary"
    LABEL = "label"
    MISSING_IN_A = "missing_in_a"
    MISSING_IN_B = "missing_in_b"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One disagreement of annotators a and b on a document.

    ``boundary``: same label, overlapping, different offsets.  ``label``: overlapping with
    different labels (``same_offsets`` tells whether the boundaries agree).
    ``missing_in_a``: only b has the span (``span_a`` is None); ``missing_in_b`` likewise.
    """

    document_id: DocumentId
    kind: DisagreementKind
    span_a: Span | None
    span_b: Span | None

    @property
    def start(self) -> int:
        """First character of either span."""
        return min(s.start for s in (self.span_a, self.span_b) if s is not None)

    @property
    def end(self) -> int:
        """End of the later-ending span."""
        return max(s.end for s in (self.span_a, self.span_b) if s is not None)

    @property
    def same_offsets(self) -> bool:
        """Both spans exist and have the same start and end."""
        a, b = self.span_a, self.span_b
        return a is not None and b is not None and (a.start, a.end) == (b.start, b.end)


@dataclass(frozen=True, slots=True)
class DocumentDisagreement:
    """How much the compared annotators disagree on one document (for triage)."""

    document_id: DocumentId
    title: str
    span_f1_overlap: float | None
    disagreements: int
    by_kind: Mapping[DisagreementKind, int]
    spans: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Everything ``spanlab agreement`` and the agreement dashboard show."""

    project: str
    created_at: datetime
    request: AgreementRequest
    annotators: tuple[str, ...]
    annotator_ids: Mapping[str, AnnotatorId]
    labels: tuple[str, ...]
    documents: DocumentSelection
    metrics: Mapping[str, Metric]
    pairs: tuple[PairAgreement, ...]
    per_label: tuple[LabelAgreement, ...]
    relation_types: tuple[RelationTypeAgreement, ...]
    attributes: tuple[AttributeResult, ...]
    confusion: ConfusionTable | None
    documents_by_disagreement: tuple[DocumentDisagreement, ...]
    spans_per_annotator: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    relations_per_annotator: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def pair(self, a: str, b: str) -> PairAgreement | None:
        """The pair of ``a`` and ``b`` in either order."""
        for pair in self.pairs:
            if {pair.a, pair.b} == {a, b} and a != b:
                return pair
        return None

    def matrix(self, key: str) -> tuple[tuple[float | None, ...], ...]:
        """Annotator x annotator values of a pair metric (symmetric; None on the diagonal)."""
        values = {(p.a, p.b): p.metrics[key].value for p in self.pairs if key in p.metrics}
        return tuple(
            tuple(
                None if a == b else values.get((a, b), values.get((b, a))) for b in self.annotators
            )
            for a in self.annotators
        )


# --------------------------------------------------------------------------- computation


@dataclass(slots=True)
class _Loaded:
    spans: list[Span]
    relations: list[Relation]
    tokens: dict[DocumentId, list[tuple[int, int]]]
    lengths: dict[DocumentId, int]


@dataclass(frozen=True, slots=True)
class _Selection:
    names: tuple[str, ...]
    ids: tuple[AnnotatorId, ...]
    labels: tuple[str, ...] | None
    known_labels: tuple[str, ...]
    documents: DocumentSelection
    titles: Mapping[DocumentId, str]
    confusion_pair: tuple[str, str] | None


def compute_agreement(
    project: Project,
    request: AgreementRequest | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> AgreementReport:
    """Compute the agreement report (see the module docstring for every rule).

    Raises :class:`AgreementSelectionError` for unknown annotators, labels or documents and
    for fewer than two annotators.  A selection without any usable document is *not* an
    error here: the report then says ``documents used: 0 of y`` and every value is
    undefined with a reason.
    """
    request = request or AgreementRequest()
    selection = _select(project, request)
    used = selection.documents.used_ids
    total_steps = len(used) + 1
    data = _load(project, selection, progress, total_steps)
    if progress is not None:
        progress(len(used), total_steps, "computing metrics")
    report = _build_report(project, request, selection, data)
    if progress is not None:
        progress(total_steps, total_steps, "done")
    return report


def _select(project: Project, request: AgreementRequest) -> _Selection:
    schema = project.schema()
    with project.read() as conn:
        everyone = repo.list_annotators(conn)
        summaries = repo.list_documents(conn)
        statuses = repo.list_statuses(conn)
        label_counts = repo.label_counts(conn)
        relation_counts = repo.relation_counts(conn)
        by_name = {a.name: a for a in everyone}
        names = _resolve_annotators(
            request.annotators, everyone, statuses, label_counts, relation_counts
        )
        ids = tuple(by_name[name].id for name in names)
        span_documents = {
            annotator_id: set(repo.span_counts(conn, annotator_id=annotator_id))
            for annotator_id in ids
        }
    used_labels = {label for _, label, _ in label_counts}
    known_labels = schema.label_names + tuple(sorted(used_labels - set(schema.label_names)))
    labels: tuple[str, ...] | None = None
    if request.labels is not None:
        labels = tuple(dict.fromkeys(request.labels))
        unknown = [label for label in labels if label not in known_labels]
        if unknown:
            raise AgreementSelectionError(
                f"unknown label(s): {', '.join(unknown)} (known: {', '.join(known_labels)})"
            )
        if not labels:
            raise AgreementSelectionError("no label selected")
    all_ids = [summary.id for summary in summaries]
    candidates = select_documents(all_ids, request.documents, error=AgreementSelectionError)
    rule = DocumentRule.STARTED_BY_ALL if request.include_unfinished else DocumentRule.DONE_BY_ALL
    state = {(s.annotator_id, s.document_id): s.status for s in statuses}
    used: list[DocumentId] = []
    for document in candidates:
        if all(_counts(rule, state.get((a, document)), document in span_documents[a]) for a in ids):
            used.append(document)
    confusion_pair = None
    if len(names) >= 2:
        confusion_pair = (names[0], names[1])
    if request.confusion_pair is not None:
        a, b = request.confusion_pair
        if a == b or a not in names or b not in names:
            raise AgreementSelectionError(
                f"the confusion pair must be two different compared annotators "
                f"({', '.join(names)}), got {a} and {b}"
            )
        confusion_pair = (a, b)
    return _Selection(
        names=names,
        ids=ids,
        labels=labels,
        known_labels=known_labels,
        documents=DocumentSelection(
            rule=rule,
            used_ids=tuple(used),
            candidates=len(candidates),
            project_documents=len(all_ids),
        ),
        titles=MappingProxyType({s.id: s.title for s in summaries}),
        confusion_pair=confusion_pair,
    )


def _counts(rule: DocumentRule, status: DocumentStatus | None, has_spans: bool) -> bool:
    if status is DocumentStatus.DONE:
        return True
    if rule is DocumentRule.DONE_BY_ALL:
        return False
    return status is DocumentStatus.IN_PROGRESS or has_spans


def _resolve_annotators(
    requested: Sequence[str] | None,
    everyone: Sequence[Annotator],
    statuses: Iterable[StatusRecord],
    label_counts: Iterable[tuple[str, str, int]],
    relation_counts: Iterable[tuple[str, str, int]],
) -> tuple[str, ...]:
    known = [a.name for a in everyone]
    if requested is not None:
        names = tuple(dict.fromkeys(requested))
        unknown = [name for name in names if name not in known]
        if unknown:
            raise AgreementSelectionError(
                f"unknown annotator(s): {', '.join(unknown)} (known: {', '.join(known) or 'none'})"
            )
    else:
        active = {name for name, _, count in label_counts if count}
        active |= {name for name, _, count in relation_counts if count}
        ids_with_status = {s.annotator_id for s in statuses if s.status is not DocumentStatus.NEW}
        active |= {a.name for a in everyone if a.id in ids_with_status}
        names = tuple(a.name for a in everyone if a.name in active and not a.is_gold)
    if len(names) < 2:
        got = ", ".join(names) if names else "none"
        raise AgreementSelectionError(
            f"agreement needs at least two annotators, got {got} "
            f"(known: {', '.join(known) or 'none'})"
        )
    return names


def _load(
    project: Project,
    selection: _Selection,
    progress: ProgressCallback | None,
    total_steps: int,
) -> _Loaded:
    """Spans, relations, token boundaries and lengths of the used documents, one at a time."""
    wanted = set(selection.ids)
    labels = None if selection.labels is None else set(selection.labels)
    data = _Loaded(spans=[], relations=[], tokens={}, lengths={})
    with project.read() as conn:
        for done, document_id in enumerate(selection.documents.used_ids):
            if progress is not None:
                progress(done, total_steps, selection.titles.get(document_id, str(document_id)))
            text = repo.get_document(conn, document_id).text
            data.lengths[document_id] = len(text)
            data.tokens[document_id] = [(token.start, token.end) for token in tokenize(text)]
            kept: set[int] = set()
            for span in repo.list_spans(conn, document_id=document_id):
                if span.annotator_id in wanted and (labels is None or span.label in labels):
                    data.spans.append(span)
                    kept.add(span.id)
            for relation in repo.list_relations(conn, document_id=document_id):
                if (
                    relation.annotator_id in wanted
                    and relation.head_id in kept
                    and relation.tail_id in kept
                ):
                    data.relations.append(relation)
    return data


def _build_report(
    project: Project,
    request: AgreementRequest,
    selection: _Selection,
    data: _Loaded,
) -> AgreementReport:
    schema = project.schema()
    ids = selection.ids
    names = dict(zip(ids, selection.names, strict=True))
    used = selection.documents.used_ids
    n_docs = len(used)
    symmetric = frozenset(r.name for r in schema.relations if r.symmetric)

    spans_report = span_f1(data.spans, annotators=ids, documents=used)
    relations_report = relation_f1(
        data.spans, data.relations, symmetric_types=symmetric, annotators=ids, documents=used
    )
    outside = OUTSIDE if OUTSIDE not in selection.known_labels else "(no label)"
    table = token_label_table(data.spans, data.tokens, annotators=ids, outside_label=outside)
    alpha_u = unitizing_alpha(data.spans, data.lengths, annotators=ids, labels=selection.labels)
    attributes_report = attribute_agreement(data.spans, annotators=ids, documents=used)

    if selection.labels is not None:
        labels = selection.labels
    else:
        present = {span.label for span in data.spans}
        labels = tuple(label for label in selection.known_labels if label in present)

    span_counts = _annotator_counts(spans_report, names, lambda pair: pair.overall[F1Scheme.EXACT])
    relation_counts = _annotator_counts(
        relations_report, names, lambda pair: pair.overall[RelationScheme.STRICT]
    )

    token_pairs = _token_pair_coefficients(table)
    all_tokens = table.rows
    labelled_tokens = table.labelled_rows()
    fleiss_all = fleiss_kappa(all_tokens, unit=UNIT_ALL_TOKENS)
    fleiss_labelled = fleiss_kappa(labelled_tokens, unit=UNIT_LABELLED_TOKENS)
    alpha_all = krippendorff_alpha_nominal(all_tokens, unit=UNIT_ALL_TOKENS)
    alpha_labelled = krippendorff_alpha_nominal(labelled_tokens, unit=UNIT_LABELLED_TOKENS)

    metrics: dict[str, Metric] = {}
    total_spans = sum(span_counts.values())
    for key, scheme in _SPAN_SCHEMES.items():
        metrics[key] = _from_mean(key, spans_report.overall[scheme], n_docs, items=total_spans)
    total_relations = sum(relation_counts.values())
    for key, rscheme in _RELATION_SCHEMES.items():
        metrics[key] = _from_mean(
            key, relations_report.overall[rscheme], n_docs, items=total_relations
        )
    for key, index in (("token_cohen_kappa", 0), ("token_cohen_kappa_labelled", 1)):
        metrics[key] = _mean_of_coefficients(
            key, [pair[index] for pair in token_pairs.values()], n_docs
        )
    metrics["token_fleiss_kappa"] = _from_coefficient("token_fleiss_kappa", fleiss_all, n_docs)
    metrics["token_fleiss_kappa_labelled"] = _from_coefficient(
        "token_fleiss_kappa_labelled", fleiss_labelled, n_docs
    )
    metrics["token_krippendorff_alpha"] = _from_coefficient(
        "token_krippendorff_alpha", alpha_all, n_docs
    )
    metrics["token_krippendorff_alpha_labelled"] = _from_coefficient(
        "token_krippendorff_alpha_labelled", alpha_labelled, n_docs
    )
    metrics["unitizing_alpha"] = _from_unitizing(
        alpha_u, n_docs, characters=alpha_u.continuum_length
    )
    if n_docs == 0:
        metrics = {key: _no_documents(metric) for key, metric in metrics.items()}

    pairs = _pairs(spans_report, relations_report, token_pairs, names, n_docs)
    per_label = _per_label(
        labels, spans_report, alpha_u, fleiss_all, alpha_all, names, span_counts, n_docs
    )
    relation_types = _relation_types(relations_report, symmetric, names, n_docs, schema.relations)
    attributes = _attributes(attributes_report, n_docs)
    confusion = _confusion(data.spans, selection, used)
    by_document = _documents_by_disagreement(spans_report, data.spans, selection, names)

    return AgreementReport(
        project=project.name,
        created_at=datetime.now(UTC),
        request=request,
        annotators=selection.names,
        annotator_ids=MappingProxyType(dict(zip(selection.names, ids, strict=True))),
        labels=labels,
        documents=selection.documents,
        metrics=MappingProxyType(metrics),
        pairs=pairs,
        per_label=per_label,
        relation_types=relation_types,
        attributes=attributes,
        confusion=confusion,
        documents_by_disagreement=by_document,
        spans_per_annotator=MappingProxyType(span_counts),
        relations_per_annotator=MappingProxyType(relation_counts),
    )


def _info(key: str) -> MetricInfo:
    return METRIC_INFO[key]


def _metric(key: str, value: float | None, documents: int, **extra: Any) -> Metric:
    info = _info(key)
    unit = extra.pop("unit", info.unit)
    return Metric(
        key=key,
        name=info.name,
        definition=info.definition,
        unit=unit,
        value=value,
        documents_used=documents,
        **extra,
    )


def _no_documents(metric: Metric) -> Metric:
    return Metric(
        key=metric.key,
        name=metric.name,
        definition=metric.definition,
        unit=metric.unit,
        value=None,
        documents_used=0,
        reason="no document to compare",
    )


def _from_mean(key: str, mean: PairMean, documents: int, *, items: int | None) -> Metric:
    return _metric(
        key, mean.value, documents, reason=mean.reason, sd=mean.sd, pairs=mean.pairs, items=items
    )


def _from_score(key: str, score: F1Score, documents: int) -> Metric:
    return _metric(
        key, score.value, documents, reason=score.reason, items=score.count_a + score.count_b
    )


def _from_coefficient(key: str, coefficient: AgreementCoefficient, documents: int) -> Metric:
    return _metric(
        key,
        coefficient.value,
        documents,
        reason=coefficient.reason,
        items=coefficient.items,
        observed_agreement=coefficient.observed_agreement,
        expected_agreement=coefficient.expected_agreement,
    )


def _mean_of_coefficients(
    key: str, coefficients: Sequence[AgreementCoefficient], documents: int
) -> Metric:
    if len(coefficients) == 1:
        metric = _from_coefficient(key, coefficients[0], documents)
        return replace(metric, pairs=1 if metric.value is not None else 0)
    values = [c.value for c in coefficients if c.value is not None]
    mean = math.fsum(values) / len(values) if values else None
    sd = None
    if len(values) >= 2 and mean is not None:
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
    reason = None
    if not values:
        reasons = sorted({c.reason for c in coefficients if c.reason})
        reason = "undefined for every pair" + (f": {'; '.join(reasons)}" if reasons else "")
    return _metric(
        key,
        mean,
        documents,
        reason=reason,
        sd=sd,
        pairs=len(values),
        items=max((c.items for c in coefficients), default=0),
    )


def _from_unitizing(
    alpha: UnitizingAlpha | UnitizingCategory, documents: int, *, characters: int
) -> Metric:
    return _metric(
        "unitizing_alpha",
        alpha.value,
        documents,
        reason=alpha.reason,
        items=characters,
        observed_disagreement=alpha.observed_disagreement,
        expected_disagreement=alpha.expected_disagreement,
    )


def _annotator_counts(
    report: SpanF1Report | RelationF1Report,
    names: Mapping[AnnotatorId, str],
    score_of: Callable[[Any], F1Score],
) -> dict[str, int]:
    """Each annotator's (duplicate-free) count in the used documents, read off the pairs."""
    counts: dict[str, int] = {}
    for pair in report.pairs:
        score = score_of(pair)
        counts.setdefault(names[pair.annotator_a], score.count_a)
        counts.setdefault(names[pair.annotator_b], score.count_b)
    return {name: counts.get(name, 0) for name in names.values()}


def _token_pair_coefficients(
    table: TokenTable,
) -> dict[tuple[AnnotatorId, AnnotatorId], tuple[AgreementCoefficient, AgreementCoefficient]]:
    """Cohen's kappa of every pair over all tokens and over the pair's labelled tokens."""
    outside = table.outside_label
    raters = table.annotators
    patterns = Counter(table.rows)  # few distinct rows: project those, not every token
    result: dict[
        tuple[AnnotatorId, AnnotatorId], tuple[AgreementCoefficient, AgreementCoefficient]
    ] = {}
    for i in range(len(raters)):
        for j in range(i + 1, len(raters)):
            projected: Counter[tuple[str | None, str | None]] = Counter()
            for pattern, count in patterns.items():
                projected[(pattern[i], pattern[j])] += count
            labelled_counts = {
                cell: count
                for cell, count in projected.items()
                if any(v is not None and v != outside for v in cell)
            }
            rows: Table = _expand(projected)
            labelled: Table = _expand(labelled_counts)
            result[(raters[i], raters[j])] = (
                cohen_kappa(rows, unit=UNIT_ALL_TOKENS),
                cohen_kappa(labelled, unit=UNIT_LABELLED_TOKENS),
            )
    return result


def _expand(counts: Mapping[tuple[str | None, str | None], int]) -> list[tuple[str | None, ...]]:
    """Rows repeated by their counts (row order does not matter to the coefficients)."""
    return list(chain.from_iterable(repeat(row, count) for row, count in counts.items()))


def _pairs(
    spans_report: SpanF1Report,
    relations_report: RelationF1Report,
    token_pairs: Mapping[
        tuple[AnnotatorId, AnnotatorId], tuple[AgreementCoefficient, AgreementCoefficient]
    ],
    names: Mapping[AnnotatorId, str],
    documents: int,
) -> tuple[PairAgreement, ...]:
    relation_pairs = {(p.annotator_a, p.annotator_b): p for p in relations_report.pairs}
    result: list[PairAgreement] = []
    for pair in spans_report.pairs:
        key = (pair.annotator_a, pair.annotator_b)
        metrics: dict[str, Metric] = {}
        for metric_key in ("span_f1_exact", "span_f1_overlap", "span_f1_partial"):
            metrics[metric_key] = _from_score(
                metric_key, pair.overall[_SPAN_SCHEMES[metric_key]], documents
            )
        relation_pair = relation_pairs[key]
        for metric_key in ("relation_f1_strict", "relation_f1_lenient"):
            metrics[metric_key] = _from_score(
                metric_key, relation_pair.overall[_RELATION_SCHEMES[metric_key]], documents
            )
        all_tokens, labelled = token_pairs[key]
        metrics["token_cohen_kappa"] = _from_coefficient("token_cohen_kappa", all_tokens, documents)
        metrics["token_cohen_kappa_labelled"] = _from_coefficient(
            "token_cohen_kappa_labelled", labelled, documents
        )
        if documents == 0:
            metrics = {k: _no_documents(m) for k, m in metrics.items()}
        result.append(
            PairAgreement(
                a=names[pair.annotator_a],
                b=names[pair.annotator_b],
                metrics=MappingProxyType(metrics),
            )
        )
    return tuple(result)


def _per_label(
    labels: Sequence[str],
    spans_report: SpanF1Report,
    alpha_u: UnitizingAlpha,
    fleiss_all: AgreementCoefficient,
    alpha_all: AgreementCoefficient,
    names: Mapping[AnnotatorId, str],
    span_counts: Mapping[str, int],
    documents: int,
) -> tuple[LabelAgreement, ...]:
    result: list[LabelAgreement] = []
    for label in labels:
        metrics: dict[str, Metric] = {}
        counts: dict[str, int] = dict.fromkeys(span_counts, 0)
        means = spans_report.per_label.get(label)
        for pair in spans_report.pairs:
            per_pair = pair.per_label.get(label)
            if per_pair is not None:
                score = per_pair[F1Scheme.EXACT]
                counts[names[pair.annotator_a]] = score.count_a
                counts[names[pair.annotator_b]] = score.count_b
        for key in ("span_f1_exact", "span_f1_overlap", "span_f1_partial"):
            if means is None:
                metrics[key] = _metric(
                    key, None, documents, reason="no span with this label in the documents used"
                )
            else:
                metrics[key] = _from_mean(
                    key, means[_SPAN_SCHEMES[key]], documents, items=sum(counts.values())
                )
        category = alpha_u.per_label.get(label)
        if category is None:
            metrics["unitizing_alpha"] = _metric(
                "unitizing_alpha",
                None,
                documents,
                reason=alpha_u.reason or "no unit with this label",
            )
        else:
            metrics["unitizing_alpha"] = _from_unitizing(
                category, documents, characters=alpha_u.continuum_length
            )
        kappa_j = fleiss_all.category_kappa.get(label)
        metrics["token_category_kappa"] = _metric(
            "token_category_kappa",
            kappa_j,
            documents,
            reason=None
            if kappa_j is not None
            else (fleiss_all.reason or "no token has this label, or every token has it"),
        )
        specific = alpha_all.specific_agreement.get(label)
        metrics["token_specific_agreement"] = _metric(
            "token_specific_agreement",
            specific,
            documents,
            reason=None if specific is not None else "no pairable token has this label",
        )
        if documents == 0:
            metrics = {k: _no_documents(m) for k, m in metrics.items()}
        result.append(
            LabelAgreement(
                label=label, spans=MappingProxyType(counts), metrics=MappingProxyType(metrics)
            )
        )
    return tuple(result)


def _relation_types(
    report: RelationF1Report,
    symmetric: frozenset[str],
    names: Mapping[AnnotatorId, str],
    documents: int,
    declared: Sequence[RelationSpec],
) -> tuple[RelationTypeAgreement, ...]:
    order = {spec.name: index for index, spec in enumerate(declared)}
    kinds = sorted(report.per_type, key=lambda k: (order.get(k, len(order)), k))
    result: list[RelationTypeAgreement] = []
    for kind in kinds:
        counts: dict[str, int] = dict.fromkeys(names.values(), 0)
        for pair in report.pairs:
            score = pair.per_type[kind][RelationScheme.STRICT]
            counts[names[pair.annotator_a]] = score.count_a
            counts[names[pair.annotator_b]] = score.count_b
        metrics = {
            key: _from_mean(
                key,
                report.per_type[kind][_RELATION_SCHEMES[key]],
                documents,
                items=sum(counts.values()),
            )
            for key in RELATION_TYPE_METRICS
        }
        result.append(
            RelationTypeAgreement(
                type=kind,
                symmetric=kind in symmetric,
                relations=MappingProxyType(counts),
                metrics=MappingProxyType(metrics),
            )
        )
    return tuple(result)


def _attributes(report: AttributeReport, documents: int) -> tuple[AttributeResult, ...]:
    result: list[AttributeResult] = []
    for name, agreement in report.attributes.items():
        metric = _metric(
            "attribute_alpha",
            agreement.value,
            documents,
            reason=agreement.reason,
            items=agreement.pairs,
            observed_agreement=agreement.observed_agreement,
            expected_agreement=agreement.expected_agreement,
        )
        result.append(
            AttributeResult(name=name, metric=metric, pairs_one_sided=agreement.pairs_one_sided)
        )
    return tuple(result)


def _confusion(
    spans: Sequence[Span], selection: _Selection, used: Sequence[DocumentId]
) -> ConfusionTable | None:
    if selection.confusion_pair is None:
        return None
    ids = dict(zip(selection.names, selection.ids, strict=True))
    a, b = selection.confusion_pair
    matrix = span_confusion_matrix(spans, ids[a], ids[b], documents=used)
    return ConfusionTable(
        a=a,
        b=b,
        unit=matrix.unit,
        empty=matrix.empty,
        rows=matrix.rows,
        columns=matrix.columns,
        counts=matrix.table(),
        instances=matrix.instances,
        documents_used=matrix.documents,
    )


def _documents_by_disagreement(
    spans_report: SpanF1Report,
    spans: Sequence[Span],
    selection: _Selection,
    names: Mapping[AnnotatorId, str],
) -> tuple[DocumentDisagreement, ...]:
    grouped: dict[tuple[AnnotatorId, DocumentId], list[Span]] = {}
    for span in spans:
        grouped.setdefault((span.annotator_id, span.document_id), []).append(span)
    f1_by_document: dict[DocumentId, list[float]] = {}
    for pair in spans_report.pairs:
        for scored in pair.per_document:
            value = scored.scores[F1Scheme.OVERLAP].value
            if value is not None:
                f1_by_document.setdefault(scored.document_id, []).append(value)
    rows: list[DocumentDisagreement] = []
    ids = selection.ids
    for document in selection.documents.used_ids:
        kinds: dict[DisagreementKind, int] = dict.fromkeys(DisagreementKind, 0)
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                for item in _document_disagreements(
                    document,
                    grouped.get((ids[i], document), []),
                    grouped.get((ids[j], document), []),
                ):
                    kinds[item.kind] += 1
        values = f1_by_document.get(document)
        counts = {
            names[a]: len({(s.start, s.end, s.label) for s in grouped.get((a, document), [])})
            for a in ids
        }
        rows.append(
            DocumentDisagreement(
                document_id=document,
                title=selection.titles.get(document, ""),
                span_f1_overlap=math.fsum(values) / len(values) if values else None,
                disagreements=sum(kinds.values()),
                by_kind=MappingProxyType(kinds),
                spans=MappingProxyType(counts),
            )
        )
    rows.sort(
        key=lambda row: (
            row.span_f1_overlap is None,
            row.span_f1_overlap if row.span_f1_overlap is not None else 1.0,
            -row.disagreements,
            row.document_id,
        )
    )
    return tuple(rows)


def _document_disagreements(
    document: DocumentId, spans_a: Sequence[Span], spans_b: Sequence[Span]
) -> list[Disagreement]:
    """Disagreements of one pair on one document (see the module docstring)."""
    result: list[Disagreement] = []
    agreed = align_spans(spans_a, spans_b, mode=MatchMode.EXACT, labelled=True)
    boundary = align_spans(
        agreed.unmatched_a, agreed.unmatched_b, mode=MatchMode.OVERLAP, labelled=True
    )
    result.extend(
        Disagreement(document, DisagreementKind.BOUNDARY, m.a, m.b) for m in boundary.matches
    )
    label = align_spans(
        boundary.unmatched_a, boundary.unmatched_b, mode=MatchMode.OVERLAP, labelled=False
    )
    result.extend(Disagreement(document, DisagreementKind.LABEL, m.a, m.b) for m in label.matches)
    result.extend(
        Disagreement(document, DisagreementKind.MISSING_IN_B, span, None)
        for span in label.unmatched_a
    )
    result.extend(
        Disagreement(document, DisagreementKind.MISSING_IN_A, None, span)
        for span in label.unmatched_b
    )
    result.sort(key=lambda d: (d.start, d.end, d.kind.value))
    return result


def disagreements(
    project: Project,
    document_id: int,
    annotator_a: str,
    annotator_b: str,
    *,
    labels: Collection[str] | None = None,
) -> list[Disagreement]:
    """Disagreements of two annotators (by name) on one document, in text order.

    ``labels`` restricts the spans compared (as a report's label selection does).  Raises
    :class:`AgreementSelectionError` for unknown or identical annotators.
    """
    with project.read() as conn:
        known = {a.name: a.id for a in repo.list_annotators(conn)}
        unknown = [name for name in (annotator_a, annotator_b) if name not in known]
        if unknown:
            raise AgreementSelectionError(
                f"unknown annotator(s): {', '.join(unknown)} (known: {', '.join(known)})"
            )
        if annotator_a == annotator_b:
            raise AgreementSelectionError("compare two different annotators")
        repo.get_document(conn, document_id)  # NotFoundError for an unknown document
        spans = repo.list_spans(conn, document_id=document_id)
    wanted = None if labels is None else set(labels)
    spans = [s for s in spans if wanted is None or s.label in wanted]
    first, second = known[annotator_a], known[annotator_b]
    return _document_disagreements(
        DocumentId(document_id),
        [s for s in spans if s.annotator_id == first],
        [s for s in spans if s.annotator_id == second],
    )


# --------------------------------------------------------------------------- pace over time


@dataclass(frozen=True, slots=True)
class AnnotationPace:
    """Documents finished per day (UTC) and annotator, from status ``finished_at``.

    ``days`` runs from the first to the last day with a finished document, gaps included;
    ``finished[name][i]`` is the number of documents ``name`` finished on ``days[i]``.
    Only documents currently marked done have a finishing time.
    """

    annotators: tuple[str, ...]
    days: tuple[date, ...]
    finished: Mapping[str, tuple[int, ...]]

    def total(self, name: str) -> int:
        """Documents one annotator finished over the whole period."""
        return sum(self.finished.get(name, ()))


def pace_from_statuses(
    statuses: Iterable[StatusRecord], names: Mapping[AnnotatorId, str]
) -> AnnotationPace:
    """:class:`AnnotationPace` of the annotators in ``names`` (in that order)."""
    per_day: dict[str, dict[date, int]] = {name: {} for name in names.values()}
    for record in statuses:
        name = names.get(record.annotator_id)
        if name is None or record.status is not DocumentStatus.DONE or not record.finished_at:
            continue
        stamp = record.finished_at
        day = (stamp.astimezone(UTC) if stamp.tzinfo else stamp).date()
        per_day[name][day] = per_day[name].get(day, 0) + 1
    seen = [day for counts in per_day.values() for day in counts]
    days: list[date] = []
    if seen:
        first, last = min(seen), max(seen)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return AnnotationPace(
        annotators=tuple(names.values()),
        days=tuple(days),
        finished=MappingProxyType(
            {name: tuple(counts.get(day, 0) for day in days) for name, counts in per_day.items()}
        ),
    )


def annotation_pace(project: Project, annotators: Sequence[str] | None = None) -> AnnotationPace:
    """Documents finished per day for ``annotators`` (default: every non-gold annotator)."""
    with project.read() as conn:
        everyone = repo.list_annotators(conn)
        statuses = repo.list_statuses(conn)
    if annotators is None:
        names = {a.id: a.name for a in everyone if not a.is_gold}
    else:
        by_name = {a.name: a.id for a in everyone}
        names = {by_name[name]: name for name in annotators if name in by_name}
    return pace_from_statuses(statuses, names)


# --------------------------------------------------------------------------- exports


def format_value(value: float | None, digits: int = 3, *, significant: bool = False) -> str:
    """A value for display: ``digits`` decimals (or significant digits), or an em dash."""
    if value is None:
        return "—"
    if significant:
        return f"{value:.{digits}g}"
    return f"{value:.{digits}f}"


def metric_to_json(metric: Metric) -> dict[str, Any]:
    """One metric as a JSON object (see ``docs/agreement-json.md``)."""
    return {
        "key": metric.key,
        "name": metric.name,
        "definition": metric.definition,
        "value": metric.value,
        "unit": metric.unit,
        "documents_used": metric.documents_used,
        "reason": metric.reason,
        "sd": metric.sd,
        "pairs": metric.pairs,
        "items": metric.items,
        "observed_agreement": metric.observed_agreement,
        "expected_agreement": metric.expected_agreement,
        "observed_disagreement": metric.observed_disagreement,
        "expected_disagreement": metric.expected_disagreement,
    }


def _metrics_json(metrics: Mapping[str, Metric]) -> dict[str, Any]:
    return {key: metric_to_json(metric) for key, metric in metrics.items()}


def to_json(report: AgreementReport) -> dict[str, Any]:
    """The report as JSON-ready data (layout documented in ``docs/agreement-json.md``)."""
    request = report.request
    selection = report.documents
    confusion = report.confusion
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "spanlab_version": __version__,
        "project": report.project,
        "created_at": report.created_at.isoformat(timespec="seconds"),
        "request": {
            "annotators": None if request.annotators is None else list(request.annotators),
            "labels": None if request.labels is None else list(request.labels),
            "documents": None if request.documents is None else list(request.documents),
            "include_unfinished": request.include_unfinished,
            "confusion_pair": None
            if request.confusion_pair is None
            else list(request.confusion_pair),
        },
        "annotators": list(report.annotators),
        "labels": list(report.labels),
        "documents": {
            "used": selection.used,
            "total": selection.candidates,
            "project_documents": selection.project_documents,
            "rule": selection.rule.value,
            "description": selection.rule.description,
            "summary": selection.summary,
            "ids": [int(d) for d in selection.used_ids],
        },
        "counts": {
            "spans": dict(report.spans_per_annotator),
            "relations": dict(report.relations_per_annotator),
        },
        "metrics": _metrics_json(report.metrics),
        "pairs": [
            {"a": pair.a, "b": pair.b, "metrics": _metrics_json(pair.metrics)}
            for pair in report.pairs
        ],
        "matrices": {
            key: {
                "annotators": list(report.annotators),
                "unit": METRIC_INFO[key].unit,
                "values": [list(row) for row in report.matrix(key)],
            }
            for key in MATRIX_METRICS
        },
        "per_label": [
            {"label": row.label, "spans": dict(row.spans), "metrics": _metrics_json(row.metrics)}
            for row in report.per_label
        ],
        "relation_types": [
            {
                "type": row.type,
                "symmetric": row.symmetric,
                "relations": dict(row.relations),
                "metrics": _metrics_json(row.metrics),
            }
            for row in report.relation_types
        ],
        "attributes": [
            {
                "name": row.name,
                "pairs_one_sided": row.pairs_one_sided,
                "metric": metric_to_json(row.metric),
            }
            for row in report.attributes
        ],
        "confusion": None
        if confusion is None
        else {
            "a": confusion.a,
            "b": confusion.b,
            "unit": confusion.unit,
            "empty": confusion.empty,
            "rows": list(confusion.rows),
            "columns": list(confusion.columns),
            "counts": [list(row) for row in confusion.counts],
            "documents_used": confusion.documents_used,
        },
        "documents_by_disagreement": [
            {
                "id": int(row.document_id),
                "title": row.title,
                "span_f1_overlap": row.span_f1_overlap,
                "disagreements": row.disagreements,
                "by_kind": {kind.value: count for kind, count in row.by_kind.items()},
                "spans": dict(row.spans),
            }
            for row in report.documents_by_disagreement
        ],
    }


CSV_COLUMNS: Final = (
    "metric",
    "scope",
    "a",
    "b",
    "label",
    "value",
    "unit",
    "documents_used",
    "document",
    "sd",
    "reason",
)
"""Columns of :func:`to_csv` (long format: one number per row)."""


def _number(value: float | None, *, count: bool = False) -> str:
    if value is None:
        return ""
    return str(round(value)) if count else repr(value)


def to_csv(report: AgreementReport) -> str:
    """The report in long format, one number per row (columns :data:`CSV_COLUMNS`).

    ``scope`` is ``overall``, ``pair`` (a, b set), ``label`` (label set),
    ``relation_type`` (label holds the type), ``attribute`` (label holds the attribute
    name) or ``document`` (document holds the id).  Undefined values are empty cells with
    the reason in ``reason``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(
        metric: Metric, scope: str, *, a: str = "", b: str = "", label: str = "", doc: str = ""
    ) -> None:
        writer.writerow(
            (
                metric.key,
                scope,
                a,
                b,
                label,
                _number(metric.value, count=metric.key == "disagreements"),
                metric.unit,
                metric.documents_used,
                doc,
                _number(metric.sd),
                metric.reason or "",
            )
        )

    for metric in report.metrics.values():
        row(metric, "overall")
    for pair in report.pairs:
        for metric in pair.metrics.values():
            row(metric, "pair", a=pair.a, b=pair.b)
    for label_row in report.per_label:
        for metric in label_row.metrics.values():
            row(metric, "label", label=label_row.label)
    for type_row in report.relation_types:
        for metric in type_row.metrics.values():
            row(metric, "relation_type", label=type_row.type)
    for attribute in report.attributes:
        row(attribute.metric, "attribute", label=attribute.name)
    for document in report.documents_by_disagreement:
        for metric in document_metrics(document):
            row(metric, "document", doc=str(document.document_id))
    return buffer.getvalue()


def document_metrics(document: DocumentDisagreement) -> tuple[Metric, Metric]:
    """The document's overlap F1 (mean over pairs) and disagreement count as metrics."""
    f1 = _metric(
        "span_f1_overlap",
        document.span_f1_overlap,
        1,
        reason=None if document.span_f1_overlap is not None else "no span in this document",
    )
    count = _metric("disagreements", float(document.disagreements), 1)
    return replace(f1, definition="Mean over pairs of the document's overlap span F1"), count


def to_html(
    report: AgreementReport,
    *,
    stats: ProjectStats | None = None,
    pace: AnnotationPace | None = None,
) -> str:
    """A standalone HTML report (see :mod:`spanlab.core.agreement_html`)."""
    from spanlab.core.agreement_html import render_html  # the HTML module imports this one

    return render_html(report, stats=stats, pace=pace)


__all__ = [
    "CSV_COLUMNS",
    "JSON_FORMAT",
    "JSON_VERSION",
    "LABEL_METRICS",
    "MATRIX_METRICS",
    "METRIC_INFO",
    "NO_ANNOTATION",
    "OVERALL_METRICS",
    "PAIR_METRICS",
    "RELATION_TYPE_METRICS",
    "AgreementReport",
    "AgreementRequest",
    "AgreementSelectionError",
    "AnnotationPace",
    "AttributeResult",
    "ConfusionTable",
    "Disagreement",
    "DisagreementKind",
    "DocumentDisagreement",
    "DocumentRule",
    "DocumentSelection",
    "LabelAgreement",
    "Metric",
    "MetricInfo",
    "PairAgreement",
    "ProgressCallback",
    "RelationTypeAgreement",
    "annotation_pace",
    "compute_agreement",
    "disagreements",
    "document_metrics",
    "format_value",
    "metric_to_json",
    "pace_from_statuses",
    "to_csv",
    "to_html",
    "to_json",
]
