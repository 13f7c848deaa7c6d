"""DocRED-style export: sentences, entity groups as vertexSet, end-exclusive pos, labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from token_corpus import LayerBuilder, export, make_document, news_corpus, single

from spanlab.core.formats.base import Alignment
from spanlab.core.formats.docred import EXPORTER


def records(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def entity_names(record: dict[str, Any]) -> list[list[str]]:
    return [[m["name"] for m in entity] for entity in record["vertexSet"]]


def test_one_record_per_layer_with_docred_fields(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.json", "test.json", "train.json"]
    gold, kim = records(tmp_path / "train.json")
    assert list(gold) == ["title", "sents", "vertexSet", "labels"]
    assert gold["title"] == "S. Korea, Japan agree to revive security dialogue"
    assert gold["sents"][0][-1] == "🇰🇷"
    assert len(gold["sents"]) == 4 and gold["sents"] == kim["sents"]


def test_mentions_are_sentence_relative_and_end_exclusive(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path)
    for name in ("train", "dev", "test"):
        for record in records(tmp_path / f"{name}.json"):
            for entity in record["vertexSet"]:
                for mention in entity:
                    start, end = mention["pos"]
                    tokens = record["sents"][mention["sent_id"]][start:end]
                    assert start < end
                    # the name is the covered text; the tokens are its pieces
                    assert "".join(tokens) == mention["name"].replace(" ", "")
                    assert set(mention) == {"name", "sent_id", "pos", "type"}


def test_entity_groups_become_vertices(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path)
    gold = records(tmp_path / "train.json")[0]
    names = entity_names(gold)
    # grouped mentions, in order of first mention
    assert ["SEOUL", "Seoul"] in names
    assert ["Chang Ho-jin", "Chang"] in names
    assert names.index(["SEOUL", "Seoul"]) < names.index(["Chang Ho-jin", "Chang"])
    # ungrouped spans are entities of their own, overlaps included
    assert ["Japanese"] in names and ["Japanese Vice Minister"] in names
    assert names[0] == ["S. Korea"]
    chang = gold["vertexSet"][names.index(["Chang Ho-jin", "Chang"])]
    assert [(m["sent_id"], m["pos"], m["type"]) for m in chang] == [
        (1, [12, 14], "PERSON"),
        (2, [0, 1], "PERSON"),
    ]
    dev = records(tmp_path / "dev.json")[0]
    assert ["Park Ji-won", "박지원", "Park"] in entity_names(dev)


def test_labels_link_entities_with_evidence(tmp_path: Path) -> None:
    report = export(EXPORTER, news_corpus(), tmp_path)
    gold = records(tmp_path / "train.json")[0]
    names = [entity[0]["name"] for entity in gold["vertexSet"]]
    got = [(names[lab["h"]], names[lab["t"]], lab["r"], lab["evidence"]) for lab in gold["labels"]]
    assert sorted(got) == sorted(
        [
            ("Chang Ho-jin", "First Vice Foreign Minister", "HOLDS_ROLE", [1]),
            ("Haruki Takeda", "Japanese Vice Minister", "HOLDS_ROLE", [1]),
            ("Haruki Takeda", "Japanese", "REPRESENTS", [1]),
            ("Chang Ho-jin", "Haruki Takeda", "MEETS", [1]),
            ("Haruki Takeda", "Chang Ho-jin", "MEETS", [1]),  # symmetric: both directions
            ("Chang Ho-jin", "talks", "PARTICIPATES_IN", [2]),  # via the mention "Chang"
            ("talks", "Friday", "HAPPENED_ON", [1, 2]),
            ("Chang Ho-jin", "S. Korea", "REPRESENTS", [0, 2]),  # across sentences
        ]
    )
    assert gold["labels"] == sorted(gold["labels"], key=lambda x: (x["h"], x["t"], x["r"]))
    assert not report.left_out
    assert any("both directions" in note for note in report.notes)


def test_relations_of_mentions_merge_and_losses_are_counted(tmp_path: Path) -> None:
    document = make_document(50, "t", "Kim Ho-jin met Lee. Kim later met Lee again. Jane Doe left.")
    layer = LayerBuilder(document, "gold")
    kim = layer.entity("Kim Ho-jin")
    lee = layer.entity("Lee")
    kim1 = layer.span("PERSON", "Kim Ho-jin", entity=kim)
    lee1 = layer.span("PERSON", "Lee", entity=lee)
    kim2 = layer.span("PERSON", "Kim", 2, entity=kim)
    lee2 = layer.span("PERSON", "Lee", 2, entity=lee)
    jane = layer.at("PERSON", document.text.index("ane"), document.text.index(" left"))
    layer.relation("KNOWS", kim1, lee1)
    layer.relation("KNOWS", kim2, lee2)
    layer.relation("SAME", kim1, kim2)
    layer.relation("KNOWS", jane, lee1)
    report = export(
        EXPORTER, [single(document, layer.build())], tmp_path, alignment=Alignment.CONTRACT
    )
    (record,) = records(tmp_path / "corpus.json")
    names = entity_names(record)
    assert names == [["Kim Ho-jin", "Kim"], ["Lee", "Lee"], ["Doe"]]
    assert record["labels"] == [
        {"h": 0, "t": 1, "r": "KNOWS", "evidence": [0, 1]},  # two mention pairs, merged
        {"h": 2, "t": 1, "r": "KNOWS", "evidence": [0, 2]},  # the contracted span keeps it
    ]
    assert report.misaligned == 1  # "ane Doe" contracted to "Doe"
    assert report.left_out == {
        "relations within one entity group (DocRED links two entities)": 1,
    }
    report = export(
        EXPORTER,
        [single(document, layer.build())],
        tmp_path / "refuse",
        alignment=Alignment.REFUSE,
    )
    assert report.left_out["relations whose span was left out (not on token boundaries)"] == 1
