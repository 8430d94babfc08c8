"""Guild channels: /support answered through the interaction, the private-chat button,
member joins and renames judged by the impostor guard, and moderation via context menus."""

from __future__ import annotations

import asyncio

from core.moderation import cases
from tests.discord.conftest import BotFactory, Harness
from tests.fakes.discord_api import buttons_of


async def test_support_slash_command_in_a_channel_is_answered_via_the_interaction(
    discord_bot: BotFactory,
) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        alice = fake.add_member("alice", "Alice")
        iid = await fake.slash("support", alice, channel_id=fake.general_id)
        call = await fake.callback(iid)
        assert call.query == {"with_response": "1"}
        assert call.body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
        data = call.body["data"]
        assert "星河卡盟官方售后" in data["content"]
        assert "在线客服" in data["content"]
        assert not data.get("flags", 0) & 64  # public: the channel may see the official entry
        assert data["allowed_mentions"] == {"parse": []}
        assert [b["custom_id"] for b in buttons_of(data)] == ["~dm:support"]


async def test_private_button_runs_start_in_the_users_dm(discord_bot: BotFactory) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        alice = fake.add_member("alice", "Alice")
        iid = await fake.slash("support", alice, channel_id=fake.general_id)
        await fake.callback(iid)
        click = await fake.click(alice, fake.response_message(iid), "~dm:support")
        dm = fake.dm_of(alice)
        welcome = await fake.wait_for("POST", f"/channels/{dm}/messages")
        assert "售后助手" in welcome.body["content"]
        full = await fake.wait_for("POST", f"/channels/{dm}/messages", count=2)
        assert "400-800-1234" in full.body["content"]
        assert "防骗提醒" in full.body["content"]
        # The click itself gets an ephemeral pointer to the DM.
        answer = (await fake.callback(click)).body["data"]
        assert answer["flags"] & 64
        assert buttons_of(answer)[0]["url"] == f"https://discord.com/channels/@me/{dm}"


async def active_flag(bot: Harness, user_id: int) -> object:
    """The flag on the user in the fake's server (a moderator's flag applies there)."""
    async with bot.app.db.sessionmaker() as session:
        return await cases.active_flag(
            session, f"discord:{user_id}", community=f"discord:{bot.fake.guild_id}"
        )


async def test_flag_as_impostor_context_menu_by_a_moderator(discord_bot: BotFactory) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        mod = fake.add_member("mod", "版主小王", moderator=True)
        scammer = fake.add_member("scammer", "星河客服-退款专员")
        menu = await fake.user_menu("Flag as impostor", mod, scammer, channel_id=fake.general_id)
        modal = (await fake.callback(menu)).body
        assert modal["type"] == 9  # the modal asking for the reason
        assert modal["data"]["title"] == "标记为冒充者"

        submit = await fake.submit_modal(
            mod, modal["data"], {"reason": "私聊冒充客服索要卡密"}, channel_id=fake.general_id
        )
        done = (await fake.callback(submit)).body["data"]
        assert "已将" in done["content"] and "标记为冒充者" in done["content"]
        assert done["flags"] & 64  # the moderator's confirmation is theirs alone
        flag = await active_flag(bot, scammer.user.id)
        assert flag is not None


async def test_flag_as_impostor_context_menu_by_a_plain_member_is_refused(
    discord_bot: BotFactory,
) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        member = fake.add_member("carol", "Carol")
        target = fake.add_member("dave", "Dave")
        menu = await fake.user_menu("Flag as impostor", member, target, channel_id=fake.general_id)
        refused = (await fake.callback(menu)).body
        assert refused["type"] == 4  # an answer, not the reason modal
        assert "只有本群管理员" in refused["data"]["content"]
        assert refused["data"]["flags"] & 64
        assert await active_flag(bot, target.user.id) is None


