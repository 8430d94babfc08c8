"""Hostile and random input never crashes the bot or leaks a traceback (property-based).

Every command and every complaint-flow step gets random Unicode (control characters,
right-to-left marks, emoji), huge messages, markup and format-string injection and
SQL-looking text. The engine must answer without its "something went wrong" apology (that
would mean a handler raised) and never echo a traceback.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.app import App
from core.model import Reply, SendPrivate
from tests.helpers import ALICE as DM_USER
from tests.helpers import DM, GROUP, RecordingChannel, event

_ids = itertools.count()

NASTY = st.sampled_from(
    [
        "<b>加粗</b><script>alert(1)</script>",
        "**粗体** _斜体_ [链接](http://evil.example) `code`",
        "{brand}{0}{ticket_no}%s%d{{}}",
        "'; DROP TABLE tickets; --",
        "\u202e\u202dمرحبا\u200f售后",
        "\x00\x01\x07\x1b[31m红色\x1b[0m",
        "🀄️🧧💳" * 50,
        "售后" * 50_000,
        "DD2026112000002\n\n\n",
        "",
        "   ",
        "/",
        "/ticket T-" + "9" * 40,
        "@" * 300,
        # Digits that str.isdigit() accepts but int() may not (Ethiopic ፩, superscript ²).
        "፩", "١", "๑", "５", "①", "²", "٣", "߁", "𝟙",
        # URLs that urllib cannot split, or whose port is out of range.
        "x[y.com", "http://[::1", "https://a]b.com/x", "xinghe-kameng.example:99999999",
        "http://[xinghe-kameng.example]/", "t.me/[x]",
        # Times that overflow the calendar.
        "999999 days ago", "99999999999 days ago", "9999-99-99 99:99",
    ]
)  # fmt: skip
# Any script's digits (decimal or not), alone or mixed with ASCII: "፩", "1²", "T-٢٤".
UNICODE_DIGITS = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Nd", "No"]), st.sampled_from("0123456789-T:[]./ ")
    ),
    min_size=1,
    max_size=8,
)
MALFORMED_URLS = st.builds(
    lambda scheme, host, tail: f"{scheme}{host}{tail}",
    st.sampled_from(["", "http://", "https://", "//"]),
    st.text(alphabet="ab.[]:@-0x例", min_size=1, max_size=12),
    st.sampled_from(["", "/", ".com", ":99999", "/x?y#z", ".example/[", ":-1"]),
)
TEXT = st.one_of(
    NASTY,
    UNICODE_DIGITS,
    MALFORMED_URLS,
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
)
COMMANDS = [
    "start", "help", "support", "verify", "complain", "cancel", "ticket", "order", "card",
    "recharge", "flag", "unflag", "flags", "claim", "reply", "close", "escalate",
]  # fmt: skip
STEPS = ["/complain", "1", "DD2026112000002", "刚才", "卡密已被使用", "跳过"]

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _assert_clean(actions: list) -> None:  # type: ignore[type-arg]
    for action in actions:
        if isinstance(action, Reply | SendPrivate):
            assert isinstance(action.text, str)
            assert "出了点问题" not in action.text, action.text[:200]
            assert "Traceback" not in action.text


@SETTINGS
@given(command=st.sampled_from(COMMANDS), args=TEXT, in_group=st.booleans())
async def test_every_command_survives_any_argument(
    app: App, command: str, args: str, in_group: bool
) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    chat = GROUP if in_group else DM
    actions = await app.engine.handle(
        event(f"/{command} {args}", chat=chat, event_id=f"c{next(_ids)}")
    )
    _assert_clean(actions)


@SETTINGS
@given(step=st.integers(min_value=0, max_value=len(STEPS) - 1), text=TEXT)
async def test_every_complaint_step_survives_any_answer(app: App, step: int, text: str) -> None:
    await app.engine.handle(event("/cancel", event_id=f"x{next(_ids)}"))
    for answer in STEPS[:step]:
        await app.engine.handle(event(answer, event_id=f"s{next(_ids)}"))
    _assert_clean(await app.engine.handle(event(text or "空", event_id=f"b{next(_ids)}")))


@SETTINGS
@given(text=TEXT, in_group=st.booleans())
async def test_free_text_survives_anything(app: App, text: str, in_group: bool) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    chat = GROUP if in_group else DM
    _assert_clean(await app.engine.handle(event(text or "x", chat=chat, event_id=f"t{next(_ids)}")))


async def test_nul_characters_in_names_and_text_are_dropped_not_fatal(app: App) -> None:
    from core.model import User

    nul_user = User(
        platform="telegram", id="777", display_name="坏\x00名字", username="bad\x00name"
    )
    target = User(platform="telegram", id="778", display_name="骗\x00子")
    moderator = User(platform="telegram", id="779", display_name="管理")
    app.services.channels["telegram"] = RecordingChannel(admins=frozenset({"779"}))
    _assert_clean(await app.engine.handle(event("售后\x00在哪", user=nul_user, event_id="nul-1")))
    flagged = await app.engine.handle(
        event(
            "/flag 冒充\x00客服", user=moderator, chat=GROUP, reply_to_user=target, event_id="nul-2"
        )
    )
    _assert_clean(flagged)
    assert any("骗子" in a.text for a in flagged if isinstance(a, Reply))


@SETTINGS
@given(
    kind=st.sampled_from(["faq:yes:", "faq:no:", "human:", "rate:T-240001:", "rate:", "flow:cat:"]),
    tail=st.one_of(UNICODE_DIGITS, st.sampled_from(["9" * 40, "-1", "0", "1:2:3"])),
)
async def test_forged_button_payloads_are_harmless(app: App, kind: str, tail: str) -> None:
    from core.model import Event, EventKind

    pressed = Event(
        kind=EventKind.BUTTON, event_id=f"p{next(_ids)}", user=DM_USER, chat=DM, payload=kind + tail
    )
    _assert_clean(await app.engine.handle(pressed))


async def test_digits_that_are_not_numbers_are_asked_again(app: App) -> None:
    """Found by hand (issue 20, finding 10): "፩" is isdigit() but int() rejects it."""
    await app.engine.handle(event("/complain", event_id="digits-1"))
    for n, answer in enumerate(["፩", "²²", "٠"]):
        actions = await app.engine.handle(event(answer, event_id=f"digits-{n + 2}"))
        _assert_clean(actions)
        assert "问题类型" in "".join(a.text for a in actions if isinstance(a, Reply))
    # Decimal digits of other scripts and full-width ones are numbers: "٣" is category 3.
    actions = await app.engine.handle(event("٣", event_id="digits-9"))
    assert "订单号" in "".join(a.text for a in actions if isinstance(a, Reply))


async def test_a_time_beyond_the_calendar_is_asked_again(app: App) -> None:
    steps = ["/complain", "1", "DD2026112000002"]
    for n, answer in enumerate(steps):
        await app.engine.handle(event(answer, event_id=f"cal-{n}"))
    actions = await app.engine.handle(event("999999 days ago", event_id="cal-9"))
    _assert_clean(actions)
    assert "没看懂这个时间" in "".join(a.text for a in actions if isinstance(a, Reply))
