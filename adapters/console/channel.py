"""Console channel: each stdin line is a message from one user; replies go to stdout.

Buttons are shown numbered (``[1] 在线客服 → https://…``); typing ``#1`` presses button 1
of the latest message. A line ``[图片] path.png`` sends an image (a screenshot). A "private
chat" button pressed in group mode behaves like the deep link it is on Telegram: the answer
arrives as a private message.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any, TextIO

from core.model import (
    Action,
    Attachment,
    Button,
    ButtonRows,
    ButtonStyle,
    Chat,
    DeleteMessage,
    Event,
    EventKind,
    NotifyStaff,
    Reply,
    RestrictUser,
    SendPrivate,
    User,
)
from core.numbers import parse_small_int
from core.runtime import Runtime

PLATFORM = "console"
BOT_USERNAME = "kameng_bot"


class ConsoleChannel:
    platform = PLATFORM

    def __init__(
        self,
        out: TextIO,
        *,
        user_id: str = "console-user",
        name: str = "",
        group: bool = False,
        moderator: bool = False,
        chat_id: str = "group",
    ) -> None:
        self.out = out
        # On the console the user id doubles as the @handle, so "/flag @id" works.
        self.user = User(platform=PLATFORM, id=user_id, display_name=name, username=user_id)
        self.private_chat = Chat(platform=PLATFORM, id=f"dm-{user_id}", is_private=True)
        self.group_chat = Chat(
            platform=PLATFORM, id=chat_id, is_private=False, title=f"演示群 {chat_id}"
        )
        self.chat = self.group_chat if group else self.private_chat
        self.moderator = moderator
        self._session = uuid.uuid4().hex[:12]
        self._seq = 0
        self._buttons: list[Button] = []

    # -- outbound (the single seam) -------------------------------------------------------
    async def send(self, action: Action) -> None:
        if isinstance(action, Reply):
            text = self._private_mark(action.chat.is_private) + action.text
            self._write(text, action.buttons, action.attachments)
        elif isinstance(action, SendPrivate):
            self._write(self._private_mark(True) + action.text, action.buttons, action.attachments)
        elif isinstance(action, DeleteMessage):
            self._write(f"(已删除消息 {action.message_id})", ())
        elif isinstance(action, RestrictUser):
            verb = "移出" if action.remove else "限制"
            self._write(f"(已{verb} {action.user.label}:{action.reason})", ())
        elif isinstance(action, NotifyStaff):
            header = f"【员工通知 {action.destination}】\n{action.text}"
            self._write(header, action.buttons, action.attachments)
        else:
            self._write(f"({type(action).__name__})", ())

    def _private_mark(self, to_private: bool) -> str:
        """In group mode, mark what the user would receive in their private chat."""
        return "【私聊】" if to_private and not self.chat.is_private else ""

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        return self.moderator and user.id == self.user.id and not chat.is_private

    def _write(
        self, text: str, buttons: ButtonRows, attachments: tuple[Attachment, ...] = ()
    ) -> None:
        lines = [text, *(f"[附件 {a.kind}] {a.ref}" for a in attachments)]
        flat = [b for row in buttons for b in row]
        if flat:
            self._buttons = flat
        for i, button in enumerate(flat, 1):
            if button.style is ButtonStyle.URL:
                lines.append(f"  [{i}] {button.label} → {button.url}")
            elif button.style is ButtonStyle.PRIVATE:
                lines.append(f"  [{i}] {button.label} → 打开私聊")
            else:
                lines.append(f"  [{i}] {button.label}")
        self.out.write("\n".join(lines) + "\n\n")
        self.out.flush()

    # -- inbound mapping -------------------------------------------------------------------
    def to_event(self, line: str) -> Event | None:
        text = line.rstrip("\r\n").strip()
        if not text:
            return None
        self._seq += 1
        pressed = self._pressed(text)
        if pressed is not None and pressed.style is ButtonStyle.PRIVATE:
            # A deep link: the private chat opens with "/start <payload>".
            return self._event(
                EventKind.COMMAND,
                self.private_chat,
                text=f"/start {pressed.payload}",
                command="start",
                args=pressed.payload,
                is_to_me=True,
            )
        if pressed is not None:
            return self._event(EventKind.BUTTON, self.chat, payload=pressed.payload, is_to_me=True)
        if text.startswith("/") and len(text) > 1:
            head, _, args = text[1:].partition(" ")
            command, _, target = head.partition("@")
            if not target or target.lower() == BOT_USERNAME:
                return self._event(
                    EventKind.COMMAND,
                    self.chat,
                    text=text,
                    command=command.lower(),
                    args=args.strip(),
                    is_to_me=True,
                )
        to_me = self.chat.is_private or f"@{BOT_USERNAME}" in text
        text = text.replace(f"@{BOT_USERNAME}", "").strip()  # adapters strip the bot's mention
        image = re.match(r"^\[(图片|image)\]\s*(.*)$", text, re.I)
        if image:
            ref = image.group(2).strip() or "screenshot.png"
            attachment = Attachment(kind="image", ref=ref, name=ref.rsplit("/", 1)[-1])
            return self._event(
                EventKind.MESSAGE, self.chat, attachments=(attachment,), is_to_me=to_me
            )
        return self._event(EventKind.MESSAGE, self.chat, text=text, is_to_me=to_me)

    def _event(self, kind: EventKind, chat: Chat, **fields: Any) -> Event:
        return Event(
            kind=kind,
            event_id=f"{self._session}-{self._seq}",
            user=self.user,
            chat=chat,
            message_id=str(self._seq),
            **fields,
        )

    def join_event(self) -> Event:
        """The user joining the group, as platforms report new members."""
        self._seq += 1
        return self._event(EventKind.MEMBER_JOINED, self.group_chat)

    def _pressed(self, text: str) -> Button | None:
        if not text.startswith("#"):
            return None
        number = parse_small_int(text[1:], 1, len(self._buttons))
        if number is None:
            return None
        button = self._buttons[number - 1]
        return button if button.style is not ButtonStyle.URL else None


async def run_console(
    runtime: Runtime, channel: ConsoleChannel, stdin: TextIO, *, join: bool = False
) -> int:
    """Feed stdin lines to the engine until EOF; returns the number of events handled.

    With ``join``, the user first joins the group (a member-joined event).
    """
    handled = 0
    if join:
        await runtime.process(channel.join_event())
        handled += 1
    prompt = stdin.isatty()
    while True:
        if prompt:
            channel.out.write("> ")
            channel.out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            return handled
        event = channel.to_event(line)
        if event is not None:
            await runtime.process(event)
            handled += 1
