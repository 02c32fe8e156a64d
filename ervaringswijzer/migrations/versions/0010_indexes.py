"""indexes for paging, filtering and the data version in SQL

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 02:00:00

"""
from alembic import op


revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # The list and the API page published places by name; max(updated_at) is the cheap data
    # version behind ETags; ratings are aggregated per place over published reviews.
    op.create_index("ix_place_status_name", "place", ["status", "name", "id"])
    op.create_index("ix_place_updated_at", "place", ["updated_at"])
    op.create_index("ix_review_updated_at", "review", ["updated_at"])
    op.create_index("ix_review_place_status", "review", ["place_id", "status"])


def downgrade():
    op.drop_index("ix_review_place_status", table_name="review")
    op.drop_index("ix_review_updated_at", table_name="review")
    op.drop_index("ix_place_updated_at", table_name="place")
    op.drop_index("ix_place_status_name", table_name="place")
