"""indexes for paging, filtering and the data version in SQL

Revision ID: 0010
Revises: 0005_search
Create Date: 2026-12-01 02:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0005_search"
branch_labels = None
depends_on = None


def upgrade():
    # The list and the API page published places by name; city and wijk compare case-insensitively;
    # max(updated_at) is the cheap data version behind ETags.
    op.create_index("ix_place_status_name", "place", ["status", "name", "id"])
    op.create_index("ix_place_lower_city", "place", [sa.text("lower(city)")])
    op.create_index("ix_place_lower_wijk", "place", [sa.text("lower(wijk)")])
    op.create_index("ix_place_updated_at", "place", ["updated_at"])
    op.create_index("ix_review_updated_at", "review", ["updated_at"])
    op.create_index("ix_review_place_status", "review", ["place_id", "status"])


def downgrade():
    op.drop_index("ix_review_place_status", table_name="review")
    op.drop_index("ix_review_updated_at", table_name="review")
    op.drop_index("ix_place_updated_at", table_name="place")
    op.drop_index("ix_place_lower_wijk", table_name="place")
    op.drop_index("ix_place_lower_city", table_name="place")
    op.drop_index("ix_place_status_name", table_name="place")
