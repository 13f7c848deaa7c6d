"""Readers by format name, so more formats (``brat``, ``doccano``, ...) can plug in.

A reader is ``read(path, options) -> Iterable[ArticleRecord | InputError]``: it yields
articles, yields an ``InputError`` for one record it had to skip (a bad JSONL line),
and raises ``InputError`` when the whole file is unusable. Register one with
``register_reader("name", read, suffixes=(".ext",), sniff=...)``; ``--format name``
then selects it, and ``auto`` picks it for files with one of its suffixes (or, for
unknown suffixes, when its ``sniff`` accepts the first bytes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spanlab.core.errors import InputError
from spanlab.core.importing.encoding import SNIFF_BYTES, bom_encoding
from spanlab.core.importing.html_reader import read_html
from spanlab.core.importing.jsonl_reader import read_jsonl
from spanlab.core.importing.records import Reader
from spanlab.core.importing.text_reader import read_text

AUTO = "auto"
Sniffer = Callable[[bytes], bool]


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """A registered reader."""

    name: str
    read: Reader
    suffixes: tuple[str, ...] = ()
    sniff: Sniffer | None = None
    description: str = ""


_READERS: dict[str, ReaderSpec] = {}
_FALLBACK = "txt"


def register_reader(
    name: str,
    read: Reader,
    *,
    suffixes: tuple[str, ...] = (),
    sniff: Sniffer | None = None,
    description: str = "",
    replace: bool = False,
) -> ReaderSpec:
    """Make ``read`` available as format ``name`` (lower-case, not ``auto``)."""
    if name != name.lower() or not name or name == AUTO:
        raise ValueError(f"invalid reader name {name!r}")
    if name in _READERS and not replace:
        raise ValueError(f"a reader called {name!r} is already registered")
    spec = ReaderSpec(name, read, tuple(s.lower() for s in suffixes), sniff, description)
    _READERS[name] = spec
    return spec


def unregister_reader(name: str) -> None:
    """Remove a reader (for plug-ins that unload, and tests)."""
    if name == _FALLBACK:
        raise ValueError(f"the {_FALLBACK!r} reader cannot be removed")
    _READERS.pop(name, None)


def reader_specs() -> list[ReaderSpec]:
    """Registered readers (name, suffixes, description), e.g. for a file dialog's filter."""
    return list(_READERS.values())


def reader_names() -> list[str]:
    """Registered format names, in registration order."""
    return list(_READERS)


def get_reader(name: str) -> ReaderSpec:
    """The reader registered as ``name``; ValueError naming the known formats."""
    try:
        return _READERS[name]
    except KeyError:
        known = ", ".join([AUTO, *_READERS])
        raise ValueError(f"unknown import format {name!r} (known: {known})") from None


def reader_for(path: Path, format: str = AUTO) -> ReaderSpec:
    """The reader for ``path``: the named one, else by suffix, else by content."""
    if format != AUTO:
        return get_reader(format)
    suffix = path.suffix.lower()
    for spec in _READERS.values():
        if suffix and suffix in spec.suffixes:
            return spec
    head = _head(path)
    for spec in _READERS.values():
        if spec.sniff is not None and spec.sniff(head):
            return spec
    return _READERS[_FALLBACK]


def _head(path: Path) -> bytes:
    if not path.is_file():
        return b""  # the reader reports the missing file with the usual message
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from exc
    bom = bom_encoding(head)
    if bom is None:
        return head
    codec, length = bom
    return head[length:].decode(codec, "ignore").encode("utf-8")


_HTML_START = re.compile(
    rb"\A\s*(?:<\?xml\b[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html\b)", re.I | re.S
)
_JSON_START = re.compile(rb"\A\s*\{")


def _sniff_html(head: bytes) -> bool:
    return _HTML_START.match(head) is not None


def _sniff_jsonl(head: bytes) -> bool:
    return _JSON_START.match(head) is not None


register_reader(
    "txt", read_text, suffixes=(".txt", ".text"), description="plain text, one article a file"
)
register_reader(
    "html",
    read_html,
    suffixes=(".html", ".htm", ".xhtml"),
    sniff=_sniff_html,
    description="HTML news pages (article body and metadata)",
)
register_reader(
    "jsonl",
    read_jsonl,
    suffixes=(".jsonl", ".ndjson"),
    sniff=_sniff_jsonl,
    description="JSON Lines, one article a line",
)
