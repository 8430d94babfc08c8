"""Due times that count only business hours (``sla.business_hours``, ``sla.business_days``).

"2 hours" promised at 22:30 with business hours 09:00-23:00 is due at 10:30 the next day.
With no business hours configured, time runs around the clock.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.config import SlaConfig

_MAX_DAYS = 400  # a sanity bound: even one business day a week ends long before this


def add_business_hours(start: datetime, hours: float, sla: SlaConfig, tz_name: str) -> datetime:
    """``start`` plus ``hours`` of business time, in UTC-aware form like ``start``."""
    remaining = timedelta(hours=hours)
    window = sla.business_window()
    days = set(sla.business_days)
    if window is None and len(days) == 7:
        return start + remaining
    open_at, close_at = window or (time(0, 0), time(23, 59, 59, 999999))
    tz = ZoneInfo(tz_name)
    cursor = start.astimezone(tz)
    for _ in range(_MAX_DAYS):
        day_open = datetime.combine(cursor.date(), open_at, tzinfo=tz)
        day_close = datetime.combine(cursor.date(), close_at, tzinfo=tz)
        if cursor.isoweekday() in days and cursor < day_close:
            cursor = max(cursor, day_open)
            available = day_close - cursor
            if remaining <= available:
                return (cursor + remaining).astimezone(start.tzinfo)
            remaining -= available
        next_day = cursor.date() + timedelta(days=1)
        cursor = datetime.combine(next_day, time(0, 0), tzinfo=tz)
    raise ValueError("no business time found within a year; check sla.business_days")
