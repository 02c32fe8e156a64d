"""the databank of experts by experience, going along the first time, asking a place to let a client look first

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 05:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "expert_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "expert_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(60), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("offers", sa.String(100), nullable=False),
        sa.Column("languages", sa.String(100), nullable=False),
        sa.Column("availability", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id"),
    )
    op.create_table(
        "expert_profile_theme",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["expert_profile.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["expert_theme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", "theme_id"),
    )
    op.create_table(
        "expert_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("audience", sa.String(200), nullable=False),
        sa.Column("place_text", sa.String(200), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("wanted_on", sa.Date(), nullable=True),
        sa.Column("period", sa.String(200), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("client_initial", sa.String(20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["requester_id"], ["member.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_expert_request_requester_id", "expert_request", ["requester_id"])
    op.create_index("ix_expert_request_status", "expert_request", ["status"])
    op.create_index("ix_expert_request_created_at", "expert_request", ["created_at"])
    op.create_table(
        "expert_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["expert_request.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["profile_id"], ["expert_profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "profile_id"),
    )
    op.create_index("ix_expert_proposal_request_id", "expert_proposal", ["request_id"])
    op.create_index("ix_expert_proposal_profile_id", "expert_proposal", ["profile_id"])
    op.create_table(
        "expert_request_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["expert_request.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["member.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_expert_request_note_request_id", "expert_request_note", ["request_id"])
    op.create_index("ix_expert_request_note_author_id", "expert_request_note", ["author_id"])
    with op.batch_alter_table("shared_map_item") as batch:
        batch.add_column(sa.Column("worker_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("going_along_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("expert_request_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("follow_up_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("follow_up_reminded_on", sa.Date(), nullable=True))
        batch.create_foreign_key("fk_shared_map_item_expert_request", "expert_request", ["expert_request_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_shared_map_item_follow_up_on", ["follow_up_on"])
    op.create_table(
        "look_first_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shared_map_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("client_initial", sa.String(20), nullable=False),
        sa.Column("moments", sa.JSON(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("chosen", sa.Integer(), nullable=True),
        sa.Column("suggestion", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["shared_map_id"], ["shared_map.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["worker_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_look_first_request_shared_map_id", "look_first_request", ["shared_map_id"])
    op.create_index("ix_look_first_request_place_id", "look_first_request", ["place_id"])
    op.create_index("ix_look_first_request_worker_id", "look_first_request", ["worker_id"])


def downgrade():
    op.drop_table("look_first_request")
    with op.batch_alter_table("shared_map_item") as batch:
        batch.drop_index("ix_shared_map_item_follow_up_on")
        batch.drop_constraint("fk_shared_map_item_expert_request", type_="foreignkey")
        for column in ("follow_up_reminded_on", "follow_up_on", "expert_request_id", "going_along_on", "worker_note"):
            batch.drop_column(column)
    op.drop_table("expert_request_note")
    op.drop_table("expert_proposal")
    op.drop_table("expert_request")
    op.drop_table("expert_profile_theme")
    op.drop_table("expert_profile")
    op.drop_table("expert_theme")
