"""The staff desk on Discord: each ticket's card opens a thread in the staff channel, staff
claim with the card's button, a staff message in the thread reaches the user as /reply, and
the user's answer (with a screenshot) comes back into the thread with the file."""

from __future__ import annotations

from tests.discord.conftest import BotFactory, Harness
from tests.fakes.discord_api import FakeMember, buttons_of


async def file_complaint(bot: Harness, user: FakeMember) -> None:
    """The whole complaint typed in the DM (typed answers work as well as buttons)."""
    fake = bot.fake
    dm = fake.dm_of(user)
    start = await fake.slash(
        "complain", user, options=[{"name": "problem", "type": 3, "value": "卡密用不了"}]
    )
    assert "订单号" in (await fake.callback(start)).body["data"]["content"]
    answers = ["DD2026112000002", "刚才", "卡密显示已被使用", "跳过", "确认"]
    sent = 0
    for answer in answers:
        await fake.message(user, answer)
        sent += 1 if answer != "DD2026112000002" else 2  # order found + next question
        await fake.wait_for("POST", f"/channels/{dm}/messages", count=sent)


async def test_ticket_thread_claim_reply_in_thread_and_a_screenshot_back(
    discord_bot: BotFactory,
) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        user = fake.add_member("buyer", "买家小李")
        agent = fake.add_member("agent", "客服阿杰", moderator=True)  # staff channel's admin
        await file_complaint(bot, user)

        card = await fake.wait_for("POST", f"/channels/{fake.staff_id}/messages")
        assert "新工单" in card.body["content"]
        opened = await fake.wait_for("POST", f"/channels/{fake.staff_id}/messages/")
        assert opened.path.endswith("/threads")
        ticket_no = opened.body["name"]
        assert ticket_no.startswith("T-")
        (thread_id,) = fake.threads

        # Claim from the card: answered in the staff channel for colleagues to see.
        card_message = next(m for m in fake.messages.values() if "新工单" in m["content"])
        click = await fake.click(agent, card_message, f"staff:claim:{ticket_no}")
        claimed = (await fake.callback(click)).body["data"]
        assert "已由" in claimed["content"]
        assert not claimed.get("flags", 0) & 64

        # A staff message inside the ticket's thread is a reply to the user.
        dm = fake.dm_of(user)
        before = len(fake.find("POST", f"/channels/{dm}/messages"))
        await fake.message(agent, "请提供一下截图", channel_id=thread_id)
        to_user = await fake.wait_for(
            "POST",
            f"/channels/{dm}/messages",
            where=lambda c: "请提供一下截图" in c.body["content"],
        )
        assert "星河卡盟客服" in to_user.body["content"]
        assert len(fake.find("POST", f"/channels/{dm}/messages")) > before

        # The user's screenshot goes back into the thread, re-uploaded as a file.
        shot = fake.add_file("screen.png", b"\x89PNG fake screenshot")
        await fake.message(user, "这是截图", attachments=[shot])
        relayed = await fake.wait_for(
            "POST",
            f"/channels/{thread_id}/messages",
            where=lambda c: "这是截图" in c.body["content"],
        )
        assert [f["filename"] for f in relayed.body["_files"]] == ["screen.png"]
        assert relayed.body["_files"][0]["data"] == b"\x89PNG fake screenshot"
        assert buttons_of(card.body)  # the card kept its desk buttons


async def test_a_member_pressing_card_buttons_is_refused_only_to_them(
    discord_bot: BotFactory,
) -> None:
    """A member who can see the staff channel presses the card's buttons or types /claim
    there: each refusal is the interaction's ephemeral answer (flag 64); nothing is posted in
    the channel for everyone, and the ticket stays unclaimed."""
    async with discord_bot() as bot:
        fake = bot.fake
        user = fake.add_member("buyer", "买家小李")
        nosy = fake.add_member("nosy", "路人甲")
        await file_complaint(bot, user)
        card = await fake.wait_for("POST", f"/channels/{fake.staff_id}/messages")
        ticket_no = (await fake.wait_for("POST", f"/channels/{fake.staff_id}/messages/")).body[
            "name"
        ]
        card_message = next(m for m in fake.messages.values() if "新工单" in m["content"])
        posted_before = len(fake.find("POST", f"/channels/{fake.staff_id}/messages"))
        visible_before = {key for key, m in fake.messages.items() if not m.get("flags", 0) & 64}
        for verb in ("claim", "reply", "close", "escalate"):
            click = await fake.click(nosy, card_message, f"staff:{verb}:{ticket_no}")
            answer = (await fake.callback(click)).body
            assert answer["type"] == 4, (verb, answer)
            assert f"/{verb} 仅限客服人员" in answer["data"]["content"]
            assert answer["data"]["flags"] & 64, (verb, answer)  # only the presser sees it
        command = await fake.slash(
            "claim",
            nosy,
            options=[{"name": "ticket_no", "type": 3, "value": ticket_no}],
            channel_id=fake.staff_id,
        )
        refused = (await fake.callback(command)).body
        assert refused["data"]["flags"] & 64, refused
        assert len(fake.find("POST", f"/channels/{fake.staff_id}/messages")) == posted_before
        visible_now = {key for key, m in fake.messages.items() if not m.get("flags", 0) & 64}
        assert visible_now == visible_before  # no public message anywhere
        assert buttons_of(card.body)
