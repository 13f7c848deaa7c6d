"""People, roles and (on PostgreSQL) a database login per person with row-level security.

Roles (``AnnotatorRole``): *annotators* see and change only their own layer,
*curators* see and change every layer (they adjudicate into ``gold``), *managers*
also import documents, change the schema, assign work and manage people.

On a PostgreSQL project the policies of migration 0003 enforce this in the database
itself: ``create_login`` creates a login role ``spanlab_<name>``, maps it to the
person's annotator row (``annotator.db_login``) and grants it table privileges, and
row-level security then limits every statement that login runs, SpanLab's or anybody
else's, to the rows its role allows. The account that owns the tables (the one that
created the project and runs migrations) is not limited; keep it for the lead.

Passwords are turned into a SCRAM-SHA-256 verifier on the client (libpq's
``PQencryptPasswordConn``), so the plain text never reaches the server, its logs or an
error message.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, select, text, update
from sqlmodel import SQLModel

from spanlab.core.errors import ProjectError, SpanLabError
from spanlab.core.model import AnnotatorId, AnnotatorRole
from spanlab.core.project import Project
from spanlab.core.storage import tables  # noqa: F401  (registers every table)
from spanlab.core.storage.repository import ANN

LOGIN_PREFIX = "spanlab_"
MAX_IDENTIFIER = 63
UNPROTECTED_TABLES = frozenset({"change_counter"})
"""Tables without row-level security: every login may bump the change counters."""

_NOT_LOGIN_CHARS = re.compile(r"[^a-z0-9_]+")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the project: their annotator row, role and database login (if any)."""

    id: AnnotatorId
    name: str
    role: AnnotatorRole
    login: str | None = None


def is_postgres(project: Project) -> bool:
    """Whether the project lives on a PostgreSQL server."""
    return project.engine.dialect.name == "postgresql"


def require_postgres(project: Project) -> None:
    """Refuse clearly on SQLite, where there are no logins to restrict."""
    if not is_postgres(project):
        raise SpanLabError(
            "row-level security needs a PostgreSQL project; a SQLite project file has no "
            "database logins (create the project with a postgresql+psycopg:// URL)"
        )


def login_name(name: str) -> str:
    """The default PostgreSQL login for a person: ``spanlab_`` + their name, simplified."""
    simple = _NOT_LOGIN_CHARS.sub("_", name.lower()).strip("_")
    if not simple:
        simple = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return (LOGIN_PREFIX + simple)[:MAX_IDENTIFIER]


def people(project: Project) -> list[Person]:
    """Everyone in the project (gold included), by name."""
    with project.read() as conn:
        rows = conn.execute(
            select(ANN.c.id, ANN.c.name, ANN.c.role, ANN.c.db_login).order_by(ANN.c.name)
        )
        return [Person(AnnotatorId(r.id), r.name, AnnotatorRole(r.role), r.db_login) for r in rows]


def person(project: Project, name: str) -> Person | None:
    """One person by name."""
    return next((p for p in people(project) if p.name == name), None)


def add_person(
    project: Project, name: str, role: AnnotatorRole = AnnotatorRole.ANNOTATOR
) -> Person:
    """Add someone (or change their role); works on every backend."""
    with project.edit() as store:
        annotator = store.ensure_annotator(name, role)
        if annotator.role is not role:
            store.conn.execute(update(ANN).where(ANN.c.id == annotator.id).values(role=role.value))
            store.mark_changed()
        login = store.conn.execute(select(ANN.c.db_login).where(ANN.c.id == annotator.id)).scalar()
    return Person(annotator.id, name, role, login)


def create_login(
    project: Project,
    name: str,
    role: AnnotatorRole = AnnotatorRole.ANNOTATOR,
    password: str | None = None,
    *,
    login: str | None = None,
) -> Person:
    """Create (or update) the database login of a person and apply row-level security.

    Run with the project owner's account, which needs ``CREATEROLE``. An existing role of
    the same name is reused (its password is replaced when ``password`` is given), but
    never a superuser or a role that bypasses row-level security. With ``password=None``
    the login has no password (for certificate or peer authentication, or to set one
    later).
    """
    require_postgres(project)
    login = login or login_name(name)
    if len(login) > MAX_IDENTIFIER or not login.strip():
        raise SpanLabError(f"invalid login name {login!r} (at most {MAX_IDENTIFIER} characters)")
    try:
        with project.edit() as store:
            conn = store.conn
            annotator = store.ensure_annotator(name, role)
            taken = conn.execute(
                select(ANN.c.name).where((ANN.c.db_login == login) & (ANN.c.id != annotator.id))
            ).scalar()
            if taken is not None:
                raise SpanLabError(
                    f"the login {login} already belongs to {taken}; choose another login name"
                )
            _check_row_level_security(conn)
            _create_or_check_role(conn, login)
            if password is not None:
                _set_password(conn, login, password)
            _grant(conn, login)
            conn.execute(
                update(ANN).where(ANN.c.id == annotator.id).values(role=role.value, db_login=login)
            )
            store.mark_changed()
    except ProjectError as exc:
        raise ProjectError(
            f"cannot create the login {login}: {exc} (use the account that owns the project, "
            "with the CREATEROLE privilege)"
        ) from exc
    return Person(annotator.id, name, role, login)


