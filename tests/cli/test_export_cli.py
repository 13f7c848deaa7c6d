"""``spanlab export`` and ``spanlab import`` of annotation files: output and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from spanlab.cli import main
from spanlab.core.resources import real_path, resource

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"
SAMPLE_ARTICLE = str(real_path(resource("samples", "01-seoul-tokyo-talks.txt")))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "s.spanlab"
    assert main(["sample", str(path)]) == 0
    return path


def test_export_prints_a_summary_and_writes_the_files(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "d"
    capsys.readouterr()
    assert main(["export", str(sample), "--format", "doccano", "--out", str(out)]) == 0
    output = capsys.readouterr().out
    assert "Exported 6 document(s)" in output and f"as doccano to {out}" in output
    assert "Left out (the format cannot hold them):" in output
    assert "span attribute values (doccano has none)" in output
    assert sorted(p.name for p in out.iterdir()) == ["alice.jsonl", "bob.jsonl"]


def test_export_refuses_a_non_empty_folder_without_force(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "j")
    assert main(["export", str(sample), "-f", "jsonl", "--out", out]) == 0
    capsys.readouterr()
    assert main(["export", str(sample), "-f", "jsonl", "--out", out]) == 1
    assert "is not empty; choose another folder or use --force" in capsys.readouterr().err
    assert main(["export", str(sample), "-f", "jsonl", "--out", out, "--force"]) == 0


def test_export_options_reach_the_core(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s"
    args = ["export", str(sample), "-f", "jsonl", "--out", str(out), "--all-documents"]
    assert main([*args, "--split", "0.5,0.25,0.25", "--seed", "2", "--per-annotator"]) == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jsonl")) == [
        f"{a}/{s}.jsonl" for a in ("alice", "bob") for s in ("dev", "test", "train")
    ]
    out2 = tmp_path / "one"
    assert (
        main(["export", str(sample), "-f", "jsonl", "--out", str(out2), "--annotator", "bob"]) == 0
    )
    rows = [json.loads(line) for line in (out2 / "documents.jsonl").read_text().splitlines()]
    assert {a["annotator"] for r in rows for a in r["annotations"]} == {"bob"}
    capsys.readouterr()
    assert (
        main(["export", str(sample), "-f", "jsonl", "--out", str(tmp_path / "x"), "--split", "1,2"])
        == 1
    )
    assert "three ratios" in capsys.readouterr().err


def test_export_failures_exit_non_zero_with_the_reason(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["export", str(sample), "-f", "brat", "--out", str(tmp_path / "g"), "--gold"]) == 1
    assert "no gold layer" in capsys.readouterr().err
    empty = tmp_path / "empty.spanlab"
    assert main(["init", str(empty)]) == 0
    assert main(["import", str(empty), SAMPLE_ARTICLE]) == 0
    assert main(["import", str(empty), str(DATA / "brat-good"), "--annotator", "alice"]) == 0
    capsys.readouterr()
    assert main(["export", str(empty), "-f", "jsonl", "--out", str(tmp_path / "n")]) == 1
    err = capsys.readouterr().err
    assert "Nothing exported: no document is marked done by alice; use --all-documents" in err
    with pytest.raises(SystemExit) as info:
        main(["export", str(sample), "-f", "csv"])
    assert info.value.code == 2


def test_import_round_trip_through_the_cli(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "j"
    assert main(["export", str(sample), "-f", "jsonl", "--out", str(out), "--all-documents"]) == 0
    fresh = str(tmp_path / "fresh.spanlab")
    assert main(["init", fresh]) == 0
    capsys.readouterr()
    assert main(["import", fresh, str(out / "documents.jsonl")]) == 0
    output = capsys.readouterr().out
    assert "Imported annotations from 1 of 1 file(s): 8 new document(s)" in output
    again = tmp_path / "again"
    assert main(["export", fresh, "-f", "jsonl", "--out", str(again), "--all-documents"]) == 0
    assert (again / "documents.jsonl").read_bytes() == (out / "documents.jsonl").read_bytes()
    capsys.readouterr()
    assert main(["import", fresh, str(out / "documents.jsonl")]) == 1
    assert "already has" in capsys.readouterr().err


def test_import_of_brat_needs_an_annotator_and_reports_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(tmp_path / "p.spanlab")
    assert main(["init", project]) == 0
    capsys.readouterr()
    assert main(["import", project, str(DATA / "brat-good")]) == 1
    assert "pass --annotator NAME" in capsys.readouterr().err
    assert main(["import", project, str(DATA / "brat-outside"), "--annotator", "a"]) == 1
    err = capsys.readouterr().err
    assert f"{DATA / 'brat-outside' / 'doc.ann'}:4:" in err and "ends after the text" in err
    assert main(["import", project, str(DATA / "brat-missing-label"), "--annotator", "a"]) == 1
    assert "use --add-labels" in capsys.readouterr().err
    args = ["import", project, str(DATA / "brat-missing-label"), "--annotator", "a"]
    assert main([*args, "--add-labels"]) == 0
    assert "added labels to the schema: CITY" in capsys.readouterr().out


def test_import_all_or_nothing_and_explicit_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(tmp_path / "p.spanlab")
    assert main(["init", project]) == 0
    folder = tmp_path / "in"
    shutil.copytree(DATA / "brat-good", folder / "good")
    shutil.copytree(DATA / "brat-zero-length", folder / "bad")
    capsys.readouterr()
    args = ["import", project, str(folder), "--annotator", "a", "--format", "brat"]
    assert main([*args, "--all-or-nothing"]) == 1
    captured = capsys.readouterr()
    assert "Nothing was imported (--all-or-nothing)." in captured.err
    assert main(["stats", project]) == 0
    assert "Documents: 0" in capsys.readouterr().out
    assert main(args) == 1
    assert "Imported annotations from 1 of 2 file(s)" in capsys.readouterr().out


def test_plain_articles_still_go_to_the_article_importer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(tmp_path / "p.spanlab")
    assert main(["init", project]) == 0
    capsys.readouterr()
    assert main(["import", project, SAMPLE_ARTICLE]) == 0
    assert "Imported 1 document(s)" in capsys.readouterr().out
    assert main(["import", project, SAMPLE_ARTICLE, "--annotator", "a"]) == 1
    assert "--annotator only apply to annotation files" in capsys.readouterr().err
    assert main(["import", project, SAMPLE_ARTICLE, str(DATA / "brat-good")]) == 1
    assert "import annotation files and plain articles in separate runs" in (
        capsys.readouterr().err
    )
