"""the city's view: counters, open blocks, check rounds and tokens, check interval, search log place

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 06:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _counts():
    return [sa.Column(name, sa.Integer(), nullable=False, server_default="0")
            for name in ("page_views", "map_adds", "route_taps", "reviews")]


def upgrade():
    with op.batch_alter_table("place") as batch:
        batch.add_column(sa.Column("check_interval_months", sa.SmallInteger(), nullable=False, server_default="6"))
    with op.batch_alter_table("search_log") as batch:
        batch.add_column(sa.Column("city", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("wijk", sa.String(100), nullable=False, server_default=""))
        batch.create_index("ix_search_log_city", ["city"])
    with op.batch_alter_table("info_report") as batch:
        batch.add_column(sa.Column("proposed", sa.JSON()))
    op.create_table(
        "place_counter",
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("page_views", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("map_adds", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("route_taps", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("reviews", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_place_counter_month", "place_counter", ["month"])
    op.create_table(
        "area_counter",
        sa.Column("city", sa.String(100), primary_key=True),
        sa.Column("wijk", sa.String(100), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        *_counts(),
    )
    op.create_table(
        "place_reach",
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("through_month", sa.String(7), nullable=False),
        *_counts(),
    )
    op.create_table(
        "place_open_blocks",
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("mask", sa.Integer(), nullable=False),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.Column("open_hours", sa.Integer(), nullable=False),
    )
    op.create_table(
        "place_check",
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("round_key", sa.String(10), primary_key=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("reminded_on", sa.Date()),
        sa.Column("answered_on", sa.Date()),
    )
    op.create_table(
        "place_check_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("place.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_place_check_token_place_id", "place_check_token", ["place_id"])


def downgrade():
    op.drop_table("place_check_token")
    op.drop_table("place_check")
    op.drop_table("place_open_blocks")
    op.drop_table("place_reach")
    op.drop_table("area_counter")
    op.drop_index("ix_place_counter_month", "place_counter")
    op.drop_table("place_counter")
    with op.batch_alter_table("info_report") as batch:
        batch.drop_column("proposed")
    with op.batch_alter_table("search_log") as batch:
        batch.drop_index("ix_search_log_city")
        batch.drop_column("wijk")
        batch.drop_column("city")
    with op.batch_alter_table("place") as batch:
        batch.drop_column("check_interval_months")
