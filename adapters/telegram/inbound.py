"""Inbound mapping: a python-telegram-bot ``Update`` → neutral core ``Event`` objects.

Pure and synchronous (no Bot API calls), so it is easy to test with real PTB objects built
from JSON. What is mapped:

* messages and captions in private chats and groups; ``/cmd`` and ``/cmd@thisbot`` become
  COMMAND events (``/cmd@otherbot`` is dropped, and so is an unaddressed group command that
  is not one of ours); ``/start <payload>`` carries the deep-link payload in ``args``;
* the bot's own ``@mention`` is stripped from the text and sets ``is_to_me`` (so does a
  private chat or a reply to the bot); replies fill ``reply_to_*`` (not the implicit reply to
  a forum topic's first message); ``text_mention`` entities fill ``mentions``;
* photos (``image``) and documents (``file``) become attachments, ``ref`` being the
  Telegram file id;
* callback queries become BUTTON events with the engine's payload;
* ``chat_member`` updates and ``new_chat_members`` / ``left_chat_member`` service messages
  become MEMBER_JOINED / MEMBER_LEFT (the adapter drops the duplicate when both arrive);
* an anonymous group admin (``sender_chat`` is the group itself) speaks as the group, with
  ``sender_is_admin=True``.

Dropped: channel posts, automatic forwards from a linked channel, messages of other bots,
edits in private chats (they would answer a flow step twice) and edited commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from telegram import (
    CallbackQuery,
    ChatMember,
    ChatMemberRestricted,
    Message,
    MessageEntity,
    Update,
)
from telegram import Chat as TgChat
from telegram import User as TgUser
from telegram.constants import ChatMemberStatus, ChatType

from adapters.telegram.payloads import CallbackStore, decode_deep_link
from core.model import Attachment, Chat, Event, EventKind, User

PLATFORM = "telegram"

# "/cmd", "/cmd@bot", then optional arguments after whitespace.
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+(.*))?$", re.S)
_IN_CHAT = frozenset(
    {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
)


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """Who the bot is (from ``getMe``): needed to recognise mentions, replies and commands."""

    id: int
    username: str


def to_user(user: TgUser) -> User:
    return User(
        platform=PLATFORM,
        id=str(user.id),
        display_name=user.full_name,
        username=user.username or "",
        locale=user.language_code or "",
    )


def chat_as_user(chat: TgChat) -> User:
    """A chat speaking as itself (anonymous admin, or a channel identity)."""
    return User(
        platform=PLATFORM,
        id=str(chat.id),
        display_name=chat.title or chat.full_name or "",
        username=chat.username or "",
    )


def to_chat(chat: TgChat, thread_id: int | None = None) -> Chat:
    return Chat(
        platform=PLATFORM,
        id=str(chat.id),
        is_private=chat.type == ChatType.PRIVATE,
        title=chat.title or "",
        thread_id=str(thread_id) if thread_id else "",
    )


def is_in_chat(member: ChatMember) -> bool:
    if isinstance(member, ChatMemberRestricted):
        return member.is_member
    return member.status in _IN_CHAT


def _thread_of(message: Message) -> int | None:
    return message.message_thread_id if message.is_topic_message else None


class InboundMapper:
    """Turns one PTB ``Update`` into zero or more core events."""

    def __init__(
        self,
        bot: BotIdentity,
        callbacks: CallbackStore,
        known_commands: frozenset[str] = frozenset(),
    ) -> None:
        self.bot = bot
        self.callbacks = callbacks
        # In groups, an unaddressed command outside this set belongs to another bot.
        self.known_commands = known_commands
        self._mention = re.compile(
            rf"(?<![A-Za-z0-9_])@{re.escape(bot.username)}(?![A-Za-z0-9_])", re.IGNORECASE
        )

    def map(self, update: Update) -> list[Event]:
        event_id = str(update.update_id)
        if update.callback_query is not None:
            event = self._callback(event_id, update.callback_query)
            return [event] if event is not None else []
        if update.chat_member is not None:
            change = update.chat_member
            was = is_in_chat(change.old_chat_member)
            now = is_in_chat(change.new_chat_member)
            return self._membership(
                event_id,
                change.chat,
                change.new_chat_member.user,
                joined=now and not was,
                left=was and not now,
                when=change.date,
            )
        if update.message is not None:
            return self._message(event_id, update.message, edited=False)
        if update.edited_message is not None:
            return self._message(event_id, update.edited_message, edited=True)
        return []

    # -- messages --------------------------------------------------------------------------
    def _message(self, event_id: str, message: Message, *, edited: bool) -> list[Event]:
        chat = message.chat
        if chat.type == ChatType.CHANNEL or message.is_automatic_forward:
            return []
        if message.new_chat_members:
            return self._joins(event_id, message)
        if message.left_chat_member is not None:
            return self._membership(
                event_id,
                chat,
                message.left_chat_member,
                joined=False,
                left=True,
                when=message.date,
                message_id=message.message_id,
            )
        sender = self._sender(message)
        if sender is None:
            return []
        user, sender_is_admin = sender
        where = to_chat(chat, _thread_of(message))
        text = message.text or message.caption or ""
        if edited and where.is_private:
            return []
        when = (message.edit_date or message.date) if edited else message.date
        reply_id, reply_user, reply_text = self._reply_fields(message)
        base = Event(
            kind=EventKind.MESSAGE,
            event_id=event_id,
            user=user,
            chat=where,
            text=text,
            message_id=str(message.message_id),
            reply_to_message_id=reply_id,
            reply_to_user=reply_user,
            reply_to_text=reply_text,
            mentions=self._mentions(message),
            attachments=_attachments(message),
            sender_is_admin=sender_is_admin,
            occurred_at=when,
        )
        command = _COMMAND.match(text)
        if command is not None:
            name, target, args = command.group(1), command.group(2), command.group(3) or ""
            if target and target.lower() != self.bot.username.lower():
                return []  # addressed to another bot
            foreign = self.known_commands and name.lower() not in self.known_commands
            if edited or (foreign and not target and not where.is_private):
                return []  # an edit, or "/roll" meant for another bot of the group
            args = args.strip()
            if name.lower() == "start":
                args = decode_deep_link(args)
            command_event = replace(
                base, kind=EventKind.COMMAND, command=name.lower(), args=args, is_to_me=True
            )
            return [command_event]
        mentioned = bool(self._mention.search(text))
        if mentioned:
            text = re.sub(r"[ \t]{2,}", " ", self._mention.sub("", text)).strip()
        if not text and not base.attachments:
            return []  # stickers, voice, locations, pins…: nothing the engine can use
        to_bot = reply_user is not None and reply_user.id == str(self.bot.id)
        return [replace(base, text=text, is_to_me=where.is_private or mentioned or to_bot)]

    def _sender(self, message: Message) -> tuple[User, bool | None] | None:
        """The author and whether they are known to administer the chat (None: ask)."""
        if message.sender_chat is not None:
            if message.sender_chat.id == message.chat.id:
                return chat_as_user(message.sender_chat), True  # anonymous group admin
            return chat_as_user(message.sender_chat), False  # posting as a channel
        author = message.from_user
        if author is None or author.is_bot:
            return None
        return to_user(author), None

    def _reply_fields(self, message: Message) -> tuple[str, User | None, str]:
        """The replied-to message: its id, author and text ("", None, "" when none)."""
        reply = message.reply_to_message
        if reply is None:
            return "", None, ""
        if message.is_topic_message and reply.forum_topic_created is not None:
            return "", None, ""  # every topic message "replies" to the topic's first message
        author: User | None = None
        if reply.sender_chat is not None:
            author = chat_as_user(reply.sender_chat)
        elif reply.from_user is not None:
            author = to_user(reply.from_user)
        return str(reply.message_id), author, reply.text or reply.caption or ""

    def _mentions(self, message: Message) -> tuple[User, ...]:
        entities = message.entities or message.caption_entities
        found: list[User] = []
        for entity in entities:
            user = entity.user
            if entity.type == MessageEntity.TEXT_MENTION and user and user.id != self.bot.id:
                found.append(to_user(user))
        return tuple(found)

    # -- members ---------------------------------------------------------------------------
    def _joins(self, event_id: str, message: Message) -> list[Event]:
        events: list[Event] = []
        for member in message.new_chat_members:
            if member.id == self.bot.id:
                continue
            events.extend(
                self._membership(
                    event_id if not events else f"{event_id}:{member.id}",
                    message.chat,
                    member,
                    joined=True,
                    left=False,
                    when=message.date,
                    message_id=message.message_id,
                )
            )
        return events

    def _membership(
        self,
        event_id: str,
        chat: TgChat,
        member: TgUser,
        *,
        joined: bool,
        left: bool,
        when: datetime,
        message_id: int | None = None,
    ) -> list[Event]:
        if member.id == self.bot.id or not (joined or left) or chat.type == ChatType.PRIVATE:
            return []
        return [
            Event(
                kind=EventKind.MEMBER_JOINED if joined else EventKind.MEMBER_LEFT,
                event_id=event_id,
                user=to_user(member),
                chat=to_chat(chat),
                message_id=str(message_id) if message_id else "",
                occurred_at=when,
            )
        ]

    # -- buttons ---------------------------------------------------------------------------
    def _callback(self, event_id: str, query: CallbackQuery) -> Event | None:
        message = query.message
        if query.data is None or message is None:
            return None  # games and inline-mode messages: not ours
        thread = _thread_of(message) if isinstance(message, Message) else None
        return Event(
            kind=EventKind.BUTTON,
            event_id=event_id,
            user=to_user(query.from_user),
            chat=to_chat(message.chat, thread),
            payload=self.callbacks.decode(query.data),
            message_id=str(message.message_id),
            is_to_me=True,
        )


def _attachments(message: Message) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    if message.photo:
        largest = max(message.photo, key=lambda p: p.width * p.height)
        found.append(Attachment(kind="image", ref=largest.file_id, name="photo.jpg"))
    document = message.document
    if document is not None:
        # Kept as a file (a screenshot sent uncompressed too): its id only works with
        # sendDocument when staff pass it on.
        found.append(Attachment(kind="file", ref=document.file_id, name=document.file_name or ""))
    return tuple(found)
