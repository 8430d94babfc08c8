"""Issue 21 item 8: small talk and plain questions.

Greetings and thanks get a polite word (never "我还不太明白"), "有人在吗" gets the official
channels like any request for a human, "客服几点上班" states the hours, "@bot 你好" in a
group gets a greeting (not the card-key privacy notice), and an impostor's first command in a
group gets the warning only. The rules never swallow a real request.
"""

from __future__ import annotations

import pytest

from bots.app import App
from core.clock import FakeClock
from core.config import SlaConfig
from core.faq.hours import support_hours
from core.model import Event, EventKind, Reply, User
from core.nlu.classifier import IntentClassifier
from core.nlu.decide import decide
from core.nlu.intents import ALL_INTENTS
from core.nlu.smalltalk import asks_for_someone, is_chatter, small_talk
from core.texts import Texts
from tests.conftest import AppFactory
from tests.helpers import GROUP, RecordingChannel, event, texts

NOT_UNDERSTOOD = "我还不太明白"
IMPOSTOR = User(platform="telegram", id="666", display_name="星河卡盟官方客服")
WARNING = "不是星河卡盟的官方账号"


# -- the rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", "greeting"),
        ("您好！", "greeting"),
        ("客服你好呀～", "greeting"),
        ("hello", "greeting"),
        ("@kameng_bot 你好", "greeting"),
        ("谢谢", "thanks"),
        ("谢谢客服！！", "thanks"),
        ("好的，谢谢", "thanks"),
        ("thank you", "thanks"),
        ("你好，谢谢你", "thanks"),
    ],
)
def test_pure_greetings_and_thanks_are_small_talk(text: str, kind: str) -> None:
    assert small_talk(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "你好，我的卡密用不了",
        "谢谢，但是还是没到账",
        "你好在吗我要退款",
        "你是机器人吗",
        "好的",
        "收到",
        "",
    ],
)
def test_small_talk_never_swallows_a_request(text: str) -> None:
    assert small_talk(text) is None


@pytest.mark.parametrize(
    "text", ["有人在吗", "在吗", "在吗？", "人呢", "客服在不在", "你好，有人在吗", "转人工"]
)
def test_asking_whether_someone_is_there(text: str) -> None:
    assert asks_for_someone(text)


@pytest.mark.parametrize("text", ["有没有人一起上分", "你是真人还是AI", "在吗，我充值没到账"])
def test_asking_for_someone_is_the_whole_message(text: str) -> None:
    assert not asks_for_someone(text)


@pytest.mark.parametrize(
    ("text", "chatter"),
    [
        ("我上次找客服五分钟就解决了", True),
        ("之前退款挺快的，两小时就到账了", True),
        ("你们客服态度真好", True),
        ("上次的问题还没解决", False),
        ("之前投诉了一直没人回", False),
        ("客服一点都不专业", False),
        ("我对这个客服的处理很不满意", False),
    ],
)
def test_chatter_is_a_solved_past_or_praise(text: str, chatter: bool) -> None:
    assert is_chatter(text) is chatter


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", "other"),
        ("谢谢", "other"),
        ("有人在吗", "find_support"),
        ("在吗", "find_support"),
        ("转人工", "find_support"),
        ("你好，我的卡密用不了", "card_invalid"),
        ("我上次找客服五分钟就解决了", "other"),
        ("u1s1 这个皮肤是真的丑", "other"),
        ("这个号是官方的吗", "verify_official"),
    ],
)
def test_decide_reports_only_the_fifteen_ids(text: str, intent: str) -> None:
    result = decide(IntentClassifier.default(), text)
    assert result.intent == intent and result.intent in ALL_INTENTS


# -- private chat -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好", "售后助手"),
        ("hello", "售后助手"),
        ("谢谢", "不客气"),
        ("卡密收到了，谢谢", "不客气"),
    ],
)
async def test_greetings_and_thanks_get_a_polite_answer(app: App, text: str, expected: str) -> None:
    reply = texts(await app.engine.handle(event(text)))
    assert expected in reply and NOT_UNDERSTOOD not in reply


