"""Free text outside a flow: classify it and let the intent decide what happens.

In private every intent leads somewhere useful (the support answer, the complaint flow, a
lookup, the user's tickets, the verify help, an FAQ answer, a polite word for a greeting or a
thank-you, or an honest "not sure" with a human on offer).

In a group the bot answers every clear after-sales request, and only those: a short public
line with a button to continue in private, where anything personal belongs. A request is
clear when the classifier is sure of an after-sales intent (``faq.group_min_score``), or
fairly sure (``faq.min_score``) and the message names the problem outright (投诉, 退款,
没到账…) or is addressed to the bot. Chatter, praise and greetings to others get silence; a
greeting or thank-you addressed to the bot gets a polite word. What the shop's staff and
official accounts say in a group is never taken for a buyer's request. The group throttle only stops
repeats of the same topic (see :mod:`core.group_throttle`).
"""

from __future__ import annotations

from dataclasses import replace

from core.complaint.flow import ComplaintFlow
from core.complaint.steps import extract_order_number
from core.context import Context
from core.handlers import faq, support, tickets
from core.handlers.official_ids import accounts_text
from core.handlers.verify import VerifyFlow, verify_text
from core.moderation.contacts import find_contacts
from core.nlu import intents as ids
from core.nlu.decide import decide
from core.nlu.smalltalk import small_talk, states_a_problem, thanks_in
from core.selfservice import lookups
from core.staff import commands as staff_commands

# Requests whose public answer serves everybody reading the group: another member's repeat
# within the chat's cool-down is answered by the message already there.
SHARED_TOPICS = frozenset({ids.FIND_SUPPORT, ids.VERIFY_OFFICIAL, ids.SERVICE_HOURS})

# Personal requests: (the public line, the private continuation's deep-link payload).
_GROUP_REPLIES: dict[str, tuple[str, str]] = {
    ids.COMPLAINT: ("group.complaint", "complain"),
    ids.REFUND: ("group.refund", "complain"),
    ids.ESCALATE: ("group.escalate", "escalate"),
    ids.TICKET_STATUS: ("group.ticket", "ticket"),
    ids.CARD_INVALID: ("group.go_private", "complain"),
    ids.RECHARGE_FAILED: ("group.go_private", "complain"),
    ids.RECHARGE_PROGRESS: ("group.go_private", "complain"),
    ids.DELIVERY_DELAY: ("group.go_private", "complain"),
    ids.CARD_USAGE: ("group.go_private", "support"),
    ids.ACCOUNT_ISSUE: ("group.private_help", "complain"),
    ids.BULK_PURCHASE: ("group.private_help", "support"),
}


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
        _group(ctx, intent, score, text)


def _allowed(ctx: Context, topic: str, *, shared: bool) -> bool:
    return ctx.services.group_throttle.allow(
        chat_key=ctx.event.chat.key,
        user_key=ctx.event.user.key,
        topic=topic,
        now=ctx.now,
        shared=shared,
    )


def is_clear_request(ctx: Context, intent: str, score: float, text: str) -> bool:
    """Whether a group message is an after-sales request the bot should answer."""
    if intent == ids.OTHER:
        return False
    faq_config = ctx.services.config.faq
    if score >= faq_config.group_min_score:
        return True
    return score >= faq_config.min_score and (ctx.event.is_to_me or states_a_problem(text))


def _group(ctx: Context, intent: str, score: float, text: str) -> None:
    addressed = ctx.event.is_to_me
    user = ctx.event.user
    if not addressed and (ctx.is_staff() or ctx.services.official_account(user.platform, user.id)):
        return  # the shop's own people talking to buyers ("退款请找客服…") are not requests
    brand = ctx.services.config.brand.name
    talk = small_talk(text)
    if talk is not None or not is_clear_request(ctx, intent, score, text):
        # Not a request: silence, unless it was said to the bot (then once per cool-down).
        if addressed and _allowed(ctx, talk or ids.OTHER, shared=False):
            if talk is not None:
                ctx.reply(ctx.t(f"smalltalk.{talk}", brand=brand))
            else:
                ctx.reply(
                    ctx.t("group.fallback", brand=brand), ((ctx.private_button("support"),),)
                )
        return
    if not _allowed(ctx, intent, shared=intent in SHARED_TOPICS) and not addressed:
        return
    if intent == ids.FIND_SUPPORT:
        support.answer_support(ctx)
    elif intent == ids.VERIFY_OFFICIAL:
        ctx.reply(ctx.t("group.verify_hint", accounts=accounts_text(ctx)))
    elif intent == ids.SERVICE_HOURS:
        support.answer_hours(ctx)
    else:
        key, payload = _GROUP_REPLIES.get(intent, ("group.private_help", "support"))
        ctx.reply(ctx.t(key), ((ctx.private_button(payload),),))


async def _private(ctx: Context, intent: str, score: float, text: str) -> None:
    talk = small_talk(text)
    if talk is not None:
        ctx.reply(ctx.t(f"smalltalk.{talk}", brand=ctx.services.config.brand.name))
        return
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
        ctx.reply(ctx.t("smalltalk.thanks" if thanks_in(text) else "fallback"))
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
