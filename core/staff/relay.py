"""Between users and staff: a user's messages to a ticket in conversation with staff go to
the staff chats, and a closed ticket asks for a rating (1-5 stars and an optional comment).

The follow-up rule: a ticket is *in conversation* once staff have replied to it (``/reply``)
and until it is closed. While one is, every private message of its user goes to that ticket
(the newest such ticket), not only the first one, and not to the FAQ bot. Only the user's
explicit step ends that: a command or a button that starts or continues a flow.

An open flow and a staff conversation at once: the one the user turned to last owns their
free text. A staff reply after the user last moved the flow by a command or a button
*pauses* the flow (it was started before the reply), and so does leaving it untouched for
``STALE_FLOW``: the next messages go to staff, and each relay says that the flow is paused
and how to go on (``/complain`` asks the paused question again, ``/cancel`` drops it). Once
the user continues the flow by its command or one of its buttons, their answers go to the
flow again, until staff reply once more.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, func, or_, select

from core.business_time import add_business_hours
from core.context import Context
from core.masking import mask_sensitive
from core.model import Button
from core.numbers import parse_small_int
from core.staff import desk
from core.staff.rating_input import answer_typed_rating
from core.storage.tables import TicketEventRow, TicketRatingRow, TicketRow, table_of
from core.tickets import service as tickets

RATING_FLOW = "rating"
# A flow the user has not moved for this long while talking with staff is stale: their
# messages go to staff (the idle sweeper closes it later, conversation.idle_timeout_minutes).
STALE_FLOW = timedelta(minutes=10)
STAFF_REPLY = "staff_reply"  # the ticket event of a staff /reply

# Every private message asks this: built once (see EventTransaction.scalar).
_TICKETS = table_of(TicketRow)
_TICKET_IN_CONVERSATION = (
    select(_TICKETS.c.id)
    .where(
        _TICKETS.c.user_key == bindparam("user_key"),
        _TICKETS.c.first_response_at.is_not(None),
        or_(*(_TICKETS.c.status == status.value for status in tickets.OPEN_STATUSES)),
    )
    .order_by(_TICKETS.c.updated_at.desc(), _TICKETS.c.id.desc())
    .limit(1)
)


# The flows whose own command asks their paused question again.
_RESUME_HINTS = {"complaint": "staff.flow_paused_complaint"}


_EVENTS = table_of(TicketEventRow)
# Asked when a command or a button moves an open flow: built once.
_LATEST_TICKET_EVENT = select(func.max(_EVENTS.c.id))
_LATEST_STAFF_REPLY = select(func.max(_EVENTS.c.id)).where(
    _EVENTS.c.ticket_id == bindparam("ticket_id"), _EVENTS.c.kind == STAFF_REPLY
)


async def note_flow_engaged(ctx: Context) -> None:
    """The user moved their open flow with a command or a button: it owns their free text
    again, until staff reply once more. Positions in the ticket history order the two (a
    clock would not: two processes' clocks differ, and both can happen in one second)."""
    mark = await ctx.store.scalar(_LATEST_TICKET_EVENT, {})
    ctx.conversation.mark_engaged(int(mark or 0))


async def _flow_is_paused(ctx: Context, ticket_id: int) -> bool:
    """No flow is open, it is stale, or staff replied after the user last moved it."""
    convo = ctx.conversation
    if convo.flow is None or ctx.now - convo.updated_at > STALE_FLOW:
        return True
    replied = await ctx.store.scalar(_LATEST_STAFF_REPLY, {"ticket_id": ticket_id})
    return replied is not None and int(replied) > ctx.conversation.engaged_mark


async def relay_user_message(ctx: Context) -> bool:
    """A private message from a user whose ticket is in conversation with staff: pass it on.

    Called for every private message before an open flow sees it; False leaves the message
    to the flow or the FAQ bot.
    """
    if not ctx.in_private:
        return False
    params = {"user_key": ctx.event.user.key}
    ticket_id = await ctx.store.scalar(_TICKET_IN_CONVERSATION, params)
    if ticket_id is None:
        # A typed "5" / "五星" after the closing message rates the ticket; inside a flow the
        # same "5" answers the flow's step (this runs before flows see the message).
        if ctx.conversation.flow is None:
            return await answer_typed_rating(ctx, on_rate_button)
        return False
    if not await _flow_is_paused(ctx, ticket_id):
        return False
    ticket = await ctx.session.get(TicketRow, ticket_id, with_for_update=True)
    if ticket is None or ticket.status in tickets.CLOSED_STATUSES:
        return False  # closed since the unlocked read
    text = ctx.event.text.strip()
    for attachment in ctx.event.attachments:
        text += f"\n[{attachment.kind}] {attachment.ref}"
    if not text:
        return False
    tickets.append_transcript(ticket, "user", text)
    status = None
    if ticket.status == tickets.TicketStatus.WAITING_USER.value:
        # The user answered: staff owe the next response within the simple-ticket time.
        # Further messages before staff answer keep that due time.
        config = ctx.services.config
        ticket.due_at = add_business_hours(
            ctx.now,
            config.sla.simple_first_response_hours,
            config.sla,
            config.conversation.timezone,
        )
        status = tickets.TicketStatus.WAITING_STAFF
    elif ticket.status != tickets.TicketStatus.WAITING_STAFF.value:
        status = tickets.TicketStatus.WAITING_STAFF
    await tickets.record_change(
        ctx.session, ticket, kind="user_reply", actor_key=ctx.event.user.key, now=ctx.now,
        status=status,
    )  # fmt: skip
    desk.tell_staff(
        ctx,
        ticket.ticket_no,
        ctx.t(
            "staff.user_answered",
            ticket_no=ticket.ticket_no,
            user=ticket.user_name,
            # Attachments in words ("（图片）"): staff get the file itself beside the note.
            text=mask_sensitive(
                desk.readable(
                    ctx.services.texts, ctx.services.config.conversation.default_locale, text
                )
            ),
        ),
        attachments=ctx.event.attachments,
    )
    lines = [ctx.t("staff.relayed", ticket_no=ticket.ticket_no)]
    flow = ctx.conversation.flow
    if flow is not None:
        lines.append(ctx.t(_RESUME_HINTS.get(flow, "staff.flow_paused")))
    ctx.reply("\n".join(lines))
    return True


async def on_rate_button(ctx: Context) -> None:
    """ "rate:<ticket no>:<1-5>" from the closing message.

    A payload can be forged, so it rates only a closed ticket of the presser's own, once;
    anything else is refused politely and changes nothing. Someone else's ticket gets the
    same answer as a missing one (no ticket numbers are confirmed to strangers).
    """
    _, number, raw = [*ctx.event.payload.split(":", 2), "", ""][:3]
    score = parse_small_int(raw, 1, 5)
    found = await tickets.get_by_number(ctx.session, number[:40]) if number else None
    if found is None or found.user_key != ctx.event.user.key or score is None:
        ctx.reply(ctx.t("rating.invalid"))
        return
    # Lock the ticket: two presses of the stars at once must not both rate it.
    ticket = await ctx.session.get(TicketRow, found.id, with_for_update=True)
    if ticket is None:
        ctx.reply(ctx.t("rating.invalid"))
        return
    if ticket.status not in tickets.CLOSED_STATUSES:
        ctx.reply(ctx.t("rating.not_closed", ticket_no=ticket.ticket_no))
        return
    if await ctx.session.get(TicketRatingRow, ticket.id) is not None:
        ctx.reply(ctx.t("rating.already"))
        return
    ctx.session.add(
        TicketRatingRow(ticket_id=ticket.id, score=score, comment="", created_at=ctx.now)
    )
    ctx.conversation.start(RATING_FLOW, "comment", {"ticket_id": ticket.id})
    skip = Button(label=ctx.t("complaint.skip"), payload="flow:skip")
    ctx.reply(ctx.t("rating.thanks", score=score), ((skip,),))


class RatingCommentFlow:
    """One optional step after the stars: a comment, saved once, on the presser's own rating."""

    name = RATING_FLOW

    async def start(self, ctx: Context) -> None:  # only entered from on_rate_button
        return None

    async def on_input(self, ctx: Context) -> None:
        ticket_id = ctx.conversation.data.get("ticket_id")
        text = ctx.event.text.strip()
        ctx.conversation.finish()
        rating = (
            await ctx.session.get(TicketRatingRow, ticket_id)
            if isinstance(ticket_id, int)
            else None
        )
        ticket = await ctx.session.get(TicketRow, ticket_id) if rating is not None else None
        mine = ticket is not None and ticket.user_key == ctx.event.user.key
        skipped = ctx.event.payload == "flow:skip" or not text
        if mine and rating is not None and not rating.comment and not skipped:
            rating.comment = mask_sensitive(text)[:500]
            ctx.reply(ctx.t("rating.comment_saved"))
            return
        ctx.reply(ctx.t("rating.done"))
