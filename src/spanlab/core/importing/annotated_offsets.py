"""Which unit an imported document's offsets count, converted to canonical code points.

The rule (see ``spanlab.core.importing.annotated``): covered text decides where the
file stores it; otherwise grapheme boundaries and whitespace decide between code
points and UTF-16 units. Spans that fit no reading are reported on the file.
"""

from __future__ import annotations

from spanlab.core.formats.base import ImportedDocument, ImportedSpan
from spanlab.core.formats.common import is_int, one_line
from spanlab.core.importing.annotated_report import FileResult
from spanlab.core.importing.canonical_map import CanonicalMap
from spanlab.core.text import GraphemeIndex, OffsetError, Utf8Offsets, Utf16Offsets

__all__ = ["UNITS", "OffsetUnits"]

UNITS = ("codepoint", "utf16", "byte")
_UNIT_WORDS = {
    "codepoint": "characters (code points)",
    "utf16": "UTF-16 code units (as JavaScript tools count)",
    "byte": "UTF-8 bytes",
}


class OffsetUnits:
    """Decides what unit a document's offsets count, converts them and maps them.

    The rule is under "Offset units" in ``spanlab.core.importing.annotated``; spans
    that fit no reading are reported here (``offsets`` then returns None for them).
    """

    def __init__(
        self, document: ImportedDocument, mapping: CanonicalMap, result: FileResult
    ) -> None:
        self.document = document
        self.raw = document.text
        self.mapping = mapping
        self.result = result
        self._u16: Utf16Offsets | None = None
        self._u8: Utf8Offsets | None = None
        self._graphemes: GraphemeIndex | None = None
        self._refused: set[str] = set()
        self._offsets: dict[int, tuple[int, int] | None] = {}
        spans = [s for layer in document.layers for s in layer.spans]
        self.unit = self._decide([s for s in spans if s.start != s.end])
        for span in spans:
            self._offsets[id(span)] = self._convert(span)

    def offsets(self, span: ImportedSpan) -> tuple[int, int] | None:
        """Canonical offsets of a span, or None when it was reported."""
        return self._offsets.get(id(span))

    def refused(self, key: str) -> bool:
        """Whether the span with this key was reported already."""
        return key in self._refused

    # ---- readings
    def _utf16(self) -> Utf16Offsets:
        if self._u16 is None:
            self._u16 = Utf16Offsets(self.raw)
        return self._u16

    def _utf8(self) -> Utf8Offsets:
        if self._u8 is None:
            self._u8 = Utf8Offsets(self.raw)
        return self._u8

    def _boundaries(self) -> GraphemeIndex:
        if self._graphemes is None:
            self._graphemes = GraphemeIndex(self.raw)
        return self._graphemes

    def _read(self, span: ImportedSpan, unit: str) -> tuple[int, int] | str:
        """Code-point offsets in the raw text under one reading, or why not."""
        start, end = span.start, span.end
        if not is_int(start) or not is_int(end):
            return "offsets must be integers"
        if start < 0 or end < 0:
            return f"negative offset in [{start}, {end})"
        if start > end:
            return f"starts at {start}, after its end {end}"
        try:
            if unit == "utf16":
                start, end = self._utf16().to_codepoint(start), self._utf16().to_codepoint(end)
            elif unit == "byte":
                start, end = self._utf8().to_codepoint(start), self._utf8().to_codepoint(end)
        except OffsetError as exc:
            return str(exc)
        if end > len(self.raw):
            return f"[{span.start}, {span.end}) ends after the text ({len(self.raw)} characters)"
        return start, end

    def _matches(self, span: ImportedSpan, unit: str) -> bool:
        """With covered text: whether this reading covers exactly that text."""
        offsets = self._read(span, unit)
        if isinstance(offsets, str):
            return False
        start, end = offsets
        return span.text is None or _same_text(self.raw[start:end], span.text)

    def _untidy(self, spans: list[ImportedSpan], unit: str) -> int | None:
        """Without covered text: None when some span cannot be read this way (outside the
        text, cutting a grapheme cluster, not mappable onto the canonical text), else how
        many spans start or end with whitespace (the tie-breaker)."""
        index = self._boundaries()
        untidy = 0
        for span in spans:
            offsets = self._read(span, unit)
            if isinstance(offsets, str):
                return None
            start, end = offsets
            if not (index.is_boundary(start) and index.is_boundary(end)):
                return None
            if self.mapping.map(start) is None or self.mapping.map(end) is None:
                return None
            covered = self.raw[start:end]
            untidy += covered != covered.strip()
        return untidy

    def _decide(self, spans: list[ImportedSpan]) -> str:
        declared = self.document.offset_unit if self.document.offset_unit in UNITS else "codepoint"
        if not spans:
            return declared
        if any(s.text is not None for s in spans):
            if all(self._matches(s, declared) for s in spans):
                return declared
            for unit in (u for u in UNITS if u != declared):
                if all(self._matches(s, unit) for s in spans):
                    self._converted(
                        unit, declared, "only then does every span cover the text the file gives"
                    )
                    return unit
            return declared
        other = "utf16" if declared != "utf16" else "codepoint"
        mine, theirs = self._untidy(spans, declared), self._untidy(spans, other)
        if mine is not None and (theirs is None or mine <= theirs):
            differs = any(self._read(s, other) != self._read(s, declared) for s in spans)
            if theirs is not None and differs:
                self.result.note(
                    f"{self.document.source}: offsets were read as {_UNIT_WORDS[declared]}; "
                    f"they would also fit as {_UNIT_WORDS[other]} (doccano's annotation "
                    "screen counts UTF-16 units): check the spans after emoji"
                )
            return declared
        if theirs is not None:
            reason = (
                "only then do all spans lie inside the text on character boundaries"
                if mine is None
                else "only then do no spans start or end with whitespace"
            )
            self._converted(other, declared, reason)
            return other
        return declared

    def _converted(self, unit: str, declared: str, reason: str) -> None:
        self.result.note(
            f"{self.document.source}: the offsets count {_UNIT_WORDS[unit]}, not "
            f"{_UNIT_WORDS[declared]} ({reason}); converted"
        )

    def _convert(self, span: ImportedSpan) -> tuple[int, int] | None:
        where = f"span {span.key} ({span.label})"
        offsets = self._read(span, self.unit)
        if isinstance(offsets, str):
            return self._refuse(span, f"{where}: {offsets}")
        start, end = offsets
        covered = self.raw[start:end]
        if span.text is not None and not _same_text(covered, span.text):
            return self._refuse(
                span,
                f"{where}: [{span.start}, {span.end}) covers {covered!r} in the text, but the "
                f"file says {span.text!r} (neither characters, UTF-16 units nor UTF-8 bytes "
                "make them match)",
            )
        if span.text is None and start != end:
            index = self._boundaries()
            if not (index.is_boundary(start) and index.is_boundary(end)):
                return self._refuse(
                    span,
                    f"{where}: [{span.start}, {span.end}) cuts a character in two (an emoji "
                    f"or accented letter near {covered!r}); neither characters nor UTF-16 "
                    "units fit",
                )
        mapped_start, mapped_end = self.mapping.map(start), self.mapping.map(end)
        if mapped_start is None or mapped_end is None:
            return self._refuse(
                span,
                f"{where}: [{span.start}, {span.end}) {covered!r} starts or ends inside text "
                "that is changed when the text is made canonical (a CRLF pair, a composed "
                "accent, trimmed blank lines)",
            )
        return mapped_start, mapped_end

    def _refuse(self, span: ImportedSpan, message: str) -> tuple[int, int] | None:
        """Report the span; its offsets are None."""
        self._refused.add(span.key)
        self.result.problem(message, span.line)
        return None


def _same_text(covered: str, claimed: str) -> bool:
    """Covered text equality; line-based formats may store line breaks as spaces."""
    if covered == claimed:
        return True
    return one_line(covered) == one_line(claimed)
