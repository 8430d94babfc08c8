"""Outbound rendering: core ``Action`` → Feishu OpenAPI calls (the adapter's single seam).

* ``Reply`` → a reply to the message it answers (``…/messages/:id/reply``, kept in its
  thread), else a new message in the chat; with buttons it is an interactive card
  (:mod:`adapters.feishu.cards`), and plain text when the card is refused. ``edit_message_id``
  updates a card the bot sent (PATCH) or edits a text message (PUT).
* ``SendPrivate`` → a message to the user's open_id (``receive_id_type=open_id``).
* ``NotifyStaff`` → a message to the destination chat (``oc_…``) or user (``ou_…``).
* ``DeleteMessage`` → recall.
* ``RestrictUser`` → Feishu has no mute: ``remove`` takes the member out of the group;
  otherwise the restriction is logged as unsupported and the report stands alone.

Feishu's refusals (bot not in the chat, a user who never opened the bot, no permission to
recall) are logged in plain words and swallowed, like every platform's expected refusals;
connection failures propagate to the runtime, which logs them.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from adapters.feishu.api import FeishuApi, FeishuApiError
from adapters.feishu.cards import card_content, fallback_text, text_content
from core.model import (
    Action,
    ButtonRows,
    DeleteMessage,
    NotifyStaff,
    Reply,
    RestrictUser,
    SendPrivate,
)

log = logging.getLogger(__name__)

# Message ids of cards the bot sent recently (so an edit knows to PATCH a card).
CARD_MEMORY = 2048
_PRIVATE_HINT = {
    "zh": "(请在与机器人的私聊中继续)",
    "en": " (continue in the private chat with the bot)",
}


class Outbound:
    def __init__(self, api: FeishuApi, *, locale: str = "zh") -> None:
        self.api = api
        self.private_hint = _PRIVATE_HINT.get(locale, _PRIVATE_HINT["zh"])
        self._cards: OrderedDict[str, None] = OrderedDict()

    async def send(self, action: Action) -> None:
        try:
            await self._send(action)
        except FeishuApiError as exc:
            log.warning(
                "Feishu refused %s: code %s (%s) on %s",
                type(action).__name__,
                exc.code,
                exc.msg,
                exc.path,
            )

    async def _send(self, action: Action) -> None:
        if isinstance(action, Reply):
            await self.post(
                action.chat.id,
                action.text,
                action.buttons,
                private_chat=action.chat.is_private,
                reply_to=action.reply_to_message_id,
                in_thread=bool(action.chat.thread_id),
                edit=action.edit_message_id,
            )
        elif isinstance(action, SendPrivate):
            await self.post(action.user.id, action.text, action.buttons, private_chat=True)
        elif isinstance(action, NotifyStaff):
            private = action.chat_id.startswith("ou_")
            await self.post(action.chat_id, action.text, action.buttons, private_chat=private)
        elif isinstance(action, DeleteMessage):
            await self.api.delete_message(action.message_id)
        elif isinstance(action, RestrictUser):
            await self._restrict(action)
        else:
            log.warning("Feishu adapter cannot render %s", type(action).__name__)

    async def _restrict(self, action: RestrictUser) -> None:
        if action.remove:
            await self.api.remove_members(action.chat.id, [action.user.id])
            log.info("removed %s from Feishu chat %s", action.user.key, action.chat.id)
        else:
            log.info(
                "Feishu has no mute: %s in chat %s was reported, not restricted (%s)",
                action.user.key,
                action.chat.id,
                action.reason,
            )

    async def post(
        self,
        target: str,
        text: str,
        buttons: ButtonRows = (),
        *,
        private_chat: bool,
        reply_to: str = "",
        in_thread: bool = False,
        edit: str = "",
    ) -> str:
        """Send (or edit) one message; returns its message_id."""
        if edit and await self._edit(edit, text, buttons, private_chat=private_chat):
            return edit
        if buttons:
            card = card_content(text, buttons, private_chat=private_chat)
            try:
                message_id = await self._deliver(target, "interactive", card, reply_to, in_thread)
            except FeishuApiError as exc:
                log.warning(
                    "Feishu refused a card (code %s: %s); sending it as text", exc.code, exc.msg
                )
            else:
                self._remember_card(message_id)
                return message_id
            text = fallback_text(text, buttons, private_hint=self.private_hint)
        return await self._deliver(target, "text", text_content(text), reply_to, in_thread)

    async def _deliver(
        self, target: str, msg_type: str, content: str, reply_to: str, in_thread: bool
    ) -> str:
        if reply_to:
            try:
                return await self.api.reply_message(
                    reply_to, msg_type, content, in_thread=in_thread
                )
            except FeishuApiError as exc:
                # The message may have been recalled meanwhile: post to the chat instead.
                log.info("reply to %s refused (code %s); posting to the chat", reply_to, exc.code)
        return await self.api.send_message(target, msg_type, content)

    async def _edit(
        self, message_id: str, text: str, buttons: ButtonRows, *, private_chat: bool
    ) -> bool:
        try:
            if buttons or message_id in self._cards:
                await self.api.update_card(
                    message_id, card_content(text, buttons, private_chat=private_chat)
                )
            else:
                await self.api.edit_text(message_id, text_content(text))
        except FeishuApiError as exc:
            log.info("editing %s refused (code %s); sending a new message", message_id, exc.code)
            return False
        return True

    def _remember_card(self, message_id: str) -> None:
        if not message_id:
            return
        self._cards[message_id] = None
        while len(self._cards) > CARD_MEMORY:
            self._cards.popitem(last=False)
