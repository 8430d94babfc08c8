"""What a handler gets: the event, the user's conversation, services, and an action list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.conversation import Conversation
from core.model import Action, Button, ButtonRows, ButtonStyle, Event, Reply, SendPrivate
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

    def private_button(self, payload: str = "support") -> Button:
        """The "continue in private" button of a group answer: opens the private chat with
        ``payload`` (a deep link where the platform has them)."""
        return Button(
            label=self.t("support.private_button"), payload=payload, style=ButtonStyle.PRIVATE
        )

    def send_private(self, text: str, buttons: ButtonRows = ()) -> None:
        """Message the user in private (in a private chat this is a plain reply)."""
        if self.in_private:
            self.reply(text, buttons)
        else:
            self.actions.append(SendPrivate(user=self.event.user, text=text, buttons=buttons))

    def bind(self, payload: str) -> str:
        """``payload`` as a button only this event's user may press (see ``core.binding``)."""
        return self.services.binder.bind(self.event.user.key, payload)

    def bound_payload(self) -> str | None:
        """The pressed button's payload when the bot issued it to this user; else None."""
        return self.services.binder.unbind(self.event.user.key, self.event.payload)

    def is_staff(self) -> bool:
        """Support staff (``staff.members``) may see and work every ticket."""
        return self.event.user.key in self.services.config.staff.members

    def is_global_moderator(self) -> bool:
        """A ``moderation.moderators`` account: a moderator in every community."""
        user = self.event.user
        return self.services.config.is_configured_moderator(user.platform, user.id)

    @property
    def served_community(self) -> str | None:
        """The community of this group chat when the bot serves it (``moderation.communities``);
        None in private and in groups it does not serve."""
        chat = self.event.chat
        if chat.is_private or not self.services.config.serves_community(chat.community_key):
            return None
        return chat.community_key

    async def is_moderator(self) -> bool:
        """Configured moderators everywhere; the admins of a served community there only.

        An admin of a group the bot does not serve is nobody's moderator: anyone can add the
        bot to a group of their own and become its admin.
        """
        if self.is_global_moderator():
            return True
        return self.served_community is not None and await self.is_chat_admin()

    async def is_chat_admin(self) -> bool:
        """An admin of this (group) chat, as the platform reports it."""
        user = self.event.user
        if self.event.chat.is_private:
            return False
        if self.event.sender_is_admin is not None:
            return self.event.sender_is_admin
        channel = self.services.channels.get(user.platform)
        return channel is not None and await channel.is_chat_admin(self.event.chat, user)
