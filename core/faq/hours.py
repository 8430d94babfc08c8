"""The support hours as buyers read them ("每天 09:00-23:00", "around the clock").

The hours are ``sla.business_hours`` on ``sla.business_days``: the same window the SLA clock
counts due times in, so what the bot promises and how it measures never disagree. Unset,
support is around the clock.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.config import SlaConfig
from core.texts import Texts

#: The locales the knowledge base answers in (``zh*`` → Chinese, anything else → English).
LOCALES = ("zh", "en")


def support_hours(sla: SlaConfig, texts: Texts, locale: str) -> str:
    """The hours in one phrase, e.g. "周一至周五 09:00-18:00" or "09:00-23:00 every day"."""
    window = sla.business_window()
    if window is None:
        return texts.get("support.hours_always", locale)
    start, end = window
    shown = f"{start:%H:%M}-{end:%H:%M}"
    days = sorted(set(sla.business_days))
    if len(days) == 7:
        return texts.get("support.hours_daily", locale, window=shown)
    names = texts.get("support.weekdays", locale).replace("、", " ").split()
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return texts.get(
            "support.hours_range",
            locale,
            first=names[days[0] - 1],
            last=names[days[-1] - 1],
            window=shown,
        )
    separator = texts.get("support.list_separator", locale)
    listed = separator.join(names[day - 1] for day in days)
    return texts.get("support.hours_days", locale, days=listed, window=shown)


def hours_values(sla: SlaConfig, texts: Texts) -> Mapping[str, Mapping[str, str]]:
    """The ``{support_hours}`` placeholder's value per knowledge-base locale."""
    return {locale: {"support_hours": support_hours(sla, texts, locale)} for locale in LOCALES}
