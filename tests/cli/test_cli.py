"""The command line: init, import, stats, schema, errors as one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import spanlab
from spanlab.cli import main
from spanlab.core.resources import real_path, resource, sample_article_names

SAMPLES = [str(real_path(resource("samples", n))) for n in sample_article_names()]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spanlab", *args], capture_output=True, text=True, check=False
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"spanlab {spanlab.__version__}"


def test_init_import_stats_prints_correct_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(tmp_path / "x.spanlab")
    assert main(["init", project]) == 0
    assert main(["import", project, *SAMPLES]) == 0
    assert f"Imported {len(SAMPLES)} document(s); 0 duplicate(s)" in capsys.readouterr().out
    assert main(["import", project, SAMPLES[0]]) == 0
    assert "1 duplicate(s) skipped" in capsys.readouterr().out
    assert main(["stats", project]) == 0
    assert f"Documents: {len(SAMPLES)}" in capsys.readouterr().out


def test_stats_of_the_sample_project_shows_per_label_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(tmp_path / "s.spanlab")
    assert main(["sample", project]) == 0
    capsys.readouterr()
    assert main(["stats", project]) == 0
    output = capsys.readouterr().out
    assert "Spans per label" in output and "alice" in output and "bob" in output
    person_row = next(line for line in output.splitlines() if "PERSON" in line)
    assert any(char.isdigit() for char in person_row)


def test_schema_export_then_import_with_rename(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(tmp_path / "s.spanlab")
    exported = tmp_path / "schema.toml"
    main(["sample", project])
    assert main(["schema", project, "--export", str(exported)]) == 0
    text = exported.read_text(encoding="utf-8")
    assert 'name = "PERSON"' in text
    edited = tmp_path / "edited.toml"
    edited.write_text(text.replace('"ORGANIZATION"', '"ORG"'), encoding="utf-8")
    capsys.readouterr()
    assert main(["schema", project, "--import", str(edited)]) == 1
    assert "label 'ORGANIZATION' is used by" in capsys.readouterr().err
    assert main(["schema", project, "--import", str(edited), "--rename", "ORGANIZATION=ORG"]) == 0
    assert "ORG" in capsys.readouterr().out


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    result = run_cli("stats", str(tmp_path / "missing.spanlab"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "missing.spanlab: no such project" in result.stderr


def test_verbose_shows_the_traceback(tmp_path: Path) -> None:
    result = run_cli("--verbose", "stats", str(tmp_path / "missing.spanlab"))
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_broken_schema_file_is_named_with_its_line(tmp_path: Path) -> None:
    schema = tmp_path / "bad.toml"
    schema.write_text('name = "x"\n[[labels]]\nname = "A"\ncolour = "red"\n', encoding="utf-8")
    result = run_cli("init", str(tmp_path / "p.spanlab"), "--schema", str(schema))
    assert result.returncode == 1
    assert f"{schema}:4: label A: 'colour' must be a hex colour" in result.stderr
    assert not (tmp_path / "p.spanlab").exists()


def test_usage_errors_exit_2() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
