"""The reply outbox: replies saved with the event that decided them, sent after commit.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.storage.types import JsonDict, UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("event_platform", sa.String(16), nullable=False),
        sa.Column("event_id", sa.String(160), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("action", JsonDict, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("sent_at", UTCDateTime, nullable=True),
        sa.Column("failed_at", UTCDateTime, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=False, server_default=""),
    )
    op.create_index("ix_reply_outbox_pending", "reply_outbox", ["sent_at", "next_attempt_at"])
    op.create_index("ix_reply_outbox_created", "reply_outbox", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_reply_outbox_created", table_name="reply_outbox")
    op.drop_index("ix_reply_outbox_pending", table_name="reply_outbox")
    op.drop_table("reply_outbox")
