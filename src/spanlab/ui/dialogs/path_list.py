"""The list of chosen files and folders shared by the import dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QListWidget, QWidget


class PathListMixin:
    """Add files, add a folder, remove, and read back the listed paths.

    The dialog owns ``paths`` (a QListWidget) and ``_folder`` (where pickers open).
    """

    paths: QListWidget
    _folder: str

    def _pick_files(self, parent: QWidget, caption: str, filters: str = "") -> None:
        files, _ = QFileDialog.getOpenFileNames(parent, caption, self._folder, filters)
        self.add_paths(files)

    def _pick_folder(self, parent: QWidget, caption: str) -> None:
        folder = QFileDialog.getExistingDirectory(parent, caption, self._folder)
        if folder:
            self.add_paths([folder])

    def _remove(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))

    def add_paths(self, paths: list[str]) -> None:
        """List more files or folders (duplicates are ignored)."""
        present = set(self.selected_paths())
        for path in paths:
            if path and path not in present:
                self.paths.addItem(path)
                present.add(path)
                self._folder = str(Path(path).parent)

    def selected_paths(self) -> list[str]:
        """The listed paths."""
        return [self.paths.item(i).text() for i in range(self.paths.count())]
