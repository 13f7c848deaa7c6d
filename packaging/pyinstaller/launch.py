"""Entry point of the PyInstaller bundle: the ``spanlab`` command line (``gui`` opens the app)."""

from __future__ import annotations

import sys

from spanlab.cli import main

if __name__ == "__main__":
    # Double-clicked with no arguments (or launched from a menu): open the application.
    sys.exit(main(sys.argv[1:] or ["gui"]))
