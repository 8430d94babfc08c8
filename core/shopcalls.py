"""Shop calls never run inside an event's database transaction.

A handler asks the shop as if it were local (``await ctx.services.shop.get_order(no)``), but
while an event is being handled the shop is behind a :class:`GuardedShop`: a call whose
answer is not known yet raises :class:`ShopCallNeeded`. The engine then leaves the event's
transaction (rolling it back: nothing was written), makes the call outside any transaction
and lock, keeps the answer (or the error) in the event's :class:`ShopAnswers`, and handles
the event again from the start; this time the call returns at once. A handler is a function
of the event, the database and the shop's answers, so the second run decides with full
knowledge and commits once. (The rule for handlers that follows: change no in-memory state
before a shop call; the database is rolled back, process memory is not.)

So a slow or dead shop holds no database lock: other users are served while a lookup waits.
Outside events (the outbox worker, start-up) calls go straight through. Every call, in or out
of an event, shares a per-shop concurrency limit, a deadline and a circuit breaker: after
``breaker_failures`` failures in a row the shop is not asked for ``breaker_reset_seconds``
(calls fail at once with :class:`ShopError`, so buyers are told plainly), then one trial call
decides whether it is back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from core.shop import (
    CardKeyInfo,
    Order,
    Recharge,
    ReissueResult,
    ShopError,
    ShopPort,
    ShopRejected,
    TicketPush,
)
from core.storage.event_transaction import EventAborted

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ShopCall:
    """One question to the shop: the operation and its arguments."""

    operation: str
    args: tuple[str, ...]

    def __repr__(self) -> str:  # arguments may hold a card key: never in a log line
        return f"ShopCall({self.operation})"


class ShopCallNeeded(EventAborted):
    """Raised inside an event when the shop must be asked first. An :class:`EventAborted`
    (a BaseException), so no handler's ``except Exception`` takes it for a failure; the
    transaction is rolled back and its connection kept."""

    def __init__(self, call: ShopCall, shop: GuardedShop) -> None:
        super().__init__(call.operation)
        self.call = call
        self.shop = shop

    async def fetch(self, answers: ShopAnswers) -> None:
        """Ask the shop now (outside the transaction) and keep the answer in ``answers``."""
        await self.shop.fetch(self.call, answers)


@dataclass
class ShopAnswers:
    """What the shop answered during one event: a value or the exception it raised."""

    answers: dict[ShopCall, Any] = field(default_factory=dict)
    # Set when the event asked more than the engine allows: further calls fail as ShopError.
    exhausted: bool = False


_CURRENT: ContextVar[ShopAnswers | None] = ContextVar("shop_answers", default=None)


@contextmanager
def answering(answers: ShopAnswers) -> Iterator[None]:
    """Inside this block (one event's handling) shop calls come from ``answers``."""
    token = _CURRENT.set(answers)
    try:
        yield
    finally:
        _CURRENT.reset(token)


class CircuitBreaker:
    """Open after ``failures`` failures in a row; half-open (one trial) after ``reset`` s."""

    def __init__(
        self, failures: int, reset_seconds: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = failures
        self._reset = reset_seconds
        self._monotonic = monotonic
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def allow(self) -> bool:
        """Whether a call may go to the shop now."""
        if self._opened_at is None:
            return True
        if self._monotonic() - self._opened_at < self._reset or self._trial_running:
            return False
        self._trial_running = True  # half-open: this one call decides
        return True

    def succeeded(self) -> None:
        if self._opened_at is not None:
            log.info("the shop answers again; circuit closed")
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def failed(self) -> None:
        self._failures += 1
        self._trial_running = False
        if self._opened_at is not None or self._failures >= self._limit:
            if self._opened_at is None:
                log.warning(
                    "the shop failed %d times in a row; not asking it for %g s",
                    self._failures,
                    self._reset,
                )
            self._opened_at = self._monotonic()


class GuardedShop:
    """A :class:`ShopPort` with the rules above around another one."""

    def __init__(
        self,
        shop: ShopPort,
        *,
        max_concurrent: int = 4,
        deadline_seconds: float = 15.0,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.inner = shop
        self._slots = asyncio.Semaphore(max_concurrent)
        self._deadline = deadline_seconds
        self.breaker = breaker or CircuitBreaker(failures=5, reset_seconds=30)

    # -- ShopPort ---------------------------------------------------------------------------
    async def open(self) -> None:
        await self.inner.open()

    async def close(self) -> None:
        await self.inner.close()

    async def get_order(self, order_no: str) -> Order | None:
        result: Order | None = await self._ask(ShopCall("get_order", (order_no,)))
        return result

    async def get_card(self, card_key: str) -> CardKeyInfo | None:
        result: CardKeyInfo | None = await self._ask(ShopCall("get_card", (card_key,)))
        return result

    async def get_recharge(self, order_no: str) -> Recharge | None:
        result: Recharge | None = await self._ask(ShopCall("get_recharge", (order_no,)))
        return result

    async def request_reissue(self, order_no: str, *, idempotency_key: str) -> ReissueResult:
        result: ReissueResult = await self._ask(
            ShopCall("request_reissue", (order_no, idempotency_key))
        )
        return result

    async def push_ticket(self, ticket: TicketPush, *, idempotency_key: str) -> str:
        # Only the outbox pushes tickets, outside any event.
        return await self._guarded(
            lambda: self.inner.push_ticket(ticket, idempotency_key=idempotency_key)
        )

    # -- the mechanism ------------------------------------------------------------------------
    async def _ask(self, call: ShopCall) -> Any:
        answers = _CURRENT.get()
        if answers is None:
            return await self.call(call)
        if call in answers.answers:
            answer = answers.answers[call]
            if isinstance(answer, Exception):
                raise answer  # in the handler, as if the call had failed there
            return answer
        if answers.exhausted:
            raise ShopError("too many shop calls for one event")
        raise ShopCallNeeded(call, self)

    async def fetch(self, call: ShopCall, answers: ShopAnswers) -> None:
        """Ask the shop outside the event's transaction and keep the answer for the rerun.

        A failure is kept too and raised in the rerun, where the handler meets it as it
        would have met a failing call: a ShopError is "the shop is down", anything else a
        bug the engine logs and apologises for."""
        try:
            answers.answers[call] = await self.call(call)
        except Exception as exc:
            answers.answers[call] = exc

    async def call(self, call: ShopCall) -> Any:
        """Make ``call`` now, under the concurrency limit, deadline and breaker."""
        method = self._method(call)
        return await self._guarded(method)

    def _method(self, call: ShopCall) -> Callable[[], Awaitable[Any]]:
        inner = self.inner
        if call.operation == "get_order":
            return lambda: inner.get_order(call.args[0])
        if call.operation == "get_card":
            return lambda: inner.get_card(call.args[0])
        if call.operation == "get_recharge":
            return lambda: inner.get_recharge(call.args[0])
        if call.operation == "request_reissue":
            return lambda: inner.request_reissue(call.args[0], idempotency_key=call.args[1])
        raise ValueError(f"unknown shop operation {call.operation!r}")

    async def _guarded(self, make: Callable[[], Awaitable[T]]) -> T:
        if not self.breaker.allow():
            raise ShopError("the shop failed repeatedly; not asking it for a while")
        answered = False
        try:
            async with self._slots:
                try:
                    result = await asyncio.wait_for(make(), self._deadline)
                except TimeoutError:
                    raise ShopError(
                        f"the shop did not answer within {self._deadline:g} s"
                    ) from None
            answered = True
            return result
        except ShopRejected:
            answered = True  # a refusal is an answer: the shop is up
            raise
        finally:
            # A failure, a timeout or a cancelled wait counts against the shop.
            if answered:
                self.breaker.succeeded()
            else:
                self.breaker.failed()
