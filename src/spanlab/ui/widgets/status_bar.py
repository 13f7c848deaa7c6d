"""The status bar: annotator, document position (12/340), document status, saved state."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from spanlab.core.model import DocumentStatus

_STATUS_TEXT = {
    DocumentStatus.NEW: "new",
    DocumentStatus.IN_PROGRESS: "in progress",
    DocumentStatus.DONE: "done",
}
MESSAGE_MS = 6000


class StatusBar(QStatusBar):
    """Permanent fields on the right, transient messages on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty fields."""
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.annotator = QLabel("", self)
        self.annotator.setObjectName("statusAnnotator")
        self.position = QLabel("", self)
        self.position.setObjectName("statusPosition")
        self.document_status = QLabel("", self)
        self.document_status.setObjectName("statusDocument")
        self.saved = QLabel("", self)
        self.saved.setObjectName("statusSaved")
        for label in (self.annotator, self.position, self.document_status, self.saved):
            label.setContentsMargins(6, 0, 6, 0)
            self.addPermanentWidget(label)

    def set_annotator(self, name: str | None) -> None:
        """Who is annotating."""
        self.annotator.setText(f"Annotator: {name}" if name else "No annotator")

    def set_position(self, position: int, total: int) -> None:
        """Document 12/340 (empty without documents)."""
        self.position.setText(f"Document {position}/{total}" if total and position else "")

    def set_document_status(self, status: DocumentStatus | None) -> None:
        """The open document's status."""
        self.document_status.setText(_STATUS_TEXT[status] if status is not None else "")

    def set_saved(self, ok: bool, message: str) -> None:
        """Saved state: every edit is committed at once, so this says so (or why not)."""
        self.saved.setText(f"✓ {message}" if ok else "⚠ Not saved")
        self.saved.setToolTip(message)
        sheet = "" if ok else "color: #B91C1C; font-weight: bold;"
        if self.saved.styleSheet() != sheet:  # re-polishing on every save costs a relayout
            self.saved.setStyleSheet(sheet)

    def show_message(self, message: str) -> None:
        """A transient message."""
        self.showMessage(message, MESSAGE_MS)
