"""The project facade: open or create a store, read records, and run commands."""

from __future__ import annotations

import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

import spanlab
from spanlab.core.changes import ChangeSet
from spanlab.core.errors import ProjectError
from spanlab.core.model import (
    Annotator,
    AnnotatorId,
    AnnotatorRole,
    Document,
    DocumentId,
    DocumentSummary,
    Entity,
    Relation,
    Span,
    SpanId,
    StatusRecord,
)
from spanlab.core.resources import default_schema_text
from spanlab.core.schema import Schema, parse_schema
from spanlab.core.storage import repository as repo
from spanlab.core.storage.edit_store import EditStore
from spanlab.core.storage.engine import (
    WRITE_OPTION,
    create_engine,
    hold_password,
    project_url,
    redact_url,
    release_password,
    split_password,
    sqlite_path,
)
from spanlab.core.storage.migrate import MigrationReport, upgrade
from spanlab.core.storage.repository import now
from spanlab.core.team.netfs import network_filesystem_warning

PROJECT_MARKER = "spanlab_project"
RECENT_TEXTS = 4
"""How many document texts a project keeps for checking edits (the ones open)."""

log = logging.getLogger("spanlab.project")


class Command(Protocol):
    """A reversible edit. ``apply`` and ``revert`` are exact inverses."""

    @property
    def text(self) -> str:
        """Short description for menus ("Undo Add PERSON")."""
        ...

    def apply(self, store: EditStore) -> ChangeSet:
        """Make the change."""
        ...

    def revert(self, store: EditStore) -> ChangeSet:
        """Undo the change made by the last ``apply``."""
        ...


def default_schema() -> Schema:
    """The bundled news schema."""
    return parse_schema(default_schema_text(), source="resources/schemas/news.toml")


