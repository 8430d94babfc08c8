"""Console channel: each stdin line is a message from one user; replies go to stdout.

Buttons are shown numbered (``[1] 在线客服 → https://…``); typing ``#1`` presses button 1
of the latest message, ``#确认`` the newest button in the current chat whose label contains
"确认". A line ``[图片] path.png`` sends an image (a screenshot). A "private chat" button
pressed in a group behaves like the deep link it is on Telegram: the answer arrives as a
private message.

One terminal can play every party of a conversation: ``/as <who> [where]`` switches who is
typing (see :mod:`adapters.console.parties`) and ``/join`` has the speaker join the group.
Once a session has switched (or runs a script), every message block starts with the screen
it would appear on: ``【阿狸·私聊】``, ``【玩家群】``, ``【客服群】``. Before that the output
keeps its single-user form: the speaker's own chat unlabelled, their private chat seen from
a group as ``【私聊】``, staff notices as ``【员工通知 console:staff】`` and any other
party's messages labelled with their screen.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any, TextIO

from adapters.console.parties import Actor, Place, SwitchError, parse_switch
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
STAFF_CHAT_ID = "staff"
SHOWN_KEPT = 500  # messages remembered for button presses and for tests


@dataclass(frozen=True, slots=True)
class Shown:
    """One message the console printed: on which screen, with which buttons."""

    seq: int
    screen: str  # the chat id it appears in ("dm-ali", "group", "staff")
    label: str  # whose screen that is, for people ("阿狸·私聊", "玩家群", "客服群")
    text: str
    buttons: tuple[Button, ...] = ()


def dm_id(user_id: str) -> str:
    return f"dm-{user_id}"


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
        staff_chat_id: str = STAFF_CHAT_ID,
        labelled: bool = False,
        echo: bool = False,
    ) -> None:
        self.out = out
        self.group_chat = Chat(
            platform=PLATFORM, id=chat_id, is_private=False, title=f"演示群 {chat_id}"
        )
        self.staff_chat = Chat(
            platform=PLATFORM, id=staff_chat_id, is_private=False, title="客服群"
        )
        self.moderator = moderator
        # Every label is shown once a session switches speakers; ``echo`` also prints each
        # typed line with its speaker (for scripts, whose input is not on the screen).
        self.labelled = labelled
        self.echo = echo
        self.reader_gone = False
        self._names: dict[str, str] = {}  # user id -> display name, for screen labels
        self._admins: set[str] = set()
        self._session = uuid.uuid4().hex[:12]
        self._seq = 0
        self._shown_seq = itertools.count(1)
        self.shown: deque[Shown] = deque(maxlen=SHOWN_KEPT)
        self._buttons: list[Button] = []  # the latest buttons printed anywhere
        self.user = User(platform=PLATFORM, id=user_id)
        self.private_chat = self.chat = self.group_chat
        self._speak_as(user_id, name, "group" if group else "private")
        if moderator:
            self._admins.add(user_id)

    # -- who is typing ---------------------------------------------------------------------
    def _speak_as(self, user_id: str, name: str, place: Place) -> None:
        # On the console the user id doubles as the @handle, so "/flag @id" works.
        self.user = User(platform=PLATFORM, id=user_id, display_name=name, username=user_id)
        if name:
            self._names[user_id] = name
        self.private_chat = Chat(platform=PLATFORM, id=dm_id(user_id), is_private=True)
        self.chat = {
            "private": self.private_chat,
            "group": self.group_chat,
            "staff": self.staff_chat,
        }[place]

    def switch(self, actor: Actor, place: Place) -> None:
        """``/as``: from now on ``actor`` types, in ``place``; every block gets its label."""
        self._speak_as(actor.user_id, actor.display_name, place)
        if actor.admin:
            self._admins.add(actor.user_id)
        self.labelled = True

    @property
    def speaker_label(self) -> str:
        where = "私聊" if self.chat.is_private else self._chat_label(self.chat)
        return f"{self.user.display_name or self.user.id}（{where}）"

    # -- outbound (the single seam) -------------------------------------------------------
    async def send(self, action: Action) -> None:
        if isinstance(action, Reply):
            self._show(action.chat.id, action.text, action.buttons, action.attachments)
        elif isinstance(action, SendPrivate):
            if action.user.display_name:
                self._names.setdefault(action.user.id, action.user.display_name)
            self._show(dm_id(action.user.id), action.text, action.buttons, action.attachments)
        elif isinstance(action, DeleteMessage):
            self._show(action.chat.id, f"(已删除消息 {action.message_id})")
        elif isinstance(action, RestrictUser):
            verb = "移出" if action.remove else "限制"
            self._show(action.chat.id, f"(已{verb} {action.user.label}:{action.reason})")
        elif isinstance(action, NotifyStaff):
            self._show(
                action.chat_id,
                action.text,
                action.buttons,
                action.attachments,
                notice=action.destination,
            )
        else:
            self._show(self.chat.id, f"({type(action).__name__})")

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        return user.id in self._admins and not chat.is_private

    def _chat_label(self, chat: Chat) -> str:
        return self._screen_label(chat.id)

    def _screen_label(self, screen: str) -> str:
        if screen.startswith("dm-"):
            user_id = screen.removeprefix("dm-")
            return f"{self._names.get(user_id) or user_id}·私聊"
        if screen == self.staff_chat.id:
            return "客服群"
        if screen == self.group_chat.id:
            return "玩家群" if screen == "group" else f"玩家群 {screen}"
        return f"群 {screen}"

    def _mark(self, screen: str, label: str, notice: str) -> str:
        """The label a block starts with (see the module docstring)."""
        if self.labelled:
            return f"【{label}】"
        if notice:
            return f"【员工通知 {notice}】\n"
        if screen == self.chat.id:
            return ""
        if screen == self.private_chat.id:
            return "【私聊】"
        return f"【{label}】"

    def _show(
        self,
        screen: str,
        text: str,
        buttons: ButtonRows = (),
        attachments: tuple[Attachment, ...] = (),
        *,
        notice: str = "",
    ) -> None:
        label = self._screen_label(screen)
        flat = tuple(b for row in buttons for b in row)
        self.shown.append(Shown(next(self._shown_seq), screen, label, text, flat))
        if flat:
            self._buttons = list(flat)
        lines = [self._mark(screen, label, notice) + text]
        lines += [f"[附件 {a.kind}] {a.ref}" for a in attachments]
        for i, button in enumerate(flat, 1):
            if button.style is ButtonStyle.URL:
                lines.append(f"  [{i}] {button.label} → {button.url}")
            elif button.style is ButtonStyle.PRIVATE:
                lines.append(f"  [{i}] {button.label} → 打开私聊")
            else:
                lines.append(f"  [{i}] {button.label}")
        self.write("\n".join(lines))

    def write(self, text: str) -> None:
        """A block of output, followed by a blank line."""
        self.emit(text + "\n\n")

    def emit(self, text: str) -> None:
        """Write ``text`` as it is (no blank line after it)."""
        if self.reader_gone:
            return
        try:
            self.out.write(text)
            self.out.flush()
        except BrokenPipeError:
            # Whoever read our output has gone (``| head``): stop writing and stop reading.
            self.reader_gone = True

    # -- buttons ---------------------------------------------------------------------------
    def find_button(self, fragment: str, screen: str | None = None) -> Button | None:
        """The newest button on ``screen`` (default: where the speaker types) whose label
        contains ``fragment``; links to web pages do not count."""
        screen = self.chat.id if screen is None else screen
        for shown in reversed(self.shown):
            if shown.screen != screen:
                continue
            for button in shown.buttons:
                if fragment in button.label and button.style is not ButtonStyle.URL:
                    return button
        return None

    def _numbered(self) -> list[Button]:
        """What ``#1`` counts in: the latest buttons anywhere, or, once speakers switch, the
        latest ones the speaker can see (where they type, or their private chat)."""
        if not self.labelled:
            return self._buttons
        mine = (self.chat.id, self.private_chat.id)
        for shown in reversed(self.shown):
            if shown.screen in mine and shown.buttons:
                return list(shown.buttons)
        return []

    def _pressed(self, text: str) -> Button | None:
        if not text.startswith("#") or len(text) < 2:
            return None
        choices = self._numbered()
        number = parse_small_int(text[1:], 1, len(choices)) if choices else None
        if number is not None:
            button: Button | None = choices[number - 1]
        elif text[1].isdigit() or text[1].isspace():
            return None
        else:
            button = self.find_button(text[1:].strip())
        return button if button is not None and button.style is not ButtonStyle.URL else None

    # -- inbound mapping -------------------------------------------------------------------
    def to_event(self, line: str) -> Event | None:
        """The event a typed line stands for; ``None`` for empty lines and console commands
        (``/as`` switches the speaker; ``/join`` returns the speaker's join event)."""
        text = line.rstrip("\r\n").strip()
        if not text:
            return None
        if text == "/as" or text.startswith("/as "):
            try:
                self.switch(*parse_switch(text[3:]))
            except SwitchError as exc:
                self.write(f"（控制台）{exc}")
            return None
        if self.echo and self.labelled:
            self.emit(f"» {self.speaker_label}：{text}\n")
        if text == "/join":
            return self.join_event()
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
        """The speaker joining the group they are in (from a private chat: the group), as
        platforms report new members."""
        self._seq += 1
        chat = self.group_chat if self.chat.is_private else self.chat
        return self._event(EventKind.MEMBER_JOINED, chat)


def is_script_comment(line: str) -> bool:
    """In a script, a line ``# …`` (a hash and a space) is a comment; ``#1`` is a press."""
    text = line.strip()
    return text == "#" or text.startswith("# ")


async def run_console(
    runtime: Runtime,
    channel: ConsoleChannel,
    stdin: TextIO,
    *,
    join: bool = False,
    script: bool = False,
) -> int:
    """Feed stdin lines to the engine until EOF; returns the number of events handled.

    With ``join``, the user first joins the group (a member-joined event). With ``script``,
    comment lines are skipped.
    """
    handled = 0
    if join:
        await runtime.process(channel.join_event())
        handled += 1
    prompt = stdin.isatty()
    while not channel.reader_gone:
        if prompt:
            channel.emit(f"{channel.speaker_label} > " if channel.labelled else "> ")
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            return handled
        if script and is_script_comment(line):
            continue
        event = channel.to_event(line)
        if event is not None:
            await runtime.process(event)
            handled += 1
    return handled
