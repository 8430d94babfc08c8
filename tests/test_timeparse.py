"""Chinese (and a little English) dates and times as buyers write them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.timeparse import ParsedTime, fit_after, parse_when

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=TZ)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10月15日14点", at(10, 15, 14)),
        ("昨天下午3点", at(11, 23, 15)),
        ("2026-11-20 14:00", at(11, 20, 14)),
        ("2026/11/20 14:05", at(11, 20, 14, 5)),
        ("现在", NOW),
        ("半小时前", at(11, 24, 14, 30)),
        ("3小时前", at(11, 24, 12)),
        ("两个小时前", at(11, 24, 13)),
        ("今天上午10点半", at(11, 24, 10, 30)),
        ("前天晚上八点半", at(11, 22, 20, 30)),
        ("11月20号 下午2点", at(11, 20, 14)),
        ("十月十五日下午两点", at(10, 15, 14)),
        ("今天14:30", at(11, 24, 14, 30)),
        ("10/15 14:00", at(10, 15, 14)),
        ("昨晚9点", at(11, 23, 21)),
        ("中午12点", at(11, 24, 12)),
        ("凌晨1点", at(11, 24, 1)),
        ("昨天晚上大概9点左右", at(11, 23, 21)),
        ("yesterday 3pm", at(11, 23, 15)),
        ("２０２６－１１－２０　１４：００", at(11, 20, 14)),  # full-width digits
        ("昨天下午3點", at(11, 23, 15)),  # traditional 點
    ],
)
def test_a_clock_time_is_a_moment(text: str, expected: datetime) -> None:
    parsed = parse_when(text, NOW)
    assert parsed is not None, text
    assert parsed.exact and parsed.start == parsed.end == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # Issue 21.4: vague answers stay vague (no "12月3日9点" for "昨天").
        ("昨天", at(11, 23, 0), at(11, 24, 0)),
        ("昨日", at(11, 23, 0), at(11, 24, 0)),
        ("今天", at(11, 24, 0), at(11, 25, 0)),
        ("前天", at(11, 22, 0), at(11, 23, 0)),
        ("3天前", at(11, 21, 0), at(11, 22, 0)),
        ("10月15日", at(10, 15, 0), at(10, 16, 0)),
        ("昨天下午", at(11, 23, 12), at(11, 23, 18)),
        ("今天下午", at(11, 24, 12), at(11, 24, 18)),
        ("今天上午", at(11, 24, 6), at(11, 24, 12)),
        ("昨晚", at(11, 23, 18), at(11, 24, 0)),
        ("凌晨", at(11, 24, 0), at(11, 24, 6)),
        ("下午", at(11, 24, 12), at(11, 24, 18)),
        ("晚上", at(11, 23, 18), at(11, 24, 0)),  # tonight has not begun at 15:00
        ("刚才", at(11, 24, 14, 30), NOW),
        ("刚刚", at(11, 24, 14, 30), NOW),
    ],
)
def test_a_vague_time_is_a_range(text: str, start: datetime, end: datetime) -> None:
    parsed = parse_when(text, NOW)
    assert parsed is not None, text
    assert not parsed.exact
    assert (parsed.start, parsed.end) == (start, end)


def test_a_range_wholly_before_the_purchase_is_refused() -> None:
    bought = at(11, 24, 21, 33)
    afternoon = parse_when("今天下午", at(11, 24, 22, 0))
    assert afternoon is not None and fit_after(afternoon, bought) is None
    yesterday = parse_when("昨天", at(11, 24, 22, 0))
    assert yesterday is not None and fit_after(yesterday, bought) is None


def test_a_range_overlapping_the_purchase_is_clipped_to_it() -> None:
    bought = at(11, 24, 14, 40).replace(second=30)  # seconds do not count: buyers type minutes
    just_now = parse_when("刚才", NOW)
    assert just_now is not None
    fitted = fit_after(just_now, bought)
    assert fitted is not None and (fitted.start, fitted.end) == (at(11, 24, 14, 40), NOW)
    today = parse_when("今天", NOW)
    assert today is not None and fit_after(today, bought) == ParsedTime(
        at(11, 24, 14, 40), at(11, 25, 0)
    )


def test_a_moment_is_checked_to_the_minute_of_the_purchase() -> None:
    bought = at(11, 24, 14, 40).replace(second=30)
    same_minute = parse_when("14:40", NOW)
    before = parse_when("14:39", NOW)
    assert same_minute is not None and fit_after(same_minute, bought) == same_minute
    assert before is not None and fit_after(before, bought) is None


def test_a_date_without_year_is_the_most_recent_past_one() -> None:
    parsed = parse_when("12月1日10点", NOW)
    assert parsed is not None and parsed.start == at(12, 1, 10, year=2025)


def test_a_time_later_today_means_yesterday() -> None:
    parsed = parse_when("18点", NOW)
    assert parsed is not None and parsed.start == at(11, 23, 18)


def test_future_days_parse_so_the_flow_can_refuse_them() -> None:
    parsed = parse_when("明天下午3点", NOW)
    assert parsed is not None and parsed.in_future(NOW)
    tomorrow = parse_when("明天", NOW)
    assert tomorrow is not None and tomorrow.in_future(NOW)


@pytest.mark.parametrize(
    "text", ["随便写点", "2026-02-30", "25点", "", "我也不记得了", "x" * 100, "14点99分"]
)
def test_not_understood(text: str) -> None:
    assert parse_when(text, NOW) is None
