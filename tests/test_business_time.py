"""SLA due times counted in business hours, and the config that sets them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bots.app import App
from core.business_time import add_business_hours
from core.clock import FakeClock
from core.config import ConfigError, SlaConfig, parse_config
from core.staff.sla import escalate_breached
from tests.conftest import AppFactory, demo_config_data
from tests.helpers import event

TZ = "Asia/Shanghai"
SH = ZoneInfo(TZ)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SH).astimezone(UTC)


def test_around_the_clock_by_default() -> None:
    assert add_business_hours(at(24, 22, 30), 2, SlaConfig(), TZ) == at(25, 0, 30)


def test_hours_outside_the_window_do_not_count() -> None:
    sla = SlaConfig(business_hours="09:00-23:00")
    assert add_business_hours(at(24, 22, 30), 2, sla, TZ) == at(25, 10, 30)  # 30 min + 1.5 h
    assert add_business_hours(at(24, 3, 0), 2, sla, TZ) == at(24, 11, 0)  # waits for opening
    assert add_business_hours(at(24, 10, 0), 24, sla, TZ) == at(25, 20, 0)  # 13 h + 11 h


def test_closed_days_are_skipped() -> None:
    sla = SlaConfig(business_hours="09:00-18:00", business_days=[1, 2, 3, 4, 5])
    friday_evening = at(27, 17, 0)  # 2026-11-27 is a Friday
    assert add_business_hours(friday_evening, 2, sla, TZ) == at(30, 10, 0)  # Monday 10:00


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"business_hours": "25:00-26:00"}, "sla.business_hours"),
        ({"business_hours": "18:00-09:00"}, "sla.business_hours"),
        ({"business_days": [0, 8]}, "sla.business_days"),
    ],
)
def test_bad_business_hours_are_config_errors(values: dict[str, object], key: str) -> None:
    data = demo_config_data()
    data["sla"] = {**data["sla"], **values}
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        parse_config(data)


async def test_tickets_and_escalation_follow_business_hours(
    app_factory: AppFactory, clock: FakeClock
) -> None:
    clock.advance(at(24, 22, 30) - clock.now())
    app: App = await app_factory(sla={"business_hours": "09:00-23:00"})
    for answer in ("/complain", "1", "DD2026112000002", "刚才", "卡密已被使用", "跳过", "确认"):
        reply = await app.engine.handle(event(answer))
    assert "11月25日10:30" in reply[0].text  # type: ignore[attr-defined]
    clock.advance(timedelta(hours=3))  # 01:30 at night: the clock is paused
    assert await escalate_breached(app.services) == []
    clock.advance(at(25, 10, 31) - clock.now())
    assert await escalate_breached(app.services) != []