def set_login_password(project: Project, name: str, password: str) -> None:
    """Replace the password of a person's login."""
    require_postgres(project)
    found = person(project, name)
    if found is None or found.login is None:
        raise SpanLabError(f"{name} has no database login; create one first")
    with project.edit() as store:
        _set_password(store.conn, found.login, password)


def drop_login(project: Project, name: str, *, drop_role: bool = True) -> bool:
    """Revoke a person's login from this project; their annotations stay.

    With ``drop_role`` the PostgreSQL role itself is dropped when nothing else on the
    server uses it; returns whether it was dropped.
    """
    require_postgres(project)
    found = person(project, name)
    if found is None or found.login is None:
        raise SpanLabError(f"{name} has no database login")
    login = found.login
    with project.edit() as store:
        conn = store.conn
        role = _quote(conn, login)
        schema = _quote(conn, _current_schema(conn))
        database = _quote(conn, str(conn.exec_driver_sql("SELECT current_database()").scalar()))
        conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
        conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
        conn.exec_driver_sql(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {role}")
        conn.exec_driver_sql(f"REVOKE ALL ON SCHEMA {schema} FROM {role}")
        conn.exec_driver_sql(f"REVOKE ALL ON DATABASE {database} FROM {role}")
        conn.execute(update(ANN).where(ANN.c.id == found.id).values(db_login=None))
        store.mark_changed()
    if not drop_role:
        return False
    try:
        with project.edit() as store:
            store.conn.exec_driver_sql(f"DROP ROLE IF EXISTS {_quote(store.conn, login)}")
    except ProjectError:
        return False  # still has privileges in another database on the server
    return True


def grant_access(project: Project) -> list[str]:
    """Grant every login of the project its privileges again (after a migration added
    tables); returns the logins."""
    require_postgres(project)
    logins = [p.login for p in people(project) if p.login]
    with project.edit() as store:
        _check_row_level_security(store.conn)
        for login in logins:
            _grant(store.conn, login)
    return logins


# --------------------------------------------------------------------------- SQL helpers


def _quote(conn: Connection, identifier: str) -> str:
    return str(conn.dialect.identifier_preparer.quote_identifier(identifier))


def _current_schema(conn: Connection) -> str:
    return str(conn.exec_driver_sql("SELECT current_schema()").scalar())


def _data_tables() -> list[str]:
    return sorted(table.name for table in SQLModel.metadata.sorted_tables)


def _check_row_level_security(conn: Connection) -> None:
    names = _data_tables()
    found: dict[str, bool] = dict(
        conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity FROM pg_class c "
                "WHERE c.relnamespace = current_schema()::regnamespace "
                "AND c.relkind = 'r' AND c.relname = ANY(:names)"
            ),
            {"names": names},
        ).all()
    )
    missing = [n for n in names if n not in UNPROTECTED_TABLES and not found.get(n)]
    if missing:
        raise SpanLabError(
            "this database has no row-level security on "
            f"{', '.join(missing)}; open the project once with this SpanLab as its owner "
            "(that migrates it) before creating logins"
        )


def _create_or_check_role(conn: Connection, login: str) -> None:
    row = conn.execute(
        text("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = :n"),
        {"n": login},
    ).first()
    role = _quote(conn, login)
    if row is None:
        conn.exec_driver_sql(
            f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
        )
        return
    if row.rolsuper or row.rolbypassrls:
        raise SpanLabError(
            f"{login} is a superuser or bypasses row-level security; row-level security "
            "cannot restrict it, so it cannot be a SpanLab login"
        )
    owned = conn.execute(
        text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = :n"
        ),
        {"n": login},
    ).scalar_one()
    if owned:
        raise SpanLabError(
            f"{login} owns this project's tables; the owner is not restricted by row-level "
            "security, so give the person a login of their own"
        )
    if not row.rolcanlogin:
        conn.exec_driver_sql(f"ALTER ROLE {role} LOGIN")


def _set_password(conn: Connection, login: str, password: str) -> None:
    if not password:
        raise SpanLabError("an empty password is not allowed")
    raw = conn.connection.driver_connection
    verifier = raw.pgconn.encrypt_password(  # type: ignore[union-attr]
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    ).decode("ascii")
    literal = verifier.replace("'", "''")
    conn.exec_driver_sql(f"ALTER ROLE {_quote(conn, login)} PASSWORD '{literal}'")


def _grant(conn: Connection, login: str) -> None:
    role = _quote(conn, login)
    schema = _quote(conn, _current_schema(conn))
    database = _quote(conn, str(conn.exec_driver_sql("SELECT current_database()").scalar()))
    data = ", ".join(f"{schema}.{_quote(conn, name)}" for name in _data_tables())
    conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {role}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    # Row-level security decides which rows; these decide which statements at all.
    conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {data} TO {role}")
    conn.exec_driver_sql(f"GRANT SELECT ON {schema}.alembic_version TO {role}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
    for function in ("spanlab_login_role", "spanlab_login_annotator"):
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {schema}.{function}() TO {role}")


__all__ = [
    "LOGIN_PREFIX",
    "Person",
    "add_person",
    "create_login",
    "drop_login",
    "grant_access",
    "is_postgres",
    "login_name",
    "people",
    "person",
    "require_postgres",
    "set_login_password",
]
