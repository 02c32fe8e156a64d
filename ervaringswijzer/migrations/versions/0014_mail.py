"""outgoing mail queue, inbox notices, password reset tokens, a member's language, crisis phrases, held responses

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-01 05:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id", ondelete="CASCADE"), nullable=True),
        sa.Column("to_address", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("template", sa.String(80), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(32), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outgoing_mail_member_id", "outgoing_mail", ["member_id"])
    op.create_index("ix_outgoing_mail_due", "outgoing_mail", ["status", "next_attempt_at"])
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_notice_member_read", "notice", ["member_id", "read_at"])
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_password_reset_member_id", "password_reset", ["member_id"])
    op.create_table(
        "crisis_phrase",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("phrase", sa.String(200), nullable=False, unique=True),
        sa.Column("added_by_id", sa.Integer(), sa.ForeignKey("member.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("language", sa.String(5), nullable=False, server_default="nl"))
    with op.batch_alter_table("review_response") as batch:
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="published"))


def downgrade():
    with op.batch_alter_table("review_response") as batch:
        batch.drop_column("status")
    with op.batch_alter_table("member") as batch:
        batch.drop_column("language")
    op.drop_table("crisis_phrase")
    op.drop_index("ix_password_reset_member_id", "password_reset")
    op.drop_table("password_reset")
    op.drop_index("ix_notice_member_read", "notice")
    op.drop_table("notice")
    op.drop_index("ix_outgoing_mail_due", "outgoing_mail")
    op.drop_index("ix_outgoing_mail_member_id", "outgoing_mail")
    op.drop_table("outgoing_mail")