class Project:
    """An open SpanLab project on SQLite or PostgreSQL.

    Every edit is one transaction, committed before ``execute`` returns, so nothing is
    ever "unsaved".
    """

    def __init__(
        self,
        engine: Engine,
        *,
        url: str,
        migration: MigrationReport,
        secrets: Sequence[str] = (),
    ) -> None:
        self.engine = engine
        # Never holds a password: it is passed to the driver separately (see open()).
        self.url = split_password(url)[0]
        self.migration = migration
        self._schema: Schema | None = None
        # Texts of the documents read last: a text never changes after import, so edits
        # check offsets against them instead of reading a long text back per edit.
        self._recent_texts: OrderedDict[int, str] = OrderedDict()
        self._just_inserted: dict[SpanId, Span] = {}
        self._secrets = tuple(s for s in secrets if s)
        self._holds_password = False
        # Things the user should know about this project (e.g. a SQLite file on a network
        # drive); the CLI gets them on stderr through the "spanlab.project" logger.
        self.warnings: list[str] = []

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def create(
        cls,
        location: str | Path,
        *,
        schema: Schema | None = None,
        name: str | None = None,
        password: str | None = None,
    ) -> Project:
        """Create a new, empty project with ``schema`` (the news schema by default).

        ``password`` (for a database URL) is used instead of one in the URL; either way
        it is never stored in the project or shown in messages.
        """
        url, in_url = split_password(project_url(location))
        password = password if password is not None else in_url
        secrets = (password,) if password else ()
        path = sqlite_path(url)
        if path is not None:
            if path.exists() and path.stat().st_size > 0:
                raise ProjectError(f"{path}: a file already exists there; choose another name")
            if not path.parent.is_dir():
                raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        engine = create_engine(url, password=password)
        try:
            migration = _guard(lambda: upgrade(engine, sqlite_file=path), url, secrets)
            project = cls(engine, url=url, migration=migration, secrets=secrets)
            with project.edit() as store:
                if repo.project_info(store.conn).get(PROJECT_MARKER):
                    raise ProjectError(f"{_where(url)}: a SpanLab project already exists there")
                repo.set_project_info(
                    store.conn,
                    {
                        PROJECT_MARKER: "1",
                        "name": name or (path.stem if path else "project"),
                        "created_with": spanlab.__version__,
                        "created_at": now().isoformat(timespec="seconds"),
                    },
                )
                store.replace_schema(schema or default_schema())
        except BaseException:
            engine.dispose()
            if path is not None:
                _remove_sqlite_files(path)
            raise
        project._check_location()
        return project

    @classmethod
    def open(cls, location: str | Path, *, password: str | None = None) -> Project:
        """Open an existing project, migrating its database schema if needed.

        ``password`` (for a database URL) is used instead of one in the URL; see
        ``spanlab.core.team.credentials.open_project`` for keyring and prompt support.
        """
        url, in_url = split_password(project_url(location))
        password = password if password is not None else in_url
        secrets = (password,) if password else ()
        path = sqlite_path(url)
        if path is not None:
            _check_sqlite_file(path)
        engine = create_engine(url, password=password)
        try:
            if path is not None:
                _quick_check(engine, path)
            migration = _guard(lambda: upgrade(engine, sqlite_file=path), url, secrets)
            try:
                with engine.connect() as conn:
                    marker = repo.project_info(conn).get(PROJECT_MARKER)
            except (OperationalError, DBAPIError) as exc:
                raise _storage_error(exc, url, secrets) from exc
            if not marker:
                raise ProjectError(f"{_where(url)}: not a SpanLab project")
        except BaseException:
            engine.dispose()
            raise
        project = cls(engine, url=url, migration=migration, secrets=secrets)
        project._check_location()
        if password:
            # Background jobs of this process open the project by URL: same password.
            hold_password(url, password)
            project._holds_password = True
        return project

    def _check_location(self) -> None:
        path = self.path
        warning = network_filesystem_warning(path) if path is not None else None
        if warning is not None:
            self.warnings.append(warning)
            log.warning("spanlab: warning: %s", warning)

    def close(self) -> None:
        """Release connections (and the password held for this process's other opens)."""
        self.engine.dispose()
        if self._holds_password:
            self._holds_password = False
            release_password(self.url)

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        return sqlite_path(self.url)

    @property
    def name(self) -> str:
        """Display name of the project."""
        with self.read() as conn:
            return repo.project_info(conn).get("name", "project")

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A short read transaction."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except (OperationalError, DBAPIError) as exc:
            raise _storage_error(exc, self.url, self._secrets) from exc

    @contextmanager
    def edit(self) -> Iterator[EditStore]:
        """One write transaction: committed on success, rolled back on any error.

        Just before commit the change counters of what was written are bumped (see
        ``spanlab.core.team.live.change_token``). Never wait for the user inside.
        """
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                self._just_inserted = {}
                with conn.begin():
                    store = EditStore(conn, known_texts=self._recent_texts)
                    yield store
                    store.publish_changes()
                self._just_inserted = store.inserted_spans
        except (OperationalError, DBAPIError) as exc:
            raise _storage_error(exc, self.url, self._secrets) from exc

    def execute(self, command: Command) -> ChangeSet:
        """Apply a command in its own transaction."""
        with self.edit() as store:
            change = command.apply(store)
        if change.schema_changed:
            self._schema = None
        return change

    def revert(self, command: Command) -> ChangeSet:
        """Undo a command in its own transaction."""
        with self.edit() as store:
            change = command.revert(store)
        if change.schema_changed:
            self._schema = None
        return change

    def forget_schema(self) -> None:
        """Drop the cached schema after a schema change made inside ``edit()``."""
        self._schema = None

    # ------------------------------------------------------------------ reads
    def schema(self) -> Schema:
        """The project's tag set (cached until a command changes it)."""
        if self._schema is None:
            with self.read() as conn:
                self._schema = repo.load_schema(conn)
        return self._schema

    def documents(self) -> list[DocumentSummary]:
        """All documents in project order."""
        with self.read() as conn:
            return repo.list_documents(conn)

    def document_count(self) -> int:
        """Number of documents."""
        with self.read() as conn:
            return repo.document_count(conn)

    def document(self, document_id: int) -> Document:
        """One document with its text."""
        with self.read() as conn:
            document = repo.get_document(conn, document_id)
        self._recent_texts[document.id] = document.text
        self._recent_texts.move_to_end(document.id)
        while len(self._recent_texts) > RECENT_TEXTS:
            self._recent_texts.popitem(last=False)
        return document

    def inserted_span(self, span_id: int) -> Span | None:
        """A span the last committed edit of this project inserted, as stored (else None).

        Lets the GUI show a span it just added without reading it back; anything older
        (or written by someone else) is read with :meth:`span`.
        """
        return self._just_inserted.get(SpanId(span_id))

    def spans(self, document_id: int, annotator_id: int | None = None) -> list[Span]:
        """Spans of a document in text order (all annotators unless one is given)."""
        with self.read() as conn:
            return repo.list_spans(conn, document_id=document_id, annotator_id=annotator_id)

    def span(self, span_id: int) -> Span:
        """One span."""
        with self.read() as conn:
            return repo.get_span(conn, span_id)

    def relations(self, document_id: int, annotator_id: int | None = None) -> list[Relation]:
        """Relations of a document."""
        with self.read() as conn:
            return repo.list_relations(conn, document_id=document_id, annotator_id=annotator_id)

    def entities(self, document_id: int, annotator_id: int) -> list[Entity]:
        """Entity groups of a document for one annotator."""
        with self.read() as conn:
            return repo.list_entities(conn, document_id=document_id, annotator_id=annotator_id)

    def annotators(self) -> list[Annotator]:
        """Everyone with an annotation layer, gold included."""
        with self.read() as conn:
            return repo.list_annotators(conn)

    def annotator(self, name: str) -> Annotator | None:
        """The annotator called ``name``, if any."""
        with self.read() as conn:
            return repo.find_annotator(conn, name)

    def ensure_annotator(
        self, name: str, role: AnnotatorRole = AnnotatorRole.ANNOTATOR
    ) -> Annotator:
        """The annotator called ``name``, created when missing."""
        with self.edit() as store:
            return store.ensure_annotator(name, role)

    def status(self, document_id: int, annotator_id: int) -> StatusRecord:
        """A document's status for one annotator."""
        with self.read() as conn:
            return repo.get_status(conn, document_id, annotator_id)

    def statuses(self, annotator_id: int | None = None) -> list[StatusRecord]:
        """Stored statuses (documents without a record are ``new``)."""
        with self.read() as conn:
            return repo.list_statuses(conn, annotator_id=annotator_id)

    def span_counts(self, annotator_id: AnnotatorId) -> dict[DocumentId, int]:
        """Spans per document for one annotator."""
        with self.read() as conn:
            return repo.span_counts(conn, annotator_id=annotator_id)

    def existing_hashes(self, hashes: Sequence[str]) -> set[str]:
        """Which text hashes the project already holds."""
        with self.read() as conn:
            return repo.existing_hashes(conn, hashes)


