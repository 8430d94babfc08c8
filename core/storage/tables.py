"""ORM tables. Every schema change also gets an Alembic migration in ``migrations/``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ForeignKey, Index, Integer, String, Table, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.storage.types import JsonDict, UTCDateTime


class Base(DeclarativeBase):
    pass


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, for prebuilt statements on hot paths."""
    return cast(Table, model.__table__)


class ConversationRow(Base):
    """One row per user (platform-prefixed id): their open flow, its step and answers.

    Saved after every step, so a restarted or second process continues the conversation.
    ``version`` is bumped on every write (optimistic concurrency check).
    """

    __tablename__ = "conversations"

    user_key: Mapped[str] = mapped_column(String(160), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(256), default="")
    username: Mapped[str] = mapped_column(String(256), default="")
    locale: Mapped[str] = mapped_column(String(8), default="")
    flow: Mapped[str | None] = mapped_column(String(64), nullable=True)
    step: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)
    private_chat_id: Mapped[str] = mapped_column(String(160), default="")
    flow_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_conversations_flow_updated", "flow", "updated_at"),
        # "/flag @handle", "/verify @handle": a user by handle, whatever its case.
        Index("ix_conversations_platform_username", "platform", func.lower(username)),
    )
    # Optimistic check on top of the row lock: a lost update raises instead of overwriting.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own idiom


class ProcessedEventRow(Base):
    """Inbound events already handled, keyed by (platform, event id); survives restarts."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(160), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ModerationCaseRow(Base):
    """An append-only moderation case (modelled on Zeppelin's Case): who did what to whom,
    why, when, with a snapshot of the target's name and handle at that moment."""

    __tablename__ = "moderation_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(16))  # flag | unflag | suspect
    target_key: Mapped[str] = mapped_column(String(160), index=True)
    target_name: Mapped[str] = mapped_column(String(256), default="")
    target_username: Mapped[str] = mapped_column(String(256), default="")
    actor_key: Mapped[str] = mapped_column(String(160))  # a moderator, or "bot"
    actor_name: Mapped[str] = mapped_column(String(256), default="")
    reason: Mapped[str] = mapped_column(String(1000), default="")
    chat_key: Mapped[str] = mapped_column(String(160), default="")
    # Where the case applies: "*" (a global moderator's, or from before scopes existed) or
    # the community ("platform:id") whose admin opened it.
    scope: Mapped[str] = mapped_column(String(160), default="*")
    evidence_message_id: Mapped[str] = mapped_column(String(64), default="")
    evidence_text: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_moderation_cases_actor_created", "actor_key", "created_at"),)


class CaseNoteRow(Base):
    """A note appended to a case; notes are never edited or deleted."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_cases.id"), index=True)
    author_key: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FlaggedAccountRow(Base):
    """Accounts flagged as impostors now (a projection of the cases, kept in step with them).

    One row per account and scope: ``*`` for a flag set by a global moderator (it applies in
    every community), else the community where an admin set it (it applies there only). A
    ``target_key`` of the form ``platform:@handle`` is a pending flag on a handle the bot
    has not seen yet; it is bound to the account's id when the handle shows up.
    """

    __tablename__ = "flagged_accounts"

    target_key: Mapped[str] = mapped_column(String(160), primary_key=True)
    scope: Mapped[str] = mapped_column(String(160), primary_key=True, default="*")
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_cases.id"))
    target_name: Mapped[str] = mapped_column(String(256), default="")
    target_username: Mapped[str] = mapped_column(String(256), default="")
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    # /flags in a community lists the flags of its scopes, newest first.
    __table_args__ = (Index("ix_flagged_accounts_scope_flagged", "scope", "flagged_at"),)


class BotSecretRow(Base):
    """Secrets the bot makes for itself (the key that binds buttons to their user), shared by
    every process on the database and kept across restarts."""

    __tablename__ = "bot_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class TicketRow(Base):
    """A support ticket: what the user reported, what the shop knows, and its SLA clock."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_no: Mapped[str] = mapped_column(String(32), unique=True)
    user_key: Mapped[str] = mapped_column(String(160))
    platform: Mapped[str] = mapped_column(String(16))
    user_name: Mapped[str] = mapped_column(String(256), default="")
    category: Mapped[str] = mapped_column(String(32))
    complexity: Mapped[str] = mapped_column(String(16))  # simple | complex
    status: Mapped[str] = mapped_column(String(32))
    order_no: Mapped[str] = mapped_column(String(64), default="")
    enterprise: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str] = mapped_column(String(2000), default="")
    fields: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)
    transcript: Mapped[list[Any]] = mapped_column(JsonDict, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    assignee_key: Mapped[str] = mapped_column(String(160), default="")
    shop_ref: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (
        Index("ix_tickets_user_status", "user_key", "status"),
        Index("ix_tickets_status_due", "status", "due_at"),
    )


class TicketEventRow(Base):
    """The history of a ticket: every change, who made it and when (append-only)."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_key: Mapped[str] = mapped_column(String(160))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """Transactional outbox: work for an external system, saved with the change that caused it
    and delivered afterwards, retried until it succeeds, at most once per idempotency key."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (Index("ix_outbox_pending", "sent_at", "next_attempt_at"),)


class ReplyOutboxRow(Base):
    """Replies decided by an inbound event, saved in the event's transaction and sent after
    its commit (``core.replies``): what a crash kept from being sent is sent after a restart.

    ``next_attempt_at`` starts a grace period after the commit (the live delivery's turn);
    a sweeper takes rows still unsent after it under a lease, like the shop outbox."""

    __tablename__ = "reply_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))  # where the action is sent
    event_platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(160))
    seq: Mapped[int] = mapped_column(Integer)  # the action's place among the event's
    action: Mapped[dict[str, Any]] = mapped_column(JsonDict)  # core.action_codec
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        Index("ix_reply_outbox_pending", "sent_at", "next_attempt_at"),
        Index("ix_reply_outbox_created", "created_at"),  # retention
    )


class LookupLogRow(Base):
    """Self-service lookups per user, for the anti-enumeration rate limit."""

    __tablename__ = "lookup_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_key: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_lookup_log_user_created", "user_key", "created_at"),
        Index("ix_lookup_log_created", "created_at"),  # retention
    )


class ReissueRequestRow(Base):
    """One express reissue (极速补发) per order: the first request and its answer."""

    __tablename__ = "reissue_requests"

    order_no: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_key: Mapped[str] = mapped_column(String(160))
    idempotency_key: Mapped[str] = mapped_column(String(160))
    accepted: Mapped[bool] = mapped_column(default=False)
    reference: Mapped[str] = mapped_column(String(64), default="")
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FaqAnswerRow(Base):
    """Every FAQ answer given, and whether the user said it solved the problem."""

    __tablename__ = "faq_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_key: Mapped[str] = mapped_column(String(160))
    intent: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(default=0.0)
    question: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str] = mapped_column(String(16), default="")  # "" | resolved | unresolved
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class TicketRatingRow(Base):
    """The user's rating (1-5) of how a closed ticket was handled, with an optional comment."""

    __tablename__ = "ticket_ratings"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketThreadRow(Base):
    """The forum topic / thread an adapter opened for a ticket in a staff chat."""

    __tablename__ = "ticket_threads"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(160), primary_key=True)
    ticket_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    thread_id: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_ticket_threads_thread", "platform", "chat_id", "thread_id"),)
