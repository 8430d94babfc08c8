"""FAQ answers and their resolution feedback.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.storage.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faq_answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_key", sa.String(160), nullable=False),
        sa.Column("intent", sa.String(32), nullable=False),
        sa.Column("score", sa.Float, nullable=False, server_default="0"),
        sa.Column("question", sa.String(500), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False, server_default=""),
        sa.Column("feedback_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_faq_answers_created_at", "faq_answers", ["created_at"])


def downgrade() -> None:
    op.drop_table("faq_answers")
