"""JSON Lines: one article per line, bad lines reported as file:line, the rest imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from spanlab.core.importing import ImportOptions, ImportReport, import_paths, jsonl_reader
from spanlab.core.project import Project


def run(project: Project, path: Path, **options: object) -> ImportReport:
    return import_paths(project, [path], options=ImportOptions(**options))  # type: ignore[arg-type]


def failures(report: ImportReport) -> list[str]:
    return [f"{f.source}: {f.reason}" for f in report.failures]


def write(tmp_path: Path, content: str | bytes, name: str = "a.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_fixture_with_one_broken_line(project: Project, data_dir: Path) -> None:
    path = data_dir / "articles.jsonl"
    report = run(project, path)
    assert failures(report) == [
        f"{path}:3: invalid JSON: Unterminated string starting at (column 26)"
    ]
    assert len(report.imported) == 3
    first, second, fourth = (project.document(i) for i in report.imported)

    assert first.title == "Port strike ends after three weeks"
    assert first.url == "https://news.example.org/business/port-strike"
    assert first.published == "2024-02-12"
    assert first.source == str(path)
    assert first.text == (
        "Port strike ends after three weeks\n\nDock workers in Busan returned to work on Monday "
        "after the union accepted a new wage offer."
    )
    assert dict(first.metadata) == {
        "format": "jsonl",
        "line": 1,
        "encoding": "utf-8",
        "encoding_source": "default",
        "id": "hd-001",
        "section": "business",
    }

    assert second.title == "Shipping rates climb again"  # from the first line of the text
    assert second.url is None
    assert second.published == "2024-02-20"  # "Feb. 20, 2024"
    assert second.text == (
        "Shipping rates climb again\n\nContainer rates between Busan and Rotterdam rose for a "
        "third week, analysts at Blue Gull Research said."
    )
    assert dict(second.metadata) == {
        "format": "jsonl",
        "line": 2,
        "encoding": "utf-8",
        "encoding_source": "default",
        "id": "hd-002",
        "tags": ["shipping", "rates"],
    }

    assert fourth.title == "박서준 부산시장, 기후 정상회의 개최 🌊"
    assert fourth.published is None
    assert fourth.text == (
        "박서준 부산시장, 기후 정상회의 개최 🌊\n\n"
        "부산시는 월요일 12개 항구 도시 대표단을 맞이했다."
    )
    assert dict(fourth.metadata) == {
        "format": "jsonl",
        "line": 5,  # line 4 is blank and skipped
        "encoding": "utf-8",
        "encoding_source": "default",
        "id": "hd-004",
        "published": "sometime in spring",  # not a date: kept as it was
        "author": "한지우",
    }


def test_id_field_names_records_in_messages(project: Project, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"doc": "x-1", "body": "Ferry resumes."}\n'
        '{"doc": "x-2", "text": "no body field"}\n'
        '{"doc": 7, "body": 12}\n'
        '{"doc": "x-4", "body": "  \\n "}\n',
    )
    report = run(project, path, text_field="body", id_field="doc")
    assert failures(report) == [
        f"{path}:2 (id x-2): the text field 'body' is missing",
        f"{path}:3 (id 7): the text field 'body' is a number, not a string",
        f"{path}:4 (id x-4): empty document (no text after removing whitespace)",
    ]
    [document] = [project.document(i) for i in report.imported]
    assert document.text == "Ferry resumes."
    assert document.metadata["id"] == "x-1"
    assert "doc" not in document.metadata and "text" not in document.metadata


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('["a list"]', "not a JSON object (the line holds a list)"),
        ('"just a string"', "not a JSON object (the line holds a str)"),
        ('{"text": NaN}', "invalid JSON: NaN is not valid JSON"),
        ('{"text": "abc\\ud800def"}', "invalid character U+D800 (lone surrogate) at character 3"),
        ('{"text": null}', "the text field 'text' is missing"),
        ('{"text": ["a"]}', "the text field 'text' is a list, not a string"),
        (
            '{"text": "a", }',
            "invalid JSON: Expecting property name enclosed in double quotes (column 15)",
        ),
    ],
)
def test_bad_lines(project: Project, tmp_path: Path, line: str, reason: str) -> None:
    path = write(tmp_path, '{"text": "A good article."}\n' + line + "\n")
    report = run(project, path)
    assert failures(report) == [f"{path}:2: {reason}"]
    assert len(report.imported) == 1


def test_invalid_utf8_names_line_and_file_byte(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, b'{"text": "ok"}\n{"text": "Z\xfcrich"}\n')
    report = run(project, path)
    assert failures(report) == [f"{path}:2: invalid UTF-8 at byte 26 (0xfc: invalid start byte)"]


def test_crlf_lines_and_a_bom_are_accepted(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, b'\xef\xbb\xbf{"text": "one"}\r\n\r\n{"text": "two"}\r\n')
    report = run(project, path)
    assert report.ok
    assert [project.document(i).text for i in report.imported] == ["one", "two"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file (0 bytes)"),
        (b"\n\n  \n", "no records (the file has only blank lines)"),
        (b"\xff\xfe{\x00}\x00", "JSONL must be UTF-8, but the file starts with a utf-16-le BOM"),
        (
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
            "looks like a binary file (4 NUL bytes in the first 10), not text",
        ),
    ],
)
def test_bad_files(project: Project, tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path, content)
    assert failures(run(project, path)) == [f"{path}: {reason}"]


def test_a_line_over_the_limit_is_skipped(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl_reader, "MAX_LINE_BYTES", 100)
    long_line = '{"text": "' + "x" * 300 + '"}\n'
    path = write(tmp_path, '{"text": "first"}\n' + long_line + '{"text": "third"}\n')
    report = run(project, path)
    assert failures(report) == [
        f"{path}:2: line too large: 313 bytes (0.0 MB); the limit is 0 MB per document"
    ]
    assert [project.document(i).text for i in report.imported] == ["first", "third"]


def test_forced_ascii_compatible_encoding(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, '{"text": "Café crème"}\n'.encode("cp1252"))
    report = run(project, path, encoding="cp1252")
    assert report.ok
    document = project.document(report.imported[0])
    assert document.text == "Café crème"
    assert (document.metadata["encoding"], document.metadata["encoding_source"]) == (
        "cp1252",
        "option",
    )


def test_utf16_is_refused_as_a_forced_jsonl_encoding(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, '{"text": "x"}\n'.encode("utf-16-le"))
    assert failures(run(project, path, encoding="utf-16-le")) == [
        f"{path}: JSONL needs an ASCII-compatible encoding, not utf-16-le"
    ]


def test_lines_are_read_as_a_stream(tmp_path: Path) -> None:
    path = write(tmp_path, "".join(f'{{"text": "article {n}"}}\n' for n in range(5)))
    records = jsonl_reader.read_jsonl(path, ImportOptions())
    first = next(iter(records))
    assert not isinstance(first, Exception) and first.text == "article 0"
