"""``spanlab import``: options, summary, exit codes and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from spanlab.cli import main
from spanlab.core.project import Project

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


@pytest.fixture
def project_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "p.spanlab")
    assert main(["init", path]) == 0
    capsys.readouterr()
    return path


def documents(project_file: str) -> list[tuple[str, str]]:
    with Project.open(project_file) as project:
        return [(d.title, project.document(d.id).sha256) for d in project.documents()]


def test_import_every_fixture(project_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", project_file, str(DATA)])
    out, err = capsys.readouterr()
    assert code == 1  # the JSONL fixture has a broken line
    assert out.splitlines()[0] == "Imported 6 document(s); 1 duplicate(s) skipped; 1 failed."
    assert f"  duplicate (same text already in the project): {DATA / 'news_page.html'}" in out
    assert err.splitlines() == [
        f"  failed: {DATA / 'articles.jsonl'}:3: invalid JSON: Unterminated string starting at "
        "(column 26)"
    ]
    assert len(documents(project_file)) == 6


def test_clean_import_exits_zero_and_a_repeat_is_all_duplicates(
    project_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    page = str(DATA / "news_page.html")
    assert main(["import", project_file, page]) == 0
    assert capsys.readouterr().out.startswith("Imported 1 document(s); 0 duplicate(s) skipped")
    assert main(["import", project_file, page]) == 0
    assert capsys.readouterr().out.startswith("Imported 0 document(s); 1 duplicate(s) skipped")


def test_all_or_nothing_imports_nothing(
    project_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"
    code = main(
        ["import", project_file, str(DATA / "news_page.html"), str(missing), "--all-or-nothing"]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("Imported 0 document(s); 0 duplicate(s) skipped; 1 failed.")
    assert err.splitlines() == [
        f"  failed: {missing}: no such file or folder",
        "Nothing was imported (--all-or-nothing).",
    ]
    assert documents(project_file) == []


def test_jsonl_options(
    project_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.data"
    path.write_text('{"key": "k1", "body": "First"}\n{"key": "k2"}\n', encoding="utf-8")
    code = main(
        [
            "import", project_file, str(path), "--format", "jsonl",
            "--text-field", "body", "--id-field", "key",
        ]
    )  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == f"failed: {path}:2 (id k2): the text field 'body' is missing"
    with Project.open(project_file) as project:
        [summary] = project.documents()
        assert project.document(summary.id).metadata["id"] == "k1"


def test_include_and_encoding(
    project_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.news").write_bytes("서울 시장".encode("euc-kr"))
    (folder / "b.txt").write_text("not included", encoding="utf-8")
    code = main(
        ["import", project_file, str(folder), "--include", "*.news", "--encoding", "euc-kr"]
    )
    assert code == 0
    assert capsys.readouterr().out.startswith("Imported 1 document(s)")
    assert [title for title, _ in documents(project_file)] == ["서울 시장"]


def test_notices_are_shown(
    project_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes(
        ("Le café de la gare a fermé. Les élèves étaient déçus. " * 4).encode("cp1252")
    )
    assert main(["import", project_file, str(path)]) == 0
    _, err = capsys.readouterr()
    assert err.strip() == (
        f"note: {path}: not UTF-8; the encoding was detected as cp1252: check the text"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--encoding", "klingon"], "spanlab: error: unknown text encoding 'klingon'"),
        (["--text-field", ""], "spanlab: error: the JSONL text field name is empty"),
    ],
)
def test_bad_options_are_one_line_errors(
    project_file: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["import", project_file, str(DATA / "news_page.html"), *args]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", message + "\n")
    assert documents(project_file) == []


def test_unknown_format_is_a_usage_error(
    project_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["import", project_file, "x.txt", "--format", "pdf"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'pdf'" in err and "Traceback" not in err


def test_missing_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.spanlab"
    assert main(["import", str(missing), str(DATA / "news_page.html")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"spanlab: error: {missing}: no such project")
    assert len(err.splitlines()) == 1


def test_every_bad_input_names_the_file(
    project_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\n",
        "binary.txt": b"\x00\x01\x02\x03PK\x00\x00",
        "invalid.txt": "Zürich ".encode() + b"\xff",
        "nobody.html": b"<html><body><nav>Home</nav></body></html>",
        "bomb.xhtml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    paths = [str(tmp_path / name) for name in bad]
    assert main(["import", project_file, *paths, "--include", "*"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("Imported 0 document(s); 0 duplicate(s) skipped; 6 failed.")
    lines = err.splitlines()
    assert len(lines) == 6 and "Traceback" not in err
    for line, name in zip(lines, bad, strict=True):
        assert line.startswith(f"  failed: {tmp_path / name}")
    assert lines[3].endswith("invalid UTF-8 at byte 8 (0xff: invalid start byte)")
    assert lines[5].startswith(f"  failed: {tmp_path / 'bomb.xhtml'}:1: entity declarations")
    assert documents(project_file) == []


def test_long_duplicate_lists_are_shortened(
    project_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "same.jsonl"
    path.write_text('{"text": "Same article"}\n' * 30, encoding="utf-8")
    assert main(["import", project_file, str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Imported 1 document(s); 29 duplicate(s) skipped; 0 failed."
    assert lines[1] == f"  duplicate (same text already in the project): {path}:2"
    assert lines[21:] == ["  ... and 9 more duplicate(s)"]
