"""Parse when something happened, the way buyers write it: "10月15日14点", "昨天下午3点",
"2026-11-20 14:00", "刚才", "半小时前", "前天晚上八点半", "yesterday 3pm".

Why our own grammar: dateparser (tried) returns nothing for 昨天下午3点, 10月15日14点 or 刚才;
jionlp understands them but drags in large dictionaries and a slow import for one step of one
flow. The forms buyers use are few and regular, so a small grammar is sharper, fast and fully
tested. Results are in the shop's time zone; a date without a year, or a time without a
date, means the most recent such moment that is not in the future.

A vague answer stays vague: it is a range, never a moment with invented precision.
"昨天" is that whole day, "今天下午" 12:00–18:00, "刚才" the last half hour, "3天前" that
day; a clock time ("14:30", "半小时前") is a moment (a range of zero length).
:func:`fit_after` checks a range against the order's purchase time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from core.numbers import ascii_digits

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip


def _cn_number(text: str) -> int | None:
    """Arabic or Chinese numerals up to 99 ("十二", "二十五", "三")."""
    digits = ascii_digits(text)
    if digits is not None:
        return int(digits)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


_NUM = r"[0-9]{1,4}|[零〇一二两三四五六七八九十]{1,3}"

_JUST_NOW = re.compile(r"^(刚才|刚刚|就刚才|刚|just\s*now)$", re.I)
_NOW = re.compile(r"^(现在|now)$", re.I)
_AGO = re.compile(rf"^(?P<n>{_NUM}|半)\s*(?:个)?\s*(?P<unit>分钟|分|小时|钟头|天)(?:之)?前$")
_AGO_EN = re.compile(r"^(?P<n>\d{1,4})\s*(?P<unit>minutes?|mins?|hours?|hrs?|days?)\s*ago$", re.I)
_DAY_WORDS = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "昨晚": 1, "yesterday": 1,
              "前天": 2, "大前天": 3, "今早": 0, "今晚": 0,
              # Future days parse, so the caller can say "that is in the future".
              "明天": -1, "明日": -1, "后天": -2, "tomorrow": -1}  # fmt: skip
_DAY_PERIOD_WORDS = {"昨晚": "晚上", "今晚": "晚上", "今早": "早上"}
_PERIODS = {"凌晨": "night", "半夜": "night", "早上": "am", "早晨": "am", "上午": "am",
            "今早": "am", "中午": "noon", "下午": "pm", "傍晚": "pm", "晚上": "pm", "夜里": "pm",
            "今晚": "pm", "昨晚": "pm", "am": "am", "pm": "pm"}  # fmt: skip
# The hours a part of the day covers, [start, end), when no clock time is given.
_PERIOD_HOURS = {"凌晨": (0, 6), "半夜": (0, 6), "早上": (6, 10), "早晨": (6, 10),
                 "今早": (6, 10), "上午": (6, 12), "中午": (11, 14), "下午": (12, 18),
                 "傍晚": (17, 20), "晚上": (18, 24), "夜里": (20, 24), "今晚": (18, 24),
                 "昨晚": (18, 24)}  # fmt: skip
JUST_NOW = timedelta(minutes=30)  # "刚才": the last half hour

_FULL_DATE = re.compile(
    r"(?P<y>20\d\d)\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*[日号]?"
)
_MONTH_DAY = re.compile(
    rf"(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号]?|(?P<m2>\d{{1,2}})[/-](?P<d2>\d{{1,2}})(?![\d:])"
)
_CLOCK = re.compile(r"(?P<h>\d{1,2})\s*[:：]\s*(?P<mi>\d{2})(?:\s*[:：]\s*\d{2})?")
_CN_TIME = re.compile(
    rf"(?P<h>{_NUM})\s*(?:点|点钟|时)\s*(?:(?P<half>半)|(?P<q>一刻|三刻)|(?P<mi>{_NUM})\s*分?)?"
)
_EN_TIME = re.compile(r"(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?\s*(?P<ap>am|pm)", re.I)


@dataclass(frozen=True, slots=True)
class ParsedTime:
    """When something happened: ``start`` to ``end`` (end excluded); the same moment twice
    for a clock time. Both aware, in the time zone of the ``now`` they were parsed with."""

    start: datetime
    end: datetime

    @property
    def exact(self) -> bool:
        return self.start == self.end

    @classmethod
    def moment(cls, value: datetime) -> ParsedTime:
        return cls(value, value)

    def in_future(self, now: datetime) -> bool:
        """Nothing of it has happened yet."""
        return self.start > now


def fit_after(parsed: ParsedTime, earliest: datetime) -> ParsedTime | None:
    """``parsed`` clipped to start no earlier than ``earliest`` (the purchase): None when it
    lies wholly before. ``earliest`` counts from its minute, the precision buyers type."""
    floor = earliest.replace(second=0, microsecond=0)
    if parsed.exact:
        return parsed if parsed.start >= floor else None
    if parsed.end <= floor:
        return None
    return parsed if parsed.start >= floor else ParsedTime(floor, parsed.end)


def _whole_day(day: date, tz: tzinfo | None) -> ParsedTime:
    start = datetime.combine(day, time(0), tzinfo=tz)
    return ParsedTime(start, start + timedelta(days=1))


def _period_of(day: date, word: str, tz: tzinfo | None) -> ParsedTime:
    first, last = _PERIOD_HOURS[word]
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    return ParsedTime(midnight + timedelta(hours=first), midnight + timedelta(hours=last))


def _fold(text: str) -> str:
    return (
        unicodedata.normalize("NFKC", text).strip().lower().replace("號", "号").replace("點", "点")
    )


def _relative(text: str, now: datetime) -> ParsedTime | None:
    if _JUST_NOW.match(text):
        return ParsedTime(now - JUST_NOW, now)
    if _NOW.match(text):
        return ParsedTime.moment(now)
    match = _AGO.match(text)
    if match:
        amount = 0.5 if match["n"] == "半" else _cn_number(match["n"])
        if amount is None:
            return None
        unit = match["unit"]
        if unit == "天":  # "3天前": that whole day
            return _whole_day(now.date() - timedelta(days=int(amount)), now.tzinfo)
        delta = timedelta(minutes=amount) if unit in ("分钟", "分") else timedelta(hours=amount)
        return ParsedTime.moment(now - delta)
    match = _AGO_EN.match(text)
    if match:
        n, unit = int(match["n"]), match["unit"][0]
        if unit == "d":
            return _whole_day(now.date() - timedelta(days=n), now.tzinfo)
        delta = timedelta(minutes=n) if unit == "m" else timedelta(hours=n)
        return ParsedTime.moment(now - delta)
    return None


def _find_date(text: str, today: date) -> tuple[date | None, str]:
    """The date named in ``text`` (and the text with it removed)."""
    for word, days in sorted(_DAY_WORDS.items(), key=lambda kv: -len(kv[0])):
        if word in text:
            # "昨晚" names both a day and a part of it: keep the part for _find_time.
            keep = _DAY_PERIOD_WORDS.get(word, " ")
            return today - timedelta(days=days), text.replace(word, keep, 1)
    match = _FULL_DATE.search(text)
    if match:
        try:
            found = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None, "!"
        return found, text[: match.start()] + " " + text[match.end() :]
    match = _MONTH_DAY.search(text)
    if match:
        month = _cn_number(match["m"] or match["m2"])
        day = _cn_number(match["d"] or match["d2"])
        if month is None or day is None:
            return None, "!"
        for year in (today.year, today.year - 1):
            try:
                found = date(year, month, day)
            except ValueError:
                return None, "!"
            if found <= today:
                break
        return found, text[: match.start()] + " " + text[match.end() :]
    return None, text


def _find_time(text: str) -> tuple[time | None, str | None, str | None, bool]:
    """(time of day, period kind, period word, whether anything unparseable was left)."""
    period = period_word = None
    for word, kind in sorted(_PERIODS.items(), key=lambda kv: -len(kv[0])):
        if word in text and word not in ("am", "pm"):
            period, period_word = kind, word
            text = text.replace(word, " ", 1)
            break
    hour = minute = None
    match = _CLOCK.search(text) or _EN_TIME.search(text)
    if match:
        hour, minute = int(match["h"]), int(match["mi"] or 0)
        if "ap" in match.groupdict() and match["ap"]:
            period = match["ap"].lower()
    else:
        match = _CN_TIME.search(text)
        if match:
            hour = _cn_number(match["h"])
            if match["half"]:
                minute = 30
            elif match["q"]:
                minute = 15 if match["q"] == "一刻" else 45
            else:
                minute = _cn_number(match["mi"]) if match["mi"] else 0
    rest = text[: match.start()] + text[match.end() :] if match else text
    leftover = bool(re.sub(r"[\s,，的左右大概约差不多在时候那个]+", "", rest))
    if hour is None or minute is None:
        return None, period, period_word, leftover
    if (period in ("pm",) and hour < 12) or (period == "noon" and hour < 6):
        hour += 12
    elif (period == "night" and hour == 12) or (period == "am" and hour == 12):
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None, period, period_word, True
    return time(hour, minute), period, period_word, leftover


def parse_when(text: str, now: datetime) -> ParsedTime | None:
    """When ``text`` says something happened, relative to ``now`` (an aware datetime in the
    shop's time zone). None when the text is not a time we understand (or names a moment
    outside the calendar, such as "9999 days ago" near year 1)."""
    try:
        return _parse_when(text, now)
    except (OverflowError, ValueError):
        return None


def _parse_when(text: str, now: datetime) -> ParsedTime | None:
    folded = _fold(text)
    if not folded or len(folded) > 60:
        return None
    relative = _relative(folded, now)
    if relative is not None:
        return relative
    day, rest = _find_date(folded, now.date())
    if rest == "!":
        return None
    clock, _, period_word, leftover = _find_time(rest)
    if leftover:
        return None
    tz = now.tzinfo
    if clock is not None:
        moment = datetime.combine(day or now.date(), clock, tzinfo=tz)
        if day is None and moment > now:
            moment -= timedelta(days=1)  # "14点" said at 10:00 means yesterday's 14:00
        return ParsedTime.moment(moment)
    if period_word is not None and period_word in _PERIOD_HOURS:
        found = _period_of(day or now.date(), period_word, tz)
        if day is None and found.in_future(now):
            found = _period_of(now.date() - timedelta(days=1), period_word, tz)
        return found
    if day is None:
        return None
    return _whole_day(day, tz)
