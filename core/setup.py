"""Wires the handlers into a :class:`Router`: which command, flow and message goes where."""

from __future__ import annotations

from core.complaint.flow import ComplaintFlow
from core.context import Context
from core.handlers import faq, guard, intents, moderation, support, tickets
from core.handlers.verify import VerifyFlow
from core.router import Router
from core.selfservice import lookups, privacy, reissue
from core.selfservice.lookup_flow import LookupFlow
from core.staff import commands as staff_commands
from core.staff import relay


async def on_message(ctx: Context) -> None:
    """Free text outside a flow: guard checks in groups, then support questions.

    A private message to a ticket in conversation with staff never gets here: the router
    offers private text to the staff relay first (``Router.take_private_text``).
    """
    if await staff_commands.reply_in_thread(ctx):
        return
    if not ctx.in_private and (
        privacy.protect_card_keys(ctx) or await guard.screen_group_message(ctx)
    ):
        return
    await intents.route_message(ctx)


def build_router() -> Router:
    router = Router()
    router.command("start", support.on_start)
    router.command("help", support.on_help)
    router.command("support", support.on_support)
    router.command("flag", moderation.on_flag)
    router.command("unflag", moderation.on_unflag)
    router.command("flags", moderation.on_flags)
    router.flow(VerifyFlow(), command="verify")
    router.flow(ComplaintFlow(), command="complain")
    router.command("ticket", tickets.on_ticket)
    router.command("order", lookups.on_order)
    router.command("card", lookups.on_card)
    router.command("recharge", lookups.on_recharge)
    router.buttons["reissue"] = reissue.on_reissue_button
    router.flow(LookupFlow())
    router.buttons["lookup"] = LookupFlow().start
    router.buttons["faq"] = faq.on_feedback
    router.buttons["human"] = faq.on_human
    router.command("claim", staff_commands.on_claim)
    router.command("reply", staff_commands.on_reply)
    router.command("close", staff_commands.on_close)
    router.command("escalate", staff_commands.on_escalate)
    router.buttons["staff"] = staff_commands.on_staff_button
    router.buttons["rate"] = relay.on_rate_button
    router.flow(relay.RatingCommentFlow())
    router.deep_links.update({"complain", "ticket", "escalate"})
    router.on_message = on_message
    router.take_private_text = relay.relay_user_message
    router.on_flow_engaged = relay.note_flow_engaged
    router.on_member = guard.on_member
    router.on_new_identity_in_group = guard.on_new_identity
    # Reserved for moderators and staff: a reported suspect is still refused, politely.
    router.checked.update({"flag", "unflag", "flags", "claim", "reply", "close", "escalate"})
    router.checked.add("staff")  # the staff card's buttons
    return router
