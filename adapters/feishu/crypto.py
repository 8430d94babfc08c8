"""Feishu callback security: AES-256-CBC decryption and the ``X-Lark-Signature`` check.

With an *Encrypt Key* set in the developer console, Feishu posts ``{"encrypt": "<base64>"}``:

* key = SHA-256(encrypt_key) (32 bytes, so AES-256);
* base64-decoded payload = IV (first 16 bytes) + ciphertext, AES-CBC, PKCS#7 padding;
* the plaintext is the JSON event (or the ``url_verification`` challenge).

Every such request is also signed: ``X-Lark-Signature`` = hex SHA-256 of
``X-Lark-Request-Timestamp + X-Lark-Request-Nonce + encrypt_key + raw body``. The timestamp
is signed too, so :func:`timestamp_fresh` can refuse a genuine request replayed later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 16


class DecryptError(ValueError):
    """The ``encrypt`` field is not something our key produced."""


def _aes_key(encrypt_key: str) -> bytes:
    return hashlib.sha256(encrypt_key.encode("utf-8")).digest()


def decrypt(encrypted: str, encrypt_key: str) -> bytes:
    """The plaintext of an ``encrypt`` field; :class:`DecryptError` when it does not decrypt."""
    try:
        raw = base64.b64decode(encrypted, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DecryptError("not base64") from exc
    if len(raw) < 2 * BLOCK or len(raw) % BLOCK:
        raise DecryptError("bad ciphertext length")
    iv, ciphertext = raw[:BLOCK], raw[BLOCK:]
    decryptor = Cipher(algorithms.AES(_aes_key(encrypt_key)), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    pad = padded[-1]
    if not 1 <= pad <= BLOCK or padded[-pad:] != bytes([pad]) * pad:
        raise DecryptError("bad padding (wrong encrypt key?)")
    return padded[:-pad]


def signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    """The ``X-Lark-Signature`` Feishu computes for a request body."""
    digest = hashlib.sha256((timestamp + nonce + encrypt_key).encode("utf-8") + body)
    return digest.hexdigest()


def signature_ok(timestamp: str, nonce: str, given: str, encrypt_key: str, body: bytes) -> bool:
    """Constant-time comparison of the request's signature with the expected one."""
    if not (timestamp and nonce and given):
        return False
    expected = signature(timestamp, nonce, encrypt_key, body)
    return hmac.compare_digest(expected, given.strip().lower())


def timestamp_fresh(timestamp: str, *, now: float, max_skew_seconds: float) -> bool:
    """Whether ``X-Lark-Request-Timestamp`` (seconds since the epoch) is within
    ``max_skew_seconds`` of ``now``, either way; anything unparsable is not fresh."""
    try:
        sent = float(timestamp.strip())
    except ValueError:
        return False
    return math.isfinite(sent) and abs(now - sent) <= max_skew_seconds


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison for the verification token."""
    return bool(given) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
