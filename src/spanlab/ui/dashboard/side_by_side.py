"""Two annotators' versions of one document, side by side, read-only (the way into curation)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QSplitter, QVBoxLayout, QWidget

from spanlab.core.agreement_report import Disagreement
from spanlab.core.model import Span
from spanlab.core.schema import Schema
from spanlab.core.snapping import TextSnapper
from spanlab.core.span_index import SpanIndex
from spanlab.ui.views.document_view import DocumentView
from spanlab.ui.views.label_style import LabelStyles


def describe_disagreement(item: Disagreement, text: str) -> str:
    """One line: kind, offsets, both labels and the covered text."""

    def side(span: Span | None) -> str:
        return "—" if span is None else f"{span.label} [{span.start}, {span.end})"

    covered = text[item.start : item.end].replace("\n", " ")
    return f"{item.kind.value}: {side(item.span_a)} vs {side(item.span_b)} “{covered}”"


class SideBySideDialog(QDialog):
    """The same text twice, each view showing one annotator's spans; disagreements listed."""

    def __init__(
        self,
        *,
        title: str,
        text: str,
        schema: Schema,
        names: tuple[str, str],
        spans: tuple[Sequence[Span], Sequence[Span]],
        items: Sequence[Disagreement] = (),
        parent: QWidget | None = None,
    ) -> None:
        """Show ``spans[0]`` for ``names[0]`` on the left, ``spans[1]`` on the right."""
        super().__init__(parent)
        self.setObjectName("sideBySideDialog")
        self.setWindowTitle(f"{title}: {names[0]} vs {names[1]}")
        self.resize(1100, 700)
        self.views: list[DocumentView] = []
        self.indexes: list[SpanIndex] = []
        splitter = QSplitter(self)
        styles = LabelStyles(schema)
        for name, layer in zip(names, spans, strict=True):
            pane = QWidget(splitter)
            box = QVBoxLayout(pane)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(QLabel(f"<b>{name}</b> — {len(layer)} span(s)", pane))
            view = DocumentView(pane)
            view.setObjectName(f"sideBySide.{name}")
            index = SpanIndex(layer)
            view.set_styles(styles)
            view.load(text, index, TextSnapper(text))
            box.addWidget(view)
            self.views.append(view)
            self.indexes.append(index)
        self.items = list(items)
        self.list = QListWidget(self)
        self.list.setObjectName("sideBySideDisagreements")
        self.list.addItems([describe_disagreement(i, text) for i in self.items])
        self.list.currentRowChanged.connect(self.reveal)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 4)
        layout.addWidget(QLabel(f"{len(self.items)} disagreement(s):", self))
        layout.addWidget(self.list, 1)

    def reveal(self, row: int) -> None:
        """Scroll both views to a disagreement and select its extent."""
        if 0 <= row < len(self.items):
            item = self.items[row]
            for view in self.views:
                view.reveal(item.start, item.end)
                view.select_range(item.start, item.end)
