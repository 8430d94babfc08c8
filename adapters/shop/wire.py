"""JSON wire format of the shop HTTP API: strict parsing into the port's types, and the
ticket body. Field names and statuses are those of :mod:`core.shop` (see ``openapi.yaml``).

Parsing is strict where a mistake would mislead a buyer: required fields must be present
with the right type, datetimes must be ISO 8601 *with* an offset, amounts must be exact
decimals (a string such as ``"648.00"``, or a JSON number read without binary floats), and
statuses must be known words (or mapped to one by ``status_aliases``). Unknown extra
fields are ignored so a shop can add fields without breaking the bot.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from core.masking import mask_card_key, mask_sensitive
from core.shop import (
    CardKeyInfo,
    CardStatus,
    DeliveryType,
    Order,
    OrderStatus,
    Recharge,
    RechargeStatus,
    ReissueResult,
    ShopError,
    TicketPush,
)

E = TypeVar("E", bound=enum.StrEnum)

_DECIMAL = re.compile(r"^-?\d{1,15}(?:\.\d{1,6})?$")

#: ``status_aliases`` maps a kind ("order", "delivery", "card", "recharge") to
#: ``{shop word: normalised word}``, e.g. ``{"order": {"SHIPPED": "delivered"}}``.
StatusAliases = Mapping[str, Mapping[str, str]]


class SchemaError(ShopError):
    """The shop's reply does not match the API contract."""


def _shown(value: Any) -> str:
    """A short, masked rendering of a bad value for an error message."""
    return mask_sensitive(repr(value)[:60])


