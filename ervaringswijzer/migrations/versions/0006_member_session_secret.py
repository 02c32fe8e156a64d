"""member session secret: signed session cookies end when it changes

Revision ID: 0006
Revises: 0005_search
Create Date: 2026-12-01 02:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005_search"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_secret", sa.String(length=32), nullable=True))
    # Every existing member gets a secret of their own; cookies issued before this point stop working.
    member = sa.table("member", sa.column("id", sa.Integer), sa.column("session_secret", sa.String))
    connection = op.get_bind()
    for (member_id,) in connection.execute(sa.select(member.c.id)).all():
        connection.execute(member.update().where(member.c.id == member_id)
                           .values(session_secret=secrets.token_urlsafe(16)))
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.alter_column("session_secret", existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("session_secret")
