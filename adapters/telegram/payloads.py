"""Button payloads on Telegram: ``callback_data`` (at most 64 bytes) and deep-link payloads.

The engine's payloads are short ("flow:cat:card_invalid", "complain"), so they travel as they
are. A payload that does not fit is kept here and replaced by a short digest; that mapping is
in memory only, so such a button goes stale after a restart (the engine then shows help).
Deep-link payloads may only use ``A-Za-z0-9_-``; others are sent base64url-encoded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import re
from collections import OrderedDict

log = logging.getLogger(__name__)

CALLBACK_DATA_LIMIT = 64  # bytes, Bot API limit
DEEP_LINK_LIMIT = 64  # characters, Bot API limit for /start parameters
_DIGEST_PREFIX = "h:"
_B64_PREFIX = "b64_"
_DEEP_LINK_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class CallbackStore:
    """Fits payloads into ``callback_data`` and maps them back (bounded, in memory)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._long: OrderedDict[str, str] = OrderedDict()

    @staticmethod
    def fits(payload: str) -> bool:
        """True when ``payload`` travels as it is (no in-memory mapping needed)."""
        return len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT and not payload.startswith(
            _DIGEST_PREFIX
        )

    def encode(self, payload: str) -> str:
        if self.fits(payload):
            return payload
        digest = _DIGEST_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]
        if digest not in self._long:
            log.warning(
                "button payload of %d bytes exceeds Telegram's callback_data limit; kept in "
                "memory under %s (it goes stale on restart)",
                len(payload.encode("utf-8")),
                digest,
            )
        self._long[digest] = payload
        self._long.move_to_end(digest)
        while len(self._long) > self._capacity:
            self._long.popitem(last=False)
        return digest

    def decode(self, data: str) -> str:
        """The engine payload for ``data``; "" for a digest this process does not know."""
        if not data.startswith(_DIGEST_PREFIX):
            return data
        return self._long.get(data, "")


def encode_deep_link(payload: str) -> str:
    """A ``/start`` parameter carrying ``payload`` (base64url when it has other characters)."""
    if _DEEP_LINK_SAFE.match(payload) and not payload.startswith(_B64_PREFIX):
        return payload
    encoded = _B64_PREFIX + base64.urlsafe_b64encode(payload.encode("utf-8")).decode().rstrip("=")
    if len(encoded) > DEEP_LINK_LIMIT:
        log.warning("deep-link payload %r is too long for Telegram; the link opens /start", payload)
        return ""
    return encoded


def decode_deep_link(parameter: str) -> str:
    """The payload a ``/start`` parameter carries (the inverse of :func:`encode_deep_link`).

    Anyone can type ``/start b64_<anything>``: a parameter that is not base64url of printable
    UTF-8 text (non-ASCII, bad padding, binary, control characters) is returned unchanged,
    and the engine treats it as an unknown payload (a plain start).
    """
    if not parameter.startswith(_B64_PREFIX):
        return parameter
    body = parameter.removeprefix(_B64_PREFIX)
    try:
        # ValueError too: b64decode refuses non-ASCII text with a plain ValueError.
        decoded = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return parameter
    return decoded if decoded.isprintable() else parameter
