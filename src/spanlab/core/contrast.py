"""WCAG 2 contrast of label colours, so span text stays readable on its background."""

from __future__ import annotations

__all__ = [
    "MIN_TEXT_CONTRAST",
    "contrast_ratio",
    "parse_hex",
    "readable_text_colour",
    "relative_luminance",
]

MIN_TEXT_CONTRAST = 4.5
"""WCAG 2 level AA for normal text."""

BLACK = "#000000"
WHITE = "#FFFFFF"


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``"#RRGGBB"`` as three 0-255 channels.

    Raises:
        ValueError: not a six-digit hex colour.
    """
    value = colour.removeprefix("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a hex colour (0 for black, 1 for white)."""
    r, g, b = parse_hex(colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two hex colours (1 to 21)."""
    a = relative_luminance(foreground)
    b = relative_luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def readable_text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    if contrast_ratio(BLACK, background) >= contrast_ratio(WHITE, background):
        return BLACK
    return WHITE
