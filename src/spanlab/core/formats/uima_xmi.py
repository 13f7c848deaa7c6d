"""UIMA CAS XMI as INCEpTION exports and imports it, written and read with dkpro-cassis.

Packaging (INCEpTION's own, formats.md 2.8): **one ZIP per document**,
``[<split>/]<000012-title>.zip``, holding ``<000012-title>.xmi`` (XML 1.0) and
``TypeSystem.xml`` (the name DKPro Core's ``XmiWriter`` gives it). XMI carries no
type system, so the two always travel together. XMI holds one annotator per file, so
the format does not carry ``Feature.ANNOTATORS`` and ``spanlab.core.exporting``
writes one folder per annotator; should one call still get several layers of a
document, each goes to ``<000012-title>-<annotator>.zip`` (report note).

Types (all extend ``uima.tcas.Annotation``, as INCEpTION requires):

* ``webanno.custom.Span`` - our spans (INCEpTION custom span layer): ``label``
  (String), ``entityId``/``entityName`` (String: entity group number, 1-based in
  order of first mention, and its name) and one feature per attribute name: Boolean
  for schema attributes of kind ``boolean``, String otherwise (non-string values of
  String attributes are written as JSON text). Attribute names that clash with
  built-in names (``label``, ``begin``, ``end``, ``sofa``, ``type``, ...) become
  ``attr<Name>`` (attribute names are lower case, so this cannot clash).
* ``webanno.custom.Relation`` - our relations (INCEpTION custom relation layer):
  ``Governor`` and ``Dependent`` referencing ``webanno.custom.Span`` (head and tail),
  ``label`` and the relation attributes as above; ``begin``/``end`` are the
  dependent's, as INCEpTION does.
* ``de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence`` and ``...Token``
  (DKPro Core) so INCEpTION shows tokens and sentences: SpanLab's tokenizer (or
  spaCy's, ``options.tokenizer``) and sentences, merged where a span crosses them.
* ``de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData`` (the DKPro
  document annotation) with ``documentTitle``, ``documentId`` and ``documentUri``.

Offsets: XMI counts UTF-16 code units (Java); cassis converts SpanLab's code points
on write and back on read, so spans after emoji stay where they are. Spans are
written with their exact offsets (no token alignment).

Speed: the type system (with its cassis classes, looked-up types and
``TypeSystem.xml`` bytes) is built once per distinct attribute set in an export, not
per document; what remains per document is mostly cassis' own XMI serializer.

Reading takes a ``.zip`` (each ``.xmi`` inside, with the ``TypeSystem.xml`` next to
it) or an ``.xmi`` with ``TypeSystem.xml`` in its folder, and gives back the text,
the title, ``webanno.custom.Span`` spans (or DKPro ``NamedEntity`` spans, label from
``value``, for other INCEpTION exports), their attributes and entity groups, and
``webanno.custom.Relation`` relations; the annotator is left to the user. XML is
untrusted: each file is first parsed with a hardened lxml parser (no entity
resolution, no network, no DTD loading) and refused with a clear message if it has
a DOCTYPE or ENTITY declaration, because cassis' own parser resolves internal
entities.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Final

from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem
from cassis.typesystem import Type
from lxml import etree

from spanlab.core.errors import InputError
from spanlab.core.formats.base import (
    AnnotationLayer,
    ExportDocument,
    ExportOptions,
    ExportReport,
    Feature,
    ImportedDocument,
    ImportedEntity,
    ImportedLayer,
    ImportedRelation,
    ImportedSpan,
    split_dir,
)
from spanlab.core.formats.common import document_name, safe_folder_name
from spanlab.core.formats.tokens import document_sentences, merge_sentences, sorted_spans
from spanlab.core.model import Document, EntityId, SpanId
from spanlab.core.schema import AttributeKind, Schema

__all__ = [
    "DOCUMENT_METADATA",
    "EXPORTER",
    "READER",
    "RELATION_TYPE",
    "SENTENCE_TYPE",
    "SPAN_TYPE",
    "TOKEN_TYPE",
    "TYPESYSTEM_NAME",
    "XmiExporter",
    "XmiReader",
    "build_typesystem",
    "check_xml",
]

SPAN_TYPE: Final = "webanno.custom.Span"
RELATION_TYPE: Final = "webanno.custom.Relation"
SENTENCE_TYPE: Final = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN_TYPE: Final = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
DOCUMENT_METADATA: Final = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
NAMED_ENTITY: Final = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
TYPESYSTEM_NAME: Final = "TypeSystem.xml"

STRING: Final = "uima.cas.String"
BOOLEAN: Final = "uima.cas.Boolean"
ANNOTATION: Final = "uima.tcas.Annotation"

# Features of our types that are not attributes.
_SPAN_FIXED: Final = ("label", "entityId", "entityName")
_RELATION_FIXED: Final = ("Governor", "Dependent", "label")
# Names an attribute may not use as a feature name as it is.
_RESERVED: Final = frozenset(
    {"label", "begin", "end", "sofa", "self", "type", "xmiID", "governor", "dependent"}
)
_FEATURE_NAME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ZIP_DATE: Final = (1980, 1, 1, 0, 0, 0)
MAX_MEMBER_BYTES: Final = 512 * 1024 * 1024
"""Largest XMI or type system file read from a ZIP (guards against ZIP bombs)."""


def feature_name(attribute: str) -> str | None:
    """The feature holding ``attribute`` (``None``: not a usable UIMA feature name)."""
    if not _FEATURE_NAME.match(attribute):
        return None
    if attribute in _RESERVED:
        return "attr" + attribute[0].upper() + attribute[1:]
    return attribute


def attribute_name(feature: str) -> str:
    """Inverse of :func:`feature_name`."""
    if feature.startswith("attr") and len(feature) > 4:
        original = feature[4].lower() + feature[5:]
        if original in _RESERVED:
            return original
    return feature


@dataclass(frozen=True, slots=True)
class _Features:
    """Attribute name -> (feature name, range type) for spans and for relations."""

    spans: dict[str, tuple[str, str]]
    relations: dict[str, tuple[str, str]]


def _attribute_features(schema: Schema, layer: AnnotationLayer | None) -> _Features:
    def collect(
        declared: Iterable[tuple[str, AttributeKind]], used: Iterable[str]
    ) -> dict[str, tuple[str, str]]:
        kinds: dict[str, set[AttributeKind]] = {}
        for name, kind in declared:
            kinds.setdefault(name, set()).add(kind)
        for name in used:
            kinds.setdefault(name, set())
        result: dict[str, tuple[str, str]] = {}
        for name in sorted(kinds):
            feature = feature_name(name)
            if feature is not None:
                boolean = kinds[name] == {AttributeKind.BOOLEAN}
                result[name] = (feature, BOOLEAN if boolean else STRING)
        return result

    span_declared = [(a.name, a.kind) for label in schema.labels for a in label.attributes]
    relation_declared = [(a.name, a.kind) for rel in schema.relations for a in rel.attributes]
    span_used = [n for s in layer.spans for n in s.attributes] if layer else []
    relation_used = [n for r in layer.relations for n in r.attributes] if layer else []
    return _Features(collect(span_declared, span_used), collect(relation_declared, relation_used))


def build_typesystem(schema: Schema, layer: AnnotationLayer | None = None) -> TypeSystem:
    """The type system for ``schema`` (plus attributes ``layer`` uses beyond it)."""
    return _typesystem(_attribute_features(schema, layer))


def _typesystem(features: _Features) -> TypeSystem:
    ts = TypeSystem()
    meta = ts.create_type(DOCUMENT_METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri"):
        ts.create_feature(meta, name, STRING)
    sentence = ts.create_type(SENTENCE_TYPE, supertypeName=ANNOTATION)
    ts.create_feature(sentence, "id", STRING)
    ts.create_type(TOKEN_TYPE, supertypeName=ANNOTATION)
    span = ts.create_type(SPAN_TYPE, supertypeName=ANNOTATION)
    for name in _SPAN_FIXED:
        ts.create_feature(span, name, STRING)
    for feature, range_type in features.spans.values():
        ts.create_feature(span, feature, range_type)
    relation = ts.create_type(RELATION_TYPE, supertypeName=ANNOTATION)
    ts.create_feature(relation, "Governor", SPAN_TYPE)
    ts.create_feature(relation, "Dependent", SPAN_TYPE)
    ts.create_feature(relation, "label", STRING)
    for feature, range_type in features.relations.values():
        ts.create_feature(relation, feature, range_type)
    return ts


def _feature_values(
    attributes: Mapping[str, Any],
    table: Mapping[str, tuple[str, str]],
    report: ExportReport,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in sorted(attributes):
        value = attributes[name]
        if value is None:
            continue
        found = table.get(name)
        if found is None:
            report.leave_out("attribute values whose name is not a valid UIMA feature name")
            continue
        feature, range_type = found
        if range_type == BOOLEAN:
            if not isinstance(value, bool):
                report.leave_out("attribute values that are not true/false on a boolean feature")
                continue
            values[feature] = value
        else:
            values[feature] = value if isinstance(value, str) else json.dumps(value)
    return values


class XmiExporter:
    """Writes one INCEpTION-style ZIP (XMI + TypeSystem.xml) per document."""

    name = "xmi"
    description = "UIMA CAS XMI (INCEpTION): one ZIP per document with its TypeSystem.xml"
    carries = frozenset(
        {
            Feature.SPANS,
            Feature.OVERLAPS,
            Feature.RELATIONS,
            Feature.SPAN_ATTRIBUTES,
            Feature.RELATION_ATTRIBUTES,
            Feature.ENTITIES,
        }
    )

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
        prepared = _PreparedTypes(schema)
        for item in documents:
            document = item.document
            folder = split_dir(out_dir, item.split)
            folder.mkdir(parents=True, exist_ok=True)
            sentences = document_sentences(document.text, options.tokenizer)
            stem = document_name(document)
            if len(item.layers) > 1:
                report.note(
                    "XMI holds one annotator per file: several layers of a document were "
                    "written as <document>-<annotator>.zip"
                )
            for layer in item.layers:
                types = prepared.for_layer(layer)
                cas = _layer_cas(types, document, layer, sentences, report)
                name = (
                    stem if len(item.layers) == 1 else f"{stem}-{safe_folder_name(layer.annotator)}"
                )
                _write_zip(folder / f"{name}.zip", stem, cas, types.xml)


@dataclass(frozen=True, slots=True)
class _Types:
    """A type system with what every document needs from it, built once per export.

    Building a cassis ``TypeSystem`` and its feature-structure classes costs more
    than filling a document's CAS, so documents share it (a CAS never changes its
    type system) along with the looked-up types and the ``TypeSystem.xml`` bytes.
    """

    ts: TypeSystem
    xml: bytes
    declared: _Features
    meta: Type
    sentence: Type
    token: Type
    span: Type
    relation: Type

    @classmethod
    def build(cls, features: _Features) -> _Types:
        ts = _typesystem(features)
        return cls(
            ts=ts,
            xml=str(ts.to_xml()).encode("utf-8"),
            declared=_declared_features(ts),
            meta=ts.get_type(DOCUMENT_METADATA),
            sentence=ts.get_type(SENTENCE_TYPE),
            token=ts.get_type(TOKEN_TYPE),
            span=ts.get_type(SPAN_TYPE),
            relation=ts.get_type(RELATION_TYPE),
        )


_FeatureItems = tuple[tuple[str, tuple[str, str]], ...]


class _PreparedTypes:
    """The ``_Types`` of each distinct attribute set (usually just the schema's one)."""

    def __init__(self, schema: Schema) -> None:
        self._schema = schema
        self._built: dict[tuple[_FeatureItems, _FeatureItems], _Types] = {}

    def for_layer(self, layer: AnnotationLayer) -> _Types:
        features = _attribute_features(self._schema, layer)
        key = (tuple(features.spans.items()), tuple(features.relations.items()))
        types = self._built.get(key)
        if types is None:
            types = self._built[key] = _Types.build(features)
        return types


def _layer_cas(
    types: _Types,
    document: Document,
    layer: AnnotationLayer,
    sentences: list[list[Any]],
    report: ExportReport,
) -> Cas:
    span_table, relation_table = types.declared.spans, types.declared.relations
    cas = Cas(typesystem=types.ts)
    cas.sofa_string = document.text
    cas.sofa_mime = "text"
    cas.add(
        types.meta(
            begin=0,
            end=len(document.text),
            language="x-unspecified",
            documentTitle=document.title,
            documentId=str(document.id),
            documentUri=document.url,
        )
    )
    spans = sorted_spans(layer.spans)
    merged = merge_sentences(sentences, ((s.start, s.end) for s in spans))
    sentence_type, token_type = types.sentence, types.token
    for sentence in merged:
        cas.add(sentence_type(begin=sentence[0].start, end=sentence[-1].end))
    for sentence in merged:
        for token in sentence:
            cas.add(token_type(begin=token.start, end=token.end))
    names = {entity.id: entity.name for entity in layer.entities}
    numbers: dict[EntityId, int] = {}
    span_type = types.span
    created: dict[SpanId, Any] = {}
    for span in spans:
        values = _feature_values(span.attributes, span_table, report)
        if span.entity_id is not None and span.entity_id in names:
            number = numbers.setdefault(span.entity_id, len(numbers) + 1)
            values["entityId"] = str(number)
            values["entityName"] = names[span.entity_id]
        annotation = span_type(begin=span.start, end=span.end, label=span.label, **values)
        cas.add(annotation)
        created[span.id] = annotation
    relation_type = types.relation
    ordered = sorted(
        layer.relations,
        key=lambda r: (
            created[r.head_id].begin if r.head_id in created else -1,
            created[r.tail_id].begin if r.tail_id in created else -1,
            r.label,
            r.id,
        ),
    )
    for relation in ordered:
        head = created.get(relation.head_id)
        tail = created.get(relation.tail_id)
        if head is None or tail is None:
            report.leave_out("relations whose span is not in the layer")
            continue
        values = _feature_values(relation.attributes, relation_table, report)
        cas.add(
            relation_type(
                begin=tail.begin,
                end=tail.end,
                Governor=head,
                Dependent=tail,
                label=relation.label,
                **values,
            )
        )
    return cas


def _declared_features(ts: TypeSystem) -> _Features:
    """Attribute -> (feature, range) as the type system declares them."""

    def table(type_name: str, fixed: tuple[str, ...]) -> dict[str, tuple[str, str]]:
        result: dict[str, tuple[str, str]] = {}
        for feature in ts.get_type(type_name).features:
            if feature.name not in fixed:
                result[attribute_name(feature.name)] = (feature.name, feature.rangeType.name)
        return result

    return _Features(table(SPAN_TYPE, _SPAN_FIXED), table(RELATION_TYPE, _RELATION_FIXED))


def _write_zip(path: Path, stem: str, cas: Cas, typesystem: bytes) -> None:
    """The ZIP with fixed timestamps, so the same annotations give the same bytes."""
    xmi = str(cas.to_xmi(pretty_print=True)).encode("utf-8")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in ((f"{stem}.xmi", xmi), (TYPESYSTEM_NAME, typesystem)):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


# --------------------------------------------------------------------------- reading


def check_xml(source: str, data: bytes) -> None:
    """Refuse XML that is malformed or declares a DOCTYPE/ENTITY, naming ``source``.

    Parsed with entity resolution, DTD loading and network access off, so nothing
    is expanded or fetched while checking.

    Raises:
        InputError: the file is not well-formed XML or has a DTD.
    """
    refusal = (
        "refusing XML with a DOCTYPE or ENTITY declaration (entity expansion is not "
        "allowed in imported files)"
    )
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError(source, refusal)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(source, f"not well-formed XML ({exc})") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # e.g. UTF-16 encoded files
        raise InputError(source, refusal)


class XmiReader:
    """Reads INCEpTION/cassis XMI (ZIP with TypeSystem.xml, or .xmi next to one)."""

    name = "xmi"

    def sniff(self, path: Path, head: bytes) -> bool:
        """``.xmi`` files, and ``.zip`` files with an ``.xmi`` inside."""
        suffix = path.suffix.lower()
        if suffix == ".xmi":
            return True
        if suffix != ".zip" or not head.startswith(b"PK"):
            return False
        try:
            with zipfile.ZipFile(path) as archive:
                return any(n.lower().endswith(".xmi") for n in archive.namelist())
        except (OSError, zipfile.BadZipFile):
            return False

    def read(self, path: Path, *, options: Mapping[str, Any]) -> Iterator[ImportedDocument]:
        """One document per ``.xmi`` file."""
        if path.suffix.lower() == ".zip":
            yield from self._read_zip(path)
            return
        typesystem = next(
            (p for p in sorted(path.parent.iterdir()) if p.name.lower() == "typesystem.xml"),
            None,
        )
        if typesystem is None:
            raise InputError(path, f"needs the {TYPESYSTEM_NAME} it was written with next to it")
        yield _document(str(path), _read_bytes(path), str(typesystem), _read_bytes(typesystem))

    def _read_zip(self, path: Path) -> Iterator[ImportedDocument]:
        try:
            archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise InputError(path, f"not a readable ZIP file ({exc})") from exc
        with archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            xmis = sorted(
                (m for m in members if m.filename.lower().endswith(".xmi")),
                key=lambda m: m.filename,
            )
            if not xmis:
                raise InputError(path, "the ZIP holds no .xmi file")
            for member in xmis:
                folder = member.filename.rpartition("/")[0]
                ts_member = next(
                    (
                        m
                        for m in members
                        if m.filename.rpartition("/")[0] == folder
                        and m.filename.rpartition("/")[2].lower() == "typesystem.xml"
                    ),
                    None,
                )
                if ts_member is None:
                    raise InputError(
                        f"{path}!{member.filename}",
                        f"needs {TYPESYSTEM_NAME} next to it in the ZIP",
                    )
                yield _document(
                    f"{path}!{member.filename}",
                    _member_bytes(path, archive, member),
                    f"{path}!{ts_member.filename}",
                    _member_bytes(path, archive, ts_member),
                )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from exc


def _member_bytes(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    if member.file_size > MAX_MEMBER_BYTES:
        raise InputError(
            f"{path}!{member.filename}",
            f"too large ({member.file_size} bytes; at most {MAX_MEMBER_BYTES})",
        )
    with archive.open(member) as handle:
        data = handle.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(f"{path}!{member.filename}", "too large once uncompressed")
    return data


def _document(source: str, xmi: bytes, ts_source: str, ts_data: bytes) -> ImportedDocument:
    check_xml(ts_source, ts_data)
    check_xml(source, xmi)
    try:
        ts = load_typesystem(BytesIO(ts_data))
    except Exception as exc:  # cassis raises plain exceptions for bad type systems
        raise InputError(ts_source, f"not a UIMA type system ({exc})") from exc
    try:
        cas = load_cas_from_xmi(BytesIO(xmi), typesystem=ts)
    except Exception as exc:  # unknown types, bad references, ...
        raise InputError(source, f"cannot read the XMI with its type system ({exc})") from exc
    text = cas.sofa_string or ""
    title = None
    if ts.contains_type(DOCUMENT_METADATA):
        meta = next(iter(cas.select(DOCUMENT_METADATA)), None)
        if meta is not None:
            title = meta.get("documentTitle")
    spans: list[ImportedSpan] = []
    keys: dict[int, str] = {}
    entities: dict[str, str] = {}
    span_types = [(SPAN_TYPE, "label", _SPAN_FIXED), (NAMED_ENTITY, "value", ("value",))]
    for type_name, label_feature, fixed in span_types:
        if not ts.contains_type(type_name):
            continue
        feature_names = [f.name for f in ts.get_type(type_name).all_features]
        for fs in cas.select(type_name):
            if fs.type.name != type_name:
                continue  # subtypes (e.g. DKPro NamedEntity subclasses) are skipped
            key = f"X{fs.xmiID}"
            keys[fs.xmiID] = key
            entity_key = None
            if type_name == SPAN_TYPE and fs.get("entityId") is not None:
                entity_key = f"E{fs.get('entityId')}"
                entities.setdefault(entity_key, fs.get("entityName") or "")
            spans.append(
                ImportedSpan(
                    key=key,
                    label=str(fs.get(label_feature) or ""),
                    start=fs.begin,
                    end=fs.end,
                    text=fs.get_covered_text(),
                    attributes=_attributes(fs, feature_names, fixed),
                    entity_key=entity_key,
                )
            )
    relations: list[ImportedRelation] = []
    if ts.contains_type(RELATION_TYPE):
        feature_names = [f.name for f in ts.get_type(RELATION_TYPE).all_features]
        for fs in cas.select(RELATION_TYPE):
            head, tail = fs.get("Governor"), fs.get("Dependent")
            if head is None or tail is None or head.xmiID not in keys or tail.xmiID not in keys:
                raise InputError(source, f"relation {fs.xmiID} does not link two spans")
            relations.append(
                ImportedRelation(
                    label=str(fs.get("label") or ""),
                    head_key=keys[head.xmiID],
                    tail_key=keys[tail.xmiID],
                    attributes=_attributes(fs, feature_names, _RELATION_FIXED),
                )
            )
    layer = ImportedLayer(
        annotator=None,
        spans=tuple(spans),
        relations=tuple(relations),
        entities=tuple(ImportedEntity(key, name) for key, name in entities.items()),
    )
    return ImportedDocument(source=source, text=text, title=title, layers=(layer,))


_BUILT_IN: Final = frozenset({"begin", "end", "sofa"})


def _attributes(fs: Any, feature_names: list[str], fixed: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in feature_names:
        if name in _BUILT_IN or name in fixed:
            continue
        value = fs.get(name)
        if value is not None and isinstance(value, str | bool | int | float):
            values[attribute_name(name)] = value
    return values


EXPORTER: Final = XmiExporter()
READER: Final = XmiReader()
