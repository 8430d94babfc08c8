"""The outbound seam against the fake OpenAPI: fallbacks, edits, recall, removal, admins,
health, and secrets kept out of the logs."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from adapters.feishu import adapter as feishu_adapter
from adapters.feishu import create_feishu_adapter
from bots.app import build_app
from core.config import ConfigError
from core.model import (
    Button,
    ButtonStyle,
    Chat,
    DeleteMessage,
    NotifyStaff,
    Reply,
    RestrictUser,
    SendPrivate,
    User,
)
from tests.fakes.feishu_api import (
    APP_SECRET,
    ENCRYPT_KEY,
    VERIFICATION_TOKEN,
    FakeFeishuApi,
)
from tests.feishu.callbacks import message_event
from tests.feishu.conftest import ALICE, GROUP, MANAGER, OWNER, Feishu, feishu_config

GROUP_CHAT = Chat(platform="feishu", id=GROUP, is_private=False, title="星河卡盟玩家群")
ALICE_USER = User(platform="feishu", id=ALICE, display_name="Alice")
ROW = (
    (
        Button(label="查订单", payload="order"),
        Button(label="官网", url="https://x.example", style=ButtonStyle.URL),
    ),
)


async def test_a_refused_card_is_sent_as_text(feishu: Feishu) -> None:
    feishu.api.refuse_cards = True
    await feishu.adapter.send(SendPrivate(user=ALICE_USER, text="请选择", buttons=ROW))
    [sent] = feishu.api.sends()
    assert sent.msg_type == "text" and sent.body["receive_id"] == ALICE
    assert sent.text == "请选择\n• 查订单\n• 官网: https://x.example"
    assert [c.code for c in feishu.api.calls if c.method == "POST"] == [230099, 0]


async def test_text_cannot_mention_everyone(feishu: Feishu) -> None:
    await feishu.adapter.send(Reply(chat=GROUP_CHAT, text='你说:<at user_id="all">所有人</at>'))
    [sent] = feishu.api.sends()
    assert "<at" not in sent.content["text"]


async def test_reply_to_a_recalled_message_goes_to_the_chat(feishu: Feishu) -> None:
    feishu.api.withdrawn.add("om_gone")
    await feishu.adapter.send(Reply(chat=GROUP_CHAT, text="好的", reply_to_message_id="om_gone"))
    [sent] = feishu.api.sends()
    assert sent.path == "/open-apis/im/v1/messages" and sent.body["receive_id"] == GROUP
    assert sent.query == {"receive_id_type": "chat_id"}


async def test_edits_patch_cards_and_put_text(feishu: Feishu) -> None:
    await feishu.adapter.send(Reply(chat=GROUP_CHAT, text="第 1 页", buttons=ROW))
    await feishu.adapter.send(Reply(chat=GROUP_CHAT, text="纯文字"))
    card_id, text_id = (m for m in feishu.api.messages)
    await feishu.adapter.send(Reply(chat=GROUP_CHAT, text="第 2 页", edit_message_id=card_id))
    await feishu.adapter.send(Reply(chat=GROUP_CHAT, text="改过的", edit_message_id=text_id))
    patch, put = [c for c in feishu.api.calls if c.method in ("PATCH", "PUT")]
    assert patch.method == "PATCH" and patch.path.endswith(card_id) and "第 2 页" in patch.text
    assert put.method == "PUT" and put.path.endswith(text_id) and put.text == "改过的"
    assert len(feishu.api.sends()) == 2  # edits, not new messages


async def test_delete_restrict_and_notify(feishu: Feishu, caplog: pytest.LogCaptureFixture) -> None:
    message_id = feishu.api.user_message(ALICE, "我的卡密 XH7K-9P2M-4Q8R-1T6W")
    await feishu.adapter.send(DeleteMessage(chat=GROUP_CHAT, message_id=message_id))
    assert message_id not in feishu.api.messages
    with caplog.at_level(logging.INFO, logger="adapters.feishu"):
        await feishu.adapter.send(RestrictUser(chat=GROUP_CHAT, user=ALICE_USER, reason="冒充"))
    assert "no mute" in caplog.text
    assert not [c for c in feishu.api.calls if c.path.endswith("/members")]
    await feishu.adapter.send(NotifyStaff(destination=f"feishu:{OWNER}", text="新工单"))
    [note] = feishu.api.sends()
    assert note.query == {"receive_id_type": "open_id"} and note.body["receive_id"] == OWNER


async def test_a_refusal_is_logged_not_raised(
    feishu: Feishu, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="adapters.feishu"):
        await feishu.adapter.send(DeleteMessage(chat=GROUP_CHAT, message_id="om_unknown"))
    assert "code 230011" in caplog.text


async def test_chat_admins_are_owner_and_managers_cached(feishu: Feishu) -> None:
    adapter = feishu.adapter

    def member(open_id: str) -> User:
        return User(platform="feishu", id=open_id)

    assert await adapter.is_chat_admin(GROUP_CHAT, member(OWNER))
    assert await adapter.is_chat_admin(GROUP_CHAT, member(MANAGER))
    assert not await adapter.is_chat_admin(GROUP_CHAT, member(ALICE))
    assert not await adapter.is_chat_admin(Chat("feishu", OWNER, is_private=True), member(OWNER))
    lookups = [c for c in feishu.api.calls if c.path == f"/open-apis/im/v1/chats/{GROUP}"]
    assert len(lookups) == 1 and lookups[0].query == {"user_id_type": "open_id"}
    assert not await adapter.is_chat_admin(
        Chat("feishu", "oc_unknown", is_private=False), member(OWNER)
    )


async def test_health_follows_the_lifecycle(feishu: Feishu) -> None:
    assert feishu.adapter.healthy()
    await feishu.adapter.stop()
    assert not feishu.adapter.healthy()
    status, _ = await feishu.callbacks.post(message_event(ALICE, {"text": "/help"}))
    assert status == 503  # Feishu will retry once the bot is back


async def test_secrets_never_reach_the_logs(
    feishu: Feishu, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await feishu.exchange(message_event(ALICE, {"text": "/complain"}))
    feishu.api.revoke_token()
    await feishu.exchange(message_event(ALICE, {"text": "/support"}))
    await feishu.callbacks.post(message_event(ALICE, {"text": "/help"}), signature="f" * 64)
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (APP_SECRET, ENCRYPT_KEY, VERIFICATION_TOKEN, *feishu.api.issued_tokens):
        assert secret not in logged


async def test_wrong_app_secret_is_reported_and_health_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(feishu_adapter, "KEEPALIVE_EVERY", 0.02)
    async with FakeFeishuApi() as api:
        monkeypatch.setenv("FEISHU_APP_ID", api.app_id)
        monkeypatch.setenv("FEISHU_APP_SECRET", "not-the-secret")
        monkeypatch.setenv("FEISHU_ENCRYPT_KEY", ENCRYPT_KEY)
        monkeypatch.setenv("FEISHU_VERIFICATION_TOKEN", VERIFICATION_TOKEN)
        config = feishu_config(tmp_path, api.base_url)
        app = await build_app(config)
        adapter = create_feishu_adapter(config, app.runtime)
        try:
            with caplog.at_level(logging.WARNING):
                await adapter.start()
            assert not adapter.healthy()
            assert "refused the app credentials" in caplog.text
            assert "not-the-secret" not in caplog.text
            api.app_secret = "not-the-secret"  # the operator fixes the app in the console
            for _ in range(100):
                if adapter.healthy():
                    break
                await asyncio.sleep(0.02)
            assert adapter.healthy()
        finally:
            await adapter.stop()
            await app.close()


@pytest.mark.parametrize(
    ("env", "api_base", "key"),
    [
        ("FEISHU_ENCRYPT_KEY", "https://open.feishu.cn", "feishu.encrypt_key_env"),
        ("FEISHU_APP_SECRET", "https://open.feishu.cn", "feishu.app_secret_env"),
        ("", "open.feishu.cn", "feishu.api_base"),
    ],
)
def test_missing_secrets_and_bad_base_are_config_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str, api_base: str, key: str
) -> None:
    for name, value in {
        "FEISHU_APP_ID": "cli_x",
        "FEISHU_APP_SECRET": "s",
        "FEISHU_ENCRYPT_KEY": "k",
        "FEISHU_VERIFICATION_TOKEN": "t",
    }.items():
        monkeypatch.setenv(name, value)
    if env:
        monkeypatch.delenv(env)
    config = feishu_config(tmp_path, api_base)
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        create_feishu_adapter(config, runtime=None)  # type: ignore[arg-type]
