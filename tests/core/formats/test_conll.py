"""CoNLL-2003 export and import: exact layout, schemes, seqeval, round trip, reader errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import BILOU, IOB1, IOB2, IOBES, Entities
from token_corpus import SCHEMA, LayerBuilder, export, make_document, news_corpus, single

from spanlab.core.errors import InputError
from spanlab.core.formats.base import Alignment, ExportReport, ImportedDocument, Tokenizer
from spanlab.core.formats.conll import DOCSTART, EXPORTER, READER
from spanlab.core.formats.tokens import (
    SCHEMES,
    TokenSpan,
    decode_tags,
    document_sentences,
    normalise_scheme,
    tag_layer,
)

SEQEVAL = {"IOB1": IOB1, "IOB2": IOB2, "BIOES": IOBES, "BILOU": BILOU}


def small_document() -> list:
    document = make_document(10, "Kim", "Chang Ho-jin met Kim.\nS. Korea 🇰🇷 won.")
    layer = LayerBuilder(document, "gold")
    layer.span("PERSON", "Chang Ho-jin")
    layer.span("PERSON", "Kim")
    layer.span("COUNTRY", "S. Korea")
    return [single(document, layer.build())]


def parse_columns(path: Path) -> list[list[tuple[str, ...]]]:
    """Documents as lists of sentences of column tuples, the way the HF loader splits."""
    documents: list[list[tuple[str, ...]]] = []
    sentence: list[tuple[str, ...]] = []
    sentences: list = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-") or line == "":
            if sentence:
                sentences.append(sentence)
                sentence = []
            if line.startswith("-DOCSTART-"):
                if sentences:
                    documents.append(sentences)
                sentences = []
            continue
        sentence.append(tuple(line.split(" ")))
    if sentence:
        sentences.append(sentence)
    if sentences:
        documents.append(sentences)
    return documents


def test_exact_layout(tmp_path: Path) -> None:
    report = export(EXPORTER, small_document(), tmp_path)
    assert (tmp_path / "corpus.conll").read_text(encoding="utf-8") == (
        "-DOCSTART- -X- -X- O\n"
        "\n"
        "Chang -X- _ B-PERSON\n"
        "Ho-jin -X- _ I-PERSON\n"
        "met -X- _ O\n"
        "Kim -X- _ B-PERSON\n"
        ". -X- _ O\n"
        "\n"
        "S. -X- _ B-COUNTRY\n"
        "Korea -X- _ I-COUNTRY\n"
        "🇰🇷 -X- _ O\n"
        "won -X- _ O\n"
        ". -X- _ O\n"
        "\n"
    )
    assert report.misaligned == 0 and not report.left_out
    assert "CoNLL tags use the IOB2 scheme" in report.notes


def test_one_file_per_split_and_four_columns_everywhere(tmp_path: Path) -> None:
    """Every token line has the 4 space-separated columns the HF conll2003 loader reads."""
    export(EXPORTER, news_corpus(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.conll", "test.conll", "train.conll"]
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        assert text.startswith(DOCSTART + "\n\n")
        for line in text.split("\n"):
            if line and not line.startswith("-DOCSTART-"):
                token, pos, chunk, tag = line.split(" ")
                assert token and (pos, chunk) == ("-X-", "_")
                assert tag == "O" or tag[:2] in ("B-", "I-")


def test_overlaps_keep_the_longest_span_and_are_reported(tmp_path: Path) -> None:
    report = export(EXPORTER, news_corpus(), tmp_path)
    assert report.left_out == {"overlapping spans (CoNLL is flat)": 1}
    assert report.misaligned == 0
    gold = next(READER.read(tmp_path / "train.conll", options={}))
    labelled = [(s.label, s.text) for s in gold.layers[0].spans]
    assert ("ROLE", "Japanese Vice Minister") in labelled
    assert ("COUNTRY", "Japanese") not in labelled
    # Relations, attributes and entity groups are not CoNLL's to report: exporting
    # counts them from ``carries``.
    assert EXPORTER.carries == {"spans"}


def expected_token_labels(scheme: str) -> list[list[tuple[list[str], list[TokenSpan]]]]:
    """What the export should contain: per layer, sentences of tokens and their chunks."""
    result = []
    for item in news_corpus():
        sentences = document_sentences(item.document.text, Tokenizer.SPANLAB)
        for layer in item.layers:
            tagged = tag_layer(
                item.document.text,
                sentences,
                layer,
                alignment=Alignment.EXPAND,
                scheme=scheme,
                report=ExportReport("x"),
                format_name="CoNLL",
            )
            result.append(
                [([t.text for t in s.tokens], decode_tags(s.tags, scheme)) for s in tagged]
            )
    return result


def token_level(document: ImportedDocument) -> list[tuple[list[str], list[TokenSpan]]]:
    """A read document as sentences of tokens and their chunks in token indices."""
    result: list[tuple[list[str], list[TokenSpan]]] = []
    starts: dict[int, tuple[int, int]] = {}
    ends: dict[int, tuple[int, int]] = {}
    offset = 0
    for k, sentence in enumerate(document.text.split("\n")):
        tokens = sentence.split(" ")
        for i, token in enumerate(tokens):
            starts[offset] = (k, i)
            ends[offset + len(token)] = (k, i + 1)
            offset += len(token) + 1
        result.append((tokens, []))
    for span in document.layers[0].spans:
        (k, first), (k_end, end) = starts[span.start], ends[span.end]
        assert k == k_end
        assert document.text[span.start : span.end] == span.text
        result[k][1].append(TokenSpan(first, end, span.label))
    return result


@pytest.mark.parametrize("scheme", SCHEMES)
def test_round_trip_gives_back_the_token_level_labels(tmp_path: Path, scheme: str) -> None:
    export(EXPORTER, news_corpus(), tmp_path, scheme=scheme)
    got = [
        token_level(document)
        for name in ("train", "dev", "test")
        for document in READER.read(tmp_path / f"{name}.conll", options={})
    ]
    assert got == expected_token_labels(scheme)


def test_reader_texts_and_labels_for_the_gold_layer(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path, scheme="BIOES")
    documents = list(READER.read(tmp_path / "train.conll", options={}))
    assert len(documents) == 2  # gold and kim, one -DOCSTART- block each
    gold = documents[0]
    assert gold.text.split("\n")[0] == "S. Korea , Japan agree to revive security dialogue 🇰🇷"
    assert gold.layers[0].annotator is None
    assert [(s.label, s.text) for s in gold.layers[0].spans] == [
        ("COUNTRY", "S. Korea"),
        ("COUNTRY", "Japan"),
        ("COUNTRY", "🇰🇷"),
        ("LOCATION", "SEOUL"),
        ("DATE", "Oct. 6"),
        ("ORGANIZATION", "Yonhap"),
        ("ROLE", "First Vice Foreign Minister"),
        ("PERSON", "Chang Ho-jin"),
        ("ROLE", "Japanese Vice Minister"),
        ("PERSON", "Haruki Takeda"),
        ("LOCATION", "Seoul"),
        ("DATE", "Friday"),
        ("PERSON", "Chang"),
        ("EVENT", "talks"),
        ("PERSON", "백태진"),
        ("PERSON", "Baek Tae-jin"),
    ]
    assert documents[0].source.endswith("train.conll:1")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_seqeval_reads_the_written_tags(tmp_path: Path, scheme: str) -> None:
    """seqeval (strict for BIOES/BILOU) finds exactly the chunks we meant to write."""
    export(EXPORTER, news_corpus(), tmp_path, scheme=scheme)
    expected = expected_token_labels(scheme)
    documents = [
        d for name in ("train", "dev", "test") for d in parse_columns(tmp_path / f"{name}.conll")
    ]
    assert len(documents) == len(expected)
    for sentences, layer in zip(documents, expected, strict=True):
        tags = [[columns[3] for columns in sentence] for sentence in sentences]
        entities = Entities(tags, SEQEVAL[scheme]).entities
        for k, (tokens, chunks) in enumerate(layer):
            assert [columns[0] for columns in sentences[k]] == tokens
            assert [(e.start, e.end, e.tag) for e in entities[k]] == [
                (c.start, c.end, c.label) for c in chunks
            ]
            if scheme in ("IOB1", "IOB2", "BIOES"):
                # seqeval's default conlleval-style reader too
                assert get_entities(tags[k]) == [(c.label, c.start, c.end - 1) for c in chunks]


def test_one_file_per_document(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path, one_file=False)
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.conll"))
    assert files == [
        "dev/000002-family-reunions-to-resume.conll",
        "test/000003-mekong-forum-opens-in-hanoi.conll",
        "train/000001-s-korea-japan-agree-to-revive-security-d.conll",
    ]


def test_misaligned_spans_follow_the_alignment_option(tmp_path: Path) -> None:
    document = make_document(11, "Jane", "Jane Smith paid $3.99 in Seoul.")
    layer = LayerBuilder(document, "gold")
    layer.at("PERSON", 1, 4)  # "ane"
    layer.span("LOCATION", "Seoul")
    docs = [single(document, layer.build())]

    report = export(EXPORTER, docs, tmp_path / "expand")
    assert report.misaligned == 1
    assert "expanded to 'Jane'" in report.misaligned_examples[0]
    tags = [line.split(" ")[3] for line in _token_lines(tmp_path / "expand" / "corpus.conll")]
    assert tags[:2] == ["B-PERSON", "O"]

    report = export(EXPORTER, docs, tmp_path / "refuse", alignment=Alignment.REFUSE)
    assert report.misaligned == 1
    assert report.left_out == {"spans not on token boundaries (alignment: refuse)": 1}
    tags = [line.split(" ")[3] for line in _token_lines(tmp_path / "refuse" / "corpus.conll")]
    assert tags == ["O"] * 6 + ["B-LOCATION", "O"]


def _token_lines(path: Path) -> list[str]:
    return [
        line
        for line in path.read_text(encoding="utf-8").split("\n")
        if line and not line.startswith("-DOCSTART-")
    ]


def test_spacy_tokenizer_lines_stay_four_columns(tmp_path: Path) -> None:
    document = make_document(12, "t", "Seoul\u00a0Forum: Kim Ho-jin met 👨‍👩‍👧 in S. Korea.\nDone!")
    layer = LayerBuilder(document, "gold")
    layer.span("PERSON", "Kim Ho-jin")
    export(EXPORTER, [single(document, layer.build())], tmp_path, tokenizer=Tokenizer.SPACY)
    lines = _token_lines(tmp_path / "corpus.conll")
    assert all(len(line.split(" ")) == 4 for line in lines)
    chunks = next(READER.read(tmp_path / "corpus.conll", options={})).layers[0].spans
    # spaCy splits the hyphen off: its tokens, joined by spaces in the rebuilt text
    assert [(s.label, s.text) for s in chunks] == [("PERSON", "Kim Ho - jin")]


# ---------------------------------------------------------------------------- reader


def test_reader_detects_iob1_shared_task_data(tmp_path: Path) -> None:
    path = tmp_path / "eng.testa"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "U.N. NNP I-NP I-ORG\nofficial NN I-NP O\nEkeus NNP I-NP I-PER\n"
        "heads VBZ I-VP O\nfor IN I-PP O\nBaghdad NNP I-NP I-LOC\n. . O O\n\n",
        encoding="utf-8",
    )
    (document,) = READER.read(path, options={})
    assert document.text == "U.N. official Ekeus heads for Baghdad ."
    spans = document.layers[0].spans
    assert [(s.label, s.text, s.start, s.end) for s in spans] == [
        ("ORG", "U.N.", 0, 4),
        ("PER", "Ekeus", 14, 19),
        ("LOC", "Baghdad", 30, 37),
    ]
    assert spans[1].line == 5


def test_reader_two_columns_tabs_bom_and_no_docstart(tmp_path: Path) -> None:
    path = tmp_path / "conll2002.iob"
    path.write_bytes("\ufeffWolff\tB-PER\n,\tO\ncurrently\tO\n\nin\tO\nMadrid\tB-LOC\n".encode())
    (document,) = READER.read(path, options={})
    assert document.text == "Wolff , currently\nin Madrid"
    assert [(s.label, s.text) for s in document.layers[0].spans] == [
        ("PER", "Wolff"),
        ("LOC", "Madrid"),
    ]


def test_reader_given_scheme_and_bad_input_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.conll"
    path.write_text("Kim -X- _ S-PER\nmet -X- _ O\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.conll:1: tag 'S-PER' is not valid in IOB2"):
        list(READER.read(path, options={"scheme": "IOB2"}))
    (document,) = READER.read(path, options={})  # detected: BIOES
    assert [(s.label, s.text) for s in document.layers[0].spans] == [("PER", "Kim")]

    path.write_text("Kim B-PER\nlonely\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.conll:2: expected a token and a tag"):
        list(READER.read(path, options={}))
    path.write_text("Kim PERSON\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.conll:1: .*not a tag"):
        list(READER.read(path, options={}))
    with pytest.raises(InputError, match="unknown tagging scheme"):
        list(READER.read(path, options={"scheme": "XYZ"}))


def test_sniff() -> None:
    assert READER.sniff(Path("a.conll"), b"")
    assert READER.sniff(Path("train.txt"), b"-DOCSTART- -X- -X- O\n\nEU B-ORG")
    assert READER.sniff(Path("train.txt"), b"\xef\xbb\xbf-DOCSTART- -X- O O\n")
    assert not READER.sniff(Path("article.txt"), b"Seoul, Oct. 6 (Yonhap) -- ")
    assert not READER.sniff(Path("a.json"), b"[{}]")


def test_scheme_option_is_validated(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="unknown tagging scheme"):
        export(EXPORTER, small_document(), tmp_path, scheme="IOE1")
    assert normalise_scheme("BILUO") == "BILOU"
    assert SCHEMA.label("PERSON") is not None
