"""Issue 20, findings 2 and 3, played as the attacker: forged order buttons and the
anti-enumeration limit through every path that asks the shop about an order."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.binding import ButtonBinder
from core.model import Chat, Event, EventKind, User
from core.shopcalls import GuardedShop
from core.storage.tables import ReissueRequestRow
from tests.conftest import AppFactory
from tests.helpers import ALICE, DM, event, texts

BOB = User(platform="telegram", id="556", display_name="Bob", username="bob")
BOB_DM = Chat(platform="telegram", id="556", is_private=True)
ELIGIBLE = DEMO_ORDER_NOS["failed_topup_eligible"]


def press(payload: str, user: User = ALICE, chat: Chat = DM, n: int = 0) -> Event:
    return Event(
        kind=EventKind.BUTTON,
        event_id=f"press-{user.id}-{n}-{payload}",
        user=user,
        chat=chat,
        payload=payload,
    )


def buttons_of(actions: list[object]) -> list[str]:
    return [b.payload for a in actions for row in getattr(a, "buttons", ()) for b in row]


async def reissues(app: App) -> int:
    async with app.db.transaction() as session:
        return int(
            (await session.execute(select(func.count(ReissueRequestRow.order_no)))).scalar_one()
        )


async def test_a_forged_reissue_button_is_refused(app: App) -> None:
    for payload in (f"reissue:{ELIGIBLE}", f"reissue:{ELIGIBLE}~aaaaaaaaaaaa", "reissue:"):
        reply = texts(await app.engine.handle(press(payload)))
        assert "不是发给你的" in reply
    assert await reissues(app) == 0


async def test_a_reissue_button_works_only_for_the_user_it_was_offered_to(app: App) -> None:
    offered = await app.engine.handle(event(f"/order {ELIGIBLE}"))
    [payload] = [p for p in buttons_of(offered) if p.startswith("reissue:")]
    stolen = texts(await app.engine.handle(press(payload, user=BOB, chat=BOB_DM)))
    assert "不是发给你的" in stolen and await reissues(app) == 0
    mine = texts(await app.engine.handle(press(payload)))
    assert "已提交极速补发" in mine and await reissues(app) == 1


async def test_a_forged_complain_button_does_not_look_up_someone_elses_order(app: App) -> None:
    order_no = DEMO_ORDER_NOS["delivered_card"]
    reply = texts(await app.engine.handle(press(f"complain:card_invalid:{order_no}")))
    assert "不是发给你的" in reply and order_no not in reply


class ShopThatKnowsItsBuyers:
    """The demo shop, with the buyer's account recorded on every order (as a shop whose
    checkout asks for the buyer's Telegram id would)."""

    def __init__(self, shop: object, buyer: str) -> None:
        self._shop = shop
        self._buyer = buyer

    def __getattr__(self, name: str) -> object:
        return getattr(self._shop, name)

    async def get_order(self, order_no: str) -> object:
        order = await self._shop.get_order(order_no)  # type: ignore[attr-defined]
        return None if order is None else replace(order, buyers=(self._buyer,))


async def test_a_reissue_is_refused_when_the_shop_says_the_order_is_someone_elses(
    app: App,
) -> None:
    guarded = app.services.shop
    assert isinstance(guarded, GuardedShop)
    backend = guarded.inner
    guarded.inner = ShopThatKnowsItsBuyers(backend, "telegram:999")  # type: ignore[assignment]
    offered = await app.engine.handle(event(f"/order {ELIGIBLE}"))
    [payload] = [p for p in buttons_of(offered) if p.startswith("reissue:")]
    reply = texts(await app.engine.handle(press(payload)))
    assert "不是用你这个账号购买的" in reply and await reissues(app) == 0
    guarded.inner = ShopThatKnowsItsBuyers(backend, ALICE.key)  # type: ignore[assignment]
    assert "已提交极速补发" in texts(await app.engine.handle(press(payload, n=1)))


def test_tags_depend_on_the_user_the_payload_and_the_key() -> None:
    binder = ButtonBinder(b"k" * 32)
    signed = binder.bind("telegram:1", "reissue:DD1")
    assert binder.unbind("telegram:1", signed) == "reissue:DD1"
    assert binder.unbind("telegram:2", signed) is None
    assert binder.unbind("telegram:1", signed.replace("DD1", "DD2")) is None
    assert ButtonBinder(b"j" * 32).unbind("telegram:1", signed) is None


async def test_the_key_survives_a_restart(app_factory: AppFactory) -> None:
    first = await app_factory()
    signed = first.services.binder.bind(ALICE.key, "reissue:DD1")
    second = await app_factory()
    assert second.services.binder.unbind(ALICE.key, signed) == "reissue:DD1"


async def test_the_complaint_order_step_counts_against_the_lookup_limit(
    app_factory: AppFactory,
) -> None:
    app = await app_factory(self_service={"lookups_per_window": 2})
    for i in range(2):
        await app.engine.handle(event(f"/order DD20261120999{i:02d}"))
    await app.engine.handle(event("/complain"))
    await app.engine.handle(press("flow:cat:not_delivered", n=1))
    order_no = DEMO_ORDER_NOS["delivered_card"]
    reply = texts(await app.engine.handle(event(order_no)))
    assert "没有向商城核对" in reply
    assert "已查到你的订单" not in reply  # the shop was not asked: nothing about it leaks


async def test_a_prefilled_complaint_and_a_reissue_count_too(app_factory: AppFactory) -> None:
    app = await app_factory(self_service={"lookups_per_window": 2})
    offered = await app.engine.handle(event(f"/order {ELIGIBLE}"))
    [reissue] = [p for p in buttons_of(offered) if p.startswith("reissue:")]
    await app.engine.handle(event(f"/order {DEMO_ORDER_NOS['delivered_card']}"))
    # Two lookups used: the reissue press is the third question about an order.
    assert "太频繁" in texts(await app.engine.handle(press(reissue)))
    assert await reissues(app) == 0
    complain = app.services.binder.bind(
        ALICE.key, f"complain:card_invalid:{DEMO_ORDER_NOS['delivered_card_used']}"
    )
    reply = texts(await app.engine.handle(press(complain, n=2)))
    assert "没有向商城核对" in reply
