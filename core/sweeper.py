"""Closes flows left idle longer than ``conversation.idle_timeout_minutes`` and tells the
user, without waiting for their next message. Safe with several processes: each row is
re-checked under its lock before it is closed."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from core.conversation import Conversation
from core.model import Action, SendPrivate, User
from core.services import Services
from core.storage.tables import ConversationRow

log = logging.getLogger(__name__)


async def close_idle_flows(services: Services, *, limit: int = 200) -> list[Action]:
    """Finish idle flows; returns the messages telling their users (for the runtime to send)."""
    now = services.clock.now()
    cutoff = now - timedelta(minutes=services.config.conversation.idle_timeout_minutes)
    actions: list[Action] = []
    async with services.db.transaction() as session:
        query = (
            select(ConversationRow)
            .where(ConversationRow.flow.is_not(None), ConversationRow.updated_at < cutoff)
            .order_by(ConversationRow.updated_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        for row in (await session.execute(query)).scalars():
            log.info("closing idle flow %s of %s", row.flow, row.user_key)
            Conversation(row, now).finish()
            locale = services.texts.locale_for(row.locale)
            text = services.texts.get("flow_expired", locale)
            user = User.from_key(row.user_key, row.display_name, row.username)
            actions.append(SendPrivate(user=user, text=text))
    return actions
