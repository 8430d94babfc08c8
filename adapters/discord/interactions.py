"""Answering an interaction: the first message is the interaction response, later ones are
follow-ups, and nothing is left unanswered.

While the engine handles an interaction's event, the :class:`InteractionSession` is the
current one (a context variable, so the outbound seam sees it without the core knowing).
Replies into the interaction's channel answer the interaction; in a guild they are
ephemeral (only the user sees them) unless the session is public (``/support``,
``/verify``, staff commands in a staff channel); a personal result (``SendPrivate`` to the
same user) becomes an ephemeral follow-up instead of a DM.

Discord wants an answer within 3 seconds. The engine is usually done in milliseconds, but
a slow shop or a locked database must not turn into "This interaction failed": if nothing
was sent after :data:`DEFER_AFTER`, the session defers (a "thinking…" state for commands, a
silent acknowledgement for buttons and forms) and answers with follow-ups. An interaction
that produced nothing is acknowledged silently when the event is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Sequence
from typing import Any

import discord

from core.model import Chat

log = logging.getLogger(__name__)

Interaction = discord.Interaction[discord.Client]
DEFER_AFTER = 2.0
NO_PINGS = discord.AllowedMentions.none()

current_session: contextvars.ContextVar[InteractionSession | None] = contextvars.ContextVar(
    "discord_interaction_session", default=None
)


class InteractionSession:
    def __init__(
        self,
        interaction: Interaction,
        chat: Chat,
        *,
        public: bool = False,
        defer_after: float = DEFER_AFTER,
    ) -> None:
        self.interaction = interaction
        self.chat = chat
        self.public = public
        self.user_id = str(interaction.user.id)
        self.in_guild = interaction.guild_id is not None
        self.answered = False
        self.private_shown = False  # a personal result was shown ephemerally
        self._deferred_thinking = False
        self._lock = asyncio.Lock()
        self._defer_after = defer_after
        self._watchdog: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the clock: defer if the engine has not answered in time."""
        if self._watchdog is None:
            self._watchdog = asyncio.create_task(self._defer_later(self._defer_after))

    # -- what goes through the session ----------------------------------------------------------
    def answers(self, chat: Chat) -> bool:
        """Whether a message for ``chat`` answers this interaction."""
        return chat.id == self.chat.id and chat.thread_id == self.chat.thread_id

    def ephemeral(self, requested: bool = False) -> bool:
        """Only the user sees it: in guilds, unless the session is public."""
        return self.in_guild and (requested or not self.public)

    async def send(
        self,
        text: str,
        *,
        view: discord.ui.View | None = None,
        files: Sequence[discord.File] = (),
        ephemeral: bool,
    ) -> None:
        options: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": NO_PINGS}
        if view is not None:
            options["view"] = view
        if files:
            options["files"] = list(files)
        async with self._lock:
            if not self.interaction.response.is_done():
                await self.interaction.response.send_message(text, **options)
            else:
                await self.interaction.followup.send(text, **options)
            self.answered = True

    async def send_modal(self, modal: discord.ui.Modal) -> bool:
        """Open a modal (only possible as the first response). False when too late."""
        async with self._lock:
            if self.interaction.response.is_done():
                return False
            await self.interaction.response.send_modal(modal)
            self.answered = True
            return True

    # -- timing ---------------------------------------------------------------------------------
    async def _defer_later(self, delay: float) -> None:
        await asyncio.sleep(delay)
        async with self._lock:
            response = self.interaction.response
            if response.is_done():
                return
            command = self.interaction.type is discord.InteractionType.application_command
            try:
                await response.defer(ephemeral=self.ephemeral(), thinking=command)
            except discord.HTTPException as exc:
                log.warning("deferring interaction %s failed: %s", self.interaction.id, exc)
                return
            self._deferred_thinking = command
            log.info("interaction %s deferred after %.1fs", self.interaction.id, delay)

    async def close(self) -> None:
        """The event is handled: acknowledge an interaction that got no answer."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watchdog
        async with self._lock:
            try:
                await self._acknowledge()
            except discord.HTTPException as exc:
                log.warning("acknowledging interaction %s failed: %s", self.interaction.id, exc)

    async def _acknowledge(self) -> None:
        response = self.interaction.response
        if not response.is_done():
            if self.interaction.type is discord.InteractionType.application_command:
                # A command must show something; an empty ephemeral tick is the quietest.
                await response.send_message("✓", ephemeral=True, allowed_mentions=NO_PINGS)
            else:
                await response.defer()  # buttons and forms: acknowledged, nothing shown
        elif self._deferred_thinking and not self.answered:
            await self.interaction.delete_original_response()
