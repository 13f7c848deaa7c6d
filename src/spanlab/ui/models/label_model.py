"""The schema's labels as a list model: colour, name and hotkey (the label palette)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from spanlab.core.errors import SpanLabError
from spanlab.core.schema import LabelSpec
from spanlab.ui.session import ProjectSession

LABEL_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
HOTKEY_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


class LabelModel(QAbstractListModel):
    """One row per label of the open project's schema, in schema order."""

    def __init__(self, session: ProjectSession, parent: QObject | None = None) -> None:
        """Follow the session's schema."""
        super().__init__(parent)
        self._session = session
        self._labels: tuple[LabelSpec, ...] = ()
        session.project_changed.connect(self.reload)
        session.schema_changed.connect(self.reload)

    def reload(self) -> None:
        """Re-read the schema."""
        project = self._session.project
        self.beginResetModel()
        try:
            self._labels = project.schema().labels if project is not None else ()
        except SpanLabError as exc:
            self._labels = ()
            self._session.error_occurred.emit(str(exc))
        self.endResetModel()

    def label(self, row: int) -> LabelSpec:
        """The label at ``row``."""
        return self._labels[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Qt: labels."""
        return 0 if parent.isValid() else len(self._labels)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt: name, colour swatch, description and hotkey."""
        if not index.isValid() or not 0 <= index.row() < len(self._labels):
            return None
        label = self._labels[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return label.name
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(label.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            key = f" (key {label.hotkey})" if label.hotkey else ""
            return f"{label.name}{key}\n{label.description}".strip()
        if role == LABEL_NAME_ROLE:
            return label.name
        if role == HOTKEY_ROLE:
            return label.hotkey or ""
        return None
