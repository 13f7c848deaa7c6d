"""Choose several mentions at once and the entity they belong to (one undoable edit).

Mentions of one entity are scattered over an article ("Chang Ho-jin" ... "Chang" ...
"he"); picking them one G at a time costs one undo step each. This dialog lists the
document's spans that are not in an entity yet, in text order, with a filter; Ctrl/Shift
select several, and the entity controller groups them with one core command.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.entities import suggest_entity_name
from spanlab.core.model import Span
from spanlab.ui.models.relation_model import span_text

SPAN_ROLE = Qt.ItemDataRole.UserRole + 1
NEW_ENTITY = -1


class GroupMentionsDialog(QDialog):
    """A filterable multi-selection of spans, a target entity and an optional name."""

    def __init__(
        self,
        spans: Sequence[Span],
        entities: Sequence[tuple[int, str]],
        *,
        preselect: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        """List ``spans``; ``entities`` are (id, name) of existing entities to add to."""
        super().__init__(parent)
        self.setObjectName("groupMentionsDialog")
        self.setWindowTitle("Group Mentions")
        self._spans = {int(span.id): span for span in spans}
        hint = QLabel(
            "Select the mentions of one entity (Ctrl+click or Shift+click for several, "
            "Ctrl+A for all listed).",
            self,
        )
        hint.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("mentionFilter")
        self.filter.setPlaceholderText("Filter by text or label")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("mentionList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for span in spans:
            item = QListWidgetItem(f"{span_text(span)}  · {span.start}", self.list)
            item.setData(SPAN_ROLE, int(span.id))
            item.setSelected(int(span.id) in preselect)
        self.target = QComboBox(self)
        self.target.setObjectName("entityTarget")
        self.target.addItem("New entity", NEW_ENTITY)
        for entity_id, name in entities:
            self.target.addItem(f"Add to “{name}”", entity_id)
        self.name = QLineEdit(self)
        self.name.setObjectName("entityName")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Group")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Into:", self.target)
        form.addRow("&Name:", self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.filter.textChanged.connect(self._apply_filter)
        self.list.itemSelectionChanged.connect(self._update)
        self.target.currentIndexChanged.connect(self._update)
        self.resize(460, 420)
        self._update()
        selected = self.list.selectedItems()
        if selected:
            self.list.setCurrentItem(selected[0], QItemSelectionModel.SelectionFlag.NoUpdate)
            self.list.scrollToItem(selected[0])
        self.list.setFocus()

    def selected_span_ids(self) -> list[int]:
        """The chosen mentions, in text order (only those the filter shows)."""
        return [
            int(self.list.item(i).data(SPAN_ROLE))
            for i in range(self.list.count())
            if self.list.item(i).isSelected() and not self.list.item(i).isHidden()
        ]

    def entity_id(self) -> int:
        """The entity to add to, or :data:`NEW_ENTITY`."""
        return int(self.target.currentData())

    def select_spans(self, span_ids: Sequence[int]) -> None:
        """Select exactly these mentions (as Ctrl+clicks would)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setSelected(int(item.data(SPAN_ROLE)) in span_ids)

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())
        self._update()

    def _update(self) -> None:
        ids = self.selected_span_ids()
        new = self.entity_id() == NEW_ENTITY
        self.name.setEnabled(new)
        spans = [self._spans[span_id] for span_id in ids]
        self.name.setPlaceholderText(suggest_entity_name(spans) if new else "")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(ids))
        count = len(ids)
        ok.setText(f"&Group {count} mention{'s' if count != 1 else ''}")
