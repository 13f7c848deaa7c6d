"""Alembic environment: always run in-process on a connection SpanLab provides."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from spanlab.core.storage import tables  # noqa: F401  (registers the tables)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
