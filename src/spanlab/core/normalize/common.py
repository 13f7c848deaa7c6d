"""Small pieces shared by the date and country normalisers."""

from __future__ import annotations

import enum
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})


class Confidence(enum.StrEnum):
    """How sure a suggestion is, for the UI (e.g. a tooltip or a dimmer colour)."""

    HIGH = "high"
    """Read directly from the text (an explicit date, a country's own name)."""
    MEDIUM = "medium"
    """Resolved by a convention (a weekday against the publication date, "Korean")."""
    LOW = "low"
    """A guess the annotator should check (e.g. relative to a date the text implies)."""


def clean_text(text: str) -> str:
    """Whitespace collapsed, typographic apostrophes made ASCII, NFC composed."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_APOSTROPHES).split())


def strip_accents(text: str) -> str:
    """``text`` without combining marks ("Côte" -> "Cote", "Türkiye" -> "Turkiye")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
