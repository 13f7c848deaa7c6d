"""Find text in documents, and "label all occurrences" as one reversible command.

Matches are exact (case-sensitive) and, by default, whole words: a match must not be
glued to letters or digits on either side, so labelling "Korea" never labels the
inside of "Koreans". Positions already carrying a span with the same label and the
same offsets are skipped, so running the command twice adds nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spanlab.core.commands import AddSpan, Batch
from spanlab.core.model import DocumentId, Span
from spanlab.core.project import Project

__all__ = [
    "Occurrence",
    "find_in_text",
    "find_matches",
    "label_occurrences_command",
    "occurrences_in_document",
    "occurrences_in_project",
]

CONTEXT_CHARS = 40


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place where a text occurs, with a little context for previews."""

    document_id: DocumentId
    title: str
    start: int
    end: int
    before: str
    match: str
    after: str

    @property
    def context(self) -> str:
        """``…before [match] after…`` on one line."""
        return f"…{self.before}[{self.match}]{self.after}…"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def find_matches(text: str, needle: str, *, whole_words: bool = True) -> list[tuple[int, int]]:
    """Non-overlapping exact matches of ``needle`` in ``text``, left to right."""
    if not needle:
        return []
    found: list[tuple[int, int]] = []
    check_left = whole_words and _is_word_char(needle[0])
    check_right = whole_words and _is_word_char(needle[-1])
    position = text.find(needle)
    while position >= 0:
        end = position + len(needle)
        left_ok = not check_left or position == 0 or not _is_word_char(text[position - 1])
        right_ok = not check_right or end == len(text) or not _is_word_char(text[end])
        if left_ok and right_ok:
            found.append((position, end))
            position = text.find(needle, end)
        else:
            position = text.find(needle, position + 1)
    return found


def find_in_text(text: str, query: str, *, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Matches of a find-bar query (substring, case-insensitive by default)."""
    if not query:
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    return [m.span() for m in re.finditer(re.escape(query), text, flags)]


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - CONTEXT_CHARS) : start].replace("\n", " ")
    after = text[end : end + CONTEXT_CHARS].replace("\n", " ")
    return before, after


def occurrences_in_document(
    *,
    document_id: int,
    title: str,
    text: str,
    needle: str,
    label: str,
    existing: Iterable[Span],
    whole_words: bool = True,
) -> list[Occurrence]:
    """Matches of ``needle`` that do not already carry ``label`` at the same offsets."""
    taken = {(s.start, s.end) for s in existing if s.label == label}
    result: list[Occurrence] = []
    for start, end in find_matches(text, needle, whole_words=whole_words):
        if (start, end) in taken:
            continue
        before, after = _context(text, start, end)
        result.append(
            Occurrence(DocumentId(document_id), title, start, end, before, text[start:end], after)
        )
    return result


def occurrences_in_project(
    project: Project,
    *,
    annotator_id: int,
    needle: str,
    label: str,
    whole_words: bool = True,
    cancel: Callable[[], bool] | None = None,
) -> list[Occurrence]:
    """Matches of ``needle`` in every document, for one annotator's layer.

    Only documents containing the text load their spans. ``cancel`` is polled between
    documents; when it returns True the matches found so far are returned.
    """
    result: list[Occurrence] = []
    for summary in project.documents():
        if cancel is not None and cancel():
            break
        text = project.document(summary.id).text
        if needle not in text:
            continue
        result.extend(
            occurrences_in_document(
                document_id=summary.id,
                title=summary.title,
                text=text,
                needle=needle,
                label=label,
                existing=project.spans(summary.id, annotator_id),
                whole_words=whole_words,
            )
        )
    return result


def label_occurrences_command(
    occurrences: Sequence[Occurrence],
    *,
    annotator_id: int,
    label: str,
    needle: str,
    attributes: Mapping[str, Any] | None = None,
) -> Batch:
    """One undo step adding a ``label`` span (with ``attributes``) at every occurrence."""
    count = len(occurrences)
    noun = "occurrence" if count == 1 else "occurrences"
    return Batch(
        f"Label {count} {noun} of {needle!r} as {label}",
        [
            AddSpan(o.document_id, annotator_id, label, o.start, o.end, dict(attributes or {}))
            for o in occurrences
        ],
    )
