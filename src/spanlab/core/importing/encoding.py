"""Reading files and turning their bytes into text, with every decision explicit.

Order for text files (``decode_text``):

1. ``--encoding`` (``ImportOptions.encoding``) given: decode strictly with that codec;
2. a byte order mark: UTF-32, UTF-8 or UTF-16 (little or big endian), decoded strictly;
3. binary files are refused (more than 1% NUL bytes, or more than 5% other control
   bytes, in the first 8 KB);
4. strict UTF-8;
5. bytes that are UTF-8 except for a few invalid sequences are refused with the byte
   offset of the first one (guessing another encoding would turn every accented
   letter into mojibake);
6. otherwise charset-normalizer guesses a legacy encoding (cp1252, EUC-KR, ...); a
   guess that is not clean enough is refused and the user is asked for ``--encoding``.

HTML pages put their declared charset (``<meta charset>``, ``http-equiv``, the XML
declaration) between steps 2 and 3; see ``html_reader``. The decision is stored in the
document's metadata as ``encoding`` and ``encoding_source`` (``option``, ``bom``,
``declared``, ``default`` for plain UTF-8, ``detected``).
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from spanlab.core.errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest single-document file (text or HTML) that is read; larger files are refused."""

SNIFF_BYTES = 8192
MAX_NUL_RATIO = 0.01
MAX_CONTROL_RATIO = 0.05
MAX_DETECTION_CHAOS = 0.2
"""charset-normalizer's "mess" ratio above which a guessed encoding is not trusted."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_VALID_NON_ASCII = re.compile(r"[^\x00-\x7f\ufffd]")
_UTF8_SAMPLE = 1 << 20


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, and how the encoding was chosen."""

    text: str
    encoding: str
    source: str  # "option" | "bom" | "declared" | "default" | "detected"
    notice: str | None = None

    def metadata(self) -> dict[str, str]:
        """The decision as document metadata."""
        return {"encoding": self.encoding, "encoding_source": self.source}


def check_encoding_name(name: str) -> str:
    """The codec's canonical name, or ValueError when it is not a text encoding."""
    try:
        b"a".decode(name)  # rejects unknown names and bytes-to-bytes codecs such as base64
    except UnicodeDecodeError:
        pass  # a real text codec (UTF-16) that cannot decode one byte
    except LookupError as exc:
        raise ValueError(f"unknown text encoding {name!r}") from exc
    return codecs.lookup(name).name


def read_bytes(path: Path, *, limit: int | None = MAX_FILE_BYTES) -> bytes:
    """File content, with clear errors for missing, unreadable, empty or oversized files."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if limit is not None and size > limit:
                raise InputError(path, size_message(size, limit))
            data = handle.read()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from exc
    except MemoryError:
        raise InputError(path, "not enough memory to read the file") from None
    if not data:
        raise InputError(path, "empty file (0 bytes)")
    return data


def size_message(size: int, limit: int) -> str:
    """Why a file (or JSONL line) is too large, in megabytes."""
    return (
        f"too large: {size:,} bytes ({size / 1024 / 1024:.1f} MB); the limit is "
        f"{limit // 1024 // 1024} MB per document"
    )


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when ``data`` starts with a byte order mark."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def looks_binary(data: bytes) -> str | None:
    """Why ``data`` (without a UTF-16/32 BOM) is not text, or None when it may be.

    A stray NUL in a text file is tolerated (canonicalisation removes it); binary
    formats have many NUL or other control bytes near the start.
    """
    sample = data[:SNIFF_BYTES]
    if not sample:
        return None
    nul = sample.count(0)
    if nul > len(sample) * MAX_NUL_RATIO:
        return f"looks like a binary file ({nul} NUL bytes in the first {len(sample)}), not text"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > len(sample) * MAX_CONTROL_RATIO:
        return (
            f"looks like a binary file ({controls} control bytes in the first "
            f"{len(sample)}), not text"
        )
    return None


def decode_strict(path: Path, data: bytes, codec: str, *, offset: int = 0) -> str:
    """Decode with ``codec`` or name the first invalid byte (``offset`` is added)."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(path, invalid_bytes_message(codec, data, exc, offset)) from exc


def invalid_bytes_message(codec: str, data: bytes, exc: UnicodeDecodeError, offset: int = 0) -> str:
    """E.g. ``invalid UTF-8 at byte 17 (0xff: invalid start byte)``."""
    bad = data[exc.start : min(exc.end, exc.start + 4)].hex(" ")
    return f"invalid {display_codec(codec)} at byte {offset + exc.start} (0x{bad}: {exc.reason})"


def display_codec(codec: str) -> str:
    """UTF-8, UTF-16-LE, cp1252: how codecs are named in messages and metadata."""
    name = codecs.lookup(codec).name
    return name.upper() if name.startswith("utf") else name


def decode_text(
    path: Path, data: bytes, *, forced: str | None = None, declared: str | None = None
) -> Decoded:
    """Decode a text file's bytes (see the module docstring for the order)."""
    if forced is not None:
        text = decode_strict(path, data, forced)
        return Decoded(text.removeprefix("\ufeff"), codecs.lookup(forced).name, "option")
    bom = bom_encoding(data)
    if bom is not None:
        codec, length = bom
        return Decoded(decode_strict(path, data[length:], codec, offset=length), codec, "bom")
    binary = looks_binary(data)
    if binary is not None:
        raise InputError(path, binary)
    notice = None
    if declared is not None:
        try:
            return Decoded(data.decode(declared), codecs.lookup(declared).name, "declared")
        except UnicodeDecodeError as exc:
            notice = (
                f"the page declares {display_codec(declared)} but is not "
                f"({invalid_bytes_message(declared, data, exc)}); ignored the declaration"
            )
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "default", notice)
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            raise InputError(path, invalid_bytes_message("utf-8", data, exc)) from exc
        return _detect(path, data, exc, notice)


def _mostly_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 with a few damaged bytes rather than another encoding.

    True when valid multi-byte UTF-8 characters are at least as many as invalid
    sequences (in the first megabyte). Legacy text hardly ever forms valid UTF-8
    sequences: cp1252 almost never, EUC-KR Korean for about one character in ten. A
    damaged UTF-8 file must be refused, since a guessed encoding would garble every
    accented letter in it.
    """
    sample = data[:_UTF8_SAMPLE].decode("utf-8", "replace")
    errors = sample.count("\ufffd")
    valid = sum(1 for _ in _VALID_NON_ASCII.finditer(sample))
    return valid >= max(errors, 1)


def _detect(path: Path, data: bytes, error: UnicodeDecodeError, notice: str | None) -> Decoded:
    from charset_normalizer import from_bytes  # slow to import; only needed here

    for match in from_bytes(data):
        name = codecs.lookup(match.encoding).name
        if name.startswith(("utf-16", "utf-32", "utf-8")):
            continue  # without a BOM these are guesses on tiny samples (or already failed)
        if match.chaos > MAX_DETECTION_CHAOS:
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        guessed = f"not UTF-8; the encoding was detected as {name}: check the text"
        return Decoded(text, name, "detected", f"{notice}; {guessed}" if notice else guessed)
    raise InputError(
        path,
        f"cannot tell the text encoding: not UTF-8 ({invalid_bytes_message('utf-8', data, error)})"
        " and no other encoding fits; give the encoding explicitly",
    )
