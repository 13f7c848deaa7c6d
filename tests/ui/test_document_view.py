"""The article view: lazy highlighting, UTF-16 offsets, tags, tooltips, nested spans."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot
from ui_helpers import inside

from spanlab.core.model import AnnotatorId, DocumentId, Span, SpanId
from spanlab.core.project import default_schema
from spanlab.core.snapping import TextSnapper
from spanlab.core.span_index import SpanIndex
from spanlab.ui.views.document_view import NO_SPAN, DocumentView
from spanlab.ui.views.label_style import LabelStyles

EMOJI_TEXT = "🇰🇷🇯🇵 Talks 👍🏽\nBaek Tae-jin met 😀 Haruki Takeda in Seoul."


def make_span(span_id: int, text: str, needle: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(
        SpanId(span_id), DocumentId(1), AnnotatorId(1), label, start, start + len(needle), needle
    )


def make_view(qtbot: QtBot, text: str, spans: list[Span]) -> DocumentView:
    view = DocumentView()
    qtbot.addWidget(view)
    view.set_styles(LabelStyles(default_schema()))
    view.load(text, SpanIndex(spans), TextSnapper(text))
    view.resize(700, 400)
    with qtbot.waitExposed(view):
        view.show()
    QApplication.processEvents()
    return view


def coloured(view: DocumentView, block_number: int) -> dict[str, set[int]]:
    """UTF-16 positions (within the block) painted with each background colour."""
    block = view.document().findBlockByNumber(block_number)
    result: dict[str, set[int]] = {}
    for r in block.layout().formats():
        if r.format.background().style() != Qt.BrushStyle.NoBrush:
            colour = r.format.background().color().name().upper()
            result.setdefault(colour, set()).update(range(r.start, r.start + r.length))
    return result


def test_spans_after_astral_characters_are_coloured_at_the_right_utf16_offsets(
    qtbot: QtBot,
) -> None:
    text = EMOJI_TEXT
    seoul = make_span(1, text, "Seoul", "LOCATION")
    takeda = make_span(2, text, "Haruki Takeda", "PERSON")
    view = make_view(qtbot, text, [seoul, takeda])
    line = text.split("\n")[1]
    # In UTF-16 the emoji before both names takes two units; the block starts after line 1.
    utf16 = line.encode("utf-16-le")
    seoul_u16 = len(line[: line.index("Seoul")].encode("utf-16-le")) // 2
    colours = coloured(view, 1)
    assert colours["#BDB2FF"] == set(range(seoul_u16, seoul_u16 + 5))
    takeda_u16 = len(line[: line.index("Haruki")].encode("utf-16-le")) // 2
    assert colours["#FFD6A5"] == set(range(takeda_u16, takeda_u16 + 13))
    assert len(utf16) // 2 == len(line) + 1
    # And the view reports code points back: click inside "Seoul".
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside(view, seoul.start + 2))
    assert view.current_span() == seoul


def test_only_visible_blocks_are_highlighted(qtbot: QtBot) -> None:
    paragraph = "Seoul and Tokyo held talks on Friday in Seoul. " * 12
    text = "\n".join(paragraph for _ in range(2000))
    starts = [m.start() for m in re.finditer("Seoul", text)][::24]
    spans = [
        Span(SpanId(i + 1), DocumentId(1), AnnotatorId(1), "LOCATION", s, s + 5, "Seoul")
        for i, s in enumerate(starts)
    ]
    view = make_view(qtbot, text, spans)
    assert view.document().blockCount() == 2000
    assert 0 < view.highlighter.highlighted_blocks < 40
    view.select_span(spans[-1].id)
    QApplication.processEvents()
    view.repaint()
    assert view.highlighter.highlighted_blocks < 80
    block = view.document().findBlock(spans[-1].start)
    assert view.highlighter.is_highlighted(block)
    assert view.current_span() == spans[-1]


def test_tooltip_names_every_label_under_the_mouse(qtbot: QtBot) -> None:
    text = "The Seoul talks ended."
    outer = make_span(1, text, "The Seoul talks", "EVENT")
    inner = make_span(2, text, "Seoul", "LOCATION")
    view = make_view(qtbot, text, [outer, inner])
    point = inside(view, inner.start + 1)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.text() == "LOCATION: Seoul\nEVENT: The Seoul talks"
    QToolTip.hideText()


def test_clicking_a_tag_selects_its_span_and_tags_are_painted(qtbot: QtBot) -> None:
    text = "Intro line.\nThe Seoul talks ended."
    outer = make_span(1, text, "The Seoul talks", "EVENT")
    inner = make_span(2, text, "Seoul", "LOCATION")
    view = make_view(qtbot, text, [outer, inner])
    view.repaint()
    rect = view.cursor_rect_at(outer.start)
    image = view.viewport().grab().toImage()
    tag_colour = QColor("#FFC6FF").darker(112).name()
    area = [
        QPoint(x, y)
        for x in range(rect.left(), rect.left() + 40)
        for y in range(rect.top(), rect.top() + 12)  # the room above the text
        if image.pixelColor(x, y).name() == tag_colour
    ]
    assert len(area) > 50  # the EVENT tag is painted above "The"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=area[len(area) // 2])
    assert view.current_span() == outer
    view.clear_selection()
    assert view.current_span() is None


def test_nested_spans_both_show_a_bar_under_the_text(qtbot: QtBot) -> None:
    text = "Intro line.\nThe Seoul talks ended."
    outer = make_span(1, text, "The Seoul talks", "EVENT")
    inner = make_span(2, text, "Seoul", "LOCATION")
    view = make_view(qtbot, text, [outer, inner])
    view.repaint()
    image = view.viewport().grab().toImage()
    rect = view.cursor_rect_at(inner.start + 2)
    x = rect.left()
    column = {image.pixelColor(x, y).name().upper() for y in range(rect.top(), rect.bottom() + 8)}
    assert QColor("#FFC6FF").darker(170).name().upper() in column  # EVENT bar, lane 0
    assert QColor("#BDB2FF").darker(170).name().upper() in column  # LOCATION bar, lane 1


def test_relabelled_and_removed_spans_are_repainted(qtbot: QtBot) -> None:
    text = "Baek met Takeda."
    span = make_span(1, text, "Baek", "PERSON")
    index = SpanIndex([span])
    view = DocumentView()
    qtbot.addWidget(view)
    view.set_styles(LabelStyles(default_schema()))
    view.load(text, index, TextSnapper(text))
    with qtbot.waitExposed(view):
        view.show()
    QApplication.processEvents()
    assert coloured(view, 0) == {"#FFD6A5": {0, 1, 2, 3}}
    relabelled = Span(span.id, span.document_id, span.annotator_id, "ROLE", 0, 4, "Baek")
    index.add(relabelled)
    view.refresh_spans([span, relabelled])
    assert coloured(view, 0) == {"#FDFFB6": {0, 1, 2, 3}}
    view.select_span(span.id)
    index.remove(span.id)
    view.refresh_spans([relabelled])
    assert coloured(view, 0) == {}
    assert view.current_span() is None
    signals: list[int] = []
    view.current_span_changed.connect(signals.append)
    view.select_span(99)
    assert signals == [] and NO_SPAN == -1