async def test_verify_account_context_menu_judges_by_user_id(discord_bot: BotFactory) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        alice = fake.add_member("alice", "Alice")
        lookalike = fake.add_member("xinghe.support", "XingHe Support")
        menu = await fake.user_menu("Verify account", alice, lookalike, channel_id=fake.general_id)
        answer = (await fake.callback(menu)).body["data"]
        assert "不在星河卡盟的官方名单中" in answer["content"]  # same name, other id
        assert not answer.get("flags", 0) & 64  # public: the channel learns it too


async def test_member_joining_with_an_impostor_name_is_warned_about_in_the_guild(
    discord_bot: BotFactory,
) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        impostor = fake.add_member("kefu_2024", "星河卡盟官方客服")
        await fake.member_join(impostor)
        warning = await fake.wait_for("POST", f"/channels/{fake.welcome_id}/messages")
        assert "星河卡盟官方客服" in warning.body["content"]
        assert "不是星河卡盟的官方账号" in warning.body["content"]
        assert warning.body["allowed_mentions"] == {"parse": []}
        # Redelivery of the same join is handled once.
        await fake.member_join(impostor)
        await fake.member_update(impostor)  # nothing renamed: nothing to judge
        await asyncio.sleep(0.2)
        assert len(fake.find("POST", f"/channels/{fake.welcome_id}/messages")) == 1


async def test_member_renamed_to_an_impostor_name_is_judged(discord_bot: BotFactory) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        member = fake.add_member("erin", "Erin")
        await fake.member_join(member)
        await asyncio.sleep(0.1)
        member.nick = "星河售后-小雅"
        await fake.member_update(member)
        warning = await fake.wait_for("POST", f"/channels/{fake.welcome_id}/messages")
        assert "星河售后-小雅" in warning.body["content"]


async def test_personal_lookup_in_a_channel_is_answered_ephemerally_not_by_dm(
    discord_bot: BotFactory,
) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        alice = fake.add_member("alice", "Alice")
        option = {"name": "order_no", "type": 3, "value": "DD2026112000001"}
        iid = await fake.slash("order", alice, channel_id=fake.general_id, options=[option])
        answer = (await fake.callback(iid)).body["data"]
        assert answer["flags"] & 64
        assert "DD2026112000001" in answer["content"]
        await asyncio.sleep(0.1)
        # No DM, and no "I sent it to you in private" note: it was shown right here.
        assert not fake.find("POST", "/users/@me/channels")
        token = f"itoken-{iid}"
        assert not fake.find("POST", f"/webhooks/{fake.application_id}/{token}")


async def test_typed_support_question_in_a_channel_gets_a_reply(discord_bot: BotFactory) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        alice = fake.add_member("alice", "Alice")
        message_id = await fake.message(alice, "请问售后在哪里?", channel_id=fake.general_id)
        reply = await fake.wait_for("POST", f"/channels/{fake.general_id}/messages")
        assert "官方售后" in reply.body["content"]
        assert int(reply.body["message_reference"]["message_id"]) == message_id
        assert reply.body["allowed_mentions"] == {"parse": []}


async def test_a_new_global_name_is_judged_once_in_the_guild(discord_bot: BotFactory) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        member = fake.add_member("frank", "Frank")
        await fake.member_join(member)
        await asyncio.sleep(0.1)
        member.user.global_name = "星河卡盟官方客服"
        await fake.member_update(member)  # discord.py: user_update and member_update
        await fake.wait_for("POST", f"/channels/{fake.welcome_id}/messages")
        await asyncio.sleep(0.2)
        assert len(fake.find("POST", f"/channels/{fake.welcome_id}/messages")) == 1


async def test_a_429_is_waited_out_by_discord_py_without_extra_retries(
    discord_bot: BotFactory,
) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        fake.rate_limit_next("POST", f"/channels/{fake.welcome_id}/messages", retry_after=0.1)
        impostor = fake.add_member("kefu_2025", "星河卡盟官方客服")
        await fake.member_join(impostor)
        await fake.wait_for("POST", f"/channels/{fake.welcome_id}/messages", count=2)
        await asyncio.sleep(0.2)
        # One 429, one retry after retry_after, and nothing more (the adapter adds none).
        assert len(fake.find("POST", f"/channels/{fake.welcome_id}/messages")) == 2
