"""TACRED-style export: fields, inclusive ends, positives, symmetric pairs, negatives, losses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from token_corpus import SCHEMA, LayerBuilder, export, make_document, news_corpus, single

from spanlab.core.formats.base import Alignment
from spanlab.core.formats.tacred import EXPORTER, NO_RELATION
from spanlab.core.schema import Schema

FIELDS = [
    "id",
    "docid",
    "relation",
    "token",
    "subj_start",
    "subj_end",
    "obj_start",
    "obj_end",
    "subj_type",
    "obj_type",
]


def examples(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def subj(example: dict[str, Any]) -> str:
    return " ".join(example["token"][example["subj_start"] : example["subj_end"] + 1])


def obj(example: dict[str, Any]) -> str:
    return " ".join(example["token"][example["obj_start"] : example["obj_end"] + 1])


def test_fields_ids_and_inclusive_ends(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.json", "test.json", "train.json"]
    train = examples(tmp_path / "train.json")
    assert all(list(e) == FIELDS for e in train)
    assert [e["id"] for e in train[:2]] == ["1:gold:0", "1:gold:1"]
    assert {e["docid"] for e in train} == {"1"}
    for example in train:
        # end inclusive: the last index is a real token of the mention
        assert 0 <= example["subj_start"] <= example["subj_end"] < len(example["token"])
        assert 0 <= example["obj_start"] <= example["obj_end"] < len(example["token"])
    # one example per line inside the JSON array
    lines = (tmp_path / "train.json").read_text(encoding="utf-8").split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""]
    assert len(lines) == len(train) + 3


def test_positive_examples_and_symmetric_pairs(tmp_path: Path) -> None:
    report = export(EXPORTER, news_corpus(), tmp_path)
    train = examples(tmp_path / "train.json")
    positives = [
        (e["id"].split(":")[1], e["relation"], subj(e), obj(e), e["subj_type"], e["obj_type"])
        for e in train
        if e["relation"] != NO_RELATION
    ]
    assert sorted(positives) == sorted(
        [
            ("gold", "HOLDS_ROLE", "Chang Ho-jin", "First Vice Foreign Minister", "PERSON", "ROLE"),
            ("gold", "HOLDS_ROLE", "Haruki Takeda", "Japanese Vice Minister", "PERSON", "ROLE"),
            ("gold", "REPRESENTS", "Haruki Takeda", "Japanese", "PERSON", "COUNTRY"),
            # MEETS is symmetric: both orders carry the relation
            ("gold", "MEETS", "Chang Ho-jin", "Haruki Takeda", "PERSON", "PERSON"),
            ("gold", "MEETS", "Haruki Takeda", "Chang Ho-jin", "PERSON", "PERSON"),
            ("gold", "PARTICIPATES_IN", "Chang", "talks", "PERSON", "EVENT"),
            ("kim", "HOLDS_ROLE", "Chang Ho-jin", "Vice Foreign Minister", "PERSON", "ROLE"),
        ]
    )
    # REPRESENTS Chang -> S. Korea and HAPPENED_ON talks -> Friday cross sentences.
    assert report.left_out == {"relations across sentences (TACRED is sentence-level)": 2}
    assert any("both orders" in note for note in report.notes)


def test_negatives_are_plausible_disjoint_pairs(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path)
    train = examples(tmp_path / "train.json")
    negatives = [e for e in train if e["relation"] == NO_RELATION]
    assert negatives
    for e in negatives:
        assert SCHEMA.relation_types_for(e["subj_type"], e["obj_type"])
        assert e["subj_end"] < e["obj_start"] or e["obj_end"] < e["subj_start"]
    pairs = {(subj(e), obj(e)) for e in negatives}
    assert ("Haruki Takeda", "First Vice Foreign Minister") in pairs  # PERSON -> ROLE
    # types are directional: ROLE -> PERSON fits no relation type
    assert ("First Vice Foreign Minister", "Chang Ho-jin") not in pairs
    assert ("SEOUL", "Friday") not in pairs  # LOCATION -> DATE neither
    # ROLE -> COUNTRY would fit ROLE_OF, but these two spans overlap
    assert ("Japanese Vice Minister", "Japanese") not in pairs


def test_without_negatives_only_relations_are_written(tmp_path: Path) -> None:
    export(EXPORTER, news_corpus(), tmp_path, include_negatives=False)
    for name in ("train", "dev", "test"):
        assert all(e["relation"] != NO_RELATION for e in examples(tmp_path / f"{name}.json"))
    assert examples(tmp_path / "test.json") == []
    assert (tmp_path / "test.json").read_text(encoding="utf-8") == "[]\n"
    dev = examples(tmp_path / "dev.json")
    assert sorted((e["relation"], subj(e), obj(e)) for e in dev) == [
        ("HOLDS_ROLE", "Park Ji-won", "Ambassador"),
        ("MEETS", "Ho-jin", "Park"),
        ("MEETS", "Park", "Ho-jin"),
        ("REPRESENTS", "Park Ji-won", "U.N."),
    ]


def test_schema_without_relation_types_pairs_every_disjoint_span(tmp_path: Path) -> None:
    document = make_document(40, "t", "Kim met Lee in Seoul.")
    layer = LayerBuilder(document, "gold")
    for name in ("Kim", "Lee", "Seoul"):
        layer.span("X", name)
    export(EXPORTER, [single(document, layer.build())], tmp_path, schema=Schema())
    got = [(e["relation"], subj(e), obj(e)) for e in examples(tmp_path / "corpus.json")]
    assert got == [
        ("no_relation", "Kim", "Lee"),
        ("no_relation", "Kim", "Seoul"),
        ("no_relation", "Lee", "Kim"),
        ("no_relation", "Lee", "Seoul"),
        ("no_relation", "Seoul", "Kim"),
        ("no_relation", "Seoul", "Lee"),
    ]


def test_losses_are_counted(tmp_path: Path) -> None:
    document = make_document(41, "t", "Jane Smith met Kim Ho-jin in Seoul.")
    layer = LayerBuilder(document, "gold")
    jane = layer.at("PERSON", 1, 10)  # misaligned: refused below
    kim = layer.span("PERSON", "Kim Ho-jin")
    seoul = layer.span("LOCATION", "Seoul")
    layer.relation("MEETS", jane, kim)
    layer.relation("LOCATED_IN", kim, seoul)
    layer.relation("BASED_IN", kim, seoul)  # a second label on the same pair
    layer.relation("SELF", kim, kim)
    report = export(
        EXPORTER,
        [single(document, layer.build())],
        tmp_path,
        alignment=Alignment.REFUSE,
    )
    assert report.misaligned == 1
    assert report.left_out == {
        "spans not on token boundaries (alignment: refuse)": 1,
        "relations whose span was left out (not on token boundaries)": 1,
        "relations on a span pair that already has one (TACRED: one per pair)": 1,
        "relations from a span to itself": 1,
    }
    got = [(e["relation"], subj(e), obj(e)) for e in examples(tmp_path / "corpus.json")]
    assert ("BASED_IN", "Kim Ho-jin", "Seoul") in got  # labels are taken in name order
