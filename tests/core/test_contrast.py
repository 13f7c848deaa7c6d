"""Label colours keep span text readable (WCAG AA, 4.5:1)."""

from __future__ import annotations

import pytest

from spanlab.core.contrast import MIN_TEXT_CONTRAST, contrast_ratio, readable_text_colour
from spanlab.core.project import default_schema


def test_known_ratios() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert readable_text_colour("#000080") == "#FFFFFF"
    assert readable_text_colour("#FFD6A5") == "#000000"


@pytest.mark.parametrize("label", default_schema().labels, ids=lambda label: label.name)
def test_every_bundled_label_colour_is_readable(label: object) -> None:
    colour = label.colour  # type: ignore[attr-defined]
    text = readable_text_colour(colour)
    assert contrast_ratio(text, colour) >= MIN_TEXT_CONTRAST
