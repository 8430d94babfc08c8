"""The long-lived collaborators handlers use, bundled once by the composition root."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field

from core.clock import Clock, SystemClock
from core.config import Config
from core.ports import ChannelPort
from core.storage.database import Database
from core.texts import Texts


@dataclass
class Services:
    config: Config
    db: Database
    texts: Texts
    clock: Clock = field(default_factory=SystemClock)
    # Registered by the adapters as they start; used for admin checks and proactive sends.
    channels: MutableMapping[str, ChannelPort] = field(default_factory=dict)
