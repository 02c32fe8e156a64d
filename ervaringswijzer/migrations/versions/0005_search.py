"""search outbox and search log

Revision ID: 0005_search
Revises: 0004_reviews
Create Date: 2026-11-24 02:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0005_search"
down_revision = "0004_reviews"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_outbox_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_outbox_created_at"), ["created_at"], unique=False)

    op.create_table(
        "search_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("filters", sa.String(length=300), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.Column("zero_results", sa.Integer(), nullable=False),
        sa.Column("last_hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("query", "filters", "week", name="uq_search_log_query_week"),
    )
    with op.batch_alter_table("search_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_log_week"), ["week"], unique=False)

    # Places that exist before this migration get a row each, so every index built from here
    # on starts complete (a rebuild would too; this saves the wait).
    op.execute("INSERT INTO search_outbox (place_id, op, created_at) "
               "SELECT id, 'upsert', CURRENT_TIMESTAMP FROM place")


def downgrade():
    with op.batch_alter_table("search_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_log_week"))
    op.drop_table("search_log")
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_outbox_created_at"))
        batch_op.drop_index(batch_op.f("ix_search_outbox_place_id"))
    op.drop_table("search_outbox")
