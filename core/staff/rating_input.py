"""A rating typed instead of pressed: "5", "５", "5星", "五星", "⭐⭐⭐⭐⭐" sent in private while
the buyer's latest closed ticket still awaits its rating counts as pressing those stars.

The rating itself is saved by the star button's handler (the same checks: the buyer's own
closed ticket, once), so typing and pressing can never disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import bindparam, select

from core.context import Context
from core.model import EventKind
from core.storage.tables import TicketRatingRow, TicketRow, table_of
from core.tickets import service as tickets

# How long after the closing message a bare number is still read as its rating.
RATING_WINDOW = timedelta(days=7)

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_NUMBER = re.compile(r"([1-5]|[一二两三四五])\s*(星|颗星|分|星好评)?")
_STARS = re.compile(r"[⭐★🌟]{1,5}")

_TICKETS = table_of(TicketRow)
_RATINGS = table_of(TicketRatingRow)
_LATEST_CLOSED = (
    select(_TICKETS.c.id, _TICKETS.c.ticket_no, _TICKETS.c.closed_at)
    .where(
        _TICKETS.c.user_key == bindparam("user_key"),
        _TICKETS.c.status.in_(tickets.CLOSED_STATUSES),
    )
    .order_by(_TICKETS.c.updated_at.desc())
    .limit(1)
)
_RATED = select(_RATINGS.c.ticket_id).where(_RATINGS.c.ticket_id == bindparam("ticket_id"))


def parse_typed_rating(text: str) -> int | None:
    """1-5 from a typed rating, or None when the text is not one."""
    folded = unicodedata.normalize("NFKC", text).strip().rstrip("!！。.~～")
    folded = folded.replace("\ufe0f", "")  # the emoji presentation selector after ⭐
    if _STARS.fullmatch(folded):
        return len(folded)
    match = _NUMBER.fullmatch(folded)
    if match is None:
        return None
    digit = match[1]
    return int(digit) if digit.isdigit() else _CN[digit]


async def answer_typed_rating(ctx: Context, rate: Callable[[Context], Awaitable[None]]) -> bool:
    """Rate the buyer's latest closed, unrated ticket from a typed rating with ``rate`` (the
    star button's handler); False when the message is not such a rating."""
    event = ctx.event
    if not ctx.in_private or event.kind is not EventKind.MESSAGE or event.attachments:
        return False
    score = parse_typed_rating(event.text)
    if score is None:
        return False
    latest = (await ctx.session.execute(_LATEST_CLOSED, {"user_key": event.user.key})).first()
    if latest is None or latest.closed_at is None:
        return False
    if ctx.now - latest.closed_at > RATING_WINDOW:
        return False
    if await ctx.store.scalar(_RATED, {"ticket_id": latest.id}) is not None:
        return False
    ctx.event = replace(event, payload=f"rate:{latest.ticket_no}:{score}")
    await rate(ctx)
    return True
