"""The README screenshot renders, and label colours keep span text readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from spanlab.core.contrast import MIN_TEXT_CONTRAST, contrast_ratio
from spanlab.core.project import default_schema
from spanlab.ui.screenshot import HEIGHT, WIDTH, render
from spanlab.ui.views.label_style import LabelStyles


def test_screenshot_shows_the_sample_with_coloured_spans(tmp_path: Path) -> None:
    out = render(tmp_path / "main-window.png")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (WIDTH, HEIGHT)
    assert out.stat().st_size > 50_000
    colours = {
        image.pixelColor(x, y).name().upper()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }
    label_colours = {label.colour for label in default_schema().labels}
    assert label_colours <= colours  # every label colour appears (spans and palette)
    assert len(colours) > 200


@pytest.mark.parametrize("label", default_schema().labels, ids=lambda label: label.name)
def test_text_on_every_label_colour_meets_wcag_aa(label: object) -> None:
    style = LabelStyles(default_schema())[label.name]  # type: ignore[attr-defined]
    pairs = ((style.text, style.background), (style.tag_text, style.tag))
    for text, background in pairs:
        assert contrast_ratio(text.name(), background.name()) >= MIN_TEXT_CONTRAST
