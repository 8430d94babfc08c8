"""Rating buttons are payloads a client can forge (issue 20, finding 10): a buyer rates only a
closed ticket of their own, once; anything else is refused politely and changes nothing."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from bots.app import App
from core.model import Chat, Event, EventKind, User
from core.storage.tables import TicketRatingRow, TicketRow
from tests.helpers import ALICE, DM, event, texts
from tests.test_staff_desk import complain, staff, the_ticket

_ids = itertools.count()
MALLORY = User(platform="telegram", id="666", display_name="Mallory", username="mallory")
MALLORY_DM = Chat(platform="telegram", id="666", is_private=True)


async def press(app: App, payload: str, user: User = ALICE) -> str:
    chat = DM if user == ALICE else MALLORY_DM
    pressed = Event(
        kind=EventKind.BUTTON, event_id=f"rate-{next(_ids)}", user=user, chat=chat, payload=payload
    )
    return texts(await app.engine.handle(pressed))


async def ratings(app: App) -> list[TicketRatingRow]:
    async with app.db.transaction() as session:
        return list((await session.execute(select(TicketRatingRow))).scalars())


async def test_an_open_ticket_cannot_be_rated(app: App) -> None:
    await complain(app)
    ticket: TicketRow = await the_ticket(app)
    assert ticket.status not in ("resolved", "closed")
    answer = await press(app, f"rate:{ticket.ticket_no}:1")
    assert "还在处理中" in answer and "感谢" not in answer
    assert await ratings(app) == []
    # The next message is ordinary talk, not a rating comment.
    talk = await app.engine.handle(event("差评", event_id=f"txt-{next(_ids)}"))
    assert "评价已收到" not in texts(talk)
    assert (await the_ticket(app)).status == ticket.status


async def test_someone_elses_ticket_cannot_be_rated(app: App) -> None:
    await complain(app)
    ticket = await the_ticket(app)
    await staff(app, f"/close {ticket.ticket_no} 已补发")
    answer = await press(app, f"rate:{ticket.ticket_no}:1", user=MALLORY)
    assert "无效" in answer and ticket.ticket_no not in answer
    assert await ratings(app) == []
    # A ticket that does not exist gets the same answer: no numbers are confirmed.
    assert await press(app, "rate:T-999999:1", user=MALLORY) == answer


async def test_a_closed_ticket_is_rated_once_with_valid_stars_only(app: App) -> None:
    await complain(app)
    ticket = await the_ticket(app)
    await staff(app, f"/close {ticket.ticket_no} 已补发")
    for stars in ("0", "6", "፩", "-1", "9" * 30, ""):
        assert "无效" in await press(app, f"rate:{ticket.ticket_no}:{stars}")
    assert await ratings(app) == []
    assert "4 星" in await press(app, f"rate:{ticket.ticket_no}:4")
    assert "已经评过分" in await press(app, f"rate:{ticket.ticket_no}:1")
    [rating] = await ratings(app)
    assert rating.score == 4