async def test_is_anyone_there_gets_the_official_channels(app: App) -> None:
    reply = texts(await app.engine.handle(event("有人在吗")))
    assert "400-800-1234" in reply and NOT_UNDERSTOOD not in reply


async def test_greeting_with_a_problem_is_the_problem(app: App) -> None:
    reply = texts(await app.engine.handle(event("你好，我的卡密用不了")))
    assert "卡密提示无效" in reply and "售后助手" not in reply


# -- support hours ------------------------------------------------------------------------


async def test_service_hours_say_around_the_clock_by_default(app: App) -> None:
    reply = texts(await app.engine.handle(event("客服几点上班")))
    assert "客服在线时间：全天 24 小时" in reply and "{" not in reply


async def test_service_hours_state_the_configured_window(app_factory: AppFactory) -> None:
    app = await app_factory(sla={"business_hours": "09:00-23:00"})
    reply = texts(await app.engine.handle(event("客服几点上班")))
    assert "客服在线时间：每天 09:00-23:00" in reply
    bob = User(platform="telegram", id="9", display_name="Bob", locale="en-US")
    english = texts(await app.engine.handle(event("what are your support hours", user=bob)))
    assert "online 09:00-23:00 every day" in english


@pytest.mark.parametrize(
    ("days", "zh", "en"),
    [
        ([1, 2, 3, 4, 5], "周一至周五 09:00-18:00", "09:00-18:00, Monday to Friday"),
        ([6, 7], "周六、周日 09:00-18:00", "09:00-18:00 on Saturday, Sunday"),
    ],
)
def test_support_hours_name_the_days(days: list[int], zh: str, en: str) -> None:
    sla = SlaConfig(business_hours="09:00-18:00", business_days=days)
    assert support_hours(sla, Texts(), "zh") == zh
    assert support_hours(sla, Texts(), "en") == en


# -- groups -------------------------------------------------------------------------------


def mention(text: str, user: User | None = None) -> Event:
    """A group message addressed to the bot (@mention stripped by the adapter)."""
    base = event(text, chat=GROUP, **({"user": user} if user else {}))
    return Event(
        kind=EventKind.MESSAGE,
        event_id=base.event_id,
        user=base.user,
        chat=GROUP,
        text=text,
        is_to_me=True,
        message_id="42",
    )


async def test_a_greeting_to_the_bot_in_a_group_is_a_greeting(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    [reply] = await app.engine.handle(mention("你好"))
    assert isinstance(reply, Reply) and reply.chat == GROUP
    assert "售后助手" in reply.text and "涉及个人信息" not in reply.text and not reply.buttons


async def test_an_unclear_mention_gets_help_not_the_privacy_notice(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    reply = texts(await app.engine.handle(mention("今天天气怎么样")))
    assert "售后助手" in reply and "不要在群里发卡密" not in reply


async def test_is_anyone_there_in_a_group_gets_the_short_support_answer(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    reply = texts(await app.engine.handle(event("有人在吗", chat=GROUP)))
    assert "400-800-1234" in reply and len(reply.splitlines()) <= 3


async def test_an_impostors_first_command_in_a_group_gets_only_the_warning(
    app: App, clock: FakeClock
) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    actions = await app.engine.handle(event("/support", user=IMPOSTOR, chat=GROUP))
    replies = [a for a in actions if isinstance(a, Reply)]
    assert len(replies) == 1 and WARNING in replies[0].text
    assert "官方售后：" not in texts(actions)


async def test_an_impostors_first_message_in_a_group_gets_only_the_warning(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    actions = await app.engine.handle(event("售后在哪", user=IMPOSTOR, chat=GROUP))
    replies = [a for a in actions if isinstance(a, Reply)]
    assert len(replies) == 1 and WARNING in replies[0].text
