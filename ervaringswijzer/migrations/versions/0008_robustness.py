"""geocoder slot (the request limit across processes) and one open report per member

Revision ID: 0008
Revises: 0005_search
Create Date: 2026-12-01 02:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade():
    op.create_table(
        "geocoder_slot",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("holder", sa.String(length=40), nullable=True),
        sa.Column("lease_until", sa.Float(), nullable=False),
        sa.Column("last_request", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    # Double submits made before this index: the oldest open report stays open.
    op.execute("UPDATE review_report SET status = 'closed' WHERE status = 'open' AND reporter_id IS NOT NULL "
               "AND id NOT IN (SELECT min(id) FROM review_report WHERE status = 'open' "
               "AND reporter_id IS NOT NULL GROUP BY review_id, reporter_id)")
    op.execute("UPDATE info_report SET status = 'dismissed' WHERE status = 'open' AND reporter_id IS NOT NULL "
               "AND id NOT IN (SELECT min(id) FROM info_report WHERE status = 'open' "
               "AND reporter_id IS NOT NULL GROUP BY place_id, reporter_id, kind)")
    op.create_index("uq_review_report_open", "review_report", ["review_id", "reporter_id"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("uq_info_report_open", "info_report", ["place_id", "reporter_id", "kind"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade():
    op.drop_index("uq_info_report_open", table_name="info_report")
    op.drop_index("uq_review_report_open", table_name="review_report")
    op.drop_table("geocoder_slot")
