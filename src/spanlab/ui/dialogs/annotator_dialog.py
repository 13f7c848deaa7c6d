"""Ask who is annotating (first start, and File › Switch Annotator)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class AnnotatorDialog(QDialog):
    """An editable list of the project's annotators; type a new name to add one."""

    def __init__(
        self, names: list[str], current: str | None, parent: QWidget | None = None
    ) -> None:
        """Offer ``names`` with ``current`` preselected."""
        super().__init__(parent)
        self.setObjectName("annotatorDialog")
        self.setWindowTitle("Who is annotating?")
        self.combo = QComboBox(self)
        self.combo.setObjectName("annotatorName")
        self.combo.setEditable(True)
        self.combo.addItems(names)
        if current:
            self.combo.setCurrentText(current)
        elif not names:
            self.combo.setCurrentText("")
        explanation = QLabel(
            "Your name is stored with every span you add. By default each annotator\n"
            "sees only their own spans (blind double annotation).",
            self,
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def name(self) -> str:
        """The chosen name, stripped."""
        return self.combo.currentText().strip()
