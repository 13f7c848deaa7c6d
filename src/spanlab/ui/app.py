"""Composition root: builds the QApplication and the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow

from spanlab.core.project import Project


def run(*, project: str | None = None) -> int:
    """Start the desktop application (minimal window until the workspace lands)."""
    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("SpanLab")
    documents = QListWidget()
    if project is not None:
        with Project.open(project) as opened:
            documents.addItems([doc.title for doc in opened.documents()])
            window.setWindowTitle(f"SpanLab - {opened.name}")
    window.setCentralWidget(documents)
    window.resize(900, 600)
    window.show()
    return int(app.exec())
