"""Issue 22, finding 1: a slow shop freezes nobody. Shop calls run outside the event's
transaction (``core/shopcalls.py``), under a concurrency limit, a deadline and a breaker.

The shop here is the demo backend behind a gate the test opens: while eight buyers' lookups
wait on it, another user is served, and no shop call ever runs while this process holds a
database transaction (SQLite's writer turn, or a pooled PostgreSQL connection).
"""

from __future__ import annotations

import asyncio
from typing import Any

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.model import Chat, User
from core.shop import Order, ShopError
from core.shopcalls import CircuitBreaker, GuardedShop
from tests.conftest import AppFactory
from tests.helpers import event, texts

ORDER = DEMO_ORDER_NOS["delivered_card"]


def buyer(n: int) -> tuple[User, Chat]:
    user = User(platform="telegram", id=str(7100 + n), display_name=f"买家{n}")
    return user, Chat(platform="telegram", id=user.id, is_private=True)


class GatedShop:
    """The real backend, answering only when the test opens the gate; records whether the
    bot held a database transaction at each call."""

    def __init__(self, app: App) -> None:
        guarded = app.services.shop
        assert isinstance(guarded, GuardedShop)
        self.backend = guarded.inner
        self.app = app
        self.gate = asyncio.Event()
        self.waiting = 0
        self.calls = 0
        self.in_transaction: list[bool] = []
        guarded.inner = self  # type: ignore[assignment]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)

    async def get_order(self, order_no: str) -> Order | None:
        self.calls += 1
        self.in_transaction.append(self.app.db.holds_a_transaction())
        self.waiting += 1
        try:
            await self.gate.wait()
        finally:
            self.waiting -= 1
        result: Order | None = await self.backend.get_order(order_no)
        return result


async def until(condition: Any, what: str) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


async def test_other_users_are_served_while_lookups_wait_on_the_shop(app: App) -> None:
    shop = GatedShop(app)
    lookups = [
        asyncio.create_task(app.engine.handle(event(f"/order {ORDER}", user=u, chat=c)))
        for u, c in map(buyer, range(8))
    ]
    # Four calls reach the shop (shop.max_concurrent_calls); four wait for a slot.
    await until(lambda: shop.waiting == 4, "four calls at the shop")
    someone, dm = buyer(99)
    answer = await asyncio.wait_for(
        app.engine.handle(event("/support", user=someone, chat=dm)), timeout=10
    )
    assert "官方" in texts(answer)
    assert not any(task.done() for task in lookups)  # still waiting on the shop
    shop.gate.set()
    replies = await asyncio.wait_for(asyncio.gather(*lookups), timeout=10)
    for reply in replies:
        assert ORDER in texts(reply) and "已发货" in texts(reply)
    assert shop.calls == 8 and shop.in_transaction == [False] * 8


async def test_a_dead_shop_is_not_asked_again_for_a_while(app_factory: AppFactory) -> None:
    app = await app_factory(shop={"breaker_failures": 3, "breaker_reset_seconds": 60})
    guarded = app.services.shop
    assert isinstance(guarded, GuardedShop)
    now = [1000.0]
    guarded.breaker = CircuitBreaker(failures=3, reset_seconds=60, monotonic=lambda: now[0])
    calls = 0

    class DeadShop:
        def __getattr__(self, name: str) -> Any:
            return getattr(backend, name)

        async def get_order(self, order_no: str) -> Order | None:
            nonlocal calls
            calls += 1
            raise ShopError("connection refused")

    backend = guarded.inner
    guarded.inner = DeadShop()  # type: ignore[assignment]
    for n in range(5):
        user, dm = buyer(n)
        reply = texts(await app.engine.handle(event(f"/order {ORDER}", user=user, chat=dm)))
        assert "暂时无法查询" in reply  # told plainly, every time
    assert calls == 3  # after three failures in a row the shop is left alone
    now[0] += 61
    guarded.inner = backend  # the shop is back: one trial call closes the circuit
    user, dm = buyer(9)
    assert ORDER in texts(await app.engine.handle(event(f"/order {ORDER}", user=user, chat=dm)))
    assert not guarded.breaker.is_open


async def test_a_hanging_shop_is_given_up_after_the_deadline(app_factory: AppFactory) -> None:
    app = await app_factory(shop={"call_deadline_seconds": 0.2})
    shop = GatedShop(app)  # never opened
    user, dm = buyer(1)
    reply = texts(
        await asyncio.wait_for(
            app.engine.handle(event(f"/order {ORDER}", user=user, chat=dm)), timeout=10
        )
    )
    assert "暂时无法查询" in reply and shop.in_transaction == [False]


async def test_a_complaint_asks_the_shop_outside_the_transaction_too(app: App) -> None:
    shop = GatedShop(app)
    shop.gate.set()
    await app.engine.handle(event("/complain"))
    await app.engine.handle(event("1"))
    reply = texts(await app.engine.handle(event(ORDER)))
    assert "已查到你的订单" in reply
    assert shop.in_transaction and not any(shop.in_transaction)


async def test_a_shop_bug_is_a_handler_bug_answered_with_the_apology(app: App) -> None:
    guarded = app.services.shop
    assert isinstance(guarded, GuardedShop)
    backend = guarded.inner

    class BrokenShop:
        def __getattr__(self, name: str) -> Any:
            return getattr(backend, name)

        async def get_order(self, order_no: str) -> Order | None:
            raise RuntimeError("a bug in the shop backend")

    guarded.inner = BrokenShop()  # type: ignore[assignment]
    user, dm = buyer(3)
    reply = texts(await app.engine.handle(event(f"/order {ORDER}", user=user, chat=dm)))
    assert "出了点问题" in reply  # the apology; the event is handled, not left to loop
