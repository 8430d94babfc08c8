"""One forum topic (Telegram) or thread (Discord) per ticket in a staff chat.

Adapters that can open threads record them here when they post a ticket's card, look them
up to post later updates of the same ticket into its thread, and the core maps a staff
message written inside a ticket's thread to a ``/reply`` for that ticket.
"""

from __future__ import annotations

from sqlalchemy import select

from core.clock import Clock
from core.storage.database import Database
from core.storage.repository import insert_or_ignore
from core.storage.tables import TicketThreadRow


class TicketThreads:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def remember(self, platform: str, chat_id: str, ticket_no: str, thread_id: str) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                insert_or_ignore(
                    session,
                    TicketThreadRow,
                    platform=platform,
                    chat_id=chat_id,
                    ticket_no=ticket_no,
                    thread_id=thread_id,
                    created_at=self.clock.now(),
                )
            )

    async def thread_for(self, platform: str, chat_id: str, ticket_no: str) -> str | None:
        async with self.db.sessionmaker() as session:
            row = await session.get(TicketThreadRow, (platform, chat_id, ticket_no))
            return row.thread_id if row is not None else None

    async def ticket_for(self, platform: str, chat_id: str, thread_id: str) -> str | None:
        async with self.db.sessionmaker() as session:
            query = select(TicketThreadRow.ticket_no).where(
                TicketThreadRow.platform == platform,
                TicketThreadRow.chat_id == chat_id,
                TicketThreadRow.thread_id == thread_id,
            )
            return (await session.execute(query.limit(1))).scalar_one_or_none()
