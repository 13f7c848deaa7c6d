"""The one table of formats: name -> exporter, and the readers for "<->" formats.

Format modules are listed here and imported lazily, so optional extras (spaCy) are
only loaded when their format is used.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from spanlab.core.errors import SpanLabError
from spanlab.core.formats.base import Exporter, Reader

_PACKAGE = "spanlab.core.formats"

# format name -> "module:attribute" of an Exporter instance, in the order users see them
_EXPORTERS: dict[str, str] = {
    "jsonl": f"{_PACKAGE}.spanlab_jsonl:EXPORTER",
    "conll": f"{_PACKAGE}.conll:EXPORTER",
    "spacy": f"{_PACKAGE}.spacy_docbin:EXPORTER",
    "brat": f"{_PACKAGE}.brat:EXPORTER",
    "doccano": f"{_PACKAGE}.doccano:EXPORTER",
    "labelstudio": f"{_PACKAGE}.labelstudio:EXPORTER",
    "hf": f"{_PACKAGE}.huggingface:EXPORTER",
    "tacred": f"{_PACKAGE}.tacred:EXPORTER",
    "docred": f"{_PACKAGE}.docred:EXPORTER",
    "xmi": f"{_PACKAGE}.uima_xmi:EXPORTER",
}
# format name -> "module:attribute" of a Reader instance (the round-trip formats)
_READERS: dict[str, str] = {
    "jsonl": f"{_PACKAGE}.spanlab_jsonl:READER",
    "conll": f"{_PACKAGE}.conll:READER",
    "spacy": f"{_PACKAGE}.spacy_docbin:READER",
    "brat": f"{_PACKAGE}.brat:READER",
    "doccano": f"{_PACKAGE}.doccano:READER",
    "labelstudio": f"{_PACKAGE}.labelstudio:READER",
    "xmi": f"{_PACKAGE}.uima_xmi:READER",
}


def _load(target: str) -> object:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def export_formats() -> list[str]:
    """Names accepted by ``spanlab export --format``."""
    return list(_EXPORTERS)


def import_formats() -> list[str]:
    """Names of formats whose annotations can be imported."""
    return list(_READERS)


def exporter(name: str) -> Exporter:
    """The exporter for ``name``, or a clear error listing the known formats."""
    if name not in _EXPORTERS:
        raise SpanLabError(f"unknown export format '{name}' (use one of: {', '.join(_EXPORTERS)})")
    return _load(_EXPORTERS[name])  # type: ignore[return-value]


def reader(name: str) -> Reader:
    """The reader for ``name``, or a clear error."""
    if name not in _READERS:
        raise SpanLabError(f"cannot import format '{name}' (use one of: {', '.join(_READERS)})")
    return _load(_READERS[name])  # type: ignore[return-value]


def detect_reader(path: Path) -> str | None:
    """The first reader that recognises ``path`` (by extension and content), if any."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    for name in _READERS:
        if reader(name).sniff(path, head):
            return name
    return None
