"""Plain-text import: encodings (BOM, UTF-8, UTF-16, detected, forced) and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from spanlab.core.importing import ImportOptions, ImportOptionsError, ImportReport, import_paths
from spanlab.core.importing.encoding import MAX_FILE_BYTES
from spanlab.core.model import Document
from spanlab.core.project import Project

NEWS_TEXT = (
    "Busan hosts first coastal cities climate summit\n\n"
    "Mayors and deputy mayors from twelve port cities gathered in Busan on Monday for the "
    "first Coastal Cities Climate Summit, pledging to cut harbour emissions by half before "
    "2035.\n\n"
    "Busan Mayor Park Seo-jun opened the two-day meeting at the BEXCO convention centre, "
    'telling delegates that ports "cannot wait for national governments to move first."\n\n'
    "Rotterdam's deputy mayor, Anouk de Vries, said her city would share data from its "
    "shore-power programme with every participant.\n\n"
    "The summit's draft declaration commits members to three steps:\n"
    "electrify container terminals,\n"
    "publish annual emissions audits,\n"
    "and fund a joint research centre in Busan.\n\n"
    "Kaohsiung and Yokohama are expected to host the next two meetings, according to organisers."
)

FRENCH = (
    "Le café de la gare a fermé ses portes. Les élèves étaient déçus; « c'est la fin » a "
    "déclaré Mme Dupré. Ça coûte cher à Noël, a ajouté le maître d'hôtel.\n"
) * 3


def import_one(
    project: Project, path: Path, **options: object
) -> tuple[ImportReport, Document | None]:
    report = import_paths(project, [path], options=ImportOptions(**options))  # type: ignore[arg-type]
    document = project.document(report.imported[0]) if report.imported else None
    return report, document


def only_failure(report: ImportReport) -> str:
    assert not report.imported
    assert len(report.failures) == 1, report.failures
    failure = report.failures[0]
    return f"{failure.source}: {failure.reason}"


def test_crlf_text_with_bom_is_canonicalised(project: Project, data_dir: Path) -> None:
    path = data_dir / "news_article_crlf_bom.txt"
    report, document = import_one(project, path)
    assert report.ok and document is not None
    assert document.text == NEWS_TEXT
    assert document.title == "Busan hosts first coastal cities climate summit"
    assert document.source == str(path)
    assert dict(document.metadata) == {
        "format": "txt",
        "encoding": "utf-8",
        "encoding_source": "bom",
    }
    assert len(document.sha256) == 64


def test_utf16_with_bom(project: Project, data_dir: Path) -> None:
    report, document = import_one(project, data_dir / "seoul_talks_utf16le.txt")
    assert report.ok and document is not None
    assert document.text == (
        "Seoul and Tokyo agree to resume vice-ministerial talks\n\n"
        "First Vice Foreign Minister 김민지 (Kim Min-ji) met her Japanese counterpart "
        "Haruki Takeda in Seoul on Friday.\n\n"
        "Ambassador 강민서 (Kang Min-seo) said the next round would be held in Tokyo in March."
    )
    assert document.metadata["encoding"] == "utf-16-le"
    assert document.metadata["encoding_source"] == "bom"


@pytest.mark.parametrize(
    ("codec", "bom", "name"),
    [
        ("utf-16-be", b"\xfe\xff", "utf-16-be"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "utf-32-le"),
        ("utf-8", b"", "utf-8"),
    ],
)
def test_other_unicode_encodings(
    project: Project, tmp_path: Path, codec: str, bom: bytes, name: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bom + "Kim Min-ji 김민지 met Zoë.\n".encode(codec))
    report, document = import_one(project, path)
    assert report.ok and document is not None
    assert document.text == "Kim Min-ji 김민지 met Zoë."
    assert document.metadata["encoding"] == name
    assert document.metadata["encoding_source"] == ("bom" if bom else "default")


def test_emoji_and_korean_names_keep_code_point_offsets(project: Project, data_dir: Path) -> None:
    report, document = import_one(project, data_dir / "emoji_korean.txt")
    assert report.ok and document is not None
    assert document.text == (
        "Fans cheer 🇰🇷 team at the Busan marathon 🏃\u200d\u2640\ufe0f\n"
        "\n"
        "Runner 박서준 (Park Seo-jun) finished first 👍🏽 and thanked his family "
        "👨\u200d👩\u200d👧.\n"
        "Second place went to Caf\u00e9 owner 김민지 (Kim Min-ji) from Jeju.\n"
        "She runs every morning.\n"
        "\n"
        "Organisers said 12,000 people took part.\t(Source: city hall)"
    )
    text = document.text
    # Offsets are code points: the flag counts 2, the runner with ZWJ and VS16 counts 4.
    assert text.index("박서준") == 54
    assert text[54:57] == "박서준"
    assert text.index("Café") == 142  # NFD "Cafe\u0301" became one code point "é"
    assert text.index("김민지") == 153
    assert len(text) == 266 and len(text.encode("utf-16-le")) // 2 == 274  # Qt counts 274
    assert document.title == "Fans cheer 🇰🇷 team at the Busan marathon 🏃\u200d\u2640\ufe0f"


def test_legacy_encoding_is_detected_and_reported(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    report, document = import_one(project, path)
    assert report.ok and document is not None
    assert document.text == FRENCH.strip()
    assert document.metadata["encoding"] == "cp1252"
    assert document.metadata["encoding_source"] == "detected"
    assert [n.message for n in report.notices] == [
        "not UTF-8; the encoding was detected as cp1252: check the text"
    ]


def test_korean_legacy_encoding_is_detected(project: Project, tmp_path: Path) -> None:
    text = (
        "서울 시장 박서준은 월요일 부산에서 열린 회의에 참석했다. "
        "기후 정상회의는 이틀 동안 진행된다. 대표단은 항구를 둘러보았다.\n"
    ) * 3
    path = tmp_path / "seoul.txt"
    path.write_bytes(text.encode("euc-kr"))
    report, document = import_one(project, path)
    assert report.ok and document is not None
    assert document.text == text.strip()
    assert document.metadata["encoding"] in {"cp949", "euc_kr"}  # cp949 extends EUC-KR
    assert document.metadata["encoding_source"] == "detected"


def test_forced_encoding(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "seoul.txt"
    path.write_bytes("서울 시장 박서준".encode("euc-kr"))
    report, document = import_one(project, path, encoding="euc-kr")
    assert report.ok and document is not None
    assert document.text == "서울 시장 박서준"
    assert document.metadata["encoding"] == "euc_kr"
    assert document.metadata["encoding_source"] == "option"


def test_forced_encoding_is_strict(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Café".encode("cp1252"))
    report, _ = import_one(project, path, encoding="utf-8")
    assert only_failure(report) == (
        f"{path}: invalid UTF-8 at byte 3 (0xe9: unexpected end of data)"
    )


@pytest.mark.parametrize("name", ["no-such-codec", "base64", "rot13"])
def test_unknown_encoding_name_is_refused_before_reading(project: Project, name: str) -> None:
    with pytest.raises(ImportOptionsError, match=f"unknown text encoding '{name}'"):
        import_paths(project, [Path("whatever.txt")], options=ImportOptions(encoding=name))


def test_invalid_utf8_names_the_byte(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("Café in Zürich ".encode() + b"\xff" + b" and more")
    report, _ = import_one(project, path)
    assert only_failure(report) == f"{path}: invalid UTF-8 at byte 17 (0xff: invalid start byte)"


def test_undetectable_encoding_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 3)
    report, _ = import_one(project, path)
    message = only_failure(report)
    assert message.startswith(f"{path}: cannot tell the text encoding: not UTF-8 (invalid UTF-8")
    assert message.endswith("give the encoding explicitly")


def test_invalid_utf16_names_the_byte(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bad16.txt"
    path.write_bytes(b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xdc" + b"c\x00")
    report, _ = import_one(project, path)
    assert only_failure(report) == (
        f"{path}: invalid UTF-16-LE at byte 6 (0x00 dc: illegal encoding)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file (0 bytes)"),
        (b"  \r\n\t\n   \n", "empty document (no text after removing whitespace)"),
        (b"\xef\xbb\xbf\r\n", "empty document (no text after removing whitespace)"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "looks like a binary file (3 NUL bytes in the first 16), not text",
        ),
        (
            bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 10 + b"text",
            "looks like a binary file (80 control bytes in the first 84), not text",
        ),
    ],
)
def test_bad_text_files(project: Project, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    report, _ = import_one(project, path)
    assert only_failure(report).startswith(f"{path}: {message}")
    assert project.document_count() == 0


def test_missing_path(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    report, _ = import_one(project, path)
    assert only_failure(report) == f"{path}: no such file or folder"
    assert not report.ok


def test_file_over_the_size_limit_is_refused_without_reading_it(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: nothing is written to disk
        handle.truncate(MAX_FILE_BYTES + 1)
    report, _ = import_one(project, path)
    assert only_failure(report) == (
        f"{path}: too large: 52,428,801 bytes (50.0 MB); the limit is 50 MB per document"
    )


def test_file_just_under_the_size_limit_is_imported(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    line = b"Busan port statistics for the week, all terminals combined, in TEU.\n"
    count = (MAX_FILE_BYTES - 1024) // len(line)
    path.write_bytes(b"Big report\n" + line * count)
    assert MAX_FILE_BYTES - 2048 < path.stat().st_size <= MAX_FILE_BYTES
    report = import_paths(project, [path])
    assert report.ok and len(report.imported) == 1
    [summary] = project.documents()
    assert summary.title == "Big report"
    assert summary.length == path.stat().st_size - 1  # the final newline is trimmed
