"""Initial schema: documents, annotators, tag set, spans, relations, statuses.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the first schema."""
    op.create_table(
        "project_info",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_project_info"),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.String(64), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document"),
        sa.UniqueConstraint("sha256", name="uq_document_sha256"),
    )
    op.create_index("ix_document_position", "document", ["position"])
    op.create_table(
        "annotator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_annotator"),
        sa.UniqueConstraint("name", name="uq_annotator_name"),
    )
    for table in ("label_type", "relation_type"):
        extra = (
            [
                sa.Column("colour", sa.String(9), nullable=False),
                sa.Column("hotkey", sa.String(16), nullable=True),
            ]
            if table == "label_type"
            else [
                sa.Column("heads", sa.JSON(), nullable=False),
                sa.Column("tails", sa.JSON(), nullable=False),
                sa.Column("symmetric", sa.Boolean(), nullable=False),
            ]
        )
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(100), nullable=False),
            *extra,
            sa.Column("description", sa.Text(), nullable=False),
            sa.Column("attributes", sa.JSON(), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.UniqueConstraint("name", name=f"uq_{table}_name"),
        )
    op.create_table(
        "span",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name="fk_span_document_id_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name="fk_span_annotator_id_annotator",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["label_id"], ["label_type.id"], name="fk_span_label_id_label_type", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_span"),
    )
    op.create_index(
        "ix_span_document_annotator_start", "span", ["document_id", "annotator_id", "start"]
    )
    op.create_index("ix_span_label_id", "span", ["label_id"])
    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("tail_id", sa.Integer(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name="fk_relation_document_id_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name="fk_relation_annotator_id_annotator",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["relation_type.id"],
            name="fk_relation_type_id_relation_type",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["head_id"], ["span.id"], name="fk_relation_head_id_span", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tail_id"], ["span.id"], name="fk_relation_tail_id_span", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_relation"),
    )
    op.create_index("ix_relation_document_annotator", "relation", ["document_id", "annotator_id"])
    op.create_index("ix_relation_type_id", "relation", ["type_id"])
    op.create_index("ix_relation_head_id", "relation", ["head_id"])
    op.create_index("ix_relation_tail_id", "relation", ["tail_id"])
    op.create_table(
        "document_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name="fk_document_status_document_id_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name="fk_document_status_annotator_id_annotator",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_document_status"),
        sa.UniqueConstraint("document_id", "annotator_id", name="uq_document_status_document_id"),
    )
    op.create_index("ix_document_status_document_id", "document_status", ["document_id"])
    op.create_index("ix_document_status_annotator_id", "document_status", ["annotator_id"])


def downgrade() -> None:
    """Drop everything (only used by tests)."""
    for table in (
        "document_status",
        "relation",
        "span",
        "relation_type",
        "label_type",
        "annotator",
        "document",
        "project_info",
    ):
        op.drop_table(table)
