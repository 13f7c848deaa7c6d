"""One non-modal tool window per kind: raise the open one instead of stacking copies."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from spanlab.ui.session import ProjectSession

W = TypeVar("W", bound=QWidget)


def show_single(
    kind: type[W], session: ProjectSession, parent: QWidget, create: Callable[[], W]
) -> W | None:
    """Raise ``parent``'s visible ``kind`` window, or replace a closed one by ``create()``.

    None without an open project (the windows work on the open project).
    """
    if session.project is None:
        return None
    existing = parent.findChild(kind)
    if isinstance(existing, kind) and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    if isinstance(existing, kind):
        existing.deleteLater()  # a closed window keeps old options: start afresh
    window = create()
    window.show()
    return window
