"""Per-user lookup limits, kept in the database so every bot process shares them: the bot
must not become a tool to enumerate order numbers or card keys."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, func, insert, select

from core.context import Context
from core.storage.tables import LookupLogRow, table_of

# Asked before every lookup: built once (see EventTransaction.scalar).
_LOOKUPS = table_of(LookupLogRow)
_COUNT_RECENT = select(func.count()).where(
    _LOOKUPS.c.user_key == bindparam("user_key"), _LOOKUPS.c.created_at >= bindparam("since")
)
_RECORD = insert(_LOOKUPS)


async def allow_lookup(ctx: Context, kind: str, *, tell: bool = True) -> bool:
    """Record a question to the shop about an order or key; False when the user is over the
    limit (with a polite reply unless ``tell`` is False). Every path that asks the shop on a
    user's behalf counts here: the commands, the complaint's order step, the buttons."""
    limits = ctx.services.config.self_service
    since = ctx.now - timedelta(minutes=limits.window_minutes)
    user_key = ctx.event.user.key
    used = await ctx.store.scalar(_COUNT_RECENT, {"user_key": user_key, "since": since})
    if used >= limits.lookups_per_window:
        if not tell:
            return False
        ctx.send_private(ctx.t("lookup.rate_limited", minutes=f"{limits.window_minutes:g}"))
        return False
    await ctx.store.insert(_RECORD, {"user_key": user_key, "kind": kind, "created_at": ctx.now})
    return True
