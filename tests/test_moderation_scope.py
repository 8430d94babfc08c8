"""Issue 20, findings 1 and 6, played as the attacker: a stranger who adds the bot to a group
of their own, one community's admin against another's, and an impostor who keeps posting.

Two served communities (``GROUP``, ``SECOND``) and a stranger's group (``STRANGER``) the bot
does not serve; every admin check goes through the channel, as an adapter's would.
"""

from __future__ import annotations

import pytest

from bots.app import App
from core.model import Chat, DeleteMessage, Event, EventKind, NotifyStaff, Reply, RestrictUser, User
from core.moderation import cases
from tests.conftest import AppFactory
from tests.helpers import GROUP, RecordingChannel, event, texts

SECOND = Chat(platform="telegram", id="-100999", is_private=False, title="星河卡盟二群")
STRANGER = Chat(platform="telegram", id="-100666", is_private=False, title="路人自建群")

OWNER = User(platform="telegram", id="900", display_name="群主老王", username="laowang")
SECOND_ADMIN = User(platform="telegram", id="902", display_name="二群管理", username="second")
EVE = User(platform="telegram", id="6660", display_name="Eve", username="eve_admin")
GLOBAL_MOD = User(platform="telegram", id="903", display_name="总版主", username="chief")
BUYER = User(platform="telegram", id="777", display_name="买家小张", username="zhang")
SCAMMER = User(platform="telegram", id="666", display_name="小李", username="xiaoli_88")

WARNING = "不是星河卡盟的官方账号"


class PerChatAdmins(RecordingChannel):
    """Each admin administers only their own group (the stranger owns theirs)."""

    ADMINS = frozenset(
        {
            (GROUP.id, OWNER.id),
            (SECOND.id, SECOND_ADMIN.id),
            (STRANGER.id, EVE.id),
        }
    )

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        return (chat.id, user.id) in self.ADMINS


@pytest.fixture
async def world(app_factory: AppFactory) -> App:
    app: App = await app_factory(
        moderation={
            "moderators": [GLOBAL_MOD.key],
            "alert_chats": ["telegram:-100777"],
            "flag_limit": 50,
        },
        guard={"action": "restrict"},
    )
    app.services.channels["telegram"] = PerChatAdmins()
    for user in (BUYER, SCAMMER):
        await app.engine.handle(event("大家好", user=user, chat=GROUP))
    return app


def join(user: User, chat: Chat) -> Event:
    return Event(
        kind=EventKind.MEMBER_JOINED, event_id=f"join-{user.id}-{chat.id}", user=user, chat=chat
    )


async def flag_rows(app: App, user: User) -> list[str]:
    async with app.db.transaction() as session:
        rows, _total = await cases.list_flags(session, page=1, per_page=50)
    return sorted(row.scope for row, _case in rows if row.target_key == user.key)


async def test_a_strangers_group_admin_cannot_flag_unflag_or_list(world: App) -> None:
    await world.engine.handle(
        event("/flag 真骗子", user=GLOBAL_MOD, chat=GROUP, reply_to_user=SCAMMER)
    )
    for command in ("/flag @zhang 骗子", "/unflag @xiaoli_88 误判", "/flags"):
        reply = texts(await world.engine.handle(event(command, user=EVE, chat=STRANGER)))
        assert "没有把本群列为它服务的社区" in reply
        assert "小李" not in reply and "真骗子" not in reply
    assert await flag_rows(world, BUYER) == []
    assert await flag_rows(world, SCAMMER) == ["*"]
    # The buyer rejoins the real group: nothing happens to them.
    actions = await world.engine.handle(join(BUYER, GROUP))
    assert not any(isinstance(a, RestrictUser) for a in actions)
    assert WARNING not in texts(actions)


