"""Whole conversations over the wire: signed, encrypted callbacks in, OpenAPI calls out."""

from __future__ import annotations

import pytest

from adapters.shop.demo_data import DEMO_ORDER_NOS
from core.tickets import service as tickets
from tests.fakes.feishu_api import BOT_OPEN_ID, ApiCall
from tests.feishu.callbacks import bot_mention, card_action, members_added, message_event
from tests.feishu.conftest import ALICE, GROUP, OWNER, STAFF, Feishu

USED_CARD_ORDER = DEMO_ORDER_NOS["delivered_card_used"]


def said(calls: list[ApiCall]) -> str:
    return "\n".join(c.text for c in calls)


assert USED_CARD_ORDER == "DD2026112000002"


async def test_support_with_the_bot_mentioned_in_a_group(feishu: Feishu) -> None:
    asked = message_event(
        ALICE, {"text": "@_user_1 /support"}, chat_id=GROUP, mentions=[bot_mention()]
    )
    [reply] = await feishu.exchange(asked)
    message_id = asked["event"]["message"]["message_id"]
    assert reply.path == f"/open-apis/im/v1/messages/{message_id}/reply"
    assert reply.msg_type == "interactive"
    assert "星河卡盟官方售后" in reply.text and "@_user_1" not in reply.text
    private = reply.button("私聊")
    assert private["value"] == {"kameng": "dm", "payload": "support", "chat": "group"}

    # The "private chat" button answers in the user's p2p chat, as /start support would.
    press = card_action(ALICE, private["value"], chat_id=GROUP, message_id="om_bot1")
    before = len(feishu.api.sends())
    status, answer = await feishu.post(press)
    assert status == 200 and "私聊" in answer["toast"]["content"]
    dms = feishu.api.sends()[before:]
    assert all(c.query == {"receive_id_type": "open_id"} for c in dms)
    assert all(c.body["receive_id"] == ALICE for c in dms)
    assert "你好 Alice" in dms[0].text  # the name came from the contact API
    assert "【星河卡盟官方售后入口】" in dms[-1].text


async def test_group_chatter_without_a_mention_is_not_answered(feishu: Feishu) -> None:
    assert (
        await feishu.exchange(message_event(ALICE, {"text": "今天天气不错"}, chat_id=GROUP)) == []
    )


async def test_private_complaint_through_card_buttons(feishu: Feishu) -> None:
    [ask] = await feishu.exchange(message_event(ALICE, {"text": "/complain"}))
    assert ask.body["receive_id"] == ALICE and ask.msg_type == "interactive"
    assert "问题类型" in ask.text
    category = next(b for b in ask.buttons if b["value"]["payload"] == "flow:cat:card_invalid")
    assert category["value"]["chat"] == "p2p"

    [order_q] = await feishu.exchange(
        card_action(ALICE, category["value"], chat_id="oc_p2p_alice", message_id="om_bot1")
    )
    assert "订单号" in order_q.text and order_q.body["receive_id"] == ALICE

    found = await feishu.exchange(message_event(ALICE, {"text": f"订单 {USED_CARD_ORDER}"}))
    assert "已查到你的订单" in said(found) and "什么时候" in said(found)
    assert "屏幕上提示" in said(
        await feishu.exchange(message_event(ALICE, {"text": "昨天下午3点"}))
    )
    shot_q = await feishu.exchange(message_event(ALICE, {"text": "提示:卡密已被使用"}))
    assert "截图" in said(shot_q)
    summary = await feishu.exchange(
        message_event(ALICE, {"image_key": "img_v3_screenshot01"}, msg_type="image")
    )
    assert "时间线" in said(summary)
    confirm = next(c for c in summary if c.msg_type == "interactive").button("确认")

    sent = await feishu.exchange(
        card_action(ALICE, confirm["value"], chat_id="oc_p2p_alice", message_id="om_bot5")
    )
    to_user = [c for c in sent if c.body.get("receive_id") == ALICE]
    to_staff = [c for c in sent if c.body.get("receive_id") == STAFF]
    assert any("已提交工单" in c.text for c in to_user)
    assert to_staff and to_staff[0].query == {"receive_id_type": "chat_id"}
    assert to_staff[0].msg_type == "interactive"  # the staff card with claim/reply buttons
    assert any(b["value"]["payload"].startswith("staff:claim:") for b in to_staff[0].buttons)

    async with feishu.app.db.transaction() as session:
        [ticket] = await tickets.list_for_user(session, f"feishu:{ALICE}")
    assert ticket.order_no == USED_CARD_ORDER and ticket.category == "card_invalid"
    assert ticket.fields["screenshot"]["ref"] == "img_v3_screenshot01"


