"""The entities dock: entities with their mentions; group (one or several), rename, delete."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from spanlab.ui.models.entity_model import ENTITY_ID_ROLE, SPAN_ID_ROLE, EntityModel


class EntityPanel(QWidget):
    """A tree of entities and mentions.

    Signals:
        group_requested(): add the current span to an entity (as key G does).
        group_several_requested(): choose several mentions to group at once.
        mention_activated(int): show this span in the text.
        remove_mention_requested(int): take this span out of its entity.
        delete_entity_requested(int): ungroup this entity (spans stay).
    """

    group_requested = Signal()
    group_several_requested = Signal()
    mention_activated = Signal(int)
    remove_mention_requested = Signal(int)
    delete_entity_requested = Signal(int)

    def __init__(self, model: EntityModel, parent: QWidget | None = None) -> None:
        """Show ``model``."""
        super().__init__(parent)
        self.setObjectName("entityPanel")
        self._model = model
        self.model = model
        self.tree = QTreeView(self)
        self.tree.setObjectName("entityTree")
        self.tree.setModel(model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tree.header().setStretchLastSection(False)
        self.tree.header().resizeSection(0, 220)
        self.group_button = QPushButton("&Group Span… (G)", self)
        self.group_several_button = QPushButton("Group &Several…", self)
        self.group_several_button.setObjectName("groupSeveralButton")
        self.group_several_button.setToolTip(
            "Choose several mentions and group them into one entity (one undo step)"
        )
        self.rename_button = QPushButton("Re&name", self)
        self.remove_button = QPushButton("&Remove Mention", self)
        self.delete_button = QPushButton("&Delete Entity", self)
        # Two rows, so the dock stays narrow enough to leave the article its width.
        buttons = QGridLayout()
        for position, button in enumerate(
            (
                self.group_button,
                self.group_several_button,
                self.rename_button,
                self.remove_button,
                self.delete_button,
            )
        ):
            buttons.addWidget(button, position // 3, position % 3)
        buttons.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        delete = QAction("Remove", self.tree)
        delete.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")]
        )
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._remove_selected)
        self.tree.addAction(delete)
        self.group_button.clicked.connect(self.group_requested)
        self.group_several_button.clicked.connect(self.group_several_requested)
        self.rename_button.clicked.connect(self.rename_current)
        self.remove_button.clicked.connect(self._remove_mention)
        self.delete_button.clicked.connect(self._delete_entity)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        model.modelReset.connect(self._update_buttons)
        model.rowsInserted.connect(lambda *_: self._expand())
        self._update_buttons()

    def _expand(self) -> None:
        self.tree.expandAll()
        self._update_buttons()

    def _ids(self) -> tuple[int | None, int | None]:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None, None
        entity = index.data(ENTITY_ID_ROLE)
        span = index.data(SPAN_ID_ROLE)
        return (
            int(entity) if entity is not None else None,
            int(span) if span is not None else None,
        )

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        span = current.data(SPAN_ID_ROLE) if current.isValid() else None
        if span is not None:
            self.mention_activated.emit(int(span))

    def _update_buttons(self) -> None:
        entity, span = self._ids()
        self.rename_button.setEnabled(entity is not None)
        self.delete_button.setEnabled(entity is not None)
        self.remove_button.setEnabled(span is not None)

    def select_entity(self, entity_id: int) -> None:
        """Make an entity's row current."""
        row = self._model.entity_row(entity_id)
        if row is not None:
            self.tree.setCurrentIndex(self._model.index(row, 0))

    def rename_current(self) -> None:
        """Edit the current entity's name in place."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        top = index.parent() if index.parent().isValid() else index
        self.tree.setCurrentIndex(top.siblingAtColumn(0))
        self.tree.edit(top.siblingAtColumn(0))

    def _remove_mention(self) -> None:
        _entity, span = self._ids()
        if span is not None:
            self.remove_mention_requested.emit(span)

    def _delete_entity(self) -> None:
        entity, _span = self._ids()
        if entity is not None:
            self.delete_entity_requested.emit(entity)

    def _remove_selected(self) -> None:
        entity, span = self._ids()
        if span is not None:
            self.remove_mention_requested.emit(span)
        elif entity is not None:
            self.delete_entity_requested.emit(entity)
