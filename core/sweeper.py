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
from core.storage.repository import save_conversation
from core.storage.tables import ConversationRow, table_of

log = logging.getLogger(__name__)


async def close_idle_flows(services: Services, *, limit: int = 200) -> list[Action]:
    """Finish idle flows; returns the messages telling their users (for the runtime to send)."""
    now = services.clock.now()
    cutoff = now - timedelta(minutes=services.config.conversation.idle_timeout_minutes)
    actions: list[Action] = []
    table = table_of(ConversationRow)
    async with services.db.connection() as connection:
        query = (
            select(table)
            .where(table.c.flow.is_not(None), table.c.updated_at < cutoff)
            .order_by(table.c.updated_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        for row in (await connection.execute(query)).all():
            conversation = Conversation(row._mapping, now)
            log.info("closing idle flow %s of %s", conversation.flow, conversation.user_key)
            conversation.finish()
            await save_conversation(connection, conversation)
            locale = services.texts.locale_for(conversation.locale)
            text = services.texts.get("flow_expired", locale)
            user = User.from_key(
                conversation.user_key, conversation.display_name, conversation.username
            )
            actions.append(SendPrivate(user=user, text=text))
    return actions
