"""geocoder slot: one shared lease per geocoding service, so the request limit holds across processes

Revision ID: 0008
Revises: 0005_search
Create Date: 2026-12-01 02:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0005_search"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "geocoder_slot",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("holder", sa.String(length=40), nullable=True),
        sa.Column("lease_until", sa.Float(), nullable=False),
        sa.Column("last_request", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade():
    op.drop_table("geocoder_slot")
