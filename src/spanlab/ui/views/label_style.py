"""Colours and text formats per label, derived from the schema (where QColor meets labels)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QTextCharFormat

from spanlab.core.contrast import readable_text_colour
from spanlab.core.schema import Schema

UNKNOWN_COLOUR = "#D9D9D9"
"""Background of spans whose label is no longer in the schema."""


class LabelStyle:
    """How one label looks: background, readable text colour, tag and bar colours."""

    __slots__ = (
        "background",
        "bar",
        "format",
        "name",
        "spacer_format",
        "tag",
        "tag_text",
        "text",
    )

    def __init__(self, name: str, colour: str, spacer: QTextCharFormat | None) -> None:
        """Build the colours and formats of label ``name`` with background ``colour``."""
        self.name = name
        self.background = QColor(colour)
        self.text = QColor(readable_text_colour(colour))
        self.tag = self.background.darker(112)
        self.tag_text = QColor(readable_text_colour(self.tag.name()))
        self.bar = self.background.darker(170)
        self.format = QTextCharFormat()
        self.format.setBackground(self.background)
        self.format.setForeground(self.text)
        self.spacer_format = QTextCharFormat(spacer) if spacer is not None else QTextCharFormat()
        self.spacer_format.setBackground(self.background)
        self.spacer_format.setForeground(self.text)


class LabelStyles:
    """Styles of every label of a schema, plus a neutral one for unknown labels."""

    def __init__(self, schema: Schema | None = None, spacer: QTextCharFormat | None = None) -> None:
        """Derive styles from ``schema``; ``spacer`` is the format that makes room for tags."""
        self._spacer = spacer
        self._styles: dict[str, LabelStyle] = {}
        if schema is not None:
            for label in schema.labels:
                self._styles[label.name] = LabelStyle(label.name, label.colour, spacer)

    def __getitem__(self, label: str) -> LabelStyle:
        style = self._styles.get(label)
        if style is None:
            style = LabelStyle(label, UNKNOWN_COLOUR, self._spacer)
            self._styles[label] = style
        return style

    def with_spacer(self, spacer: QTextCharFormat | None) -> LabelStyles:
        """The same colours with another spacer format (font size or tags changed)."""
        copy = LabelStyles(None, spacer)
        for name, style in self._styles.items():
            copy._styles[name] = LabelStyle(name, style.background.name(), spacer)
        return copy


def spacer_format(font: QFont, factor: float) -> QTextCharFormat:
    """A format for spaces that makes every line taller without widening the spaces.

    QPlainTextEdit ignores block line heights, but a line is as tall as its largest
    glyph: spaces in a larger font raise each line's ascent (room for tags above the
    text), and negative letter spacing gives the space back its normal width.
    """
    from PySide6.QtGui import QFontMetricsF

    big = QFont(font)
    big.setPointSizeF(font.pointSizeF() * factor)
    normal_width = QFontMetricsF(font).horizontalAdvance(" ")
    big_width = QFontMetricsF(big).horizontalAdvance(" ")
    fmt = QTextCharFormat()
    fmt.setFontPointSize(big.pointSizeF())
    fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
    fmt.setFontLetterSpacing(normal_width - big_width)
    return fmt
