"""/verify for each kind of handle, flagged accounts, look-alikes, and the one-step flow."""

from __future__ import annotations

import pytest

from bots.app import App
from core.model import User
from tests.helpers import GROUP, RecordingChannel, event, texts

MOD = User(platform="telegram", id="900", display_name="管理员甲")


@pytest.mark.parametrize(
    ("arg", "what"),
    [
        ("@xinghe_support", "Telegram 客服账号"),
        ("xinghe_aftersales", "Telegram 售后账号"),
        ("https://www.xinghe-kameng.example/support/chat?id=1", "在线客服"),
        ("xinghe-kameng.example", "在线客服"),
        ("４００-８００-１２３４", "客服电话"),
        ("四零零八零零一二三四", "客服电话"),
        ("support@xinghe-kameng.example", "客服邮箱"),
    ],
)
async def test_official_handles_are_confirmed(app: App, arg: str, what: str) -> None:
    reply = texts(await app.engine.handle(event(f"/verify {arg}")))
    assert reply.startswith("✅") and what in reply


@pytest.mark.parametrize(
    ("arg", "hint"),
    [
        ("QQ 12345678", ""),
        ("微信 xinghe_kefu01", ""),
        ("13812345678", ""),
        ("https://xinghe-kameng.example.evil.cn/refund", "嵌在别的域名里"),
        ("https://xlnghe-kameng.example/login", "形似"),
        ("@xinghe_supp0rt", "形似"),
        ("星河卡盟官方客服", "名字谁都可以改"),
    ],
)
async def test_unofficial_handles_are_refused_with_the_real_channels(
    app: App, arg: str, hint: str
) -> None:
    reply = texts(await app.engine.handle(event(f"/verify {arg}")))
    assert reply.startswith("❌") and "400-800-1234" in reply and "@xinghe_support" in reply
    assert hint in reply
    assert "13812345678" not in reply  # a buyer's phone number is never echoed in full


async def test_mentioned_account_is_judged_by_user_id(app: App) -> None:
    real = User(platform="telegram", id="100001", display_name="随便改的名字")
    copy = User(
        platform="telegram", id="31337", display_name="星河卡盟官方客服", username="xinghe_support"
    )
    assert texts(await app.engine.handle(event("/verify", mentions=(real,)))).startswith("✅")
    assert texts(await app.engine.handle(event("/verify", mentions=(copy,)))).startswith("❌")


async def test_flagged_account_says_so(app_factory: object) -> None:
    from tests.conftest import AppFactory

    assert callable(app_factory)
    factory: AppFactory = app_factory
    app = await factory(moderation={"moderators": [MOD.key]})
    scammer = User(platform="telegram", id="666", display_name="小雅", username="xiaoya_refund")
    await app.engine.handle(event("在吗", user=scammer, chat=GROUP))
    await app.engine.handle(event("/flag 冒充售后", user=MOD, chat=GROUP, reply_to_user=scammer))
    by_handle = texts(await app.engine.handle(event("/verify @xiaoya_refund")))
    by_reply = texts(await app.engine.handle(event("/verify", chat=GROUP, reply_to_user=scammer)))
    for reply in (by_handle, by_reply):
        assert reply.startswith("❌") and "已被管理员标记为冒充者" in reply


async def test_verify_alone_asks_then_answers_and_cancel_works(app: App) -> None:
    assert "请发送要核实" in texts(await app.engine.handle(event("/verify")))
    assert texts(await app.engine.handle(event("@xinghe_support"))).startswith("✅")
    # The flow ended: the next message is ordinary talk again.
    assert not texts(await app.engine.handle(event("@xinghe_support"))).startswith("✅")
    await app.engine.handle(event("/verify"))
    assert "已取消" in texts(await app.engine.handle(event("/cancel")))


async def test_verify_alone_in_a_group_explains_usage(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    assert "用法" in texts(await app.engine.handle(event("/verify", chat=GROUP)))
