"""ShopPort: how the core reads orders, card keys and top-ups, requests reissues and pushes
tickets. Backends live in ``adapters/shop/`` (an embedded demo shop and an HTTP client).

Statuses are normalised here so every backend speaks the same words. Card keys never
travel back in full: backends return them masked (``mask_card_key``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol


class OrderStatus(enum.StrEnum):
    PAID = "paid"  # paid, not yet handed to delivery
    PENDING = "pending"  # awaiting payment
    PROCESSING = "processing"  # delivery / top-up in progress
    DELIVERED = "delivered"
    FAILED = "failed"  # delivery or top-up failed
    ABNORMAL = "abnormal"  # held for review (risk control, stock problem)
    EXPIRED = "expired"  # unpaid and closed
    REFUNDED = "refunded"


class DeliveryType(enum.StrEnum):
    AUTO = "auto"  # card key delivered automatically
    MANUAL_TOPUP = "manual_topup"  # a top-up (代充) done by the shop


class CardStatus(enum.StrEnum):
    UNUSED = "unused"
    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"


class RechargeStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Order:
    order_no: str
    status: OrderStatus
    product: str
    amount: Decimal
    created_at: datetime
    delivery_type: DeliveryType
    paid_at: datetime | None = None
    delivered_at: datetime | None = None
    currency: str = "CNY"
    quantity: int = 1
    # The delivered card key, masked (first 4 / last 2 characters at most), if any.
    card_key_masked: str = ""
    card_valid_days: int | None = None
    # The shop allows an express reissue (极速补发) for this order.
    reissue_eligible: bool = False
    # An enterprise / bulk purchase (企业批量采购).
    bulk: bool = False
    # The buyer's chat accounts ("telegram:42") where the shop records them (a checkout that
    # asks for a Telegram id, say); empty when the shop cannot tell who bought the order.
    buyers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CardKeyInfo:
    masked_key: str
    status: CardStatus
    product: str
    order_no: str = ""
    used_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Recharge:
    order_no: str
    status: RechargeStatus
    product: str
    account_masked: str  # the game account topped up, masked
    submitted_at: datetime
    completed_at: datetime | None = None
    # How long this product's top-ups usually take, in minutes.
    usual_minutes: int | None = None
    failure_reason: str = ""
    reissue_eligible: bool = False


@dataclass(frozen=True, slots=True)
class ReissueResult:
    accepted: bool
    reference: str = ""  # the shop's reissue id
    message: str = ""


@dataclass(frozen=True, slots=True)
class TicketPush:
    """A ticket (or an update of it) as sent to the shop's own ticket system."""

    ticket_no: str
    event: str  # "created" | "updated" | "closed"
    status: str
    category: str
    complexity: str
    user: str  # platform-prefixed user id
    summary: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    order_no: str = ""
    occurred_at: datetime | None = None


class ShopError(Exception):
    """The shop could not answer now (timeout, 5xx, malformed reply): worth retrying later."""


class ShopRejected(ShopError):
    """The shop refused the request (4xx other than not-found): retrying will not help."""


class ShopPort(Protocol):
    async def open(self) -> None:
        """Get ready before the first lookup (called once at start-up)."""
        ...

    async def get_order(self, order_no: str) -> Order | None:
        """The order, or None when the shop has no such order."""
        ...

    async def get_card(self, card_key: str) -> CardKeyInfo | None:
        """Card-key status, or None when the key is unknown to the shop."""
        ...

    async def get_recharge(self, order_no: str) -> Recharge | None:
        """Top-up progress of an order, or None when it is not a top-up order."""
        ...

    async def request_reissue(self, order_no: str, *, idempotency_key: str) -> ReissueResult:
        """Ask for an express reissue; the same key never reissues twice."""
        ...

    async def push_ticket(self, ticket: TicketPush, *, idempotency_key: str) -> str:
        """Create or update the ticket in the shop's system; returns the shop's reference.
        The same idempotency key is accepted once: repeats return the first reference."""
        ...

    async def close(self) -> None: ...
