"""What a handler gets: the event, the user's conversation, services, and an action list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.conversation import Conversation
from core.model import Action, ButtonRows, Event, Reply, SendPrivate
from core.services import Services
from core.storage.event_transaction import EventTransaction


@dataclass
class Context:
    event: Event
    conversation: Conversation
    services: Services
    store: EventTransaction
    locale: str
    now: datetime
    # The bot sees this user for the first time, or their name/handle changed.
    identity_changed: bool = False
    actions: list[Action] = field(default_factory=list)

    @property
    def session(self) -> AsyncSession:
        """The ORM session of this event's transaction (opened on first use)."""
        return self.store.session

    @property
    def in_private(self) -> bool:
        return self.event.chat.is_private

    def t(self, key: str, /, **values: object) -> str:
        return self.services.texts.get(key, self.locale, **values)

    def reply(self, text: str, buttons: ButtonRows = (), *, ephemeral: bool = False) -> None:
        """Answer in the chat the event came from."""
        chat = self.event.chat
        self.actions.append(
            Reply(
                chat=chat,
                text=text,
                buttons=buttons,
                reply_to_message_id="" if chat.is_private else self.event.message_id,
                ephemeral=ephemeral,
                recipient=self.event.user,
            )
        )

    def send_private(self, text: str, buttons: ButtonRows = ()) -> None:
        """Message the user in private (in a private chat this is a plain reply)."""
        if self.in_private:
            self.reply(text, buttons)
        else:
            self.actions.append(SendPrivate(user=self.event.user, text=text, buttons=buttons))

    def is_staff(self) -> bool:
        """Support staff (``staff.members``) may see and work every ticket."""
        return self.event.user.key in self.services.config.staff.members

    async def is_moderator(self) -> bool:
        """Configured moderators everywhere; group admins in their own group."""
        user = self.event.user
        if self.services.config.is_configured_moderator(user.platform, user.id):
            return True
        return await self.is_chat_admin()

    async def is_chat_admin(self) -> bool:
        """An admin of this (group) chat, as the platform reports it."""
        user = self.event.user
        if self.event.chat.is_private:
            return False
        if self.event.sender_is_admin is not None:
            return self.event.sender_is_admin
        channel = self.services.channels.get(user.platform)
        return channel is not None and await channel.is_chat_admin(self.event.chat, user)
