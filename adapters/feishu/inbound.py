"""Inbound mapping: decoded Feishu callbacks (schema 2.0) → neutral core :class:`Event` s.

* ``im.message.receive_v1``: private (``p2p``) messages, and group messages: those that
  mention the bot (``is_to_me``) and, where the app has the "all group messages" permission,
  every other one. The bot's own mention is removed from the text; other mentions become
  ``@name`` and :attr:`Event.mentions`. ``/cmd args`` is a COMMAND. Text and rich-text
  (``post``) content is parsed; images become ``Attachment(kind="image", ref=image_key)``.
* ``im.chat.member.user.added_v1`` → MEMBER_JOINED per added user (with the name Feishu
  sends, for the impostor guard); ``…user.deleted_v1`` → MEMBER_LEFT.
* ``card.action.trigger`` → BUTTON with the payload of our button value; a "private" button
  pressed anywhere → ``/start <payload>`` (COMMAND) in the user's private chat.

Identifiers: users are their ``open_id`` (``ou_…``); a private chat is identified by the
user's open_id too (messages to it are sent with ``receive_id_type=open_id``), a group by its
``chat_id`` (``oc_…``). The core ``event_id`` is Feishu's ``header.event_id`` (suffixed with
the user's open_id when one callback yields several events), so the engine's persistent
de-duplication sees Feishu's retries as the duplicates they are.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from adapters.feishu.cards import KIND_PRIVATE, parse_button_value, post_text
from core.model import Attachment, Chat, Event, EventKind, User

log = logging.getLogger(__name__)

PLATFORM = "feishu"

MESSAGE_RECEIVED = "im.message.receive_v1"
MEMBER_ADDED = "im.chat.member.user.added_v1"
MEMBER_DELETED = "im.chat.member.user.deleted_v1"
CARD_ACTION = "card.action.trigger"
HANDLED_TYPES = frozenset({MESSAGE_RECEIVED, MEMBER_ADDED, MEMBER_DELETED, CARD_ACTION})

_SPACES = re.compile(r"[ \t\u00a0]{2,}")


@dataclass(frozen=True, slots=True)
class Callback:
    """A decrypted, verified schema 2.0 callback."""

    event_type: str
    event_id: str
    created: datetime
    event: Mapping[str, Any]


class Lookups(Protocol):
    """What the mapper may ask Feishu (cached by the adapter; failures give empty answers)."""

    async def bot_open_id(self) -> str: ...

    async def user_name(self, open_id: str) -> str: ...

    async def replied_message(self, message_id: str) -> tuple[User | None, str]: ...


def parse_callback(payload: Mapping[str, Any]) -> Callback | None:
    """The schema 2.0 envelope; None for anything else (schema 1.0 events are not used)."""
    header = payload.get("header")
    event = payload.get("event")
    if payload.get("schema") != "2.0" or not isinstance(header, dict):
        return None
    return Callback(
        event_type=str(header.get("event_type", "")),
        event_id=str(header.get("event_id", "")),
        created=_time(header.get("create_time")),
        event=event if isinstance(event, dict) else {},
    )


def _time(value: object, default: datetime | None = None) -> datetime:
    """Feishu times are milliseconds since the epoch, as strings."""
    try:
        return datetime.fromtimestamp(int(str(value)) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return default or datetime.now(UTC)


def _open_id(ids: object) -> str:
    return str(ids.get("open_id", "")) if isinstance(ids, dict) else ""


def private_chat(open_id: str) -> Chat:
    return Chat(platform=PLATFORM, id=open_id, is_private=True)


def _split_command(text: str) -> tuple[str, str] | None:
    """``/cmd args`` → (cmd, args); ``/cmd@name`` keeps only the command."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return None
    head, _, args = text[1:].partition(" ")
    head, _, args2 = head.partition("\n")
    command = head.split("@", 1)[0].lower()
    if not command:
        return None
    return command, (args or args2).strip()


