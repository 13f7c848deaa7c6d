"""JSON Lines: one article per line, read as a stream.

Each non-blank line must be a JSON object with a string in the text field
(``ImportOptions.text_field``, ``"text"`` by default). ``title``, ``url`` and
``published`` fill the document's columns when they are strings (``published`` when it
is a date SpanLab can read; otherwise it stays in the metadata); the id field
(``ImportOptions.id_field``) is stored as ``metadata["id"]`` and named in messages;
every other field is kept in the metadata as it is. SpanLab adds ``format``, ``line``,
``encoding`` and ``encoding_source``; a field of the same name in the line wins.

A line that cannot be used is reported as ``file:line`` with the reason, and the other
lines are still imported. The file is UTF-8 (JSON Lines requires it; a leading BOM is
accepted) unless an ASCII-compatible encoding is forced. There is no limit on the file
size, only on one line (``MAX_LINE_BYTES``), because the file is never held in memory.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from spanlab.core.errors import InputError
from spanlab.core.importing.dates import normalise_date
from spanlab.core.importing.encoding import (
    MAX_FILE_BYTES,
    SNIFF_BYTES,
    bom_encoding,
    invalid_bytes_message,
    looks_binary,
    size_message,
)
from spanlab.core.importing.records import ArticleRecord, ImportOptions, ReadResult

MAX_LINE_BYTES = MAX_FILE_BYTES
_SKIP_CHUNK = 1 << 20


def read_jsonl(path: Path, options: ImportOptions) -> Iterator[ReadResult]:
    """The ``jsonl`` reader: records, or an ``InputError`` per line that failed."""
    codec = codecs.lookup(options.encoding or "utf-8").name
    if "\n".encode(codec) != b"\n":
        raise InputError(path, f"JSONL needs an ASCII-compatible encoding, not {codec}")
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from exc
    with handle:
        yield from _read_lines(path, handle, codec, options)


def _read_lines(
    path: Path, handle: BinaryIO, codec: str, options: ImportOptions
) -> Iterator[ReadResult]:
    head = handle.read(SNIFF_BYTES)
    if not head:
        raise InputError(path, "empty file (0 bytes)")
    bom = bom_encoding(head)
    if bom is not None and bom[0] != "utf-8":
        raise InputError(path, f"JSONL must be UTF-8, but the file starts with a {bom[0]} BOM")
    binary = looks_binary(head)
    if binary is not None:
        raise InputError(path, binary)
    handle.seek(0)
    offset = 0
    number = 0
    found = False
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        start = offset
        offset += len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            offset += _skip_rest_of_line(handle)
            found = True
            yield InputError(
                path, f"line {size_message(offset - start, MAX_LINE_BYTES)}", line=number
            )
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
            start += len(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        found = True
        yield _record(path, number, start, raw, codec, options)
    if not found:
        raise InputError(path, "no records (the file has only blank lines)")


def _skip_rest_of_line(handle: BinaryIO) -> int:
    skipped = 0
    while chunk := handle.readline(_SKIP_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _record(
    path: Path, number: int, start: int, raw: bytes, codec: str, options: ImportOptions
) -> ReadResult:
    raw = raw.rstrip(b"\r\n")
    try:
        line = raw.decode(codec)
    except UnicodeDecodeError as exc:
        return InputError(path, invalid_bytes_message(codec, raw, exc, start), line=number)
    try:
        value = _DECODER.decode(line)
    except json.JSONDecodeError as exc:
        return InputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=number)
    except ValueError as exc:  # NaN, Infinity: not JSON, and not storable as JSON
        return InputError(path, f"invalid JSON: {exc}", line=number)
    except RecursionError:
        return InputError(path, "invalid JSON: nested too deeply", line=number)
    if not isinstance(value, dict):
        return InputError(path, f"not a JSON object (the line holds a {_kind(value)})", line=number)
    ident = value.pop(options.id_field, None) if options.id_field else None
    where = f"{path}:{number}" if ident is None else f"{path}:{number} (id {_show(ident)})"
    text = value.pop(options.text_field, None)
    if text is None:
        return InputError(where, f"the text field {options.text_field!r} is missing")
    if not isinstance(text, str):
        return InputError(
            where, f"the text field {options.text_field!r} is a {_kind(text)}, not a string"
        )
    metadata: dict[str, Any] = {
        "format": "jsonl",
        "line": number,
        "encoding": codec,
        "encoding_source": "option" if options.encoding else "default",
    }
    title = value.pop("title") if isinstance(value.get("title"), str) else None
    url = value.pop("url") if isinstance(value.get("url"), str) else None
    published = normalise_date(value.get("published"))
    if published is not None:
        del value["published"]
    metadata.update(value)
    if ident is not None:
        metadata["id"] = ident
    return ArticleRecord(
        source=str(path),
        text=text,
        title=title,
        url=url,
        published=published,
        metadata=metadata,
        line=number,
    )


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__


def _show(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


__all__ = ["MAX_LINE_BYTES", "read_jsonl"]
