"""Core :class:`~core.model.Action` → Discord calls: the adapter's single outbound seam.

* ``Reply``: answers the current interaction when it is for the interaction's channel (see
  :mod:`adapters.discord.interactions`), else a message in the channel (a reply to the
  user's message in guilds), or an edit with ``edit_message_id``.
* ``SendPrivate``: an ephemeral follow-up while the same user's guild interaction is being
  answered, else a DM. A DM the user does not accept (privacy settings) falls back to the
  interaction when there is one, else it is logged.
* ``DeleteMessage``, ``RestrictUser`` (a timeout of :data:`RESTRICT_FOR`, or a kick with
  ``remove``), ``NotifyStaff`` (a channel id, or a user id for a DM).

Text: the core's text is plain, so Discord markdown in it (a user's name like
``[官方客服](https://evil)``, masked card keys ``XH7K****6W``) is escaped, ``@everyone`` and
raw mentions are defused, and no message may ping anyone (``AllowedMentions.none()``).
Messages longer than Discord's 2,000 characters are split on line breaks; buttons go with
the last part. Rate limits are discord.py's business: nothing here retries.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Literal

import aiohttp
import discord

from adapters.discord.interactions import NO_PINGS, InteractionSession, current_session
from adapters.discord.prompts import Prompt, PromptCatalog
from adapters.discord.views import build_view
from core.model import (
    Action,
    Attachment,
    ButtonRows,
    Chat,
    DeleteMessage,
    NotifyStaff,
    Reply,
    RestrictUser,
    SendPrivate,
    User,
)
from core.staff.threads import TicketThreads

log = logging.getLogger(__name__)
PLATFORM = "discord"

MAX_CONTENT = 2000
RESTRICT_FOR = timedelta(days=28)  # Discord's longest timeout; moderators lift it early
CANNOT_DM = 50007  # Discord error code: cannot send messages to this user
MAX_FILE_BYTES = 8 * 1024 * 1024  # larger files are passed on as a link
MAX_FILES = 10  # per message
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week of quiet before a ticket's thread archives


# <@id>, <@!id>, <@&role>, <#channel>: Discord shows these as mention pills even when no
# one is pinged, so a user could make the bot "show" an official account or role.
_RAW_MENTION = re.compile(r"<([@#][!&]?\d)")


# escape_markdown escapes one "[" of "[[官方客服](https://evil)", leaving a live masked link.
_UNESCAPED_BRACKET = re.compile(r"(?<!\\)\[")


def prepare_text(text: str) -> str:
    escaped = discord.utils.escape_markdown(text, ignore_links=True)
    escaped = _UNESCAPED_BRACKET.sub(r"\\[", escaped)
    return _RAW_MENTION.sub(r"\\<\1", discord.utils.escape_mentions(escaped))


def split_text(text: str, limit: int = MAX_CONTENT) -> list[str]:
    """Parts of at most ``limit`` characters, cut at line breaks where possible."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
            run = 0  # backslashes before the cut: an odd run would split an escape
            while run < cut and rest[cut - 1 - run] == "\\":
                run += 1
            cut = max(cut - run % 2, 1)
        parts.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    parts.append(rest)
    return [p for p in parts if p.strip()] or ["…"]


