"""UIMA CAS XMI (INCEpTION): packaging, cassis loading, UTF-16 offsets, round trip, hostile XML."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem
from lxml import etree
from token_corpus import SCHEMA, LayerBuilder, export, make_document, news_corpus, single

from spanlab.core.errors import InputError
from spanlab.core.formats.base import ExportDocument
from spanlab.core.formats.uima_xmi import (
    EXPORTER,
    READER,
    RELATION_TYPE,
    SENTENCE_TYPE,
    SPAN_TYPE,
    TOKEN_TYPE,
    TYPESYSTEM_NAME,
    attribute_name,
    feature_name,
)
from spanlab.core.text import Utf16Offsets, sentence_spans, tokenize

SEOUL_ZIP = "train/000001-s-korea-japan-agree-to-revive-security-d.zip"
XMI_NS = "{http://www.omg.org/XMI}id"


def one_layer_corpus() -> list[ExportDocument]:
    """The corpus as exporting hands it over: one annotator per call (gold only here)."""
    return [ExportDocument(d.document, d.layers[:1], d.split) for d in news_corpus()]


def open_zip(path: Path) -> tuple[TypeSystem, Cas, bytes]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        xmi_name = next(n for n in names if n.endswith(".xmi"))
        xmi = archive.read(xmi_name)
        ts = load_typesystem(BytesIO(archive.read(TYPESYSTEM_NAME)))
    return ts, load_cas_from_xmi(BytesIO(xmi), typesystem=ts), xmi


def test_one_zip_per_document_with_xmi_and_type_system(tmp_path: Path) -> None:
    export(EXPORTER, one_layer_corpus(), tmp_path)
    zips = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.zip"))
    assert zips == [
        "dev/000002-family-reunions-to-resume.zip",
        "test/000003-mekong-forum-opens-in-hanoi.zip",
        SEOUL_ZIP,
    ]
    with zipfile.ZipFile(tmp_path / SEOUL_ZIP) as archive:
        assert archive.namelist() == [
            "000001-s-korea-japan-agree-to-revive-security-d.xmi",
            "TypeSystem.xml",
        ]


def test_several_layers_of_a_document_get_one_zip_each(tmp_path: Path) -> None:
    report = export(EXPORTER, news_corpus()[:1], tmp_path)
    assert sorted(p.name for p in (tmp_path / "train").iterdir()) == [
        "000001-s-korea-japan-agree-to-revive-security-d-gold.zip",
        "000001-s-korea-japan-agree-to-revive-security-d-kim.zip",
    ]
    assert any("one annotator per file" in note for note in report.notes)


def test_cassis_loads_it_and_covered_texts_equal_ours_emoji_included(tmp_path: Path) -> None:
    corpus = one_layer_corpus()
    export(EXPORTER, corpus, tmp_path)
    for item, path in zip(
        corpus,
        [
            tmp_path / SEOUL_ZIP,
            tmp_path / "dev/000002-family-reunions-to-resume.zip",
            tmp_path / "test/000003-mekong-forum-opens-in-hanoi.zip",
        ],
        strict=True,
    ):
        _, cas, _ = open_zip(path)
        assert cas.sofa_string == item.document.text
        written = sorted(
            (a.begin, a.end, a.get("label"), a.get_covered_text()) for a in cas.select(SPAN_TYPE)
        )
        assert written == sorted((s.start, s.end, s.label, s.text) for s in item.layers[0].spans)
    _, cas, _ = open_zip(tmp_path / SEOUL_ZIP)
    flags = [a for a in cas.select(SPAN_TYPE) if a.get_covered_text() == "🇰🇷"]
    assert len(flags) == 1 and flags[0].get("iso_code") == "KR"


def test_xmi_offsets_are_utf16_code_units(tmp_path: Path) -> None:
    export(EXPORTER, one_layer_corpus(), tmp_path)
    _, _, xmi = open_zip(tmp_path / SEOUL_ZIP)
    text = news_corpus()[0].document.text
    units = Utf16Offsets(text)
    root = etree.fromstring(xmi)
    written = sorted(
        (int(e.get("begin")), int(e.get("end")), e.get("label"))
        for e in root
        if etree.QName(e).localname == "Span"
    )
    spans = news_corpus()[0].layers[0].spans
    assert written == sorted(
        (units.to_utf16(s.start), units.to_utf16(s.end), s.label) for s in spans
    )
    # "Baek Tae-jin" comes after the flag (2 code points, 4 units): the unit offset is larger
    baek = next(s for s in spans if s.text == "Baek Tae-jin")
    assert units.to_utf16(baek.start) == baek.start + 2


def test_type_system_follows_inception_conventions(tmp_path: Path) -> None:
    export(EXPORTER, one_layer_corpus(), tmp_path)
    ts, cas, _ = open_zip(tmp_path / SEOUL_ZIP)
    for name in (SPAN_TYPE, RELATION_TYPE, SENTENCE_TYPE, TOKEN_TYPE):
        assert ts.get_type(name).supertype.name == "uima.tcas.Annotation"
    relation = ts.get_type(RELATION_TYPE)
    assert relation.get_feature("Governor").rangeType.name == SPAN_TYPE
    assert relation.get_feature("Dependent").rangeType.name == SPAN_TYPE
    assert relation.get_feature("label").rangeType.name == "uima.cas.String"
    assert relation.get_feature("certainty").rangeType.name == "uima.cas.String"
    span = ts.get_type(SPAN_TYPE)
    assert span.get_feature("former").rangeType.name == "uima.cas.Boolean"
    assert span.get_feature("iso_code").rangeType.name == "uima.cas.String"
    for annotation in cas.select(RELATION_TYPE):
        dependent = annotation.get("Dependent")
        assert (annotation.begin, annotation.end) == (dependent.begin, dependent.end)
    text = cas.sofa_string
    assert [(t.begin, t.end) for t in cas.select(TOKEN_TYPE)] == [
        (t.start, t.end) for t in tokenize(text)
    ]
    assert [(s.begin, s.end) for s in cas.select(SENTENCE_TYPE)] == sentence_spans(text)
    (meta,) = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")
    assert meta.get("documentTitle") == news_corpus()[0].document.title


def test_sentences_are_merged_where_a_span_crosses_them(tmp_path: Path) -> None:
    document = make_document(60, "t", "Talks in Seoul.\nBusan hosted the rest.")
    layer = LayerBuilder(document, "gold")
    layer.span("LOCATION", "Seoul.\nBusan")
    export(EXPORTER, [single(document, layer.build())], tmp_path)
    _, cas, _ = open_zip(tmp_path / "000060-t.zip")
    assert [(s.begin, s.end) for s in cas.select(SENTENCE_TYPE)] == [(0, len(document.text))]


def test_round_trip_through_our_reader(tmp_path: Path) -> None:
    corpus = one_layer_corpus()
    export(EXPORTER, corpus, tmp_path)
    paths = sorted(tmp_path.rglob("*.zip"), key=lambda p: p.name)
    for item, path in zip(corpus, paths, strict=True):
        assert READER.sniff(path, path.read_bytes()[:4])
        (document,) = READER.read(path, options={})
        assert document.text == item.document.text
        assert document.title == item.document.title
        (layer,) = document.layers
        assert layer.annotator is None  # the user says whose annotations these are
        original = item.layers[0]
        assert sorted(
            (s.label, s.start, s.end, s.text, dict(s.attributes)) for s in layer.spans
        ) == sorted((s.label, s.start, s.end, s.text, dict(s.attributes)) for s in original.spans)
        by_key = {s.key: (s.start, s.end, s.label) for s in layer.spans}
        by_id = {s.id: (s.start, s.end, s.label) for s in original.spans}
        assert sorted(
            (r.label, by_key[r.head_key], by_key[r.tail_key], dict(r.attributes))
            for r in layer.relations
        ) == sorted(
            (r.label, by_id[r.head_id], by_id[r.tail_id], dict(r.attributes))
            for r in original.relations
        )
        names = {e.key: e.name for e in layer.entities}
        assert {
            names[k]: sorted(by_key[s.key] for s in layer.spans if s.entity_key == k) for k in names
        } == {
            e.name: sorted(by_id[s.id] for s in original.spans if s.entity_id == e.id)
            for e in original.entities
        }


def test_reserved_and_unusable_attribute_names(tmp_path: Path) -> None:
    assert feature_name("label") == "attrLabel" and attribute_name("attrLabel") == "label"
    assert feature_name("type") == "attrType" and attribute_name("attrType") == "type"
    assert feature_name("iso_code") == "iso_code" and attribute_name("iso_code") == "iso_code"
    assert attribute_name("attrition") == "attrition"
    assert feature_name("no spaces") is None
    document = make_document(61, "t", "Kim met Lee.")
    layer = LayerBuilder(document, "gold")
    layer.span("PERSON", "Kim", attributes={"label": "x", "type": "y", "count": 3, "ok": True})
    layer.span("PERSON", "Lee", attributes={"no spaces": "z"})
    report = export(EXPORTER, [single(document, layer.build())], tmp_path)
    assert report.left_out == {"attribute values whose name is not a valid UIMA feature name": 1}
    (read,) = READER.read(tmp_path / "000061-t.zip", options={})
    kim, lee = read.layers[0].spans
    # non-string values of string features come back as their JSON text
    assert dict(kim.attributes) == {"label": "x", "type": "y", "count": "3", "ok": "true"}
    assert dict(lee.attributes) == {}


def test_each_zip_has_the_type_system_of_its_own_attributes(tmp_path: Path) -> None:
    """Type systems are built once per export and shared, yet each fits its document."""
    plain, extra, plain_again = (
        make_document(62 + n, f"d{n}", "Kim met Lee in Seoul.") for n in range(3)
    )
    layers = []
    for document, attributes in ((plain, {}), (extra, {"confidence": "high"}), (plain_again, {})):
        layer = LayerBuilder(document, "gold")
        layer.span("PERSON", "Kim", attributes=attributes)
        layer.span("LOCATION", "Seoul")
        layers.append(single(document, layer.build()))
    export(EXPORTER, layers, tmp_path)

    def span_features(name: str) -> tuple[set[str], object]:
        ts, cas, _ = open_zip(tmp_path / f"{name}.zip")
        kim, seoul = cas.select(SPAN_TYPE)
        assert (kim.get_covered_text(), seoul.get_covered_text()) == ("Kim", "Seoul")
        features = {f.name for f in ts.get_type(SPAN_TYPE).all_features}
        return features, kim.get("confidence") if "confidence" in features else None

    base, _ = span_features("000062-d0")
    assert "confidence" not in base
    assert span_features("000063-d1") == (base | {"confidence"}, "high")
    assert span_features("000064-d2") == (base, None)


def test_export_is_byte_for_byte_deterministic(tmp_path: Path) -> None:
    export(EXPORTER, one_layer_corpus(), tmp_path / "a")
    export(EXPORTER, one_layer_corpus(), tmp_path / "b")
    for path in (tmp_path / "a").rglob("*.zip"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_xmi_file_next_to_its_type_system(tmp_path: Path) -> None:
    export(EXPORTER, one_layer_corpus(), tmp_path)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(tmp_path / SEOUL_ZIP) as archive:
        archive.extractall(folder)
    (xmi,) = folder.glob("*.xmi")
    assert READER.sniff(xmi, b"<?xml")
    (document,) = READER.read(xmi, options={})
    assert len(document.layers[0].spans) == len(news_corpus()[0].layers[0].spans)
    (folder / TYPESYSTEM_NAME).unlink()
    with pytest.raises(InputError, match=r"needs the TypeSystem\.xml"):
        list(READER.read(xmi, options={}))


def test_inception_named_entities_are_read_too(tmp_path: Path) -> None:
    ts = TypeSystem()
    ne = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")
    ts.create_feature(ne, "value", "uima.cas.String")
    ts.create_feature(ne, "identifier", "uima.cas.String")
    cas = Cas(typesystem=ts)
    cas.sofa_string = "🇰🇷 Kim met Lee."
    cas.add(ne(begin=3, end=6, value="PER"))
    cas.add(ne(begin=11, end=14, value="PER", identifier="Q1"))
    path = tmp_path / "inception.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("doc.xmi", cas.to_xmi())
        archive.writestr("typesystem.xml", ts.to_xml())
    (document,) = READER.read(path, options={})
    assert [(s.label, s.text, dict(s.attributes)) for s in document.layers[0].spans] == [
        ("PER", "Kim", {}),
        ("PER", "Lee", {"identifier": "Q1"}),
    ]


# ------------------------------------------------------------------------- hostile XML

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    '<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" '
    'xmi:version="2.0"><cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" '
    'sofaString="&lol3;"/></xmi:XMI>'
)
EXTERNAL = (
    '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
    '<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" '
    'xmi:version="2.0"><cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" '
    'sofaString="&ext;"/></xmi:XMI>'
)


def _zip_with(tmp_path: Path, xmi: str | bytes, typesystem: str | bytes | None = None) -> Path:
    if typesystem is None:
        typesystem = TypeSystem().to_xml()
    path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evil.xmi", xmi)
        archive.writestr("TypeSystem.xml", typesystem)
    return path


def test_cassis_alone_would_expand_internal_entities() -> None:
    """Why the reader checks first: cassis' parser expands the entities (here 300 chars)."""
    cas = load_cas_from_xmi(BytesIO(BILLION_LAUGHS.encode()), typesystem=TypeSystem())
    assert cas.sofa_string == "lol" * 100


