"""Logging set-up: readable text or JSON lines, with personal data masked in every record.

Masking happens in the formatters, on the final text, so messages, arguments and
tracebacks are all covered.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from core.masking import mask_sensitive


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_sensitive(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; ``extra={"event_id": …, "ticket_no": …}`` fields kept."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_sensitive(record.getMessage()),
        }
        for key in ("event_id", "ticket_no", "platform"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exc"] = mask_sensitive(self.formatException(record.exc_info))
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
