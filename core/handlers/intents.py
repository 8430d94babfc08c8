"""Free text outside a flow: classify it and let the intent decide what happens.

In private every intent leads somewhere useful (the support answer, the complaint flow, a
lookup, the user's tickets, the verify help, an FAQ answer, or an honest "not sure" with a
human on offer). In a group the bot speaks unprompted only to clear support questions, and
briefly, within the group throttle; anything personal moves to the private chat.
"""

from __future__ import annotations

from dataclasses import replace

from core.complaint.flow import ComplaintFlow
from core.complaint.steps import extract_order_number
from core.context import Context
from core.handlers import faq, support, tickets
from core.handlers.official_ids import accounts_text
from core.handlers.verify import VerifyFlow, verify_text
from core.model import Button, ButtonStyle
from core.moderation.contacts import find_contacts
from core.nlu import intents as ids
from core.nlu.decide import decide
from core.selfservice import lookups
from core.staff import commands as staff_commands

GROUP_TOPICS = frozenset(
    {
        ids.FIND_SUPPORT,
        ids.VERIFY_OFFICIAL,
        ids.CARD_INVALID,
        ids.RECHARGE_FAILED,
        ids.RECHARGE_PROGRESS,
        ids.DELIVERY_DELAY,
    }
)


async def route_message(ctx: Context) -> None:
    text = ctx.event.text.strip()
    if not text:
        if ctx.in_private:
            ctx.reply(ctx.t("fallback"))
        return
    if await lookups.answer_pasted_identifier(ctx):  # a bare order number or card key
        return
    result = decide(ctx.services.classifier, text)
    intent, score = result.intent, result.score
    if ctx.in_private:
        await _private(ctx, intent, score, text)
    else:
        await _group(ctx, intent, score)


async def _group(ctx: Context, intent: str, score: float) -> None:
    faq_config = ctx.services.config.faq
    addressed = ctx.event.is_to_me
    if not addressed and (intent not in GROUP_TOPICS or score < faq_config.group_min_score):
        return
    throttle = ctx.services.group_throttle
    allowed = throttle.allow(
        chat_key=ctx.event.chat.key, user_key=ctx.event.user.key, topic=intent, now=ctx.now
    )
    if not allowed and not addressed:
        return
    if intent == ids.FIND_SUPPORT and score >= faq_config.min_score:
        support.answer_support(ctx)
        return
    if intent == ids.VERIFY_OFFICIAL and score >= faq_config.min_score:
        ctx.reply(ctx.t("group.verify_hint", accounts=accounts_text(ctx)))
        return
    payload = "complain" if intent in GROUP_TOPICS else "support"
    button = Button(
        label=ctx.t("support.private_button"), payload=payload, style=ButtonStyle.PRIVATE
    )
    ctx.reply(ctx.t("group.go_private"), ((button,),))


async def _private(ctx: Context, intent: str, score: float, text: str) -> None:
    if score < ctx.services.config.faq.min_score:
        await faq.answer_unsure(ctx, score)
        return
    if intent == ids.FIND_SUPPORT:
        support.answer_support(ctx)
    elif intent == ids.COMPLAINT:
        await ComplaintFlow().start_from_text(ctx, text)
    elif intent == ids.TICKET_STATUS:
        await tickets.on_ticket(replace_args(ctx, ""))
    elif intent == ids.VERIFY_OFFICIAL:
        contacts = find_contacts(text)
        if contacts:
            await verify_text(ctx, contacts[0])
        else:
            await VerifyFlow().start(replace_args(ctx, ""))
    elif intent == ids.ESCALATE:
        await staff_commands.on_escalate(replace_args(ctx, ""))
    elif intent == ids.OTHER:
        ctx.reply(ctx.t("fallback"))
    elif await _lookup_if_given(ctx, intent, text):
        return
    elif not await faq.answer_faq(ctx, intent, score):
        await faq.answer_unsure(ctx, score)


async def _lookup_if_given(ctx: Context, intent: str, text: str) -> bool:
    """The message already holds what a lookup needs: answer with the shop's facts."""
    keys = [found.key for found in ctx.services.card_keys.find(text)]
    if intent in (ids.CARD_INVALID, ids.CARD_USAGE) and keys:
        await lookups.on_card(replace_args(ctx, keys[0], command="card"))
        return True
    if intent not in (
        ids.CARD_INVALID,
        ids.RECHARGE_FAILED,
        ids.RECHARGE_PROGRESS,
        ids.DELIVERY_DELAY,
    ):
        return False
    order_no = extract_order_number(ctx, text)
    if order_no is None:
        return False
    if intent in (ids.RECHARGE_FAILED, ids.RECHARGE_PROGRESS):
        await lookups.on_recharge(replace_args(ctx, order_no, command="recharge"))
    else:
        await lookups.on_order(replace_args(ctx, order_no, command="order"))
    return True


def replace_args(ctx: Context, args: str, *, command: str = "") -> Context:
    """The same context, as if the user had typed ``/command args``."""
    ctx.event = replace(ctx.event, args=args, command=command or ctx.event.command)
    return ctx