async def test_member_added_with_an_impostor_name_is_reported(feishu: Feishu) -> None:
    sent = await feishu.exchange(
        members_added(GROUP, [("ou_mallory00000000000000000000000001", "星河卡盟官方客服")])
    )
    warnings = [c for c in sent if c.body.get("receive_id") == GROUP]
    assert warnings and "星河卡盟官方客服" in warnings[0].text and "不是" in warnings[0].text
    assert warnings[0].query == {"receive_id_type": "chat_id"}
    # Judging the name asked Feishu who administers the group (the owner may say 官方).
    assert any(c.path == f"/open-apis/im/v1/chats/{GROUP}" for c in feishu.api.calls)
    # An ordinary name is welcomed silently.
    assert (
        await feishu.exchange(
            members_added(GROUP, [("ou_bob0000000000000000000000000001", "小明")])
        )
        == []
    )


@pytest.mark.parametrize("guard_action", ["remove"])
async def test_guard_remove_takes_the_impostor_out_of_the_group(feishu: Feishu) -> None:
    mallory = "ou_mallory00000000000000000000000002"
    await feishu.exchange(members_added(GROUP, [(mallory, "星河卡盟官方客服")]))
    [removal] = [c for c in feishu.api.calls if c.method == "DELETE"]
    assert removal.path == f"/open-apis/im/v1/chats/{GROUP}/members"
    assert removal.query == {"member_id_type": "open_id"} and removal.body == {"id_list": [mallory]}


async def test_a_revoked_token_is_refreshed_once_and_the_message_still_sent(feishu: Feishu) -> None:
    assert len(await feishu.exchange(message_event(ALICE, {"text": "/help"}))) == 1
    assert feishu.api.token_fetches == 1
    feishu.api.revoke_token()
    [reply] = await feishu.exchange(message_event(ALICE, {"text": "/support"}))
    assert feishu.api.token_fetches == 2
    assert reply.token == "t-fake-2" and reply.body["receive_id"] == ALICE
    refused = [c for c in feishu.api.calls if c.code == 99991663]
    assert len(refused) == 1 and refused[0].token == "t-fake-1"
    # Later calls use the new token without fetching again.
    await feishu.exchange(message_event(ALICE, {"text": "/help"}))
    assert feishu.api.token_fetches == 2


async def test_mentions_of_others_become_event_mentions(feishu: Feishu) -> None:
    """/verify @someone in a group: the bot's mention is stripped, the other is the target."""
    other = {"key": "@_user_2", "id": {"open_id": "ou_fake_agent"}, "name": "星河客服小美"}
    event = message_event(
        ALICE,
        {"text": "@_user_1 /verify @_user_2"},
        chat_id=GROUP,
        mentions=[bot_mention(), other],
    )
    [reply] = await feishu.exchange(event)
    # Named with a short id label, never the raw open_id.
    assert "星河客服小美（飞书 ID …_agent）" in reply.text and "ou_fake_agent" not in reply.text
    assert "不在" in reply.text and BOT_OPEN_ID not in reply.text


async def test_group_owner_flags_an_account_by_replying_to_its_message(feishu: Feishu) -> None:
    mallory = "ou_mallory00000000000000000000000003"
    feishu.api.names[mallory] = "小李"
    offer = feishu.api.user_message(mallory, "私聊我退款")
    flag = message_event(
        OWNER,
        {"text": "@_user_1 /flag 冒充客服私聊骗退款"},
        chat_id=GROUP,
        mentions=[bot_mention()],
        parent_id=offer,
    )
    [reply] = await feishu.exchange(flag)
    assert "小李" in reply.text and "冒充客服私聊骗退款" in reply.text
    # A member who is neither owner nor manager may not flag.
    other = message_event(
        ALICE,
        {"text": "@_user_1 /flag 乱说"},
        chat_id=GROUP,
        mentions=[bot_mention()],
        parent_id=offer,
    )
    [refused] = await feishu.exchange(other)
    assert "小李" not in refused.text
