"""Arcs stay in a band reserved above their own line; hiding arcs gives the spacing back."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from spanlab.core.commands import AddRelation, AddSpan
from spanlab.ui.app import SpanLabApp
from spanlab.ui.views.arc_band import MAX_LEVELS
from spanlab.ui.views.arc_overlay import Arc, ArcMode
from spanlab.ui.views.document_view import DocumentView

BAEK = 3


def line_above(view: DocumentView, arc: Arc) -> tuple[float, float]:
    """(top, bottom) of the text line above the line an arc starts from, by cursorRect."""
    y = min(arc.head.y(), arc.tail.y()) if not arc.partial else arc.head.y()
    here = view.cursorRect(view.cursorForPosition(QPoint(20, int(y) + 4)))
    above = view.cursorRect(view.cursorForPosition(QPoint(20, here.top() - 4)))
    assert above.bottom() < here.top() + 1, "there must be a line above"
    return float(above.top()), float(above.top() + above.height())


def test_arcs_stay_below_the_line_above_and_spacing_returns_without_arcs(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    sample_gui.documents.open(1)
    view = sample_gui.window.document_view
    overlay = sample_gui.tools.relations.overlay
    overlay.set_mode(ArcMode.ALL)
    view.select_span(BAEK)
    view.repaint()
    arcs = [a for a in overlay.arcs() if not a.partial]
    assert arcs
    checked = 0
    for arc in arcs:
        upper = min(arc.head.y(), arc.tail.y())
        if upper < 40:
            continue  # the first line in view: nothing above it to cross
        _top, bottom = line_above(view, arc)
        assert arc.peak - 1 > bottom
        if not arc.label_rect.isEmpty():
            assert arc.label_rect.top() >= bottom - 0.5, (arc.label, arc.label_rect, bottom)
        assert arc.band_top >= bottom - 0.5
        checked += 1
    assert checked >= 2
    view.grab().save("/tmp/arc_band.png")
    # Turning arcs off brings back the normal line spacing; on again reserves the band.
    position = sample_gui.document.index.get(BAEK).start  # type: ignore[union-attr]
    tall = view.cursor_rect_at(position).height()
    overlay.set_mode(ArcMode.NONE)
    view.repaint()
    normal = view.cursor_rect_at(position).height()
    assert normal < tall
    view.grab().save("/tmp/arc_band_off.png")
    overlay.set_mode(ArcMode.ALL)
    view.repaint()
    assert view.cursor_rect_at(position).height() == tall


def test_the_band_above_a_new_span_is_kept_clear(sample_gui: SpanLabApp, qtbot: QtBot) -> None:
    sample_gui.documents.open(1)
    view = sample_gui.window.document_view
    overlay = sample_gui.tools.relations.overlay
    overlay.set_mode(ArcMode.ALL)
    view.verticalScrollBar().setValue(0)
    view.repaint()
    text = sample_gui.document.text
    start = text.index("vice-ministerial")  # on a visible line, not labelled in the sample
    end = start + len("vice-ministerial")
    assert not sample_gui.document.index.overlapping(start, end)
    project, annotator = sample_gui.session.project, sample_gui.session.annotator
    assert project is not None and annotator is not None
    assert sample_gui.session.run(AddSpan(1, int(annotator.id), "EVENT", start, end))
    view.repaint()
    (span,) = sample_gui.document.index.overlapping(start, end)
    (box,) = view.visible_span_boxes()[int(span.id)]
    image = view.viewport().grab().toImage()
    x = int((box.left + box.right) / 2)
    colour = sample_gui.window.document_view.palette().color(QPalette.ColorRole.Base)
    in_band = image.pixelColor(x, int(box.top) + 2)
    on_text = image.pixelColor(x, int(box.baseline) - 2)
    assert in_band == colour  # Qt would stretch the span colour over the whole line
    assert on_text != colour


def test_a_crowded_line_keeps_its_arcs_in_the_band_and_draws_the_rest_compactly(
    sample_gui: SpanLabApp, qtbot: QtBot
) -> None:
    sample_gui.documents.open(1)
    view = sample_gui.window.document_view
    overlay = sample_gui.tools.relations.overlay
    overlay.set_mode(ArcMode.ALL)
    index = sample_gui.document.index
    persons = [s for s in index if s.label == "PERSON"][:2]
    countries = [s for s in index if s.label == "COUNTRY"][:2]
    for person in persons:
        for country in countries:
            assert sample_gui.session.run(AddRelation(person.id, country.id, "REPRESENTS"))
    view.verticalScrollBar().setValue(0)
    view.repaint()
    arcs = [a for a in overlay.arcs() if not a.partial]
    assert any(a.compact for a in arcs)  # more arcs overlap on a line than the band holds
    for arc in arcs:
        # MAX_LEVELS fit in the band reserved; a line made taller by a fallback font
        # (the Hangul of "(백태진)") may hold one more.
        assert arc.level < MAX_LEVELS + 1
        assert arc.peak >= arc.band_top  # the curve stays below the band's top
        if arc.compact:
            assert arc.label_rect.isEmpty()
        else:
            assert arc.label_rect.top() >= arc.band_top - 0.5
    labelled = [a for a in arcs if not a.compact]
    for a in labelled:
        for b in labelled:
            if a is not b:
                assert not a.label_rect.intersects(b.label_rect), (a.label, b.label)
    view.grab().save("/tmp/arc_band_crowded.png")
