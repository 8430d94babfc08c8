"""Scenario driver for the console: the real :class:`ConsoleChannel` and runtime, in process.

Each step is typed as a person at the console would type it: ``/as <actor> <chat>`` switches
the speaker, then the line itself (``#<label>`` to press a button, ``/join`` to join the
group). The channel handles one line at a time and returns once every action is delivered,
so a step is finished when ``runtime.process`` returns.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from adapters.console.channel import ConsoleChannel, dm_id
from adapters.console.parties import ACTORS, Place
from bots.app import App
from core.clock import FakeClock
from tests.scenario_app import pass_time, scenario_app
from tests.scenario_runner import ScenarioError


class ConsoleDriver:
    def __init__(self, app: App, clock: FakeClock) -> None:
        self.app = app
        self.clock = clock
        self.brand = app.config.brand.name
        self.out = io.StringIO()
        self.channel = ConsoleChannel(self.out, labelled=True, echo=True)
        app.services.channels[self.channel.platform] = self.channel
        self._screens = {dm_id(a.user_id): name for name, a in ACTORS.items()}
        self._screens[self.channel.group_chat.id] = "group"
        self._screens[self.channel.staff_chat.id] = "staff"

    @classmethod
    async def start(
        cls, tmp_path: Path, clock: FakeClock, overrides: dict[str, Any]
    ) -> ConsoleDriver:
        # The shipped config already has the console's staff chat and staff member.
        return cls(await scenario_app(tmp_path, clock, {}, overrides), clock)

    async def close(self) -> None:
        await self.app.close()

    async def _type(self, line: str) -> None:
        event = self.channel.to_event(line)
        if event is not None:
            await self.app.runtime.process(event)

    async def _become(self, actor: str, chat: Place) -> None:
        await self._type(f"/as {actor} {chat}")

    async def say(self, actor: str, chat: Place, text: str) -> None:
        await self._become(actor, chat)
        await self._type(text)

    async def press(self, actor: str, chat: Place, fragment: str) -> None:
        await self._become(actor, chat)
        if self.channel.find_button(fragment) is None:
            here = self.channel.chat.id
            labels = [b.label for s in self.channel.shown if s.screen == here for b in s.buttons]
            raise ScenarioError(f"no button with {fragment!r} in {chat}; offered there: {labels}")
        await self._type(f"#{fragment}")

    async def join(self, actor: str, chat: Place) -> None:
        await self._become(actor, chat)
        await self._type("/join")

    async def wait(self, minutes: float) -> None:
        await pass_time(self.app, self.clock, minutes)

    def mark(self) -> int:
        return self.channel.shown[-1].seq if self.channel.shown else 0

    def sent_since(self, mark: int) -> list[tuple[str, str]]:
        return [
            (
                self._screens.get(s.screen, f"other:{s.screen}"),
                "\n".join([s.text, *(f"[{b.label}]" for b in s.buttons)]),
            )
            for s in self.channel.shown
            if s.seq > mark
        ]

    def transcript(self) -> str:
        return self.out.getvalue()