class Outbound:
    def __init__(
        self,
        client: Callable[[], discord.Client | None],
        prompts: PromptCatalog,
        private_notes: Iterable[str],
        threads: TicketThreads | None = None,
    ) -> None:
        self._client = client
        self._prompts = prompts
        self._threads = threads
        # "I sent it to you in private": dropped when the result was shown ephemerally.
        self._private_notes = frozenset(private_notes)

    @property
    def client(self) -> discord.Client:
        client = self._client()
        if client is None or client.is_closed():
            raise RuntimeError("the Discord channel is not connected")
        return client

    async def send(self, action: Action) -> None:
        session = current_session.get()
        if isinstance(action, Reply):
            await self._reply(action, session)
        elif isinstance(action, SendPrivate):
            out = Outgoing(action.text, action.buttons, action.attachments)
            await self._private(action.user, out, session)
        elif isinstance(action, DeleteMessage):
            await self._delete(action)
        elif isinstance(action, RestrictUser):
            await self._restrict(action)
        elif isinstance(action, NotifyStaff):
            await self._notify(action)
        else:
            log.warning("discord: unsupported action %s dropped", type(action).__name__)

    # -- messages ----------------------------------------------------------------------------
    async def _reply(self, action: Reply, session: InteractionSession | None) -> None:
        chat = action.chat
        prompt = self._prompts.match(action.text) if chat.is_private else None
        out = Outgoing(action.text, action.buttons, action.attachments, prompt)
        if session is not None and session.answers(chat) and not action.edit_message_id:
            if session.private_shown and action.text in self._private_notes:
                return
            await self._via_session(session, out, session.ephemeral(action.ephemeral))
            return
        if action.edit_message_id:
            await self._edit(action)
            return
        channel = self._messageable(int(chat.thread_id or chat.id))
        reference = None
        if action.reply_to_message_id and not chat.is_private:
            reference = discord.MessageReference(
                message_id=int(action.reply_to_message_id),
                channel_id=int(chat.thread_id or chat.id),
                fail_if_not_exists=False,
            )
        try:
            await self._to_channel(channel, out, reference)
        except discord.Forbidden as exc:
            recipient = action.recipient
            mine = session is not None and recipient is not None and recipient.id == session.user_id
            if chat.is_private and session is not None and mine and exc.code == CANNOT_DM:
                await self._via_session(session, out, True)
                return
            raise

    async def _private(self, user: User, out: Outgoing, session: InteractionSession | None) -> None:
        mine = session is not None and session.user_id == user.id
        if session is not None and mine and session.in_guild:
            try:
                await self._via_session(session, out, True)
                session.private_shown = True
                return
            except discord.HTTPException as exc:  # the token expired: a DM still works
                log.info("ephemeral answer failed (%s); sending a DM instead", exc)
        dm = await self.client.create_dm(discord.Object(id=int(user.id)))
        try:
            await self._to_channel(dm, out.with_prompt(self._prompts.match(out.text)), None)
        except discord.Forbidden as exc:
            if exc.code != CANNOT_DM:
                raise
            if session is not None and mine:
                await self._via_session(session, out, True)
                return
            log.warning("discord user %s does not accept DMs from the bot", user.id)

    async def _via_session(
        self, session: InteractionSession, out: Outgoing, ephemeral: bool
    ) -> None:
        view, parts, files = await self._render(out)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await session.send(
                part, view=view if last else None, files=files if last else (), ephemeral=ephemeral
            )

    async def _to_channel(
        self,
        channel: discord.abc.Messageable,
        out: Outgoing,
        reference: discord.MessageReference | None,
    ) -> list[discord.Message]:
        view, parts, files = await self._render(out)
        sent = []
        for index, part in enumerate(parts):
            options: dict[str, Any] = {"allowed_mentions": NO_PINGS}
            if reference is not None and index == 0:  # the first part replies to the user
                options["reference"] = reference
            if index == len(parts) - 1:
                if view is not None:
                    options["view"] = view
                if files:
                    options["files"] = files
            sent.append(await channel.send(part, **options))
        return sent

    async def _render(
        self, out: Outgoing
    ) -> tuple[discord.ui.View | None, list[str], list[discord.File]]:
        view, leftovers = build_view(out.buttons, answer=out.prompt)
        files, links = await self._files(out.attachments)
        text = "\n".join(t for t in (out.text, leftovers, links) if t)
        return view, split_text(prepare_text(text)), files

    async def _files(self, attachments: Sequence[Attachment]) -> tuple[list[discord.File], str]:
        """Discord files (re-uploaded: CDN links expire) and text for what cannot be."""
        files: list[discord.File] = []
        links: list[str] = []
        for attachment in attachments[:MAX_FILES]:
            name = attachment.name or f"{attachment.kind}.bin"
            if not attachment.ref.startswith(("https://", "http://")):
                links.append(f"📎 {name}")  # another platform's file id: only its name helps
                continue
            try:
                data = await self.client.http.get_from_cdn(attachment.ref)
            except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
                log.info("could not fetch attachment %s: %s", name, exc)
                data = b""
            if data and len(data) <= MAX_FILE_BYTES:
                files.append(discord.File(io.BytesIO(data), filename=name))
            else:
                links.append(f"📎 {name}: {attachment.ref}")
        return files, "\n".join(links)

    async def _edit(self, action: Reply) -> None:
        view, leftovers = build_view(action.buttons)
        text = split_text(prepare_text(_with(action.text, leftovers)))[0]
        channel = self.client.get_partial_messageable(int(action.chat.thread_id or action.chat.id))
        message = channel.get_partial_message(int(action.edit_message_id))
        await message.edit(content=text, view=view, allowed_mentions=NO_PINGS)

    def _messageable(self, channel_id: int) -> discord.abc.Messageable:
        channel = self.client.get_channel(channel_id)
        if isinstance(channel, discord.abc.Messageable):
            return channel
        return self.client.get_partial_messageable(channel_id)

    # -- moderation ----------------------------------------------------------------------------
    async def _delete(self, action: DeleteMessage) -> None:
        channel = self.client.get_partial_messageable(int(action.chat.thread_id or action.chat.id))
        try:
            await channel.get_partial_message(int(action.message_id)).delete()
        except discord.NotFound:
            pass  # already gone
        except discord.Forbidden:
            log.warning(
                "no permission to delete message %s in %s", action.message_id, action.chat.key
            )

    async def _member(self, chat: Chat, user_id: int) -> discord.Member | None:
        channel = self.client.get_channel(int(chat.thread_id or chat.id))
        if channel is None:
            channel = await self.client.fetch_channel(int(chat.thread_id or chat.id))
        if not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
            return None
        guild = channel.guild
        try:
            return guild.get_member(user_id) or await guild.fetch_member(user_id)
        except discord.NotFound:
            return None  # left already

    async def _restrict(self, action: RestrictUser) -> None:
        member = await self._member(action.chat, int(action.user.id))
        if member is None:
            log.info("cannot restrict %s in %s: not a member", action.user.key, action.chat.key)
            return
        reason = action.reason[:500]
        try:
            if action.remove:
                await member.kick(reason=reason)
            else:
                await member.timeout(RESTRICT_FOR, reason=reason)
        except discord.Forbidden:
            log.warning(
                "no permission to %s %s in %s",
                "remove" if action.remove else "time out",
                action.user.key,
                action.chat.key,
            )

    async def _notify(self, action: NotifyStaff) -> None:
        """A staff channel (one thread per ticket where possible), else a user's DM."""
        out = Outgoing(action.text, action.buttons, action.attachments)
        chat_id = action.chat_id
        if action.ticket_no and self._threads is not None:
            thread_id = await self._threads.thread_for(PLATFORM, chat_id, action.ticket_no)
            if thread_id:
                try:
                    await self._to_channel(self._messageable(int(thread_id)), out, None)
                    return
                except discord.NotFound:
                    log.info("thread of %s is gone; posting in the channel", action.ticket_no)
                    await self._to_channel(self._messageable(int(chat_id)), out, None)
                    return
        try:
            sent = await self._to_channel(self._messageable(int(chat_id)), out, None)
        except discord.NotFound:  # not a channel: a person (an escalation level's user)
            await self._private(User(platform=PLATFORM, id=chat_id), out, None)
            return
        if action.ticket_no and self._threads is not None and sent:
            await self._open_thread(sent[0], chat_id, action.ticket_no)

    async def _open_thread(self, message: discord.Message, chat_id: str, ticket_no: str) -> None:
        """The ticket's card starts a thread; later news of the ticket goes there, and a
        staff message inside it is a /reply to the user (the core maps it)."""
        if message.guild is None or self._threads is None:
            return
        try:
            thread = await message.create_thread(
                name=ticket_no[:100], auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        except (discord.HTTPException, ValueError) as exc:
            log.info("no thread for %s in %s: %s", ticket_no, chat_id, exc)
            return
        await self._threads.remember(PLATFORM, chat_id, ticket_no, str(thread.id))


def _with(text: str, leftovers: str) -> str:
    return f"{text}\n{leftovers}" if leftovers else text


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to render: the core's text, buttons and files, and whether it asks for
    free text (then a DM gets an answer-in-a-form button)."""

    text: str
    buttons: ButtonRows = ()
    attachments: tuple[Attachment, ...] = ()
    prompt: Prompt | None = None

    def with_prompt(self, prompt: Prompt | None) -> Outgoing:
        return replace(self, prompt=prompt)
