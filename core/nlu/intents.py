"""The intent taxonomy of the after-sales bot (see ``eval/intents.md``).

Every message is sorted into exactly one of these ids. The ids are a public contract: the CLI
``classify`` verb prints them, and config files and FAQ knowledge bases refer to them.
"""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """One intent id. Members compare equal to their plain string id."""

    FIND_SUPPORT = "find_support"
    CARD_INVALID = "card_invalid"
    CARD_USAGE = "card_usage"
    RECHARGE_FAILED = "recharge_failed"
    RECHARGE_PROGRESS = "recharge_progress"
    DELIVERY_DELAY = "delivery_delay"
    ACCOUNT_ISSUE = "account_issue"
    REFUND = "refund"
    COMPLAINT = "complaint"
    TICKET_STATUS = "ticket_status"
    VERIFY_OFFICIAL = "verify_official"
    BULK_PURCHASE = "bulk_purchase"
    ESCALATE = "escalate"
    SERVICE_HOURS = "service_hours"
    OTHER = "other"


FIND_SUPPORT = Intent.FIND_SUPPORT.value
CARD_INVALID = Intent.CARD_INVALID.value
CARD_USAGE = Intent.CARD_USAGE.value
RECHARGE_FAILED = Intent.RECHARGE_FAILED.value
RECHARGE_PROGRESS = Intent.RECHARGE_PROGRESS.value
DELIVERY_DELAY = Intent.DELIVERY_DELAY.value
ACCOUNT_ISSUE = Intent.ACCOUNT_ISSUE.value
REFUND = Intent.REFUND.value
COMPLAINT = Intent.COMPLAINT.value
TICKET_STATUS = Intent.TICKET_STATUS.value
VERIFY_OFFICIAL = Intent.VERIFY_OFFICIAL.value
BULK_PURCHASE = Intent.BULK_PURCHASE.value
ESCALATE = Intent.ESCALATE.value
SERVICE_HOURS = Intent.SERVICE_HOURS.value
OTHER = Intent.OTHER.value

#: All intent ids, in taxonomy order (``other`` last).
ALL_INTENTS: tuple[str, ...] = tuple(member.value for member in Intent)


def is_intent(value: str) -> bool:
    """Return True if ``value`` is one of the 15 intent ids."""
    return value in _INTENT_SET


_INTENT_SET = frozenset(ALL_INTENTS)
