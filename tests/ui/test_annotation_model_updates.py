"""The annotations table follows edits row by row and stays equal to the store.

Adding, relabelling, resizing and deleting spans, then undoing and redoing all of it,
never resets the table: the selected span stays selected (even when its row moves)
and the rows always list exactly the stored spans, in text order. In the article, an
edit repaints only the lines it touched, and what the screen shows is exactly what a
full repaint shows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QImage, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from spanlab.core.commands import AddSpan, RemoveSpans, UpdateSpan
from spanlab.core.model import Span
from spanlab.core.project import Command
from spanlab.core.span_index import text_order_key
from spanlab.ui.app import SpanLabApp
from spanlab.ui.models.annotation_model import SPAN_ID_ROLE, AnnotationModel
from spanlab.ui.views.annotation_table import AnnotationTable


def stored(gui: SpanLabApp) -> list[Span]:
    """The annotator's spans on the open document, read back from the project file."""
    project, annotator = gui.session.project, gui.session.annotator
    document_id = gui.document.document_id
    assert project is not None and annotator is not None and document_id is not None
    return sorted(project.spans(document_id, annotator.id), key=text_order_key)


def table_rows(model: AnnotationModel) -> list[tuple[int, str, str, str]]:
    """Span id and the three cells of every row, as shown."""
    return [
        (
            int(model.index(row, 0).data(SPAN_ID_ROLE)),
            model.index(row, 0).data(),
            model.index(row, 1).data(),
            model.index(row, 2).data(),
        )
        for row in range(model.rowCount())
    ]


def expected_rows(spans: list[Span]) -> list[tuple[int, str, str, str]]:
    return [(int(s.id), s.label, " ".join(s.text.split()), f"{s.start}–{s.end}") for s in spans]


def selected_span(table: AnnotationTable) -> int | None:
    """The span of the single selected row (None when nothing is selected)."""
    rows = table.selectionModel().selectedRows()
    assert len(rows) <= 1
    if not rows:
        return None
    assert table.current_span_id() == int(rows[0].data(SPAN_ID_ROLE))
    return int(rows[0].data(SPAN_ID_ROLE))


def test_table_follows_add_relabel_move_delete_undo_and_redo(gui: SpanLabApp, qtbot: QtBot) -> None:
    session = gui.session
    annotator = session.annotator
    document_id = gui.document.document_id
    assert annotator is not None and document_id is not None
    text = gui.document.text
    table = gui.window.annotations
    model = table.model()
    assert isinstance(model, AnnotationModel)
    resets: list[str] = []
    model.modelReset.connect(lambda: resets.append("reset"))
    model.layoutChanged.connect(lambda: resets.append("layout"))
    moved: list[tuple[int, int]] = []
    model.rowsMoved.connect(lambda _p, first, _l, _d, row: moved.append((first, row)))

    def run(command: Command) -> None:
        assert session.run(command)

    def add(needle: str, label: str, nth: int = 0) -> int:
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        command = AddSpan(document_id, annotator.id, label, start, start + len(needle))
        run(command)
        assert command.span_id is not None
        return int(command.span_id)

    def consistent() -> None:
        assert table_rows(model) == expected_rows(stored(gui))

    baek = add("Baek Tae-jin", "PERSON")
    add("Tae-jin", "PERSON")  # nested: listed right after the span around it
    haruki = add("Haruki Takeda", "PERSON")
    add("Seoul", "LOCATION", nth=1)
    kang = add("Kang Min-seo", "PERSON")
    consistent()

    # The user picks Kang's row in the table; the article selects the span too.
    row = model.row_of(kang)
    assert row is not None
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(model.index(row, 1)).center(),
    )
    assert selected_span(table) == kang
    assert gui.window.document_view.current_span() == gui.document.index.get(kang)

    talks = text.index("talks")  # in the title: before every other span
    edits: list[Command] = [
        AddSpan(
            document_id, annotator.id, "PERSON", text.index("Takeda"), text.index("Takeda") + 6
        ),
        UpdateSpan(baek, label="ROLE"),  # relabel: same row
        UpdateSpan(kang, start=talks, end=talks + 5),  # the selected span moves up
        RemoveSpans([haruki]),
    ]
    for command in edits:
        run(command)
        consistent()
        assert selected_span(table) == kang
    assert model.index(model.row_of(baek) or 0, 0).data() == "ROLE"
    assert model.row_of(haruki) is None
    assert moved == [(5, 0)]  # one move, from the last row to the first

    for _ in edits:
        session.undo_stack.undo()
        consistent()
        assert selected_span(table) == kang
    assert model.index(model.row_of(kang) or 0, 1).data() == "Kang Min-seo"
    for _ in edits:
        session.undo_stack.redo()
        consistent()
        assert selected_span(table) == kang
    assert resets == []

    # Deleting the selected span moves the selection to a neighbour, in the article too.
    run(RemoveSpans([kang]))
    consistent()
    neighbour = selected_span(table)
    assert neighbour is not None and neighbour != kang
    current = gui.window.document_view.current_span()
    assert current is not None and current.id == neighbour
    session.undo_stack.undo()
    consistent()
    assert resets == []


