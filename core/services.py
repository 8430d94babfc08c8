"""The long-lived collaborators handlers use, bundled once by the composition root."""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from core.binding import ButtonBinder
from core.cardkeys import CardKeyDetector
from core.clock import Clock, SystemClock
from core.config import Config
from core.faq.hours import hours_values
from core.faq.knowledge import KnowledgeBase
from core.group_throttle import GroupThrottle
from core.guard.matcher import NameGuard
from core.metrics import Metrics
from core.nlu.classifier import IntentClassifier
from core.ports import ChannelPort
from core.shop import ShopPort
from core.staff.threads import TicketThreads
from core.storage.database import Database
from core.texts import Texts


@dataclass
class Services:
    config: Config
    db: Database
    texts: Texts
    shop: ShopPort
    clock: Clock = field(default_factory=SystemClock)
    metrics: Metrics = field(default_factory=Metrics)
    # Registered by the adapters as they start; used for admin checks and proactive sends.
    channels: MutableMapping[str, ChannelPort] = field(default_factory=dict)
    # Binds personal buttons to their user; the composition root passes the installation's
    # key (kept in the database, shared by every process); the default key is this process's.
    binder: ButtonBinder = field(default_factory=lambda: ButtonBinder(secrets.token_bytes(32)))

    @cached_property
    def classifier(self) -> IntentClassifier:
        """The intent classifier (the shipped model, loaded once per process)."""
        return IntentClassifier.default()

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        """FAQ answers: the shipped defaults plus ``faq.files`` from the config, with the
        support hours (``sla.business_hours``) filled in."""
        faq = self.config.faq
        values = hours_values(self.config.sla, self.texts)
        return KnowledgeBase.load(faq.files, replace=faq.replace_default, values=values)

    @cached_property
    def group_throttle(self) -> GroupThrottle:
        faq = self.config.faq
        return GroupThrottle(
            user_cooldown=timedelta(minutes=faq.group_user_cooldown_minutes),
            topic_cooldown=timedelta(seconds=faq.group_topic_cooldown_seconds),
        )

    @cached_property
    def threads(self) -> TicketThreads:
        """Ticket ↔ staff-chat thread mapping, for adapters that open one thread per ticket."""
        return TicketThreads(self.db, self.clock)

    @cached_property
    def card_keys(self) -> CardKeyDetector:
        """Card keys of the shop's formats, in any spelling (also installed for logs)."""
        return CardKeyDetector(
            self.config.self_service.card_key_formats,
            order_pattern=self.config.shop.order_pattern,
        )

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
