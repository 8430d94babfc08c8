"""Staff commands in a staff chat: ``/claim <no>``, ``/reply <no> <text>``, ``/close <no>
<reason>``, ``/escalate <no>`` (and the buttons on the ticket card).

Only staff may use them, only in a staff chat: ``staff.members``, or an admin of that staff
chat. Everyone else gets a polite refusal and nothing changes. A user's own ``/escalate``
(outside the staff chat) asks to escalate their open ticket once its due time has passed.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import select

from core.complaint.facts import local_time
from core.complaint.prompts import tz_of
from core.context import Context
from core.model import Attachment, Button, SendPrivate, User
from core.people import person
from core.staff import desk, sla
from core.storage.tables import TicketRow, TicketThreadRow
from core.tickets import service as tickets

log = logging.getLogger(__name__)


async def is_staff_here(ctx: Context) -> bool:
    if not desk.in_staff_chat(ctx):
        return False
    # Not ``is_moderator``: a community moderator (``moderation.moderators``) is not staff.
    return ctx.is_staff() or await ctx.is_chat_admin()


def _tell_user(
    ctx: Context,
    ticket: TicketRow,
    text: str,
    buttons: tuple[tuple[Button, ...], ...] = (),
    attachments: tuple[Attachment, ...] = (),
) -> None:
    ctx.actions.append(
        SendPrivate(
            user=User.from_key(ticket.user_key, ticket.user_name),
            text=text,
            buttons=buttons,
            attachments=attachments,
        )
    )


def portable(
    attachments: tuple[Attachment, ...], source: str, target: str
) -> tuple[Attachment, ...]:
    """Attachments that can be passed on: platform file ids only work on their own platform."""
    return attachments if source == target else ()


async def _target(ctx: Context) -> tuple[TicketRow | None, str]:
    """The ticket named first in the command (or the button), and the rest of the text."""
    if ctx.event.payload.startswith("staff:"):
        number, rest = ctx.event.payload.split(":", 2)[2], ""
    else:
        first, _, rest = ctx.event.args.strip().partition(" ")
        number = first
    ticket_no = tickets.normalise_number(number)
    ticket = await tickets.get_by_number(ctx.session, ticket_no) if ticket_no else None
    if ticket is None:
        ctx.reply(ctx.t("staff.no_such_ticket", ticket_no=number[:20] or "—"))
    return ticket, rest.strip()


def _agent_name(ctx: Context) -> str:
    brand = ctx.services.config.brand.name
    if ctx.services.config.staff.show_names and ctx.event.user.display_name:
        return ctx.t("staff.signature_named", brand=brand, name=ctx.event.user.display_name)
    return ctx.t("staff.signature", brand=brand)


async def on_claim(ctx: Context) -> None:
    if not await _staff_only(ctx):
        return
    ticket, _ = await _target(ctx)
    if ticket is None or _closed(ctx, ticket):
        return
    ticket.assignee_key = ctx.event.user.key
    await tickets.record_change(
        ctx.session, ticket, kind="claimed", actor_key=ctx.event.user.key, now=ctx.now,
        status=tickets.TicketStatus.WAITING_STAFF,
    )  # fmt: skip
    agent = ctx.event.user
    name = person(ctx.services.texts, ctx.locale, agent.platform, agent.id, username=agent.username)
    shown = agent.display_name or name
    ctx.reply(ctx.t("staff.claimed", ticket_no=ticket.ticket_no, agent=shown))
    _tell_user(ctx, ticket, ctx.t("staff.user_claimed", ticket_no=ticket.ticket_no))


async def on_reply(ctx: Context) -> None:
    if not await _staff_only(ctx):
        return
    ticket, text = await _target(ctx)
    if ticket is None or _closed(ctx, ticket):
        return
    files = ctx.event.attachments
    if not text and not files:
        ctx.reply(ctx.t("staff.reply_usage", ticket_no=ticket.ticket_no))
        return
    passed = portable(files, ctx.event.platform, ticket.platform)
    if files and not passed:
        text += "\n" + ctx.t("staff.attachment_not_passed", count=len(files))
    if ticket.first_response_at is None:
        ticket.first_response_at = ctx.now
    if not ticket.assignee_key:
        ticket.assignee_key = ctx.event.user.key
    tickets.append_transcript(
        ticket, "staff", text + "".join(f"\n[{f.kind}] {f.ref}" for f in files)
    )
    await tickets.record_change(
        ctx.session, ticket, kind="staff_reply", actor_key=ctx.event.user.key, now=ctx.now,
        status=tickets.TicketStatus.WAITING_USER,
    )  # fmt: skip
    _tell_user(
        ctx,
        ticket,
        ctx.t("staff.user_reply", agent=_agent_name(ctx), ticket_no=ticket.ticket_no, text=text),
        attachments=passed,
    )
    ctx.reply(ctx.t("staff.reply_sent", ticket_no=ticket.ticket_no))


async def on_close(ctx: Context) -> None:
    if not await _staff_only(ctx):
        return
    ticket, reason = await _target(ctx)
    if ticket is None or _closed(ctx, ticket):
        return
    if not reason:
        ctx.reply(ctx.t("staff.close_usage", ticket_no=ticket.ticket_no))
        return
    ticket.closed_at = ctx.now
    await tickets.record_change(
        ctx.session, ticket, kind="closed", actor_key=ctx.event.user.key, now=ctx.now,
        status=tickets.TicketStatus.RESOLVED, reason=reason[:300],
    )  # fmt: skip
    stars = tuple(
        Button(label="⭐" * n, payload=f"rate:{ticket.ticket_no}:{n}") for n in range(1, 6)
    )
    _tell_user(
        ctx,
        ticket,
        ctx.t("staff.user_closed", ticket_no=ticket.ticket_no, reason=reason),
        (stars[:3], stars[3:]),
    )
    ctx.reply(ctx.t("staff.closed", ticket_no=ticket.ticket_no))


async def on_escalate(ctx: Context) -> None:
    """Staff: escalate now. A user (outside the staff chat): escalate once overdue."""
    if not desk.in_staff_chat(ctx):
        await _user_escalate(ctx)
        return
    if not await _staff_only(ctx):
        return
    ticket, _ = await _target(ctx)
    if ticket is None or _closed(ctx, ticket):
        return
    actions = await sla.escalate(
        ctx.session, ticket, config=ctx.services.config, texts=ctx.services.texts, now=ctx.now,
        actor_key=ctx.event.user.key, reason="staff", metrics=ctx.services.metrics,
    )  # fmt: skip
    if not actions:
        ctx.reply(ctx.t("staff.top_level", ticket_no=ticket.ticket_no))
        return
    ctx.actions += actions


async def _user_escalate(ctx: Context) -> None:
    ticket = await tickets.latest_open(ctx.session, ctx.event.user.key)
    if ticket is None:
        button = Button(label=ctx.t("faq.complain"), payload="complain")
        ctx.reply(ctx.t("escalate.no_ticket"), ((button,),))
        return
    if ctx.now < ticket.due_at:
        due = local_time(ticket.due_at, tz_of(ctx), locale=ctx.locale)
        ctx.send_private(ctx.t("staff.user_not_due", ticket_no=ticket.ticket_no, due=due))
        return
    actions = await sla.escalate(
        ctx.session, ticket, config=ctx.services.config, texts=ctx.services.texts, now=ctx.now,
        actor_key=ctx.event.user.key, reason="user", metrics=ctx.services.metrics,
    )  # fmt: skip
    if not actions:
        ctx.send_private(ctx.t("staff.user_top_level", ticket_no=ticket.ticket_no))
        return
    ctx.actions += actions


async def reply_in_thread(ctx: Context) -> bool:
    """Staff writing inside a ticket's thread of a staff chat: that is a /reply."""
    event = ctx.event
    if ctx.in_private or not event.chat.thread_id or not desk.in_staff_chat(ctx):
        return False
    query = select(TicketThreadRow.ticket_no).where(
        TicketThreadRow.platform == event.platform,
        TicketThreadRow.chat_id == event.chat.id,
        TicketThreadRow.thread_id == event.chat.thread_id,
    )
    ticket_no = (await ctx.session.execute(query.limit(1))).scalar_one_or_none()
    if ticket_no is None or not await is_staff_here(ctx):
        return False
    ctx.event = replace(event, command="reply", args=f"{ticket_no} {event.text}".strip())
    await on_reply(ctx)
    return True


