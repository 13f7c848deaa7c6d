"""Schema editor: add and rename labels, pick colours and hotkeys (renames keep spans)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.contrast import readable_text_colour
from spanlab.core.errors import SchemaError
from spanlab.core.schema import COLOUR_RE, Schema
from spanlab.core.schema_edit import LabelEdit, apply_label_edits, edits_from_schema

ORIGINAL_ROLE = Qt.ItemDataRole.UserRole + 1
NEW_LABEL_COLOURS = ("#FFADAD", "#D0F4DE", "#E4C1F9", "#FCF6BD", "#A9DEF9", "#FFD6FF")


class SchemaEditor(QDialog):
    """A table of labels: name, colour, hotkey, description.

    After ``exec()`` returns Accepted, :meth:`result_schema` holds the new schema and the
    renames to pass to ``UpdateSchema``.
    """

    NAME, COLOUR, HOTKEY, DESCRIPTION = range(4)

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        """Edit the labels of ``schema``."""
        super().__init__(parent)
        self.setObjectName("schemaEditor")
        self.setWindowTitle("Edit Schema")
        self.resize(720, 420)
        self._schema = schema
        self._result: tuple[Schema, dict[str, str]] | None = None
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("labelTable")
        self.table.setHorizontalHeaderLabels(["Label", "Colour", "Key", "Description"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for edit in edits_from_schema(schema):
            self._append(edit)
        self.add_button = QPushButton("&Add Label", self)
        self.remove_button = QPushButton("&Remove Label", self)
        self.colour_button = QPushButton("Pick &Colour…", self)
        self.problem = QLabel("", self)
        self.problem.setObjectName("schemaProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B91C1C;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.colour_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Rename a label by editing its name: existing spans keep it. Span text is "
                "drawn in black or white, whichever reads better on the colour.",
                self,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.add_label)
        self.remove_button.clicked.connect(self.remove_selected)
        self.colour_button.clicked.connect(self.pick_colour)
        self.table.itemChanged.connect(self._on_item_changed)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------ rows
    def _append(self, edit: LabelEdit) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(edit.name)
        name.setData(ORIGINAL_ROLE, edit.original)
        self.table.setItem(row, self.NAME, name)
        self.table.setItem(row, self.COLOUR, QTableWidgetItem(edit.colour))
        self.table.setItem(row, self.HOTKEY, QTableWidgetItem(edit.hotkey or ""))
        self.table.setItem(row, self.DESCRIPTION, QTableWidgetItem(edit.description))
        self._paint_colour(row)
        return row

    def _paint_colour(self, row: int) -> None:
        item = self.table.item(row, self.COLOUR)
        if item is None:
            return
        value = item.text().strip()
        if COLOUR_RE.match(value):
            self.table.blockSignals(True)
            item.setBackground(QBrush(QColor(value)))
            item.setForeground(QBrush(QColor(readable_text_colour(value))))
            self.table.blockSignals(False)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == self.COLOUR:
            self._paint_colour(item.row())
        self.problem.setText("")

    def add_label(self) -> None:
        """Append a new label with an unused colour and start editing its name."""
        used = {e.colour for e in self.edits()}
        colour = next((c for c in NEW_LABEL_COLOURS if c not in used), NEW_LABEL_COLOURS[0])
        row = self._append(LabelEdit(None, f"LABEL{self.table.rowCount() + 1}", colour))
        self.table.setCurrentCell(row, self.NAME)
        item = self.table.item(row, self.NAME)
        if item is not None:
            self.table.editItem(item)

    def remove_selected(self) -> None:
        """Remove the selected label (refused on save if spans or relations use it)."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def pick_colour(self) -> None:
        """Choose the selected label's colour with a colour dialog."""
        row = self.table.currentRow()
        item = self.table.item(row, self.COLOUR) if row >= 0 else None
        if item is None:
            return
        colour = QColorDialog.getColor(QColor(item.text()), self, "Label colour")
        if colour.isValid():
            item.setText(colour.name().upper())

    def set_colour(self, row: int, colour: str) -> None:
        """Set a label's colour (what the colour dialog does)."""
        item = self.table.item(row, self.COLOUR)
        if item is not None:
            item.setText(colour)

    def edits(self) -> list[LabelEdit]:
        """The rows as label edits."""
        result: list[LabelEdit] = []
        for row in range(self.table.rowCount()):

            def text(column: int, row: int = row) -> str:
                item = self.table.item(row, column)
                return item.text() if item is not None else ""

            name_item = self.table.item(row, self.NAME)
            original = name_item.data(ORIGINAL_ROLE) if name_item is not None else None
            result.append(
                LabelEdit(
                    original=str(original) if original else None,
                    name=text(self.NAME),
                    colour=text(self.COLOUR),
                    hotkey=text(self.HOTKEY) or None,
                    description=text(self.DESCRIPTION),
                )
            )
        return result

    # ------------------------------------------------------------------ result
    def validate(self) -> bool:
        """Check the rows; show the first problem and return False if any."""
        try:
            schema, renames = apply_label_edits(self._schema, self.edits())
        except SchemaError as exc:
            self.problem.setText(exc.problem)
            return False
        self._result = (schema, renames)
        return True

    def accept(self) -> None:
        """Close only when the edits are valid."""
        if self.validate():
            super().accept()

    def result_schema(self) -> tuple[Schema, dict[str, str]] | None:
        """The new schema and the renames, once accepted."""
        return self._result
