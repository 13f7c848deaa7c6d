"""``spanlab agreement``: formats, output files, exit codes and error messages."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from spanlab.cli import main
from spanlab.core.agreement_report import CSV_COLUMNS, OVERALL_METRICS
from spanlab.core.project import Project


@pytest.fixture
def sample(sample_project: Project) -> str:
    assert sample_project.path is not None
    return str(sample_project.path)


def test_table_states_documents_used_and_units(
    sample: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agreement", sample]) == 0
    out = capsys.readouterr().out
    assert "Documents used: 6 of 8 (marked done by every compared annotator)" in out
    assert "Annotators: alice, bob" in out
    for text in ("Span F1 (exact)", "Unitizing α_U", "characters", "Per label", "PERSON"):
        assert text in out


def test_json_to_stdout(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agreement", sample, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"]["used"] == 6
    assert data["documents"]["total"] == 8
    assert list(data["metrics"]) == list(OVERALL_METRICS)
    assert data["metrics"]["span_f1_overlap"]["unit"] == "spans"


def test_csv_and_html_files_by_suffix(
    sample: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "agreement.csv"
    assert main(["agreement", sample, "--out", str(csv_file)]) == 0
    out = capsys.readouterr().out
    assert f"Wrote the agreement report (csv) to {csv_file}" in out
    assert "Documents used: 6 of 8" in out
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["metric"] == "span_f1_exact" and rows[0]["scope"] == "overall"

    html_file = tmp_path / "report.out"
    assert main(["agreement", sample, "--format", "html", "--out", str(html_file)]) == 0
    tree = lxml.html.document_fromstring(html_file.read_text(encoding="utf-8"))
    assert len(list(tree.iter("svg"))) >= 5
    assert not list(tree.iter("script"))


def test_selection_options(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["agreement", sample, "--format", "json", "--labels", "PERSON", "ROLE"]
    assert main([*args, "--documents", "1", "2", "6", "--pair", "bob", "alice"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["labels"] == ["PERSON", "ROLE"]
    assert data["documents"]["summary"].startswith("documents used: 2 of 3")
    assert (data["confusion"]["a"], data["confusion"]["b"]) == ("bob", "alice")
    assert main(["agreement", sample, "--documents", "6", "8", "--all-documents"]) == 0
    assert "Documents used: 2 of 2 (started" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--annotators", "alice", "carol"], "unknown annotator(s): carol (known: alice, bob)"),
        (["--annotators", "alice"], "agreement needs at least two annotators, got alice"),
        (["--labels", "NOPE"], "unknown label(s): NOPE (known: PERSON, ROLE"),
        (["--documents", "99"], "unknown document id(s): 99"),
        (
            ["--documents", "6", "8"],
            "documents used: 0 of 2 — no document is marked done by every compared annotator "
            "(alice, bob); use --all-documents to include unfinished documents",
        ),
        (["--format", "table", "--out", "x.txt"], "--out needs --format json, csv or html"),
        (["--pair", "alice", "alice"], "the confusion pair must be two different"),
    ],
)
def test_errors_exit_1_with_a_clear_message(
    sample: str, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["agreement", sample, *extra]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("spanlab: error: ")
    assert message in captured.err


def test_no_document_done_by_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.spanlab"
    with Project.create(path) as project, project.edit() as store:
        (doc,) = store.insert_documents([{"title": "t", "text": "Kim met Lee.", "sha256": "x"}])
        for name in ("ann", "ben"):
            annotator = store.ensure_annotator(name)
            store.insert_span(
                document_id=doc, annotator_id=annotator.id, label="PERSON", start=0, end=3
            )
    assert main(["agreement", str(path)]) == 1
    assert "documents used: 0 of 1" in capsys.readouterr().err
    assert main(["agreement", str(path), "--all-documents"]) == 0
    assert "Documents used: 1 of 1" in capsys.readouterr().out


def test_usage_errors_exit_2(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    for extra in (["--documents", "x"], ["--format", "pdf"]):
        with pytest.raises(SystemExit) as info:
            main(["agreement", sample, *extra])
        assert info.value.code == 2
        assert "spanlab agreement: error:" in capsys.readouterr().err


def test_real_process_error_is_one_line(sample: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spanlab", "agreement", sample, "--annotators", "nobody", "bob"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "unknown annotator(s): nobody" in result.stderr