@pytest.mark.parametrize("xmi", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external"])
def test_entity_declarations_are_refused_naming_the_file(tmp_path: Path, xmi: str) -> None:
    path = _zip_with(tmp_path, xmi)
    with pytest.raises(InputError, match=r"hostile\.zip!evil\.xmi: refusing XML with a DOCTYPE"):
        list(READER.read(path, options={}))


def test_hostile_type_system_and_malformed_xml_are_refused(tmp_path: Path) -> None:
    typesystem = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e "x">]>'
        '<typeSystemDescription xmlns="http://uima.apache.org/resourceSpecifier"/>'
    )
    ok_xmi = Cas(typesystem=TypeSystem()).to_xmi()
    with pytest.raises(InputError, match=r"TypeSystem\.xml: refusing XML with a DOCTYPE"):
        list(READER.read(_zip_with(tmp_path, ok_xmi, typesystem), options={}))
    with pytest.raises(InputError, match=r"evil\.xmi: not well-formed XML"):
        list(READER.read(_zip_with(tmp_path, "<xmi:XMI><unclosed>"), options={}))
    # the same DOCTYPE in UTF-16, which a byte search cannot see, is caught by the parser
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>' + BILLION_LAUGHS.split("\n", 1)[1]
    with pytest.raises(InputError, match=r"evil\.xmi: refusing XML with a DOCTYPE"):
        list(READER.read(_zip_with(tmp_path, utf16.encode("utf-16")), options={}))


def test_zip_without_xmi_or_type_system(tmp_path: Path) -> None:
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert not READER.sniff(path, path.read_bytes()[:4])
    with pytest.raises(InputError, match=r"no \.xmi file"):
        list(READER.read(path, options={}))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.xmi", Cas(typesystem=TypeSystem()).to_xmi())
    with pytest.raises(InputError, match=r"needs TypeSystem\.xml next to it"):
        list(READER.read(path, options={}))
    assert not READER.sniff(Path("x.conll"), b"")
    assert SCHEMA.label("ROLE") is not None
