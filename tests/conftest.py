"""Shared fixtures: a config per test, and a real database (SQLite, and PostgreSQL when reachable).

PostgreSQL tests use ``TEST_POSTGRES_URL`` (``.ci/run`` starts a server and sets it). Outside
CI they are skipped, loudly, when it is unset; in CI (``CI=true``) a missing server fails.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bots.app import App, build_app
from core.clock import FakeClock
from core.config import Config, parse_config

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")


# The community groups the test configs serve (moderation.communities): the engine tests'
# group, the Telegram and Feishu fakes' groups and the console's demo group. The Discord
# harness adds its fake server.
TEST_COMMUNITIES = [
    "telegram:-100123",
    "telegram:-100999",
    "telegram:-1001234567890",
    "feishu:oc_group0000000000000000000000000001",
    "console:group",
]


def demo_config_data() -> dict[str, Any]:
    data = tomllib.loads((REPO / "config.toml").read_text(encoding="utf-8"))
    data.setdefault("moderation", {})["communities"] = list(TEST_COMMUNITIES)
    return data


def make_config(db_url: str, **overrides: Any) -> Config:
    data = demo_config_data()
    data["database"] = {"url": db_url}
    for section, values in overrides.items():
        data[section] = {**data.get(section, {}), **values}
    return parse_config(data, source="test-config")


async def _reset_postgres(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL of each backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("CI=true but TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL")
        pytest.skip("PostgreSQL half SKIPPED: set TEST_POSTGRES_URL to run it (see README)")
    await _reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


AppFactory = Callable[..., Any]


@pytest.fixture
async def app_factory(db_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[AppFactory]:
    """Builds apps on the same database, as successive processes would ("restarts").

    The demo shop lives in the test's temporary folder, on either database backend.
    """
    apps: list[App] = []

    async def factory(**overrides: Any) -> App:
        shop = {"demo_data_dir": str(tmp_path), **overrides.pop("shop", {})}
        app = await build_app(make_config(db_url, shop=shop, **overrides), clock=clock)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        await app.close()


@pytest.fixture
async def app(app_factory: AppFactory) -> App:
    result: App = await app_factory()
    return result
