"""The Feishu channel: lifecycle, background handling of callbacks, health, the admin check.

:class:`FeishuAdapter` implements :class:`adapters.base.ChannelAdapter`. Callbacks arrive on
the shared aiohttp server (:mod:`adapters.feishu.webhook`), are acknowledged at once and
handled in background tasks; each event is mapped (:mod:`adapters.feishu.inbound`) and given
to the runtime, whose actions come back through :meth:`FeishuAdapter.send`, the single
outbound seam (:mod:`adapters.feishu.outbound`). A callback is answered 200 only once its
events are recorded (committed with their replies saved); 503 otherwise, so Feishu retries.
An exception in one event is logged with its event id and touches no other event.
:meth:`stop` lets running events finish (briefly), cancels the rest and closes the HTTP
session.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import aiohttp
from aiohttp import web

from adapters.feishu.api import ChatAdmins, FeishuApi, FeishuApiError
from adapters.feishu.cache import RecentIds, TtlCache
from adapters.feishu.cards import KIND_PRIVATE, message_text, parse_button_value
from adapters.feishu.inbound import (
    CARD_ACTION,
    HANDLED_TYPES,
    PLATFORM,
    Callback,
    InboundMapper,
)
from adapters.feishu.outbound import Outbound
from adapters.feishu.webhook import DEFAULT_MAX_CLOCK_SKEW_SECONDS, PATH, CallbackEndpoint
from core.engine import EventNotRecorded
from core.model import Action, Chat, User
from core.runtime import Runtime

log = logging.getLogger(__name__)

ADMIN_TTL = 60.0  # seconds a chat's owner and managers are trusted
NAME_TTL = 3600.0
NAME_MISS_TTL = 600.0
BOT_ID_RETRY = 60.0
STOP_GRACE = 5.0
KEEPALIVE_EVERY = 30.0
# How long a callback waits for its events to be recorded: Feishu gives up at 3 s.
RECORD_WAIT = 2.5

_TOAST = {
    "zh": "已在与机器人的私聊中回复你",
    "en": "Answered you in your private chat with the bot",
}
_LOOKUP_ERRORS = (FeishuApiError, aiohttp.ClientError, TimeoutError)


def _retrieve(future: asyncio.Future[None]) -> None:
    """Mark an outcome nobody may await any more (the answer timed out) as seen."""
    if not future.cancelled():
        future.exception()


class FeishuAdapter:
    platform = PLATFORM

    def __init__(
        self,
        api: FeishuApi,
        runtime: Runtime,
        *,
        encrypt_key: str,
        verification_token: str,
        locale: str = "zh",
        max_concurrent_events: int = 32,
        max_clock_skew_seconds: float = DEFAULT_MAX_CLOCK_SKEW_SECONDS,
    ) -> None:
        self.api = api
        self.runtime = runtime
        self.outbound = Outbound(api, locale=locale)
        self.mapper = InboundMapper(self)
        self.endpoint = CallbackEndpoint(
            encrypt_key=encrypt_key,
            verification_token=verification_token,
            accept=self._accept,
            max_clock_skew_seconds=max_clock_skew_seconds,
        )
        self._toast = _TOAST.get(locale, _TOAST["zh"])
        self._seen = RecentIds()
        self._tasks: set[asyncio.Task[None]] = set()
        self._recording: dict[str, asyncio.Future[None]] = {}  # event id → recorded
        self._slots = asyncio.Semaphore(max_concurrent_events)
        self._started = False
        self._stopping = False
        self._bot_id = ""
        self._bot_id_retry_at = 0.0
        self._admins: TtlCache[ChatAdmins] = TtlCache()
        self._names: TtlCache[str] = TtlCache(size=20_000)
        self._names_refused = False
        self._keepalive: asyncio.Task[None] | None = None

    # -- ChannelAdapter ---------------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(PATH, self.endpoint.handle)

    async def start(self) -> None:
        """Check the credentials and learn the bot's open_id (for mentions) once."""
        self._stopping = False
        self._started = True
        await self.bot_open_id()
        if self._keepalive is None or self._keepalive.done():
            self._keepalive = asyncio.get_running_loop().create_task(self._keep_alive())
        if self._bot_id:
            log.info("Feishu channel ready at %s (bot %s)", self.api.base_url, self._bot_id)
        else:
            log.warning(
                "Feishu is not reachable yet at %s; the channel retries on the next event",
                self.api.base_url,
            )

    async def stop(self) -> None:
        self._stopping = True
        if self._keepalive is not None:
            self._keepalive.cancel()
            await asyncio.gather(self._keepalive, return_exceptions=True)
            self._keepalive = None
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=STOP_GRACE)
            for task in pending:
                task.cancel()
            if pending:
                log.warning("cancelled %d Feishu event(s) still running at stop", len(pending))
                await asyncio.gather(*pending, return_exceptions=True)
        await self.api.close()
        self._started = False

    def healthy(self) -> bool:
        return self._started and not self._stopping and self.api.reachable is not False

    async def send(self, action: Action) -> None:
        await self.outbound.send(action)

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        """The group's owner or one of its managers (cached for :data:`ADMIN_TTL`)."""
        if chat.is_private or user.platform != PLATFORM:
            return False
        admins = self._admins.get(chat.id)
        if admins is None:
            try:
                admins = await self.api.chat_admins(chat.id)
            except _LOOKUP_ERRORS as exc:
                log.warning("cannot read the admins of Feishu chat %s: %s", chat.id, exc)
                return False
            self._admins.put(chat.id, admins, ADMIN_TTL)
        return user.id in admins

    async def _keep_alive(self) -> None:
        """Refresh the token before it is due (so no send waits for it) and, after a failure,
        probe Feishu so /healthz recovers without waiting for the next event."""
        while True:
            await asyncio.sleep(KEEPALIVE_EVERY)
            try:
                if self.api.reachable is False:
                    self._bot_id = await self.api.bot_open_id() or self._bot_id
                else:
                    await self.api.tenant_token()
            except _LOOKUP_ERRORS as exc:
                log.debug("Feishu keep-alive failed: %s", exc)
            except Exception:
                log.exception("Feishu keep-alive failed")

    # -- background handling ----------------------------------------------------------------
    async def _accept(self, callback: Callback) -> dict[str, Any] | None:
        """Called by the endpoint for each verified callback: the HTTP answer once its events
        are recorded; None (503, Feishu retries) when they were not."""
        if self._stopping:
            return None
        if callback.event_type not in HANDLED_TYPES:
            log.debug("ignored Feishu event type %s", callback.event_type)
            return {}
        event_id = callback.event_id
        if event_id and event_id in self._seen:
            log.info("duplicate Feishu event %s ignored", event_id)
            return {}
        recorded = self._recording.get(event_id) if event_id else None
        if recorded is None:  # a retry of an event still being recorded waits for it
            recorded = asyncio.get_running_loop().create_future()
            if event_id:
                self._recording[event_id] = recorded
                recorded.add_done_callback(lambda _: self._recording.pop(event_id, None))
            recorded.add_done_callback(_retrieve)
            self._spawn(self._handle(callback, recorded))
        try:
            await asyncio.wait_for(asyncio.shield(recorded), RECORD_WAIT)
        except EventNotRecorded:
            return None
        except TimeoutError:
            log.warning("Feishu event %s not recorded within %.1fs; answered 503", event_id,
                        RECORD_WAIT)  # fmt: skip
            return None
        if event_id:
            self._seen.add(event_id)
        return self._card_answer(callback)

    def _card_answer(self, callback: Callback) -> dict[str, Any]:
        """A toast for a "private chat" button, so the user knows where the answer went."""
        if callback.event_type != CARD_ACTION:
            return {}
        action = callback.event.get("action")
        pressed = parse_button_value(action.get("value") if isinstance(action, dict) else None)
        if pressed is not None and pressed.kind == KIND_PRIVATE:
            return {"toast": {"type": "info", "content": self._toast}}
        return {}

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, callback: Callback, recorded: asyncio.Future[None]) -> None:
        """Map and process the callback's events; ``recorded`` resolves once all of them are
        committed (before their replies are sent), or with EventNotRecorded."""
        async with self._slots:
            try:
                events = await self.mapper.events(callback)
                left = len(events)

                def one_recorded() -> None:
                    nonlocal left
                    left -= 1
                    if left == 0 and not recorded.done():
                        recorded.set_result(None)

                if not events:
                    recorded.set_result(None)
                for event in events:
                    await self.runtime.process(event, recorded=one_recorded)
            except EventNotRecorded as exc:
                log.warning("Feishu event %s not recorded: %s", callback.event_id, exc)
                if not recorded.done():
                    recorded.set_exception(exc)
            except Exception:
                if not recorded.done():  # a bug, not the database: do not make Feishu loop
                    recorded.set_result(None)
                log.exception(
                    "Feishu event %s (%s) failed",
                    callback.event_id,
                    callback.event_type,
                    extra={"event_id": callback.event_id, "platform": PLATFORM},
                )

    async def drain(self) -> None:
        """Wait until every callback received so far is handled (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- lookups for the inbound mapper (cached; failures give empty answers) ---------------
    async def bot_open_id(self) -> str:
        loop = asyncio.get_running_loop()
        if self._bot_id or loop.time() < self._bot_id_retry_at:
            return self._bot_id
        try:
            self._bot_id = await self.api.bot_open_id()
        except _LOOKUP_ERRORS as exc:
            self._bot_id_retry_at = loop.time() + BOT_ID_RETRY
            log.warning("cannot read the Feishu bot's own id: %s", exc)
        return self._bot_id

    async def user_name(self, open_id: str) -> str:
        cached = self._names.get(open_id)
        if cached is not None:
            return cached
        try:
            name = await self.api.user_name(open_id)
        except FeishuApiError as exc:
            if not self._names_refused:
                self._names_refused = True
                log.warning(
                    "Feishu does not give user names (code %s: %s); grant the app a contact "
                    "read permission so the impostor guard sees the names of people who speak",
                    exc.code,
                    exc.msg,
                )
            self._names.put(open_id, "", NAME_MISS_TTL)
            return ""
        except (aiohttp.ClientError, TimeoutError):
            return ""
        self._names.put(open_id, name, NAME_TTL if name else NAME_MISS_TTL)
        return name

    async def replied_message(self, message_id: str) -> tuple[User | None, str]:
        try:
            info = await self.api.get_message(message_id)
        except _LOOKUP_ERRORS as exc:
            log.info("cannot read replied Feishu message %s: %s", message_id, exc)
            return None, ""
        if info is None or info.sender_type != "user" or not info.sender_id:
            return None, message_text(info.msg_type, info.content) if info else ""
        name = await self.user_name(info.sender_id)
        author = User(platform=PLATFORM, id=info.sender_id, display_name=name)
        return author, message_text(info.msg_type, info.content)
