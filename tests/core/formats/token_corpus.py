"""A small news corpus as ExportDocument records for the token-format tests (no storage).

It has what the formats must cope with: emoji before and inside spans (🇰🇷, 👨‍👩‍👧), a
Korean name, abbreviations (``S. Korea``, ``Oct. 6``), hyphenated names (``Ho-jin``),
overlapping spans, entity groups, span and relation attributes, a symmetric relation,
a relation across sentences and several annotators per document. Every span is on
token boundaries so the round trips are exact; misaligned spans are built in the
tests that need them.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spanlab.core.formats.base import (
    AnnotationLayer,
    ExportDocument,
    Exporter,
    ExportOptions,
    ExportReport,
)
from spanlab.core.model import (
    AnnotatorId,
    Document,
    DocumentId,
    DocumentStatus,
    Entity,
    EntityId,
    Relation,
    RelationId,
    Span,
    SpanId,
    frozen_map,
)
from spanlab.core.resources import default_schema_text
from spanlab.core.schema import Schema, parse_schema

SCHEMA: Schema = parse_schema(default_schema_text())

_ids = itertools.count(1)

ANNOTATORS = {"gold": 1, "kim": 2, "lee": 3}

SEOUL_TEXT = (
    "S. Korea, Japan agree to revive security dialogue 🇰🇷\n"
    "SEOUL, Oct. 6 (Yonhap) -- First Vice Foreign Minister Chang Ho-jin met "
    "Japanese Vice Minister Haruki Takeda in Seoul on Friday. "
    'Chang called the talks "frank and forward-looking."\n'
    "The meeting with 백태진 (Baek Tae-jin) trended online with 👨‍👩‍👧 and 🇰🇷 emoji.\n"
)

GENEVA_TEXT = (
    "Family reunions to resume, envoy says 👨‍👩‍👧\n"
    "GENEVA, Oct. 14 -- Ambassador Park Ji-won (박지원) told reporters in Geneva "
    "that the U.N. would fund the programme. Park met Ho-jin on Oct. 13."
)

HANOI_TEXT = "Mekong forum opens in Hanoi\nDelegates from 🇰🇷 S. Korea arrived on Monday."


def make_document(doc_id: int, title: str, text: str) -> Document:
    """A Document record with its hash."""
    return Document(
        id=DocumentId(doc_id),
        title=title,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=f"test://{doc_id}",
        url=f"https://news.example/{doc_id}",
        published="2023-10-06",
    )


@dataclass
class LayerBuilder:
    """Builds one annotator's layer on one document, finding spans by their text."""

    document: Document
    annotator: str
    status: DocumentStatus = DocumentStatus.DONE
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    @property
    def annotator_id(self) -> AnnotatorId:
        return AnnotatorId(ANNOTATORS.setdefault(self.annotator, len(ANNOTATORS) + 1))

    def entity(self, name: str) -> Entity:
        entity = Entity(EntityId(next(_ids)), self.document.id, self.annotator_id, name)
        self.entities.append(entity)
        return entity

    def span(
        self,
        label: str,
        needle: str,
        occurrence: int = 1,
        *,
        attributes: Mapping[str, Any] | None = None,
        entity: Entity | None = None,
    ) -> Span:
        start = -1
        for _ in range(occurrence):
            start = self.document.text.index(needle, start + 1)
        return self.at(label, start, start + len(needle), attributes=attributes, entity=entity)

    def at(
        self,
        label: str,
        start: int,
        end: int,
        *,
        attributes: Mapping[str, Any] | None = None,
        entity: Entity | None = None,
    ) -> Span:
        span = Span(
            id=SpanId(next(_ids)),
            document_id=self.document.id,
            annotator_id=self.annotator_id,
            label=label,
            start=start,
            end=end,
            text=self.document.text[start:end],
            attributes=frozen_map(attributes),
            entity_id=entity.id if entity else None,
        )
        self.spans.append(span)
        return span

    def relation(
        self, label: str, head: Span, tail: Span, attributes: Mapping[str, Any] | None = None
    ) -> Relation:
        relation = Relation(
            id=RelationId(next(_ids)),
            document_id=self.document.id,
            annotator_id=self.annotator_id,
            label=label,
            head_id=head.id,
            tail_id=tail.id,
            attributes=frozen_map(attributes),
        )
        self.relations.append(relation)
        return relation

    def build(self) -> AnnotationLayer:
        return AnnotationLayer(
            annotator=self.annotator,
            status=self.status,
            spans=tuple(self.spans),
            relations=tuple(self.relations),
            entities=tuple(self.entities),
        )