class PaintLog(QObject):
    """Records the rectangles a widget is asked to paint."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.rects.append(event.rect())
        return False


def test_span_edits_repaint_their_lines_only_and_match_a_full_repaint(
    gui: SpanLabApp, qtbot: QtBot
) -> None:
    session = gui.session
    annotator = session.annotator
    document_id = gui.document.document_id
    assert annotator is not None and document_id is not None
    text = gui.document.text
    view = gui.window.document_view
    viewport = view.viewport()
    screen = QApplication.primaryScreen()
    log = PaintLog()
    viewport.installEventFilter(log)

    table = gui.window.annotations.viewport()
    table_log = PaintLog()
    table.installEventFilter(table_log)

    def on_screen(widget: QWidget = viewport) -> QImage:
        """What the screen shows of a widget (the window's backing store)."""
        for _ in range(3):
            QApplication.processEvents()
        corner = widget.mapToGlobal(QPoint(0, 0))
        return screen.grabWindow(
            0, corner.x(), corner.y(), widget.width(), widget.height()
        ).toImage()

    def check_screen() -> None:
        """The article and the table show what full repaints of both show."""
        article, rows = on_screen(), on_screen(table)
        view.viewport().repaint()
        table.repaint()
        assert article == on_screen()
        assert rows == on_screen(table)

    on_screen()
    seoul = text.index("Seoul", text.index("Haruki"))
    edits: list[Command] = [
        AddSpan(
            document_id, annotator.id, "PERSON", text.index("Haruki"), text.index("Haruki") + 13
        ),
        AddSpan(document_id, annotator.id, "LOCATION", seoul, seoul + 5),
        # Overlaps both: bars appear under all three.
        AddSpan(document_id, annotator.id, "EVENT", text.index("Takeda"), seoul + 5),
    ]
    for number, command in enumerate(edits):
        log.rects.clear()
        table_log.rects.clear()
        assert session.run(command)
        on_screen()
        assert log.rects and all(r.height() < viewport.height() / 2 for r in log.rects)
        if number == 1:  # a row added below Haruki's: Haruki's row is not painted again
            assert table_log.rects and min(r.top() for r in table_log.rects) > 0
        check_screen()
    spans = [gui.document.index.get(int(c.span_id or 0)) for c in edits]
    assert all(span is not None for span in spans)
    for step in (
        lambda: session.run(UpdateSpan(int(edits[2].span_id or 0), label="ROLE")),
        lambda: session.run(RemoveSpans([int(edits[1].span_id or 0)])),
        session.undo_stack.undo,
        session.undo_stack.undo,
        session.undo_stack.redo,
    ):
        log.rects.clear()
        step()
        on_screen()
        assert all(r.height() < viewport.height() / 2 for r in log.rects)
        check_screen()
