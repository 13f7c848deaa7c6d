"""The band reserved above each text line for relation arcs, shared by the view and the overlay.

The document view makes every line taller by :func:`band_height` so that arcs rising
from a line stay inside its own band and never cross the line above; the arc overlay
places stacked arcs at :func:`level_peak`. Both derive the numbers from the text font,
so zooming keeps them in step.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF

LABEL_SCALE = 0.7
"""Arc label size relative to the text."""
MAX_LEVELS = 2
"""Arcs stacked on one line with their own label; more are drawn compactly on the top one."""
LIFT = 3.0
"""Gap between the text (or its tags) and the lowest arc label."""


def label_font(font: QFont) -> QFont:
    """The font of arc labels for a text font."""
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() * LABEL_SCALE))
    return small


def label_height(font: QFont) -> float:
    """Height of an arc label for a text font."""
    return QFontMetricsF(label_font(font)).height()


def band_height(font: QFont, levels: int = MAX_LEVELS) -> float:
    """Room above a line holding ``levels`` stacked arc labels (0 for no levels)."""
    if levels <= 0:
        return 0.0
    height = label_height(font)
    return level_offset(levels - 1, height) + height / 2 + 1


def level_offset(level: int, height: float) -> float:
    """How far above the band's bottom the centre of a level's label sits."""
    return LIFT + height / 2 + level * (height + 1)
