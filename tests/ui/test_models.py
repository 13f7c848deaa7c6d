"""Qt models pass qtmodeltester and follow the session row by row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from ui_helpers import drag, key

from spanlab.ui.app import SpanLabApp
from spanlab.ui.models.annotation_model import AnnotationModel


def test_models_pass_the_model_tester(sample_gui: SpanLabApp, qtmodeltester: ModelTester) -> None:
    window = sample_gui.window
    qtmodeltester.check(window.document_panel.source)
    qtmodeltester.check(window.document_panel.proxy)
    qtmodeltester.check(window.annotations.model())
    qtmodeltester.check(window.label_palette.model())


def test_annotation_model_inserts_and_removes_single_rows(gui: SpanLabApp, qtbot: QtBot) -> None:
    model = gui.window.annotations.model()
    assert isinstance(model, AnnotationModel)
    inserted: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    resets: list[bool] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.modelReset.connect(lambda: resets.append(True))
    view = gui.window.document_view
    text = gui.document.text
    for word in ("Kang", "Baek"):
        drag(qtbot, view, text.index(word), text.index(word) + 4)
        key(qtbot, view, Qt.Key.Key_1)
    assert inserted == [(0, 0), (0, 0)]  # Baek goes before Kang
    assert [model.index(r, 1).data() for r in range(2)] == ["Baek", "Kang"]
    key(qtbot, view, Qt.Key.Key_2)  # relabel Baek: same row changes
    assert model.index(0, 0).data() == "ROLE"
    key(qtbot, view, Qt.Key.Key_Delete)
    assert removed == [(0, 0)]
    assert resets == []
    assert model.index(0, 2).data() == f"{text.index('Kang')}–{text.index('Kang') + 4}"
