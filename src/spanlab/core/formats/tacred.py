"""TACRED-style sentence-level relation extraction JSON.

One JSON array per split (``train.json``, ``dev.json``, ``test.json``; ``corpus.json``
without a split), one example per line, with TACRED's fields (formats.md 2.10)::

    {"id": "1:gold:4", "docid": "1", "relation": "HOLDS_ROLE",
     "token": ["SEOUL", ",", ...], "subj_start": 12, "subj_end": 13,
     "obj_start": 8, "obj_end": 11, "subj_type": "PERSON", "obj_type": "ROLE"}

Decisions:

* **One example per ordered pair of different spans in one sentence** (subject
  first): ``relation`` is the relation type from subject to object, or
  ``no_relation``. Token indices are sentence-relative with the **end inclusive**, as
  in TACRED. ``docid`` is the SpanLab document id and ``id`` is
  ``"<docid>:<annotator>:<n>"`` (n counts the layer's examples), so the annotator is
  recorded. ``stanford_*`` fields are not written (SpanLab has no parser output).
* **Negatives** (``no_relation``) only when ``options.include_negatives`` (the
  default), and only for pairs whose labels some relation type of the schema allows
  (every pair when the schema declares no relation type), whose spans do not
  overlap. TACRED's negatives are likewise candidate pairs of plausible types.
* **Symmetric relation types** (``symmetric = true`` in the schema, e.g. MEETS) are
  written in **both orders** with the relation type: the reverse pair is just as
  true, and writing it as ``no_relation`` would teach a model the opposite.
* Sentences are SpanLab's, merged where a span crosses them. A relation whose spans
  are in different sentences cannot be written (``relations across sentences (TACRED
  is sentence-level)``), nor one whose span does not align with the tokens, nor a
  second relation on the same ordered pair (TACRED has one label per example): each
  is reported as left out. Span and relation attributes and entity groups are not
  carried (``exporting`` counts them).
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

__all__ = ["EXPORTER", "NO_RELATION", "TacredExporter"]

NO_RELATION: Final = "no_relation"
DEFAULT_STEM: Final = "corpus"
SUFFIX: Final = ".json"


class TacredExporter:
    """Writes TACRED-style examples (see the module docstring)."""

    name = "tacred"
    description = "TACRED-style relation examples (one subject-object pair per sentence example)"
    carries = frozenset({Feature.SPANS, Feature.OVERLAPS, Feature.RELATIONS})

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
            report.note("TACRED: symmetric relation types are written in both orders")
        if options.include_negatives:
            report.note(
                "TACRED: no_relation examples are written for pairs of labels some "
                "relation type allows"
            )
        write_json_arrays(
            documents,
            out_dir,
            tokenizer=options.tokenizer,
            records=lambda document, sentences, layer: _examples(
                document, sentences, layer, schema, options, report
            ),
            stem=DEFAULT_STEM,
            suffix=SUFFIX,
        )


def _pair_labels(
    layer: AnnotationLayer,
    placed: dict[SpanId, AlignedSpan],
    schema: Schema,
    report: ExportReport,
) -> dict[tuple[SpanId, SpanId], str]:
    """Relation type of each ordered span pair: stored relations first, then mirrors."""
    labels: dict[tuple[SpanId, SpanId], str] = {}
    mirrors: list[tuple[tuple[SpanId, SpanId], str]] = []
    for relation in sorted(layer.relations, key=lambda r: (r.label, r.head_id, r.tail_id, r.id)):
        head, tail = placed.get(relation.head_id), placed.get(relation.tail_id)
        if head is None or tail is None:
            report.leave_out("relations whose span was left out (not on token boundaries)")
            continue
        if relation.head_id == relation.tail_id:
            report.leave_out("relations from a span to itself")
            continue
        if head.sentence != tail.sentence:
            report.leave_out("relations across sentences (TACRED is sentence-level)")
            continue
        pair = (relation.head_id, relation.tail_id)
        if pair in labels:
            report.leave_out("relations on a span pair that already has one (TACRED: one per pair)")
            continue
        labels[pair] = relation.label
        spec = schema.relation(relation.label)
        if spec is not None and spec.symmetric:
            mirrors.append(((relation.tail_id, relation.head_id), relation.label))
    for pair, label in mirrors:
        labels.setdefault(pair, label)
    return labels


def _examples(
    document: Document,
    sentences: list[list[Token]],
    layer: AnnotationLayer,
    schema: Schema,
    options: ExportOptions,
    report: ExportReport,
) -> Iterable[dict[str, Any]]:
    merged, aligned = align_layer(
        document.text,
        sentences,
        layer,
        alignment=options.alignment,
        report=report,
        where=where(document, layer),
    )
    placed = {a.span.id: a for a in aligned}
    labels = _pair_labels(layer, placed, schema, report)
    by_sentence: dict[int, list[AlignedSpan]] = {}
    for span in aligned:
        by_sentence.setdefault(span.sentence, []).append(span)
    number = 0
    for k in sorted(by_sentence):
        tokens = [token.text for token in merged[k]]
        for subj in by_sentence[k]:
            for obj in by_sentence[k]:
                if subj.span.id == obj.span.id:
                    continue
                relation = labels.get((subj.span.id, obj.span.id))
                if relation is None:
                    if not options.include_negatives or not _candidate(subj, obj, schema):
                        continue
                    relation = NO_RELATION
                yield {
                    "id": f"{document.id}:{layer.annotator}:{number}",
                    "docid": str(document.id),
                    "relation": relation,
                    "token": tokens,
                    "subj_start": subj.sentence_start,
                    "subj_end": subj.sentence_end - 1,
                    "obj_start": obj.sentence_start,
                    "obj_end": obj.sentence_end - 1,
                    "subj_type": subj.span.label,
                    "obj_type": obj.span.label,
                }
                number += 1


def _candidate(subj: AlignedSpan, obj: AlignedSpan, schema: Schema) -> bool:
    """Whether a pair is a plausible negative: disjoint spans of labels a type allows."""
    if subj.start < obj.end and obj.start < subj.end:
        return False
    if not schema.relations:
        return True
    return bool(schema.relation_types_for(subj.span.label, obj.span.label))


EXPORTER: Final = TacredExporter()
