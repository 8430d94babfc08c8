"""/verify over the Feishu wire (issue 20, finding 7): the official Feishu account is judged by
its open_id, whether a buyer pastes the id that /support printed or @mentions the account in
a group; its display name alone is answered with "a name is no proof"."""

from __future__ import annotations

import re
from typing import Any

from tests.feishu.callbacks import bot_mention, message_event
from tests.feishu.conftest import ALICE, GROUP, Feishu

OFFICIAL = "ou_7d8a6e6df7621556ce0d21922b676706"  # config.toml's Feishu account
OFFICIAL_NAME = "星河卡盟售后"
IMPOSTOR = "ou_impostor00000000000000000000000e"


def _mention(key: str, open_id: str, name: str) -> dict[str, object]:
    return {"key": key, "id": {"open_id": open_id, "union_id": "on_x"}, "name": name}


async def _say(feishu: Feishu, text: str, **options: Any) -> str:
    calls = await feishu.exchange(message_event(ALICE, {"text": text}, **options))
    return "\n".join(c.text for c in calls)


async def test_the_id_support_prints_passes_verify(feishu: Feishu) -> None:
    support = await _say(feishu, "/support")
    [shown] = re.findall(r"open_id (ou_[0-9a-f]+)", support)
    assert shown == OFFICIAL and OFFICIAL_NAME not in support
    reply = await _say(feishu, f"/verify {shown}")
    assert reply.startswith("✅") and "飞书售后账号" in reply
    assert OFFICIAL in reply and "****" not in reply


async def test_a_mention_of_the_official_account_passes_and_a_copycat_fails(
    feishu: Feishu,
) -> None:
    real = await _say(
        feishu,
        "@_user_1 /verify @_user_2",
        chat_id=GROUP,
        mentions=[bot_mention(), _mention("@_user_2", OFFICIAL, OFFICIAL_NAME)],
    )
    assert real.startswith("✅") and OFFICIAL in real
    # Same display name, another open_id: the name proves nothing.
    copy = await _say(
        feishu,
        "@_user_1 /verify @_user_2",
        chat_id=GROUP,
        mentions=[bot_mention(), _mention("@_user_2", IMPOSTOR, OFFICIAL_NAME)],
    )
    assert copy.startswith("❌") and f"open_id {OFFICIAL}" in copy


async def test_the_display_name_alone_is_no_proof(feishu: Feishu) -> None:
    reply = await _say(feishu, f"/verify {OFFICIAL_NAME}")
    assert reply.startswith("❌") and "名字谁都可以改" in reply and "不能证明身份" in reply
    assert f"open_id {OFFICIAL}" in reply and "资料卡" in reply
    assert f"feishu:{OFFICIAL_NAME}" not in reply