class Reader:
    """Typed access to one JSON object; every problem raises :class:`SchemaError`."""

    def __init__(self, data: Any, where: str, aliases: StatusAliases | None = None) -> None:
        if not isinstance(data, dict):
            raise SchemaError(f"{where}: expected a JSON object, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.where = where
        self.aliases = aliases or {}

    def _fail(self, key: str, problem: str) -> SchemaError:
        return SchemaError(f"{self.where}: field {key!r} {problem}")

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise self._fail(key, "is missing")
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self._get(key, required)
        if value is None and not required:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise self._fail(key, f"must be a non-empty string, got {_shown(value)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """An optional list of strings (empty when absent)."""
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, f"must be a list of strings, got {_shown(value)}")
        return tuple(value)

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._fail(key, f"must be true or false, got {_shown(value)}")
        return value

    def integer(self, key: str, *, minimum: int = 0) -> int | None:
        value = self._get(key, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self._fail(key, f"must be an integer >= {minimum}, got {_shown(value)}")
        return value

    def moment(self, key: str, *, required: bool = False) -> datetime | None:
        value = self._get(key, required)
        if value is None:
            if required:
                raise self._fail(key, "must not be null")
            return None
        if not isinstance(value, str):
            raise self._fail(key, f"must be an ISO 8601 string, got {_shown(value)}")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self._fail(key, f"is not an ISO 8601 date-time: {_shown(value)}") from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise self._fail(key, f"has no UTC offset: {_shown(value)}")
        return moment

    def required_moment(self, key: str) -> datetime:
        moment = self.moment(key, required=True)
        assert moment is not None
        return moment

    def amount(self, key: str) -> Decimal:
        value = self._get(key, True)
        if isinstance(value, Decimal):  # a JSON number, read with parse_float=Decimal
            text = format(value, "f")
        elif isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, str):
            text = value.strip()
        else:
            raise self._fail(key, f"must be a decimal amount, got {_shown(value)}")
        if not _DECIMAL.match(text):
            raise self._fail(key, f'must be a decimal amount such as "648.00": {_shown(value)}')
        try:
            amount = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern rules it out
            raise self._fail(key, f"is not a decimal: {_shown(value)}") from None
        if amount < 0:
            raise self._fail(key, f"must not be negative: {_shown(value)}")
        return amount

    def status(self, key: str, enum_type: type[E], kind: str, *, default: E | None = None) -> E:
        value = self._get(key, default is None)
        if value is None and default is not None:
            return default
        if not isinstance(value, str):
            raise self._fail(key, f"must be a status word, got {_shown(value)}")
        word = self.aliases.get(kind, {}).get(value, value)
        try:
            return enum_type(word)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_type)
            raise self._fail(
                key, f"has unknown {kind} status {_shown(value)} (expected one of {allowed})"
            ) from None


def _masked(value: str) -> str:
    """Keep a key masked even if the shop sent it in full."""
    if not value or "*" in value:
        return value
    return mask_card_key(value)


def parse_order(data: Any, where: str, aliases: StatusAliases | None = None) -> Order:
    r = Reader(data, where, aliases)
    return Order(
        order_no=r.text("order_no", required=True),
        status=r.status("status", OrderStatus, "order"),
        product=r.text("product", required=True),
        amount=r.amount("amount"),
        created_at=r.required_moment("created_at"),
        delivery_type=r.status("delivery_type", DeliveryType, "delivery"),
        paid_at=r.moment("paid_at"),
        delivered_at=r.moment("delivered_at"),
        currency=r.text("currency", default="CNY") or "CNY",
        quantity=r.integer("quantity", minimum=1) or 1,
        card_key_masked=_masked(r.text("card_key_masked")),
        card_valid_days=r.integer("card_valid_days"),
        reissue_eligible=r.boolean("reissue_eligible"),
        bulk=r.boolean("bulk"),
        buyers=r.texts("buyer_ids"),
    )


def parse_card(data: Any, where: str, aliases: StatusAliases | None = None) -> CardKeyInfo:
    r = Reader(data, where, aliases)
    return CardKeyInfo(
        masked_key=_masked(r.text("masked_key", required=True)),
        status=r.status("status", CardStatus, "card"),
        product=r.text("product", required=True),
        order_no=r.text("order_no"),
        used_at=r.moment("used_at"),
        expires_at=r.moment("expires_at"),
    )


def parse_recharge(data: Any, where: str, aliases: StatusAliases | None = None) -> Recharge:
    r = Reader(data, where, aliases)
    return Recharge(
        order_no=r.text("order_no", required=True),
        status=r.status("status", RechargeStatus, "recharge"),
        product=r.text("product", required=True),
        account_masked=r.text("account_masked"),
        submitted_at=r.required_moment("submitted_at"),
        completed_at=r.moment("completed_at"),
        usual_minutes=r.integer("usual_minutes"),
        failure_reason=r.text("failure_reason"),
        reissue_eligible=r.boolean("reissue_eligible"),
    )


def parse_reissue(data: Any, where: str) -> ReissueResult:
    r = Reader(data, where)
    if "accepted" not in r.data:
        raise SchemaError(f"{where}: field 'accepted' is missing")
    return ReissueResult(
        accepted=r.boolean("accepted"),
        reference=r.text("reference"),
        message=r.text("message"),
    )


def parse_ticket_reference(data: Any, where: str) -> str:
    return Reader(data, where).text("reference", required=True)


def parse_error(data: Any) -> str:
    """``code: message`` of an error body, masked; "" when the body has no such shape."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return ""
    error = data["error"]
    code, message = error.get("code", ""), error.get("message", "")
    text = f"{code}: {message}" if code and message else str(code or message)
    return mask_sensitive(text[:200])


def jsonable(value: Any) -> Any:
    """Plain JSON values: datetimes as ISO 8601, decimals as strings."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def ticket_body(ticket: TicketPush) -> dict[str, Any]:
    """The JSON body of a ticket push (``POST /tickets`` and ``/tickets/{no}/events``)."""
    return {
        "ticket_no": ticket.ticket_no,
        "event": ticket.event,
        "status": ticket.status,
        "category": ticket.category,
        "complexity": ticket.complexity,
        "user": ticket.user,
        "summary": ticket.summary,
        "fields": jsonable(ticket.fields),
        "order_no": ticket.order_no,
        "occurred_at": ticket.occurred_at.isoformat() if ticket.occurred_at else None,
    }
