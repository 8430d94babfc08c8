"""Pure pieces: decryption and signatures, card values, content parsing, the caches."""

from __future__ import annotations

import json

import pytest

from adapters.feishu.cache import RecentIds, TtlCache
from adapters.feishu.cards import (
    fallback_text,
    neutralise_mentions,
    parse_button_value,
    render_card,
)
from adapters.feishu.crypto import DecryptError, decrypt, signature, signature_ok
from adapters.feishu.inbound import Callback, InboundMapper, parse_callback
from core.model import Button, ButtonStyle, EventKind, User
from tests.fakes.feishu_api import BOT_OPEN_ID
from tests.feishu.callbacks import bot_mention, card_action, encrypt, message_event, sign


def test_decrypts_the_example_from_the_feishu_docs() -> None:
    assert decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=", "test key") == b"hello world"


def test_decrypt_round_trip_and_refusals() -> None:
    blob = encrypt('{"a": "中文"}'.encode(), "k1")
    assert json.loads(decrypt(blob, "k1")) == {"a": "中文"}
    for bad in ("not base64!", "c2hvcnQ=", blob[:-4] + "AAA="):
        with pytest.raises(DecryptError):
            decrypt(bad, "k1")
    with pytest.raises(DecryptError):
        decrypt(blob, "another key")  # wrong key → bad padding (almost always)


def test_signature_matches_feishu_formula() -> None:
    body = b'{"encrypt":"abc"}'
    expected = sign("1700000000", "nonce1", "key", body)
    assert signature("1700000000", "nonce1", "key", body) == expected
    assert signature_ok("1700000000", "nonce1", expected.upper(), "key", body)
    assert not signature_ok("1700000001", "nonce1", expected, "key", body)
    assert not signature_ok("", "", "", "key", body)


def test_card_buttons_carry_payload_kind_and_chat() -> None:
    card = render_card(
        "选一个",
        (
            (Button(label="A", payload="flow:cat:a"),),
            (Button(label="私聊", payload="support", style=ButtonStyle.PRIVATE),),
            (Button(label="官网", url="https://x.example", style=ButtonStyle.URL),),
        ),
        private_chat=True,
    )
    text, first, private, link = card["elements"]
    assert text == {"tag": "div", "text": {"tag": "plain_text", "content": "选一个"}}
    value = first["actions"][0]["value"]
    assert parse_button_value(value) is not None
    assert parse_button_value(json.dumps(value)) == parse_button_value(value)
    pressed = parse_button_value(private["actions"][0]["value"])
    assert pressed is not None and pressed.kind == "dm" and pressed.payload == "support"
    assert link["actions"][0]["url"] == "https://x.example" and "value" not in link["actions"][0]
    assert parse_button_value({"other": "app"}) is None and parse_button_value("x") is None


def test_text_helpers() -> None:
    assert "<at" not in neutralise_mentions('<at user_id="all"></at> <AT id=1>')
    rows = ((Button(label="私聊", payload="s", style=ButtonStyle.PRIVATE),),)
    assert fallback_text("hi", rows, private_hint="(私聊)") == "hi\n• 私聊(私聊)"


class Lookups:
    def __init__(self) -> None:
        self.names = {"ou_a": "Alice"}

    async def bot_open_id(self) -> str:
        return BOT_OPEN_ID

    async def user_name(self, open_id: str) -> str:
        return self.names.get(open_id, "")

    async def replied_message(self, message_id: str) -> tuple[User | None, str]:
        return User(platform="feishu", id="ou_b", display_name="Bob"), "hello"


def callback(payload: dict[str, object]) -> Callback:
    parsed = parse_callback(payload)
    assert parsed is not None
    return parsed


async def test_group_message_mapping() -> None:
    mapper = InboundMapper(Lookups())
    other = {"key": "@_user_2", "id": {"open_id": "ou_c"}, "name": "Carol"}
    payload = message_event(
        "ou_a",
        {"text": "@_user_1  /Verify@kameng_bot  @_user_2"},
        chat_id="oc_g",
        mentions=[bot_mention(), other],
        parent_id="om_parent",
        event_id="evt-9",
    )
    [event] = await mapper.events(callback(payload))
    assert event.kind is EventKind.COMMAND and event.command == "verify"
    assert event.args == "@Carol" and event.event_id == "evt-9" and event.is_to_me
    assert event.user.display_name == "Alice" and event.chat.id == "oc_g"
    assert not event.chat.is_private
    assert [u.id for u in event.mentions] == ["ou_c"]
    assert event.reply_to_message_id == "om_parent" and event.reply_to_user is not None
    assert event.reply_to_user.id == "ou_b" and event.reply_to_text == "hello"


async def test_private_and_rich_messages() -> None:
    mapper = InboundMapper(Lookups())
    post = {
        "title": "",
        "content": [
            [{"tag": "text", "text": "卡密用不了"}],
            [{"tag": "img", "image_key": "img_1"}],
        ],
    }
    [event] = await mapper.events(callback(message_event("ou_a", post, msg_type="post")))
    assert event.kind is EventKind.MESSAGE and event.text == "卡密用不了" and event.is_to_me
    assert event.chat.is_private and event.chat.id == "ou_a"
    assert [a.ref for a in event.attachments] == ["img_1"]
    group = message_event("ou_a", {"text": "随便聊聊"}, chat_id="oc_g")
    [chatter] = await mapper.events(callback(group))
    assert not chatter.is_to_me
    sticker = message_event("ou_a", {"file_key": "x"}, msg_type="sticker")
    assert await mapper.events(callback(sticker)) == []


async def test_card_presses() -> None:
    mapper = InboundMapper(Lookups())
    value = {"kameng": "cb", "payload": "flow:confirm", "chat": "group"}
    [event] = await mapper.events(
        callback(card_action("ou_a", value, chat_id="oc_g", message_id="om_card", event_id="e1"))
    )
    assert event.kind is EventKind.BUTTON and event.payload == "flow:confirm"
    assert event.chat.id == "oc_g" and event.message_id == "om_card" and event.event_id == "e1"
    private = {"kameng": "dm", "payload": "complain", "chat": "group"}
    [start] = await mapper.events(
        callback(card_action("ou_a", private, chat_id="oc_g", message_id="m"))
    )
    assert start.kind is EventKind.COMMAND and start.command == "start" and start.args == "complain"
    assert start.chat.is_private and start.chat.id == "ou_a"
    foreign = card_action("ou_a", {"action": "approve"}, chat_id="oc_g", message_id="m")
    assert await mapper.events(callback(foreign)) == []


def test_caches_are_bounded_and_expire() -> None:
    now = [0.0]
    seen = RecentIds(size=2, ttl=10, clock=lambda: now[0])
    assert seen.add("a") and not seen.add("a") and seen.add("b") and seen.add("c")
    assert seen.add("a")  # evicted by size
    now[0] = 11
    assert seen.add("c")  # expired
    cache: TtlCache[str] = TtlCache(size=1, clock=lambda: now[0])
    cache.put("x", "1", ttl=5)
    assert cache.get("x") == "1"
    now[0] = 17
    assert cache.get("x") is None