async def on_staff_button(ctx: Context) -> None:
    """The ticket card's buttons: "staff:<verb>:<ticket no>"."""
    verb = _button_verb(ctx.event.payload)
    if verb == "claim":
        await on_claim(ctx)
    elif verb == "escalate":
        if await _staff_only(ctx):
            await on_escalate(ctx)
    elif verb in ("reply", "close") and await _staff_only(ctx):
        number = ctx.event.payload.split(":", 2)[2]
        ctx.reply(ctx.t(f"staff.{verb}_usage", ticket_no=number[:20]))


async def _staff_only(ctx: Context) -> bool:
    if await is_staff_here(ctx):
        return True
    # A card button has no command: name the button's verb ("staff:claim:T-1" → /claim).
    verb = ctx.event.command or _button_verb(ctx.event.payload)
    # Only the one refused sees it where the platform can (Discord: an ephemeral answer,
    # even to a card button in the staff channel, where answers are otherwise public).
    ctx.reply(ctx.t("staff.refused", command=verb or "claim"), ephemeral=True)
    return False


def _button_verb(payload: str) -> str:
    """The verb of a card button's payload ("staff:claim:T-1" → "claim"), else ""."""
    return payload.split(":", 2)[1] if payload.count(":") >= 2 else ""


def _closed(ctx: Context, ticket: TicketRow) -> bool:
    if ticket.status in tickets.CLOSED_STATUSES:
        ctx.reply(ctx.t("staff.already_closed", ticket_no=ticket.ticket_no))
        return True
    return False
