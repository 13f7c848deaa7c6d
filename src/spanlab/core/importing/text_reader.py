"""Plain-text articles: one article per file, the headline on its first line.

The encoding is chosen as described in ``spanlab.core.importing.encoding`` (BOM,
strict UTF-8, then detection; or forced). The text is kept as it is: paragraphs keep
whatever separation the file uses (SpanLab's own articles put a blank line between
paragraphs, which is also what the HTML reader produces).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from spanlab.core.importing.encoding import MAX_FILE_BYTES, decode_text, read_bytes
from spanlab.core.importing.records import ArticleRecord, ImportOptions, ReadResult

__all__ = ["MAX_FILE_BYTES", "read_text", "read_text_file"]


def read_text_file(path: Path, options: ImportOptions | None = None) -> ArticleRecord:
    """One article from a text file; the title is derived from the first line later."""
    decoded = decode_text(path, read_bytes(path), forced=(options or ImportOptions()).encoding)
    return ArticleRecord(
        source=str(path),
        text=decoded.text,
        metadata={"format": "txt", **decoded.metadata()},
        notices=(decoded.notice,) if decoded.notice else (),
    )


def read_text(path: Path, options: ImportOptions) -> Iterator[ReadResult]:
    """The ``txt`` reader."""
    yield read_text_file(path, options)
