"""The conversation engine: one inbound :class:`Event` in, a list of :class:`Action` out.

Each event is handled in one database transaction that (1) records the event id, so a
redelivered update is handled once even across restarts, (2) locks and loads the user's
conversation, (3) runs the handler and (4) saves the new conversation state. Transient
database errors (locked, serialisation failures) retry the whole event; a bug in a handler
is logged and answered with a friendly apology, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import weakref
from dataclasses import replace

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from core.context import Context
from core.faults import kill_point
from core.model import Action, Event, EventKind, Reply, User
from core.replies import Pending, record_replies
from core.router import Router
from core.services import Services
from core.shopcalls import ShopAnswers, ShopCallNeeded, answering

log = logging.getLogger(__name__)

# How many times one event may stop to ask the shop (a complaint's order step asks twice).
MAX_SHOP_ROUNDS = 4

_TRANSIENT_MARKERS = ("database is locked", "database is busy", "deadlock", "could not serialize")


def is_transient_db_error(exc: BaseException) -> bool:
    """Errors worth retrying the whole event for: lock contention and lost races."""
    if isinstance(exc, StaleDataError):
        return True
    if isinstance(exc, sqlite3.OperationalError):  # the SQLite driver path, unwrapped
        return any(marker in str(exc).lower() for marker in _TRANSIENT_MARKERS)
    if isinstance(exc, OperationalError | DBAPIError):
        text = str(exc.orig if isinstance(exc, DBAPIError) else exc).lower()
        return any(marker in text for marker in _TRANSIENT_MARKERS)
    return False


def is_database_unavailable(exc: BaseException) -> bool:
    """The database could not take the event: down, unreachable, or busy past the retries.

    Integrity and data errors are not here: they come from what a handler wrote (a bug),
    and retrying the event would only fail again."""
    if is_transient_db_error(exc):
        return True
    unavailable = (OperationalError, InterfaceError, PoolTimeoutError, OSError)
    if isinstance(exc, (*unavailable, sqlite3.OperationalError, sqlite3.InterfaceError)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


class EventNotRecorded(Exception):
    """The event could not be recorded (see :func:`is_database_unavailable`): nothing was
    marked handled and no reply was saved, so the platform should deliver it again."""


def _clean(text: str) -> str:
    return text.replace("\x00", "") if "\x00" in text else text


def _clean_user(user: User) -> User:
    if "\x00" not in user.display_name + user.username:
        return user
    return replace(user, display_name=_clean(user.display_name), username=_clean(user.username))


def without_nul(event: Event) -> Event:
    """NUL characters removed from everything a user controls: PostgreSQL text and JSONB
    cannot store them, and no platform shows them."""
    people = [event.user, *event.mentions, *([event.reply_to_user] if event.reply_to_user else [])]
    texts = (event.text, event.args, event.payload, event.reply_to_text)
    if not any("\x00" in value for value in texts) and all(_clean_user(p) is p for p in people):
        return event
    return replace(
        event,
        user=_clean_user(event.user),
        mentions=tuple(_clean_user(m) for m in event.mentions),
        reply_to_user=_clean_user(event.reply_to_user) if event.reply_to_user else None,
        text=_clean(event.text),
        args=_clean(event.args),
        payload=_clean(event.payload),
        reply_to_text=_clean(event.reply_to_text),
    )


class Engine:
    def __init__(self, services: Services, router: Router, *, attempts: int = 5) -> None:
        self.services = services
        self.router = router
        self._attempts = attempts
        # One lock per user in this process: a user's events are handled in order.
        self._user_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def _lock_for(self, user_key: str) -> asyncio.Lock:
        lock = self._user_locks.get(user_key)
        if lock is None:
            lock = asyncio.Lock()
            self._user_locks[user_key] = lock
        return lock

    async def handle(self, event: Event) -> list[Action]:
        """The actions ``event`` decided (saved in the reply outbox, not sent)."""
        return [pending.action for pending in await self.record(event)]

    async def record(self, event: Event) -> list[Pending]:
        """Handle ``event`` in one transaction; its actions come back saved, to be sent.

        Raises :class:`EventNotRecorded` when the database could not take it."""
        event = without_nul(event)
        async with self._lock_for(event.user.key):
            # The shop is asked between runs of the event, never inside its transaction.
            answers = ShopAnswers()
            with answering(answers):
                for _round in range(MAX_SHOP_ROUNDS):
                    try:
                        return await self._handle_with_retries(event)
                    except ShopCallNeeded as need:
                        await need.fetch(answers)  # rolled back: no transaction, no lock
                answers.exhausted = True
                return await self._handle_with_retries(event)

    async def _handle_with_retries(self, event: Event) -> list[Pending]:
        """Handle ``event`` once, retrying on a busy database; a bug gets the apology."""
        try:
            try:  # the common case, without building a retry loop for every event
                return await self._handle_once(event)
            except Exception as exc:
                if not is_transient_db_error(exc):
                    raise
                log.info("event %s:%s met a busy database; retrying", event.platform,
                         event.event_id)  # fmt: skip
            async for attempt in AsyncRetrying(
                retry=retry_if_exception(is_transient_db_error),
                stop=stop_after_attempt(max(1, self._attempts - 1)),
                wait=wait_exponential_jitter(multiplier=0.02, max=1.0, jitter=0.05),
                reraise=True,
            ):
                with attempt:
                    return await self._handle_once(event)
        except Exception as exc:
            if is_database_unavailable(exc):
                log.warning("event %s:%s not recorded, the database is unavailable: %s",
                            event.platform, event.event_id, exc)  # fmt: skip
                raise EventNotRecorded(f"{event.platform}:{event.event_id}") from exc
            log.exception(
                "event %s:%s (%s) failed",
                event.platform,
                event.event_id,
                event.kind.value,
                extra={"event_id": event.event_id, "platform": event.platform},
            )
            self.services.metrics.handler_errors.inc()
            return await self._apologise(event)
        raise AssertionError("unreachable")  # pragma: no cover - AsyncRetrying reraises

    async def _handle_once(self, event: Event) -> list[Pending]:
        services = self.services
        async with services.db.event() as store:
            now = services.clock.now()
            if not await store.claim_event(event.platform, event.event_id, now):
                log.info("duplicate event %s:%s ignored", event.platform, event.event_id)
                services.metrics.duplicates.labels(platform=event.platform).inc()
                return []
            conversation, created = await store.lock_conversation(event.user, now)
            renamed = conversation.touch_identity(event.user.display_name, event.user.username)
            conversation.set_locale(event.user.locale)
            if event.chat.is_private:
                conversation.remember_private_chat(event.chat.id)
            if renamed:  # written now, so handlers' lookups by name or handle see it
                await store.save_conversation(conversation)
            ctx = Context(
                event=event,
                conversation=conversation,
                services=services,
                store=store,
                locale=services.texts.locale_for(conversation.locale),
                now=now,
                identity_changed=created or renamed,
            )
            try:
                await self.router.dispatch(ctx)
                await store.flush()
            finally:
                await store.close()
            await store.save_conversation(conversation)
            pending = await record_replies(store, event, ctx.actions, now)
            kill_point("before_commit", ctx.actions)
        metrics = services.metrics
        metrics.events.labels(platform=event.platform, kind=event.kind.value).inc()
        for action in ctx.actions:
            metrics.actions.labels(type=type(action).__name__).inc()
        return pending

    async def _apologise(self, event: Event) -> list[Pending]:
        """Mark a failing event handled (so redelivery does not loop) and say sorry, both in
        one transaction; if even that cannot be written, the event is not recorded."""
        services = self.services
        addressed = event.kind in (EventKind.COMMAND, EventKind.BUTTON, EventKind.FORM_SUBMITTED)
        apology: list[Action] = []
        if addressed or event.chat.is_private or event.is_to_me:  # else: chatter in a group
            locale = services.texts.locale_for(event.user.locale)
            text = services.texts.get("internal_error", locale)
            apology.append(Reply(chat=event.chat, text=text, recipient=event.user))
        try:
            async with services.db.event() as store:
                now = services.clock.now()
                if not await store.claim_event(event.platform, event.event_id, now):
                    return []
                return await record_replies(store, event, apology, now)
        except Exception as exc:
            log.exception("could not record failed event %s:%s", event.platform, event.event_id)
            raise EventNotRecorded(f"{event.platform}:{event.event_id}") from exc
