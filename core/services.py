"""The long-lived collaborators handlers use, bundled once by the composition root."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from functools import cached_property

from core.clock import Clock, SystemClock
from core.config import Config
from core.guard.matcher import NameGuard
from core.ports import ChannelPort
from core.shop import ShopPort
from core.storage.database import Database
from core.texts import Texts


@dataclass
class Services:
    config: Config
    db: Database
    texts: Texts
    shop: ShopPort
    clock: Clock = field(default_factory=SystemClock)
    # Registered by the adapters as they start; used for admin checks and proactive sends.
    channels: MutableMapping[str, ChannelPort] = field(default_factory=dict)

    @cached_property
    def name_guard(self) -> NameGuard:
        """The impostor-name matcher for this config (built once, on first use)."""
        return NameGuard(
            brand=self.config.brand.name,
            official_accounts=self.config.official.accounts,
            role_words=self.config.guard.role_words,
        )

    def official_account(self, platform: str, user_id: str) -> bool:
        return any(
            a.platform == platform and a.user_id == user_id for a in self.config.official.accounts
        )
