"""Suggested values for a span's ``date`` and ``country`` attributes.

The schema decides which attributes a label has; only attributes of kind
:attr:`~spanlab.core.schema.AttributeKind.DATE` or
:attr:`~spanlab.core.schema.AttributeKind.COUNTRY` get suggestions, and only while the
annotator has not set them (a missing key, ``None`` or a blank string count as unset).
A suggestion never overwrites a value: :func:`apply_suggestions` only fills gaps, and
the result is meant for an ``UpdateSpan(span_id, attributes=...)`` command, so accepting
a suggestion is an ordinary, undoable edit.

The publication date comes from ``document.published``, else from the document's
metadata (``published``, ``date``, ...), else from a "Published: ..." line near the top
of the text (the sample articles have one).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from spanlab.core.model import Document, Span
from spanlab.core.normalize.common import Confidence
from spanlab.core.normalize.countries import CountrySuggestion, suggest_country
from spanlab.core.normalize.dates import (
    DateSuggestion,
    find_published,
    narrative_anchor,
    parse_published,
    suggest_date,
)
from spanlab.core.schema import AttributeKind, Schema

__all__ = [
    "PUBLISHED_METADATA_KEYS",
    "Suggestion",
    "apply_suggestions",
    "document_published",
    "has_value",
    "suggest_attributes",
    "suggest_for_span",
]

PUBLISHED_METADATA_KEYS: Final = (
    "published",
    "published_raw",
    "datePublished",
    "date_published",
    "published_at",
    "publication_date",
    "date",
)
"""Metadata keys read for the publication date, in this order."""

_SUGGESTED_KINDS: Final = frozenset({AttributeKind.DATE, AttributeKind.COUNTRY})


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed value for one attribute of a span."""

    attribute: str
    kind: AttributeKind
    value: str
    explanation: str
    confidence: Confidence
    detail: DateSuggestion | CountrySuggestion


def has_value(value: object) -> bool:
    """Whether an attribute value counts as set by the annotator (None and "" do not)."""
    if value is None:
        return False
    return not (isinstance(value, str) and not value.strip())


def document_published(document: Document) -> date | None:
    """The document's publication date: column, then metadata, then a "Published:" line."""
    if document.published:
        found = parse_published(document.published)
        if found is not None:
            return found
    for key in PUBLISHED_METADATA_KEYS:
        value = document.metadata.get(key)
        if isinstance(value, str):
            found = parse_published(value)
            if found is not None:
                return found
    return find_published(document.text)


def suggest_attributes(
    span_label: str,
    span_text: str,
    *,
    schema: Schema,
    document: Document,
    current: Mapping[str, Any],
    context: str = "",
    start: int | None = None,
) -> dict[str, Suggestion]:
    """Suggestions for the unset ``date``/``country`` attributes of a span's label.

    ``current`` holds the span's attributes as they are; attributes set there get no
    suggestion. ``context`` is the sentence around the span; when empty it is taken from
    the document at ``start`` (the span's start offset), or at the span text's only
    occurrence in the document. ``start`` also lets "the previous day" resolve against
    the last day the text mentioned before the span (see
    :func:`~spanlab.core.normalize.dates.narrative_anchor`).
    """
    spec = schema.label(span_label)
    if spec is None:
        return {}
    wanted = [
        attribute
        for attribute in spec.attributes
        if attribute.kind in _SUGGESTED_KINDS and not has_value(current.get(attribute.name))
    ]
    if not wanted:
        return {}
    position = _position(document.text, span_text, start)
    result: dict[str, Suggestion] = {}
    for attribute in wanted:
        if attribute.kind is AttributeKind.COUNTRY:
            country = suggest_country(span_text)
            if country is not None:
                result[attribute.name] = Suggestion(
                    attribute.name,
                    attribute.kind,
                    country.alpha_2,
                    f"{country.alpha_2} ({country.name}): {country.explanation}",
                    country.confidence,
                    country,
                )
            continue
        published = document_published(document)
        sentence = context or (_sentence(document.text, position) if position is not None else "")
        anchor = (
            narrative_anchor(document.text, position, published=published)
            if position is not None
            else None
        )
        found = suggest_date(span_text, published=published, context=sentence, anchor=anchor)
        if found is not None:
            result[attribute.name] = Suggestion(
                attribute.name,
                attribute.kind,
                found.value,
                found.explanation,
                found.confidence,
                found,
            )
    return result


def suggest_for_span(span: Span, *, schema: Schema, document: Document) -> dict[str, Suggestion]:
    """:func:`suggest_attributes` for a stored span (its label, text, offset, attributes)."""
    return suggest_attributes(
        span.label,
        span.text,
        schema=schema,
        document=document,
        current=span.attributes,
        start=span.start,
    )


def apply_suggestions(
    current: Mapping[str, Any],
    suggestions: Mapping[str, Suggestion],
    *,
    accept: Collection[str] | None = None,
) -> dict[str, Any]:
    """``current`` with suggested values filled in where no value is set.

    ``accept`` limits which attributes are filled (all suggested ones by default). A set
    value is never replaced, whatever the suggestions say. The result is the complete
    attribute mapping for ``UpdateSpan(span_id, attributes=...)``.
    """
    merged = dict(current)
    for name, suggestion in suggestions.items():
        if accept is not None and name not in accept:
            continue
        if has_value(merged.get(name)):
            continue
        merged[name] = suggestion.value
    return merged


def _position(text: str, span_text: str, start: int | None) -> int | None:
    if start is not None:
        ok = 0 <= start <= len(text) and text[start : start + len(span_text)] == span_text
        return start if ok else None
    if not span_text:
        return None
    first = text.find(span_text)
    if first < 0 or text.find(span_text, first + 1) >= 0:
        return None  # absent or ambiguous
    return first


def _sentence(text: str, position: int) -> str:
    from spanlab.core.text.sentences import sentence_spans

    for start, end in sentence_spans(text):
        if start <= position < end:
            return text[start:end]
    return ""
