"""Flag scopes and the bot's own secrets.

A flag now applies where it was set: ``*`` for a global moderator's flag, else the community
whose admin set it. Existing flags (from before scopes) keep applying everywhere. Adds
``bot_secrets`` for the key that binds buttons to the user they were offered to.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.storage.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "moderation_cases",
        sa.Column("scope", sa.String(160), nullable=False, server_default="*"),
    )
    # The primary key gains a column: build the new table, copy, swap (portable to SQLite).
    op.create_table(
        "flagged_accounts_scoped",
        sa.Column("target_key", sa.String(160), primary_key=True),
        sa.Column("scope", sa.String(160), primary_key=True, server_default="*"),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("moderation_cases.id"), nullable=False),
        sa.Column("target_name", sa.String(256), nullable=False, server_default=""),
        sa.Column("target_username", sa.String(256), nullable=False, server_default=""),
        sa.Column("flagged_at", UTCDateTime, nullable=False),
    )
    op.execute(
        "INSERT INTO flagged_accounts_scoped "
        "(target_key, scope, case_id, target_name, target_username, flagged_at) "
        "SELECT target_key, '*', case_id, target_name, target_username, flagged_at "
        "FROM flagged_accounts"
    )
    op.drop_index("ix_flagged_accounts_flagged_at", table_name="flagged_accounts")
    op.drop_table("flagged_accounts")
    op.rename_table("flagged_accounts_scoped", "flagged_accounts")
    op.create_index("ix_flagged_accounts_flagged_at", "flagged_accounts", ["flagged_at"])
    op.create_table(
        "bot_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bot_secrets")
    op.create_table(
        "flagged_accounts_global",
        sa.Column("target_key", sa.String(160), primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("moderation_cases.id"), nullable=False),
        sa.Column("target_name", sa.String(256), nullable=False, server_default=""),
        sa.Column("target_username", sa.String(256), nullable=False, server_default=""),
        sa.Column("flagged_at", UTCDateTime, nullable=False),
    )
    op.execute(
        "INSERT INTO flagged_accounts_global "
        "(target_key, case_id, target_name, target_username, flagged_at) "
        "SELECT target_key, MIN(case_id), MIN(target_name), MIN(target_username), "
        "MIN(flagged_at) FROM flagged_accounts GROUP BY target_key"
    )
    op.drop_index("ix_flagged_accounts_flagged_at", table_name="flagged_accounts")
    op.drop_table("flagged_accounts")
    op.rename_table("flagged_accounts_global", "flagged_accounts")
    op.create_index("ix_flagged_accounts_flagged_at", "flagged_accounts", ["flagged_at"])
    op.drop_column("moderation_cases", "scope")
