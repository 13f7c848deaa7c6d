"""What readers consume and produce: import options in, articles (or problems) out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spanlab.core.errors import InputError

DEFAULT_INCLUDE: tuple[str, ...] = ("*.txt", "*.html", "*.htm", "*.jsonl")


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How ``import_paths`` finds, decodes and reads its inputs.

    ``format`` is ``"auto"`` (by file suffix, then by content) or a registered reader
    name (``"txt"``, ``"html"``, ``"jsonl"``, ...). ``encoding`` forces a codec for
    every file instead of detecting one (decoded strictly). ``text_field`` and
    ``id_field`` name JSONL fields; the id is stored in the metadata as ``"id"`` and
    shown in messages. ``include`` filters the files found in folders (recursively,
    case-insensitive patterns on the file name). With ``all_or_nothing`` a single
    failure imports nothing.
    """

    format: str = "auto"
    encoding: str | None = None
    text_field: str = "text"
    id_field: str | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    all_or_nothing: bool = False


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article as a reader produced it, before canonicalisation.

    ``source`` is the file; ``line`` the line it came from in a multi-record file.
    ``notices`` are things the user should know but that did not stop the import
    (an encoding that had to be guessed, HTML the parser had to repair).
    """

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    notices: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """The record in messages: ``file``, ``file:line`` and the JSONL id when known."""
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        ident = self.metadata.get("id")
        return where if ident is None else f"{where} (id {ident})"


ReadResult = ArticleRecord | InputError
"""A reader yields records, or an ``InputError`` for one record it had to skip.

A problem with the whole file is raised as ``InputError`` instead.
"""

Reader = Callable[[Path, ImportOptions], Iterable[ReadResult]]
"""Turn one file into articles: ``read(path, options)``."""


def where(error: InputError) -> str:
    """``file`` or ``file:line`` for an input error."""
    return error.source if error.line is None else f"{error.source}:{error.line}"
