"""/verify for each kind of handle, flagged accounts, look-alikes, and the one-step flow."""

from __future__ import annotations

import pytest

from bots.app import App
from core.model import Chat, User
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


# --- identity is the platform id, on every platform (issue 20, finding 7) ------------------
FEISHU_OPEN_ID = "ou_7d8a6e6df7621556ce0d21922b676706"
FEISHU_DM = Chat(platform="feishu", id="ou_buyer01", is_private=True)
FEISHU_BUYER = User(platform="feishu", id="ou_buyer01", display_name="买家")


async def test_the_feishu_id_that_support_prints_passes_verify(app: App) -> None:
    support = texts(await app.engine.handle(event("/support", user=FEISHU_BUYER, chat=FEISHU_DM)))
    assert f"open_id {FEISHU_OPEN_ID}" in support
    assert "星河卡盟售后" not in support  # a name is never shown as the credential
    for arg in (FEISHU_OPEN_ID, f"ID {FEISHU_OPEN_ID}", f"飞书:{FEISHU_OPEN_ID}"):
        reply = texts(
            await app.engine.handle(event(f"/verify {arg}", user=FEISHU_BUYER, chat=FEISHU_DM))
        )
        assert reply.startswith("✅") and "飞书售后账号" in reply, reply
        assert FEISHU_OPEN_ID in reply and "****" not in reply  # official ids are never masked


@pytest.mark.parametrize(
    ("arg", "platform"),
    [
        ("100001", "Telegram"),
        ("telegram:100001", "Telegram"),
        ("@xinghe_support", "Telegram"),
        ("200001", "Discord"),
        ("<@200001>", "Discord"),
        ("<@!200001>", "Discord"),
        ("xinghe.support", "Discord"),  # Discord usernames may look like a domain
        ("discord:200001", "Discord"),
    ],
)
async def test_platform_ids_and_handles_pass_verify(app: App, arg: str, platform: str) -> None:
    reply = texts(await app.engine.handle(event(f"/verify {arg}")))
    assert reply.startswith("✅") and f"{platform} " in reply, reply


async def test_an_id_on_the_wrong_platform_is_not_official(app: App) -> None:
    reply = texts(await app.engine.handle(event("/verify telegram:200001")))
    assert reply.startswith("❌")
    reply = texts(await app.engine.handle(event("/verify discord:100001")))
    assert reply.startswith("❌")


async def test_a_display_name_alone_is_no_proof(app: App) -> None:
    reply = texts(
        await app.engine.handle(event("/verify 星河卡盟售后", user=FEISHU_BUYER, chat=FEISHU_DM))
    )
    assert reply.startswith("❌") and "名字谁都可以改" in reply and "不能证明身份" in reply
    assert f"open_id {FEISHU_OPEN_ID}" in reply  # the real credential, not a copyable name
    assert "feishu:星河卡盟售后" not in reply and "资料卡" in reply  # how to check on Feishu
    reply = texts(await app.engine.handle(event("/verify 星河卡盟官方客服")))
    assert "@xinghe_support" in reply and "资料页" in reply  # how to check on Telegram
    assert "官方账号：" in reply and "星河卡盟官方客服；" not in reply


async def test_malformed_urls_get_an_answer_not_an_apology(app: App) -> None:
    for arg in ("x[y.com", "http://[::1", "https://a]b.com/x", "xinghe-kameng.example:99999999"):
        reply = texts(await app.engine.handle(event(f"/verify {arg}")))
        assert reply.startswith(("❌", "✅")) and "出了点问题" not in reply, (arg, reply)
