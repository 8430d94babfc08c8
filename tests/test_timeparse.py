"""Chinese (and a little English) dates and times as buyers write them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.timeparse import parse_when

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=TZ)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "expected", "approximate"),
    [
        ("10月15日14点", at(10, 15, 14), False),
        ("昨天下午3点", at(11, 23, 15), False),
        ("2026-11-20 14:00", at(11, 20, 14), False),
        ("2026/11/20 14:05", at(11, 20, 14, 5), False),
        ("刚才", NOW, False),
        ("刚刚", NOW, False),
        ("半小时前", at(11, 24, 14, 30), False),
        ("3小时前", at(11, 24, 12), False),
        ("两个小时前", at(11, 24, 13), False),
        ("今天上午10点半", at(11, 24, 10, 30), False),
        ("前天晚上八点半", at(11, 22, 20, 30), False),
        ("11月20号 下午2点", at(11, 20, 14), False),
        ("十月十五日下午两点", at(10, 15, 14), False),
        ("今天14:30", at(11, 24, 14, 30), False),
        ("10/15 14:00", at(10, 15, 14), False),
        ("昨晚9点", at(11, 23, 21), False),
        ("中午12点", at(11, 24, 12), False),
        ("凌晨1点", at(11, 24, 1), False),
        ("昨天晚上大概9点左右", at(11, 23, 21), False),
        ("yesterday 3pm", at(11, 23, 15), False),
        ("昨天下午", at(11, 23, 15), True),
        ("昨天", at(11, 23, 9), True),
        ("２０２６－１１－２０　１４：００", at(11, 20, 14), False),  # full-width digits
        ("昨天下午3點", at(11, 23, 15), False),  # traditional 點
    ],
)
def test_understood(text: str, expected: datetime, approximate: bool) -> None:
    parsed = parse_when(text, NOW)
    assert parsed is not None, text
    assert parsed.value == expected
    assert parsed.approximate is approximate


def test_a_date_without_year_is_the_most_recent_past_one() -> None:
    parsed = parse_when("12月1日10点", NOW)
    assert parsed is not None and parsed.value == at(12, 1, 10, year=2025)


def test_a_time_later_today_means_yesterday() -> None:
    parsed = parse_when("18点", NOW)
    assert parsed is not None and parsed.value == at(11, 23, 18)


def test_future_days_parse_so_the_flow_can_refuse_them() -> None:
    parsed = parse_when("明天下午3点", NOW)
    assert parsed is not None and parsed.value > NOW


@pytest.mark.parametrize(
    "text", ["随便写点", "2026-02-30", "25点", "", "我也不记得了", "x" * 100, "14点99分"]
)
def test_not_understood(text: str) -> None:
    assert parse_when(text, NOW) is None
