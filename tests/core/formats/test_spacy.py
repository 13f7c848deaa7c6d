"""spaCy DocBin export/import, proved by spaCy itself (loading, and one short training run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Corpus
from token_corpus import SCHEMA, LayerBuilder, export, make_document, news_corpus, single

from spanlab.core.errors import SpanLabError
from spanlab.core.formats.base import Alignment, ExportDocument, Tokenizer
from spanlab.core.formats.spacy_docbin import EXPORTER, READER, USER_DATA_KEY, words_and_spaces
from spanlab.core.formats.tokens import blank_english
from spanlab.core.text import tokenize


def load(path: Path) -> list[Doc]:
    """The Docs of a .spacy file, or of every .spacy file in a folder (in name order)."""
    nlp = spacy.blank("en")
    files = sorted(path.glob("*.spacy")) if path.is_dir() else [path]
    return [doc for file in files for doc in DocBin().from_disk(file).get_docs(nlp.vocab)]


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def content(docs: list[Doc]) -> list[tuple[object, object]]:
    """Everything a Doc carries: tokens, ents, span groups and our user data."""
    return [(doc.to_json(), doc.user_data[USER_DATA_KEY]) for doc in docs]


def test_spacy_loads_the_docbin_with_our_entities_and_spans(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path)
    assert files_under(tmp_path) == [
        "config.cfg",
        "dev/dev-0001.spacy",
        "test/test-0001.spacy",
        "train/train-0001.spacy",
    ]
    gold, kim = load(tmp_path / "train")
    corpus = news_corpus()
    assert gold.text == kim.text == corpus[0].document.text
    spans = sorted(corpus[0].layers[0].spans, key=lambda s: (s.start, s.end, s.label))
    assert [(s.label_, s.start_char, s.end_char) for s in gold.spans["sc"]] == [
        (s.label, s.start, s.end) for s in spans
    ]
    # doc.ents: the flat subset (the longer "Japanese Vice Minister" wins over "Japanese")
    assert [(e.label_, e.text) for e in gold.ents] == [
        (s.label, s.text) for s in spans if (s.label, s.text) != ("COUNTRY", "Japanese")
    ]
    assert gold.user_data["spanlab"]["annotator"] == "gold"
    assert kim.user_data["spanlab"]["annotator"] == "kim"
    assert [(e.label_, e.text) for e in kim.ents] == [
        ("COUNTRY", "S. Korea"),
        ("ROLE", "Vice Foreign Minister"),
        ("PERSON", "Chang Ho-jin"),
        ("PERSON", "Haruki Takeda"),
        ("LOCATION", "Seoul"),
    ]


def test_docs_rebuild_the_text_exactly_with_our_tokens() -> None:
    text = "  Seoul,\tOct. 6\n\n 🇰🇷 Kim  Ho-jin\u200bmet 👨‍👩‍👧.\n"
    words, spaces = words_and_spaces(text, tokenize(text))
    doc = Doc(blank_english().vocab, words=words, spaces=spaces)
    assert doc.text == text
    visible = [(t.idx, t.text) for t in doc if not t.is_space and t.text != "\u200b"]
    assert visible == [(t.start, t.text) for t in tokenize(text)]
    assert words_and_spaces("", []) == ([], [])
    assert words_and_spaces("  ", []) == (["  "], [False])


def test_round_trip_through_our_reader(tmp_path: Path) -> None:
    corpus = news_corpus()
    export(EXPORTER, corpus, tmp_path)
    read = [
        d
        for name in ("train", "dev", "test")
        for file in sorted((tmp_path / name).glob("*.spacy"))
        for d in READER.read(file, options={})
    ]
    originals = [(item, layer) for item in corpus for layer in item.layers]
    assert len(read) == len(originals) == 5
    for document, (item, layer) in zip(read, originals, strict=True):
        assert document.text == item.document.text
        assert document.title == item.document.title
        assert document.url == item.document.url
        assert document.published == item.document.published
        (got,) = document.layers
        assert got.annotator == layer.annotator
        assert got.status == layer.status
        spans = sorted(layer.spans, key=lambda s: (s.start, s.end, s.label, s.id))
        assert [(s.label, s.start, s.end, s.text, dict(s.attributes)) for s in got.spans] == [
            (s.label, s.start, s.end, s.text, dict(s.attributes)) for s in spans
        ]
        by_key = {s.key: (s.start, s.end, s.label) for s in got.spans}
        by_id = {s.id: (s.start, s.end, s.label) for s in layer.spans}
        assert sorted(
            (r.label, by_key[r.head_key], by_key[r.tail_key], dict(r.attributes))
            for r in got.relations
        ) == sorted(
            (r.label, by_id[r.head_id], by_id[r.tail_id], dict(r.attributes))
            for r in layer.relations
        )
        names = {e.key: e.name for e in got.entities}
        got_groups = {
            names[k]: sorted(by_key[s.key] for s in got.spans if s.entity_key == k) for k in names
        }
        expected_groups = {
            e.name: sorted(by_id[s.id] for s in layer.spans if s.entity_id == e.id)
            for e in layer.entities
        }
        assert got_groups == expected_groups


def test_relation_offsets_are_readable_without_the_indexes(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus()[:1], tmp_path)
    gold = load(tmp_path / "train")[0]
    data = gold.user_data["spanlab"]
    for relation in data["relations"]:
        head = gold.char_span(*relation["head_offsets"])
        assert head is not None
        assert head.text == data["spans"][relation["head"]]["text"]
    meets = [r for r in data["relations"] if r["label"] == "MEETS"]
    assert [
        (gold.text[slice(*r["head_offsets"])], gold.text[slice(*r["tail_offsets"])]) for r in meets
    ] == [("Chang Ho-jin", "Haruki Takeda")]


def test_spacy_tokenizer_option(tmp_path: Path) -> None:
    document = make_document(30, "t", "Chang Ho-jin met Kim in Seoul.")
    layer = LayerBuilder(document, "gold")
    layer.span("PERSON", "Chang Ho-jin")
    layer.span("LOCATION", "Seoul")
    export(EXPORTER, [single(document, layer.build())], tmp_path, tokenizer=Tokenizer.SPACY)
    (doc,) = load(tmp_path / "corpus")
    assert [t.text for t in doc] == [t.text for t in spacy.blank("en")(document.text)]
    assert [(e.label_, e.text) for e in doc.ents] == [
        ("PERSON", "Chang Ho-jin"),
        ("LOCATION", "Seoul"),
    ]


def test_refused_spans_and_their_relations_are_left_out(tmp_path: Path) -> None:
    document = make_document(31, "t", "Jane Smith met Kim in Seoul.")
    layer = LayerBuilder(document, "gold")
    jane = layer.at("PERSON", 1, 10)  # "ane Smith"
    kim = layer.span("PERSON", "Kim")
    layer.relation("MEETS", jane, kim)
    docs = [single(document, layer.build())]
    report = export(EXPORTER, docs, tmp_path / "r", alignment=Alignment.REFUSE)
    assert report.misaligned == 1
    assert report.left_out == {
        "spans not on token boundaries (alignment: refuse)": 1,
        "relations whose span was left out (not on token boundaries)": 1,
    }
    (doc,) = load(tmp_path / "r" / "corpus")
    assert [s.text for s in doc.spans["sc"]] == ["Kim"]
    report = export(EXPORTER, docs, tmp_path / "e", alignment=Alignment.EXPAND)
    (doc,) = load(tmp_path / "e" / "corpus")
    assert [s.text for s in doc.spans["sc"]] == ["Jane Smith", "Kim"]
    assert len(doc.user_data["spanlab"]["relations"]) == 1


def test_config_is_spacys_own_ner_config_with_our_paths(tmp_path: Path) -> None:
    report = export(EXPORTER, news_corpus(), tmp_path)
    config = spacy.util.load_config(tmp_path / "config.cfg", interpolate=False)
    assert config["paths"]["train"] == "train"
    assert config["paths"]["dev"] == "dev"
    assert config["paths"]["vectors"] is None
    assert config["nlp"]["lang"] == "en"
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner"]
    assert not any("training data" in note for note in report.notes)

    report = export(EXPORTER, news_corpus(splits=False), tmp_path / "nosplit")
    config = spacy.util.load_config(tmp_path / "nosplit" / "config.cfg", interpolate=False)
    assert config["paths"]["train"] == config["paths"]["dev"] == "corpus"
    assert any("the training data" in note for note in report.notes)


def test_large_splits_are_several_files_with_the_same_docs(tmp_path: Path) -> None:
    """Memory stays flat because files hold a bounded number of Docs; the Docs do not change."""
    corpus = news_corpus(splits=False)
    export(EXPORTER, corpus, tmp_path / "one")
    report = export(EXPORTER, corpus, tmp_path / "two", extra={"spacy_docs_per_file": 2})
    assert files_under(tmp_path / "two") == [
        "config.cfg",
        "corpus/corpus-0001.spacy",
        "corpus/corpus-0002.spacy",
        "corpus/corpus-0003.spacy",
    ]
    assert [len(load(f)) for f in sorted((tmp_path / "two" / "corpus").iterdir())] == [2, 2, 1]
    assert content(load(tmp_path / "two" / "corpus")) == content(load(tmp_path / "one" / "corpus"))
    assert not report.misaligned and not report.left_out
    # spaCy's training reader takes the folder the config names, every file in it
    nlp = spacy.blank("en")
    examples = list(Corpus(tmp_path / "two" / "corpus")(nlp))
    assert [e.reference.text for e in examples] == [
        item.document.text for item in corpus for _ in item.layers
    ]


def test_docs_per_file_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(SpanLabError, match="at least 1"):
        export(EXPORTER, news_corpus()[:1], tmp_path, extra={"spacy_docs_per_file": 0})


def test_reader_takes_plain_spacy_docbins(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    doc = nlp("Kim Ho-jin visited Seoul.")
    doc.ents = [doc.char_span(0, 10, label="PERSON"), doc.char_span(19, 24, label="GPE")]
    DocBin(docs=[doc]).to_disk(tmp_path / "plain.spacy")
    (document,) = READER.read(tmp_path / "plain.spacy", options={})
    assert document.text == "Kim Ho-jin visited Seoul."
    (layer,) = document.layers
    assert layer.annotator is None
    assert [(s.label, s.text) for s in layer.spans] == [("PERSON", "Kim Ho-jin"), ("GPE", "Seoul")]


def test_reader_errors_and_sniff(tmp_path: Path) -> None:
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"not a docbin")
    with pytest.raises(SpanLabError, match=r"bad\.spacy: not a spaCy DocBin"):
        list(READER.read(bad, options={}))
    assert READER.sniff(Path("train.spacy"), b"x\x9c")
    assert not READER.sniff(Path("train.json"), b"[")


def test_missing_spacy_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(SpanLabError, match=r"install spanlab\[spacy\]"):
        export(EXPORTER, news_corpus()[:1], tmp_path)


@pytest.mark.slow
def test_spacy_train_runs_on_the_export(tmp_path: Path) -> None:
    """``spacy train`` accepts the data and the config: one short run from blank English."""
    out = tmp_path / "export"
    corpus: list[ExportDocument] = news_corpus()
    export(EXPORTER, corpus, out, extra={"spacy_docs_per_file": 1})
    assert len(list((out / "train").glob("*.spacy"))) == 2  # a folder of several files
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "train",
            "config.cfg",
            "--output",
            str(tmp_path / "model"),
            "--training.max_epochs",
            "1",
            "--training.max_steps",
            "5",
            "--training.eval_frequency",
            "5",
        ],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    trained = spacy.load(tmp_path / "model" / "model-last")
    assert trained.pipe_names == ["tok2vec", "ner"]
    assert set(trained.get_pipe("ner").labels) <= set(SCHEMA.label_names)