class InboundMapper:
    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups

    async def events(self, callback: Callback) -> list[Event]:
        if callback.event_type == MESSAGE_RECEIVED:
            event = await self._message(callback)
            return [event] if event is not None else []
        if callback.event_type in (MEMBER_ADDED, MEMBER_DELETED):
            return self._members(callback)
        if callback.event_type == CARD_ACTION:
            event = await self._card_action(callback)
            return [event] if event is not None else []
        return []

    # -- messages ---------------------------------------------------------------------------
    async def _message(self, callback: Callback) -> Event | None:
        body = callback.event
        sender = body.get("sender") or {}
        message = body.get("message") or {}
        if sender.get("sender_type", "user") != "user":
            return None  # other apps and bots
        open_id = _open_id(sender.get("sender_id"))
        if not open_id or not isinstance(message, dict):
            return None
        user = User(platform=PLATFORM, id=open_id, display_name=await self._name(open_id))
        private = message.get("chat_type") == "p2p"
        chat = (
            private_chat(open_id)
            if private
            else Chat(
                platform=PLATFORM,
                id=str(message.get("chat_id", "")),
                is_private=False,
                thread_id=str(message.get("thread_id", "") or ""),
            )
        )
        text, attachments = _content(str(message.get("message_type", "")), message)
        text, mentions, to_bot = await self._mentions(text, message.get("mentions") or [])
        text = text.strip()
        fields: dict[str, Any] = {
            "event_id": callback.event_id,
            "user": user,
            "chat": chat,
            "message_id": str(message.get("message_id", "")),
            "mentions": mentions,
            "attachments": attachments,
            "occurred_at": _time(message.get("create_time"), callback.created),
        }
        parent = str(message.get("parent_id", "") or "")
        command = _split_command(text)
        if parent:
            fields["reply_to_message_id"] = parent
            if command is not None:  # /flag and /verify as a reply need the replied author
                author, quoted = await self.lookups.replied_message(parent)
                fields["reply_to_user"] = author
                fields["reply_to_text"] = quoted
        if command is not None:
            name, args = command
            return Event(
                kind=EventKind.COMMAND, text=text, command=name, args=args, is_to_me=True, **fields
            )
        if not text and not attachments:
            return None  # stickers, system messages, an empty mention
        return Event(kind=EventKind.MESSAGE, text=text, is_to_me=private or to_bot, **fields)

    async def _name(self, open_id: str) -> str:
        try:
            return await self.lookups.user_name(open_id)
        except Exception:  # a name is a nicety; never lose the message for it
            log.debug("name lookup for %s failed", open_id, exc_info=True)
            return ""

    async def _mentions(self, text: str, raw: list[Any]) -> tuple[str, tuple[User, ...], bool]:
        """Strip the bot's mention, spell out the others; (text, mentioned users, to bot)."""
        if not raw:
            return text, (), False
        bot_id = await self.lookups.bot_open_id()
        users: list[User] = []
        replacements: list[tuple[str, str]] = []
        to_bot = False
        for mention in raw:
            if not isinstance(mention, dict):
                continue
            key = str(mention.get("key", ""))
            open_id = _open_id(mention.get("id"))
            name = str(mention.get("name", ""))
            if bot_id and open_id == bot_id:
                to_bot = True
                replacements.append((key, " "))
                continue
            replacements.append((key, f"@{name}" if name else ""))
            if open_id:
                users.append(User(platform=PLATFORM, id=open_id, display_name=name))
        # Longest keys first, so "@_user_1" never eats the start of "@_user_10".
        for key, replacement in sorted(replacements, key=lambda r: -len(r[0])):
            if key:
                text = text.replace(key, replacement)
        return _SPACES.sub(" ", text), tuple(users), to_bot

    # -- members ----------------------------------------------------------------------------
    def _members(self, callback: Callback) -> list[Event]:
        body = callback.event
        chat = Chat(
            platform=PLATFORM,
            id=str(body.get("chat_id", "")),
            is_private=False,
            title=str(body.get("name", "") or ""),
        )
        kind = (
            EventKind.MEMBER_JOINED
            if callback.event_type == MEMBER_ADDED
            else EventKind.MEMBER_LEFT
        )
        users = [u for u in body.get("users") or [] if isinstance(u, dict)]
        events = []
        for member in users:
            open_id = _open_id(member.get("user_id"))
            if not open_id or not chat.id:
                continue
            user = User(platform=PLATFORM, id=open_id, display_name=str(member.get("name", "")))
            event_id = callback.event_id if len(users) == 1 else f"{callback.event_id}:{open_id}"
            events.append(
                Event(
                    kind=kind, event_id=event_id, user=user, chat=chat, occurred_at=callback.created
                )
            )
        return events

    # -- card buttons -----------------------------------------------------------------------
    async def _card_action(self, callback: Callback) -> Event | None:
        body = callback.event
        operator = body.get("operator") or {}
        action = body.get("action") or {}
        context = body.get("context") or {}
        open_id = str(operator.get("open_id", "")) if isinstance(operator, dict) else ""
        pressed = parse_button_value(action.get("value") if isinstance(action, dict) else None)
        if not open_id or pressed is None:
            return None
        user = User(platform=PLATFORM, id=open_id, display_name=await self._name(open_id))
        if pressed.kind == KIND_PRIVATE:
            # The deep link of other platforms: the private chat opens with /start <payload>.
            return Event(
                kind=EventKind.COMMAND,
                event_id=callback.event_id,
                user=user,
                chat=private_chat(open_id),
                text=f"/start {pressed.payload}".strip(),
                command="start",
                args=pressed.payload,
                is_to_me=True,
                occurred_at=callback.created,
            )
        ctx = context if isinstance(context, dict) else {}
        chat_id = str(ctx.get("open_chat_id", ""))
        if pressed.in_private_chat or not chat_id:
            chat = private_chat(open_id)
        else:
            chat = Chat(platform=PLATFORM, id=chat_id, is_private=False)
        return Event(
            kind=EventKind.BUTTON,
            event_id=callback.event_id,
            user=user,
            chat=chat,
            payload=pressed.payload,
            message_id=str(ctx.get("open_message_id", "")),
            is_to_me=True,
            occurred_at=callback.created,
        )


def _content(message_type: str, message: Mapping[str, Any]) -> tuple[str, tuple[Attachment, ...]]:
    """Text and attachments of a received message's JSON ``content``."""
    try:
        data = json.loads(str(message.get("content") or "{}"))
    except ValueError:
        return "", ()
    if not isinstance(data, dict):
        return "", ()
    if message_type == "text":
        return str(data.get("text", "")), ()
    if message_type == "image" and data.get("image_key"):
        return "", (Attachment(kind="image", ref=str(data["image_key"])),)
    if message_type == "file" and data.get("file_key"):
        name = str(data.get("file_name", ""))
        return "", (Attachment(kind="file", ref=str(data["file_key"]), name=name),)
    if message_type == "post":
        text, images = post_text(data)
        return text, tuple(Attachment(kind="image", ref=key) for key in images)
    return "", ()
