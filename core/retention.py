"""Retention of the bot's working records: de-duplication keys, the lookup log, FAQ
answers and sent replies are deleted once older than ``[retention]`` says, in bounded batches (short
transactions, so events are never kept waiting behind one large delete).

Tickets, their transcripts and moderation cases are not touched here: they are the shop's
records (an operator's purge is a separate tool).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select

from core.config import RetentionConfig
from core.storage.database import Database
from core.storage.tables import FaqAnswerRow, LookupLogRow, ProcessedEventRow, ReplyOutboxRow

log = logging.getLogger(__name__)

BATCH = 5000


async def _delete_batches(
    db: Database,
    model: type[LookupLogRow] | type[FaqAnswerRow] | type[ReplyOutboxRow],
    older: ColumnElement[bool],
) -> int:
    removed = 0
    while True:
        async with db.transaction() as session:
            ids = select(model.id).where(older).limit(BATCH).scalar_subquery()
            result = await session.execute(delete(model).where(model.id.in_(ids)))
            count = int(result.rowcount)  # type: ignore[attr-defined]
        removed += count
        if count < BATCH:
            return removed


async def prune(db: Database, config: RetentionConfig, now: datetime) -> dict[str, int]:
    """Delete what is past its retention; how many rows of each kind went."""
    async with db.transaction() as session:
        result = await session.execute(
            delete(ProcessedEventRow).where(
                ProcessedEventRow.processed_at < now - timedelta(days=config.event_ids_days)
            )
        )
        events = int(result.rowcount)  # type: ignore[attr-defined]
    lookups = await _delete_batches(
        db,
        LookupLogRow,
        LookupLogRow.created_at < now - timedelta(days=config.lookup_log_days),
    )
    answers = await _delete_batches(
        db,
        FaqAnswerRow,
        FaqAnswerRow.created_at < now - timedelta(days=config.faq_answers_days),
    )
    replies = await _delete_batches(
        db,
        ReplyOutboxRow,
        (ReplyOutboxRow.created_at < now - timedelta(days=config.replies_days))
        & or_(ReplyOutboxRow.sent_at.is_not(None), ReplyOutboxRow.failed_at.is_not(None)),
    )
    removed = {
        "event_ids": events,
        "lookup_log": lookups,
        "faq_answers": answers,
        "replies": replies,
    }
    if any(removed.values()):
        log.info(
            "retention: removed %d de-duplication keys, %d lookup-log rows, %d FAQ answers, "
            "%d sent replies",
            events,
            lookups,
            answers,
            replies,
        )
    return removed
