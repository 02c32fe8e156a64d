"""where an imported place came from (source + source_id), and schedule text that is no OSM hours

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 05:20:00

"""
import sqlalchemy as sa
from alembic import op


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("place") as batch:
        batch.add_column(sa.Column("source", sa.String(100), nullable=True))
        batch.add_column(sa.Column("source_id", sa.String(200), nullable=True))
        batch.add_column(sa.Column("opening_hours_note", sa.Text, nullable=False, server_default=""))
        batch.create_unique_constraint("uq_place_source_source_id", ["source", "source_id"])


def downgrade():
    with op.batch_alter_table("place") as batch:
        batch.drop_constraint("uq_place_source_source_id", type_="unique")
        batch.drop_column("opening_hours_note")
        batch.drop_column("source_id")
        batch.drop_column("source")
