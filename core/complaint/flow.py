"""``/complain``: issue type → order number (checked with the shop) → when → what the screen
said → screenshot or skip → the "timeline + anomaly" summary → confirm, edit or cancel.

Every answer is checked and a wrong one gets a specific hint; the state is saved after each
step (the engine persists it), so a restart continues at the same step. Started in a group,
the flow answers with a button to the private chat: complaints hold personal data.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from core.complaint import steps, words
from core.complaint.categories import category_from_text
from core.complaint.prompts import ask, category_buttons, record
from core.context import Context
from core.model import Button, ButtonStyle

log = logging.getLogger(__name__)

FLOW = "complaint"


class ComplaintFlow:
    name = FLOW

    async def start(self, ctx: Context) -> None:
        if not ctx.in_private:
            button = Button(
                label=ctx.t("complaint.private_button"),
                payload="complain",
                style=ButtonStyle.PRIVATE,
            )
            ctx.reply(ctx.t("complaint.go_private"), ((button,),))
            return
        convo = ctx.conversation
        if convo.flow == FLOW:
            ctx.reply(ctx.t("complaint.already_running"))
            await steps.repeat_prompt(ctx)
            return
        # A "complain:<category>:<order>" button from a lookup arrives pre-filled, and only
        # from the user it was offered to (a forged one would look up someone's order).
        category, order_no = "", ""
        if ":" in ctx.event.payload:
            bound = ctx.bound_payload()
            if bound is None:
                ctx.reply(ctx.t("button.not_yours"))
                return
            _, category, order_no = [*bound.split(":", 2), "", ""][:3]
        if category:
            await self.start_prefilled(ctx, category, order_no)  # checks the ticket limit
            return
        if not await steps.may_open_ticket(ctx):
            return
        convo.start(FLOW, "category")
        first = ctx.event.args.strip() if ctx.event.command == "complain" else ""
        await self.begin(ctx, first)

    async def start_from_text(self, ctx: Context, text: str) -> None:
        """Start from a message like "卡密用不了,我要投诉" (the complaint intent)."""
        if ctx.conversation.flow == FLOW or not await steps.may_open_ticket(ctx):
            return
        ctx.conversation.start(FLOW, "category")
        await self.begin(ctx, text, order_no=steps.extract_order_number(ctx, text) or "")

    async def start_prefilled(self, ctx: Context, category: str, order_no: str) -> None:
        """Start with what is already known (never ask for it again)."""
        if ctx.conversation.flow == FLOW or not await steps.may_open_ticket(ctx):
            return
        ctx.conversation.start(FLOW, "category")
        await self.begin(ctx, category, order_no=order_no)

    async def begin(self, ctx: Context, first: str = "", *, order_no: str = "") -> None:
        """Start the steps; ``first`` may already name the problem ("卡密用不了")."""
        category = category_from_text(first) if first else None
        if first:
            record(ctx, "user", first)
        if category is not None:
            ctx.conversation.update(category=category)
            if order_no:
                await steps.take_order_number(ctx, order_no)
                return
            await steps.ask_order(ctx)
            return
        ask(ctx, ctx.t("complaint.ask_category"), category_buttons(ctx))

    async def on_input(self, ctx: Context) -> None:
        event = ctx.event
        payload = event.payload
        text = unicodedata.normalize("NFKC", event.text).strip()
        cancel_words = re.fullmatch(r"(取消|取消投诉|不投诉了|cancel)", words.plain(text), re.I)
        if payload == "flow:cancel" or (not payload and cancel_words):
            ctx.conversation.finish()
            ctx.reply(ctx.t("cancelled"))
            return
        if text:
            record(ctx, "user", text)
        elif event.attachments:
            record(ctx, "user", f"[{event.attachments[0].kind}]")
        step = ctx.conversation.step or "category"
        handler = steps.HANDLERS.get(step)
        if handler is None:  # a step from an older version: start over politely
            log.warning("unknown complaint step %r; restarting the flow", step)
            ctx.conversation.advance("category")
            ask(ctx, ctx.t("complaint.ask_category"), category_buttons(ctx))
            return
        await handler(ctx, text, payload)
