"""Preview of "label all occurrences in the project": tick the matches to label."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.occurrences import Occurrence


class OccurrencesDialog(QDialog):
    """Lists every match with its document and context; all ticked to start with."""

    def __init__(
        self,
        occurrences: Sequence[Occurrence],
        *,
        needle: str,
        label: str,
        parent: QWidget | None = None,
    ) -> None:
        """Preview ``occurrences`` of ``needle`` about to get ``label``."""
        super().__init__(parent)
        self.setObjectName("occurrencesDialog")
        self.setWindowTitle(f"Label all occurrences as {label}")
        self.resize(760, 460)
        self._occurrences = list(occurrences)
        self._label = label
        self.list = QListWidget(self)
        self.list.setObjectName("occurrenceList")
        for occurrence in self._occurrences:
            item = QListWidgetItem(f"{occurrence.title}  —  {occurrence.context}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(occurrence.title)
            self.list.addItem(item)
        documents = len({o.document_id for o in self._occurrences})
        summary = QLabel(
            f"{len(self._occurrences)} unlabelled occurrence(s) of “{needle}” in "
            f"{documents} document(s). Untick the ones that are not {label}.",
            self,
        )
        summary.setWordWrap(True)
        select_all = QPushButton("Select &All", self)
        select_none = QPushButton("Select &None", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        row = QHBoxLayout()
        row.addWidget(select_all)
        row.addWidget(select_none)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        select_all.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        select_none.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        self.list.itemChanged.connect(self._update_ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._update_ok()

    def _check_all(self, state: Qt.CheckState) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def _update_ok(self) -> None:
        count = len(self.chosen())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Label {count}")
        ok.setEnabled(count > 0)

    def chosen(self) -> list[Occurrence]:
        """The ticked occurrences."""
        return [
            occurrence
            for row, occurrence in enumerate(self._occurrences)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
