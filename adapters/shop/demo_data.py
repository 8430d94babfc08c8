"""Seed data of the embedded demo shop: every order, card-key and top-up status there is.

The data is static (deterministic) and seeded once. Times are written relative to the
seeding moment (``minutes(-5)`` = five minutes before it) and stored as absolute times then,
so every screen and every later query sees the same moments (a top-up "processing for 5
minutes" has been processing for longer when asked an hour later, as in a real shop).

Order numbers: ``DD`` + an 8-digit date (``YYYYMMDD``) + a 5-digit daily sequence, e.g.
``DD2026112000001`` (15 characters). The date part of the demo numbers is fixed
(2026-11-20); it is part of the name only and is not the order's ``created_at``.
Card keys: four groups of four upper-case letters/digits, e.g. ``XH7K-9P2M-4Q8R-1T6W``.

``DEMO_ORDER_NOS`` and ``DEMO_CARD_KEYS`` name them for the README and for tests;
:func:`describe` lists what each one demonstrates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from core.shop import CardStatus, DeliveryType, OrderStatus, RechargeStatus

AUTO = DeliveryType.AUTO
TOPUP = DeliveryType.MANUAL_TOPUP


def minutes(n: float) -> timedelta:
    """``minutes(-5)``: five minutes before the demo shop was seeded."""
    return timedelta(minutes=n)


def days(n: float) -> timedelta:
    return timedelta(days=n)


@dataclass(frozen=True, slots=True)
class SeedCard:
    key: str
    status: CardStatus
    used_at: timedelta | None = None
    expires_at: timedelta | None = None


@dataclass(frozen=True, slots=True)
class SeedRecharge:
    status: RechargeStatus
    account: str  # the game account / UID, stored in full, returned masked
    submitted_at: timedelta
    completed_at: timedelta | None = None
    usual_minutes: int | None = None
    failure_reason: str = ""


@dataclass(frozen=True, slots=True)
class SeedOrder:
    name: str  # the short name in DEMO_ORDER_NOS
    note: str  # what the order demonstrates
    status: OrderStatus
    delivery_type: DeliveryType
    product: str
    amount: str
    created_at: timedelta
    paid_at: timedelta | None = None
    delivered_at: timedelta | None = None
    quantity: int = 1
    card: SeedCard | None = None
    card_valid_days: int | None = None
    recharge: SeedRecharge | None = None
    reissue_eligible: bool = False
    bulk: bool = False

    @property
    def amount_decimal(self) -> Decimal:
        return Decimal(self.amount)


ORDER_DATE = "20261120"


def order_no(seq: int) -> str:
    return f"DD{ORDER_DATE}{seq:05d}"


_R = RechargeStatus
_O = OrderStatus

# One order per entry: name, note, status, delivery type, product, amount, created_at, ...
# fmt: off
SEED_ORDERS: tuple[SeedOrder, ...] = (
    # --- card-key orders (automatic delivery) -------------------------------------------
    SeedOrder(
        "delivered_card", "card key delivered, key still unused (valid 365 days)",
        _O.DELIVERED, AUTO, "原神 创世结晶 6480 兑换码", "648.00", minutes(-125),
        paid_at=minutes(-124), delivered_at=minutes(-123), card_valid_days=365,
        card=SeedCard("XH7K-9P2M-4Q8R-1T6W", CardStatus.UNUSED, expires_at=days(365)),
    ),
    SeedOrder(
        "delivered_card_used", "card key delivered and already redeemed 2 days ago",
        _O.DELIVERED, AUTO, "Steam 充值卡 100元", "100.00", days(-3),
        paid_at=days(-3), delivered_at=days(-3), card_valid_days=180,
        card=SeedCard(
            "K3VD-8WQ2-M7PX-5J9C", CardStatus.USED, used_at=days(-2), expires_at=days(177)
        ),
    ),
    SeedOrder(
        "delivered_card_expired", "card key delivered 45 days ago, expired after 30 days",
        _O.DELIVERED, AUTO, "王者荣耀 点券 1000", "100.00", days(-45),
        paid_at=days(-45), delivered_at=days(-45), card_valid_days=30,
        card=SeedCard("R2NF-6HTB-9YKE-4ZA8", CardStatus.EXPIRED, expires_at=days(-15)),
    ),
    SeedOrder(
        "delivered_card_invalid", "card key delivered but voided by the supplier (invalid)",
        _O.DELIVERED, AUTO, "网易一卡通 50元", "50.00", days(-1),
        paid_at=days(-1), delivered_at=days(-1), card_valid_days=90,
        card=SeedCard("P8LC-3UMG-7WDS-2QV5", CardStatus.INVALID, expires_at=days(89)),
    ),
    SeedOrder(
        "paid", "paid 2 minutes ago, not yet handed to delivery",
        _O.PAID, AUTO, "腾讯 Q币卡 30元", "30.00", minutes(-3), paid_at=minutes(-2),
    ),
    SeedOrder(
        "pending", "created 10 minutes ago, awaiting payment",
        _O.PENDING, AUTO, "Apple Store 充值卡 100元", "100.00", minutes(-10),
    ),
    SeedOrder(
        "processing_card", "card-key delivery in progress (stock allocation)",
        _O.PROCESSING, AUTO, "京东 E卡 200元", "200.00", minutes(-4), paid_at=minutes(-3),
    ),
    SeedOrder(
        "failed_card_eligible", "card-key delivery failed (out of stock); express reissue allowed",
        _O.FAILED, AUTO, "魔兽世界 时间卡 30天", "75.00", minutes(-40), paid_at=minutes(-39),
        card_valid_days=365, reissue_eligible=True,
    ),
    SeedOrder(
        "failed_card", "card-key delivery failed (product withdrawn); no reissue, needs a ticket",
        _O.FAILED, AUTO, "Xbox 礼品卡 100元", "100.00", minutes(-180),
        paid_at=minutes(-179),
    ),
    SeedOrder(
        "abnormal", "paid, held for risk-control review (abnormal)",
        _O.ABNORMAL, AUTO, "Apple Gift Card 500元", "500.00", minutes(-30), paid_at=minutes(-29),
    ),
    SeedOrder(
        "expired", "never paid, closed after 30 minutes (expired)",
        _O.EXPIRED, AUTO, "原神 空月祝福 兑换码", "30.00", days(-2),
    ),
    SeedOrder(
        "refunded", "card-key order refunded",
        _O.REFUNDED, AUTO, "Steam 充值卡 50元", "50.00", days(-5), paid_at=days(-5),
    ),
    # --- top-up orders (代充, done by the shop) --------------------------------------------
    SeedOrder(
        "paid_topup", "top-up paid a minute ago, queued (recharge pending)",
        _O.PAID, TOPUP, "和平精英 UC 660 代充", "60.00", minutes(-2), paid_at=minutes(-1),
        recharge=SeedRecharge(_R.PENDING, "5123456789", minutes(-1), usual_minutes=10),
    ),
    SeedOrder(
        "pending_topup", "top-up awaiting payment (recharge pending)",
        _O.PENDING, TOPUP, "英雄联盟 点券 代充 3500", "350.00", minutes(-6),
        recharge=SeedRecharge(_R.PENDING, "7788990011", minutes(-6), usual_minutes=15),
    ),
    SeedOrder(
        "processing_topup", "top-up processing for 5 minutes; usually takes 10",
        _O.PROCESSING, TOPUP, "原神 创世结晶 6480 代充", "648.00", minutes(-6),
        paid_at=minutes(-6),
        recharge=SeedRecharge(_R.PROCESSING, "812345678", minutes(-5), usual_minutes=10),
    ),
    SeedOrder(
        "processing_topup_overdue", "top-up processing for 50 minutes; usually takes 15 (late)",
        _O.PROCESSING, TOPUP, "王者荣耀 点券 代充 1000", "100.00", minutes(-52),
        paid_at=minutes(-51),
        recharge=SeedRecharge(_R.PROCESSING, "3344556677", minutes(-50), usual_minutes=15),
    ),
    SeedOrder(
        "delivered_topup", "top-up succeeded yesterday",
        _O.DELIVERED, TOPUP, "QQ 会员 年卡 代充", "120.00", days(-1),
        paid_at=days(-1), delivered_at=days(-1) + minutes(8),
        recharge=SeedRecharge(
            _R.SUCCEEDED, "1234567890", days(-1), completed_at=days(-1) + minutes(8),
            usual_minutes=10,
        ),
    ),
    SeedOrder(
        "failed_topup_eligible", "top-up failed (channel timeout); express reissue allowed",
        _O.FAILED, TOPUP, "原神 空月祝福 代充", "30.00", minutes(-35), paid_at=minutes(-35),
        reissue_eligible=True,
        recharge=SeedRecharge(
            _R.FAILED, "823456789", minutes(-34), completed_at=minutes(-20), usual_minutes=10,
            failure_reason="充值渠道接口超时，游戏内未到账",
        ),
    ),
    SeedOrder(
        "failed_topup", "top-up failed (wrong account/server); not eligible, needs a ticket",
        _O.FAILED, TOPUP, "和平精英 UC 1800 代充", "160.00", minutes(-90), paid_at=minutes(-90),
        recharge=SeedRecharge(
            _R.FAILED, "5000000001", minutes(-89), completed_at=minutes(-80), usual_minutes=10,
            failure_reason="游戏账号不存在或区服填写错误",
        ),
    ),
    SeedOrder(
        "abnormal_topup", "top-up held for risk-control review",
        _O.ABNORMAL, TOPUP, "王者荣耀 点券 代充 5000", "500.00", minutes(-25),
        paid_at=minutes(-25),
        recharge=SeedRecharge(_R.PENDING, "9988776655", minutes(-25), usual_minutes=15),
    ),
    SeedOrder(
        "expired_topup", "top-up never paid and closed; no recharge was started",
        _O.EXPIRED, TOPUP, "英雄联盟 点券 代充 1000", "100.00", days(-3),
        recharge=SeedRecharge(
            _R.FAILED, "6655443322", days(-3), failure_reason="订单超时未支付，已关闭，未发起充值"
        ),
    ),
    SeedOrder(
        "refunded_topup", "top-up failed and was refunded",
        _O.REFUNDED, TOPUP, "原神 创世结晶 3280 代充", "328.00", days(-4), paid_at=days(-4),
        recharge=SeedRecharge(
            _R.FAILED, "834567890", days(-4), completed_at=days(-4) + minutes(30),
            usual_minutes=10, failure_reason="充值失败，款项已原路退回",
        ),
    ),
    # --- enterprise / bulk purchases (企业批量采购) ------------------------------------------
    SeedOrder(
        "bulk", "bulk purchase of 200 card keys, delivered (route to the consultant)",
        _O.DELIVERED, AUTO, "Steam 充值卡 100元（企业批量采购）", "19600.00", days(-2),
        paid_at=days(-2), delivered_at=days(-2) + minutes(5), quantity=200, bulk=True,
        card_valid_days=180,
    ),
    SeedOrder(
        "bulk_processing", "bulk purchase of 50 card keys, delivery in progress",
        _O.PROCESSING, AUTO, "王者荣耀 点券 1000（企业批量采购）", "4900.00", minutes(-20),
        paid_at=minutes(-18), quantity=50, bulk=True,
    ),
    SeedOrder(
        "bulk_abnormal", "bulk purchase of 100 gift cards held for review",
        _O.ABNORMAL, AUTO, "Apple Gift Card 100元（企业批量采购）", "9800.00", days(-1),
        paid_at=days(-1), quantity=100, bulk=True,
    ),
)
# fmt: on

DEMO_ORDER_NOS: dict[str, str] = {o.name: order_no(i) for i, o in enumerate(SEED_ORDERS, 1)}

DEMO_CARD_KEYS: dict[str, str] = {
    o.card.status.value: o.card.key for o in SEED_ORDERS if o.card is not None
}


def describe() -> list[tuple[str, str, str]]:
    """``(short name, order number or card key, what it demonstrates)`` for every demo item."""
    rows = [(o.name, DEMO_ORDER_NOS[o.name], o.note) for o in SEED_ORDERS]
    for seed in SEED_ORDERS:
        if seed.card is not None:
            rows.append(
                (f"card:{seed.card.status.value}", seed.card.key, f"card key of {seed.name}")
            )
    return rows
