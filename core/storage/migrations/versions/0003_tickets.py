"""Tickets, their history, and the transactional outbox.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.storage.types import JsonDict, UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ticket_no", sa.String(32), nullable=False, unique=True),
        sa.Column("user_key", sa.String(160), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("user_name", sa.String(256), nullable=False, server_default=""),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("complexity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("order_no", sa.String(64), nullable=False, server_default=""),
        sa.Column("enterprise", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("summary", sa.String(2000), nullable=False, server_default=""),
        sa.Column("fields", JsonDict, nullable=False),
        sa.Column("transcript", JsonDict, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("first_response_at", UTCDateTime, nullable=True),
        sa.Column("closed_at", UTCDateTime, nullable=True),
        sa.Column("escalation_level", sa.Integer, nullable=False, server_default="0"),
        sa.Column("assignee_key", sa.String(160), nullable=False, server_default=""),
        sa.Column("shop_ref", sa.String(64), nullable=False, server_default=""),
    )
    op.create_index("ix_tickets_user_status", "tickets", ["user_key", "status"])
    op.create_index("ix_tickets_status_due", "tickets", ["status", "due_at"])
    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor_key", sa.String(160), nullable=False),
        sa.Column("detail", JsonDict, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_ticket_events_ticket_id", "ticket_events", ["ticket_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("idempotency_key", sa.String(160), nullable=False, unique=True),
        sa.Column("payload", JsonDict, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", UTCDateTime, nullable=False),
        sa.Column("sent_at", UTCDateTime, nullable=True),
        sa.Column("failed_at", UTCDateTime, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=False, server_default=""),
    )
    op.create_index("ix_outbox_pending", "outbox", ["sent_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("ticket_events")
    op.drop_table("tickets")
