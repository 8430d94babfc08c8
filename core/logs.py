"""Logging set-up: readable text or JSON lines, with secrets redacted and personal data masked
in every record.

Both happen in the formatters, on the final text, so messages, arguments, tracebacks and the
records of libraries (python-telegram-bot logs its request parameters at DEBUG, httpx logs
every URL, and Telegram's URLs carry the bot token) are all covered.

Secrets: the composition root registers every secret it reads (:func:`register_secret`);
each occurrence, also percent-encoded or JSON-escaped, becomes :data:`REDACTED`. Values
shorter than :data:`MIN_SECRET_LENGTH` are not registered: replacing them would mangle
ordinary text and they protect little anyway. :func:`redact` is for error texts printed
outside logging (the CLI's "Could not start: …").
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from datetime import UTC, datetime
from urllib.parse import quote

from core.masking import mask_sensitive

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def _forms(value: str) -> set[str]:
    """The ways a secret shows up in text: as is, in a URL, inside JSON or a repr."""
    return {
        value,
        quote(value, safe=""),
        quote(value, safe="/:"),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        repr(value)[1:-1],
    }


def register_secret(value: str) -> None:
    """Redact ``value`` from every log line from now on (no-op for short or empty values)."""
    global _pattern
    value = value.strip()
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        new = {form for form in _forms(value) if len(form) >= MIN_SECRET_LENGTH} - _secrets
        if not new:
            return
        _secrets.update(new)
        # Longest first, so a secret that contains another is replaced whole.
        ordered = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(form) for form in ordered))


def forget_secrets() -> None:
    """Empty the registry (tests)."""
    global _pattern
    with _lock:
        _secrets.clear()
        _pattern = None


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by :data:`REDACTED`."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


def scrub(text: str) -> str:
    """Secrets redacted, then personal data masked (the order matters: masking a phone-like
    run of digits inside a token would hide the token from redaction)."""
    return mask_sensitive(redact(text))


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; ``extra={"event_id": …, "ticket_no": …}`` fields kept."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key in ("event_id", "ticket_no", "platform"):
            if hasattr(record, key):
                value = getattr(record, key)
                payload[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            payload["exc"] = scrub(self.formatException(record.exc_info))
        if record.stack_info:
            payload["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(level: str = "INFO", *, json_format: bool = False) -> None:
    """Log to stderr (stdout belongs to the console channel and the CLI's JSON output)."""
    handler = logging.StreamHandler(sys.stderr)
    if json_format:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Libraries are chatty at INFO (every HTTP request); keep them at WARNING.
    for noisy in ("httpx", "httpcore", "aiosqlite", "sqlalchemy.engine", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
