"""the contact person's own phone and e-mail, kept apart from the place's public contact

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 05:15:00

"""
import sqlalchemy as sa
from alembic import op


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("place") as batch:
        batch.add_column(sa.Column("contact_phone", sa.String(40), nullable=False, server_default=""))
        batch.add_column(sa.Column("contact_email", sa.String(200), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("place") as batch:
        batch.drop_column("contact_email")
        batch.drop_column("contact_phone")
