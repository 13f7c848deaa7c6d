"""Command-line interface (Qt-free; ``spanlab gui`` loads the UI lazily)."""

from spanlab.cli.main import main

__all__ = ["main"]
