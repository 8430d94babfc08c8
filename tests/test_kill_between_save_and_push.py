"""A ticket survives ``kill -9`` between being saved and reaching the shop: real processes.

Each test runs the real bot (``python -m bots chat``, the console channel, a real SQLite
file) configured with the HTTP shop backend pointing at the fake shop server on 127.0.0.1,
and SIGKILLs it at one of the dangerous moments of the transactional outbox:

* the ticket row is committed while the shop is down (the push failed, a retry is queued);
* the push is in flight: the shop has received the request but not acted on it yet;
* the shop has acted on the push, but the process dies before it reads the answer and
  records the delivery (the classic lost acknowledgement).

The same database is then opened by a restarted process. Every test asserts the end state:
the ticket exists once in the database, the shop holds exactly one ticket for it (created
once; a repeated push is answered from its ``Idempotency-Key`` record), the outbox is
drained, and the user's conversation is intact (the complaint they had open when the
process died continues at the step it was at).

Time: a claimed outbox item is leased for 60 s (``core.outbox.LEASE``) so that no other
worker pushes it meanwhile. The tests check that a restarted process respects the lease,
then let it run out by moving the item's ``next_attempt_at`` back to its creation time in
the database, as 60 s of waiting would, instead of waiting a minute per test.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from aiohttp import web

from tests.conftest import REPO
from tests.fakes.shop_server import FakeShopServer, ReceivedRequest

ORDER = "DD2026112000001"  # a delivered Steam card order in the fake shop
USER = "buyer-1"
USER_KEY = f"console:{USER}"
TICKET = "T-240001"
PUSH_KEY = f"{TICKET}:created"  # the outbox's idempotency key for the ticket's first push
SHOP_REF = "SHOP-T-000001"  # the fake shop's reference for its first ticket

# The complaint, line by line, with a piece of the answer each line gets.
COMPLAINT = [
    ("/complain", "请选择你遇到的问题类型"),
    ("1", "请发送订单号"),
    (ORDER, "问题是什么时候发生的"),
    ("昨天下午3点", "屏幕上提示了什么"),
    ("卡密已被使用", "有截图的话请发送截图"),
    ("[图片] shot.png", "请确认投诉内容"),
]
CONFIRM = ("#1", f"已提交工单 {TICKET}")
# A second complaint the user has open (waiting for its order number) when the process dies.
SECOND_COMPLAINT = [("/complain", "请选择你遇到的问题类型"), ("1", "请发送订单号")]
TIMEOUT = 60.0

Hold = Literal["before_processing", "after_processing"]


class HoldingShop(FakeShopServer):
    """The fake shop, able to hold the first ``POST /tickets`` it receives.

    ``before_processing``: the request has arrived but the shop has not acted on it (as if
    it were queued in the shop's web tier); once released it is dropped with a 503, never
    executed. ``after_processing``: the ticket is created and the idempotency record
    stored, but the answer is withheld until released.
    """

    def __init__(self, hold: Hold | None = None) -> None:
        super().__init__()
        self.hold = hold
        self.held = asyncio.Event()  # the held request has reached the point of holding
        self.release = asyncio.Event()

    async def _create_ticket(self, request: web.Request) -> web.Response:
        first = not self.held.is_set()
        if first and self.hold == "before_processing":
            self.held.set()
            await self.release.wait()
            dropped = {"error": {"code": "dropped", "message": "held, never processed"}}
            return web.json_response(dropped, status=503)
        response = await super()._create_ticket(request)
        if first and self.hold == "after_processing":
            self.held.set()
            await self.release.wait()
        return response

    def ticket_posts(self) -> list[ReceivedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path.endswith("/tickets")]


@dataclass
class Bot:
    """One ``python -m bots chat`` process, spoken to line by line."""

    proc: asyncio.subprocess.Process
    stderr_path: Path

    @classmethod
    async def start(cls, workdir: Path, shop: FakeShopServer, name: str) -> Bot:
        """Start ``python -m bots chat`` in ``workdir``; ``running`` tracks it for cleanup."""
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "SHOP_API_KEY": shop.api_key,
            "SHOP_HMAC_SECRET": shop.hmac_secret,
        }
        stderr_path = workdir / f"{name}.stderr"
        with stderr_path.open("wb") as stderr:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bots",
                "chat",
                "--user",
                USER,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                cwd=workdir,
                env=env,
            )
        bot = cls(proc, stderr_path)
        running.append(bot)
        return bot

    def _stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    async def say(self, line: str, expect: str) -> str:
        """Send one line; read the bot's output until ``expect`` shows up."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{line}\n".encode())
        await self.proc.stdin.drain()
        seen = ""
        while expect not in seen:
            try:
                raw = await asyncio.wait_for(self.proc.stdout.readline(), TIMEOUT)
            except TimeoutError:
                pytest.fail(f"no {expect!r} after {line!r}; got {seen!r}\n{self._stderr()}")
            assert raw, f"bot exited before {expect!r}; got {seen!r}\n{self._stderr()}"
            seen += raw.decode()
        return seen

    async def converse(self, lines: list[tuple[str, str]]) -> str:
        return "".join([await self.say(line, expect) for line, expect in lines])

    async def kill(self) -> None:
        self.proc.kill()  # SIGKILL: no shutdown code, no final outbox pass
        assert await asyncio.wait_for(self.proc.wait(), TIMEOUT) == -9

    async def finish(self) -> str:
        """Close stdin (Ctrl-D) and wait for a clean exit; returns the remaining output."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        rest = await asyncio.wait_for(self.proc.stdout.read(), TIMEOUT)
        code = await asyncio.wait_for(self.proc.wait(), TIMEOUT)
        stderr = self._stderr()
        assert code == 0, stderr
        assert "Traceback" not in stderr, stderr
        return rest.decode()


def query(workdir: Path, sql: str) -> list[tuple[object, ...]]:
    """Read the bot's SQLite file directly (WAL: fine while a bot process runs)."""
    with closing(sqlite3.connect(workdir / "data" / "bot.db")) as db:
        return db.execute(sql).fetchall()


@dataclass(frozen=True)
class OutboxItem:
    key: str
    attempts: int
    sent: bool
    failed: bool
    leased_for_seconds: float  # next_attempt_at - the time the item was queued
    last_error: str


def outbox(workdir: Path) -> list[OutboxItem]:
    rows = query(
        workdir,
        "SELECT idempotency_key, attempts, sent_at IS NOT NULL, failed_at IS NOT NULL, "
        "(julianday(next_attempt_at) - julianday(created_at)) * 86400, last_error FROM outbox",
    )
    return [
        OutboxItem(str(k), int(str(a)), bool(s), bool(f), float(str(d)), str(e))
        for k, a, s, f, d, e in rows
    ]


def let_the_lease_run_out(workdir: Path) -> None:
    """What waiting out the 60 s lease does: the undelivered item is due again."""
    with closing(sqlite3.connect(workdir / "data" / "bot.db")) as db, db:
        changed = db.execute(
            "UPDATE outbox SET next_attempt_at = created_at WHERE sent_at IS NULL"
        ).rowcount
    assert changed == 1


async def wait_until(check: str, predicate: Callable[[], bool]) -> None:
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {check}"
        await asyncio.sleep(0.05)


running: list[Bot] = []  # bot processes started by the current test


@pytest.fixture
async def workdir(tmp_path: Path) -> AsyncIterator[Path]:
    """The bots' working directory; a bot a failed test left running is killed afterwards."""
    yield tmp_path
    while running:
        bot = running.pop()
        if bot.proc.returncode is None:
            bot.proc.kill()
            await bot.proc.wait()


@pytest.fixture
async def shops() -> AsyncIterator[list[HoldingShop]]:
    started: list[HoldingShop] = []
    yield started
    for shop in started:
        shop.release.set()
        await shop.stop()


async def open_shop(shops: list[HoldingShop], workdir: Path, hold: Hold | None) -> HoldingShop:
    """Start the fake shop and write the bot's config: SQLite file, HTTP shop backend."""
    shop = HoldingShop(hold)
    await shop.start()
    shops.append(shop)
    config = (REPO / "config.toml").read_text(encoding="utf-8")
    demo_shop = '[shop]\nbackend = "demo"\n'
    assert demo_shop in config
    http_shop = (
        f'[shop]\nbackend = "http"\nbase_url = "{shop.base_url}"\n'
        'api_key_env = "SHOP_API_KEY"\nhmac_secret_env = "SHOP_HMAC_SECRET"\n'
        "timeout_seconds = 30\n"  # longer than a held push lasts: the kill comes first
    )
    (workdir / "config.toml").write_text(config.replace(demo_shop, http_shop), encoding="utf-8")
    return shop


def assert_ticket_delivered_exactly_once(
    workdir: Path, shop: HoldingShop, *, pushes_sent: int
) -> None:
    """The end state every test asserts after the restart."""
    assert query(workdir, "SELECT ticket_no, user_key, order_no, shop_ref FROM tickets") == [
        (TICKET, USER_KEY, ORDER, SHOP_REF)
    ]
    [item] = outbox(workdir)
    assert (item.key, item.sent, item.failed) == (PUSH_KEY, True, False)  # drained
    assert list(shop.tickets) == [TICKET] and shop.tickets[TICKET]["reference"] == SHOP_REF
    assert len(shop.ticket_events) == 1  # the shop acted on the push once
    posts = shop.ticket_posts()
    assert len(posts) == pushes_sent
    assert {p.headers.get("Idempotency-Key") for p in posts} == {PUSH_KEY}
    assert {p.body for p in posts} == {posts[0].body}  # a retry is the very same request


def assert_second_complaint_continued(workdir: Path, output: str) -> None:
    """The complaint open at the kill went on where it was, and the ticket is listed once."""
    assert "已查到你的订单" in output and "问题是什么时候发生的" in output
    assert output.count(f"{TICKET} ·") == 1  # /ticket lists the one ticket
    assert query(workdir, "SELECT user_key, flow, step FROM conversations") == [
        (USER_KEY, "complaint", "when")
    ]


@pytest.mark.parametrize("hold", ["before_processing", "after_processing"])
async def test_ticket_pushed_when_killed_reaches_the_shop_once_after_restart(
    workdir: Path, shops: list[HoldingShop], hold: Hold
) -> None:
    """SIGKILL while the push is in flight: received but not yet acted on by the shop
    (``before_processing``), or acted on with the answer not yet read
    (``after_processing``). After the restart the shop has one ticket, created once."""
    shop = await open_shop(shops, workdir, hold)
    first = await Bot.start(workdir, shop, "first")
    await first.converse([*COMPLAINT, CONFIRM])  # the ticket row is committed
    await asyncio.wait_for(shop.held.wait(), TIMEOUT)  # the outbox's push is at the shop
    await first.converse(SECOND_COMPLAINT)
    await first.kill()

    # The state the kill left: a saved ticket, its push claimed and not recorded as sent.
    assert query(workdir, "SELECT ticket_no, shop_ref FROM tickets") == [(TICKET, "")]
    [item] = outbox(workdir)
    assert (item.key, item.attempts, item.sent, item.failed) == (PUSH_KEY, 1, False, False)
    assert item.leased_for_seconds >= 55  # claimed under the 60 s lease
    assert shop.ticket_count == (1 if hold == "after_processing" else 0)
    shop.release.set()  # the held request now ends (for before_processing: unexecuted)

    # A restart within the lease continues the conversation and leaves the push alone.
    second = await Bot.start(workdir, shop, "second")
    resumed = await second.say(ORDER, "问题是什么时候发生的")
    resumed += await second.say("/ticket", f"{TICKET} ·")
    resumed += await second.finish()
    assert len(shop.ticket_posts()) == 1
    assert [i.sent for i in outbox(workdir)] == [False]

    let_the_lease_run_out(workdir)
    third = await Bot.start(workdir, shop, "third")
    await third.finish()  # starts, delivers the due push, exits cleanly

    assert_ticket_delivered_exactly_once(workdir, shop, pushes_sent=2)
    assert_second_complaint_continued(workdir, resumed)


async def test_ticket_saved_while_shop_down_reaches_the_shop_once_after_kill_and_restart(
    workdir: Path, shops: list[HoldingShop]
) -> None:
    """The shop is down when the ticket is committed; the process dies with the push
    queued for a retry. The restarted process delivers it once the shop is back."""
    shop = await open_shop(shops, workdir, None)
    first = await Bot.start(workdir, shop, "first")
    await first.converse(COMPLAINT)  # the order is looked up while the shop is up
    await shop.set_down(True)
    await first.converse([CONFIRM])
    await wait_until("a failed push", lambda: any(i.last_error for i in outbox(workdir)))
    await first.converse(SECOND_COMPLAINT)
    await first.kill()

    assert query(workdir, "SELECT ticket_no, shop_ref FROM tickets") == [(TICKET, "")]
    [item] = outbox(workdir)
    assert (item.key, item.sent, item.failed) == (PUSH_KEY, False, False)
    assert item.attempts >= 1 and item.last_error  # tried, failed, queued for a retry
    assert shop.ticket_posts() == []

    await shop.set_down(False)
    second = await Bot.start(workdir, shop, "second")
    resumed = await second.say(ORDER, "问题是什么时候发生的")
    # The retry is due a few seconds after the failure (back-off); the worker polls.
    await wait_until("the retried push", lambda: shop.ticket_count == 1)
    resumed += await second.say("/ticket", f"{TICKET} ·")
    resumed += await second.finish()

    assert_ticket_delivered_exactly_once(workdir, shop, pushes_sent=1)
    assert_second_complaint_continued(workdir, resumed)
