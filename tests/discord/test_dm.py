"""DMs are private chats: the complaint flow through buttons, a modal and typed answers."""

from __future__ import annotations

from typing import Any

from adapters.shop.demo_data import DEMO_ORDER_NOS
from tests.discord.conftest import BotFactory
from tests.fakes.discord_api import buttons_of

USED_CARD_ORDER = "DD2026112000002"


def custom_ids(data: dict[str, Any]) -> list[str]:
    return [str(b.get("custom_id")) for b in buttons_of(data)]


async def test_complaint_flow_in_dms_with_buttons_a_modal_and_typed_answers(
    discord_bot: BotFactory,
) -> None:
    assert USED_CARD_ORDER in DEMO_ORDER_NOS.values()
    async with discord_bot() as bot:
        fake = bot.fake
        bob = fake.add_member("bob", "Bob")
        dm = fake.dm_of(bob)

        # /complain in the DM: the first question, with one button per category.
        start = await fake.slash("complain", bob)
        ask_category = (await fake.callback(start)).body["data"]
        assert "问题类型" in ask_category["content"]
        assert not ask_category.get("flags", 0) & 64  # DMs are never ephemeral
        assert "flow:cat:card_invalid" in custom_ids(ask_category)

        # A category button: the order number is asked for, with an "answer in a form" button.
        pick = await fake.click(bob, fake.response_message(start), "flow:cat:card_invalid")
        ask_order = (await fake.callback(pick)).body["data"]
        assert "订单号" in ask_order["content"]
        assert custom_ids(ask_order)[0] == "~form:order:zh"

        # The form button opens a modal; submitting it answers the step.
        opened = await fake.click(bob, fake.response_message(pick), "~form:order:zh")
        modal = (await fake.callback(opened)).body
        assert modal["type"] == 9  # MODAL
        submitted = await fake.submit_modal(bob, modal["data"], {"answer": USED_CARD_ORDER})
        found = (await fake.callback(submitted)).body["data"]
        assert "已查到你的订单" in found["content"]
        assert "K3VD\\*\\*\\*\\*9C" in found["content"]  # masked, and the mask escaped
        ask_when = (await fake.followup(submitted)).body
        assert "什么时候发生" in ask_when["content"]
        assert custom_ids(ask_when) == ["~form:when:zh"]

        # Typed DM messages work as answers too.
        await fake.message(bob, "刚才")
        ask_error = await fake.wait_for("POST", f"/channels/{dm}/messages")
        assert "屏幕上提示了什么" in ask_error.body["content"]
        await fake.message(bob, "卡密显示已被使用")
        ask_shot = await fake.wait_for("POST", f"/channels/{dm}/messages", count=2)
        assert "截图" in ask_shot.body["content"]

        skip = await fake.click(bob, fake.last_message(dm), "flow:skip")
        summary = (await fake.callback(skip)).body["data"]
        assert "请确认投诉内容" in summary["content"]
        confirm = await fake.click(bob, fake.response_message(skip), "flow:confirm")
        created = (await fake.callback(confirm)).body["data"]
        assert "已提交工单 T-" in created["content"]

        # Staff see the new ticket in their channel, with the desk's buttons.
        card = await fake.wait_for("POST", f"/channels/{fake.staff_id}/messages")
        assert "新工单" in card.body["content"]
        assert any(c.startswith("staff:claim:") for c in custom_ids(card.body))


async def test_a_bad_answer_in_the_modal_is_re_asked_with_the_hint(discord_bot: BotFactory) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        bob = fake.add_member("bob", "Bob")
        start = await fake.slash("complain", bob)
        await fake.callback(start)
        pick = await fake.click(bob, fake.response_message(start), "flow:cat:card_invalid")
        await fake.callback(pick)
        opened = await fake.click(bob, fake.response_message(pick), "~form:order:zh")
        modal = (await fake.callback(opened)).body["data"]
        submitted = await fake.submit_modal(bob, modal, {"answer": "我不知道"})
        again = (await fake.callback(submitted)).body["data"]
        assert "不像订单号" in again["content"]
        assert custom_ids(again) == ["~form:order:zh"]  # the form is offered again
