"""Ticket threads: one forum topic / thread per ticket in a staff chat.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.storage.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ticket_threads",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("chat_id", sa.String(160), primary_key=True),
        sa.Column("ticket_no", sa.String(32), primary_key=True),
        sa.Column("thread_id", sa.String(160), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index(
        "ix_ticket_threads_thread", "ticket_threads", ["platform", "chat_id", "thread_id"]
    )


def downgrade() -> None:
    op.drop_table("ticket_threads")
