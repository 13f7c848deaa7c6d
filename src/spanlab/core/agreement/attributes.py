"""Attribute agreement on matched spans.

For every annotator pair and shared document, spans are aligned one to one with labels
required to agree (overlap alignment by default, see :mod:`.matching`).  For each
attribute name, the items are the matched span pairs where **both** spans carry the
attribute (pairs where only one does are counted in ``pairs_one_sided``); pairs of all
annotator pairs are pooled.  We report the proportion of items with equal values and
Krippendorff's alpha (nominal) over the items, two values each.

Attribute values are compared by their JSON form (``json.dumps(value, sort_keys=True)``),
so ``True`` and ``1`` differ and dictionaries compare by content.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from spanlab.core.agreement._common import (
    CompletedDocuments,
    annotator_pairs,
    candidate_documents,
    documents_for,
    index_spans,
    resolve_annotators,
)
from spanlab.core.agreement.coefficients import krippendorff_alpha_nominal
from spanlab.core.agreement.matching import MatchMode, match_indices
from spanlab.core.model import AnnotatorId, DocumentId, Span

UNIT = "matched span pairs"


@dataclass(frozen=True, slots=True)
class AttributeAgreement:
    """Agreement on one attribute over matched span pairs where both spans have it.

    ``value`` is Krippendorff's alpha (nominal); ``observed_agreement`` is the proportion
    of pairs with equal values (= 1 - D_o with two values per item) and
    ``expected_agreement`` is 1 - D_e.
    """

    name: str
    value: float | None
    reason: str | None
    unit: str
    observed_agreement: float | None
    expected_agreement: float | None
    pairs: int
    pairs_one_sided: int


@dataclass(frozen=True, slots=True)
class AttributeReport:
    """Agreement per attribute name, pooled over annotator pairs."""

    annotators: tuple[AnnotatorId, ...]
    mode: MatchMode
    documents_total: int
    documents_used: int
    matched_pairs: int
    attributes: Mapping[str, AttributeAgreement]
    reason: str | None


def attribute_agreement(
    spans: Iterable[Span],
    *,
    annotators: Sequence[AnnotatorId] | None = None,
    documents: Collection[DocumentId] | None = None,
    completed: CompletedDocuments | None = None,
    mode: MatchMode = MatchMode.OVERLAP,
    names: Collection[str] | None = None,
) -> AttributeReport:
    """Attribute agreement (see the module docstring); ``names`` limits the attributes."""
    span_list = list(spans)
    raters = resolve_annotators(span_list, annotators)
    candidates = candidate_documents(span_list, documents)
    index, _ = index_spans(span_list, raters, candidates)
    values: dict[str, list[tuple[Hashable | None, Hashable | None]]] = {}
    one_sided: dict[str, int] = {}
    matched = 0
    used: set[DocumentId] = set()
    wanted = None if names is None else set(names)
    for a, b in annotator_pairs(raters):
        shared = documents_for((a, b), candidates, completed)
        used.update(shared)
        for document in shared:
            spans_a = index.get((a, document), [])
            spans_b = index.get((b, document), [])
            for i, j in match_indices(spans_a, spans_b, mode=mode, labelled=True):
                matched += 1
                first, second = spans_a[i].attributes, spans_b[j].attributes
                for name in sorted(first.keys() | second.keys()):
                    if wanted is not None and name not in wanted:
                        continue
                    if name in first and name in second:
                        values.setdefault(name, []).append(
                            (_comparable(first[name]), _comparable(second[name]))
                        )
                        one_sided.setdefault(name, 0)
                    else:
                        values.setdefault(name, [])
                        one_sided[name] = one_sided.get(name, 0) + 1
    attribute_names = sorted(values.keys() | (wanted or set()))
    results = {
        name: _agreement(name, values.get(name, []), one_sided.get(name, 0))
        for name in attribute_names
    }
    reason = None
    if len(raters) < 2:
        reason = "fewer than two annotators: no pair to compare"
    elif matched == 0:
        reason = "no matched span pairs"
    return AttributeReport(
        annotators=raters,
        mode=mode,
        documents_total=len(candidates),
        documents_used=len(used),
        matched_pairs=matched,
        attributes=MappingProxyType(results),
        reason=reason,
    )


def _comparable(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _agreement(
    name: str, items: list[tuple[Hashable | None, Hashable | None]], one_sided: int
) -> AttributeAgreement:
    if not items:
        return AttributeAgreement(
            name=name,
            value=None,
            reason="no matched span pair where both spans have this attribute",
            unit=UNIT,
            observed_agreement=None,
            expected_agreement=None,
            pairs=0,
            pairs_one_sided=one_sided,
        )
    alpha = krippendorff_alpha_nominal(items, unit=UNIT)
    return AttributeAgreement(
        name=name,
        value=alpha.value,
        reason=alpha.reason,
        unit=UNIT,
        observed_agreement=alpha.observed_agreement,
        expected_agreement=alpha.expected_agreement,
        pairs=len(items),
        pairs_one_sided=one_sided,
    )
