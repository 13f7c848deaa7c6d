"""The relations dock: (head, type, tail) of the open document; select, retype, delete."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from spanlab.ui.models.relation_model import RELATION_ID_ROLE, RelationModel

HELP = (
    "Select a span and press R, then Tab/Shift+Tab to a tail span and Enter "
    "(or Ctrl+drag from span to span)."
)


class RelationsPanel(QWidget):
    """A table of relations with Retype and Delete.

    Signals:
        relation_selected(int): the user chose a relation (-1: none).
        delete_requested(int): delete this relation.
        retype_requested(int): pick another type for this relation.
    """

    relation_selected = Signal(int)
    delete_requested = Signal(int)
    retype_requested = Signal(int)

    def __init__(self, model: RelationModel, parent: QWidget | None = None) -> None:
        """Show ``model``."""
        super().__init__(parent)
        self.setObjectName("relationsPanel")
        self._model = model
        self.model = model
        self.table = QTableView(self)
        self.table.setObjectName("relationTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.hint = QLabel(HELP, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.retype_button = QPushButton("Re&type…", self)
        self.retype_button.setObjectName("retypeRelation")
        self.delete_button = QPushButton("&Delete", self)
        self.delete_button.setObjectName("deleteRelation")
        buttons = QHBoxLayout()
        buttons.addWidget(self.retype_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        delete = QAction("Delete Relation", self.table)
        delete.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")]
        )
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._delete)
        retype = QAction("Retype Relation", self.table)
        retype.setShortcut(QKeySequence("T"))
        retype.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        retype.triggered.connect(self._retype)
        self.table.addActions([delete, retype])
        self.retype_button.clicked.connect(self._retype)
        self.delete_button.clicked.connect(self._delete)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def current_relation_id(self) -> int | None:
        """The relation of the current row."""
        index = self.table.currentIndex()
        return int(index.data(RELATION_ID_ROLE)) if index.isValid() else None

    def select_relation(self, relation_id: int) -> None:
        """Make a relation's row current (emits :attr:`relation_selected`)."""
        row = self._model.row_of(relation_id)
        if row is not None:
            self.table.setCurrentIndex(self._model.index(row, 0))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        if current.isValid():
            self.relation_selected.emit(int(current.data(RELATION_ID_ROLE)))

    def _update_buttons(self) -> None:
        has = self.table.currentIndex().isValid()
        self.retype_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _delete(self) -> None:
        relation_id = self.current_relation_id()
        if relation_id is not None:
            self.delete_requested.emit(relation_id)

    def _retype(self) -> None:
        relation_id = self.current_relation_id()
        if relation_id is not None:
            self.retype_requested.emit(relation_id)
