"""Plain-text articles (UTF-8, with or without BOM)."""

from __future__ import annotations

from pathlib import Path
from spanlab.core.errors import InputError
from spanlab.core.importing.records import ArticleRecord

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """File content, with clear errors for missing, unreadable or oversized files."""
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                path,
                f"file is {size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB per document",
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from exc


def decode_utf8(path: Path, data: bytes) -> str:
    """Strict UTF-8 (a BOM is allowed); binary files and bad bytes are refused."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "looks like a binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"invalid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x})"
        ) from exc


def read_text_file(path: Path) -> ArticleRecord:
    """One article per text file; the title is derived from the first line later."""
    text = decode_utf8(path, read_bytes(path))
    return ArticleRecord(
        source=str(path), text=text, metadata={"encoding": "utf-8", "format": "txt"}
    )
