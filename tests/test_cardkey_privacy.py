"""Card keys in other spellings, end to end through the engine with the demo shop: removed
from groups, never shown or stored in full, looked up in their canonical form; game ids,
links and order numbers in a group are left alone."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS
from bots.app import App
from core.cardkeys import fold
from core.masking import card_key_detector, mask_sensitive, use_card_key_detector
from core.model import Action, DeleteMessage, NotifyStaff, SendPrivate
from core.shop import CardKeyInfo
from core.tickets import service as tickets
from tests.conftest import AppFactory
from tests.helpers import ALICE, GROUP, RecordingChannel, event, texts

UNUSED = DEMO_CARD_KEYS["unused"]  # XH7K-9P2M-4Q8R-1T6W
USED = DEMO_CARD_KEYS["used"]
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})

SPELLINGS = {
    "spaces": lambda key: key.replace("-", " "),
    "full width": lambda key: key.translate(FULL_WIDTH),
    "underscores": lambda key: key.replace("-", "_").lower(),
    "none": lambda key: key.replace("-", ""),
}


def exposes(text: str, key: str) -> bool:
    """Whether ``text`` still spells ``key`` in full, in any spelling."""
    return key.replace("-", "") in re.sub(r"[^A-Z0-9]", "", fold(text).upper())


def deleted(actions: list[Action], message_id: str) -> bool:
    return any(isinstance(a, DeleteMessage) and a.message_id == message_id for a in actions)


@pytest.fixture(autouse=True)
def restore_detector() -> Iterator[None]:
    before = card_key_detector()
    yield
    use_card_key_detector(before)


@pytest.mark.parametrize("spelling", list(SPELLINGS))
async def test_a_key_in_another_spelling_is_removed_from_the_group(app: App, spelling: str) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    written = SPELLINGS[spelling](UNUSED)
    actions = await app.engine.handle(
        event(f"我的卡密 {written} 用不了", chat=GROUP, message_id="77")
    )
    assert deleted(actions, "77")
    assert "已删除" in texts(actions)
    assert not exposes(texts(actions), UNUSED)


@pytest.mark.parametrize(
    "text",
    [
        "我的游戏ID是1234567890123，怎么绑定",
        "教程看这个 https://www.bilibili.com/video/BV1GJ411x7h7",
        f"订单号 {DEMO_ORDER_NOS['delivered_card']}",
        "订单 DD20261120000012 还没发货",
        "加我QQ 1234567890",
    ],
)
async def test_ids_links_and_order_numbers_stay_in_the_group(app: App, text: str) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    actions = await app.engine.handle(event(text, chat=GROUP, message_id="88"))
    assert not deleted(actions, "88")
    assert "已删除" not in texts(actions)


@pytest.mark.parametrize("spelling", list(SPELLINGS))
async def test_card_lookup_accepts_any_spelling(
    app: App, spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    backend = app.services.shop.inner  # type: ignore[attr-defined]  # behind GuardedShop
    get_card = backend.get_card

    async def recording_get_card(key: str) -> CardKeyInfo | None:
        asked.append(key)
        return await get_card(key)

    monkeypatch.setattr(backend, "get_card", recording_get_card)
    reply = texts(await app.engine.handle(event(f"/card {SPELLINGS[spelling](UNUSED)}")))
    assert asked == [UNUSED]  # the shop is asked for the canonical form
    assert "未使用" in reply and "XH7K" in reply
    assert not exposes(reply, UNUSED)


async def test_card_lookup_in_a_group_deletes_the_spaced_key_and_answers_in_private(
    app: App,
) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    command = f"/card {UNUSED.replace('-', ' ')}"
    actions = await app.engine.handle(event(command, chat=GROUP, message_id="78"))
    assert deleted(actions, "78")
    private = [a for a in actions if isinstance(a, SendPrivate)]
    assert private and "未使用" in private[0].text
    assert not exposes(texts(actions), UNUSED)


async def test_card_lookup_in_a_group_deletes_a_key_of_an_unlisted_format_too(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    actions = await app.engine.handle(event("/card AB12CD34EF56", chat=GROUP, message_id="79"))
    assert deleted(actions, "79")
    assert "AB12CD34EF56" not in texts(actions)


@pytest.mark.parametrize("spelling", ["spaces", "full width", "underscores"])
async def test_a_key_typed_into_a_complaint_reaches_no_reply_staff_card_or_ticket(
    app: App, spelling: str
) -> None:
    written = SPELLINGS[spelling](USED)
    answers = (
        "/complain",
        "1",
        DEMO_ORDER_NOS["delivered_card_used"],
        "刚才",
        f"提示卡密 {written} 已被使用",
        "跳过",
        "确认",
    )
    actions: list[Action] = []
    for answer in answers:
        actions += await app.engine.handle(event(answer))
    assert not exposes(texts(actions), USED)
    assert any(isinstance(a, NotifyStaff) for a in actions)  # the staff card was checked too
    async with app.db.transaction() as session:
        [ticket] = await tickets.list_for_user(session, ALICE.key)
    for stored in (str(ticket.fields), str(ticket.transcript), ticket.summary):
        assert not exposes(stored, USED)


async def test_the_app_installs_its_formats_for_logs(app_factory: AppFactory) -> None:
    app = await app_factory(self_service={"card_key_formats": ["GC-####-XXXX-XXXX"]})
    assert card_key_detector() is app.services.card_keys
    assert mask_sensitive("礼品卡 gc_2026_ab12_cd34 无效") == "礼品卡 GC-2****34 无效"
