"""Inbound mapping with real PTB objects (``Update.de_json``) and no server: the corners that
are awkward to reach on the wire (topics, anonymous admins, edits, entities, payload codecs)."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from adapters.telegram.inbound import BotIdentity, InboundMapper
from adapters.telegram.outbound import as_html, split_text, utf16_len
from adapters.telegram.payloads import CallbackStore, decode_deep_link, encode_deep_link
from core.model import Event, EventKind
from tests.fakes.telegram_api import group_chat, tg_user

BOT = BotIdentity(id=7000001, username="kameng_test_bot")
BOT_USER = tg_user(BOT.id, "Bot", username=BOT.username, is_bot=True)
ALICE = tg_user(555001, "Alice", last_name="Li", username="alice", language_code="en")
GROUP = group_chat(-100777)
DM = {"id": ALICE["id"], "type": "private", "first_name": "Alice"}


def message(text: str = "", chat: dict[str, Any] = GROUP, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"message_id": 10, "date": 1_700_000_000, "chat": chat}
    body["from"] = extra.pop("from_", ALICE)
    if text:
        body["text"] = text
    body.update(extra)
    return body


def events(update: dict[str, Any], store: CallbackStore | None = None) -> list[Event]:
    mapper = InboundMapper(BOT, store or CallbackStore())
    return mapper.map(Update.de_json({"update_id": 42, **update}, None))


def one(update: dict[str, Any]) -> Event:
    [event] = events(update)
    return event


@pytest.mark.parametrize(
    ("text", "command", "args"),
    [
        ("/support", "support", ""),
        ("/Support@Kameng_Test_Bot", "support", ""),
        ("/order@kameng_test_bot  DD2026112000002 ", "order", "DD2026112000002"),
        ("/reply T-240001 第一行\n第二行", "reply", "T-240001 第一行\n第二行"),
    ],
)
def test_commands(text: str, command: str, args: str) -> None:
    event = one({"message": message(text)})
    assert (event.kind, event.command, event.args, event.is_to_me) == (
        EventKind.COMMAND,
        command,
        args,
        True,
    )
    assert event.event_id == "42" and event.user.key == "telegram:555001"
    assert event.user.locale == "en" and event.user.display_name == "Alice Li"


def test_commands_for_other_bots_and_messages_of_bots_are_dropped() -> None:
    assert events({"message": message("/support@other_bot")}) == []
    ours = InboundMapper(BOT, CallbackStore(), frozenset({"support"}))
    roll = Update.de_json({"update_id": 1, "message": message("/roll 2d6")}, None)
    assert ours.map(roll) == []  # another bot's command in a group
    private_roll = Update.de_json({"update_id": 2, "message": message("/roll", chat=DM)}, None)
    assert [e.command for e in ours.map(private_roll)] == ["roll"]  # answered: "unknown"
    assert events({"message": message("hello", from_=tg_user(9, "x", is_bot=True))}) == []


def test_deep_link_payloads_round_trip() -> None:
    assert one({"message": message("/start complain", chat=DM)}).args == "complain"
    odd = "complain:card_invalid:DD2026112000002"
    assert encode_deep_link(odd).startswith("b64_")
    assert decode_deep_link(encode_deep_link(odd)) == odd
    assert one({"message": message(f"/start {encode_deep_link(odd)}", chat=DM)}).args == odd


def test_mention_of_the_bot_is_stripped_and_addresses_it() -> None:
    event = one({"message": message("@Kameng_Test_Bot  售后在哪 ?")})
    assert (event.text, event.is_to_me) == ("售后在哪 ?", True)
    plain = one({"message": message("售后在哪 @someone_else")})
    assert (plain.text, plain.is_to_me) == ("售后在哪 @someone_else", False)
    assert one({"message": message("你好", chat=DM)}).is_to_me


def test_reply_to_the_bot_and_text_mentions() -> None:
    quoted = message("我的订单", from_=BOT_USER, message_id=3)
    mention = {"type": "text_mention", "offset": 0, "length": 2, "user": tg_user(8, "骗子")}
    event = one({"message": message("他是骗子", reply_to_message=quoted, entities=[mention])})
    assert event.is_to_me and event.reply_to_message_id == "3"
    assert event.reply_to_user is not None and event.reply_to_user.id == str(BOT.id)
    assert event.reply_to_text == "我的订单"
    assert [u.key for u in event.mentions] == ["telegram:8"]


def test_forum_topic_messages_keep_their_thread_but_are_no_reply() -> None:
    topic_start = message(
        from_=ALICE, message_id=5, forum_topic_created={"name": "售后", "icon_color": 1}
    )
    event = one(
        {
            "message": message(
                "售后在哪",
                message_thread_id=5,
                is_topic_message=True,
                reply_to_message=topic_start,
            )
        }
    )
    assert event.chat.thread_id == "5"
    assert event.reply_to_message_id == "" and event.reply_to_user is None


def test_anonymous_admin_speaks_as_the_group_and_is_admin() -> None:
    anonymous = tg_user(1087968824, "Group", username="GroupAnonymousBot", is_bot=True)
    event = one({"message": message("/flag 骗子", from_=anonymous, sender_chat=GROUP)})
    assert event.sender_is_admin is True and event.user.id == str(GROUP["id"])
    channel = {"id": -100555, "type": "channel", "title": "某频道"}
    as_channel = one({"message": message("hi", from_=anonymous, sender_chat=channel)})
    assert as_channel.sender_is_admin is False


def test_edits_count_in_groups_only_and_never_rerun_commands() -> None:
    assert one({"edited_message": message("加我QQ 12345 退款", edit_date=1_700_000_060)}).text
    assert events({"edited_message": message("DD2026112000002", chat=DM)}) == []
    assert events({"edited_message": message("/complain")}) == []


def test_photos_and_documents_become_attachments() -> None:
    photo = [
        {"file_id": "small", "file_unique_id": "a", "width": 10, "height": 10},
        {"file_id": "large", "file_unique_id": "b", "width": 100, "height": 100},
    ]
    event = one({"message": message(chat=DM, photo=photo, caption="截图")})
    assert event.text == "截图" and [(a.kind, a.ref) for a in event.attachments] == [
        ("image", "large")
    ]
    document = {"file_id": "doc", "file_unique_id": "c", "file_name": "日志.txt"}
    [file] = one({"message": message(chat=DM, document=document)}).attachments
    assert (file.kind, file.ref, file.name) == ("file", "doc", "日志.txt")
    assert events({"message": message(chat=DM, sticker=None)}) == []


def test_callback_queries_carry_the_payload() -> None:
    store = CallbackStore()
    long_payload = "complain:" + "x" * 80
    data = store.encode(long_payload)
    assert len(data.encode()) <= 64
    query = {
        "id": "q1",
        "from": ALICE,
        "chat_instance": "c",
        "data": data,
        "message": message("请选择", chat=DM, from_=BOT_USER, message_id=77),
    }
    [event] = events({"callback_query": query}, store)
    assert (event.kind, event.payload, event.message_id) == (EventKind.BUTTON, long_payload, "77")
    assert event.chat.is_private and event.is_to_me
    assert CallbackStore().decode(data) == ""  # unknown after a restart: a stale button


def test_membership_changes() -> None:
    def change(old: str, new: str, user: dict[str, Any] = ALICE) -> dict[str, Any]:
        return {
            "chat_member": {
                "chat": GROUP,
                "from": user,
                "date": 1_700_000_000,
                "old_chat_member": {"status": old, "user": user},
                "new_chat_member": {"status": new, "user": user},
            }
        }

    assert one(change("left", "member")).kind is EventKind.MEMBER_JOINED
    assert one(change("member", "left")).kind is EventKind.MEMBER_LEFT
    assert events(change("member", "member")) == []
    assert events(change("left", "member", BOT_USER)) == []
    bob = tg_user(555002, "Bob")
    joined = events({"message": message(new_chat_members=[ALICE, BOT_USER, bob])})
    assert [(e.kind, e.user.id) for e in joined] == [
        (EventKind.MEMBER_JOINED, "555001"),
        (EventKind.MEMBER_JOINED, "555002"),
    ]
    assert len({e.event_id for e in joined}) == 2
    [left] = events({"message": message(left_chat_member=bob)})
    assert left.kind is EventKind.MEMBER_LEFT


def test_text_is_escaped_and_split_within_telegram_limits() -> None:
    assert as_html("<b>Tom & Jerry</b>") == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"
    long = "\n".join(f"第{i}行 " + "字" * 50 for i in range(200))
    pieces = split_text(long)
    assert len(pieces) > 1 and all(utf16_len(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == long.replace("\n", "")
    emoji = "😀" * 3000  # two UTF-16 units each
    assert all(utf16_len(p) <= 4096 for p in split_text(emoji))
    assert "".join(split_text(emoji)) == emoji


def test_buttons_in_the_private_chat_need_no_deep_link() -> None:
    from telegram import Bot

    from adapters.telegram.outbound import Outbound
    from core.model import Button, ButtonStyle

    outbound = Outbound(Bot("7000001:unused"), CallbackStore())
    rows = (
        (Button("私聊", payload="complain", style=ButtonStyle.PRIVATE),),
        (Button("官网", url="https://shop.example", style=ButtonStyle.URL),),
        (Button("确认", payload="flow:confirm"),),
    )
    markup = outbound.keyboard(rows, private=True)
    assert markup is not None
    flat = [b for row in markup.inline_keyboard for b in row]
    assert [(b.callback_data, b.url) for b in flat] == [
        ("complain", None),
        (None, "https://shop.example"),
        ("flow:confirm", None),
    ]
    assert outbound.keyboard((), private=True) is None


def test_keyboards_are_rendered_once_unless_a_payload_needs_the_callback_store() -> None:
    from telegram import Bot

    from adapters.telegram.outbound import Outbound
    from core.model import Button

    store = CallbackStore(capacity=1)
    outbound = Outbound(Bot("7000001:unused"), store)
    short = ((Button("跳过", payload="flow:skip"), Button("取消", payload="flow:cancel")),)
    first = outbound.keyboard(short, private=True)
    assert first is not None and outbound.keyboard(short, private=True) is first
    long_rows = ((Button("重新发货", payload="reissue:" + "9" * 80),),)
    one = outbound.keyboard(long_rows, private=True)
    store.encode("another:" + "8" * 80)  # evicts the first long payload (capacity 1)
    again = outbound.keyboard(long_rows, private=True)
    assert one is not None and again is not None and again is not one
    data = again.inline_keyboard[0][0].callback_data
    assert isinstance(data, str) and store.decode(data) == "reissue:" + "9" * 80
