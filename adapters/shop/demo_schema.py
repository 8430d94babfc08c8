"""Tables of the embedded demo shop (its own SQLite file, not the bot's database).

SQLAlchemy Core on a private ``MetaData``: the demo shop is created with ``create_all`` on
first use and never migrated (delete the file to start over). Times use :class:`DemoTime`,
an absolute moment (a ``datetime``): the seed data is placed relative to the seeding moment
and stored absolute then. Files of older versions may still hold moments *relative to now*
(a ``timedelta``); the shop pins those when it opens the file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

SCHEMA_VERSION = "1"

metadata = MetaData()


class DemoTime(TypeDecorator[timedelta | datetime]):
    """``timedelta`` → ``"rel:<seconds>"`` (relative to now), aware ``datetime`` → ISO text."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(
        self, value: timedelta | datetime | None, dialect: Dialect
    ) -> str | None:
        if value is None:
            return None
        if isinstance(value, timedelta):
            return f"rel:{int(value.total_seconds())}"
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a DemoTime column")
        return value.astimezone(UTC).isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> timedelta | datetime | None:
        if value is None:
            return None
        text = str(value)
        if text.startswith("rel:"):
            return timedelta(seconds=int(text[4:]))
        return datetime.fromisoformat(text)


def resolve(value: timedelta | datetime | None, now: datetime) -> datetime | None:
    """The absolute moment of a stored time, given the clock's now."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return now + value
    return value


meta = Table(
    "demo_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

orders = Table(
    "demo_orders",
    metadata,
    Column("order_no", String(32), primary_key=True),
    Column("name", String(40), nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("delivery_type", String(16), nullable=False),
    Column("product", String(200), nullable=False),
    Column("amount", String(24), nullable=False),  # a Decimal as text, exact
    Column("currency", String(8), nullable=False, default="CNY"),
    Column("quantity", Integer, nullable=False, default=1),
    Column("created_at", DemoTime, nullable=False),
    Column("paid_at", DemoTime),
    Column("delivered_at", DemoTime),
    Column("card_key", String(64)),  # full key (display form); masked on the way out
    Column("card_valid_days", Integer),
    Column("reissue_eligible", Boolean, nullable=False, default=False),
    Column("bulk", Boolean, nullable=False, default=False),
    Column("reissue_ref", String(32), nullable=False, default=""),
)

cards = Table(
    "demo_cards",
    metadata,
    Column("key_norm", String(64), primary_key=True),  # upper case, letters and digits only
    Column("key", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("product", String(200), nullable=False),
    Column("order_no", String(32), nullable=False, default=""),
    Column("used_at", DemoTime),
    Column("expires_at", DemoTime),
)

recharges = Table(
    "demo_recharges",
    metadata,
    Column("order_no", String(32), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("account", String(64), nullable=False),  # full; masked on the way out
    Column("submitted_at", DemoTime, nullable=False),
    Column("completed_at", DemoTime),
    Column("usual_minutes", Integer),
    Column("failure_reason", String(200), nullable=False, default=""),
)

reissues = Table(
    "demo_reissues",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("order_no", String(64), nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("reference", String(32), nullable=False, default=""),
    Column("message", String(500), nullable=False, default=""),
    Column("created_at", DemoTime, nullable=False),
)

tickets = Table(
    "demo_tickets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_no", String(64), nullable=False, unique=True),
    Column("status", String(32), nullable=False),
    Column("category", String(64), nullable=False),
    Column("complexity", String(32), nullable=False),
    Column("user", String(128), nullable=False),
    Column("summary", String(2000), nullable=False),
    Column("order_no", String(64), nullable=False, default=""),
    Column("fields", JSON, nullable=False),
    Column("created_at", DemoTime, nullable=False),
    Column("updated_at", DemoTime, nullable=False),
)

ticket_events = Table(
    "demo_ticket_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("ticket_id", Integer, nullable=False),
    Column("event", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("received_at", DemoTime, nullable=False),
)
