"""Which files an annotated import reads, in which format, and reading them.

Formats are detected by extension and content through ``formats.registry``; formats
whose optional extra is missing are skipped rather than failing the whole search.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spanlab.core.errors import InputError
from spanlab.core.formats import registry
from spanlab.core.formats.base import ImportedDocument
from spanlab.core.importing.annotated_report import FileResult, ImportProblem

__all__ = ["IGNORED_NAMES", "detect_format", "find_inputs", "has_annotated_files", "read_file"]

IGNORED_NAMES = frozenset(
    {"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf", "labeling_config.xml"}
)


def detect_format(path: Path) -> str | None:
    """The annotated format of a file by extension and content, or None.

    Like ``registry.detect_reader``, but formats whose module is not installed (an
    optional extra) are skipped instead of failing.
    """
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    for name in registry.import_formats():
        try:
            reader = registry.reader(name)
        except ImportError:
            continue
        try:
            if reader.sniff(path, head):
                return name
        except (OSError, ValueError):
            continue
    return None


def find_inputs(
    paths: Sequence[Path], format: str | None = None
) -> tuple[list[tuple[Path, str]], list[ImportProblem], list[str]]:
    """Files to import with their format, problems with the paths, and ignored files.

    Folders are searched recursively (sorted; hidden files and brat ``*.conf`` are
    skipped). A brat document is named by its ``.ann`` file; its ``.txt`` is found
    next to it.
    """
    found: dict[Path, str] = {}
    problems: list[ImportProblem] = []
    ignored: list[str] = []
    for path in paths:
        if not path.exists():
            problems.append(ImportProblem(str(path), None, "no such file or folder"))
            continue
        if path.is_dir():
            for candidate in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = candidate.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if candidate.name in IGNORED_NAMES:
                    continue
                name = _format_of(candidate, format, in_folder=True)
                if name is None:
                    ignored.append(str(candidate))
                else:
                    found.setdefault(_brat_key(candidate, name), name)
            continue
        name = _format_of(path, format)
        if name is None:
            known = ", ".join(registry.import_formats())
            problems.append(
                ImportProblem(str(path), None, f"not an annotation file SpanLab can read ({known})")
            )
        else:
            found.setdefault(_brat_key(path, name), name)
    return list(found.items()), problems, ignored


def _format_of(path: Path, format: str | None, *, in_folder: bool = False) -> str | None:
    """The format of a file: detected, or the one given (checked by content in folders)."""
    if format is None:
        return detect_format(path)
    if format == "brat" or in_folder:
        return format if _sniffs(format, path) else None
    return format  # a file named explicitly: the user knows its format


def _sniffs(format: str, path: Path) -> bool:
    try:
        reader = registry.reader(format)
        with path.open("rb") as handle:
            return reader.sniff(path, handle.read(4096))
    except (ImportError, OSError, ValueError):
        return False


def _brat_key(path: Path, format: str) -> Path:
    if format == "brat" and path.suffix.lower() == ".txt":
        return path.with_suffix(".ann")
    return path


def has_annotated_files(path: Path) -> bool:
    """Whether a file or folder holds at least one annotation file SpanLab can read."""
    if path.is_dir():
        return any(
            p.is_file() and p.name not in IGNORED_NAMES and detect_format(p) is not None
            for p in sorted(path.rglob("*"))
        )
    return detect_format(path) is not None


def read_file(
    path: Path, name: str, annotator: str | None, result: FileResult
) -> list[ImportedDocument]:
    """The documents of one file; a file that cannot be read is a problem in ``result``."""
    try:
        reader = registry.reader(name)
    except ImportError as exc:
        result.problem(f"the {name} format is not available here: {exc}")
        return []
    try:
        return list(reader.read(path, options={"annotator": annotator}))
    except InputError as exc:
        result.problem(exc.problem, exc.line, exc.source)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        result.problem(f"cannot read the file: {exc}")
    return []
