"""The Telegram channel: lifecycle (long polling or webhook), update handling, health and the
moderator check, around a python-telegram-bot ``Application`` driven by hand.

Updates are handled concurrently (the engine keeps each user's events in order with a
per-user lock and a database transaction per event); a failing update is logged and never
affects the others. The webhook route answers 200 once the update is handled (committed,
replies saved), and 503 when the database could not record it, so Telegram sends it again.
In polling mode an update the database could not record is retried here with back-off
until it is (getUpdates has already confirmed it to Telegram by then).
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, TypeHandler

from adapters.telegram.commands import KNOWN_COMMANDS, publish_commands
from adapters.telegram.inbound import PLATFORM, BotIdentity, InboundMapper
from adapters.telegram.outbound import Outbound
from adapters.telegram.payloads import CallbackStore
from adapters.telegram.transport import PollWatch, TokenRedactor, WatchedRequest
from core.config import ConfigError
from core.engine import EventNotRecorded
from core.model import Action, Chat, Event, EventKind, User
from core.runtime import Runtime

log = logging.getLogger(__name__)

ALLOWED_UPDATES = (
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.CHAT_MEMBER,
    Update.MY_CHAT_MEMBER,
)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_WEBHOOK_PATH = "/telegram/webhook"
DEFAULT_API_ROOT = "https://api.telegram.org"
_ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
_MEMBERSHIP_DEDUP_SECONDS = 120.0

PTBApplication = Application[Any, Any, Any, Any, Any, Any]

# Set by the webhook around one update: events the database could not record are noted
# here (PTB swallows handler exceptions), so the webhook answers 503 instead of 200.
_NOT_RECORDED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "telegram_not_recorded", default=None
)
OUTAGE_RETRY_MAX = 30.0  # seconds between polling-mode retries of an unrecorded update


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """What the adapter needs, secrets included (read from the environment by the factory)."""

    token: str
    token_env: str = "TELEGRAM_BOT_TOKEN"  # only named in error messages
    base_url: str = ""
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = ""
    webhook_secret: str = ""
    staff_chat_id: str = ""
    poll_timeout: int = 10  # seconds a getUpdates long poll may wait
    rate_limit_retries: int = 3  # 429 answers waited out per request before giving up
    admin_cache_seconds: float = 60.0
    concurrent_updates: int = 64
    # PTB's AIORateLimiter keeps to Telegram's limits; benchmarks switch it off to measure
    # the bot's own cost against a bare client.
    rate_limiter: bool = True
    start_attempts: int = 3  # getMe attempts at start-up (network errors only)

    @property
    def webhook_path(self) -> str:
        return urlsplit(self.webhook_url).path or DEFAULT_WEBHOOK_PATH


def api_urls(base_url: str) -> tuple[str, str]:
    """PTB's ``base_url`` and ``base_file_url`` (PTB appends the token) for a Bot API root.

    ``https://tg-proxy.example`` and ``https://tg-proxy.example/bot`` mean the same server.
    """
    root = base_url.strip().rstrip("/") or DEFAULT_API_ROOT
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


class TelegramAdapter:
    """A :class:`adapters.base.ChannelAdapter` for Telegram."""

    platform = PLATFORM

    def __init__(self, settings: TelegramSettings, runtime: Runtime) -> None:
        self.settings = settings
        self.runtime = runtime
        # Installed before PTB is touched: it logs its URL (with the token) at DEBUG.
        self._redactor = TokenRedactor(settings.token)
        self._redactor.install()
        self.poll_watch = PollWatch()
        self.callbacks = CallbackStore()
        self._updates_request: WatchedRequest | None = None
        self.application: PTBApplication = self._build_application()
        self.outbound = Outbound(self.application.bot, self.callbacks)
        self._inbound: InboundMapper | None = None
        self._admins: dict[tuple[str, str], tuple[bool, float]] = {}
        self._membership_seen: dict[tuple[str, str, str], float] = {}
        self._webhook_set = False

    @property
    def polling(self) -> bool:
        return self.settings.mode == "polling"

    def _build_application(self) -> PTBApplication:
        api, files = api_urls(self.settings.base_url)
        # Typed loosely: each builder step changes PTB's generic parameters.
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(self.settings.token)
            .base_url(api)
            .base_file_url(files)
            .concurrent_updates(self.settings.concurrent_updates)
            .job_queue(None)
        )
        if self.settings.rate_limiter:
            limiter = AIORateLimiter(max_retries=self.settings.rate_limit_retries)
            builder = builder.rate_limiter(limiter)
        if self.polling:
            self._updates_request = WatchedRequest(self.poll_watch, connection_pool_size=2)
            builder = builder.get_updates_request(self._updates_request)
        else:
            builder = builder.updater(None)
        application: PTBApplication = builder.build()
        application.add_handler(TypeHandler(Update, self._on_update))
        application.add_error_handler(self._on_error)
        return application

    # -- ChannelAdapter --------------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        if not self.polling:
            app.router.add_post(self.settings.webhook_path, self._webhook)

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        application = self.application
        await self._initialize()
        bot = application.bot
        identity = BotIdentity(bot.id, bot.username)
        self._inbound = InboundMapper(identity, self.callbacks, KNOWN_COMMANDS)
        await publish_commands(self.outbound, staff_chat_id=self.settings.staff_chat_id)
        await application.start()
        if self.polling:
            assert application.updater is not None
            await application.updater.start_polling(
                timeout=self.settings.poll_timeout,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
                bootstrap_retries=self.settings.start_attempts,
                error_callback=self.poll_watch.error_callback,
            )
        else:
            request = partial(
                bot.set_webhook,
                url=self.settings.webhook_url,
                secret_token=self.settings.webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            )
            await self.outbound.call("setWebhook", request, idempotent=True)
            self._webhook_set = True
        log.info("Telegram bot @%s started (%s)", bot.username, self.settings.mode)

    async def _initialize(self) -> None:
        """``getMe`` and friends; a network failure is retried a few times, a bad token not."""
        delay = 1.0
        for attempt in range(1, self.settings.start_attempts + 1):
            try:
                await self.application.initialize()
                return
            except InvalidToken:
                raise ConfigError(
                    "Config key `telegram.token_env`: Telegram rejected the bot token in "
                    f"${self.settings.token_env}. Fix: copy the token from @BotFather again "
                    "(and check telegram.base_url if you use a self-hosted Bot API server)."
                ) from None
            except NetworkError as exc:
                if attempt == self.settings.start_attempts:
                    raise
                log.warning(
                    "cannot reach the Telegram Bot API (%s); retrying in %.0f s", exc.message, delay
                )
                await asyncio.sleep(delay)
                delay *= 3

    async def stop(self) -> None:
        """Stop polling, finish the updates already fetched, close the HTTP clients.

        Each step runs even when an earlier one failed. The webhook stays registered: other
        processes behind the same URL keep serving, and Telegram retries while none does.
        """
        application = self.application
        updater = application.updater
        updates_request = self._updates_request
        steps: list[tuple[str, Callable[[], Awaitable[None]] | None]] = [
            ("polling", updater.stop if updater is not None and updater.running else None),
            ("update handling", application.stop if application.running else None),
            ("the application", application.shutdown),
            # After a start that failed half-way (getMe refused) PTB counts as uninitialized
            # and its shutdown skips the HTTP clients; closing them twice is harmless.
            ("the HTTP client", application.bot.request.shutdown),
            ("the polling HTTP client", updates_request.shutdown if updates_request else None),
        ]
        for what, step in steps:
            if step is None:
                continue
            try:
                await step()
            except Exception:
                log.exception("stopping %s of the Telegram channel failed", what)
        self._webhook_set = False
        self._redactor.uninstall()
        log.info("Telegram channel stopped")

    def healthy(self) -> bool:
        application = self.application
        if not application.running:
            return False
        if self.polling:
            updater = application.updater
            return updater is not None and updater.running and self.poll_watch.healthy
        return self._webhook_set

    async def send(self, action: Action) -> None:
        """The single outbound seam (every Bot API call goes through ``self.outbound``)."""
        await self.outbound.send(action)

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        if chat.is_private or chat.platform != PLATFORM or user.platform != PLATFORM:
            return False
        if user.id == chat.id:
            return True  # an anonymous admin speaks as the group itself
        if not user.id.isdigit():
            return False
        key = (chat.id, user.id)
        now = time.monotonic()
        cached = self._admins.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            status = await self.outbound.member_status(chat.id, user.id)
        except TelegramError as exc:
            log.warning("admin check of %s in %s failed: %s", user.key, chat.key, exc.message)
            return False
        admin = status in _ADMIN_STATUSES
        self._remember_admin(chat.id, user.id, admin)
        return admin

    def _remember_admin(self, chat_id: str, user_id: str, admin: bool) -> None:
        now = time.monotonic()
        if len(self._admins) > 10_000:
            self._admins = {k: v for k, v in self._admins.items() if v[1] > now}
        self._admins[(chat_id, user_id)] = (admin, now + self.settings.admin_cache_seconds)

    # -- inbound ---------------------------------------------------------------------------
    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        expected = self.settings.webhook_secret
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("Telegram webhook call with a wrong or missing secret token refused")
            return web.Response(status=403, text="forbidden")
        if not self.application.running:
            return web.Response(status=503, text="not running")  # Telegram will retry
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except Exception as exc:
            log.warning("Telegram webhook body is not an update: %s", exc)
            return web.Response(status=400, text="bad update")
        # Answered once handled (handling ends in a commit that saves the replies): if the
        # process dies first, Telegram sends the update again, and the event's claim keeps a
        # handled one from being handled twice. A handler bug is apologised for inside; an
        # update the database could not record gets 503, and Telegram retries it.
        not_recorded: list[str] = []
        token = _NOT_RECORDED.set(not_recorded)
        try:
            await self.application.process_update(update)
        finally:
            _NOT_RECORDED.reset(token)
        if not_recorded:
            return web.Response(status=503, text="not recorded, retry")
        return web.Response(text="ok")

    async def _on_update(self, update: Update, _context: object) -> None:
        query = update.callback_query
        if query is not None:  # stop the spinner at once, without holding up the handling
            self.application.create_task(self.outbound.answer_callback(query.id))
        self._observe_membership(update)
        try:
            assert self._inbound is not None, "update before start()"
            events = self._inbound.map(update)
        except Exception:
            log.exception("could not read Telegram update %s; skipped", update.update_id)
            return
        for event in events:
            if self._repeated_membership(event):
                continue
            try:
                # The runtime handles and answers one user's events in order.
                await self._process(event)
            except EventNotRecorded:
                not_recorded = _NOT_RECORDED.get()
                if not_recorded is not None:
                    not_recorded.append(event.event_id)
                    return  # the webhook answers 503: Telegram sends the whole update again
                log.exception("Telegram update %s was not recorded", update.update_id)
            except Exception:
                log.exception("Telegram update %s failed", update.update_id)
        if query is not None and events:
            await self._close_answered_step(query.data or "", query.message, events[0])

    async def _process(self, event: Event) -> None:
        """Process ``event``; in polling mode, retry it while the database is unavailable
        (Telegram will not send it again), until it is recorded or the bot stops."""
        delay = 1.0
        while True:
            try:
                await self.runtime.process(event)
                return
            except EventNotRecorded:
                if _NOT_RECORDED.get() is not None or not self.application.running:
                    raise
                log.warning("update %s not recorded; retrying in %.0fs", event.event_id, delay)
                await asyncio.sleep(delay)
                delay = min(OUTAGE_RETRY_MAX, delay * 2)

    async def _on_error(self, update: object, context: Any) -> None:
        error = getattr(context, "error", None)
        log.error("error while handling a Telegram update", exc_info=error)

    def _observe_membership(self, update: Update) -> None:
        """Keep the admin cache fresh from chat_member updates; log the bot's own status."""
        changed = update.chat_member or update.my_chat_member
        if changed is None:
            return
        member = changed.new_chat_member
        chat_id, user_id = str(changed.chat.id), str(member.user.id)
        self._remember_admin(chat_id, user_id, member.status in _ADMIN_STATUSES)
        if update.my_chat_member is not None:
            log.info("the bot is now %s in Telegram chat %s", member.status, chat_id)
            if member.status == ChatMemberStatus.MEMBER:
                log.info(
                    "make the bot an admin of %s to see joins and to delete / restrict", chat_id
                )

    def _repeated_membership(self, event: Event) -> bool:
        """A join (or leave) reported twice: as chat_member update and as service message."""
        kinds = {EventKind.MEMBER_JOINED: "join", EventKind.MEMBER_LEFT: "leave"}
        kind = kinds.get(event.kind)
        if kind is None:
            return False
        now = time.monotonic()
        seen = self._membership_seen
        for key, at in list(seen.items()):
            if now - at > _MEMBERSHIP_DEDUP_SECONDS:
                del seen[key]
        key = (kind, event.chat.id, event.user.id)
        opposite = ("leave" if kind == "join" else "join", event.chat.id, event.user.id)
        seen.pop(opposite, None)
        if key in seen:
            return True
        seen[key] = now
        return False

    async def _close_answered_step(self, data: str, message: object, event: Event) -> None:
        """A flow step answered by a button: show the choice in place of the keyboard."""
        if not (event.payload.startswith("flow:") and event.chat.is_private):
            return
        if not isinstance(message, Message) or not message.text:
            return
        markup = message.reply_markup
        rows = markup.inline_keyboard if markup is not None else ()
        labels = [b.text for row in rows for b in row if b.callback_data == data]
        text = f"{message.text}\n\n✅ {labels[0]}" if labels else message.text
        # Edit only: if the message cannot be edited any more, leave it as it is.
        await self.outbound.edit_text(message.chat.id, message.message_id, text, None)
