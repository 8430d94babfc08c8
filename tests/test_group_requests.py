"""Issue 21 item 2: in a group the bot answers every clear after-sales request (complaint,
refund, escalation, find support, lookups) with a short public line and a button to continue
in private; cool-downs stop repeats of the same topic, not new requests; chatter stays
unanswered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bots.app import App
from core.clock import FakeClock
from core.group_throttle import GroupThrottle
from core.model import Action, ButtonStyle, Reply, User
from tests.conftest import AppFactory
from tests.helpers import GROUP, RecordingChannel, event, texts

BOB = User(platform="telegram", id="556", display_name="Bob")

ANGRY_STORIES = [
    "我昨天晚上买了一张100的卡密，到现在都没发货，问了三次客服都没人理，你们到底还做不做生意了！！！",
    "气死我了，充值了两百块钱一直没到账，客服也不回，这都第三天了，什么破平台",
]

CHATTER = [
    "今晚谁一起打副本",
    "我上次找客服五分钟就解决了",
    "u1s1 这个皮肤是真的丑",
    "这个皮肤是真的好看",
    "你们客服态度真好",
    "之前退款挺快的，两小时就到账了",
    "哈哈哈笑死",
    "你好",
    "谢谢",
]


def private_payloads(actions: list[Action]) -> list[str]:
    return [
        b.payload
        for a in actions
        if isinstance(a, Reply)
        for row in a.buttons
        for b in row
        if b.style is ButtonStyle.PRIVATE
    ]


@pytest.fixture
async def group_app(app: App) -> App:
    app.services.channels["telegram"] = RecordingChannel()
    return app


@pytest.mark.parametrize(
    ("text", "line", "payload"),
    [
        ("我要投诉", "投诉", "complain"),
        ("我要退款", "退款", "complain"),
        ("找主管!!一直没人回", "主管", "escalate"),
        ("我的卡密用不了，提示已使用", "私聊", "complain"),
        ("我的工单怎么样了", "工单", "ticket"),
    ],
)
async def test_clear_requests_get_a_short_line_and_a_private_button(
    group_app: App, text: str, line: str, payload: str
) -> None:
    actions = await group_app.engine.handle(event(text, chat=GROUP))
    [reply] = actions
    assert isinstance(reply, Reply) and reply.chat == GROUP
    assert line in reply.text and len(reply.text.splitlines()) <= 2
    assert private_payloads(actions) == [payload]


@pytest.mark.parametrize("story", ANGRY_STORIES)
async def test_long_angry_stories_are_answered(group_app: App, story: str) -> None:
    actions = await group_app.engine.handle(event(story, chat=GROUP))
    assert private_payloads(actions), texts(actions)


async def test_one_buyer_asking_several_things_gets_every_answer(group_app: App) -> None:
    engine = group_app.engine
    assert "投诉" in texts(await engine.handle(event("我要投诉", chat=GROUP)))
    assert "退款" in texts(await engine.handle(event("我要退款", chat=GROUP)))
    assert "主管" in texts(await engine.handle(event("找主管!!一直没人回", chat=GROUP)))
    # An explicit, different question right after the other answers.
    assert "400-800-1234" in texts(await engine.handle(event("售後在哪裡", chat=GROUP)))


async def test_the_cool_down_stops_repeats_of_the_same_topic(
    group_app: App, clock: FakeClock
) -> None:
    engine = group_app.engine
    assert texts(await engine.handle(event("我要投诉", chat=GROUP)))
    assert await engine.handle(event("我要投诉!!!", chat=GROUP)) == []
    assert await engine.handle(event("我要投诉你们", chat=GROUP)) == []
    clock.advance(timedelta(minutes=6))  # faq.group_user_cooldown_minutes = 5
    assert "投诉" in texts(await engine.handle(event("我要投诉", chat=GROUP)))


async def test_each_buyer_gets_their_own_answer_to_a_personal_request(group_app: App) -> None:
    engine = group_app.engine
    assert private_payloads(await engine.handle(event("我要退款", chat=GROUP)))
    assert private_payloads(await engine.handle(event("我要退款", user=BOB, chat=GROUP)))
    # The official channels serve everybody: posted once a minute per group at most.
    assert "400-800-1234" in texts(await engine.handle(event("售后在哪", chat=GROUP)))
    assert await engine.handle(event("客服怎么联系", user=BOB, chat=GROUP)) == []


@pytest.mark.parametrize("text", CHATTER)
async def test_chatter_stays_unanswered(group_app: App, text: str) -> None:
    assert await group_app.engine.handle(event(text, chat=GROUP)) == []


async def test_what_staff_say_to_buyers_is_not_a_request(app_factory: AppFactory) -> None:
    app = await app_factory(staff={"members": ["telegram:7070"]})
    app.services.channels["telegram"] = RecordingChannel()
    staffer = User(platform="telegram", id="7070", display_name="小雅")
    assert await app.engine.handle(event("要退款的请私聊我处理", user=staffer, chat=GROUP)) == []


async def test_support_hours_in_a_group_are_one_short_line(app_factory: AppFactory) -> None:
    app = await app_factory(sla={"business_hours": "09:00-23:00"})
    app.services.channels["telegram"] = RecordingChannel()
    actions = await app.engine.handle(event("客服几点上班", chat=GROUP))
    [reply] = actions
    assert isinstance(reply, Reply) and "每天 09:00-23:00" in reply.text
    assert len(reply.text.splitlines()) == 1 and private_payloads(actions) == ["support"]


async def test_the_escalation_button_continues_in_private(app: App) -> None:
    # The group's button opens the private chat with "/start escalate".
    assert "没有处理中的工单" in texts(await app.engine.handle(event("/start escalate")))


# -- the throttle itself -----------------------------------------------------------------

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def throttle() -> GroupThrottle:
    return GroupThrottle(user_cooldown=timedelta(minutes=5), topic_cooldown=timedelta(seconds=60))


def test_throttle_cools_down_a_topic_per_user_not_the_user() -> None:
    t = throttle()
    assert t.allow(chat_key="g", user_key="u1", topic="complaint", now=T0)
    assert t.allow(chat_key="g", user_key="u1", topic="find_support", now=T0)
    assert not t.allow(
        chat_key="g", user_key="u1", topic="complaint", now=T0 + timedelta(minutes=4)
    )
    assert t.allow(chat_key="g", user_key="u1", topic="complaint", now=T0 + timedelta(minutes=6))


def test_throttle_shares_a_topic_in_a_chat_only_when_asked() -> None:
    t = throttle()
    later = T0 + timedelta(seconds=30)
    assert t.allow(chat_key="g", user_key="u1", topic="refund", now=T0, shared=False)
    assert t.allow(chat_key="g", user_key="u2", topic="refund", now=later, shared=False)
    assert t.allow(chat_key="g", user_key="u1", topic="find_support", now=T0)
    assert not t.allow(chat_key="g", user_key="u2", topic="find_support", now=later)
    assert t.allow(chat_key="g2", user_key="u2", topic="find_support", now=later)
    assert t.allow(chat_key="g", user_key="u2", topic="find_support", now=T0 + timedelta(minutes=2))
