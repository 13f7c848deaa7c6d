"""DocRED-style document-level relation extraction JSON.

One JSON array per split (``train.json``, ``dev.json``, ``test.json``; ``corpus.json``
without a split), one document per line, with DocRED's fields (formats.md 2.10)::

    {"title": "...", "sents": [["S.", "Korea", ...], ...],
     "vertexSet": [[{"name": "Chang Ho-jin", "sent_id": 1, "pos": [12, 14],
                     "type": "PERSON"}, ...], ...],
     "labels": [{"h": 3, "t": 2, "r": "HOLDS_ROLE", "evidence": [1]}]}

Decisions:

* **One record per (document, annotation layer).** DocRED has no place for the
  annotator (and the format does not carry ``Feature.ANNOTATORS``, so ``exporting``
  writes one folder per annotator).
* **Entities** (``vertexSet``) are SpanLab's entity groups: spans with the same
  ``entity_id`` are mentions of one entity; any other span is an entity of its own.
  Entities are ordered by their first mention, mentions by position. A mention is
  ``{name, sent_id, pos, type}`` with ``pos`` sentence-relative and **end-exclusive**
  (DocRED slices ``[pos[0]:pos[1]]``), ``name`` the text the tokens cover and
  ``type`` the span's label.
* **Labels** link entities: a relation between two mentions becomes
  ``{"h", "t", "r", "evidence"}`` between their entities, with the sentences of the
  two mentions as evidence; relations of the same type between the same entities
  merge (evidence united). Relations across sentences are fine. ``r`` is the
  SpanLab relation type. **Symmetric** types are written in both directions, as in
  TACRED: DocRED treats unlabelled entity pairs as negatives, so the reverse pair
  would otherwise read as "no relation". A relation between two mentions of one
  entity is left out (DocRED links different entities), as are relations whose span
  does not align with the tokens.
* Sentences are SpanLab's, merged where a span crosses them (a mention lies in one
  sentence). Span and relation attributes are not carried (``exporting`` counts
  them).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from spanlab.core.formats.base import (
    AnnotationLayer,
    ExportDocument,
    ExportOptions,
    ExportReport,
    Feature,
)
from spanlab.core.formats.tokens import (
    AlignedSpan,
    align_layer,
    where,
    write_json_arrays,
)
from spanlab.core.model import Document, SpanId
from spanlab.core.schema import Schema
from spanlab.core.text import Token

__all__ = ["EXPORTER", "DocredExporter", "docred_record"]

DEFAULT_STEM: Final = "corpus"
SUFFIX: Final = ".json"


class DocredExporter:
    """Writes DocRED-style documents (see the module docstring)."""

    name = "docred"
    description = "DocRED-style document-level relations (entities with their mentions)"
    carries = frozenset({Feature.SPANS, Feature.OVERLAPS, Feature.RELATIONS, Feature.ENTITIES})

    def write(
        self,
        documents: Iterable[ExportDocument],
        out_dir: Path,
        *,
        schema: Schema,
        options: ExportOptions,
        report: ExportReport,
    ) -> None:
        """Write ``documents`` (all of one split) under ``out_dir`` and fill ``report``."""
        if any(spec.symmetric for spec in schema.relations):
            report.note("DocRED: symmetric relation types are written in both directions")
        write_json_arrays(
            documents,
            out_dir,
            tokenizer=options.tokenizer,
            records=lambda document, sentences, layer: [
                docred_record(document, sentences, layer, schema, options, report)
            ],
            stem=DEFAULT_STEM,
            suffix=SUFFIX,
        )


def docred_record(
    document: Document,
    sentences: list[list[Token]],
    layer: AnnotationLayer,
    schema: Schema,
    options: ExportOptions,
    report: ExportReport,
) -> dict[str, Any]:
    """The DocRED record of one layer of ``document``."""
    merged, aligned = align_layer(
        document.text,
        sentences,
        layer,
        alignment=options.alignment,
        report=report,
        where=where(document, layer),
    )
    groups: dict[tuple[str, int], list[AlignedSpan]] = {}
    for span in aligned:  # document order, so each group's mentions are in order
        entity_id = span.span.entity_id
        key = ("entity", int(entity_id)) if entity_id is not None else ("span", int(span.span.id))
        groups.setdefault(key, []).append(span)
    ordered = sorted(groups.values(), key=lambda mentions: _position(mentions[0]))
    entity_of: dict[SpanId, int] = {}
    vertex_set: list[list[dict[str, Any]]] = []
    for number, mentions in enumerate(ordered):
        vertex_set.append([_mention(document.text, merged, m) for m in mentions])
        for mention in mentions:
            entity_of[mention.span.id] = number
    placed = {a.span.id: a for a in aligned}
    evidence: dict[tuple[int, int, str], set[int]] = {}
    for relation in layer.relations:
        head, tail = placed.get(relation.head_id), placed.get(relation.tail_id)
        if head is None or tail is None:
            report.leave_out("relations whose span was left out (not on token boundaries)")
            continue
        h, t = entity_of[relation.head_id], entity_of[relation.tail_id]
        if h == t:
            report.leave_out("relations within one entity group (DocRED links two entities)")
            continue
        sentences_used = {head.sentence, tail.sentence}
        evidence.setdefault((h, t, relation.label), set()).update(sentences_used)
        spec = schema.relation(relation.label)
        if spec is not None and spec.symmetric:
            evidence.setdefault((t, h, relation.label), set()).update(sentences_used)
    labels = [
        {"h": h, "t": t, "r": r, "evidence": sorted(found)}
        for (h, t, r), found in sorted(evidence.items())
    ]
    return {
        "title": document.title,
        "sents": [[token.text for token in sentence] for sentence in merged],
        "vertexSet": vertex_set,
        "labels": labels,
    }


def _position(span: AlignedSpan) -> tuple[int, int, str, int]:
    return span.start, span.end, span.span.label, int(span.span.id)


def _mention(text: str, sentences: list[list[Token]], span: AlignedSpan) -> dict[str, Any]:
    tokens = sentences[span.sentence]
    first, last = tokens[span.sentence_start], tokens[span.sentence_end - 1]
    return {
        "name": text[first.start : last.end],
        "sent_id": span.sentence,
        "pos": [span.sentence_start, span.sentence_end],
        "type": span.span.label,
    }


EXPORTER: Final = DocredExporter()
