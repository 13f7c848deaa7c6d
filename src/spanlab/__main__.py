"""Entry point for ``python -m spanlab``."""

from spanlab.cli import main

raise SystemExit(main())
