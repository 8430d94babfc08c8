"""The inbound side: gateway events and interactions become core events for the runtime.

Every handler runs inside a task that discord.py created; each registers itself with the
adapter (so ``stop()`` can wait for it) and, for an interaction, makes its
:class:`~adapters.discord.interactions.InteractionSession` current while the engine
handles the event, so the outbound seam answers the interaction.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import discord

from adapters.discord import inbound
from adapters.discord.commands import Member
from adapters.discord.inbound import Interaction
from adapters.discord.interactions import InteractionSession, current_session
from adapters.discord.views import FIELDS, AnswerModal, FlagReasonModal, locale_of, ui
from core.model import Chat, Event, EventKind

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)

# Answers everyone in the channel may see; the rest is ephemeral in guilds.
PUBLIC_COMMANDS = frozenset({"support", "verify"})
STAFF_COMMANDS = frozenset({"claim", "reply", "close", "escalate"})


class Inbound:
    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter
        config = adapter.config
        self._staff_channels = frozenset(
            destination.partition(":")[2]
            for destination in config.staff.destinations(config)
            if destination.startswith("discord:")
        )

    # -- plumbing ----------------------------------------------------------------------------
    @asynccontextmanager
    async def _scope(self, session: InteractionSession | None) -> AsyncIterator[None]:
        """Track the running task; make ``session`` current; close it at the end."""
        async with self.adapter.tracked():
            token = current_session.set(session)
            if session is not None:
                session.start()
            try:
                yield
            finally:
                current_session.reset(token)
                if session is not None:
                    await session.close()

    async def _process(self, event: Event, session: InteractionSession | None = None) -> None:
        if self.adapter.stopping:
            return
        async with self._scope(session):
            await self.adapter.runtime.process(event)

    def _session(self, interaction: Interaction, *, public: bool = False) -> InteractionSession:
        chat = inbound.chat_of_interaction(interaction)
        return InteractionSession(
            interaction, chat, public=public, defer_after=self.adapter.defer_after
        )

    def _staff_chat(self, chat: Chat) -> bool:
        return chat.id in self._staff_channels

    def _bot_id(self) -> int | None:
        client = self.adapter.client
        return client.user.id if client is not None and client.user is not None else None

    # -- gateway events ----------------------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        bot_id = self._bot_id()
        if bot_id is None:
            return
        channel: object | None = None
        if isinstance(message.channel, discord.PartialMessageable) and message.guild is not None:
            channel = await self._resolve_channel(message.channel.id)
        event = inbound.message_event(message, bot_id, channel)
        if event is not None:
            await self._process(event)

    async def _resolve_channel(self, channel_id: int) -> object | None:
        """A channel discord.py has not cached (an older thread): ask the API once."""
        client = self.adapter.client
        if client is None:
            return None
        try:
            return client.get_channel(channel_id) or await client.fetch_channel(channel_id)
        except discord.HTTPException as exc:
            log.info("cannot resolve channel %s: %s", channel_id, exc)
            return None

    async def on_member_join(self, member: discord.Member) -> None:
        if not member.bot:
            await self._process(inbound.member_joined_event(member))

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if not after.bot and inbound.renamed(before, after):
            await self._process(inbound.member_renamed_event(after))

    async def on_user_update(self, before: discord.User, after: discord.User) -> None:
        # A new username or global name: judged again in every server the bot shares.
        if after.bot or not inbound.renamed(before, after):
            return
        for guild in after.mutual_guilds:
            member = guild.get_member(after.id)
            if member is not None:
                await self._process(inbound.member_renamed_event(member))

    # -- slash commands and context menus ----------------------------------------------------
    async def on_slash(
        self, interaction: Interaction, command: str, args: str = "", user: Member | None = None
    ) -> None:
        chat = inbound.chat_of_interaction(interaction)
        public = command in PUBLIC_COMMANDS or (
            command in STAFF_COMMANDS and self._staff_chat(chat)
        )
        mentions = (inbound.user_of(user),) if user is not None else ()
        event = inbound.command_event(interaction, command, args, mentions=mentions)
        await self._process(event, self._session(interaction, public=public))

    async def on_flag_menu(self, interaction: Interaction, target: Member) -> None:
        user = inbound.interaction_user(interaction)
        may = bool(inbound.sender_is_admin(interaction)) or (
            self.adapter.config.is_configured_moderator(user.platform, user.id)
        )
        if may:
            modal = FlagReasonModal(target, locale_of(interaction), interaction.id)
            async with self.adapter.tracked():
                await interaction.response.send_modal(modal)
            return
        # Not a moderator: the core refuses in its own words; nothing is flagged.
        event = inbound.command_event(interaction, "flag", reply_to_user=inbound.user_of(target))
        await self._process(event, self._session(interaction))

    async def on_flag_reason(self, interaction: Interaction, target: Member, reason: str) -> None:
        event = inbound.command_event(
            interaction, "flag", reason.strip(), reply_to_user=inbound.user_of(target)
        )
        await self._process(event, self._session(interaction))

    async def on_verify_menu(self, interaction: Interaction, target: Member) -> None:
        event = inbound.command_event(interaction, "verify", mentions=(inbound.user_of(target),))
        await self._process(event, self._session(interaction, public=True))

    # -- buttons and forms -------------------------------------------------------------------
    async def on_button(self, interaction: Interaction, payload: str) -> None:
        chat = inbound.chat_of_interaction(interaction)
        public = payload.startswith("staff:") and self._staff_chat(chat)
        event = inbound.interaction_event(interaction, EventKind.BUTTON, payload=payload)
        await self._process(event, self._session(interaction, public=public))

    async def on_private_button(self, interaction: Interaction, payload: str) -> None:
        """Discord has no deep links: run ``/start <payload>`` in the user's DM instead."""
        if self.adapter.stopping:
            return
        session = self._session(interaction)
        async with self._scope(session):
            try:
                dm = await interaction.user.create_dm()
            except discord.HTTPException as exc:
                log.warning("cannot open a DM with %s: %s", interaction.user.id, exc)
                await session.send(ui("dm_failed", locale_of(interaction)), ephemeral=True)
                return
            event = inbound.command_event(
                interaction, "start", payload, chat=inbound.dm_chat(dm.id)
            )
            await self.adapter.runtime.process(event)
            if not session.answered:  # the answer went to the DM: say where it is
                view = discord.ui.View(timeout=None)
                view.add_item(
                    discord.ui.Button(
                        style=discord.ButtonStyle.link,
                        label=ui("open_dm", locale_of(interaction)),
                        url=f"https://discord.com/channels/@me/{dm.id}",
                    )
                )
                view.stop()
                await session.send(ui("dm_sent", locale_of(interaction)), view=view, ephemeral=True)

    async def on_answer_button(self, interaction: Interaction, field: str, locale: str) -> None:
        if field not in FIELDS:
            return
        async with self.adapter.tracked():
            await interaction.response.send_modal(AnswerModal(field, locale, interaction.id))

    async def on_form_answer(self, interaction: Interaction, field: str, value: str) -> None:
        event = inbound.interaction_event(
            interaction, EventKind.FORM_SUBMITTED, text=value.strip(), form={field: value.strip()}
        )
        await self._process(event, self._session(interaction))
