"""A one-question flow behind the "查询订单 / 查询卡密 / 查询充值进度" buttons: ask for the
number (or key), then run the lookup as if the user had typed the command."""

from __future__ import annotations

from dataclasses import replace

from core.context import Context
from core.selfservice import lookups

FLOW = "lookup"
_HANDLERS = {"order": lookups.on_order, "card": lookups.on_card, "recharge": lookups.on_recharge}


class LookupFlow:
    name = FLOW

    async def start(self, ctx: Context) -> None:
        kind = ctx.event.payload.partition(":")[2] or ctx.event.args.strip()
        if kind not in _HANDLERS:
            kind = "order"
        if not ctx.in_private:
            await _HANDLERS[kind](ctx)  # a group gets the usage hint, answered in private
            return
        ctx.conversation.start(FLOW, kind)
        ctx.reply(ctx.t(f"lookup.ask_{kind}"))

    async def on_input(self, ctx: Context) -> None:
        kind = ctx.conversation.step or "order"
        text = ctx.event.text.strip()
        if not text:
            ctx.reply(ctx.t(f"lookup.ask_{kind}"))
            return
        ctx.conversation.finish()
        ctx.event = replace(ctx.event, command=kind, args=text)
        await _HANDLERS.get(kind, lookups.on_order)(ctx)
