"""Initial schema: conversations and processed inbound events.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.storage.types import JsonDict, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("user_key", sa.String(160), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("display_name", sa.String(256), nullable=False, server_default=""),
        sa.Column("username", sa.String(256), nullable=False, server_default=""),
        sa.Column("locale", sa.String(8), nullable=False, server_default=""),
        sa.Column("flow", sa.String(64), nullable=True),
        sa.Column("step", sa.String(64), nullable=True),
        sa.Column("data", JsonDict, nullable=False),
        sa.Column("private_chat_id", sa.String(160), nullable=False, server_default=""),
        sa.Column("flow_started_at", UTCDateTime, nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_conversations_flow_updated", "conversations", ["flow", "updated_at"])
    op.create_table(
        "processed_events",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("event_id", sa.String(160), primary_key=True),
        sa.Column("processed_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_processed_events_processed_at", "processed_events", ["processed_at"])


def downgrade() -> None:
    op.drop_table("processed_events")
    op.drop_table("conversations")
