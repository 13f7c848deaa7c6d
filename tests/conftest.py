"""Shared fixtures. Qt runs offscreen; projects live in temporary folders."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from spanlab.core.project import Project
from spanlab.core.samples import build_sample_project


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """An empty project with the bundled news schema."""
    with Project.create(tmp_path / "test.spanlab") as created:
        yield created


@pytest.fixture(scope="session")
def sample_project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample project, built once per test session (copy before editing)."""
    path = tmp_path_factory.mktemp("sample") / "sample.spanlab"
    build_sample_project(path).close()
    return path


@pytest.fixture
def sample_project(sample_project_file: Path, tmp_path: Path) -> Iterator[Project]:
    """A private, editable copy of the sample project."""
    import sqlite3

    target = tmp_path / "sample.spanlab"
    source = sqlite3.connect(sample_project_file)
    dest = sqlite3.connect(target)
    source.backup(dest)
    dest.close()
    source.close()
    with Project.open(target) as opened:
        yield opened


# --------------------------------------------------------------------------- PostgreSQL
# Tests that need a server take ``pg_url`` (a fresh, empty database per test) or
# ``backend_location`` (once with a SQLite file, once with a PostgreSQL database).
# Without SPANLAB_TEST_PG_URL they are skipped on a developer machine and fail in CI.

PG_URL_ENV = "SPANLAB_TEST_PG_URL"
NO_PG_SERVER = f"no PostgreSQL server: set {PG_URL_ENV}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests using a PostgreSQL database carry the ``postgres`` marker (-m 'not postgres')."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("backend_location") == (
            "postgresql"
        )
        if on_postgres or "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """URL of a database on the test server whose user may create databases and roles."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    from spanlab.core.storage.engine import redact_url

    url = os.environ.get(PG_URL_ENV, "").strip()
    if not url:
        if _in_ci():
            pytest.fail(
                f"CI is set but {PG_URL_ENV} is not: the PostgreSQL tests must run in CI "
                "(.ci/run starts a server and sets it)",
                pytrace=False,
            )
        pytest.skip(NO_PG_SERVER)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        pytest.fail(
            f"{PG_URL_ENV}={redact_url(url)} is set but the server cannot be used: "
            f"{type(exc.__cause__ or exc).__name__}",
            pytrace=False,
        )
    finally:
        engine.dispose()
    return url


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database (dropped afterwards, with any spanlab_* login
    roles the test created)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"spanlab_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    roles = text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'spanlab%'")
    with admin.connect() as conn:
        before = set(conn.execute(roles).scalars())
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in sorted(set(conn.execute(roles).scalars()) - before):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to create a project: a SQLite file, then a PostgreSQL database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "project.spanlab")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def any_project(backend_location: str) -> Iterator[Project]:
    """An empty project with the news schema, on each backend in turn."""
    with Project.create(backend_location) as created:
        yield created
