"""Discord objects → the core's neutral :class:`~core.model.Event`.

Who: ``User(platform="discord", id=<snowflake>)`` with the display name (server nickname,
else global name, else username) and the username. Where: a DM channel is a private chat;
a guild text channel is a group whose id is the channel id (so ``discord.staff_channel_id``
and ``"discord:<channel id>"`` entries match it); a thread is its parent channel with
``thread_id`` set. Event ids: the message id or the interaction id (snowflakes, unique), and
for member events an id built from (guild, user, kind, names) so a redelivered event is
handled once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime

import discord

from core.model import Attachment, Chat, Event, EventKind, User

PLATFORM = "discord"

# The commands of DESIGN.md; a DM typed as "/cancel" counts like the slash command.
COMMANDS = (
    "start", "help", "support", "verify", "complain", "cancel", "ticket", "order", "card",
    "recharge", "flag", "unflag", "flags", "claim", "reply", "close", "escalate",
)  # fmt: skip

_TYPED_COMMAND = re.compile(r"^/([a-z]+)(?:@\S+)?(?:\s+(.*))?$", re.S | re.I)
_SPOKEN_TYPES = (discord.MessageType.default, discord.MessageType.reply)

AnyUser = discord.User | discord.Member | discord.ClientUser
Interaction = discord.Interaction[discord.Client]


def user_of(user: AnyUser, *, locale: str = "") -> User:
    return User(
        platform=PLATFORM,
        id=str(user.id),
        display_name=user.display_name,
        username=user.name,
        locale=locale,
    )


def dm_chat(channel_id: int) -> Chat:
    return Chat(platform=PLATFORM, id=str(channel_id), is_private=True)


def guild_chat(channel: discord.abc.GuildChannel | discord.Thread) -> Chat:
    title = f"{channel.guild.name} #{channel.name}"
    if isinstance(channel, discord.Thread):
        parent = channel.parent_id or channel.id
        return Chat(
            platform=PLATFORM,
            id=str(parent),
            is_private=False,
            title=title,
            thread_id=str(channel.id),
            community_id=str(channel.guild.id),
        )
    return Chat(
        platform=PLATFORM,
        id=str(channel.id),
        is_private=False,
        title=title,
        community_id=str(channel.guild.id),
    )


def chat_of_interaction(interaction: Interaction) -> Chat:
    channel = interaction.channel
    if interaction.guild_id is None:
        return dm_chat(interaction.channel_id or interaction.user.id)
    if isinstance(channel, discord.abc.GuildChannel | discord.Thread):
        return guild_chat(channel)
    guild = interaction.guild
    return Chat(
        platform=PLATFORM,
        id=str(interaction.channel_id),
        is_private=False,
        title=guild.name if guild is not None else "",
        community_id=str(interaction.guild_id),
    )


def sender_is_admin(interaction: Interaction) -> bool | None:
    """Moderator by the permissions Discord resolved for this channel (guilds only)."""
    if interaction.guild_id is None:
        return None
    permissions = interaction.permissions
    return permissions.manage_messages or permissions.moderate_members


def interaction_user(interaction: Interaction) -> User:
    return user_of(interaction.user, locale=interaction.locale.value)


def interaction_event(
    interaction: Interaction,
    kind: EventKind,
    *,
    chat: Chat | None = None,
    text: str = "",
    command: str = "",
    args: str = "",
    payload: str = "",
    form: Mapping[str, str] | None = None,
    mentions: tuple[User, ...] = (),
    reply_to_user: User | None = None,
) -> Event:
    """An event for an interaction; ``chat`` overrides where it happens (the user's DM).

    ``sender_is_admin`` comes from the permissions Discord resolved for the channel the
    interaction happened in, so it is only set when the event happens there too.
    """
    message = interaction.message
    return Event(
        kind=kind,
        event_id=str(interaction.id),
        user=interaction_user(interaction),
        chat=chat or chat_of_interaction(interaction),
        text=text,
        command=command,
        args=args,
        payload=payload,
        form=dict(form or {}),
        message_id=str(message.id) if message is not None and chat is None else "",
        mentions=mentions,
        reply_to_user=reply_to_user,
        is_to_me=True,
        sender_is_admin=sender_is_admin(interaction) if chat is None else None,
        occurred_at=interaction.created_at,
    )


def command_event(
    interaction: Interaction,
    command: str,
    args: str = "",
    *,
    chat: Chat | None = None,
    mentions: tuple[User, ...] = (),
    reply_to_user: User | None = None,
) -> Event:
    return interaction_event(
        interaction,
        EventKind.COMMAND,
        chat=chat,
        text=f"/{command} {args}".strip(),
        command=command,
        args=args,
        mentions=mentions,
        reply_to_user=reply_to_user,
    )


def join_args(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def message_event(
    message: discord.Message, bot_id: int, channel: object | None = None
) -> Event | None:
    """A user's message, or None for bots, webhooks and system messages.

    ``channel``: the message's channel when discord.py had only a partial one (a thread
    not in its cache) and the caller fetched it.
    """
    author = message.author
    if author.bot or message.webhook_id is not None or message.type not in _SPOKEN_TYPES:
        return None
    where = channel or message.channel
    if isinstance(where, discord.abc.GuildChannel | discord.Thread):
        chat = guild_chat(where)
    elif message.guild is None:
        chat = dm_chat(message.channel.id)
    else:
        return None
    text = message.content
    mentioned_bot = any(u.id == bot_id for u in message.mentions)
    for token in (f"<@{bot_id}>", f"<@!{bot_id}>"):
        text = text.replace(token, " ")
    text = text.strip()
    reply_user, reply_text, reply_id = _reply_of(message)
    to_bot = reply_user is not None and reply_user.id == str(bot_id)
    kind, command, args = EventKind.MESSAGE, "", ""
    typed = _TYPED_COMMAND.match(text)
    if typed and typed.group(1).lower() in COMMANDS:
        kind, command, args = EventKind.COMMAND, typed.group(1).lower(), (typed.group(2) or "")
    return Event(
        kind=kind,
        event_id=str(message.id),
        user=user_of(author),
        chat=chat,
        text=text,
        command=command,
        args=args.strip(),
        message_id=str(message.id),
        reply_to_message_id=reply_id,
        reply_to_user=reply_user,
        reply_to_text=reply_text,
        mentions=_mentions(message, bot_id),
        attachments=tuple(_attachment(a) for a in message.attachments),
        is_to_me=chat.is_private or mentioned_bot or to_bot,
        occurred_at=message.created_at,
    )


def _reply_of(message: discord.Message) -> tuple[User | None, str, str]:
    reference = message.reference
    if reference is None or reference.message_id is None:
        return None, "", ""
    resolved = reference.resolved
    if isinstance(resolved, discord.Message):
        return user_of(resolved.author), resolved.content, str(reference.message_id)
    return None, "", str(reference.message_id)


def _mentions(message: discord.Message, bot_id: int) -> tuple[User, ...]:
    """Mentioned users other than the bot, in the order they appear in the text."""
    content = message.content

    def position(user: AnyUser) -> int:
        found = [content.find(t) for t in (f"<@{user.id}>", f"<@!{user.id}>")]
        hits = [f for f in found if f >= 0]
        return min(hits) if hits else len(content)

    users = sorted((u for u in message.mentions if u.id != bot_id), key=position)
    return tuple(user_of(u) for u in users)


def _attachment(attachment: discord.Attachment) -> Attachment:
    image = (attachment.content_type or "").startswith("image/")
    return Attachment(
        kind="image" if image else "file", ref=attachment.url, name=attachment.filename
    )


# -- member events ---------------------------------------------------------------------------
def announcement_chat(guild: discord.Guild) -> Chat:
    """Where guild-wide notices go: the system channel, else the first channel we may use."""
    me = guild.me
    candidates: list[discord.TextChannel] = []
    if guild.system_channel is not None:
        candidates.append(guild.system_channel)
    candidates += sorted(guild.text_channels, key=lambda c: c.position)
    for channel in candidates:
        if me is None or channel.permissions_for(me).send_messages:
            return guild_chat(channel)
    return Chat(
        platform=PLATFORM,
        id=str(guild.id),
        is_private=False,
        title=guild.name,
        community_id=str(guild.id),
    )


def _names(member: discord.Member) -> tuple[str, ...]:
    return (member.display_name, member.name, member.global_name or "")


def member_event_id(member: discord.Member, kind: str, *extra: str) -> str:
    digest = hashlib.sha256("\x1f".join((*_names(member), *extra)).encode()).hexdigest()[:24]
    return f"member:{member.guild.id}:{member.id}:{kind}:{digest}"


def member_joined_event(member: discord.Member) -> Event:
    joined = member.joined_at or datetime.now(UTC)
    return Event(
        kind=EventKind.MEMBER_JOINED,
        event_id=member_event_id(member, "joined", joined.isoformat()),
        user=user_of(member),
        chat=announcement_chat(member.guild),
        occurred_at=joined,
    )


def member_renamed_event(member: discord.Member) -> Event:
    """Keyed by the new names only: the member-update and user-update paths of one rename
    produce the same id, so the engine handles it once."""
    return Event(
        kind=EventKind.MEMBER_RENAMED,
        event_id=member_event_id(member, "renamed"),
        user=user_of(member),
        chat=announcement_chat(member.guild),
    )


def renamed(before: AnyUser, after: AnyUser) -> bool:
    return _names_of(before) != _names_of(after)


def _names_of(user: AnyUser) -> tuple[str, str, str]:
    return (user.display_name, user.name, user.global_name or "")
