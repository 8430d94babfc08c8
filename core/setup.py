"""Wires the handlers into a :class:`Router`: which command, flow and message goes where."""

from __future__ import annotations

from core.context import Context
from core.handlers import support
from core.handlers.support_rule import asks_for_support
from core.router import Router


async def on_message(ctx: Context) -> None:
    """Free text outside a flow: answer support questions; otherwise help in private only."""
    if asks_for_support(ctx.event.text):
        support.answer_support(ctx)
    elif ctx.in_private:
        ctx.reply(ctx.t("fallback"))


def build_router() -> Router:
    router = Router()
    router.command("start", support.on_start)
    router.command("help", support.on_help)
    router.command("support", support.on_support)
    router.on_message = on_message
    return router
