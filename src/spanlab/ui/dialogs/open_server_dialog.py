"""File › Open Server Project: a shared project on a PostgreSQL server, by address.

The dialog asks for host, port, database and user (or a whole
``postgresql+psycopg://`` URL) and never for the password: that comes later from the
password store or a prompt, so it cannot end up in the settings or the recent list.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from spanlab.core.storage.engine import split_password
from spanlab.core.team.credentials import is_authentication_failure, keyring_key

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432

_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "could not translate host name",
    "name or service not known",
    "timeout expired",
    "timed out",
    "no route to host",
    "network is unreachable",
    "server closed the connection",
)


@dataclass(frozen=True, slots=True)
class ServerLocation:
    """Where the project is (a URL without password) and whether to save the password."""

    url: str
    remember_password: bool = False


def server_url(host: str, port: int, database: str, user: str) -> str:
    """The project URL for these fields (user names and databases are quoted properly)."""
    url = URL.create(
        DRIVER,
        username=user.strip() or None,
        host=host.strip() or None,
        port=port if port != DEFAULT_PORT else None,
        database=database.strip() or None,
    )
    return url.render_as_string(hide_password=False)


def parse_server_url(text: str) -> str | None:
    """A typed ``postgresql://`` URL as a SpanLab server URL (psycopg driver), or None."""
    try:
        parsed = make_url(text.strip())
    except (ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "postgresql" or not parsed.database:
        return None
    return parsed.set(drivername=DRIVER).render_as_string(hide_password=False)


def explain_open_error(url: str, message: str) -> str:
    """A plain message for a failed server open: wrong password, unreachable, or the
    core's own words (e.g. "not a SpanLab project"); never a traceback or password."""
    where = keyring_key(url)
    lowered = message.lower()
    if "no password given" in lowered:
        return f"No password was given for {where}; the project was not opened."
    if is_authentication_failure(Exception(message)):
        return (
            f"The server refused the login for {where}: wrong user name or password.\n\n"
            "Check both and try again."
        )
    if any(marker in lowered for marker in _UNREACHABLE):
        parsed = make_url(split_password(url)[0])
        address = f"{parsed.host or 'localhost'}:{parsed.port or DEFAULT_PORT}"
        return (
            f"Cannot reach the database server at {address}.\n\n"
            "Check the address and port, that the server is running and that your network "
            "(VPN, firewall) lets you connect."
        )
    if "not a spanlab project" in lowered:
        return (
            f"The database {where} is not a SpanLab project.\n\n"
            "Ask the lead for the right database name, or create a project there with "
            "'spanlab init'."
        )
    if "does not exist" in lowered:
        return f"There is no such database or user on the server ({where}).\n\n{message}"
    return message


class OpenServerDialog(QDialog):
    """Server address fields, or one URL; OK is enabled once they name a database."""

    def __init__(
        self,
        recent: str | None = None,
        *,
        can_remember: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """Prefill from ``recent`` (the last server URL opened, without password)."""
        super().__init__(parent)
        self.setObjectName("openServerDialog")
        self.setWindowTitle("Open Server Project")
        self.host = QLineEdit(self)
        self.host.setObjectName("serverHost")
        self.host.setPlaceholderText("db.example.org")
        self.port = QSpinBox(self)
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.database.setObjectName("serverDatabase")
        self.database.setPlaceholderText("newsroom")
        self.user = QLineEdit(self)
        self.user.setObjectName("serverUser")
        self.user.setPlaceholderText("your database login")
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("serverUrl")
        self.url_edit.setPlaceholderText("or a whole URL: postgresql+psycopg://user@host/database")
        self.remember = QCheckBox("Remember the password in the system password store", self)
        self.remember.setObjectName("rememberPassword")
        self.remember.setEnabled(can_remember)
        if not can_remember:
            self.remember.setToolTip("No system password store (install 'keyring') is available")
        note = QLabel(
            "The password is asked for when the server needs it; SpanLab never saves it "
            "in its settings or logs.",
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Server:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        form.addRow("U&RL:", self.url_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        for edit in (self.host, self.database, self.user, self.url_edit):
            edit.textChanged.connect(self._update_ok)
        if recent:
            self._prefill(recent)
        self._update_ok()

    def _prefill(self, url: str) -> None:
        try:
            parsed = make_url(split_password(url)[0])
        except (ArgumentError, ValueError):
            return
        self.host.setText(parsed.host or "")
        self.port.setValue(parsed.port or DEFAULT_PORT)
        self.database.setText(parsed.database or "")
        self.user.setText(parsed.username or "")

    def _update_ok(self) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        button.setEnabled(self.url() is not None)

    def url(self) -> str | None:
        """The project URL (the URL field wins when filled), or None while incomplete."""
        typed = self.url_edit.text().strip()
        if typed:
            return parse_server_url(typed)
        if not self.host.text().strip() or not self.database.text().strip():
            return None
        return server_url(
            self.host.text(), self.port.value(), self.database.text(), self.user.text()
        )

    def location(self) -> ServerLocation | None:
        """What the user chose (None while incomplete)."""
        url = self.url()
        if url is None:
            return None
        return ServerLocation(url, self.remember.isChecked() and self.remember.isEnabled())


__all__ = [
    "OpenServerDialog",
    "ServerLocation",
    "explain_open_error",
    "parse_server_url",
    "server_url",
]