def _where(url: str) -> str:
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    redacted = redact_url(url)
    return redacted.split("@")[-1].split("?")[0]


def _guard(
    action: Callable[[], MigrationReport], url: str, secrets: Sequence[str] = ()
) -> MigrationReport:
    try:
        return action()
    except (OperationalError, DBAPIError) as exc:
        raise _storage_error(exc, url, secrets) from exc


def _scrub(message: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message


def _storage_error(exc: DBAPIError, url: str, secrets: Sequence[str] = ()) -> ProjectError:
    # Only the driver's message, never str(exc): that holds the SQL and its parameters.
    message = _scrub(str(exc.orig) if exc.orig is not None else str(exc), secrets)
    message = " ".join(message.split())  # libpq's messages span lines; ours are one line
    lowered = message.lower()
    where = _where(url)
    if "lock timeout" in lowered or "deadlock detected" in lowered:
        return ProjectError(
            f"{where}: another user's edit is holding the same data; nothing was changed, try again"
        )
    if "must be owner" in lowered:
        return ProjectError(
            f"{where}: this change (e.g. upgrading the database to this SpanLab) can only be "
            f"made by the account that owns the project; ask the lead to open it first ({message})"
        )
    if "row-level security" in lowered or "permission denied" in lowered:
        return ProjectError(
            f"{where}: your database login may not make this change (annotators change only "
            f"their own annotations) ({message})"
        )
    if "locked" in lowered or "busy" in lowered:
        return ProjectError(f"{where}: the project is locked by another program; try again")
    if "readonly" in lowered or "read-only" in lowered:
        return ProjectError(f"{where}: the project file is read-only; changes cannot be saved")
    if "malformed" in lowered or "not a database" in lowered:
        return ProjectError(f"{where}: the project file is damaged ({message})")
    if "unable to open" in lowered:
        return ProjectError(f"{where}: cannot open the project file ({message})")
    return ProjectError(f"{where}: database error: {message}")


def _check_sqlite_file(path: Path) -> None:
    if not path.exists():
        raise ProjectError(f"{path}: no such project (create one with 'spanlab init')")
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read the project file ({exc.strerror})") from exc
    if header != b"SQLite format 3\x00":
        raise ProjectError(f"{path}: not a SpanLab project (not a SQLite database)")


def _quick_check(engine: Engine, path: Path) -> None:
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    except (OperationalError, DBAPIError) as exc:
        raise _storage_error(exc, f"sqlite:///{path}") from exc
    except (UnicodeDecodeError, sqlite3.DatabaseError) as exc:
        # Scrambled header pages make even PRAGMAs fail in odd ways.
        raise ProjectError(f"{path}: the project file is damaged ({exc})") from exc
    if result != "ok":
        raise ProjectError(f"{path}: the project file is damaged (integrity check: {result})")


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


__all__ = ["Command", "Project", "default_schema"]
