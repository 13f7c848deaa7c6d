"""What readers produce: articles before canonicalisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article as a reader produced it, before canonicalisation."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
