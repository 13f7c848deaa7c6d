"""Team work: document assignments, change counters, database logins and row-level security.

On every backend: an ``assignment`` table (document x annotator), a ``change_counter``
table that write transactions bump (clients poll it to refresh), a ``layer_merge``
table (the fingerprint of the layer last merged from an offline package) and
``annotator.db_login`` naming the PostgreSQL login of a person.

On PostgreSQL only: row-level security. A login mapped to an annotator row
(``annotator.db_login = current_user``) sees and changes only its own spans, relations
and entities and writes only its own statuses; curators and managers see and change
every layer; documents, the tag set, people and assignments are readable by every
login and writable by managers only. The owner of the tables (the account that runs
migrations and creates logins) is not subject to these policies. Logins and their
grants are created by ``spanlab.core.team.access.create_login``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Tables holding one annotator's layer: rows carry ``annotator_id``.
LAYER_TABLES = ("span", "relation", "entity", "layer_merge")
# Shared tables: everyone reads, managers write.
SHARED_TABLES = (
    "document",
    "annotator",
    "label_type",
    "relation_type",
    "project_info",
    "assignment",
)


def upgrade() -> None:
    """Add assignments, change counters, logins; on PostgreSQL enable row-level security."""
    with op.batch_alter_table("annotator") as batch:
        batch.add_column(sa.Column("db_login", sa.String(63), nullable=True))
        batch.create_unique_constraint("uq_annotator_db_login", ["db_login"])
    op.create_table(
        "assignment",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name="fk_assignment_document_id_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name="fk_assignment_annotator_id_annotator",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "annotator_id", name="pk_assignment"),
    )
    op.create_index("ix_assignment_annotator_id", "assignment", ["annotator_id"])
    op.create_table(
        "layer_merge",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name="fk_layer_merge_document_id_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name="fk_layer_merge_annotator_id_annotator",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "annotator_id", name="pk_layer_merge"),
    )
    op.create_table(
        "change_counter",
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", name="pk_change_counter"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    """Remove everything above (only used by tests)."""
    if op.get_bind().dialect.name == "postgresql":
        _disable_row_level_security()
    op.drop_table("change_counter")
    op.drop_table("layer_merge")
    op.drop_index("ix_assignment_annotator_id", table_name="assignment")
    op.drop_table("assignment")
    with op.batch_alter_table("annotator") as batch:
        batch.drop_constraint("uq_annotator_db_login", type_="unique")
        batch.drop_column("db_login")


def _schema() -> str:
    name = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    assert isinstance(name, str)
    return '"' + name.replace('"', '""') + '"'


def _enable_row_level_security() -> None:
    s = _schema()
    # Plain (SECURITY INVOKER) SQL functions: current_user is the querying login, and the
    # annotator table they read is readable by everyone, so policies never recurse.
    op.execute(
        f"CREATE OR REPLACE FUNCTION {s}.spanlab_login_annotator() RETURNS integer "
        f"LANGUAGE sql STABLE AS $$ SELECT id FROM {s}.annotator "
        "WHERE db_login = current_user $$"
    )
    op.execute(
        f"CREATE OR REPLACE FUNCTION {s}.spanlab_login_role() RETURNS text "
        f"LANGUAGE sql STABLE AS $$ SELECT role FROM {s}.annotator "
        "WHERE db_login = current_user $$"
    )
    # (SELECT f()) is evaluated once per statement (an InitPlan), not once per row.
    sees_all = f"(SELECT {s}.spanlab_login_role()) IN ('curator', 'manager')"
    own = f"annotator_id = (SELECT {s}.spanlab_login_annotator())"
    layer = f"({sees_all} OR {own})"
    manager = f"((SELECT {s}.spanlab_login_role()) = 'manager')"
    for table in LAYER_TABLES:
        op.execute(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY spanlab_layer ON {s}.{table} FOR ALL USING {layer} WITH CHECK {layer}"
        )
    # Statuses: everyone sees everyone's progress; each writes only their own.
    op.execute(f"ALTER TABLE {s}.document_status ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY spanlab_read ON {s}.document_status FOR SELECT USING (true)")
    op.execute(
        f"CREATE POLICY spanlab_layer ON {s}.document_status FOR ALL "
        f"USING {layer} WITH CHECK {layer}"
    )
    for table in SHARED_TABLES:
        op.execute(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY spanlab_read ON {s}.{table} FOR SELECT USING (true)")
        op.execute(
            f"CREATE POLICY spanlab_manage ON {s}.{table} FOR ALL "
            f"USING {manager} WITH CHECK {manager}"
        )


def _disable_row_level_security() -> None:
    s = _schema()
    for table in (*LAYER_TABLES, "document_status", *SHARED_TABLES):
        for policy in ("spanlab_layer", "spanlab_read", "spanlab_manage"):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {s}.{table}")
        op.execute(f"ALTER TABLE {s}.{table} DISABLE ROW LEVEL SECURITY")
    op.execute(f"DROP FUNCTION IF EXISTS {s}.spanlab_login_role()")
    op.execute(f"DROP FUNCTION IF EXISTS {s}.spanlab_login_annotator()")
