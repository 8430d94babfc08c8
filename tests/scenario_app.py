"""What every scenario driver shares: the app built from the shipped config (plus the test
communities, the driver's own settings and the scenario's overrides) on a fake clock, and
the background work a ``wait_minutes`` step runs after moving the clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from bots.app import App, build_app
from core.clock import FakeClock
from core.staff.sla import escalate_breached
from core.sweeper import close_idle_flows
from tests.conftest import make_config


def merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in; tables merge key by key, anything else replaces."""
    result = dict(base)
    for key, value in extra.items():
        old = result.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            result[key] = merged(old, value)
        else:
            result[key] = value
    return result


async def scenario_app(
    tmp_path: Path,
    clock: FakeClock,
    channel_settings: Mapping[str, Any],
    overrides: Mapping[str, Any],
    *,
    staff_members: tuple[str, ...] = (),
) -> App:
    """The app a scenario runs against: SQLite and the demo shop in ``tmp_path``.

    ``staff_members`` are added to ``staff.members`` whatever the scenario sets, so the
    ``staff`` actor stays staff on every channel.
    """
    sections = merged(
        merged({"shop": {"demo_data_dir": str(tmp_path)}}, channel_settings), overrides
    )
    if staff_members:
        from tests.conftest import demo_config_data

        shipped = demo_config_data().get("staff", {}).get("members", [])
        members = list(sections.get("staff", {}).get("members", shipped))
        sections = merged(
            sections,
            {"staff": {"members": members + [m for m in staff_members if m not in members]}},
        )
    config = make_config(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", **sections)
    return await build_app(config, clock=clock)


async def pass_time(app: App, clock: FakeClock, minutes: float) -> None:
    """Move the clock, then run the background work once, as the running bot would."""
    clock.advance(timedelta(minutes=minutes))
    await app.runtime.deliver(await close_idle_flows(app.services))
    await app.runtime.deliver(await escalate_breached(app.services))
    await app.outbox.run_once()
