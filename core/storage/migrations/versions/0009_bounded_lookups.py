"""Indexes for the look-ups that scanned whole tables, and for retention.

A user by handle (``/flag @handle``, ``/verify @handle``) scanned every conversation;
``/flags`` in a community scanned every flag; the retention job deletes old lookup-log rows
by time.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_conversations_platform_username",
        "conversations",
        ["platform", sa.text("lower(username)")],
    )
    op.create_index("ix_lookup_log_created", "lookup_log", ["created_at"])
    op.create_index(
        "ix_flagged_accounts_scope_flagged", "flagged_accounts", ["scope", "flagged_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_flagged_accounts_scope_flagged", table_name="flagged_accounts")
    op.drop_index("ix_lookup_log_created", table_name="lookup_log")
    op.drop_index("ix_conversations_platform_username", table_name="conversations")