async def test_a_communitys_flag_applies_there_only(world: App) -> None:
    reply = texts(
        await world.engine.handle(
            event("/flag 冒充客服", user=OWNER, chat=GROUP, reply_to_user=SCAMMER)
        )
    )
    assert "只在本社区生效" in reply
    assert await flag_rows(world, SCAMMER) == [GROUP.community_key]
    here = await world.engine.handle(join(SCAMMER, GROUP))
    assert WARNING in texts(here) and any(isinstance(a, RestrictUser) for a in here)
    there = await world.engine.handle(join(SCAMMER, SECOND))
    assert WARNING not in texts(there) and not any(isinstance(a, RestrictUser) for a in there)


async def test_no_community_lifts_another_communitys_or_a_global_flag(world: App) -> None:
    await world.engine.handle(event("/flag 冒充", user=OWNER, chat=GROUP, reply_to_user=SCAMMER))
    reply = texts(
        await world.engine.handle(event("/unflag @xiaoli_88 误判", user=SECOND_ADMIN, chat=SECOND))
    )
    assert "当前没有被标记" in reply
    assert await flag_rows(world, SCAMMER) == [GROUP.community_key]

    await world.engine.handle(
        event("/flag 骗卡密", user=GLOBAL_MOD, chat=GROUP, reply_to_user=SCAMMER)
    )
    refused = texts(
        await world.engine.handle(event("/unflag @xiaoli_88 误判", user=SECOND_ADMIN, chat=SECOND))
    )
    assert "全局版主" in refused and "不能撤销" in refused
    # The owner lifts their own community's flag; the global one stays.
    done = texts(
        await world.engine.handle(event("/unflag @xiaoli_88 和解", user=OWNER, chat=GROUP))
    )
    assert "已取消" in done
    assert await flag_rows(world, SCAMMER) == ["*"]
    # The global moderator lifts everything.
    await world.engine.handle(event("/flag 又来", user=OWNER, chat=GROUP, reply_to_user=SCAMMER))
    await world.engine.handle(event("/unflag @xiaoli_88 查清了", user=GLOBAL_MOD, chat=GROUP))
    assert await flag_rows(world, SCAMMER) == []


async def test_flags_lists_only_what_applies_where_it_is_asked(world: App) -> None:
    only_second = User(platform="telegram", id="4001", display_name="二群骗子")
    everywhere = User(platform="telegram", id="4002", display_name="全网骗子")
    await world.engine.handle(
        event("/flag 二群的事", user=SECOND_ADMIN, chat=SECOND, reply_to_user=only_second)
    )
    await world.engine.handle(
        event("/flag 全网通报", user=GLOBAL_MOD, chat=GROUP, reply_to_user=everywhere)
    )
    owner_view = texts(await world.engine.handle(event("/flags", user=OWNER, chat=GROUP)))
    assert (
        "全网骗子" in owner_view and "二群骗子" not in owner_view and "二群的事" not in owner_view
    )
    second_view = texts(await world.engine.handle(event("/flags", user=SECOND_ADMIN, chat=SECOND)))
    assert "全网骗子" in second_view and "二群骗子" in second_view
    chief_view = texts(await world.engine.handle(event("/flags", user=GLOBAL_MOD)))
    assert "全网骗子" in chief_view and "二群骗子" in chief_view


@pytest.mark.parametrize("page", ["፩", "١", "99999999999999999999", "-1", "1e3"])
async def test_flags_page_argument_never_breaks(world: App, page: str) -> None:
    reply = texts(await world.engine.handle(event(f"/flags {page}", user=GLOBAL_MOD, chat=GROUP)))
    assert "抱歉" not in reply and ("没有被标记" in reply or "第 1/" in reply)


