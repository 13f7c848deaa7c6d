"""Hugging Face token classification: rows, label ids, the card, and ``datasets`` loading it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from token_corpus import SCHEMA, LayerBuilder, export, make_document, news_corpus, single

# ``datasets`` must never try the Hub here (set before it is imported).
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import datasets

from spanlab.core.errors import SpanLabError
from spanlab.core.formats.huggingface import EXPORTER
from spanlab.core.formats.tokens import decode_tags, tag_names


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_files_rows_and_ids(tmp_path: Path) -> None:
    report = export(EXPORTER, news_corpus(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "README.md",
        "dev.jsonl",
        "label_names.json",
        "test.jsonl",
        "train.jsonl",
    ]
    train = rows(tmp_path / "train.jsonl")
    assert [r["id"] for r in train] == [f"1:gold:{k}" for k in range(4)] + [
        f"1:kim:{k}" for k in range(4)
    ]
    assert all(list(r) == ["id", "tokens", "ner_tags"] for r in train)
    assert train[0]["tokens"][-1] == "🇰🇷"
    assert report.left_out == {"overlapping spans (Hugging Face token classification is flat)": 1}


def test_label_ids_decode_to_the_spans(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path)
    names = json.loads((tmp_path / "label_names.json").read_text(encoding="utf-8"))
    assert names == tag_names(SCHEMA.label_names, "IOB2")
    assert names[:3] == ["O", "B-PERSON", "I-PERSON"]
    row = rows(tmp_path / "dev.jsonl")[1]  # "GENEVA, Oct. 14 -- Ambassador Park Ji-won ..."
    chunks = decode_tags([names[i] for i in row["ner_tags"]], "IOB2")
    found = [(c.label, " ".join(row["tokens"][c.start : c.end])) for c in chunks]
    assert found == [
        ("LOCATION", "GENEVA"),
        ("DATE", "Oct. 14"),
        ("ROLE", "Ambassador"),
        ("PERSON", "Park Ji-won"),
        ("PERSON", "박지원"),
        ("LOCATION", "Geneva"),
        ("ORGANIZATION", "U.N."),
    ]


def test_document_rows_option(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path, scheme="BILOU", extra={"hf_rows": "document"})
    train = rows(tmp_path / "train.jsonl")
    assert [r["id"] for r in train] == ["1:gold", "1:kim"]
    names = json.loads((tmp_path / "label_names.json").read_text(encoding="utf-8"))
    assert names[:5] == ["O", "B-PERSON", "I-PERSON", "L-PERSON", "U-PERSON"]
    with pytest.raises(SpanLabError, match="hf_rows"):
        export(EXPORTER, news_corpus(), tmp_path / "x", extra={"hf_rows": "paragraph"})


def test_unknown_labels_are_appended_and_ids_stay_stable_across_splits(tmp_path: Path) -> None:
    first = make_document(20, "a", "Kim fired a Hyunmoo missile.")
    layer = LayerBuilder(first, "gold")
    layer.span("PERSON", "Kim")
    layer.span("WEAPON", "Hyunmoo missile")
    second = make_document(21, "b", "Lee saw a Hyunmoo launcher near Seoul.")
    other = LayerBuilder(second, "gold")
    other.span("WEAPON", "Hyunmoo launcher")
    other.span("LOCATION", "Seoul")
    report = export(
        EXPORTER,
        [single(first, layer.build(), split="train"), single(second, other.build(), split="dev")],
        tmp_path,
    )
    names = json.loads((tmp_path / "label_names.json").read_text(encoding="utf-8"))
    assert names[-2:] == ["B-WEAPON", "I-WEAPON"]
    weapon = names.index("B-WEAPON")
    assert rows(tmp_path / "train.jsonl")[0]["ner_tags"][3] == weapon
    assert rows(tmp_path / "dev.jsonl")[0]["ner_tags"][3] == weapon
    assert any("labels missing from the schema" in note for note in report.notes)


def test_datasets_loads_the_folder_with_class_label_names(tmp_path: Path) -> None:
    """The card's dataset_info applies: ``ner_tags`` come back as ClassLabel names."""
    out = tmp_path / "hf"
    export(EXPORTER, news_corpus(), out)
    names = json.loads((out / "label_names.json").read_text(encoding="utf-8"))
    loaded = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    assert sorted(loaded) == ["test", "train", "validation"]
    feature = loaded["train"].features["ner_tags"].feature
    assert isinstance(feature, datasets.ClassLabel)
    assert feature.names == names
    assert loaded["validation"][1]["tokens"][:3] == ["GENEVA", ",", "Oct."]
    assert feature.int2str(loaded["validation"][1]["ner_tags"][0]) == "B-LOCATION"
    assert loaded["train"].num_rows == 8 and loaded["test"].num_rows == 2


def test_datasets_json_loader_with_features_from_label_names(tmp_path: Path) -> None:
    """``load_dataset("json")`` reads the files; the label names come from label_names.json."""
    out = tmp_path / "hf"
    export(EXPORTER, news_corpus(splits=False), out)
    assert (out / "data.jsonl").is_file()
    names = json.loads((out / "label_names.json").read_text(encoding="utf-8"))
    files = {"train": str(out / "data.jsonl")}
    plain = datasets.load_dataset("json", data_files=files, cache_dir=str(tmp_path / "c1"))
    assert plain["train"].features["ner_tags"].feature.dtype == "int64"
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
        }
    )
    typed = datasets.load_dataset(
        "json", data_files=files, features=features, cache_dir=str(tmp_path / "c2")
    )
    assert typed["train"].features["ner_tags"].feature.names == names
    assert typed["train"].num_rows == 16
    # without a split the single file is the "train" split of the folder too
    loaded = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "c3"))
    assert list(loaded) == ["train"]
    assert loaded["train"].features["ner_tags"].feature.names == names


def test_card_declares_features_and_splits(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path, scheme="IOB1")
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    front = card.split("---\n")[1]
    assert "  - name: ner_tags\n    sequence:\n      class_label:\n        names:\n" in front
    assert "          '0': 'O'\n          '1': 'I-PERSON'\n          '2': 'B-PERSON'\n" in front
    assert "  - split: validation\n    path: dev.jsonl\n" in front
    assert "IOB1" in card