def seoul_gold(document: Document) -> AnnotationLayer:
    """The rich layer: overlaps, entities, attributes, a symmetric and a cross-sentence relation."""
    b = LayerBuilder(document, "gold")
    chang = b.entity("Chang Ho-jin")
    seoul = b.entity("Seoul")
    korea = b.span("COUNTRY", "S. Korea", attributes={"iso_code": "KR"})
    b.span("COUNTRY", "Japan", attributes={"iso_code": "JP"})
    b.span("COUNTRY", "🇰🇷", attributes={"iso_code": "KR"})
    b.span("LOCATION", "SEOUL", entity=seoul)
    b.span("DATE", "Oct. 6", attributes={"normalized": "2023-10-06"})
    b.span("ORGANIZATION", "Yonhap")
    role = b.span("ROLE", "First Vice Foreign Minister", attributes={"former": False})
    chang_full = b.span("PERSON", "Chang Ho-jin", entity=chang)
    japanese = b.span("COUNTRY", "Japanese", attributes={"iso_code": "JP"})
    # Overlaps "Japanese": CoNLL keeps this longer one.
    japanese_role = b.span("ROLE", "Japanese Vice Minister", attributes={"former": False})
    takeda = b.span("PERSON", "Haruki Takeda")
    b.span("LOCATION", "Seoul", entity=seoul)
    friday = b.span("DATE", "Friday", attributes={"normalized": "2023-10-06"})
    chang_short = b.span("PERSON", "Chang", 2, entity=chang)
    talks = b.span("EVENT", "talks")
    baek = b.span("PERSON", "백태진")
    b.span("PERSON", "Baek Tae-jin")
    b.relation("HOLDS_ROLE", chang_full, role)
    b.relation("HOLDS_ROLE", takeda, japanese_role)
    b.relation("REPRESENTS", takeda, japanese)
    b.relation("MEETS", chang_full, takeda)
    b.relation("PARTICIPATES_IN", chang_short, talks)
    b.relation("HAPPENED_ON", talks, friday, {"certainty": "exact"})
    # Across sentences (headline -> second sentence).
    b.relation("REPRESENTS", chang_short, korea)
    _ = baek
    return b.build()


def seoul_kim(document: Document) -> AnnotationLayer:
    """A second, smaller and different layer of the same document."""
    b = LayerBuilder(document, "kim", status=DocumentStatus.IN_PROGRESS)
    b.span("COUNTRY", "S. Korea")
    chang = b.span("PERSON", "Chang Ho-jin")
    role = b.span("ROLE", "Vice Foreign Minister")
    b.span("PERSON", "Haruki Takeda")
    b.span("LOCATION", "Seoul")
    b.relation("HOLDS_ROLE", chang, role)
    return b.build()


def geneva_gold(document: Document) -> AnnotationLayer:
    b = LayerBuilder(document, "gold")
    park = b.entity("Park Ji-won")
    b.span("LOCATION", "GENEVA")
    b.span("DATE", "Oct. 14", attributes={"normalized": "2023-10-14"})
    role = b.span("ROLE", "Ambassador")
    park_full = b.span("PERSON", "Park Ji-won", entity=park)
    b.span("PERSON", "박지원", entity=park)
    b.span("LOCATION", "Geneva")
    un = b.span("ORGANIZATION", "U.N.")
    park_short = b.span("PERSON", "Park", 2, entity=park)
    hojin = b.span("PERSON", "Ho-jin")
    date = b.span("DATE", "Oct. 13", attributes={"normalized": "2023-10-13"})
    b.relation("HOLDS_ROLE", park_full, role)
    b.relation("REPRESENTS", park_full, un)
    b.relation("MEETS", park_short, hojin)
    _ = date
    return b.build()


def geneva_lee(document: Document) -> AnnotationLayer:
    b = LayerBuilder(document, "lee")
    b.span("PERSON", "Park Ji-won")
    b.span("ORGANIZATION", "U.N.")
    return b.build()


def hanoi_gold(document: Document) -> AnnotationLayer:
    b = LayerBuilder(document, "gold")
    b.span("EVENT", "Mekong forum")
    b.span("LOCATION", "Hanoi")
    b.span("COUNTRY", "🇰🇷")
    b.span("COUNTRY", "S. Korea")
    b.span("DATE", "Monday")
    return b.build()


SEOUL = make_document(1, "S. Korea, Japan agree to revive security dialogue", SEOUL_TEXT)
GENEVA = make_document(2, "Family reunions to resume", GENEVA_TEXT)
HANOI = make_document(3, "Mekong forum opens in Hanoi", HANOI_TEXT)


def news_corpus(*, splits: bool = True) -> list[ExportDocument]:
    """Three documents, four layers; train/dev/test splits unless ``splits`` is False."""
    return [
        ExportDocument(SEOUL, (seoul_gold(SEOUL), seoul_kim(SEOUL)), "train" if splits else None),
        ExportDocument(
            GENEVA, (geneva_gold(GENEVA), geneva_lee(GENEVA)), "dev" if splits else None
        ),
        ExportDocument(HANOI, (hanoi_gold(HANOI),), "test" if splits else None),
    ]


def single(
    document: Document, *layers: AnnotationLayer, split: str | None = None
) -> ExportDocument:
    """An ExportDocument for ad-hoc tests."""
    return ExportDocument(document, tuple(layers), split)


def export(
    exporter: Exporter,
    documents: list[ExportDocument],
    out_dir: Path,
    *,
    schema: Schema = SCHEMA,
    **options: Any,
) -> ExportReport:
    """Call ``exporter`` as ``spanlab.core.exporting`` does: once per split, in split order."""
    report = ExportReport(format=exporter.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    order = {"train": 0, "dev": 1, "test": 2}
    splits = sorted({d.split for d in documents}, key=lambda s: order.get(s or "", 3))
    for split in splits:
        group = [d for d in documents if d.split == split]
        exporter.write(
            iter(group), out_dir, schema=schema, options=ExportOptions(**options), report=report
        )
    return report
