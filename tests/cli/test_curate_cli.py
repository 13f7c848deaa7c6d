"""``spanlab curate`` and ``spanlab agreement --against gold``: output, exit codes, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from spanlab.cli import main
from spanlab.core.curation import CurationState, SetCurationState, curation_states
from spanlab.core.curation_quality import CSV_COLUMNS
from spanlab.core.model import GOLD_ANNOTATOR, AnnotatorRole
from spanlab.core.project import Project


@pytest.fixture
def sample(sample_project: Project) -> str:
    assert sample_project.path is not None
    path = str(sample_project.path)
    sample_project.close()
    return path


def gold_span_count(path: str) -> int:
    with Project.open(path) as project:
        gold = project.annotator(GOLD_ANNOTATOR)
        if gold is None:
            return 0
        return sum(project.span_counts(gold.id).values())


def test_curate_reports_merged_and_left(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["curate", sample, "--strategy", "unanimous"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Strategy: unanimous (annotators: alice, bob; layers of documents")
    assert "#1 S. Korea, Japan vice ministers" in out
    assert "merged 20 span(s), 4 relation(s), 0 entity group(s); left for a person: 14" in out
    assert "at 135: span ROLE 'First Vice Foreign Minister': boundaries differ:" in out
    assert "at 1381: span COUNTRY 'Ankara': labels differ: COUNTRY (bob) / LOCATION (alice)" in out
    # documents only alice finished are skipped with the reason
    assert (
        "#8 " in out
        and "skipped (agreement needs two annotators whose layer counts here; only alice" in out
    )
    assert "Total: merged 124 span(s), 35 relation(s) and 0 entity group(s) in 6 document(s)" in out
    assert gold_span_count(sample) == 124
    with Project.open(sample) as project:
        states = set(curation_states(project).values())
    assert states == {CurationState.IN_PROGRESS, CurationState.NOT_STARTED}

    # a second run leaves curated work alone; --replace starts over
    assert main(["curate", sample, "--strategy", "majority:1", "--documents", "3"]) == 0
    out = capsys.readouterr().out
    assert "#3 " in out and "skipped (gold already has" in out
    assert "use replace to start over" in out
    assert (
        main(["curate", sample, "--strategy", "majority:1", "--documents", "3", "--replace"]) == 0
    )
    out = capsys.readouterr().out
    assert "replaced the gold layer:" in out
    assert "left for a person: 2 (2 conflicting label)" in out


def test_dry_run_changes_nothing(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["curate", sample, "--strategy", "prefer:bob", "--documents", "1", "2", "--dry-run"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Dry run: nothing was changed." in out
    assert "would merge" in out and "not in bob's layer (made by alice)" in out
    assert "Total: would merge" in out
    assert gold_span_count(sample) == 0


def test_all_documents_and_annotators(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["curate", sample, "--strategy", "prefer:alice", "--annotators", "alice"]
    assert main([*args, "--documents", "8", "--all-documents"]) == 0
    out = capsys.readouterr().out
    assert "annotators: alice; layers of documents they started" in out
    assert "#8 " in out and "left for a person: 0" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategy", "best"], "unknown strategy 'best' (strategies: unanimous, majority:K"),
        (["--strategy", "majority:0"], "majority:K needs K of at least 1, got 0"),
        (["--strategy", "majority:3"], "majority:3 needs at least 3 annotators; only 2"),
        (["--strategy", "prefer:carol"], "prefer:carol: carol is not among the compared"),
        (
            ["--strategy", "unanimous", "--annotators", "alice", "carol"],
            "unknown annotator(s): carol (known: alice, bob)",
        ),
        (["--strategy", "unanimous", "--documents", "99"], "unknown document id(s): 99"),
        ([], "nothing to do: give --strategy"),
        (["--role", "alice"], "--role expects NAME=ROLE, got 'alice'"),
        (["--role", "alice=boss"], "unknown role 'boss'"),
        (["--role", "gold=curator"], "is the curated layer, not a person"),
    ],
)
def test_errors(
    sample: str, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["curate", sample, *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("spanlab: error: ")
    assert message in err
    assert gold_span_count(sample) == 0


def test_roles(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["curate", sample, "--role", "carol=curator", "--role", "bob=manager"]) == 0
    out = capsys.readouterr().out
    assert "carol is now a curator." in out and "bob is now a manager." in out
    with Project.open(sample) as project:
        roles = {a.name: a.role for a in project.annotators()}
    assert roles == {
        "alice": AnnotatorRole.ANNOTATOR,
        "bob": AnnotatorRole.MANAGER,
        "carol": AnnotatorRole.CURATOR,
    }


def test_agreement_against_gold(
    sample: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agreement", sample, "--against", "gold"]) == 1
    assert "no gold layer yet" in capsys.readouterr().err
    assert main(["curate", sample, "--strategy", "majority:1", "--documents", "1", "3"]) == 0
    capsys.readouterr()
    assert main(["agreement", sample, "--against", "gold"]) == 1
    err = capsys.readouterr().err
    assert "gold documents: 0 of 8 (curated) — no document is curated" in err
    assert "--all-documents" in err

    with Project.open(sample) as project:
        for doc in (1, 3):
            project.execute(SetCurationState(doc, CurationState.CURATED))
    assert main(["agreement", sample, "--against", "gold"]) == 0
    out = capsys.readouterr().out
    assert "Gold documents: 2 of 8 (curated)" in out
    assert "Quality against gold" in out and "span exact" in out
    assert "Documents compared: alice 2, bob 2" in out
    assert "Per label" in out and "Per relation type" in out

    assert main(["agreement", sample, "--against", "gold", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"]["gold"] == [1, 3]
    assert [a["name"] for a in data["annotators"]] == ["alice", "bob"]
    alice = data["annotators"][0]["spans"]["exact"]
    # majority:1 on two annotators: gold is the union without ties, so neither is perfect
    assert 0 < alice["precision"] < 1 and 0 < alice["recall"] < 1

    csv_file = tmp_path / "quality.csv"
    assert main(["agreement", sample, "--against", "gold", "--out", str(csv_file)]) == 0
    assert "Wrote the quality report against gold (csv)" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS

    args = ["agreement", sample, "--against", "gold"]
    assert main([*args, "--annotators", "bob", "--labels", "PERSON", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["name"] for a in data["annotators"]] == ["bob"]
    assert list(data["annotators"][0]["per_label"]) == ["PERSON"]
    assert main([*args, "--format", "html"]) == 1
    assert "not HTML" in capsys.readouterr().err
    assert main([*args, "--pair", "alice", "bob"]) == 1
    assert "--pair does not apply" in capsys.readouterr().err
    assert main([*args, "--annotators", "gold"]) == 1
    assert "is the reference" in capsys.readouterr().err


def test_agreement_without_against_is_unchanged(
    sample: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agreement", sample, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"]["used"] == 6
    with pytest.raises(SystemExit) as exit_info:
        main(["agreement", sample, "--against", "silver"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'silver'" in capsys.readouterr().err
