"""Which bot messages ask for free text, so a DM can offer a modal to answer them.

The core's steps ask with plain replies ("请发送订单号…"); it has no hint that a reply wants
typed text. Until it has one (see the report: a ``Reply.expects_text`` field), this catalog
recognises those prompts by the core's own message templates (every locale, placeholders
as wildcards) and names the field being asked for. The modal's answer comes back as a
FORM_SUBMITTED event carrying the same text a typed message would, so the step validates
and re-asks exactly as it does for typed answers; typing still works everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.texts import Texts

# field -> the core text keys whose message asks for it.
FIELD_PROMPTS: dict[str, tuple[str, ...]] = {
    "order": (
        "complaint.ask_order",
        "complaint.order_required",
        "complaint.bad_order_format",
        "complaint.order_not_found",
    ),
    "when": (
        "complaint.ask_when",
        "complaint.bad_when",
        "complaint.when_future",
        "complaint.when_before_order",
    ),
    "error": ("complaint.ask_error", "complaint.bad_error"),
    "handle": ("verify.ask",),
    "lookup_order": ("lookup.ask_order",),
    "lookup_card": ("lookup.ask_card",),
    "lookup_recharge": ("lookup.ask_recharge",),
}
LOCALES = ("zh", "en")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True, slots=True)
class Prompt:
    field: str
    locale: str


def _pattern(template: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.S)


class PromptCatalog:
    def __init__(self, texts: Texts) -> None:
        self._patterns: list[tuple[re.Pattern[str], Prompt]] = []
        for field, keys in FIELD_PROMPTS.items():
            for key in keys:
                for locale in LOCALES:
                    try:
                        template = texts.get(key, locale)  # no values: the raw template
                    except KeyError:
                        continue  # the core renamed a text: no modal for it, typing works
                    self._patterns.append((_pattern(template), Prompt(field, locale)))

    def match(self, text: str) -> Prompt | None:
        for pattern, prompt in self._patterns:
            if pattern.fullmatch(text.strip()):
                return prompt
        return None
