"""Entity groups (coreference): an entity table and a span -> entity link.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add entities; existing spans start ungrouped."""
    op.create_table(
        "entity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name="fk_entity_document_id_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name="fk_entity_annotator_id_annotator",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_entity"),
    )
    op.create_index("ix_entity_document_id", "entity", ["document_id"])
    with op.batch_alter_table("span") as batch:
        batch.add_column(sa.Column("entity_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_span_entity_id_entity", "entity", ["entity_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_span_entity_id", ["entity_id"])


def downgrade() -> None:
    """Remove entities (only used by tests)."""
    with op.batch_alter_table("span") as batch:
        batch.drop_index("ix_span_entity_id")
        batch.drop_constraint("fk_span_entity_id_entity", type_="foreignkey")
        batch.drop_column("entity_id")
    op.drop_index("ix_entity_document_id", table_name="entity")
    op.drop_table("entity")
