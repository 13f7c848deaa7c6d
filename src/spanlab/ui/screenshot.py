"""Render the main window on the sample project: ``python -m spanlab.ui.screenshot OUT.png``.

The sample project is built in a temporary folder, settings live there too (the real
user settings are never touched), and Qt runs offscreen unless a platform is set.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

WIDTH, HEIGHT = 1480, 900
SAMPLE_TITLE_START = "S. Korea, Japan"
"""The sample article shown (the first one, with many labels)."""


def render(out: str | Path, *, annotator: str = "alice") -> Path:
    """Write the screenshot to ``out`` and return its path."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from spanlab.core.samples import build_sample_project
    from spanlab.ui.app import create_app

    target = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="spanlab-shot-") as folder:
        project_path = Path(folder) / "sample.spanlab"
        build_sample_project(project_path).close()
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("annotator", annotator)
        app = create_app(sys.argv[:1], settings=settings)
        window = app.window
        window.resize(WIDTH, HEIGHT)
        window.show()
        app.start(str(project_path))
        ids = app.window.document_panel.source.document_ids()
        titles = {
            app.window.document_panel.source.summary(row).title: doc_id
            for row, doc_id in enumerate(ids)
        }
        chosen = next((i for t, i in titles.items() if t.startswith(SAMPLE_TITLE_START)), ids[0])
        app.documents.open(chosen)
        view = window.document_view
        index = app.document.index
        span = next((s for s in index if s.label == "PERSON"), index.first())
        QApplication.processEvents()
        if span is not None:
            view.select_span(span.id)
            view.verticalScrollBar().setValue(0)
        for _ in range(3):
            QApplication.processEvents()
        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target)):
            raise OSError(f"could not write {target}")
        app.session.close_project()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    return target


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m spanlab.ui.screenshot OUT.png", file=sys.stderr)
        return 2
    print(render(args[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
