"""Log to a rotating file in the platform's log folder (:func:`spanlab.ui.paths.log_dir`).

Installed once by the composition root; tests pass a temporary folder. Calling
:func:`install_logging` again replaces the earlier handler instead of adding another.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
from pathlib import Path

import spanlab

LOG_FILE_NAME = "spanlab.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)-8s %(name)s [%(threadName)s] %(message)s"


class _SpanLabFileHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler we installed, so a second install replaces it."""

    previous_root_level = logging.NOTSET


def install_logging(
    folder: Path,
    *,
    level: int = logging.INFO,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path:
    """Send log records of ``level`` and above to ``folder/spanlab.log``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    uninstall_logging()
    handler = _SpanLabFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.previous_root_level = root.level
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.getLogger("spanlab").info(
        "SpanLab %s started (Python %s, %s)",
        spanlab.__version__,
        sys.version.split()[0],
        platform.platform(),
    )
    return path


def uninstall_logging() -> None:
    """Remove (and close) the handler :func:`install_logging` added, if any."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _SpanLabFileHandler):
            root.removeHandler(handler)
            root.setLevel(handler.previous_root_level)
            handler.close()
