"""The neutral domain model shared by the engine and every channel adapter.

Adapters turn a platform update into an :class:`Event` and render the engine's
:class:`Action` objects with the platform's best native feature. Nothing here knows a
platform library: identifiers are plain strings prefixed by the platform name.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class User:
    """Who: a user on one platform."""

    platform: str
    id: str
    display_name: str = ""
    username: str = ""
    locale: str = ""

    @property
    def key(self) -> str:
        """Platform-prefixed id, unique across platforms ("telegram:42")."""
        return f"{self.platform}:{self.id}"

    @classmethod
    def from_key(cls, key: str, display_name: str = "", username: str = "") -> User:
        """The user behind a stored platform-prefixed id."""
        platform, _, user_id = key.partition(":")
        return cls(platform=platform, id=user_id, display_name=display_name, username=username)

    @property
    def label(self) -> str:
        """A human-friendly name for the user."""
        if self.display_name:
            return self.display_name
        return f"@{self.username}" if self.username else self.key


@dataclass(frozen=True, slots=True)
class Chat:
    """Where: a private chat (DM) or a group / channel."""

    platform: str
    id: str
    is_private: bool
    title: str = ""
    # Threads / forum topics inside a group (Telegram message_thread_id, Discord thread).
    thread_id: str = ""
    # The community the chat belongs to where it is not the chat itself (a Discord server's
    # id for its channels); empty for a Telegram or Feishu group, which is its own community.
    community_id: str = ""

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"

    @property
    def community_key(self) -> str:
        """The community this chat belongs to ("discord:<server id>", "telegram:<group id>")."""
        return f"{self.platform}:{self.community_id or self.id}"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the user sent (a screenshot, usually); ``ref`` is the platform's file id or URL."""

    kind: str  # "image" | "file"
    ref: str
    name: str = ""


class EventKind(enum.StrEnum):
    MESSAGE = "message"
    COMMAND = "command"
    BUTTON = "button"
    MEMBER_JOINED = "member_joined"
    MEMBER_RENAMED = "member_renamed"
    MEMBER_LEFT = "member_left"
    FORM_SUBMITTED = "form_submitted"


@dataclass(frozen=True, slots=True)
class Event:
    """What happened. ``event_id`` is the platform's id, used for de-duplication."""

    kind: EventKind
    event_id: str
    user: User
    chat: Chat
    text: str = ""
    command: str = ""  # lower-case name without "/" or "@bot", for COMMAND
    args: str = ""  # the text after the command
    payload: str = ""  # button data, for BUTTON
    form: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    message_id: str = ""
    # The message this one replies to, and its author (used by /flag as a reply).
    reply_to_message_id: str = ""
    reply_to_user: User | None = None
    reply_to_text: str = ""
    mentions: tuple[User, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    # Private chat, mention of the bot, or reply to the bot. Adapters strip the bot's own
    # mention from ``text`` so handlers never mistake it for a contact handle.
    is_to_me: bool = False
    # True when the adapter already knows the sender administers this chat (e.g. the
    # Discord interaction carries permissions, or Telegram's anonymous admin).
    sender_is_admin: bool | None = None
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def platform(self) -> str:
        return self.user.platform


class ButtonStyle(enum.StrEnum):
    CALLBACK = "callback"  # pressing sends ``payload`` back as a BUTTON event
    URL = "url"  # opens ``url``
    PRIVATE = "private"  # opens the private chat with the bot, carrying ``payload``


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    payload: str = ""
    url: str = ""
    style: ButtonStyle = ButtonStyle.CALLBACK


ButtonRows = tuple[tuple[Button, ...], ...]


class Action:
    """Base of everything the engine asks an adapter to do."""

    __slots__ = ()

    @property
    def platform(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Reply(Action):
    """Send ``text`` into ``chat``; with ``edit_message_id``, edit that message instead."""

    chat: Chat
    text: str
    buttons: ButtonRows = ()
    attachments: tuple[Attachment, ...] = ()
    reply_to_message_id: str = ""
    edit_message_id: str = ""
    # Only the recipient sees it where the platform can (Discord ephemeral replies).
    ephemeral: bool = False
    # The user it answers, so adapters that can answer ephemerally know who.
    recipient: User | None = None

    @property
    def platform(self) -> str:
        return self.chat.platform


@dataclass(frozen=True, slots=True)
class SendPrivate(Action):
    """Send ``text`` to ``user`` in private (the DM with the bot)."""

    user: User
    text: str
    buttons: ButtonRows = ()
    # Files to pass on (platform file ids: only meaningful on the platform they came from).
    attachments: tuple[Attachment, ...] = ()

    @property
    def platform(self) -> str:
        return self.user.platform


@dataclass(frozen=True, slots=True)
class DeleteMessage(Action):
    chat: Chat
    message_id: str

    @property
    def platform(self) -> str:
        return self.chat.platform


@dataclass(frozen=True, slots=True)
class RestrictUser(Action):
    """Mute (or with ``remove``, remove) a member of a group."""

    chat: Chat
    user: User
    reason: str
    remove: bool = False

    @property
    def platform(self) -> str:
        return self.chat.platform


@dataclass(frozen=True, slots=True)
class NotifyStaff(Action):
    """Post to a staff destination ("platform:chat_id") chosen by the engine."""

    destination: str
    text: str
    buttons: ButtonRows = ()
    ticket_no: str = ""
    attachments: tuple[Attachment, ...] = ()

    @property
    def platform(self) -> str:
        return self.destination.partition(":")[0]

    @property
    def chat_id(self) -> str:
        return self.destination.partition(":")[2]
