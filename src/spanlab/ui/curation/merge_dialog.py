"""Curation › Merge…: choose a strategy, see what it would merge and leave, then apply.

Nothing changes until "Apply Merge": every option change recomputes the core's
:class:`~spanlab.core.curation.MergePreview` of the document; the dialog emits the
preview the curator accepted and the curation window runs it as one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.curation import (
    CurationError,
    MergePreview,
    MergeStrategy,
    StrategyKind,
    preview_merge,
)
from spanlab.core.errors import SpanLabError
from spanlab.core.project import Project
from spanlab.ui.curation.candidate_tree import quote

STRATEGY_TEXT = {
    StrategyKind.UNANIMOUS: "What all annotators agree on",
    StrategyKind.MAJORITY: "What at least K annotators agree on",
    StrategyKind.PREFER: "One annotator's version",
    StrategyKind.EMPTY: "Nothing: start from an empty gold layer",
}


class MergeDialog(QDialog):
    """Strategy, options and a live preview of one document's merge.

    Signals:
        merge_requested(object): the :class:`MergePreview` to apply.
    """

    merge_requested = Signal(object)

    def __init__(
        self,
        project: Project,
        document_id: int,
        *,
        annotators: Sequence[str],
        include_unfinished: bool,
        parent: QWidget | None = None,
    ) -> None:
        """Options for ``document_id``; ``annotators`` are the layers being compared."""
        super().__init__(parent)
        self.setObjectName("curationMergeDialog")
        self.setWindowTitle("Merge into Gold")
        self.resize(760, 620)
        self._project = project
        self._document_id = document_id
        self._include_unfinished = include_unfinished
        self.preview: MergePreview | None = None

        self.buttons: dict[StrategyKind, QRadioButton] = {}
        group = QButtonGroup(self)
        strategy_box = QGroupBox("Start gold from", self)
        grid = QGridLayout(strategy_box)
        for row, kind in enumerate(StrategyKind):
            button = QRadioButton(STRATEGY_TEXT[kind], strategy_box)
            button.setObjectName(f"mergeStrategy_{kind.value}")
            group.addButton(button)
            grid.addWidget(button, row, 0)
            self.buttons[kind] = button
        self.k = QSpinBox(strategy_box)
        self.k.setObjectName("mergeK")
        self.k.setPrefix("K = ")
        self.k.setRange(1, max(1, len(annotators)))
        self.k.setValue(min(2, max(1, len(annotators))))
        grid.addWidget(self.k, 1, 1)
        self.annotator = QComboBox(strategy_box)
        self.annotator.setObjectName("mergeAnnotator")
        self.annotator.addItems(list(annotators))
        grid.addWidget(self.annotator, 2, 1)
        self.replace = QCheckBox("Replace what gold holds now (delete its annotations first)", self)
        self.replace.setObjectName("mergeReplace")
        self.summary = QLabel(self)
        self.summary.setObjectName("mergeSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("mergePreview")
        self.tree.setHeaderLabels(["What", "Why / from"])
        self.tree.setColumnWidth(0, 420)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = QPushButton("&Apply Merge", self)
        self.apply_button.setObjectName("mergeApply")
        self.apply_button.setDefault(True)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(strategy_box)
        layout.addWidget(self.replace)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

        self.buttons[StrategyKind.UNANIMOUS].setChecked(True)
        group.buttonToggled.connect(self._on_toggled)
        self.k.valueChanged.connect(lambda _v: self._choose(StrategyKind.MAJORITY))
        self.annotator.activated.connect(lambda _i: self._choose(StrategyKind.PREFER))
        self.replace.toggled.connect(lambda _c: self.update_preview())
        buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self._apply)
        self.update_preview()

    # ------------------------------------------------------------------ options
    def _on_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.update_preview()

    def _choose(self, kind: StrategyKind) -> None:
        if self.buttons[kind].isChecked():
            self.update_preview()
        else:
            self.buttons[kind].setChecked(True)

    def set_strategy(self, strategy: MergeStrategy) -> None:
        """Choose a strategy (as the curator would with the radio buttons)."""
        if strategy.k is not None:
            self.k.setValue(strategy.k)
        if strategy.annotator is not None:
            self.annotator.setCurrentText(strategy.annotator)
        self._choose(strategy.kind)

    def strategy(self) -> MergeStrategy:
        """The strategy the options describe."""
        kind = next(k for k, b in self.buttons.items() if b.isChecked())
        if kind is StrategyKind.MAJORITY:
            return MergeStrategy.majority(self.k.value())
        if kind is StrategyKind.PREFER:
            return MergeStrategy.prefer(self.annotator.currentText())
        return MergeStrategy(kind)

    # ------------------------------------------------------------------ preview
    def update_preview(self) -> None:
        """Recompute and show the preview (changes nothing)."""
        self.tree.clear()
        self.preview = None
        try:
            preview = preview_merge(
                self._project,
                self._document_id,
                self.strategy(),
                include_unfinished=self._include_unfinished,
                replace=self.replace.isChecked(),
            )
        except (CurationError, SpanLabError) as exc:
            self.summary.setText(f"<b>Cannot merge:</b> {exc}")
            self.apply_button.setEnabled(False)
            return
        self.preview = preview
        if preview.skipped is not None:
            self.summary.setText(f"<b>Nothing to merge:</b> {preview.skipped}")
            self.apply_button.setEnabled(False)
            return
        self.apply_button.setEnabled(True)
        self.summary.setText(_summary(preview))
        self._fill(preview)

    def _fill(self, preview: MergePreview) -> None:
        text = self._project.document(preview.document_id).text
        merged = self._section(f"Will be merged into gold ({preview.merged})")
        for span in preview.spans:
            what = f"{span.key.label} {quote(span.text)}"
            QTreeWidgetItem(merged, [what, ", ".join(span.sources)])
        for relation in preview.relations:
            head = quote(text[relation.head.start : relation.head.end])
            tail = quote(text[relation.tail.start : relation.tail.end])
            what = f"{relation.label}: {head} → {tail}"
            QTreeWidgetItem(merged, [what, ", ".join(relation.sources)])
        for entity in preview.entities:
            what = f"entity {entity.name} ({len(entity.members)} mentions)"
            QTreeWidgetItem(merged, [what, ", ".join(entity.sources)])
        left = self._section(f"Left for you to decide ({len(preview.left)})")
        for item in preview.left:
            QTreeWidgetItem(left, [item.what, f"{item.reason.display_name}: {item.detail}"])
        removed = len(preview.removed_spans) + len(preview.removed_relations)
        removed += len(preview.removed_entities)
        if removed:
            gone = self._section(f"Removed from gold first ({removed})")
            for old_span in preview.removed_spans:
                what = f"{old_span.label} {quote(old_span.text)}"
                QTreeWidgetItem(gone, [what, "replace"])
            for old_entity in preview.removed_entities:
                QTreeWidgetItem(gone, [f"entity {old_entity.name}", "replace"])
        self.tree.expandAll()

    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        return item

    def _apply(self) -> None:
        if self.preview is None or self.preview.skipped is not None:
            return
        self.merge_requested.emit(self.preview)
        self.accept()


def _summary(preview: MergePreview) -> str:
    parts = [
        f"<b>{preview.strategy}</b> over {', '.join(preview.annotators) or 'nobody'}: "
        f"merges {len(preview.spans)} span(s), {len(preview.relations)} relation(s), "
        f"{len(preview.entities)} entity group(s) and {preview.attributes_taken} attribute "
        f"value(s); leaves {len(preview.left)} for you"
    ]
    if preview.overruled:
        parts.append(f"{preview.overruled} competing candidate(s) overruled")
    reasons = ", ".join(
        f"{count} {reason.display_name}" for reason, count in preview.left_by_reason().items()
    )
    if reasons:
        parts.append(f"left: {reasons}")
    for name, why in preview.excluded.items():
        parts.append(f"{name} not compared: {why}")
    parts.extend(preview.notes)
    return "; ".join(parts) + ". Nothing changes until you apply."
