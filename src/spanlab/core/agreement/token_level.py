"""Token-level agreement: spans turned into one label per token and annotator.

The caller tokenizes: ``tokens`` maps each document to its token boundaries
``[(start, end), ...]`` in code points (half-open, non-overlapping; zero-length tokens are
ignored).  Only documents present in ``tokens`` are used.

Rules (agreement.md 2.1):

* A token is covered by a span when they share at least one character.
* When several spans of one annotator cover a token, the **longest** span wins (ties: the
  earlier start, then the label in alphabetical order, then the lower id); such tokens are
  counted in ``conflicting_tokens`` when the candidates' labels differ.
* A token covered by no span gets ``outside_label`` (``"O"``).
* ``Tagging.TYPES`` uses the label itself; ``Tagging.BIO`` uses ``B-label`` on the first
  token a span wins and ``I-label`` on the following ones.

Every coefficient is reported twice: over all tokens (unit ``"tokens"``) and over the
tokens at least one annotator labelled (unit ``"tokens (excluding tokens nobody
labelled)"``): including 'O' tokens inflates agreement, excluding them deflates it.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from types import MappingProxyType
from typing import Final

from spanlab.core.agreement._common import (
    CompletedDocuments,
    index_spans,
    resolve_annotators,
)
from spanlab.core.agreement.coefficients import (
    AgreementCoefficient,
    Table,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
)
from spanlab.core.agreement.confusion import ConfusionMatrix, empty_instances
from spanlab.core.model import AnnotatorId, DocumentId, Span

OUTSIDE: Final = "O"
"""Default tag of a token no span covers."""

UNIT_ALL_TOKENS: Final = "tokens"
UNIT_LABELLED_TOKENS: Final = "tokens (excluding tokens nobody labelled)"

Tokens = Mapping[DocumentId, Sequence[tuple[int, int]]]
"""Token boundaries per document, produced by the caller's tokenizer."""


class Tagging(enum.StrEnum):
    """What a token's category is."""

    TYPES = "types"
    BIO = "bio"


@dataclass(frozen=True, slots=True)
class TokenTable:
    """Token x annotator categories; ``None`` = the annotator did not finish the document."""

    annotators: tuple[AnnotatorId, ...]
    tagging: Tagging
    outside_label: str
    documents: tuple[DocumentId, ...]
    documents_total: int
    positions: tuple[tuple[DocumentId, int, int], ...]
    rows: tuple[tuple[str | None, ...], ...]
    conflicting_tokens: int

    def labelled_rows(self) -> list[tuple[str | None, ...]]:
        """Rows of the tokens that at least one annotator labelled."""
        outside = self.outside_label
        keep = {row: any(v is not None and v != outside for v in row) for row in set(self.rows)}
        return [row for row in self.rows if keep[row]]


@dataclass(frozen=True, slots=True)
class TokenAgreement:
    """A token-level coefficient over all tokens and over labelled tokens only."""

    coefficient: str
    tagging: Tagging
    annotators: tuple[AnnotatorId, ...]
    documents_used: int
    documents_total: int
    tokens: int
    conflicting_tokens: int
    all_tokens: AgreementCoefficient
    labelled_tokens: AgreementCoefficient


def token_label_table(
    spans: Iterable[Span],
    tokens: Tokens,
    *,
    annotators: Sequence[AnnotatorId] | None = None,
    completed: CompletedDocuments | None = None,
    minimum_annotators: int | None = None,
    tagging: Tagging = Tagging.TYPES,
    outside_label: str = OUTSIDE,
) -> TokenTable:
    """Build the token x annotator table.

    A document is used when at least ``minimum_annotators`` of the annotators finished it
    (default: all of them); without ``completed`` every annotator finished every document.
    Cells of annotators who did not finish a used document are ``None``.
    """
    span_list = list(spans)
    raters = resolve_annotators(span_list, annotators)
    needed = len(raters) if minimum_annotators is None else minimum_annotators
    used: list[DocumentId] = []
    finishers: dict[DocumentId, list[bool]] = {}
    done_sets = None if completed is None else {a: set(completed.get(a, ())) for a in raters}
    for document in sorted(tokens):
        flags = [done_sets is None or document in done_sets[a] for a in raters]
        if sum(flags) >= max(needed, 1):
            used.append(document)
            finishers[document] = flags
    index, _ = index_spans(span_list, raters, used)
    for group in index.values():
        for span in group:
            if span.label == outside_label:
                raise ValueError(
                    f"span {span.id} has the label {outside_label!r}, which is the outside "
                    "tag; pass another outside_label"
                )
    positions: list[tuple[DocumentId, int, int]] = []
    rows: list[tuple[str | None, ...]] = []
    conflicts = 0
    for document in used:
        boundaries = _clean_tokens(document, tokens[document])
        starts = [start for start, _ in boundaries]
        ends = [end for _, end in boundaries]
        columns: list[Sequence[str | None]] = []
        for rater, finished in zip(raters, finishers[document], strict=True):
            if not finished:
                columns.append([None] * len(boundaries))
                continue
            labels, clashes = _token_labels(
                index.get((rater, document), []), starts, ends, tagging, outside_label
            )
            conflicts += clashes
            columns.append(labels)
        positions.extend(zip(repeat(document), starts, ends, strict=False))
        rows.extend(zip(*columns, strict=True))
    return TokenTable(
        annotators=raters,
        tagging=tagging,
        outside_label=outside_label,
        documents=tuple(used),
        documents_total=len(tokens),
        positions=tuple(positions),
        rows=tuple(rows),
        conflicting_tokens=conflicts,
    )


