"""User-facing text in Simplified Chinese (default) and English.

The catalogue is split by who reads it (``buyer``, ``complaint``, ``lookup``,
``moderation``, ``staff``); :data:`TEXTS` is all of it, each key defined once.
Templates use ``str.format`` named fields; values are inserted once and never re-parsed, so
a user's text containing braces cannot break or inject into a template.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping

from core.texts import buyer, complaint, lookup, moderation, staff
from core.texts.catalog import Catalog

__all__ = ["TEXTS", "Catalog", "Texts", "fill"]


def _merge(*parts: Catalog) -> Catalog:
    merged: dict[str, Mapping[str, str]] = {}
    for part in parts:
        for key, entry in part.items():
            if key in merged:
                raise ValueError(f"text {key!r} is defined twice")
            merged[key] = entry
    return merged


TEXTS: Catalog = _merge(buyer.TEXTS, complaint.TEXTS, lookup.TEXTS, moderation.TEXTS, staff.TEXTS)


class Texts:
    """Looks up a text by key for a locale, falling back to the default locale."""

    def __init__(self, default_locale: str = "zh", catalog: Catalog = TEXTS) -> None:
        self.default_locale = default_locale
        self._catalog = catalog

    def locale_for(self, user_locale: str) -> str:
        """Map a platform language code ("en-US", "zh-hans") to a supported locale."""
        code = user_locale.lower()
        if code.startswith("en"):
            return "en"
        if code.startswith("zh"):
            return "zh"
        return self.default_locale

    def get(self, key: str, locale: str, /, **values: object) -> str:
        entry = self._catalog[key]
        template = entry[locale] if locale in entry else entry[self.default_locale]
        return fill(template, values) if values else template


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_START = re.compile(r"[A-Za-z0-9@#]")
_LATIN_END = re.compile(r"[A-Za-z0-9%]")
_FORMATTER = string.Formatter()


@functools.lru_cache(maxsize=2048)
def _parsed(template: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    """A template split into literals and fields, once per template (templates are few)."""
    return tuple(_FORMATTER.parse(template))


def _needs_space(before: str, after: str) -> bool:
    """Chinese next to Latin letters or digits gets a space (``订单 DD2026…``, ``你好 Alice``);
    Chinese next to Chinese or to full-width punctuation gets none (``你好阿狸，``)."""
    if not before or not after:
        return False
    left, right = before[-1], after[0]
    return bool(
        (_HAN.match(left) and _LATIN_START.match(right))
        or (_LATIN_END.match(left) and _HAN.match(right))
    )


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template.format(**values)``, spacing each inserted value from its neighbours by
    script: templates never put spaces around a field, so a name reads "你好阿狸" and
    "你好 Alice" alike. Values are inserted once and never re-parsed."""
    out = ""
    for literal, field, spec, conversion in _parsed(template):
        if literal:
            out += " " + literal if _needs_space(out, literal) else literal
        if field is None:
            continue
        value, _ = _FORMATTER.get_field(field, (), values)
        value = _FORMATTER.convert_field(value, conversion)
        shown = _FORMATTER.format_field(value, spec or "")
        out += " " + shown if _needs_space(out, shown) else shown
    return out
