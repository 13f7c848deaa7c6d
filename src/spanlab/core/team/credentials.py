"""Database passwords: from the user's password store or a prompt, never in plain text.

A shared project is named by a URL *without* a password, e.g.
``postgresql+psycopg://alice@db.example.org/newsroom``. ``open_project`` finds the
password in this order:

1. a password in the URL (discouraged; it is split off and never shown or stored),
2. the system password store through ``keyring`` (optional dependency),
3. libpq's own sources (``PGPASSWORD``, ``~/.pgpass``, or no password at all for
   trust/peer/certificate authentication): a first attempt without a password,
4. ``prompt`` (a callback: the CLI asks on the terminal, the GUI shows a dialog), and
   with ``remember=True`` the typed password is saved in the keyring.

Everything that can reach a message or a log goes through ``redact_url``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from sqlalchemy.engine import make_url

from spanlab.core.errors import ProjectError
from spanlab.core.project import Project
from spanlab.core.storage.engine import project_url, redact_url, split_password, sqlite_path

KEYRING_SERVICE = "spanlab"

PasswordPrompt = Callable[[str], str | None]
"""Asked with a description such as ``alice@db.example.org:5432/newsroom``; returns the
password, or None when the user cancels."""

log = logging.getLogger("spanlab.credentials")

_AUTH_FAILURES = (
    "password authentication failed",
    "no password supplied",
    "fe_sendauth",
    "password is required",
    "authentication failed",
)


def keyring_key(url: str) -> str:
    """The account name under which a server's password is kept: ``user@host:port/db``."""
    parsed = make_url(split_password(url)[0])
    host = parsed.host or "localhost"
    port = parsed.port or 5432
    return f"{parsed.username or ''}@{host}:{port}/{parsed.database or ''}"


def _keyring() -> ModuleType | None:
    try:
        return importlib.import_module("keyring")
    except ImportError:
        return None


def keyring_password(url: str) -> str | None:
    """The saved password for this server and user, if ``keyring`` is installed and has one."""
    module = _keyring()
    if module is None:
        return None
    try:
        found = module.get_password(KEYRING_SERVICE, keyring_key(url))
    except Exception as exc:  # no usable backend, locked store, D-Bus trouble, ...
        log.info("keyring unavailable: %s", type(exc).__name__)
        return None
    return found if isinstance(found, str) else None


def save_password(url: str, password: str) -> bool:
    """Save a password in the system keyring; False when no keyring is available."""
    module = _keyring()
    if module is None:
        return False
    try:
        module.set_password(KEYRING_SERVICE, keyring_key(url), password)
    except Exception as exc:
        log.info("cannot save to the keyring: %s", type(exc).__name__)
        return False
    return True


def forget_password(url: str) -> bool:
    """Remove a saved password; False when there was none or no keyring is available."""
    module = _keyring()
    if module is None:
        return False
    try:
        module.delete_password(KEYRING_SERVICE, keyring_key(url))
    except Exception:
        return False
    return True


def is_authentication_failure(error: BaseException) -> bool:
    """Whether an error says the server wants a (different) password."""
    text = str(error).lower()
    return any(marker in text for marker in _AUTH_FAILURES)


def resolve_password(
    url: str, *, prompt: PasswordPrompt | None = None, use_keyring: bool = True
) -> str | None:
    """The password for ``url``: from the URL, else the keyring, else ``prompt`` (or None)."""
    _, password = split_password(url)
    if password is not None:
        return password
    if use_keyring:
        password = keyring_password(url)
        if password is not None:
            return password
    if prompt is not None:
        return prompt(keyring_key(url))
    return None


def open_project(
    location: str | Path,
    *,
    prompt: PasswordPrompt | None = None,
    use_keyring: bool = True,
    remember: bool = False,
) -> Project:
    """Open a project file or database URL, finding the password as described above.

    The returned project's ``url`` never contains the password.
    """
    url = project_url(location)
    if sqlite_path(url) is not None or not url.startswith("postgresql"):
        return Project.open(location)
    bare, password = split_password(url)
    from_store = False
    if password is None and use_keyring:
        password = keyring_password(bare)
        from_store = password is not None
    try:
        return Project.open(bare, password=password)
    except ProjectError as exc:
        if prompt is None or not is_authentication_failure(exc):
            raise
        if from_store:
            log.info("the saved password for %s was refused", redact_url(bare))
    typed = prompt(keyring_key(bare))
    if typed is None:
        raise ProjectError(f"{redact_url(bare)}: no password given")
    project = Project.open(bare, password=typed)
    if remember:
        save_password(bare, typed)
    return project


__all__ = [
    "KEYRING_SERVICE",
    "PasswordPrompt",
    "forget_password",
    "is_authentication_failure",
    "keyring_key",
    "keyring_password",
    "open_project",
    "redact_url",
    "resolve_password",
    "save_password",
    "split_password",
]
