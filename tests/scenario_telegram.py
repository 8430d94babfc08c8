"""Scenario driver for Telegram on the wire: the real python-telegram-bot adapter (long
polling) against the fake Bot API of :mod:`tests.fakes.telegram_api`.

Each step is an update injected into the fake API: a message, a callback query on the bot's
message that carries the button (a deep-link button opens the private chat with
``/start <payload>``, as Telegram does), or a ``chat_member`` join. What the bot sent is read
back from the recorded ``sendMessage`` / ``editMessageText`` / ``sendPhoto`` /
``sendDocument`` calls.

A step is finished when (1) PTB has fetched the update — its next ``getUpdates`` confirms
the update's id — and (2) PTB's update queue is joined: the adapter marks each update done
only after its handler (the engine and every Bot API call it makes) has returned. No sleeps.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from pathlib import Path
from typing import Any

from adapters.console.parties import ACTORS, Place
from adapters.telegram import TelegramAdapter, create_telegram_adapter
from bots.app import App
from core.clock import FakeClock
from tests.fakes.telegram_api import JSON, ApiCall, FakeTelegramApi, group_chat, tg_user
from tests.scenario_app import pass_time, scenario_app
from tests.scenario_runner import ScenarioError

TOKEN = "7000002:AAH-fake-token-for-scenarios_0123456789"
TOKEN_ENV = "KAMENG_SCENARIO_TELEGRAM_TOKEN"
GROUP = group_chat()  # served in tests (tests.conftest.TEST_COMMUNITIES)
STAFF_GROUP = group_chat(-1009999000, "星河客服组")
SETTLE_SECONDS = 10.0  # an update not handled by then is a hang, reported as such

# Telegram ids of the scenario actors (names as on the console).
USER_IDS = {
    "buyer": 610001,
    "buyer2": 610002,
    "staff": 610003,
    "member": 610004,
    "impostor": 610005,
    "moderator": 610009,
}
_MESSAGE_METHODS = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")


def actor_user(actor: str) -> JSON:
    known = ACTORS[actor]
    return tg_user(USER_IDS[actor], known.display_name, username=f"{known.user_id}_tg")


class TelegramDriver:
    def __init__(self, api: FakeTelegramApi, app: App, adapter: TelegramAdapter, clock: FakeClock):
        self.api = api
        self.app = app
        self.adapter = adapter
        self.clock = clock
        self.brand = app.config.brand.name
        self.users = {actor: actor_user(actor) for actor in USER_IDS}
        self._screens: dict[int, str] = {user["id"]: a for a, user in self.users.items()}
        self._screens[GROUP["id"]] = "group"
        self._screens[STAFF_GROUP["id"]] = "staff"
        self._inputs: list[tuple[int, str]] = []  # (calls seen before it, what was done)

    @classmethod
    async def start(
        cls, api: FakeTelegramApi, tmp_path: Path, clock: FakeClock, overrides: dict[str, Any]
    ) -> TelegramDriver:
        """The app and the adapter, started against ``api``; ``TOKEN_ENV`` must hold TOKEN."""
        settings = {
            "telegram": {
                "enabled": True,
                "token_env": TOKEN_ENV,
                "base_url": api.root_url,
                "staff_chat_id": str(STAFF_GROUP["id"]),
            },
            # The staff chat is the Telegram group; no console chat to post to here.
            "staff": {"chats": []},
        }
        app = await scenario_app(
            tmp_path,
            clock,
            settings,
            overrides,
            staff_members=(f"telegram:{USER_IDS['staff']}",),
        )
        api.member_status[(GROUP["id"], USER_IDS["moderator"])] = "administrator"
        try:
            adapter = create_telegram_adapter(app.config, app.runtime)
            app.services.channels["telegram"] = adapter
            await adapter.start()
        except BaseException:
            await app.close()
            raise
        return cls(api, app, adapter, clock)

    async def close(self) -> None:
        try:
            await self.adapter.stop()
        finally:
            await self.app.close()

    # -- where -----------------------------------------------------------------------------
    def _chat(self, actor: str, place: Place) -> JSON:
        if place == "private":
            return self.api.private_chat(self.users[actor])
        return GROUP if place == "group" else STAFF_GROUP

    async def _settle(self, update_id: int) -> None:
        """Wait until PTB has fetched ``update_id`` and handled every update it fetched."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while self.api.confirmed_offset <= update_id:
            if time.monotonic() > deadline:
                raise ScenarioError(f"the bot did not fetch update {update_id}")
            await asyncio.sleep(0.002)
        queue = self.adapter.application.update_queue
        try:
            await asyncio.wait_for(queue.join(), max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            raise ScenarioError(
                f"update {update_id} still handled after {SETTLE_SECONDS}s"
            ) from None

    # -- steps -----------------------------------------------------------------------------
    def _note(self, actor: str, chat: Place, what: str) -> None:
        self._inputs.append((len(self.api.calls), f"» {actor}@{chat}: {what}"))

    async def say(self, actor: str, chat: Place, text: str) -> None:
        self._note(actor, chat, text)
        body = self.api.message(self.users[actor], self._chat(actor, chat), text)
        await self._settle(self.api.inject({"message": body}))

    async def press(self, actor: str, chat: Place, fragment: str) -> None:
        where = self._chat(actor, chat)
        message, button = self._button(where["id"], fragment)
        user = self.users[actor]
        self._note(actor, chat, f"[{button['text']}]")
        if "callback_data" in button:
            await self._settle(self.api.press(user, message, button["callback_data"]))
            return
        url = str(button.get("url", ""))
        deep_link = re.match(rf"^https://t\.me/{self.api.bot_username}\?start=(\S+)$", url)
        if deep_link is None:
            raise ScenarioError(f"the button {button['text']!r} is a link to {url}, not to the bot")
        # Telegram opens the private chat and sends /start <payload> for the user.
        await self.say(actor, "private", f"/start {deep_link.group(1)}")

    def _button(self, chat_id: int, fragment: str) -> tuple[JSON, JSON]:
        """The newest button in ``chat_id`` whose label contains ``fragment``, on its message
        as the chat shows it now (edits applied, deleted messages gone)."""
        offered: list[str] = []
        for call in reversed(self.api.calls_to("sendMessage")):
            if call.params.get("chat_id") != chat_id or not isinstance(call.result, dict):
                continue
            message = self.api.messages.get((chat_id, call.result["message_id"]))
            if message is None:
                continue
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            for button in (b for row in rows for b in row):
                offered.append(button["text"])
                if fragment in button["text"]:
                    return message, button
        raise ScenarioError(f"no button with {fragment!r} in chat {chat_id}; offered: {offered}")

    async def join(self, actor: str, chat: Place) -> None:
        user = self.users[actor]
        self._note(actor, chat, "(joins)")
        await self._settle(self.api.member_update(user, self._chat(actor, chat), "left", "member"))

    async def wait(self, minutes: float) -> None:
        await pass_time(self.app, self.clock, minutes)

    # -- what the bot sent -----------------------------------------------------------------
    def mark(self) -> int:
        return len(self.api.calls)

    def sent_since(self, mark: int) -> list[tuple[str, str]]:
        sent: list[tuple[str, str]] = []
        for call in self.api.calls[mark:]:
            if call.method not in _MESSAGE_METHODS or call.error:
                continue
            chat_id = call.params.get("chat_id")
            screen = self._screens.get(chat_id, f"other:{chat_id}") if chat_id else "other:?"
            sent.append((screen, _text_of(call)))
        return sent

    def transcript(self) -> str:
        lines = []
        inputs = iter(self._inputs)
        pending = next(inputs, None)
        for index, call in enumerate(self.api.calls):
            while pending is not None and pending[0] <= index:
                lines.append(pending[1])
                pending = next(inputs, None)
            if call.method in _MESSAGE_METHODS and not call.error:
                screen = self._screens.get(call.params.get("chat_id"), "?")
                lines.append(f"[{screen}] {call.method}: {_text_of(call)}")
        lines += [text for _, text in ([pending] if pending else [])] + [t for _, t in inputs]
        return "\n\n".join(lines)


def _text_of(call: ApiCall) -> str:
    """What the user sees: the fake's plain text of the message (or the caption), then the
    labels of its buttons as ``[label]`` lines."""
    if call.method in ("sendMessage", "editMessageText") and isinstance(call.result, dict):
        text = str(call.result.get("text", ""))
    else:
        text = str(call.params.get("caption") or call.params.get("text") or "")
        if str(call.params.get("parse_mode", "")).upper() == "HTML":
            text = html.unescape(re.sub(r"<[^>]+>", "", text))
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    labels = [f"[{button.get('text', '')}]" for row in rows for button in row]
    return "\n".join([text, *labels])
