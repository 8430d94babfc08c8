"""Outbound rendering: core ``Action`` → Bot API calls, the adapter's single outbound seam.

Every Bot API call the adapter makes (replies, edits, deletions, restrictions, callback
answers, admin checks, commands, webhook set-up) goes through :meth:`Outbound.call`, so tests
see them all on the wire and the error policy lives in one place:

* Text is sent in HTML parse mode and *all* of it is escaped (the engine produces plain text
  that contains user input); texts over Telegram's 4096-character limit are split on lines.
* 429 answers are PTB's ``AIORateLimiter``'s job (it waits ``retry_after`` and resends);
  here only connection failures and 5xx (``NetworkError``) are retried briefly, and
  timeouts only for idempotent calls, so a reply is neither lost nor sent twice.
* Expected refusals are logged in plain words and swallowed: a user who never started the
  bot (403 on a private message), a message already gone, missing admin rights.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeVar

from telegram import (
    Bot,
    ChatPermissions,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TimedOut

from adapters.telegram.payloads import CallbackStore, encode_deep_link
from core.model import (
    Action,
    Attachment,
    Button,
    ButtonRows,
    ButtonStyle,
    DeleteMessage,
    NotifyStaff,
    Reply,
    RestrictUser,
    SendPrivate,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

TEXT_LIMIT = 4096  # characters (UTF-16 code units) after entity parsing
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-16 units, cut at line ends where possible."""
    if utf16_len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while utf16_len(line) > limit:  # a single over-long line: cut it hard
            head, line = _cut(line, limit - utf16_len(current))
            pieces.append(current + head)
            current = ""
        if utf16_len(current + line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [p.strip("\n") or "…" for p in pieces]


def _cut(text: str, units: int) -> tuple[str, str]:
    """The longest prefix of ``text`` within ``units`` UTF-16 units, and the rest."""
    taken = 0
    for index, char in enumerate(text):
        taken += 2 if ord(char) > 0xFFFF else 1
        if taken > units:
            return text[:index], text[index:]
    return text, ""


def shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    if utf16_len(text) <= limit:
        return text
    return _cut(text, limit - 1)[0] + "…"


def as_html(text: str) -> str:
    """Plain engine text (with user input in it) made safe for ``parse_mode=HTML``."""
    return html.escape(text, quote=False)


def chat_id_of(value: str) -> int | str:
    """Telegram chat ids are integers; "@channelname" stays a string."""
    try:
        return int(value)
    except ValueError:
        return value


def _message_id(value: str) -> int | None:
    return int(value) if value.lstrip("-").isdigit() else None


_KEYBOARD_CACHE_SIZE = 1024


class Outbound:
    """Renders actions and performs every Bot API call of the adapter."""

    def __init__(
        self,
        bot: Bot,
        callbacks: CallbackStore,
        *,
        network_retries: int = 2,
        retry_delay: float = 0.5,
    ) -> None:
        self.bot = bot
        self.callbacks = callbacks
        self.network_retries = network_retries
        self.retry_delay = retry_delay
        # Rendered keyboards by (rows, private): most replies repeat a few (the complaint
        # steps' buttons), and PTB's objects are immutable, so one can serve every send.
        self._keyboards: dict[tuple[ButtonRows, bool], InlineKeyboardMarkup | None] = {}

    # -- the seam --------------------------------------------------------------------------
    async def call(
        self, what: str, request: Callable[[], Awaitable[T]], *, idempotent: bool = False
    ) -> T:
        """Run one Bot API request, retrying transport failures that cannot duplicate it."""
        delay = self.retry_delay
        attempt = 0
        while True:
            try:
                return await request()
            except (BadRequest, ChatMigrated):
                raise  # the request arrived and was refused: retrying cannot help
            except NetworkError as exc:
                retriable = idempotent or not isinstance(exc, TimedOut)
                if not retriable or attempt >= self.network_retries:
                    raise
                attempt += 1
                log.warning(
                    "Telegram %s failed (%s); retry %d of %d in %.1f s",
                    what,
                    exc.message,
                    attempt,
                    self.network_retries,
                    delay,
                )
            await asyncio.sleep(delay)
            delay *= 4

    async def send(self, action: Action) -> None:
        if isinstance(action, Reply):
            await self._reply(action)
        elif isinstance(action, SendPrivate):
            await self._send_private(action)
        elif isinstance(action, DeleteMessage):
            await self._delete(action)
        elif isinstance(action, RestrictUser):
            await self._restrict(action)
        elif isinstance(action, NotifyStaff):
            await self._notify_staff(action)
        else:
            log.warning("Telegram cannot render %s; dropped", type(action).__name__)

    # -- messages --------------------------------------------------------------------------
    async def _reply(self, action: Reply) -> None:
        chat_id = chat_id_of(action.chat.id)
        markup = self.keyboard(action.buttons, private=action.chat.is_private)
        edit_id = _message_id(action.edit_message_id)
        thread = _message_id(action.chat.thread_id)
        if edit_id is None or not await self.edit_text(chat_id, edit_id, action.text, markup):
            await self.send_text(
                chat_id,
                action.text,
                markup,
                reply_to=_message_id(action.reply_to_message_id),
                thread=thread,
            )
        await self.send_files(chat_id, action.attachments, thread=thread)

    async def _send_private(self, action: SendPrivate) -> None:
        user_id = _message_id(action.user.id)
        if user_id is None or user_id <= 0:
            log.info("no private chat with %s (not a person); message dropped", action.user.key)
            return
        try:
            await self.send_text(user_id, action.text, self.keyboard(action.buttons, private=True))
            await self.send_files(user_id, action.attachments)
        except Forbidden as exc:
            log.warning(
                "cannot message Telegram user %s in private: %s. They must open the bot and "
                "press Start first (a group answer already pointed them there).",
                action.user.id,
                exc.message,
            )

    async def _notify_staff(self, action: NotifyStaff) -> None:
        chat_id = chat_id_of(action.chat_id)
        private = isinstance(chat_id, int) and chat_id > 0
        markup = self.keyboard(action.buttons, private=private)
        try:
            await self.send_text(chat_id, action.text, markup)
            await self.send_files(chat_id, action.attachments)
        except Forbidden as exc:
            log.error(
                "cannot post to the Telegram staff destination %s: %s. Add the bot to that "
                "chat (or have that person start it).",
                action.destination,
                exc.message,
            )

    async def send_text(
        self,
        chat_id: int | str,
        text: str,
        markup: InlineKeyboardMarkup | None,
        *,
        reply_to: int | None = None,
        thread: int | None = None,
    ) -> None:
        """sendMessage, split when too long; buttons go on the last piece."""
        if not text.strip():
            if markup is None:
                return  # nothing to say (e.g. only files follow)
            text = "…"
        pieces = split_text(text)
        for index, piece in enumerate(pieces):
            reply = (
                ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
                if reply_to is not None and index == 0
                else None
            )
            request = partial(
                self.post_message,
                chat_id=chat_id,
                text=as_html(piece),
                parse_mode=ParseMode.HTML,
                reply_markup=markup if index == len(pieces) - 1 else None,
                message_thread_id=thread,
                reply_parameters=reply,
                link_preview_options=_NO_PREVIEW,
            )
            try:
                await self.call("sendMessage", request)
            except ChatMigrated as exc:  # the group became a supergroup: follow it once
                log.info("Telegram chat %s migrated to %s", chat_id, exc.new_chat_id)
                await self.call("sendMessage", partial(request, chat_id=exc.new_chat_id))

    async def post_message(self, **params: object) -> None:
        """sendMessage, without turning Telegram's answer back into PTB objects.

        ``Bot.send_message`` parses the Message Telegram echoes (text, chat, keyboard) into PTB
        objects, which nothing here reads; that parsing took ~5% of the adapter's throughput
        (``bench/telegram_bench.py``). ``Bot._post`` is the request path ``send_message``
        itself ends in: defaults, the rate limiter and PTB's error mapping (BadRequest,
        Forbidden, ChatMigrated, RetryAfter…) all apply as before, and ``None`` parameters are
        left out of the request the same way. (A private method of PTB's, pinned to 22.x in
        pyproject.toml; every Telegram end-to-end test goes through it.)
        """
        await self.bot._post("sendMessage", params)

    async def send_files(
        self, chat_id: int | str, files: tuple[Attachment, ...], *, thread: int | None = None
    ) -> None:
        """Pass Telegram files on by file id: images with sendPhoto, others sendDocument."""
        for file in files:
            request: Callable[[], Awaitable[object]]
            if file.kind == "image":
                method = "sendPhoto"
                request = partial(
                    self.bot.send_photo, chat_id=chat_id, photo=file.ref, message_thread_id=thread
                )
            else:
                method = "sendDocument"
                request = partial(
                    self.bot.send_document,
                    chat_id=chat_id,
                    document=file.ref,
                    message_thread_id=thread,
                )
            try:
                await self.call(method, request)
            except BadRequest as exc:  # not a Telegram file id (another platform's file)
                log.warning("could not pass on a %s to %s: %s", file.kind, chat_id, exc.message)

    async def edit_text(
        self, chat_id: int | str, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> bool:
        """editMessageText; False when the message cannot be edited (send a new one then)."""
        request = partial(
            self.bot.edit_message_text,
            text=as_html(shorten(text)),
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=_NO_PREVIEW,
        )
        try:
            await self.call("editMessageText", request, idempotent=True)
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True
            log.info("could not edit message %s in %s (%s)", message_id, chat_id, exc.message)
            return False
        return True

    # -- moderation ------------------------------------------------------------------------
    async def _delete(self, action: DeleteMessage) -> None:
        message_id = _message_id(action.message_id)
        if message_id is None:
            return
        request = partial(
            self.bot.delete_message, chat_id=chat_id_of(action.chat.id), message_id=message_id
        )
        try:
            await self.call("deleteMessage", request, idempotent=True)
        except (BadRequest, Forbidden) as exc:
            if "not found" in exc.message.lower():
                log.info("message %s in %s was already gone", message_id, action.chat.key)
            else:
                log.warning(
                    "could not delete message %s in %s: %s (make the bot an admin with "
                    "'Delete messages')",
                    message_id,
                    action.chat.key,
                    exc.message,
                )

    async def _restrict(self, action: RestrictUser) -> None:
        user_id = _message_id(action.user.id)
        if user_id is None or user_id <= 0:
            log.info("%s is not a person; not restricted", action.user.key)
            return
        chat_id = chat_id_of(action.chat.id)
        request: Callable[[], Awaitable[bool]]
        if action.remove:
            request = partial(self.bot.ban_chat_member, chat_id=chat_id, user_id=user_id)
        else:
            request = partial(
                self.bot.restrict_chat_member,
                chat_id=chat_id,
                user_id=user_id,
                permissions=ChatPermissions.no_permissions(),
                use_independent_chat_permissions=True,
            )
        verb = "remove" if action.remove else "restrict"
        try:
            await self.call(f"{verb} member", request, idempotent=True)
        except (BadRequest, Forbidden) as exc:
            log.warning(
                "could not %s %s in %s: %s (make the bot an admin with 'Ban users')",
                verb,
                action.user.key,
                action.chat.key,
                exc.message,
            )
            return
        done = "removed" if action.remove else "restricted"
        log.info("%s %s in %s: %s", done, action.user.key, action.chat.key, action.reason)

    # -- other calls -----------------------------------------------------------------------
    async def answer_callback(self, query_id: str) -> None:
        """Stop the button's spinner (best effort: an old query cannot be answered)."""
        request = partial(self.bot.answer_callback_query, callback_query_id=query_id)
        try:
            await self.call("answerCallbackQuery", request, idempotent=True)
        except BadRequest as exc:
            log.debug("callback query %s not answered: %s", query_id, exc.message)

    async def member_status(self, chat_id: str, user_id: str) -> str:
        """getChatMember's status ("creator", "administrator", "member", …)."""
        request = partial(
            self.bot.get_chat_member, chat_id=chat_id_of(chat_id), user_id=int(user_id)
        )
        member = await self.call("getChatMember", request, idempotent=True)
        return str(member.status)

    # -- rendering -------------------------------------------------------------------------
    def keyboard(self, rows: ButtonRows, *, private: bool) -> InlineKeyboardMarkup | None:
        key = (rows, private)
        if key in self._keyboards:
            return self._keyboards[key]
        keyboard = [
            [self._button(button, private=private) for button in row] for row in rows if row
        ]
        markup = InlineKeyboardMarkup(keyboard) if keyboard else None
        # Payloads too long for callback_data map to entries CallbackStore may evict: those
        # keyboards are rendered afresh each time. The cache stays small (cleared when full).
        if all(self.callbacks.fits(b.payload or b.label) for row in rows for b in row):
            if len(self._keyboards) >= _KEYBOARD_CACHE_SIZE:
                self._keyboards.clear()
            self._keyboards[key] = markup
        return markup

    def _button(self, button: Button, *, private: bool) -> InlineKeyboardButton:
        if button.style is ButtonStyle.URL and button.url:
            return InlineKeyboardButton(button.label, url=button.url)
        if button.style is ButtonStyle.PRIVATE and not private:
            return InlineKeyboardButton(button.label, url=self.deep_link(button.payload))
        # In the private chat a "go private" button simply runs its command here.
        data = self.callbacks.encode(button.payload or button.label)
        return InlineKeyboardButton(button.label, callback_data=data)

    def deep_link(self, payload: str) -> str:
        """``https://t.me/<bot>?start=<payload>``: opens the private chat with the payload."""
        base = f"https://t.me/{self.bot.username}"
        parameter = encode_deep_link(payload) if payload else ""
        return f"{base}?start={parameter}" if parameter else base
