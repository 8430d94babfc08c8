"""The Feishu harness: the real app on SQLite, the adapter on the real ``BotServer`` (port 0),
a fake Feishu OpenAPI, and Feishu's side of the callbacks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from adapters.feishu import FeishuAdapter, create_feishu_adapter
from bots.app import App, build_app
from bots.server import BotServer
from core.clock import FakeClock
from tests.conftest import make_config
from tests.fakes.feishu_api import (
    APP_ID,
    APP_SECRET,
    ENCRYPT_KEY,
    VERIFICATION_TOKEN,
    ApiCall,
    ChatInfo,
    FakeFeishuApi,
)
from tests.feishu.callbacks import FeishuCallbacks

GROUP = "oc_group0000000000000000000000000001"
STAFF = "oc_staff0000000000000000000000000002"
OWNER = "ou_owner000000000000000000000000000a"
MANAGER = "ou_manager0000000000000000000000000b"
ALICE = "ou_alice0000000000000000000000000000c"


@dataclass
class Feishu:
    app: App
    adapter: FeishuAdapter
    api: FakeFeishuApi
    callbacks: FeishuCallbacks
    server: BotServer

    async def post(self, payload: dict[str, Any], **options: Any) -> tuple[int, dict[str, Any]]:
        """Post a callback and wait until the bot has handled it."""
        answer = await self.callbacks.post(payload, **options)
        await self.adapter.drain()
        return answer

    async def exchange(self, payload: dict[str, Any]) -> list[ApiCall]:
        """Post a callback (it must be accepted); the messages the bot sent in answer."""
        before = len(self.api.sends())
        status, _ = await self.post(payload)
        assert status == 200
        return self.api.sends()[before:]


def feishu_config(tmp_path: Path, api_base: str, **overrides: Any) -> Any:
    sections: dict[str, Any] = {
        "shop": {"demo_data_dir": str(tmp_path)},
        "staff": {"chats": []},
        "feishu": {"enabled": True, "api_base": api_base, "staff_chat_id": STAFF},
    }
    for name, values in overrides.items():
        sections[name] = {**sections.get(name, {}), **values}
    return make_config(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", **sections)


@pytest.fixture
def feishu_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEISHU_APP_ID", APP_ID)
    monkeypatch.setenv("FEISHU_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("FEISHU_ENCRYPT_KEY", ENCRYPT_KEY)
    monkeypatch.setenv("FEISHU_VERIFICATION_TOKEN", VERIFICATION_TOKEN)


@pytest.fixture
def guard_action() -> str:
    """Override in a test module (or parametrize indirectly) to change ``guard.action``."""
    return "report"


@pytest.fixture
def feishu_settings() -> dict[str, Any]:
    """Extra ``[feishu]`` keys; a test overrides them with ``parametrize("feishu_settings")``."""
    return {}


@pytest.fixture
async def feishu(
    tmp_path: Path, feishu_env: None, guard_action: str, feishu_settings: dict[str, Any]
) -> AsyncIterator[Feishu]:
    api = FakeFeishuApi()
    await api.start()
    api.chats[GROUP] = ChatInfo(owner=OWNER, managers={MANAGER})
    api.chats[STAFF] = ChatInfo(owner=OWNER, name="售后员工群")
    api.names.update({ALICE: "Alice", OWNER: "群主", MANAGER: "管理员小王"})
    config = feishu_config(
        tmp_path, api.base_url, guard={"action": guard_action}, feishu=feishu_settings
    )
    app = await build_app(config, clock=FakeClock())
    adapter = create_feishu_adapter(config, app.runtime)
    app.services.channels["feishu"] = adapter
    server = BotServer("127.0.0.1", 0, db=app.db, metrics=app.services.metrics, adapters=[adapter])
    await server.start()
    await adapter.start()
    callbacks = FeishuCallbacks(f"http://127.0.0.1:{server.port}/feishu/events")
    try:
        yield Feishu(app=app, adapter=adapter, api=api, callbacks=callbacks, server=server)
    finally:
        await callbacks.close()
        await adapter.stop()
        await server.stop()
        await app.close()
        await api.stop()
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert not leftovers, f"tasks left running: {leftovers}"
