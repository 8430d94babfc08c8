"""Request signing for the shop HTTP API (see ``openapi.yaml``, "Authentication").

Every request carries ``X-Api-Key``, ``X-Timestamp`` (Unix seconds) and ``X-Signature``:
the lower-case hex HMAC-SHA256, keyed with the shared secret, of::

    timestamp + "\\n" + METHOD + "\\n" + path_with_query + "\\n" + hex(sha256(body))

``path_with_query`` is the request target exactly as sent on the wire (percent-encoded,
including any path prefix of the base URL, e.g. ``/api/v1/orders/DD2026112000001``); the
body hash of an empty body is the SHA-256 of zero bytes.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER_API_KEY = "X-Api-Key"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_SIGNATURE = "X-Signature"
HEADER_IDEMPOTENCY = "Idempotency-Key"

# Servers should refuse timestamps further than this from their own clock (replay window).
MAX_SKEW_SECONDS = 300


def canonical_string(timestamp: str, method: str, path_with_query: str, body: bytes) -> str:
    body_hash = hashlib.sha256(body).hexdigest()
    return f"{timestamp}\n{method.upper()}\n{path_with_query}\n{body_hash}"


def sign(secret: str, timestamp: str, method: str, path_with_query: str, body: bytes) -> str:
    message = canonical_string(timestamp, method, path_with_query, body).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    *, api_key: str, secret: str, timestamp: int, method: str, path_with_query: str, body: bytes
) -> dict[str, str]:
    """The three authentication headers of one request."""
    ts = str(timestamp)
    return {
        HEADER_API_KEY: api_key,
        HEADER_TIMESTAMP: ts,
        HEADER_SIGNATURE: sign(secret, ts, method, path_with_query, body),
    }
