"""Team work: shared PostgreSQL projects, people and logins, assignments, offline exchange.

- ``credentials``: passwords from the keyring or a prompt, never in URLs shown to anyone.
- ``access``: database logins per person with row-level security (PostgreSQL).
- ``assignments``: which documents each annotator should work on.
- ``exchange``: check out a local SQLite copy, merge it back.
- ``live``: a cheap change token clients poll to refresh.
- ``netfs``: warn about SQLite project files on network file systems.

Modules here import ``spanlab.core.project``; this package's ``__init__`` imports
nothing, so ``project`` can use ``netfs`` without an import cycle.
"""
