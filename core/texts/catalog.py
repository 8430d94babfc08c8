"""The shape of a message catalogue: key → locale → template."""

from __future__ import annotations

from collections.abc import Mapping

Catalog = Mapping[str, Mapping[str, str]]