def token_cohen_kappa(
    spans: Iterable[Span],
    tokens: Tokens,
    annotator_a: AnnotatorId,
    annotator_b: AnnotatorId,
    *,
    completed: CompletedDocuments | None = None,
    tagging: Tagging = Tagging.TYPES,
    outside_label: str = OUTSIDE,
) -> TokenAgreement:
    """Cohen's kappa of two annotators over the tokens of the documents both finished."""
    options = _TableOptions((annotator_a, annotator_b), completed, tagging, outside_label)
    return _agreement(options.table(spans, tokens), cohen_kappa)


def token_fleiss_kappa(
    spans: Iterable[Span],
    tokens: Tokens,
    *,
    annotators: Sequence[AnnotatorId] | None = None,
    completed: CompletedDocuments | None = None,
    tagging: Tagging = Tagging.TYPES,
    outside_label: str = OUTSIDE,
) -> TokenAgreement:
    """Fleiss' kappa over the tokens of the documents every annotator finished."""
    options = _TableOptions(annotators, completed, tagging, outside_label)
    return _agreement(options.table(spans, tokens), fleiss_kappa)


def token_krippendorff_alpha(
    spans: Iterable[Span],
    tokens: Tokens,
    *,
    annotators: Sequence[AnnotatorId] | None = None,
    completed: CompletedDocuments | None = None,
    tagging: Tagging = Tagging.TYPES,
    outside_label: str = OUTSIDE,
) -> TokenAgreement:
    """Krippendorff's alpha (nominal) over tokens; unfinished documents are missing data.

    Documents finished by fewer than two annotators are not pairable and are not used.
    """
    options = _TableOptions(annotators, completed, tagging, outside_label, minimum_annotators=2)
    return _agreement(options.table(spans, tokens), krippendorff_alpha_nominal)


def token_confusion_matrix(
    spans: Iterable[Span],
    tokens: Tokens,
    annotator_a: AnnotatorId,
    annotator_b: AnnotatorId,
    *,
    completed: CompletedDocuments | None = None,
    tagging: Tagging = Tagging.TYPES,
    outside_label: str = OUTSIDE,
) -> ConfusionMatrix:
    """Token categories of a (rows) against b (columns), ``outside_label`` included."""
    options = _TableOptions((annotator_a, annotator_b), completed, tagging, outside_label)
    table = options.table(spans, tokens)
    counts: Counter[tuple[str, str]] = Counter()
    for first, second in table.rows:
        if first is not None and second is not None:
            counts[(first, second)] += 1
    labels = sorted({label for cell in counts for label in cell} - {outside_label})
    return ConfusionMatrix(
        annotator_a=annotator_a,
        annotator_b=annotator_b,
        unit=UNIT_ALL_TOKENS,
        empty=outside_label,
        labels=tuple(labels),
        counts=MappingProxyType(dict(counts)),
        instances=empty_instances(),
        documents=len(table.documents),
    )


@dataclass(frozen=True, slots=True)
class _TableOptions:
    """The ``token_label_table`` arguments the public coefficient functions pass on."""

    annotators: Sequence[AnnotatorId] | None
    completed: CompletedDocuments | None
    tagging: Tagging
    outside_label: str
    minimum_annotators: int | None = None

    def table(self, spans: Iterable[Span], tokens: Tokens) -> TokenTable:
        return token_label_table(
            spans,
            tokens,
            annotators=self.annotators,
            completed=self.completed,
            minimum_annotators=self.minimum_annotators,
            tagging=self.tagging,
            outside_label=self.outside_label,
        )


def _agreement(
    table: TokenTable, coefficient: Callable[..., AgreementCoefficient]
) -> TokenAgreement:
    everything: Table = table.rows
    labelled: Table = table.labelled_rows()
    all_tokens = coefficient(everything, unit=UNIT_ALL_TOKENS)
    return TokenAgreement(
        coefficient=all_tokens.coefficient,
        tagging=table.tagging,
        annotators=table.annotators,
        documents_used=len(table.documents),
        documents_total=table.documents_total,
        tokens=len(table.rows),
        conflicting_tokens=table.conflicting_tokens,
        all_tokens=all_tokens,
        labelled_tokens=coefficient(labelled, unit=UNIT_LABELLED_TOKENS),
    )


def _clean_tokens(
    document: DocumentId, boundaries: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    cleaned = sorted((start, end) for start, end in boundaries if end > start)
    previous_end = 0
    for start, end in cleaned:
        if start < previous_end or start < 0:
            raise ValueError(
                f"document {document}: token [{start}, {end}) overlaps the previous token or "
                "starts before 0"
            )
        previous_end = end
    return cleaned


def _token_labels(
    spans: Sequence[Span],
    starts: Sequence[int],
    ends: Sequence[int],
    tagging: Tagging,
    outside: str,
) -> tuple[list[str], int]:
    """Category of each token for one annotator and document, and the clash count."""
    count = len(starts)
    owner = [-1] * count
    labels = [outside] * count
    clashes: set[int] = set()
    order = sorted(
        range(len(spans)),
        key=lambda k: (
            spans[k].start - spans[k].end,
            spans[k].start,
            spans[k].label,
            spans[k].id,
        ),
    )
    for k in order:
        span = spans[k]
        if span.end <= span.start:
            continue
        label = span.label
        first = bisect_right(ends, span.start)
        last = bisect_left(starts, span.end, lo=first)
        for t in range(first, last):
            holder = owner[t]
            if holder < 0:
                owner[t] = k
                if tagging is Tagging.TYPES:
                    labels[t] = label
                elif t > 0 and owner[t - 1] == k:
                    labels[t] = "I-" + label
                else:
                    labels[t] = "B-" + label
            elif spans[holder].label != label:
                clashes.add(t)
    return labels, len(clashes)
