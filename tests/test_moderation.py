"""Impostor guard in the engine: /flag /unflag /flags, join and rename checks, flags across
groups, unofficial-contact warnings. Through neutral events on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bots.app import App
from core.clock import FakeClock
from core.model import Chat, DeleteMessage, Event, EventKind, NotifyStaff, Reply, RestrictUser, User
from core.moderation import cases
from tests.conftest import AppFactory
from tests.helpers import GROUP, RecordingChannel, event, texts

MOD = User(platform="telegram", id="900", display_name="群主老王", username="laowang")
MEMBER = User(platform="telegram", id="901", display_name="路人甲", username="passerby")
SCAMMER = User(platform="telegram", id="666", display_name="小李", username="xiaoli_88")
OTHER_GROUP = Chat(platform="telegram", id="-100999", is_private=False, title="星河卡盟二群")


@pytest.fixture
async def guarded(app_factory: AppFactory) -> App:
    """An app whose Telegram channel says MOD administers every group."""
    app: App = await app_factory(
        moderation={"alert_chats": ["telegram:-100777"], "flag_limit": 50},
        guard={"action": "restrict"},
    )
    app.services.channels["telegram"] = RecordingChannel(admins=frozenset({MOD.id}))
    return app


def join(user: User, chat: Chat = GROUP) -> Event:
    return Event(
        kind=EventKind.MEMBER_JOINED,
        event_id=f"join-{user.id}-{chat.id}-{user.display_name}",
        user=user,
        chat=chat,
    )


async def test_non_moderator_is_refused_and_nothing_changes(guarded: App) -> None:
    await guarded.engine.handle(event("大家好", user=SCAMMER, chat=GROUP))
    reply = texts(
        await guarded.engine.handle(event("/flag @xiaoli_88 冒充客服", user=MEMBER, chat=GROUP))
    )
    assert "只有本群管理员" in reply
    async with guarded.db.transaction() as session:
        assert await cases.active_flag(session, SCAMMER.key) is None


async def test_flag_by_reply_needs_a_reason_and_is_audited(guarded: App, clock: FakeClock) -> None:
    base = {
        "user": MOD,
        "chat": GROUP,
        "reply_to_user": SCAMMER,
        "reply_to_message_id": "42",
        "reply_to_text": "加我QQ 12345678 给你退款",
    }
    assert "请写明原因" in texts(await guarded.engine.handle(event("/flag", **base)))
    actions = await guarded.engine.handle(event("/flag 冒充客服骗卡密", **base))
    assert "已将小李（Telegram @xiaoli_88）标记为冒充者" in texts(actions)
    assert any(isinstance(a, RestrictUser) and a.user.id == SCAMMER.id for a in actions)
    async with guarded.db.transaction() as session:
        flagged = await cases.active_flag(session, SCAMMER.key, GROUP.community_key)
        assert flagged is not None and flagged.target_name == "小李"
        assert flagged.scope == GROUP.community_key  # an admin's flag holds in their group
        rows, total = await cases.list_flags(session, page=1, per_page=10)
    [(_row, case)] = rows
    assert total == 1 and case.actor_key == MOD.key and case.reason == "冒充客服骗卡密"
    assert case.evidence_message_id == "42" and "12345678" in case.evidence_text
    assert case.created_at == clock.now()


async def test_a_global_moderators_flag_applies_in_another_group(guarded: App) -> None:
    guarded.services.config.moderation.moderators.append(MEMBER.key)
    await guarded.engine.handle(
        event("/flag 冒充客服", user=MEMBER, chat=GROUP, reply_to_user=SCAMMER)
    )
    actions = await guarded.engine.handle(join(SCAMMER, OTHER_GROUP))
    warning = [a for a in actions if isinstance(a, Reply)]
    assert (
        warning and warning[0].chat == OTHER_GROUP and "不是星河卡盟的官方账号" in warning[0].text
    )
    assert "@xinghe_support" in warning[0].text
    assert any(isinstance(a, RestrictUser) and a.chat == OTHER_GROUP for a in actions)
    alerts = [a for a in actions if isinstance(a, NotifyStaff)]
    assert alerts and alerts[0].destination == "telegram:-100777" and "案件 #" in alerts[0].text


async def test_flag_by_handle_again_appends_a_note_and_unflag_records_a_case(guarded: App) -> None:
    await guarded.engine.handle(event("在吗", user=SCAMMER, chat=GROUP))
    assert "标记为冒充者" in texts(
        await guarded.engine.handle(event("/flag @XiaoLi_88 冒充", user=MOD, chat=GROUP))
    )
    again = texts(
        await guarded.engine.handle(event("/flag @xiaoli_88 又在私聊骗人", user=MOD, chat=GROUP))
    )
    assert "已被标记" in again and "备注" in again
    assert "需要写明" not in texts(
        await guarded.engine.handle(event("/unflag @xiaoli_88", user=MOD, chat=GROUP))
    )
    done = texts(
        await guarded.engine.handle(event("/unflag @xiaoli_88 误判", user=MOD, chat=GROUP))
    )
    assert "已取消对" in done
    async with guarded.db.transaction() as session:
        assert await cases.active_flag(session, SCAMMER.key, GROUP.community_key) is None
        _rows, total = await cases.list_flags(session, page=1, per_page=10)
    assert total == 0


async def test_official_accounts_cannot_be_flagged(guarded: App) -> None:
    official = User(
        platform="telegram", id="100001", display_name="星河卡盟官方客服", username="xinghe_support"
    )
    reply = texts(
        await guarded.engine.handle(
            event("/flag 测试", user=MOD, chat=GROUP, reply_to_user=official)
        )
    )
    assert "官方账号" in reply and "不能标记" in reply


async def test_flags_list_is_paged_and_moderator_only(guarded: App) -> None:
    for i in range(12):
        target = User(platform="discord", id=str(7000 + i), display_name=f"骗子{i}")
        await guarded.engine.handle(
            event(f"/flag 刷单{i}", user=MOD, chat=GROUP, reply_to_user=target)
        )
    assert "只有本群管理员" in texts(
        await guarded.engine.handle(event("/flags", user=MEMBER, chat=GROUP))
    )
    [page1] = await guarded.engine.handle(event("/flags", user=MOD, chat=GROUP))
    assert isinstance(page1, Reply) and "共 12 个，第 1/2 页" in page1.text
    assert page1.text.count("\n#") == 10
    [[next_button]] = page1.buttons
    page2 = Event(
        kind=EventKind.BUTTON,
        event_id="flags-p2",
        user=MOD,
        chat=GROUP,
        payload=next_button.payload,
    )
    assert "第 2/2 页" in texts(await guarded.engine.handle(page2))


async def test_flagging_is_rate_limited_per_moderator(
    app_factory: AppFactory, clock: FakeClock
) -> None:
    app = await app_factory(moderation={"flag_limit": 2, "flag_window_minutes": 10})
    app.services.channels["telegram"] = RecordingChannel(admins=frozenset({MOD.id}))
    for i in range(2):
        target = User(platform="telegram", id=str(8000 + i))
        await app.engine.handle(event("/flag 骗子", user=MOD, chat=GROUP, reply_to_user=target))
    third = User(platform="telegram", id="8002")
    assert "太频繁" in texts(
        await app.engine.handle(event("/flag 骗子", user=MOD, chat=GROUP, reply_to_user=third))
    )
    clock.advance(timedelta(minutes=11))
    assert "标记为冒充者" in texts(
        await app.engine.handle(event("/flag 骗子", user=MOD, chat=GROUP, reply_to_user=third))
    )


async def test_configured_moderator_works_in_private_too(app_factory: AppFactory) -> None:
    app = await app_factory(moderation={"moderators": ["telegram:901"]})
    reply = texts(await app.engine.handle(event("/flag 冒充", user=MEMBER, reply_to_user=SCAMMER)))
    assert "标记为冒充者" in reply


@pytest.mark.parametrize(
    "name", ["星河卡盟官方客服\u200b", "星河卡盟官方客服", "官方客服", "星河售后-小雅"]
)
async def test_impostor_name_on_join_is_reported_and_restricted(guarded: App, name: str) -> None:
    impostor = User(platform="telegram", id="31337", display_name=name)
    actions = await guarded.engine.handle(join(impostor))
    assert any(isinstance(a, Reply) and "不是星河卡盟的官方账号" in a.text for a in actions)
    assert any(isinstance(a, RestrictUser) for a in actions)
    assert any(isinstance(a, NotifyStaff) for a in actions)


async def test_benign_names_and_the_real_account_pass(guarded: App) -> None:
    real = User(
        platform="telegram", id="100001", display_name="星河卡盟官方客服", username="xinghe_support"
    )
    fan = User(platform="telegram", id="4242", display_name="星河老玩家")
    assert await guarded.engine.handle(join(real)) == []
    assert await guarded.engine.handle(join(fan)) == []


async def test_rename_seen_on_a_later_message_is_checked(guarded: App) -> None:
    user = User(platform="telegram", id="5151", display_name="阿明")
    assert await guarded.engine.handle(event("今晚开黑吗", user=user, chat=GROUP)) == []
    renamed = User(platform="telegram", id="5151", display_name="星河卡盟官方客服")
    actions = await guarded.engine.handle(event("有问题私聊我", user=renamed, chat=GROUP))
    assert any(isinstance(a, Reply) and "不是星河卡盟的官方账号" in a.text for a in actions)


async def test_unofficial_contact_with_refund_wording_is_warned(app_factory: AppFactory) -> None:
    app = await app_factory(guard={"delete_unofficial_contacts": True})
    app.services.channels["telegram"] = RecordingChannel()
    await app.engine.handle(event("hi", user=MEMBER, chat=GROUP))
    actions = await app.engine.handle(
        event("退款请加客服QQ 87654321", user=MEMBER, chat=GROUP, message_id="9")
    )
    assert "不是星河卡盟官方渠道" in texts(actions)
    assert any(isinstance(a, DeleteMessage) and a.message_id == "9" for a in actions)
    # The official phone number with support wording is fine.
    official = await app.engine.handle(event("官方客服电话 400-800-1234", user=MEMBER, chat=GROUP))
    assert "不是星河卡盟官方渠道" not in texts(official)
    assert not any(isinstance(a, DeleteMessage) for a in official)
    # A contact without support wording is ordinary chat.
    assert await app.engine.handle(event("我QQ 87654321 一起开黑", user=MEMBER, chat=GROUP)) == []


async def test_staff_members_are_not_taken_for_impostors(app_factory: AppFactory) -> None:
    staffer = User(platform="telegram", id="7070", display_name="星河卡盟客服-小雅")
    app = await app_factory(
        moderation={"alert_chats": ["telegram:-100777"]},
        guard={"action": "restrict", "delete_unofficial_contacts": True},
        staff={"members": ["telegram:7070"]},
    )
    app.services.channels["telegram"] = RecordingChannel()
    assert await app.engine.handle(join(staffer)) == []
    # A contact they post with support wording is not warned about or deleted either.
    post = event("退款请加客服QQ 87654321", user=staffer, chat=GROUP, message_id="5")
    assert await app.engine.handle(post) == []
    # The same name on someone else is still an impostor.
    lookalike = User(platform="telegram", id="7071", display_name="星河卡盟客服-小雅")
    actions = await app.engine.handle(join(lookalike))
    assert any(isinstance(a, RestrictUser) for a in actions)


async def test_a_flagged_staff_member_is_still_warned_about(guarded: App) -> None:
    app = guarded
    app.services.config.staff.members.append("telegram:7070")
    staffer = User(platform="telegram", id="7070", display_name="小雅")
    await app.engine.handle(event("/flag 冒充", user=MOD, chat=GROUP, reply_to_user=staffer))
    actions = await app.engine.handle(join(staffer, GROUP))
    assert any(isinstance(a, Reply) and "不是星河卡盟的官方账号" in a.text for a in actions)
