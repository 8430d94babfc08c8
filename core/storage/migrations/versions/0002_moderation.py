"""Moderation: append-only cases, their notes, and the current flagged accounts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.storage.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "moderation_cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("target_key", sa.String(160), nullable=False),
        sa.Column("target_name", sa.String(256), nullable=False, server_default=""),
        sa.Column("target_username", sa.String(256), nullable=False, server_default=""),
        sa.Column("actor_key", sa.String(160), nullable=False),
        sa.Column("actor_name", sa.String(256), nullable=False, server_default=""),
        sa.Column("reason", sa.String(1000), nullable=False, server_default=""),
        sa.Column("chat_key", sa.String(160), nullable=False, server_default=""),
        sa.Column("evidence_message_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("evidence_text", sa.String(1000), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_moderation_cases_target_key", "moderation_cases", ["target_key"])
    op.create_index(
        "ix_moderation_cases_actor_created", "moderation_cases", ["actor_key", "created_at"]
    )
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("moderation_cases.id"), nullable=False),
        sa.Column("author_key", sa.String(160), nullable=False),
        sa.Column("body", sa.String(1000), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_case_notes_case_id", "case_notes", ["case_id"])
    op.create_table(
        "flagged_accounts",
        sa.Column("target_key", sa.String(160), primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("moderation_cases.id"), nullable=False),
        sa.Column("target_name", sa.String(256), nullable=False, server_default=""),
        sa.Column("target_username", sa.String(256), nullable=False, server_default=""),
        sa.Column("flagged_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_flagged_accounts_flagged_at", "flagged_accounts", ["flagged_at"])


def downgrade() -> None:
    op.drop_table("flagged_accounts")
    op.drop_table("case_notes")
    op.drop_table("moderation_cases")
