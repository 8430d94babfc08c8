"""Between users and staff: a user's answer to a staff reply goes back to the staff chats,
and a closed ticket asks for a rating (1-5 stars and an optional comment)."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from core.business_time import add_business_hours
from core.context import Context
from core.masking import mask_sensitive
from core.model import Button
from core.numbers import parse_small_int
from core.staff import desk
from core.staff.rating_input import answer_typed_rating
from core.storage.tables import TicketRatingRow, TicketRow, table_of
from core.tickets import service as tickets

RATING_FLOW = "rating"

# Every private message outside a flow asks this: built once (see EventTransaction.scalar).
_TICKETS = table_of(TicketRow)
_TICKET_AWAITING_USER = (
    select(_TICKETS.c.id)
    .where(
        _TICKETS.c.user_key == bindparam("user_key"),
        _TICKETS.c.status == tickets.TicketStatus.WAITING_USER.value,
    )
    .order_by(_TICKETS.c.updated_at.desc())
    .limit(1)
)


async def relay_user_message(ctx: Context) -> bool:
    """A private message from a user whose ticket awaits their answer: pass it to staff."""
    if not ctx.in_private:
        return False
    params = {"user_key": ctx.event.user.key}
    ticket_id = await ctx.store.scalar(_TICKET_AWAITING_USER, params)
    if ticket_id is None:  # a typed "5" / "五星" after the closing message rates the ticket
        return await answer_typed_rating(ctx, on_rate_button)
    ticket = await ctx.session.get(TicketRow, ticket_id, with_for_update=True)
    if ticket is None or ticket.status != tickets.TicketStatus.WAITING_USER.value:
        return False  # closed or answered by staff since the unlocked read
    text = ctx.event.text.strip()
    for attachment in ctx.event.attachments:
        text += f"\n[{attachment.kind}] {attachment.ref}"
    if not text:
        return False
    tickets.append_transcript(ticket, "user", text)
    # The user answered: staff owe the next response within the simple-ticket time.
    config = ctx.services.config
    ticket.due_at = add_business_hours(
        ctx.now, config.sla.simple_first_response_hours, config.sla, config.conversation.timezone
    )
    await tickets.record_change(
        ctx.session, ticket, kind="user_reply", actor_key=ctx.event.user.key, now=ctx.now,
        status=tickets.TicketStatus.WAITING_STAFF,
    )  # fmt: skip
    desk.tell_staff(
        ctx,
        ticket.ticket_no,
        ctx.t(
            "staff.user_answered",
            ticket_no=ticket.ticket_no,
            user=ticket.user_name,
            text=mask_sensitive(text),
        ),
        attachments=ctx.event.attachments,
    )
    ctx.reply(ctx.t("staff.relayed", ticket_no=ticket.ticket_no))
    return True


_CLOSED = (tickets.TicketStatus.RESOLVED.value, tickets.TicketStatus.CLOSED.value)


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
    if ticket.status not in _CLOSED:
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