async def test_a_flagged_impostor_is_acted_on_at_every_message(world: App) -> None:
    await world.engine.handle(
        event("/flag 冒充客服", user=OWNER, chat=GROUP, reply_to_user=SCAMMER)
    )
    for n in range(3):
        actions = await world.engine.handle(
            event("需要退款的私聊我", user=SCAMMER, chat=GROUP, message_id=f"m{n}")
        )
        assert any(isinstance(a, DeleteMessage) and a.message_id == f"m{n}" for a in actions)
        assert any(isinstance(a, RestrictUser) and a.user.id == SCAMMER.id for a in actions)
        assert WARNING in texts(actions)


async def test_a_suspect_name_is_reported_once_and_acted_on_every_time(world: App) -> None:
    impostor = User(platform="telegram", id="31337", display_name="星河卡盟官方客服")
    first = await world.engine.handle(
        event("有问题私聊我", user=impostor, chat=GROUP, message_id="a1")
    )
    assert [a for a in first if isinstance(a, NotifyStaff)], "moderators alerted on first sight"
    assert any(isinstance(a, DeleteMessage) for a in first)
    second = await world.engine.handle(
        event("退款找我", user=impostor, chat=GROUP, message_id="a2")
    )
    assert any(isinstance(a, DeleteMessage) and a.message_id == "a2" for a in second)
    assert WARNING in texts(second)
    assert not [a for a in second if isinstance(a, NotifyStaff)], "one case, one alert"


async def test_outside_served_communities_the_bot_warns_but_never_deletes(world: App) -> None:
    impostor = User(platform="telegram", id="31338", display_name="星河卡盟官方客服")
    actions = await world.engine.handle(
        event("有问题私聊我", user=impostor, chat=STRANGER, message_id="s1")
    )
    assert WARNING in texts(actions)
    assert not any(isinstance(a, DeleteMessage | RestrictUser) for a in actions)


async def test_flag_on_an_unseen_handle_is_pending_until_it_shows_up(world: App) -> None:
    reply = texts(
        await world.engine.handle(event("/flag @fake_kefu88 冒充客服", user=OWNER, chat=GROUP))
    )
    assert "还没见过" in reply and "用法" not in reply
    newcomer = User(platform="telegram", id="8088", display_name="小助手", username="Fake_Kefu88")
    actions = await world.engine.handle(join(newcomer, GROUP))
    assert WARNING in texts(actions) and any(isinstance(a, RestrictUser) for a in actions)
    async with world.db.transaction() as session:
        bound = await cases.active_flag(session, newcomer.key, GROUP.community_key)
    assert bound is not None  # the flag follows the account id now, whatever its handle


async def test_flag_on_an_official_handle_says_why_it_is_refused(world: App) -> None:
    reply = texts(
        await world.engine.handle(event("/flag @xinghe_support 冒充", user=OWNER, chat=GROUP))
    )
    assert "官方账号" in reply and "不能标记" in reply


async def test_the_warning_never_repeats_a_name_as_a_link_or_number(world: App) -> None:
    impostor = User(
        platform="telegram",
        id="31339",
        display_name="星河客服 xinghe-kf.com 13812345678 @real_kf",
    )
    actions = await world.engine.handle(join(impostor, GROUP))
    warning = next(a.text for a in actions if isinstance(a, Reply))
    assert WARNING in warning
    for leaked in ("xinghe-kf.com", "13812345678", "@real_kf"):
        assert leaked not in warning


async def test_outside_served_communities_a_flagged_account_is_warned_about_once(
    world: App,
) -> None:
    await world.engine.handle(
        event("/flag 骗卡密", user=GLOBAL_MOD, chat=GROUP, reply_to_user=SCAMMER)
    )
    renamed = User(platform="telegram", id=SCAMMER.id, display_name="小李子", username="xiaoli_88")
    first = await world.engine.handle(event("在吗", user=renamed, chat=STRANGER, message_id="x1"))
    assert WARNING in texts(first)
    again = await world.engine.handle(event("在吗?", user=renamed, chat=STRANGER, message_id="x2"))
    assert WARNING not in texts(again)
    assert not any(isinstance(a, DeleteMessage | RestrictUser) for a in first + again)
