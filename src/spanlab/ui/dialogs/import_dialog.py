"""File › Import Articles: choose files or folders and the import options."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spanlab.core.importing import ImportOptions, reader_names
from spanlab.core.importing.records import DEFAULT_INCLUDE
from spanlab.ui.dialogs.path_list import PathListMixin

ENCODINGS = ("auto", "utf-8", "utf-16", "cp1252", "latin-1", "euc-kr", "shift_jis", "gb18030")


class ImportDialog(PathListMixin, QDialog):
    """Paths to import (files or folders) and :class:`ImportOptions`."""

    def __init__(
        self, paths: list[str] | None = None, folder: str = "", parent: QWidget | None = None
    ) -> None:
        """Start with ``paths`` listed; file pickers open in ``folder``."""
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import Articles")
        self.resize(560, 420)
        self._folder = folder
        self.paths = QListWidget(self)
        self.paths.setObjectName("importPaths")
        self.paths.addItems(paths or [])
        add_files = QPushButton("Add &Files…", self)
        add_folder = QPushButton("Add F&older…", self)
        remove = QPushButton("&Remove", self)
        self.format = QComboBox(self)
        self.format.setObjectName("importFormat")
        self.format.addItems(["auto", *reader_names()])
        self.encoding = QComboBox(self)
        self.encoding.setObjectName("importEncoding")
        self.encoding.setEditable(True)
        self.encoding.addItems(ENCODINGS)
        self.include = QLineEdit(" ".join(DEFAULT_INCLUDE), self)
        self.include.setObjectName("importInclude")
        self.include.setToolTip("File name patterns used inside folders, separated by spaces")
        self.all_or_nothing = QCheckBox("Import nothing if any file fails", self)
        self.all_or_nothing.setObjectName("importAllOrNothing")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Import")
        row = QHBoxLayout()
        for button in (add_files, add_folder, remove):
            row.addWidget(button)
        row.addStretch(1)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Encoding:", self.encoding)
        form.addRow("Include in folders:", self.include)
        form.addRow("", self.all_or_nothing)
        layout = QVBoxLayout(self)
        layout.addWidget(self.paths, 1)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(buttons)
        add_files.clicked.connect(self._add_files)
        add_folder.clicked.connect(self._add_folder)
        remove.clicked.connect(self._remove)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def _add_files(self) -> None:
        self._pick_files(self, "Articles", "Articles (*.txt *.html *.htm *.jsonl);;All files (*)")

    def _add_folder(self) -> None:
        self._pick_folder(self, "Folder of articles")

    def folder(self) -> str:
        """Where the pickers last looked."""
        return self._folder

    def options(self) -> ImportOptions:
        """The chosen options."""
        encoding = self.encoding.currentText().strip()
        include = tuple(p for p in self.include.text().split() if p) or DEFAULT_INCLUDE
        return ImportOptions(
            format=self.format.currentText(),
            encoding=None if encoding in ("", "auto") else encoding,
            include=include,
            all_or_nothing=self.all_or_nothing.isChecked(),
        )
