"""Every dialogue scenario of ``tests/scenarios/*.toml`` on every channel it names.

One test per scenario and channel (``test_scenario[<id>-console]``,
``test_scenario[<id>-telegram]``), each from a fresh database, the shipped config and a fake
clock; one test per file checks that it is valid. The format: ``tests/scenarios/README.md``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.clock import FakeClock
from tests.fakes.telegram_api import FakeTelegramApi
from tests.scenario_console import ConsoleDriver
from tests.scenario_runner import Scenario, load_all, run_scenario, scenario_files
from tests.scenario_telegram import TOKEN, TOKEN_ENV, TelegramDriver

SCENARIOS, PROBLEMS = load_all()
# A console scenario takes well under 2 s; this cap only catches sleeps and hangs.
CONSOLE_CAP_SECONDS = 15.0


def _cases() -> Iterator[Any]:
    for scenario in SCENARIOS:
        for channel in scenario.channels:
            why = scenario.xfail.get(channel)
            marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
            yield pytest.param(scenario, channel, id=f"{scenario.id}-{channel}", marks=marks)


@pytest.mark.parametrize("name", [path.name for path in scenario_files()])
def test_scenario_file_is_valid(name: str) -> None:
    assert name not in PROBLEMS, PROBLEMS[name]


def test_there_are_scenarios_for_every_channel() -> None:
    for channel in ("console", "telegram"):
        assert any(channel in s.channels for s in SCENARIOS), channel


@pytest.mark.parametrize(("scenario", "channel"), list(_cases()))
async def test_scenario(
    scenario: Scenario, channel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    overrides = dict(scenario.config)
    if channel == "console":
        started = time.monotonic()
        console = await ConsoleDriver.start(tmp_path, clock, overrides)
        try:
            await run_scenario(scenario, console)
        finally:
            await console.close()
        took = time.monotonic() - started
        assert took < CONSOLE_CAP_SECONDS, f"{scenario.where} took {took:.1f}s on the console"
        return
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    async with FakeTelegramApi(TOKEN) as api:
        telegram = await TelegramDriver.start(api, tmp_path, clock, overrides)
        try:
            await run_scenario(scenario, telegram)
        finally:
            await telegram.close()
